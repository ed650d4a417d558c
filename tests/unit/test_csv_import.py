"""Parsing and planning CSV imports: pure Python, no database (the import itself is tested through the
app in test_directory_import.py)."""

import csv
from datetime import date

import pytest

from referral import clock
from referral.directory import csv_import
from referral.directory.csv_import import ImportContext, ImportFileError, parse, plan_import
from referral.policy import OPERATOR, Principal
from seed.reference.territories import fsa_table

HEADER = "nom;courriel;telephone;organisation;territoire;role;langues;repertoire;depuis"
CONTEXT = ImportContext(
    territories=[{"id": "mn", "name": "Montréal-Nord"}, {"id": "vsp", "name": "Villeray–Saint-Michel–Parc-Extension"}],
    organisations=[
        {"id": "o-mn-01", "name": "Maison des familles Montréal-Nord", "territory": "mn", "sector": "family",
         "kind": "community", "address": "1, rue Fleury", "postal_code": "H1G 1A1", "phone": None, "website": None,
         "languages": ["fr"], "served": ["mn"]},
        {"id": "o-vsp-01", "name": "Carrefour Villeray", "territory": "vsp", "sector": "newcomers",
         "kind": "community", "address": None, "postal_code": "H2R 1A1", "phone": None, "website": None,
         "languages": ["fr"], "served": ["vsp"]},
    ],
    postal_area=fsa_table().get,  # the postal areas as `seed reference` writes them (no database here)
    people={"deja@exemple.org": {"id": "p-1", "name": "Déjà Là", "email": "deja@exemple.org", "phone": None,
                                 "role": None, "languages": ["fr"], "listed": True, "jobs": ["o-mn-01"],
                                 "territories": {"mn"}},
            "loin@exemple.org": {"id": "p-2", "name": "Loin", "email": "loin@exemple.org", "phone": None,
                                 "role": None, "languages": ["fr"], "listed": True, "jobs": ["o-vsp-01"],
                                 "territories": {"vsp"}}},
)


MN_COORDINATOR = Principal("coordinator", "mn")


def plan(text: str, kind: str = "participants", principal=OPERATOR, encoding="utf-8"):
    return plan_import(parse(text.encode(encoding), kind), CONTEXT, principal)


def reasons(row) -> str:
    return " | ".join(str(r) for r in row.reasons)


def test_accents_bom_and_semicolons():
    text = HEADER + "\r\nHélène Côté;helene@exemple.org;514 555-0101;Maison des familles Montréal-Nord;Montréal-Nord;" \
                    "agent_efc;fr ar;oui;2024-09-01\r\n"
    parsed = parse(text.encode("utf-8-sig"), "participants")
    assert parsed.delimiter == ";"
    (line, row), = parsed.rows
    assert line == 2 and row["nom"] == "Hélène Côté" and row["organisation"] == "Maison des familles Montréal-Nord"
    result = plan_import(parsed, CONTEXT, OPERATOR)
    (outcome,) = result.rows
    assert outcome.action == "create" and not outcome.reasons
    assert outcome.values == {"name": "Hélène Côté", "email": "helene@exemple.org", "phone": "514 555-0101",
                              "role": "agent_efc", "languages": ["fr", "ar"], "listed": True,
                              "organisation": "o-mn-01", "since": date(2024, 9, 1)}  # research: not asked


def test_commas_loose_headers_and_names():
    text = ('Nom,Courriel,Téléphone,Organisme,Territoire\n'
            '"Diallo, Awa",AWA@Exemple.org,,maison des familles montreal-nord,MN\n')
    parsed = parse(text.encode(), "participants")
    assert parsed.delimiter == ","
    (outcome,) = plan_import(parsed, CONTEXT, OPERATOR).rows
    assert outcome.action == "create", reasons(outcome)
    assert outcome.values["name"] == "Diallo, Awa" and outcome.values["email"] == "awa@exemple.org"
    assert "listed" not in outcome.values  # consent is never assumed: not asked, nobody's answer recorded
    assert outcome.values["since"] == clock.today()


@pytest.mark.parametrize("data, message", [
    ("nom;courriel\nÉlise;elise@exemple.org\n".encode("latin-1"), "n'est pas en UTF-8"),
    (b"", "vide"),
    (HEADER.encode() + b"\n", "aucune ligne"),
    (b"nom;courriel;territoire\nA;a@b.org;mn\n", "Colonnes obligatoires manquantes : organisation"),
    (b"x" * (csv_import.MAX_BYTES + 1), "Mo"),
    # Found by outside pass 16g: a second « courriel » column was taken silently, a huge cell unexplained.
    (f"{HEADER};Courriel\nA;a@b.org;;o-mn-01;mn;;;;;b@b.org\n".encode(),
     "La colonne « Courriel » figure deux fois dans l'en-tête"),
])
def test_unreadable_files(data, message):
    with pytest.raises(ImportFileError) as error:
        parse(data, "participants")
    assert message in str(error.value.message)


