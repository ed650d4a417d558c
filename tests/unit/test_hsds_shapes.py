"""HSDS files as the world writes them (issue 20): each shape read by its own reader or refused by name, every
object validated with its expected type said, duplicates refused in JSON as in CSV, a package found where its
datapackage.json says, tables the directory does not use never blocking. No Neo4j: reading and checking."""

import copy
import csv
import io
import json
import shutil
import zipfile
from pathlib import Path

import pytest
from flask_babel import force_locale

from interop.bounded import Limits
from interop.hsds import package
from interop.hsds.errors import PackageError, Problem
from interop.hsds.validate import check_package
from referral.hsds import messages

EXAMPLES = Path(__file__).resolve().parents[1] / "data" / "hsds-example-json"  # 3.1's line
EXAMPLES_3_0 = EXAMPLES.parent / "hsds-3.0-examples"  # the released 3.0
CSV_EXAMPLE = EXAMPLES.parent / "hsds-example"
# Each official JSON example: the tables it gives, or the reason it is refused — a true one.
OUTCOMES = {
    "organization_full.json": {"organization": 1, "service": 1, "location": 1},
    "organization_list.json": {"organization": 1},
    "service_full.json": {"organization": 1, "service": 1, "location": 1},
    "service_list.json": {"organization": 1, "service": 1},
    "service_at_location_full.json": {"service": 1, "location": 1, "service_at_location": 1},
    "service_at_location_list.json": {"service": 1, "location": 1, "service_at_location": 1},
    "tabular.json": {"organization": 1, "service": 1, "location": 1, "service_at_location": 1},
    "base.json": "api_root", "location.json": "no_records", "taxonomy.json": "no_records",
    "taxonomy_list.json": "no_records", "taxonomy_term.json": "no_records", "taxonomy_term_list.json": "no_records",
}


pytestmark = pytest.mark.usefixtures("babel_request")


def read(document, name="file.json"):
    return package.read_bytes(json.dumps(document).encode(), name)


def problems_of(document) -> list[Problem]:
    try:
        return check_package(read(document))[0]
    except PackageError as refused:
        return refused.problems


@pytest.mark.parametrize("examples", [EXAMPLES, EXAMPLES_3_0], ids=["3.1", "3.0"])
def test_every_official_json_example_imports_or_is_refused_for_its_true_reason(examples):
    assert {p.name for p in examples.glob("*.json")} == set(OUTCOMES)
    for name, outcome in OUTCOMES.items():
        data = (examples / name).read_bytes()
        if isinstance(outcome, str):
            with pytest.raises(PackageError) as refused:
                package.read_bytes(data, name)
            assert [p.code for p in refused.value.problems] == [outcome], name
            continue
        read_package = package.read_bytes(data, name)
        errors, _warnings = check_package(read_package)
        assert errors == [], (name, errors)
        assert {t: len(read_package.rows(t)) for t in outcome} == outcome, name


@pytest.mark.parametrize("folder", [CSV_EXAMPLE, EXAMPLES_3_0 / "csv"], ids=["3.1", "3.0"])
def test_the_official_csv_packages_read_cleanly(folder):
    read_package = package.read_path(folder)
    errors, warnings = check_package(read_package)
    assert errors == [] and len(read_package.rows("organization")) == len(read_package.rows("service")) == 1
    assert {w.code for w in warnings} <= {"ignored_table", "reference_ignored"}


def test_a_taxonomy_says_what_it_holds_and_the_api_root_says_what_it_is():
    with pytest.raises(PackageError) as refused:
        package.read_bytes((EXAMPLES / "taxonomy_term_list.json").read_bytes(), "terms.json")
    text = messages.describe(refused.value.problems[0])
    assert "aucune organisation ni aucun service" in text and "taxonomy_term (1)" in text
    with pytest.raises(PackageError) as refused:
        package.read_bytes(b'{"colour": "blue", "size": 3}', "odd.json")
    assert refused.value.problems[0].code == "unknown_object" and "colour" in refused.value.problems[0].value


def organisation() -> dict:
    return json.loads((EXAMPLES / "organization_full.json").read_text(encoding="utf-8"))


