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
from interop.hsds.rows import UUID
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


def set_cell(path: Path, column: str, value: str) -> dict:
    """The first row's `column` of a CSV file set to `value`; that row as it was."""
    header, *rows = csv.reader(io.StringIO(path.read_text("utf-8")))
    before = dict(zip(header, rows[0], strict=False))
    rows[0][header.index(column)] = value
    written = io.StringIO()
    csv.writer(written).writerows([header, *rows])
    path.write_text(written.getvalue(), encoding="utf-8")
    return before


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
    service_id = set_cell(folder / "services.csv", "eligibility_description", "")["id"]
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
    assert duplicate.row == 3 and messages.describe(duplicate).endswith("(déjà : ligne 2)")


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
    assert texts == [f"deux.json, [1], champ id : identifiant en double : {upper['id']} (déjà : [0])"]


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


@pytest.mark.parametrize("older_sign", ["2.0 file name", "2.0 column name", "version 1.0"])
def test_a_package_declaring_hsds_3_is_held_to_it_whatever_its_names(tmp_path, older_sign):
    """Third outside pass: one file or column under its 2.0 name, or a datapackage `version` of 1.0 (its own
    release) beside HSDS 3's files, switched HSDS 1.x's tolerances on: « Available » was read as active."""
    folder = copied(tmp_path)
    set_cell(folder / "services.csv", "status", "Available")
    if older_sign == "2.0 file name":
        (folder / "schedules.csv").rename(folder / "regular_schedule.csv")
        declare(folder, "schedule", "regular_schedule.csv")
    elif older_sign == "2.0 column name":
        text = (folder / "organizations.csv").read_text("utf-8")
        (folder / "organizations.csv").write_text(text.replace("website", "url", 1), encoding="utf-8")
    else:
        descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
        (folder / "datapackage.json").write_text(json.dumps({**descriptor, "version": "1.0"}), encoding="utf-8")
    errors, _warnings, said = outcome(lambda: package.read_path(folder))
    assert ("services.csv", "status", "enum") in {(p.file, p.field, p.code) for p in errors}, said


@pytest.mark.parametrize("hour, said", [("25:00", "type incorrect : « 25:00 »"), ("9:60", "valeur inutilisable")])
def test_an_impossible_hour_is_never_read(tmp_path, hour, said):
    """« 25:00 » passed in every version; an older package's « 9:60 » was counted as 9:00 without its zero."""
    folder = copied(tmp_path)
    set_cell(folder / "schedules.csv", "opens_at", hour)
    if hour == "9:60":  # as a package written before HSDS 3: its tolerance must not take it for 09:60
        (folder / "schedules.csv").rename(folder / "regular_schedules.csv")
        for name in package.ONLY_IN_3:
            (folder / name).unlink(missing_ok=True)
        (folder / "datapackage.json").unlink()
    _errors, _warnings, texts = outcome(lambda: package.read_path(folder))
    assert any(said in text and "opens_at" in text for text in texts), texts
    assert not any("sans zéro initial" in text for text in texts)


def test_older_statuses_decimal_commas_and_json_syntax_are_said(tmp_path):
    folder = copied(tmp_path)
    for name in package.ONLY_IN_3:
        (folder / name).unlink(missing_ok=True)
    (folder / "datapackage.json").unlink()
    set_cell(folder / "services.csv", "status", "Defunct")
    text = (folder / "organizations.csv").read_text("utf-8")
    (folder / "organizations.csv").write_text(text.replace("website", "url", 1), encoding="utf-8")  # a 2.0 name
    set_cell(folder / "locations.csv", "latitude", "45,5853")
    errors, _warnings, texts = outcome(lambda: package.read_path(folder))
    assert errors == [], texts
    assert "services.csv, champ status : statut « Defunct » (HSDS 1.x ou 2.0) : lu en minuscules" in texts
    assert "locations.csv, ligne 2, champ latitude : virgule décimale lue comme un point : « 45,5853 »" in texts
    _errors, _warnings, texts = outcome(lambda: package.read_bytes(b'{"id": "o1" "name": "M"}', "o.json"))
    assert texts == ["o.json, ligne 1 : JSON mal formé à la colonne 13 — attendu : une virgule entre deux valeurs"]


def test_a_refusal_of_many_problems_of_one_kind_is_grouped(tmp_path):
    folder = copied(tmp_path)
    header, *rows = csv.reader(io.StringIO((folder / "services.csv").read_text("utf-8")))
    rows = [[*rows[0][:header.index("status")], "Disponible", *rows[0][header.index("status") + 1:]]] * 50
    written = io.StringIO()
    csv.writer(written).writerows([header, *rows])
    (folder / "services.csv").write_text(written.getvalue(), encoding="utf-8")
    texts = messages.describe_all(check_package(package.read_path(folder))[0])
    assert "services.csv, champ status : … et 47 autres problèmes du même genre" in texts and len(texts) < 20


@pytest.mark.parametrize("version", ["v3.0", "HSDS 3.0", " 3.0 ", 3, 3.0])
def test_every_way_of_declaring_hsds_3_holds_a_package_to_it(tmp_path, version):
    """Fourth outside pass: « v3.0 », « HSDS 3.0 » or the number 3 let « Available » through."""
    folder = copied(tmp_path)
    for name in package.ONLY_IN_3:
        (folder / name).unlink(missing_ok=True)
    set_cell(folder / "services.csv", "status", "Available")
    text = (folder / "organizations.csv").read_text("utf-8")
    (folder / "organizations.csv").write_text(text.replace("website", "url", 1), encoding="utf-8")  # a 2.0 name
    descriptor = json.loads((folder / "datapackage.json").read_text(encoding="utf-8"))
    (folder / "datapackage.json").write_text(json.dumps({**descriptor, "version": version}), encoding="utf-8")
    errors, _warnings, said = outcome(lambda: package.read_path(folder))
    assert ("services.csv", "status", "enum") in {(p.file, p.field, p.code) for p in errors}, said


@pytest.mark.parametrize("column, value", [
    ("id", "{d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610}"), ("id", "urn:uuid:d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610"),
    ("id", "d9d5e0f5d3ce4f739a2f4dd0ecc6c610"), ("id", "d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c61０"),
    ("year_incorporated", "٢٠٢٠"),
])
def test_only_plain_uuids_and_ascii_figures_are_read(tmp_path, column, value):
    """uuid.UUID and float() read braces, urn:uuid:, no hyphens, full-width and Arabic-Indic digits."""
    folder = copied(tmp_path)
    set_cell(folder / "organizations.csv", column, value)
    errors, _warnings, said = outcome(lambda: package.read_path(folder))
    assert ("organizations.csv", column) in {(p.file, p.field) for p in errors}, said


def test_a_uuid_followed_by_a_line_break_is_no_uuid():
    """`$` lets a final line break through: an id « …\n » kept as a UUID would have gone out in our export."""
    assert UUID.match("d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610")
    assert not UUID.match("d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610\n")