def test_a_cell_past_the_csv_modules_limit_is_named():
    """Past the csv module's limit (131,072 characters by default; frictionless raises it for the whole process,
    and then the row's own check says the column is too long), the file is refused at that line, saying why."""
    before = csv.field_size_limit(131_072)
    try:
        with pytest.raises(ImportFileError) as error:
            parse(f"{HEADER}\n{'A' * 140_000};a@b.org;;o-mn-01;mn;;;;\n".encode(), "participants")
    finally:
        csv.field_size_limit(before)
    assert "(ligne 2) : une cellule trop longue" in str(error.value.message)


def test_too_many_rows(monkeypatch):
    monkeypatch.setattr(csv_import, "MAX_ROWS", 2)
    text = HEADER + "\n" + "\n".join(f"P{i};p{i}@exemple.org;;o-mn-01;mn;;;;" for i in range(3))
    with pytest.raises(ImportFileError, match="plus de 2 lignes"):
        parse(text.encode(), "participants")


def test_each_bad_row_says_why():
    text = "\n".join([
        HEADER,
        "Bon;bon@exemple.org;514 555-0101;o-mn-01;mn;;;;",
        "Courriel;pas-un-courriel;;o-mn-01;mn;;;;",
        "Tél;tel@exemple.org;appelez-moi;o-mn-01;mn;;;;",
        "Ailleurs;ailleurs@exemple.org;;o-mn-01;Laval;;;;",
        "Inconnue;inconnue@exemple.org;;Organisme fantôme;mn;;;;",
        "Doublon;BON@exemple.org;;o-mn-01;mn;;;;",
        "Langue;langue@exemple.org;;o-mn-01;mn;;fr klingon;;",
        "Date;date@exemple.org;;o-mn-01;mn;;;;32/13/2024",
        "Consent;consent@exemple.org;;o-mn-01;mn;;;peut-être;",
        "Rôle;role@exemple.org;;o-mn-01;mn;astronaute;;;",
    ])
    rows = plan(text).rows
    assert [r.action for r in rows] == ["create"] + ["reject"] * 9
    expected = ["", "Courriel invalide", "Téléphone invalide", "Territoire inconnu : « Laval »",
                "Organisation inconnue dans ce territoire", "Doublon : ce courriel figure déjà à la ligne 2",
                "Langue inconnue : « klingon »", "Date invalide", "écrivez oui ou non", "Rôle inconnu"]
    for row, message in zip(rows, expected, strict=True):
        assert message in reasons(row), (row.line, reasons(row))
    assert [r.line for r in rows] == list(range(2, 12))


def test_scope_of_a_territory_coordinator():
    text = "\n".join([HEADER, "A;a@exemple.org;;Carrefour Villeray;vsp;;;;",
                      "Loin;loin@exemple.org;;o-mn-01;mn;;;;"])
    first, second = plan(text, principal=MN_COORDINATOR).rows
    assert first.action == "reject" and first.refused and "n'est pas dans votre portée" in reasons(first)
    # a person of another territory, as the directory holds them now: refused in words that do not say so
    assert second.action == "reject" and second.refused and "ne peut pas être utilisé" in reasons(second)
    assert "territoire" not in reasons(second) and "Loin" not in reasons(second)
    assert all(r.action == "create" for r in plan(text.replace("Loin;loin", "Loin;loin2")).rows)


def test_a_person_without_a_current_job_is_for_unscoped_coordinators_only():
    """Before: a person with no territory at all passed the scope check of every coordinator."""
    context = ImportContext(territories=CONTEXT.territories, organisations=CONTEXT.organisations,
                            postal_area=CONTEXT.postal_area,
                            people={"parti@exemple.org": {**CONTEXT.people["loin@exemple.org"], "id": "p-3",
                                                          "email": "parti@exemple.org", "jobs": [],
                                                          "territories": set()}})
    parsed = parse(f"{HEADER}\nParti;parti@exemple.org;514 555-0100;o-mn-01;mn;;;;".encode(), "participants")
    (refused,) = plan_import(parsed, context, MN_COORDINATOR).rows
    assert refused.action == "reject" and refused.refused
    (allowed,) = plan_import(parsed, context, Principal("coordinator")).rows
    assert allowed.action == "update" and allowed.values["organisation"] == "o-mn-01"


