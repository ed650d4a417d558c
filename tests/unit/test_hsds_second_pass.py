"""Found by the second outside pass of issue 20: datapackage.json is the authority on where each table is,
and what cannot be followed is said; a file is read by what it is; tables of older versions and their
eligibility said; spreadsheets' ways (semicolons, a column twice, an empty file) named; control characters,
null lists and a page's wrong figures refused. No Neo4j."""

import csv
import io
import json
import shutil
import zipfile
from pathlib import Path

import pytest

from interop.hsds import package
from interop.hsds.errors import PackageError
from interop.hsds.validate import check_package
from referral.hsds import messages

CSV_EXAMPLE = Path(__file__).resolve().parents[1] / "data" / "hsds-example"
ORGANISATION = json.loads((CSV_EXAMPLE.parent / "hsds-example-json" / "organization_full.json").read_text("utf-8"))
pytestmark = pytest.mark.usefixtures("babel_request")


def copied(tmp_path) -> Path:
    folder = tmp_path / "paquet"
    shutil.copytree(CSV_EXAMPLE, folder)
    return folder


def declare(folder: Path, table: str, path) -> None:
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    next(r for r in descriptor["resources"] if r["name"] == table)["path"] = path
    (folder / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")


def outcome(read) -> tuple[list, list, list[str]]:
    """(errors, warnings, every message) of a package, refused or not."""
    try:
        errors, warnings = check_package(read())
    except PackageError as refused:
        errors, warnings = refused.problems, []
    return errors, warnings, [messages.describe(p) for p in errors + warnings]


def test_a_table_declared_in_another_file_is_read_there_only(tmp_path):
    folder = copied(tmp_path)
    shutil.copy(folder / "organizations.csv", folder / "orgs2.csv")
    declare(folder, "organization", "orgs2.csv")
    errors, warnings, said = outcome(lambda: package.read_path(folder))
    assert errors == []
    assert "organizations.csv : fichier non lu : datapackage.json déclare sa table dans « orgs2.csv »" in said


@pytest.mark.parametrize("path, read", [("data\\orgs.csv", True), ("data/../data/orgs.csv", True),
                                        ("nothere.csv", False), (5, False)])
def test_a_declared_path_is_followed_inside_the_package_or_said(tmp_path, path, read):
    folder = copied(tmp_path)
    (folder / "data").mkdir()
    (folder / "organizations.csv").rename(folder / "data" / "orgs.csv")
    declare(folder, "organization", path)
    errors, _warnings, said = outcome(lambda: package.read_path(folder))
    if read:
        assert errors == [], said
        return
    # the refusal says first why the organisations are missing, not only that the services' references are
    assert errors[0].file == "datapackage.json" and errors[0].code in ("declared_missing", "path_unreadable")
    assert any("renvoie à un enregistrement absent" in text for text in said)


def test_a_symbolic_link_in_a_folder_is_not_followed_and_said(tmp_path):
    folder = copied(tmp_path)
    outside = tmp_path / "ailleurs.csv"
    (folder / "organizations.csv").rename(outside)
    (folder / "organizations.csv").symlink_to(outside)
    errors, _warnings, said = outcome(lambda: package.read_path(folder))
    assert errors[0].code == "symlink_skipped" and "organizations.csv : lien symbolique, non suivi" in said


def test_eligibility_of_older_versions_is_joined_and_said(tmp_path):
    folder = copied(tmp_path)
    header, *rows = csv.reader(io.StringIO((folder / "services.csv").read_text("utf-8")))
    service_id, rows[0][header.index("eligibility_description")] = rows[0][header.index("id")], ""
    written = io.StringIO()
    csv.writer(written).writerows([header, *rows])
    (folder / "services.csv").write_text(written.getvalue(), encoding="utf-8")
    (folder / "eligibility.csv").write_text(
        f"id,service_id,eligibility\ne1,{service_id},Adultes\ne2,absent-service,Aînés\n", encoding="utf-8")
    errors, _warnings, said = outcome(lambda: package.read_path(folder))
    assert errors == []
    assert "eligibility.csv : 1 critère(s) d'admissibilité joint(s) à la description de leur service" in " | ".join(
        said)
    assert any("1 critère(s) d'admissibilité laissé(s) de côté" in text for text in said)


def test_spreadsheets_ways_are_named(tmp_path):
    folder = copied(tmp_path)
    rows = list(csv.reader(io.StringIO((folder / "organizations.csv").read_text("utf-8"))))
    written = io.StringIO()
    csv.writer(written, delimiter=";").writerows(rows)
    (folder / "organizations.csv").write_text(written.getvalue(), encoding="utf-8")
    errors, _warnings, said = outcome(lambda: package.read_path(folder))
    assert errors == [] and any("points-virgules" in text for text in said)

    written = io.StringIO()
    csv.writer(written).writerows([[*rows[0], "name"], [*rows[1], "Autre nom"]])
    (folder / "organizations.csv").write_text(written.getvalue(), encoding="utf-8")
    errors, _warnings, said = outcome(lambda: package.read_path(folder))
    assert "organizations.csv, ligne 1, champ name : colonne donnée deux fois" in said[0]

    (folder / "organizations.csv").write_text("", encoding="utf-8")
    errors, _warnings, said = outcome(lambda: package.read_path(folder))
    assert said[0] == "organizations.csv : fichier vide : pas même une ligne d'en-tête"


def test_a_csv_duplicate_names_where_the_id_was_met_first(tmp_path):
    folder = copied(tmp_path)
    text = (folder / "services.csv").read_text("utf-8").splitlines()
    (folder / "services.csv").write_text("\n".join([*text, text[1]]) + "\n", encoding="utf-8")
    errors, _warnings, _said = outcome(lambda: package.read_path(folder))
    duplicate = next(p for p in errors if p.code == "duplicate")
    assert (duplicate.row, duplicate.value.endswith("(2)")) == (3, True)


def test_a_file_is_read_by_what_it_is_and_older_tables_are_named(tmp_path):
    zipped = io.BytesIO()
    with zipfile.ZipFile(zipped, "w") as archive:
        for file in CSV_EXAMPLE.iterdir():
            archive.write(file, file.name)
        archive.writestr("accessibility_for_disabilities.csv", "id,location_id,accessibility\na1,l1,Rampe\n")
        archive.writestr("directory.json", "{}")
    errors, warnings, said = outcome(lambda: package.read_bytes(zipped.getvalue(), "paquet.json"))
    assert errors == []
    assert "accessibility_for_disabilities.csv : table « accessibility_for_disabilities » ignorée" in " | ".join(said)
    assert any(text.startswith("directory.json : fichier JSON non lu") for text in said)
    as_csv = package.read_bytes(json.dumps(ORGANISATION).encode(), "organisation.csv")
    assert len(as_csv.rows("organization")) == 1


@pytest.mark.parametrize("change, said", [
    ({"name": "Maison\x00 des jeunes"}, "$, champ name : caractère de contrôle invisible (U+0000)"),
    ({"phones": None}, "$.phones : type incorrect : « null » — attendu : une liste [ … ]"),
])
def test_what_json_holds_is_checked_before_use(change, said):
    _errors, _warnings, texts = outcome(lambda: package.read_bytes(json.dumps({**ORGANISATION, **change}).encode(),
                                                                   "o.json"))
    assert any(said in text for text in texts), texts


def test_a_pages_figures_are_checked():
    page = {"total_items": "many", "page_number": 1, "empty": "no", "contents": [ORGANISATION]}
    _errors, _warnings, texts = outcome(lambda: package.read_bytes(json.dumps(page).encode(), "page.json"))
    assert texts == ["page.json, total_items : type incorrect : « many » — attendu : un nombre entier",
                     "page.json, empty : type incorrect : « no » — attendu : true ou false"]


def test_a_uuid_given_twice_in_two_cases_is_one_id_given_twice():
    upper = {**ORGANISATION, "id": ORGANISATION["id"].upper(), "services": []}
    _errors, _warnings, texts = outcome(lambda: package.read_bytes(
        json.dumps([{**ORGANISATION, "services": []}, upper]).encode(), "deux.json"))
    assert texts == [f"deux.json, [1], champ id : identifiant en double : {upper['id']} ([0])"]


def test_a_zip_of_json_says_to_import_the_json_alone_and_one_name_twice_is_counted():
    zipped = io.BytesIO()
    with zipfile.ZipFile(zipped, "w") as archive:
        archive.writestr("organization_full.json", json.dumps(ORGANISATION))
    _errors, _warnings, texts = outcome(lambda: package.read_bytes(zipped.getvalue(), "paquet.zip"))
    assert texts[0].startswith("organization_full.json : fichier JSON non lu")
    assert "importez ce fichier seul" in texts[0]
    twice = io.BytesIO()
    with zipfile.ZipFile(twice, "w") as archive:
        archive.writestr("metadata.csv", "id\n")
        with pytest.warns(UserWarning):  # zipfile warns of the duplicate name, as it should
            archive.writestr("metadata.csv", "id\n")
    _errors, _warnings, texts = outcome(lambda: package.read_bytes(twice.getvalue(), "deux.zip"))
    assert texts == ["metadata.csv (×2) : deux fichiers portent le même nom : un seul paquet à la fois"]
