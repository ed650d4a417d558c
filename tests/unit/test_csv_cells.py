"""Imports that teach (issue 21, outside pass): every refusal names what is accepted, and the preview says
every value the import read or chose that the file did not say plainly. Pure Python: the rows are planned
against a context built here (test_csv_import.py's), the web address rule is interop.cells'."""

import re
from datetime import date

import pytest

from interop.cells import WebAddressError, web_url
from referral import clock
from referral.directory import csv_cells, csv_values
from referral.directory.csv_import import ImportContext, parse, plan_import
from referral.policy import OPERATOR
from tests.unit.test_csv_import import CONTEXT, HEADER, ORG_HEADER


def one_row(text: str, kind: str, context: ImportContext = CONTEXT):
    (row,) = plan_import(parse(text.encode(), kind), context, OPERATOR).rows
    return row


def said(row) -> list[str]:
    return [str(note) for note in row.notes]


def reasons(row) -> str:
    return " | ".join(str(r) for r in row.reasons)


def person(**cells) -> str:
    values = {"nom": "Rose Alexis", "courriel": "rose@exemple.org", "telephone": "",
              "organisation": "Maison des familles Montréal-Nord", "territoire": "mn", "role": "", "langues": "fr",
              "repertoire": "oui", "depuis": "2024-09-01", **cells}
    return HEADER + "\n" + ";".join(values[name] for name in HEADER.split(";")) + "\n"


def organisation(**cells) -> str:
    values = {"nom": "Maison de l'exemple", "territoire": "mn", "secteur": "family", "type": "community",
              "adresse": "", "code_postal": "H1H 1J5", "telephone": "", "site_web": "", "langues": "fr", **cells}
    return ORG_HEADER + "\n" + ";".join(values[name] for name in ORG_HEADER.split(";")) + "\n"


# --- refusals name what is accepted ------------------------------------------------------------------


def test_an_unknown_territory_names_the_territories_of_the_context_by_name_and_code():
    row = one_row(person(territoire="Mars"), "participants")
    assert "Territoire inconnu : « Mars ». Territoires acceptés (nom ou code) : Montréal-Nord (mn), " \
           "Villeray–Saint-Michel–Parc-Extension (vsp)." in reasons(row)
    elsewhere = ImportContext(territories=[{"id": "lune", "name": "Mer de la Tranquillité"}], organisations=[],
                              postal_area=CONTEXT.postal_area)
    assert "Mer de la Tranquillité (lune)." in reasons(one_row(person(territoire="Mars"), "participants", elsewhere))
    for written in ("MN", "montreal-nord", "Montréal-Nord"):
        assert one_row(person(territoire=written), "participants").action == "create", written


def test_the_yes_no_refusal_names_exactly_the_words_that_are_read():
    message = reasons(one_row(person(repertoire="peut-être"), "participants"))
    assert "« peut-être » n'est pas compris ; écrivez oui ou non" in message
    yes, no = re.search(r"comme oui : (.*) ; comme non : (.*)\)\.", message).groups()
    named = {True: {"oui", *yes.split(", ")}, False: {"non", *no.split(", ")}}
    assert named == {True: csv_values.YES, False: csv_values.NO}
    assert {"x", "true", "false"} <= named[True] | named[False]  # the words the tester found unlisted
    for answer, words in named.items():
        for word in words:
            assert csv_values.yes_no(word.upper()) is answer, word


def test_an_unknown_organisation_names_the_closest_ones_or_points_to_the_territorys_list():
    close = one_row(person(organisation="Maison de la famille Montréal-Nord"), "participants")
    assert "Vouliez-vous dire « Maison des familles Montréal-Nord » ?" in reasons(close)
    assert close.organisations_of == {"id": "mn", "name": "Montréal-Nord"}
    far = one_row(person(organisation="Organisme fantôme"), "participants")
    assert "copiez son nom exact de la liste du territoire" in reasons(far) and "Vouliez-vous" not in reasons(far)
    assert far.organisations_of == {"id": "mn", "name": "Montréal-Nord"}
    assert one_row(person(), "participants").organisations_of is None


def test_an_empty_postal_code_or_sector_is_said_missing_with_what_is_expected():
    row = one_row(organisation(code_postal="", secteur=""), "organisations")
    assert "Code postal manquant (ex. H1G 3K4)." in reasons(row) and "Code postal invalide" not in reasons(row)
    assert "Colonne « secteur » vide. Valeurs acceptées : family, newcomers" in reasons(row)
    assert "Code postal invalide : « 12345 » (ex. H1G 3K4)." in reasons(one_row(organisation(code_postal="12345"),
                                                                                 "organisations"))


