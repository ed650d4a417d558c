"""One folding for every door: the CSV importer, the HSDS importer and the search terms agreed on
« Montréal-Nord » but not on « Montreal Nord » (the HSDS importer kept the dash)."""

import pytest

from graph.repositories.needs import search_terms
from interop.folding import fold


@pytest.mark.parametrize("spelling", ["Montréal-Nord", "Montreal Nord", "MONTRÉAL–NORD", " montréal_nord ",
                                      "Montréal — Nord",
                                      # Found by the outside pass: a non-breaking hyphen and a minus sign slipped past.
                                      "Montréal\u2011Nord", "Montréal\u2212Nord", "Montréal\u2010Nord"])
def test_every_spelling_of_a_territory_folds_alike(spelling):
    assert fold(spelling) == "montreal nord"


def test_apostrophes_accents_and_spaces():
    assert fold("Centre d’accueil  des   Nouveaux Arrivants") == fold("centre d'accueil des nouveaux arrivants")
    assert fold(None) == "" and fold("   ") == ""


def test_search_terms_use_the_same_folding():
    assert search_terms("Santé mentale, aide-alimentaire") == ["sante", "mentale", "aide", "alimentaire"]
