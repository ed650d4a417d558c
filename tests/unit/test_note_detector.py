"""The note detector on its own (no Neo4j): Presidio over the French spaCy model, loaded once, the
rules beside it, the allow-lists and what the worker is told."""

import statistics
import time

import pytest

from referral.referrals import note_detector
from referral.referrals.note_check import Allowed, Finding, describe, identifying_details
from tests.note_table import ALLOWED, PASSING, REFUSED

PARTIES = Allowed(workers=("Souad Amrani", "Mohamed Cherif"), parties=("Souad Amrani", "Annie Côté"))


def found(note, allowed=PARTIES):
    return [(f.kind, f.text) for f in identifying_details(note, allowed)]


def test_presidio_runs_the_french_model_once_per_process():
    engine = note_detector.analyzer()
    assert engine is note_detector.analyzer()
    assert list(engine.nlp_engine.nlp) == ["fr"]  # never en_core_web_lg
    assert engine.nlp_engine.nlp["fr"].meta["name"] == "core_news_sm"
    assert engine.supported_languages == ["fr"]


def test_the_model_finds_a_name_no_rule_knows():
    analysis = note_detector.analyse("Rencontré Ahmed hier au parc.")
    assert any(kind == "PERSON" and start <= 10 and end == 15 for kind, start, end in analysis.entities)
    assert found("Rencontré Ahmed hier au parc.") == [("first_name", "Ahmed")]


def test_the_receiver_and_the_sender_may_be_named():
    assert found("Bonjour Souad, merci! Annie") == []
    assert found("Bonjour Mme Amrani, mère de 2 enfants.") == []
    assert found("Bonjour Souad, la famille Amrani arrive.") == [("family_name", "Amrani")]


def test_a_workers_full_name_may_be_named_but_not_in_a_family_context():
    assert found("Mohamed Cherif du CLSC m'a parlé de cette fam.") == []
    assert found("Le père, Mohamed, parle arabe.") == [("first_name", "Mohamed")]
    assert found("Mohamed est venu seul.") == [("first_name", "Mohamed")]  # only the full name is a worker's


def test_the_apps_vocabulary_is_not_a_name():
    places = Allowed(places=("Maison de la Famille Saint-Michel", "Montréal-Nord", "Santé mentale"))
    assert found("Vue à la Maison de la Famille Saint-Michel, Montréal-Nord. Santé mentale.", places) == []
    assert found("La famille Saint-Michel est arrivée.", places) == [("family_name", "Saint-Michel")]


@pytest.mark.parametrize("note,expected", [
    ("Écrire à amina.b@videotron.ca", ("email", "amina.b@videotron.ca")),
    ("Cell : +1 438 555 0199", ("phone", "+1 438 555 0199")),
    ("Numéro RAMQ : TREM 8003 1512", ("health_card", "TREM 8003 1512")),
    ("file no. 4521 at the CLSC", ("file_number", "no. 4521")),
    ("Habite au 12, avenue Papineau", ("address", "12, avenue Papineau")),
    ("Lives at 55 Main Street", ("address", "55 Main Street")),
    ("Code postal : h1h 2z4", ("postal_code", "h1h 2z4")),
    ("DDN : 1988-03-12", ("birth_date", "DDN : 1988-03-12")),
])
def test_each_rule(note, expected):
    assert expected in found(note)


def test_the_worker_is_told_what_was_found():
    findings = identifying_details("Le père, Mohamed, habite au 1234 rue Lacordaire.", PARTIES)
    assert [(f.kind, f.text) for f in findings] == [("first_name", "Mohamed"), ("address", "1234 rue Lacordaire")]
    assert describe(findings).startswith(
        "Nous avons repéré : un prénom (Mohamed), une adresse (1234 rue Lacordaire) — reformulez sans ces détails")
    benali = describe([Finding("family_name", "Benali", 0, 6)])
    assert benali.startswith("Nous avons repéré : un nom de famille (Benali)")


def test_an_empty_note_is_fine():
    assert identifying_details(None) == [] and identifying_details("  ") == []


def test_a_check_takes_well_under_a_tenth_of_a_second():
    notes = PASSING + [note for note, _kind, _text in REFUSED]
    identifying_details(notes[0], ALLOWED)  # the model is loaded by now
    times = []
    for note in notes:
        start = time.perf_counter()
        identifying_details(note, ALLOWED)
        times.append(time.perf_counter() - start)
    # ~40 ms a note on a quiet laptop core; the bound leaves room for a busy CI machine.
    assert statistics.median(times) < 0.1, f"median {statistics.median(times) * 1000:.0f} ms"


def test_a_compound_family_name_is_not_called_a_first_name():
    """Found by the outside pass: « un prénom (Tremblay-Ouedraogo) »."""
    assert found("Rencontré Tremblay-Ouedraogo hier au parc.") == [("name", "Tremblay-Ouedraogo")]
    assert found("Rencontré Marie-Ève hier au parc.") == [("first_name", "Marie-Ève")]