def test_a_person_working_in_both_territories_is_each_coordinators():
    context = ImportContext(territories=CONTEXT.territories, organisations=CONTEXT.organisations,
                            postal_area=CONTEXT.postal_area,
                            people={"loin@exemple.org": {**CONTEXT.people["loin@exemple.org"],
                                                         "jobs": ["o-vsp-01", "o-x"], "territories": {"mn", "vsp"}}})
    parsed = parse(f"{HEADER}\nLoin;loin@exemple.org;514 555-0100;o-mn-01;mn;;;;".encode(), "participants")
    (row,) = plan_import(parsed, context, MN_COORDINATOR).rows
    assert row.action == "update" and not row.refused


def test_existing_people_are_updated_or_unchanged():
    text = "\n".join([HEADER, "Déjà Là;DEJA@exemple.org;;o-mn-01;mn;;fr;oui;"])
    (row,) = plan(text).rows
    assert row.action == "unchanged" and row.target == "p-1" and row.values == {}
    text = "\n".join([HEADER, "Déjà Là;deja@exemple.org;514 555-0111;Carrefour Villeray;vsp;;;;"])
    (row,) = plan(text).rows
    assert row.action == "update" and row.target == "p-1"
    assert row.values["phone"] == "514 555-0111" and row.values["organisation"] == "o-vsp-01"
    # A job added, the other kept — not « (vide) → Carrefour Villeray » (outside pass 16g).
    assert ("WORKS_AT", "o-mn-01", "o-mn-01, o-vsp-01") in row.fields
    assert ("Emploi : Maison des familles Montréal-Nord → Maison des familles Montréal-Nord, Carrefour Villeray"
            in [str(change) for change in row.changes])


ORG_HEADER = "nom;territoire;secteur;type;adresse;code_postal;telephone;site_web;langues"


def test_organisations():
    text = "\n".join([
        ORG_HEADER,
        "Nouvelle maison;Montréal-Nord;famille;;12, rue Lapierre;h1h1j5;;https://nouvelle.example.org;fr es",
        "Maison des familles Montréal-Nord;mn;family;community;1, rue Fleury;H1G 1A1;514 555-0100;;",
        "Maison des familles Montréal-Nord;mn;family;community;1, rue Fleury;H1G 1A1;;;",
        "Mauvais code;mn;family;;;12345;;;",
        "Hors île;mn;family;;;K1A 0B1;;;",
        "Secteur;mn;cosmique;;;H1G 1A1;;;",
        "Site;mn;family;;;H1G 1A1;;pas un site;",
    ])
    rows = plan(text, kind="organisations").rows
    assert [r.action for r in rows] == ["create", "update", "reject", "reject", "reject", "reject", "reject"]
    created = rows[0].values
    assert created["postal_code"] == "H1H 1J5" and created["sector"] == "family" and created["kind"] == "community"
    assert created["location_source"] == "postal_area" and created["languages"] == ["fr", "es"]
    assert rows[1].target == "o-mn-01" and rows[1].values["phone"] == "514 555-0100"
    assert "latitude" not in rows[1].values  # same postal code: a hand-placed point stays where it is
    for row, message in zip(rows[2:], ["Doublon", "Code postal invalide", "hors de l'île", "Secteur inconnu",
                                       "Site web invalide"], strict=True):
        assert message in reasons(row)


def test_templates_are_excel_friendly_and_readable():
    for kind in csv_import.KINDS:
        data = csv_import.template(kind)
        assert data.startswith(b"\xef\xbb\xbf") and b";" in data.splitlines()[0]
        assert len(parse(data, kind).rows) == 1


@pytest.mark.parametrize("written,code", [
    ("Coordinatrice", "coordination"), ("éducateur", "educatrice"), ("Éducatrice", "educatrice"),
    ("Intervenant.e social.e", "intervenant_social"), ("Travailleuse sociale", "intervenant_social"),
    ("Conseil juridique", "conseillere_juridique"), ("educatrice", "educatrice"),
])
def test_a_function_is_read_from_the_titles_people_write(written, code):
    row = f"Hélène Côté;helene@exemple.org;;Maison des familles Montréal-Nord;Montréal-Nord;{written};fr;oui;"
    text = HEADER + "\n" + row + "\n"
    (outcome,) = plan(text).rows
    assert not outcome.reasons and outcome.values["role"] == code
