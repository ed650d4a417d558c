"""The NLP half of the note check: Presidio Analyzer over spaCy's small French model.

Presidio finds person names (spaCy's named entities) and phone numbers (libphonenumber, for Canada, the
United States and France; e-mails are note_check's rule: Presidio's recognizer would fetch a list of
domain suffixes from the network); the spaCy tokens come back too, with their part of speech
and entity type, so that note_check can tell a name from a capitalised word. English notes go through
the same French pipeline: its named-entity model still finds most names, and the rules of note_check
cover English wording.

The model is loaded once per process, on the first note checked (a few seconds); Presidio is told the
model to use, so it never tries to download its default English one.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

MODEL = "fr_core_news_sm"
LANGUAGE = "fr"
ENTITIES = ("PERSON", "PHONE_NUMBER")
PHONE_REGIONS = ("CA", "US", "FR")
NLP_CONFIGURATION = {
    "nlp_engine_name": "spacy",
    "models": [{"lang_code": LANGUAGE, "model_name": MODEL}],
    "ner_model_configuration": {
        "model_to_presidio_entity_mapping": {"PER": "PERSON", "LOC": "LOCATION", "ORG": "ORGANIZATION",
                                             "MISC": "MISC"},
        "low_score_entity_names": [],
        "labels_to_ignore": [],
    },
}


@dataclass(frozen=True)
class Token:
    start: int
    end: int
    text: str
    pos: str  # spaCy's universal part of speech (PROPN, NOUN, VERB…)
    entity: str  # spaCy's entity type (PER, LOC, ORG, MISC) or ""


@dataclass(frozen=True)
class Analysis:
    entities: list[tuple[str, int, int]]  # (Presidio entity type, start, end)
    tokens: dict[int, Token]  # by start offset


_lock = threading.Lock()
_analyzer = None


def analyzer():
    """The process's Presidio AnalyzerEngine, built on first use (threads wait for the one load)."""
    global _analyzer
    if _analyzer is None:
        with _lock:
            if _analyzer is None:
                _analyzer = _build()
    return _analyzer


def warm_up() -> None:
    """Load the analyzer in the background (6–14 s on this machine: spaCy's French model): called when the
    referral form is shown, so that the first note after a restart is not the one that waits."""
    if _analyzer is None:
        threading.Thread(target=analyzer, name="note-checker-load", daemon=True).start()


def _build():
    from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
    from presidio_analyzer.nlp_engine import NlpEngineProvider
    from presidio_analyzer.predefined_recognizers import PhoneRecognizer, SpacyRecognizer

    registry = RecognizerRegistry(supported_languages=[LANGUAGE])
    registry.add_recognizer(SpacyRecognizer(supported_language=LANGUAGE, supported_entities=["PERSON"]))
    registry.add_recognizer(PhoneRecognizer(supported_language=LANGUAGE, supported_regions=PHONE_REGIONS))
    engine = NlpEngineProvider(nlp_configuration=NLP_CONFIGURATION).create_engine()
    return AnalyzerEngine(nlp_engine=engine, registry=registry, supported_languages=[LANGUAGE])


def analyse(note: str) -> Analysis:
    engine = analyzer()
    artifacts = engine.nlp_engine.process_text(note, LANGUAGE)
    results = engine.analyze(note, language=LANGUAGE, entities=list(ENTITIES), nlp_artifacts=artifacts)
    tokens = {t.idx: Token(t.idx, t.idx + len(t.text), t.text, t.pos_, t.ent_type_) for t in artifacts.tokens}
    entities = sorted((r.entity_type, r.start, r.end) for r in results)
    return Analysis(entities, tokens)