# --- the preview says what the import read or chose ---------------------------------------------------


def test_an_empty_start_is_today_and_a_day_month_date_is_said_in_words():
    empty = one_row(person(depuis=""), "participants")
    assert empty.values["since"] == clock.today() and "depuis : aujourd'hui (date du jour)" in said(empty)
    slashed = one_row(person(depuis="01/09/2024"), "participants")
    assert slashed.values["since"] == date(2024, 9, 1)
    assert "depuis : « 01/09/2024 » lu comme le 1er septembre 2024" in said(slashed)
    assert "depuis : « 12/03/2024 » lu comme le 12 mars 2024" in said(one_row(person(depuis="12/03/2024"),
                                                                               "participants"))
    assert not any("depuis" in note for note in said(one_row(person(), "participants")))  # ISO: nothing to say


def test_words_read_through_a_synonym_are_echoed_and_plain_codes_are_not():
    row = one_row(person(role="coordinatrice", langues="Français, Haitian Creole", repertoire="x"), "participants")
    assert said(row) == ["role : « coordinatrice » lu comme « Coordination »",
                         "langues : « Français, Haitian Creole » lu comme « français, créole haïtien »",
                         "repertoire : « x » lu comme « dans le répertoire »"]
    plain = one_row(person(role="Coordination", langues="fr ht", repertoire="Oui"), "participants")
    assert said(plain) == []
    organisation_row = one_row(organisation(secteur="Familles", type="CLSC"), "organisations")
    assert said(organisation_row) == ["secteur : « Familles » lu comme « Famille, enfance, jeunesse »",
                                      "type : « CLSC » lu comme « CIUSSS »"]
    assert said(one_row(organisation(), "organisations")) == []


def test_defaults_and_a_completed_website_are_said_on_a_created_organisation():
    row = one_row(organisation(type="", langues="", site_web="www.orgimp.example"), "organisations")
    assert row.values["website"] == "https://www.orgimp.example"
    assert said(row) == ["Adresse du site complétée : https://www.orgimp.example",
                         "langues : français (colonne vide)", "type : organisme communautaire (colonne vide)"]


def test_a_new_job_of_an_existing_person_says_its_start():
    text = "\n".join([HEADER, "Déjà Là;deja@exemple.org;;Carrefour Villeray;vsp;;;;"])
    row = one_row(text, "participants")
    assert row.action == "update" and "depuis : aujourd'hui (date du jour)" in said(row)
    unchanged = one_row("\n".join([HEADER, "Déjà Là;deja@exemple.org;;o-mn-01;mn;;fr;oui;"]), "participants")
    assert unchanged.action == "unchanged" and said(unchanged) == []  # no job started: no start to speak of


@pytest.mark.parametrize(("day", "french"), [(date(2024, 9, 1), "1er septembre 2024"),
                                             (date(2025, 2, 21), "21 février 2025")])
def test_a_date_in_words(day, french):
    assert csv_cells.in_words(day) == french


# --- one web address rule for the forms and the import ------------------------------------------------


@pytest.mark.parametrize(("typed", "reason"), [
    ("exemple", "host"), ("localhost", "host"), ("http://localhost:5000/", "host"), ("https://exemple.", "host"),
    ("https://a..org", "host"), ("ex ample.org", "spaces"), ("https://exemple.org/a b", "spaces"),
    ("javascript:alert(1)", "scheme"), ("ftp://exemple.org", "scheme"), ("https://", "scheme"),
])
def test_a_web_address_needs_a_host_with_a_dot_and_no_space(typed, reason):
    with pytest.raises(WebAddressError) as error:
        web_url(typed)
    assert error.value.reason == reason


def test_the_import_says_why_a_website_is_refused():
    for typed, why in (("exemple", "il manque le nom de domaine, avec son point (ex. exemple.org)"),
                       ("ex ample.org", "une adresse web ne contient pas d'espace"),
                       ("ftp://exemple.org", "seules les adresses http:// ou https:// sont acceptées")):
        row = one_row(organisation(site_web=typed), "organisations")
        assert row.action == "reject" and f"Site web invalide : « {typed} » ({why})." in reasons(row)