@pytest.mark.parametrize("bad_id", [["a", "b"], {"x": 1}, 123, None])
def test_an_id_of_the_wrong_type_is_a_problem_that_says_the_type_expected(bad_id):
    document = organisation()
    document["id"] = bad_id
    document["services"][0]["id"] = copy.deepcopy(bad_id)
    found = problems_of(document)
    assert {p.row for p in found if p.field == "id"} == {"$", "$.services[0]"}, found
    if bad_id is not None:
        typed = next(p for p in found if p.field == "id" and p.row == "$")
        assert typed.code == "type" and typed.expected == "string"
        assert "attendu : du texte" in messages.describe(typed)


def test_a_nested_service_is_validated_as_one_alone_is():
    document = organisation()
    service = document["services"][0]
    del service["status"]
    service["email"], service["id"] = "pas un courriel", 123
    nested = {(p.field, p.code) for p in problems_of(document) if p.row == "$.services[0]"}
    alone = {(p.field, p.code) for p in problems_of(service) if p.row == "$"}
    assert nested == alone == {("status", "required"), ("email", "format"), ("id", "type")}


def test_an_id_twice_is_refused_in_json_as_in_csv_naming_both_places():
    first = organisation()
    second = {**copy.deepcopy(first), "services": []}
    with pytest.raises(PackageError) as refused:
        read({"contents": [first, {"id": "other", "name": "Autre", "description": "d"}, second]})
    duplicate = refused.value.problems[0]
    assert (duplicate.row, duplicate.field, duplicate.code) == ("contents[2]", "id", "duplicate")
    assert first["id"] == duplicate.value and "(déjà : contents[0])" in messages.describe(duplicate)
    # the same object nested twice, as nesting repeats it, is one row
    term = {"id": "t1", "name": "Aide", "description": "d", "code": "aide"}
    twice = {"id": "o1", "name": "M", "description": "d",
             "attributes": [{"id": "a1", "taxonomy_term": term}, {"id": "a2", "taxonomy_term": term}]}
    assert len(read(twice).rows("taxonomy_term")) == 1


