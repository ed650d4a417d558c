"""A package's edges, as an outside pass of issue 20 pushed them: a datapackage.json pointing out of the
package, two packages in one zip, a symbolic link, a huge table nobody reads, an id nested twice. No Neo4j."""

import csv
import io
import json
import shutil
import stat
import zipfile
import zlib
from pathlib import Path

import pytest

from interop.hsds import package
from interop.hsds.errors import PackageError
from interop.hsds.package import ONLY_IN_3
from interop.hsds.validate import check_package
from referral.hsds import messages

CSV_EXAMPLE = Path(__file__).resolve().parents[1] / "data" / "hsds-example"
pytestmark = pytest.mark.usefixtures("babel_request")


def zipped(entries: dict[str, bytes], links: tuple = ()) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            info = zipfile.ZipInfo(name)
            if name in links:
                info.external_attr = (stat.S_IFLNK | 0o777) << 16
            archive.writestr(info, data, zipfile.ZIP_DEFLATED)
    return buffer.getvalue()


def example_files(prefix: str = "") -> dict[str, bytes]:
    return {prefix + p.name: p.read_bytes() for p in CSV_EXAMPLE.iterdir() if p.suffix in (".csv", ".json")}


@pytest.mark.parametrize("outside", ["../../../../etc/passwd", "/etc/passwd", "http://example.org/o.csv"])
def test_a_declared_path_out_of_the_package_is_never_followed_and_is_said(tmp_path, outside):
    folder = tmp_path / "paquet"
    shutil.copytree(CSV_EXAMPLE, folder)
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    next(r for r in descriptor["resources"] if r["name"] == "organization")["path"] = outside
    (folder / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    for read in (lambda: package.read_path(folder),
                 lambda: package.read_bytes(zipped({p.name: p.read_bytes() for p in folder.iterdir()}), "p.zip")):
        errors, warnings = check_package(read())
        assert errors == []
        said = next(w for w in warnings if w.code == "path_outside")
        assert said.file == "datapackage.json" and said.value == outside
        assert f"chemin hors du paquet, non suivi : « {outside} »" in messages.describe(said)


def test_two_packages_in_one_zip_are_refused_naming_both_paths():
    data = zipped(example_files("p1/") | example_files("p2/"))
    with pytest.raises(PackageError) as refused:
        package.read_bytes(data, "deux.zip")
    problem = refused.value.problems[0]
    assert problem.code == "duplicate_entry" and "p1/" in problem.file and "p2/" in problem.file
    assert "un seul paquet à la fois" in messages.describe(problem)


def test_a_symbolic_link_in_a_zip_is_refused_by_name():
    files = example_files()
    files["organizations.csv"] = b"../../secret.csv"
    with pytest.raises(PackageError) as refused:
        package.read_bytes(zipped(files, links=("organizations.csv",)), "lien.zip")
    problem = refused.value.problems[0]
    assert (problem.file, problem.code) == ("organizations.csv", "symlink")
    assert "lien symbolique refusé" in messages.describe(problem)


def test_a_huge_table_nobody_reads_never_blocks_its_package(tmp_path):
    """A 40 MB metadata.csv (the bound is 8 MB a file, 16 MB in all) is noted « ignorée », never inflated."""
    header = (CSV_EXAMPLE / "metadata.csv").read_bytes().splitlines()[0]
    huge = header + b"\n" + b"x,y,z\n" * (40 * 1024 * 1024 // 6)
    files = example_files() | {"metadata.csv": huge}
    data = zipped(files)
    assert len(data) < 1024 * 1024 and len(zlib.compress(huge)) < len(huge) // 100
    folder = tmp_path / "paquet"
    folder.mkdir()
    for name, content in files.items():
        (folder / name).write_bytes(content)
    for read in (lambda: package.read_bytes(data, "gros.zip"), lambda: package.read_path(folder)):
        errors, warnings = check_package(read())
        assert errors == [] and ("metadata.csv", "metadata") in {(w.file, w.value) for w in warnings}


def test_an_id_nested_twice_with_other_values_names_both_places():
    phone = {"id": "p1", "number": "514 555-0101"}
    twice = {"id": "o1", "name": "M", "description": "d",
             "phones": [phone, {**phone, "number": "514 555-0199"}]}
    with pytest.raises(PackageError) as refused:
        package.read_bytes(json.dumps(twice).encode(), "deux.json")
    problem = refused.value.problems[0]
    assert (problem.row, problem.code) == ("$.phones[1]", "duplicate")
    assert (problem.value, problem.expected) == ("p1", "first:$.phones[0]")
    assert messages.describe(problem).endswith("identifiant en double : p1 (déjà : $.phones[0])")


def test_what_an_older_package_may_leave_out_an_hsds_3_package_may_not(tmp_path):
    """A service naming an absent organisation: an HSDS 1.x package (real directories' extracts) leaves it out,
    saying so; the same row in an HSDS 3 package refuses it."""
    folder = tmp_path / "paquet"
    shutil.copytree(CSV_EXAMPLE, folder)
    header, *rows = csv.reader(io.StringIO((folder / "services.csv").read_text(encoding="utf-8")))
    rows[0][header.index("organization_id")] = "d9d5e0f5-d3ce-4a73-9a2f-3a1e3ac4ff0e"
    written = io.StringIO()
    csv.writer(written).writerows([header, *rows])
    (folder / "services.csv").write_text(written.getvalue(), encoding="utf-8")
    errors, _ = check_package(package.read_path(folder))
    assert ("services.csv", "organization_id", "reference") in {(p.file, p.field, p.code) for p in errors}
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    (folder / "datapackage.json").write_text(json.dumps({**descriptor, "version": "1.1"}), encoding="utf-8")
    # a 3.0.0 package declaring its own release « 1.1 » is still read as HSDS 3 while it holds 3-only files
    assert check_package(package.read_path(folder))[0]
    for name in ONLY_IN_3:
        (folder / name).unlink(missing_ok=True)
    older = package.read_path(folder)
    errors, warnings = check_package(older)
    assert errors == [] and older.rows("service") == []
    assert ("services.csv", "organization_id", "orphan_left_out", "1") in {
        (w.file, w.field, w.code, w.value) for w in warnings}
