"""The taxonomy of needs, and what free text names in it: needs and services, through the full-text
index (accents folded, typos tolerated), or a taxonomy id taken as is."""

from __future__ import annotations

import re

from neo4j import ManagedTransaction

from graph.driver import Repository
from graph.schema import SEARCH_INDEX
from interop.folding import fold

# A hit is kept when it scores at least this share of the best hit of its kind: "santé" alone names
# physical health first, and mental health only as a weaker, dropped, second.
RELEVANCE_CUTOFF = 0.5
# Services repeat across organisations (« Cours de francisation » everywhere): enough to expand from.
MAX_SERVICE_HITS = 200
# Lucene's query syntax: each of these is escaped so that user input is only ever words.
LUCENE_SPECIAL = re.compile(r'([+\-&|!(){}\[\]^"~*?:\\/])')
LUCENE_OPERATORS = {"and", "or", "not", "to"}
# French words that carry no meaning in a need and would match almost every document.
STOP_WORDS = {"de", "des", "du", "la", "le", "les", "l", "d", "et", "a", "au", "aux", "en", "pour", "un", "une",
              "sur", "avec", "par", "the", "of", "for"}


# Words that name a service rather than a need, as French descriptions do not write them: looked for
# with their French forms (folded) in services and organisations. Needs carry their own synonyms in the
# taxonomy (seed/reference/taxonomy.py); these have no need of their own.
SERVICE_SYNONYMS = {
    "interpreter": ("interprete", "interpretariat"), "interpreters": ("interprete", "interpretariat"),
    "interpretation": ("interprete", "interpretariat"), "interprete": ("interpretariat", "traduction"),
    "interpretariat": ("interprete", "traduction"), "translator": ("traduction", "interprete"),
    "translation": ("traduction", "interprete"), "traducteur": ("traduction", "interprete"),
    "traductrice": ("traduction", "interprete"), "traduction": ("interprete", "interpretariat"),
}


def lucene_escape(term: str) -> str:
    return LUCENE_SPECIAL.sub(r"\\\1", term)


def search_terms(text: str) -> list[str]:
    """The meaningful words of a need typed by a person, folded, in order, without repeats."""
    words = re.findall(r"\w+", fold(text))
    seen: list[str] = []
    for word in words:
        if word not in STOP_WORDS and word not in seen and len(word) > 1:
            seen.append(word)
    return seen


def _lucene_term(term: str, fuzzy: bool) -> str:
    escaped = lucene_escape(term)
    if term in LUCENE_OPERATORS:
        return f'"{escaped}"'
    if fuzzy and len(term) >= 8:
        return escaped + "~2"
    if fuzzy and len(term) >= 5:
        return escaped + "~1"
    return escaped


def elided(term: str) -> tuple[str, ...]:
    """The forms the index keeps for a French word after l' or d' (« l'amitié » is one token there)."""
    return (f"l'{term}", f"d'{term}") if term[:1] in "aeiouyh" else ()


def fulltext_query(terms: list[str], every_term: bool, fields: tuple[str, ...], fuzzy: bool = True,
                   synonyms: dict[str, tuple[str, ...]] | None = None, elisions: bool = False) -> str:
    """A Lucene query over the words, each (or one of its `synonyms`, or with `elisions` its elided
    forms) looked for in any of `fields`: fuzzy on longer words (one edit from 5 letters, two from 8),
    joined by AND (every word must match) or OR (any word)."""
    groups = []
    for term in terms:
        alternatives = (term, *(synonyms or {}).get(term, ()), *(elided(term) if elisions else ()))
        forms = [_lucene_term(form, fuzzy) for form in alternatives]
        groups.append("(" + " OR ".join(f"{field}:{form}" for form in forms for field in fields) + ")")
    return (" AND " if every_term else " OR ").join(groups)


# Needs are searched in the fields only needs have, so thousands of look-alike services can never
# push a need out of the hits; services and organisations in theirs, the best MAX_SERVICE_HITS of them
# (an organisation named, « Maison d'Haïti », stands for every service it offers — when the words name
# no need: « Francisation » must not bring everyone at « Accueil et francisation »). Typos are
# tolerated on needs (labels and synonyms) only: the services' `name` field also holds every person's
# and organisation's name, a dictionary too large to search fuzzily on every request. Archived services and
# organisations are never hits (graph/repositories/archive.py). A hit is kept when it scores at least
# RELEVANCE_CUTOFF of the best of its kind, and a service that addresses a kept need is dropped: the need
# already brings it. One statement, one round trip; a taxonomy id skips the full-text search, and when every
# word must match, the words as typed are tried before their typos — building the fuzzy automata costs
# milliseconds per field, and most needs are typed right.
NEED_FIELDS = ("label_fr", "label_en", "keywords")
SERVICE_FIELDS = ("name", "description")


