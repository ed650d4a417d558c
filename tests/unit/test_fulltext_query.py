"""The need matching's full-text query, built from the words typed (graph/repositories/needs.py): folded
words, fuzziness by length, Lucene's syntax only ever taken as words."""

from graph.repositories.needs import fulltext_query, lucene_escape, search_terms


def test_query_building():
    assert search_terms("Santé mentale de la mère") == ["sante", "mentale", "mere"]
    assert (fulltext_query(["sante", "mentale"], True, ("a", "b"))
            == "(a:sante~1 OR b:sante~1) AND (a:mentale~1 OR b:mentale~1)")
    assert (fulltext_query(["francisation", "cours", "aide"], False, ("a",))
            == "(a:francisation~2) OR (a:cours~1) OR (a:aide)")
    assert fulltext_query(["or"], True, ("a",)) == '(a:"or")'
    assert lucene_escape('a:b(c)') == 'a\\:b\\(c\\)'