def test_a_package_is_read_where_its_datapackage_says(tmp_path):
    """Its CSV files in a data/ subfolder, one under another name than HSDS's: a folder reads as its zip."""
    folder = tmp_path / "paquet"
    (folder / "data").mkdir(parents=True)
    descriptor = json.loads((CSV_EXAMPLE / "datapackage.json").read_text(encoding="utf-8"))
    for resource in descriptor["resources"]:
        name = "orgs.csv" if resource["name"] == "organization" else resource["path"]
        shutil.copy(CSV_EXAMPLE / resource["path"], folder / "data" / name)
        resource["path"] = f"data/{name}"
    (folder / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    read_package = package.read_path(folder)
    assert check_package(read_package)[0] == []
    assert len(read_package.rows("organization")) == len(package.read_path(CSV_EXAMPLE).rows("organization")) == 1


def test_tables_the_directory_does_not_use_never_block_a_package(tmp_path):
    folder = tmp_path / "paquet"
    shutil.copytree(CSV_EXAMPLE, folder)
    with (folder / "metadata.csv").open("a", encoding="utf-8") as metadata:
        metadata.writelines(f"pas-un-uuid-{n},,,,,,,,\n" for n in range(263))
    errors, warnings = check_package(package.read_path(folder))
    assert errors == []
    ignored = [w for w in warnings if w.code == "ignored_table"]
    assert ("metadata.csv", "metadata") in {(w.file, w.value) for w in ignored}
    assert len(ignored) == len({w.value for w in ignored})  # once each
    with force_locale("fr"):
        assert "table « metadata » ignorée" in messages.describe(next(w for w in ignored if w.value == "metadata"))


def test_a_format_problem_says_what_was_expected(tmp_path):
    folder = tmp_path / "paquet"
    shutil.copytree(CSV_EXAMPLE, folder)
    organisations = (folder / "organizations.csv").read_text(encoding="utf-8").splitlines()
    header, row = organisations[0], organisations[1]
    first_id = row.split(",", 1)[0]
    (folder / "organizations.csv").write_text("\n".join([header, row.replace(first_id, "1", 1)]) + "\n",
                                              encoding="utf-8")
    errors, _ = check_package(package.read_path(folder))
    wrong = next(p for p in errors if p.file == "organizations.csv" and p.field == "id")
    assert (wrong.code, wrong.expected) == ("format", "uuid")
    text = messages.describe(wrong)
    assert "format incorrect : « 1 »" in text and "un identifiant UUID, par exemple" in text


def test_found_by_the_outside_pass_of_issue_20(tmp_path):
    """An HSDS 3 package without a required column was read with a default (2.0's tolerance); an organisation
    with an extension key was « no HSDS shape »; the row bound, an enum's values and a container's type went
    unsaid; values were shown in Python's words."""
    folder = tmp_path / "paquet"
    shutil.copytree(CSV_EXAMPLE, folder)
    rows = list(csv.reader(io.StringIO((folder / "services.csv").read_text(encoding="utf-8"))))
    at = rows[0].index("status")
    written = io.StringIO()
    csv.writer(written).writerows([cell for i, cell in enumerate(row) if i != at] for row in rows)
    (folder / "services.csv").write_text(written.getvalue(), encoding="utf-8")
    errors, _ = check_package(package.read_path(folder))
    assert ("services.csv", "status", "missing_column") in {(p.file, p.field, p.code) for p in errors}

    extended = {"id": "3fa85f64-5717-4562-b3fc-2c963f66afa6", "name": "Maison", "description": "d", "x_custom": 1}
    assert problems_of(extended) == [] and read(extended).rows("organization")

    with pytest.raises(PackageError) as refused:
        package.read_bytes(json.dumps([{"id": f"o{n}", "name": "M", "description": "d"} for n in range(5)]).encode(),
                           "many.json", Limits(rows=3))
    assert "plus de 3 lignes ou objets" in messages.describe(refused.value.problems[0])

    service = json.loads((EXAMPLES / "service_full.json").read_text(encoding="utf-8"))
    service["status"] = "Available"
    said = " | ".join(messages.describe(p) for p in problems_of(service))
    assert "« Available » — attendu : active, inactive, defunct, temporarily closed" in said
    service["phones"], service["service_at_locations"] = [5], "texte"
    said = " | ".join(messages.describe(p) for p in problems_of(service))
    assert "$.phones[0] : type incorrect : « 5 » — attendu : un objet { … }" in said
    assert "$.service_at_locations : type incorrect : « texte » — attendu : une liste [ … ]" in said
    flagged = problems_of({**extended, "email": True})
    assert "« true »" in messages.describe(next(p for p in flagged if p.field == "email"))



@pytest.mark.parametrize("text, said", [
    ('{"id": "o1", "name": "M", "description": "d", "latitude": NaN}', "NaN n'est pas une valeur JSON"),
    ('{"id": "o1", "name": "M", "name": "N", "description": "d"}',
     "clé « name » donnée deux fois dans un même objet"),
    ('{"id": "o1",\n "name": "M" "description": "d"}', "odd.json, ligne 2 : JSON mal formé à la colonne 14"),
    ('{"id": "o1", "name": "\\ud800", "description": "d"}', "caractère incomplet"),
    ('{"id": "o1", "name": "M", "description": "d", "year_incorporated": ' + "9" * 5000 + "}",
     "nombre trop long pour être lu"),
])
def test_what_is_not_json_is_refused_saying_why(text, said):
    """NaN, Infinity and a key given twice were read (outside pass of issue 20); then refused as « illisible »
    without a reason (its second pass)."""
    with pytest.raises(PackageError) as refused:
        package.read_bytes(text.encode(), "odd.json")
    assert said in messages.describe(refused.value.problems[0])


def test_a_zip_with_no_table_is_named_by_what_it_holds():
    """A zip holding only a JSON file blamed a datapackage.json it did not have (outside pass of issue 20)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("organizations.json", "[]")
    with pytest.raises(PackageError) as refused:
        package.read_bytes(buffer.getvalue(), "paquet.zip")
    said = [(problem.file, problem.code) for problem in refused.value.problems]
    assert said == [("organizations.json", "json_in_package"), ("organizations.json", "no_tables")]