def _need_hits(query: str, column: str) -> str:
    return f"""
    CALL db.index.fulltext.queryNodes('{SEARCH_INDEX}', ${query}) YIELD node, score
    WHERE node:Need
    WITH collect({{need: node, score: score}}) AS hits, max(score) AS best
    RETURN [hit IN hits WHERE hit.score >= $cutoff * best | hit.need] AS {column}"""


MATCH_NEEDS = f"""
OPTIONAL MATCH (exact:Need {{id: $text}})
CALL (exact) {{
    WITH exact WHERE exact IS NULL
    {_need_hits("need_query", "needs")}
}}
CALL (exact, needs) {{
    WITH exact WHERE exact IS NULL AND size(needs) = 0 AND $fuzzy_query <> ''
    {_need_hits("fuzzy_query", "typos")}
}}
WITH exact, needs + typos AS needs
CALL (exact, needs) {{
    WITH exact, needs WHERE exact IS NULL
    CALL db.index.fulltext.queryNodes('{SEARCH_INDEX}', $service_query, {{limit: $limit}}) YIELD node, score
    WHERE node.archived_on IS NULL AND (node:Service OR (node:Organisation AND size(needs) = 0))
    WITH collect({{hit: node, score: score}}) AS hits, max(score) AS best, [n IN needs | n.id] AS need_ids
    UNWIND hits AS hit
    WITH hit.hit AS found, need_ids WHERE hit.score >= $cutoff * best
    UNWIND CASE WHEN found:Organisation THEN [(found)-[:OFFERS]->(s:Service) WHERE s.archived_on IS NULL | s]
                ELSE [found] END AS s
    WITH DISTINCT s, need_ids
    WHERE NOT EXISTS {{ (s)-[:ADDRESSES]->(n:Need) WHERE n.id IN need_ids }}
    RETURN collect(s.id) AS services
}}
RETURN exact {{.id, .label_fr, .label_en}} AS exact, [n IN needs | n {{.id, .label_fr, .label_en}}] AS needs,
       services
"""


def match_parameters(text: str, terms: list[str], every_term: bool) -> dict:
    """The parameters of MATCH_NEEDS for these words. When any word may match, typos are tolerated at
    once: a word typed right must not hide another one's typo (« avocat fransisation »)."""
    typed = fulltext_query(terms, every_term, NEED_FIELDS, fuzzy=False)
    typos = fulltext_query(terms, every_term, NEED_FIELDS)
    return dict(text=text, need_query=typed if every_term else typos,
                fuzzy_query=typos if every_term and typos != typed else "",  # never null: one plan
                service_query=fulltext_query(terms, every_term, SERVICE_FIELDS, fuzzy=False,
                                             synonyms=SERVICE_SYNONYMS, elisions=True),
                cutoff=RELEVANCE_CUTOFF, limit=MAX_SERVICE_HITS)


def _match(tx: ManagedTransaction, text: str, terms: list[str], every_term: bool) -> dict:
    if not terms:
        record = tx.run("MATCH (n:Need {id: $text}) RETURN n {.id, .label_fr, .label_en} AS exact",
                        text=text).single()
        return {"exact": record["exact"] if record else None, "needs": [], "services": []}
    return tx.run(MATCH_NEEDS, **match_parameters(text, terms, every_term)).single().data()


def match_words(tx: ManagedTransaction, text: str) -> dict:
    """The needs and services named by `text`: a taxonomy id as is, else every word (then any word)
    matched against needs, their synonyms and services, accents folded and typos tolerated."""
    stripped = text.strip()
    terms = search_terms(stripped)
    found = _match(tx, stripped, terms, every_term=True)
    if found["exact"]:
        return {"needs": [found["exact"]], "services": []}
    if not found["needs"] and not found["services"] and len(terms) > 1:
        found = _match(tx, stripped, terms, every_term=False)
    return {"needs": found["needs"], "services": found["services"]}


def _taxonomy(tx: ManagedTransaction) -> list[dict]:
    return [dict(r["need"]) for r in tx.run(
        "MATCH (n:Need) RETURN n {.id, .label_fr, .label_en, .keywords} AS need ORDER BY n.label_fr")]


class NeedRepository(Repository):
    def list(self) -> list[dict]:
        """The taxonomy, read once a minute at most: every search, profile and referral form shows it."""
        return self.read_kept("needs", _taxonomy)

    def named(self, need_id: str) -> dict | None:
        """The need whose id is `need_id` ({id, label_fr, label_en}), from the taxonomy `list` keeps: no
        statement. A search by id (the form's list, the API) need not match words."""
        return self.read_kept("needs", _taxonomy, pick=lambda needs: next(
            ({key: n[key] for key in ("id", "label_fr", "label_en")} for n in needs if n["id"] == need_id), None))

    def match(self, text: str) -> dict:
        """The needs and services named by `text` (see `match_words`)."""
        return self.read(lambda tx: match_words(tx, text))
