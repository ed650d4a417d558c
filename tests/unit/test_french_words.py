"""Small French rules the pages and e-mails apply to names (referral/labels.py)."""

import pytest

from referral.labels import elide, first_name


@pytest.mark.parametrize("text,said", [
    ("de la part de Annie Côté", "de la part d'Annie Côté"),
    ("reçue de Hélène (n° 12)", "reçue d'Hélène (n° 12)"),
    ("De Émile", "D'Émile"),
    ("de la part de Souad", "de la part de Souad"),
    ("de 9 h à 17 h", "de 9 h à 17 h"),
])
def test_de_elides_before_a_vowel(text, said):
    assert elide(text) == said


def test_colleagues_are_greeted_by_first_name():
    assert first_name("Jean-Robert Pierre-Louis") == "Jean-Robert" and first_name("") == "" and first_name(None) == ""


def test_only_the_de_before_the_name_elides():
    # Found in review: the whole subject was elided, names included (« Marie de Oliveira »).
    assert elide("reçue de Marie de Oliveira", "Marie de Oliveira") == "reçue de Marie de Oliveira"
    assert elide("reçue de Annie de Oliveira", "Annie de Oliveira") == "reçue d'Annie de Oliveira"
