"""A referral must not identify the family: the note is checked before the referral is sent.

Two detectors, and what the note may name anyway:

- rules (regular expressions) for e-mails, phone numbers, health-card (RAMQ) and file numbers, dates of
  birth, street addresses and postal codes, ages with a first name (« Amina, 34 ans »), and names in
  a family context (« la famille Benali », « le père, Mohamed », « Mme Diallo », « the Smith family »);
- spaCy's named entities through Presidio (note_detector) for names said any other way, and two
  capitalised words in a row, which in French is almost always a name.

A name is not reported when it is the receiver's or the sender's (« Bonjour Souad »), or when it lies
inside a phrase the directory knows (a listed worker's full name, an organisation, a territory, a
need: `Allowed`) — unless it stands in a family context, where even a worker's first name is the
family's. Capitalised words that are not names (greetings, days, family words, places and organisations
by spaCy) are dropped first. It cannot catch everything (the form says so); a false alarm is cheap.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from graph.repositories.note_vocabulary import NoteVocabularyRepository
from referral.referrals import note_detector

# Letters of names from everywhere (« Ramírez », « Đặng »): Latin-1, Latin Extended A/B and Vietnamese. The
# extended blocks mix both cases; whether a word is capitalised is asked of str.isupper().
UPPER = "A-ZÀ-ÖØ-ÞĀ-ɏḀ-ỿ"
LOWER = "a-zß-öø-ÿĀ-ɏḀ-ỿ"
NAME_WORD = rf"[{UPPER}][{LOWER}]+(?:[-'][{UPPER}{LOWER}][{LOWER}]+)*"
NAME = rf"{NAME_WORD}(?:\s+{NAME_WORD})?"
CAPITALS = rf"[{UPPER}]{{2,}}(?:-[{UPPER}]{{2,}})?"  # « Mme BENALI »
WORD = re.compile(rf"[{UPPER}{LOWER}]+(?:[-'][{UPPER}{LOWER}]+)*")

FAMILY_WORDS = (
    "famille fam family père mère pere mere papa maman parent parents fils fille enfant enfants bébé bebe "
    "ado adolescent adolescente garçon aîné aînée cadet cadette conjoint conjointe mari époux épouse femme "
    "frère sœur soeur grand-mère grand-père tante oncle cousin cousine father mother dad mom mum son "
    "petit petite bambin fillette daughter child kid baby boy girl teen husband wife spouse brother sister "
    "grandmother grandfather aunt uncle"
).split()
# Common parts of compound first names (« Jean-Robert », « Marie-Ève »): any other compound is a family name.
FIRST_NAME_PARTS = set("jean marie pierre paul louis anne ève eve claude luc marc michel françois josé".split())
TITLES = "m mme mlle mr mrs ms madame monsieur mademoiselle dr".split()
# Where families come from (« parents de Haïti »), French and English; not first names here (France, Maurice).
COUNTRIES = (
    "haïti haiti syrie syria maroc morocco algérie algeria tunisie tunisia liban lebanon égypte egypt yémen "
    "yemen palestine jordanie jordan libye libya irak iraq iran afghanistan pakistan inde india bangladesh "
    "népal nepal chine china vietnam viêt philippines cambodge cambodia congo rdc cameroun cameroon sénégal "
    "senegal mali guinée guinea ivoire burundi rwanda nigeria ghana érythrée eritrea éthiopie ethiopia somalie "
    "somalia soudan sudan tchad chad niger bénin benin togo burkina madagascar comores djibouti gabon mexique "
    "mexico colombie colombia venezuela pérou peru chili chile guatemala honduras nicaragua cuba jamaïque "
    "jamaica équateur ecuador bolivie bolivia brésil brazil argentine argentina ukraine russie russia turquie "
    "turkey moldavie moldova roumanie romania afrique africa amérique america asie asia europe"
).split()
# Capitalised words that are not names: greetings and politeness, days and months, workers' shorthand.
COMMON_WORDS = set(FAMILY_WORDS + TITLES + (
    "bonjour bonsoir salut allo allô coucou cher chère hello hi hey dear merci thanks thank svp stp please "
    "bonne bon note besoin urgent rdv re ok oui non aussi elle il ils elles she he they the la le les "
    "lundi mardi mercredi jeudi vendredi samedi dimanche monday tuesday wednesday thursday friday saturday "
    "sunday janvier février mars avril mai juin juillet août septembre octobre novembre décembre january "
    "february march april may june july august september october november december dispo tel tél pm am "
    "arabe anglais français espagnol créole wolof swahili lingala persan farsi dari pachto ourdou hindi "
    "pendjabi bengali tamoul mandarin cantonais chinois vietnamien russe ukrainien portugais turc tigrigna "
    "amharique somali kinyarwanda arabic english french spanish creole persian urdu punjabi tamil chinese "
    "vietnamese russian ukrainian portuguese turkish amharic dossier "
    # imperatives that open a worker's sentence (the small model takes « Joignez » for a first name)
    "joignez appelez rappelez contactez écrivez texte textez passez prévoir prévoyez veuillez voir vérifier "
    "call text contact reach préfère prefere cherche habite demeure vit parle souhaite aimerait voudrait "
    "besoin recherche arrivée arrivé arrivés téléphone telephone courriel adresse disponible disponibilités "
    "looking lives speaks prefers needs wants appeler texto textos numéro numero garderie liste place inscrite "
    "inscrit inscrits inscrites allocation allocations répit"
).split() + COUNTRIES)
# spaCy's parts of speech and entity types that a first or last name never is.
NOT_NAME_POS = {"VERB", "AUX", "DET", "PRON", "ADP", "CCONJ", "SCONJ", "NUM", "PUNCT", "ADV"}
# Not places: the small model takes « Fatima Haddad » for one; the directory's places are allowed by name.
NOT_NAME_ENTITY = {"ORG", "MISC"}
# Programs and services workers name every day (never a family).
APP_WORDS = ("Espace Intervenants", "Réseau EI", "CLSC", "CIUSSS", "RAMQ", "IRCC", "CPE", "Emploi-Québec",
             "Services Québec", "Revenu Québec", "Francisation Québec", "La Place 0-5", "Place 0-5")

_family = "|".join(w for w in FAMILY_WORDS if w not in ("fam",))
_street = (r"rue|avenue|av\.?|ave\.?|boulevard|boul\.?|bd|chemin|ch\.|place|rang|montée|croissant|impasse|"
           r"allée|promenade|terrasse|côte|route|street|st\.?|road|rd\.?|blvd\.?|drive|dr\.?|lane|crescent|court")
_number_words = ("un|une|deux|trois|quatre|cinq|six|sept|huit|neuf|dix|onze|douze|treize|quatorze|quinze|seize|"
                 "one|two|three|four|five|seven|eight|nine|ten|eleven|twelve")
_age = rf"(?:\d{{1,2}}|(?i:{_number_words}))\s*(?:ans|an|years?(?:\s+old)?|yrs?|y\.?o\.?|mois|months?)\b"
ANY_CASE = re.IGNORECASE
# (kind, pattern, group holding the finding, sure): for names, how far the context vouches for them —
# None: nothing (the words must look like a name to spaCy, and any allow-list excuses them); TITLE: « Mme »
# says it is a name, perhaps a worker's; AGE: « Amina, 34 ans » is the family, though the word must look
# like a name; FAMILY: a family word says it is the family's name, whatever spaCy thinks.
TITLE, AGE, FAMILY, NAMED = "title", "age", "family", "named"
# After « s'appelle » a word is a name even typed in lower case, unless it is one of these.
NOT_NAMED = set("comment pas plus ainsi aussi souvent parfois également comme donc bien".split())
RULES = (
    ("email", re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"), 0, None),
    ("email", re.compile(r"[\w.+-]+\s*[(\[{]\s*(?:at|arobase|@)\s*[)\]}]\s*[\w-]+(?:\.[\w-]+)+", ANY_CASE), 0, None),
    # « fatou point diallo at gmail point com »: an address spelled out to get past the check
    ("email", re.compile(r"\b\w+(?:\s+(?:point|dot)\s+\w+)*\s+(?:at|arobase|@)\s+\w+(?:\s+(?:point|dot)\s+\w+)*"
                         r"\s+(?:point|dot)\s+(?:com|ca|org|net|fr|qc)\b", ANY_CASE), 0, None),
    ("phone", re.compile(r"(?:\+?1[\s.-]?)?\(?\d{3}\)?[\s.-]?\d{3}[\s.-]?(?:\d{4}|\d{2}[\s.-]\d{2})\b"), 0, None),
    ("health_card", re.compile(r"\b[A-Za-z]{4}\s?\d{4}\s?\d{4}\b"), 0, None),
    ("birth_date", re.compile(r"\b(?:née?s?\s+le|date\s+de\s+naissance|ddn|dob|born(?:\s+on)?)\s*:?\s*\d{1,4}"
                              r"(?:[\s/.-]+\w+){0,2}", ANY_CASE), 0, None),
    # « Date of birth: March 3, 2017 », « her birthday is April 3rd, 2016 », « anniversaire le 3 mars »
    ("birth_date", re.compile(r"\b(?:date\s+of\s+birth|birth\s*date|birthday|anniversaire|date\s+de\s+naissance)"
                              r"\b[^.;\n]{0,20}?\d{1,4}(?:[\s/,-]+\w+){0,3}", ANY_CASE), 0, None),
    ("address", re.compile(rf"\b\d{{1,5}}[A-Za-z]?(?:-\d{{1,5}})?,?\s+(?:{_street})(?!\w)(?:\s+(?:de\s+la\s+|du\s+|"
                           rf"des\s+|de\s+|d')?[\w'-]+)?", ANY_CASE), 0, None),
    ("address", re.compile(rf"\b\d{{1,5}}\s+(?:[{UPPER}][\w'-]*\s+){{1,3}}(?:Street|St\.?|Avenue|Ave\.?|Road|"
                           r"Rd\.?|Boulevard|Blvd\.?|Drive|Lane|Crescent|Court)(?!\w)"), 0, None),
    ("address", re.compile(r"\b\d{1,3}\s?(?:e|è|ème|eme|re|er|th|st|nd|rd)\s+(?:avenue|av\.?|rue|street|ave\.?)"
                           r"(?!\w)", ANY_CASE), 0, None),
    # « rue Pie-IX coin Henri-Bourassa »: a corner says where the family lives as well as a number does
    ("address", re.compile(rf"\b(?:{_street})\s+[\w'-]+(?:\s+[\w'-]+)?\s+(?:coin|angle|corner\s+of)"
                           r"\s+(?:(?:rue|avenue|boulevard|boul\.?|av\.?)\s+)?[\w'-]+", ANY_CASE), 0, None),
    ("address", re.compile(r"\b(?:app(?:artement)?|appt|apt)\.?\s*#?\s*\d{1,4}\b", ANY_CASE), 0, None),
    ("postal_code", re.compile(r"\b[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z]\s?\d[ABCEGHJ-NPRSTV-Z]\d\b",
                               ANY_CASE), 0, None),
    ("file_number", re.compile(r"(?:\b(?:dossier|file|case|réf\.?|référence|no\.?|n°|numéro)|#)\s*:?\s*#?\s*"
                               r"[A-Za-z]{0,4}[-\s]?\d{3,}(?:[-/]\d+)*", ANY_CASE), 0, None),
    ("file_number", re.compile(r"\b\d(?:[\s-]?\d){5,}\b"), 0, None),
    ("file_number", re.compile(r"\b[A-Za-z]{1,5}-?\d{5,}\b"), 0, None),  # « B000123456 », « CLSC-88231 »
    ("age_name", re.compile(rf"\b({NAME_WORD})\s*(?:,|\(|\s(?:a|âgée?\s+de|has|is|aged))\s*{_age}"), 1, AGE),
    ("family_name", re.compile(rf"\b(?i:famille|fam\.|family)\s+(?:(?i:de|des|du|d'|of)\s*)?({NAME})"), 1, FAMILY),
    ("family_name", re.compile(rf"\b({NAME_WORD})\s+(?i:family)\b"), 1, FAMILY),  # English: « the Smith family »
    ("family_name", re.compile(rf"\b(?i:chez\s+les|chez\s+la\s+famille|the)\s+({NAME})(?:'?s)?\b(?!\s+(?i:family))"),
     1, AGE),
    ("name", re.compile(rf"\b({NAME_WORD})['’]s\s+(?i:{_family})\b"), 1, FAMILY),  # « Youssef's mom »
    # « la maman de Youssef »: a family word, then « de » and a name (not a place, for which spaCy is asked)
    ("name", re.compile(rf"\b(?i:{_family})\s+(?i:de|d'|of)\s*({NAME})"), 1, AGE),
    ("name", re.compile(rf"\b(?i:{_family})\b\s*[,:(-]?\s*(?:(?i:nommée?|appelée?|named|called|prénom)\s+)?"
                        rf"({NAME})"), 1, FAMILY),
    ("name", re.compile(rf"\b(?i:s'appell?e|se\s+nomme|nommée?|prénom|nom|named|called|name\s+is)\s*:?\s+"
                        rf"({NAME})"), 1, FAMILY),
    # « la mère s'appelle fatou »: a naming verb vouches for the next word, capitalised or not.
    ("name", re.compile(rf"\b(?i:s'appell?ent|s'appell?e|se\s+nomme|(?:son|her|his)\s+(?:pré)?nom\s+(?:est\s+)?|"
                        rf"names?\s+(?:is|are)|prénoms?\s+(?:est|sont))\s*:?\s*"
                        rf"([{UPPER}{LOWER}]+(?:[-'][{UPPER}{LOWER}]+)*)"), 1, NAMED),
    ("family_name", re.compile(rf"\b(?i:{'|'.join(TITLES)})\.?\s+({NAME}|{CAPITALS})"), 1, TITLE),
    ("name", re.compile(rf"\b{NAME_WORD}(?:\s+{NAME_WORD})+\b"), 0, None),
)
NAME_KINDS = {"name", "family_name", "age_name"}
DESCRIPTIONS = {
    "email": _l("une adresse courriel"),
    "phone": _l("un numéro de téléphone"),
    "health_card": _l("un numéro d'assurance maladie"),
    "file_number": _l("un numéro de dossier"),
    "birth_date": _l("une date de naissance"),
    "address": _l("une adresse"),
    "postal_code": _l("un code postal"),
    "age_name": _l("un prénom avec un âge"),
    "family_name": _l("un nom de famille"),
    "name": _l("un nom"),
    "first_name": _l("un prénom"),
}
PRESIDIO_KINDS = {"PERSON": "name", "PHONE_NUMBER": "phone"}


@dataclass(frozen=True)
class Allowed:
    """What a note may name: `places` (organisations, territories, needs: never a person), `workers` (full
    names of listed people) and `parties` (the receiver and the sender: each word of theirs may stand alone)."""

    places: tuple[str, ...] = ()
    workers: tuple[str, ...] = ()
    parties: tuple[str, ...] = ()

    def words(self) -> frozenset[str]:
        return frozenset(w.lower() for name in self.parties for w in WORD.findall(name or ""))


def _spans(note: str, phrases) -> list[tuple[int, int]]:
    lowered = note.lower()
    return [(m.start(), m.end()) for phrase in phrases if phrase
            for m in re.finditer(re.escape(phrase.lower()), lowered)]


@dataclass(frozen=True)
class Finding:
    kind: str
    text: str
    start: int
    end: int

    @property
    def description(self) -> str:
        return str(DESCRIPTIONS[self.kind])


def _looks_like_name(token, sure: str | None) -> bool:
    """What spaCy says of a capitalised word, as far as the context leaves a doubt: none after a family
    word or a title; before an age, only a common noun that is no person is not a name (the small model
    takes « Youssef » for a place); elsewhere, no verb or organisation either."""
    if sure == NAMED and token is not None and token.text.islower():
        # « s'appelle maintenant »: an adverb, no name; the small model tags unknown lower-case words VERB.
        return token.pos not in (NOT_NAME_POS - {"VERB"}) | {"ADJ"}
    if sure in (FAMILY, TITLE, NAMED) or token is None:
        return True
    if token.pos in NOT_NAME_POS:
        return False
    if sure == AGE:
        return not (token.pos == "NOUN" and token.entity != "PER")
    return token.entity not in NOT_NAME_ENTITY


def _name_words(note: str, start: int, end: int, analysis, sure: str | None) -> list[tuple[int, int]]:
    """The words of a span that can be a name: capitalised, not a common word, and a name for spaCy as far
    as the context leaves a doubt."""
    return [(m.start(), m.end()) for m in WORD.finditer(note, start, end)
            if (m.group(0)[0].isupper() or (sure == NAMED and m.group(0).lower() not in NOT_NAMED))
            and m.group(0).lower() not in COMMON_WORDS
            and (sure or not _acronym(m.group(0)))
            and _looks_like_name(analysis.tokens.get(m.start()), sure)]


def _acronym(word: str) -> bool:
    """« IRCC », « CLSC »: capitals only; a name in capitals (« Mme BENALI ») has a context that says so."""
    return len(word) > 1 and word.isupper()


def _candidates(note: str, analysis) -> list[tuple[str, int, int, str | None]]:
    found = [(kind, m.start(group), m.end(group), sure)
             for kind, pattern, group, sure in RULES for m in pattern.finditer(note)]
    return found + [(PRESIDIO_KINDS[kind], start, end, None) for kind, start, end in analysis.entities
                    if kind in PRESIDIO_KINDS]


def identifying_details(note: str | None, allowed: Allowed = Allowed(), analysis=None) -> list[Finding]:
    """What in the note could identify the family, in the order of the note. `analysis` is
    note_detector.analyse(note), run here when not given."""
    if not note or not note.strip():
        return []
    note = unmasked(note)
    if analysis is None:
        analysis = note_detector.analyse(note)
    places = _spans(note, (*allowed.places, *APP_WORDS))
    people = places + _spans(note, allowed.workers)
    party_words = allowed.words()

    def inside(spans, s, e):
        return any(a <= s and e <= b for a, b in spans)

    findings: list[Finding] = []
    for kind, start, end, sure in _candidates(note, analysis):  # in the order of RULES: the surest first
        if kind in NAME_KINDS:
            words = [(s, e) for s, e in _name_words(note, start, end, analysis, sure) if not inside(places, s, e)]
            if sure not in (AGE, FAMILY, NAMED):  # a family context makes even a worker's first name the family's
                words = [(s, e) for s, e in words
                         if note[s:e].lower() not in party_words and not inside(people, s, e)]
            if not words:
                continue
            start, end = words[0][0], words[-1][1]
            if kind == "name" and len(words) == 1 and not _compound_surname(note[start:end]):
                kind = "first_name"
        elif inside(places, start, end):
            continue
        if any(start < f.end and f.start < end for f in findings):
            continue
        findings.append(Finding(kind, note[start:end], start, end))
    return sorted(findings, key=lambda f: f.start)


# Characters that hide a word from the check: invisible ones (« Famille\u200bBenali ») and Cyrillic or
# Greek letters that look Latin (« Bеnali » with a Cyrillic е).
INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\u00ad"), " ")
LOOKALIKES = str.maketrans("аеорсухіјѕАВЕКМНОРСТХІЈЅαοικνρτυχΑΒΕΗΙΚΜΝΟΡΤΥΧ",
                           "aeopcyxijsABEKMHOPCTXIJSaoikvptuxABEHIKMNOPTYX")


def unmasked(note: str) -> str:
    """The note as a reader sees it: invisible characters as spaces, look-alike letters as Latin ones."""
    return note.translate(INVISIBLE).translate(LOOKALIKES)


def _compound_surname(word: str) -> bool:
    """« Tremblay-Ouedraogo » is a family name; « Jean-Robert » is taken for a first name all the same."""
    parts = word.split("-")
    return len(parts) > 1 and not any(p.lower() in FIRST_NAME_PARTS for p in parts)


def check_note(note: str | None, parties: list[str | None], repository) -> list[Finding]:
    """identifying_details, allowing what the directory knows: the parties' names (receiver and sender
    ids), and the listed workers, organisations, territories and needs the note names (asked of
    `repository(cls)`)."""
    if not note or not note.strip():
        return []
    known = repository(NoteVocabularyRepository).mentioned(note, [p for p in parties if p])
    return identifying_details(note, Allowed(*(tuple(known[k]) for k in ("places", "workers", "parties"))))


def describe(findings: list[Finding]) -> str:
    """« Nous avons repéré : un prénom (Mohamed), une adresse (1234 rue Lacordaire) — reformulez… »"""
    what = ", ".join(f"{f.description} ({f.text})" for f in findings)
    return _("Nous avons repéré : %(what)s — reformulez sans ces détails pour ne pas identifier la famille.",
             what=what)
