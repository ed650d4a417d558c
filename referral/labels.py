"""The one table of display labels for stored codes (needs, roles, sectors, languages, tie origins, accounts,
referrals), in the user's language; every template sees them."""

from __future__ import annotations

import re

from flask_babel import get_locale
from flask_babel import lazy_gettext as _l

from interop.folding import fold
from referral.links import safe_href
from referral.plain_text import visible

SECTOR_LABELS = {
    "family": _l("Communautaire – petite-enfance / jeunesse / famille"),
    "newcomers": _l("Communautaire – accueil et intégration des nouveaux arrivants"),
    "community_other": _l("Communautaire – autres (services juridiques, femmes)"),
    "institutional": _l("Institutionnel (CIUSSS, bibliothèques, centre de services scolaire)"),
}
SECTOR_SHORT_LABELS = {  # the same sectors in a table's narrow columns
    "family": _l("Famille, enfance, jeunesse"), "newcomers": _l("Nouveaux arrivants"),
    "community_other": _l("Autres communautaires"), "institutional": _l("Institutionnel"),
}
KIND_LABELS = {
    "community": _l("organisme communautaire"),
    "ciusss": _l("CIUSSS"),
    "library": _l("bibliothèque"),
    "school_service_centre": _l("centre de services scolaire"),
}
ROLE_LABELS = {  # the function, not the person (OQLF's epicene writing): right for anyone who holds it
    "intervenant_communautaire": _l("Intervention communautaire"),
    "intervenant_social": _l("Intervention sociale"),
    "agent_efc": _l("Liaison école-famille-communauté"),
    "agent_mobilisation": _l("Mobilisation"),
    "coordination": _l("Coordination"),
    "educatrice": _l("Éducation à la petite enfance"),
    "conseillere_francisation": _l("Conseil en francisation"),
    "conseillere_juridique": _l("Conseil juridique"),
    "travailleuse_milieu": _l("Travail de milieu"),
    "bibliothecaire": _l("Bibliothèque"),
    "parent_partenaire": _l("Parent partenaire"),
}
# The titles people write in a file (either form, or the inclusive one, as labels once read), folded, for
# each function's code: the CSV and HSDS imports read them besides the labels.
ROLE_ALIASES = {fold(title): code for code, titles in {
    "intervenant_communautaire": ("intervenant communautaire", "intervenante communautaire",
                                  "intervenant.e communautaire"),
    "intervenant_social": ("intervenant social", "intervenante sociale", "intervenant.e social.e",
                           "travailleur social", "travailleuse sociale"),
    "agent_efc": ("agent école-famille-communauté", "agente école-famille-communauté",
                  "agent.e école-famille-communauté", "agent de liaison", "agente de liaison", "efc"),
    "agent_mobilisation": ("agent de mobilisation", "agente de mobilisation", "agent.e de mobilisation"),
    "coordination": ("coordonnateur", "coordonnatrice", "coordinateur", "coordinatrice"),
    "educatrice": ("éducateur", "éducatrice", "éducateur.trice", "éducatrice en petite enfance"),
    "conseillere_francisation": ("conseiller en francisation", "conseillère en francisation",
                                 "conseiller.ère en francisation"),
    "conseillere_juridique": ("conseiller juridique", "conseillère juridique", "conseiller.ère juridique"),
    "travailleuse_milieu": ("travailleur de milieu", "travailleuse de milieu", "travailleur.euse de milieu"),
    "bibliothecaire": ("bibliothécaire",),
}.items() for title in titles}
# Frey et al. (2006) collaboration scale, with what each level means in practice.
LEVEL_LABELS = {
    "none": _l("Aucune collaboration"),
    "networking": _l("Réseautage (échange d'information)"),
    "cooperation": _l("Coopération (soutien mutuel)"),
    "coordination": _l("Coordination (activités planifiées ensemble)"),
    "coalition": _l("Coalition (ressources partagées)"),
    "collaboration": _l("Collaboration (vision et décisions communes)"),
}
# How a tie began: the directory's form, « Mon réseau », the evaluation and the territory map all say it so.
ORIGIN_LABELS = {
    "before_ei": _l("Avant EI"),
    "ei_session": _l("Lors d'une séance EI"),
    "referral": _l("Par une référence"),
    "declared": _l("Autre lien déclaré"),
}
# ISO 639 codes of the languages families and workers speak in the six territories.
LANGUAGE_LABELS = {
    "fr": _l("français"), "en": _l("anglais"), "ar": _l("arabe"), "kab": _l("kabyle"),
    "es": _l("espagnol"), "ht": _l("créole haïtien"), "vi": _l("vietnamien"), "fa": _l("persan"),
    "zh": _l("chinois"), "pa": _l("pendjabi"), "hi": _l("hindi"), "ta": _l("tamoul"),
    "ro": _l("roumain"), "qu": _l("quechua"), "pt": _l("portugais"), "ru": _l("russe"),
    "ur": _l("ourdou"), "bn": _l("bengali"), "tl": _l("tagalog"), "ln": _l("lingala"),
}

# Accounts: what each role of the app is called.
ACCOUNT_ROLE_LABELS = {
    "intervenant": _l("Intervention"),
    "coordinator": _l("Coordination"),
    "evaluator": _l("Évaluation"),
    "admin": _l("Administration"),
}
# Referrals: status, the button that makes each change, reasons, outcomes, urgency.
STATUS_LABELS = {
    "sent": _l("envoyée"),
    "accepted": _l("acceptée"),
    "declined": _l("refusée"),
    "in_progress": _l("en cours"),
    "completed": _l("terminée"),
    "cancelled": _l("annulée"),
}
# The button that makes each change.
ACTION_LABELS = {
    "accepted": _l("Accepter"),
    "declined": _l("Refuser"),
    "in_progress": _l("Commencer l'accompagnement"),
    "completed": _l("Clore la référence"),
    "cancelled": _l("Annuler la référence"),
}
REASON_LABELS = {
    "no_capacity": _l("pas de place pour l'instant"),
    "not_eligible": _l("la famille n'est pas admissible"),
    "not_my_field": _l("hors de mon champ d'action"),
    "other": _l("autre raison"),
}
OUTCOME_LABELS = {
    "got_help": _l("la famille a reçu de l'aide"),
    "could_not_get_help": _l("la famille n'a pas pu être aidée"),
    "could_not_reach": _l("impossible de joindre la famille"),
    "no_longer_needed": _l("le besoin n'existe plus"),
}
URGENCY_LABELS = {"low": _l("faible"), "normal": _l("normale"), "high": _l("élevée")}


def need_label(need: dict) -> str:
    """French or English label, falling back to the other when one is missing."""
    english = str(get_locale()) == "en"
    first, second = ("label_en", "label_fr") if english else ("label_fr", "label_en")
    return need.get(first) or need.get(second) or need.get("id", "")


def referral_number(referral_id: str) -> str:
    """The short number people quote (« n° 4F2A9C »): the first six characters of a generated id, or a
    short id whole (the demo's r-demo-01 is DEMO-01, never cut into a number another one shares)."""
    rest = referral_id.removeprefix("r-")
    return (rest if len(rest) <= 8 else rest[:6]).upper()


def label(table: dict, code: str | None) -> str:
    return str(table.get(code, code or ""))


def function_of(person) -> str:
    """What a person does, as shown (a record or a search result): their own title as they write it, else
    their function's label."""
    get = person.get if isinstance(person, dict) else lambda name: getattr(person, name, None)
    return (get("title") or "").strip() or label(ROLE_LABELS, get("role"))


def first_name(name: str | None) -> str:
    """« Souad » for « Souad Amrani »: colleagues of the sector write to each other by first name."""
    parts = (name or "").split()
    return parts[0] if parts else ""


# « de Annie » is « d'Annie » in French: before a vowel or a mute h, « de » elides.
_DE_VOWEL = re.compile(r"\b([Dd])e ([AEIOUYHÀÂÉÈÊÎÔÛaeiouyhàâéèêîôû])")


def elide(text: str, name: str | None = None) -> str:
    """French text with « de » elided before a word that starts with a vowel (« de la part d'Annie »);
    given the `name` the text was written around, only before it (« Marie de Oliveira » stays whole)."""
    if name is None:
        return _DE_VOWEL.sub(r"\1'\2", text)
    return text.replace(f"de {name}", elide(f"de {name[:1]}") + name[1:], 1)


def register(app) -> None:
    app.jinja_env.globals.update(
        SECTOR_LABELS=SECTOR_LABELS, KIND_LABELS=KIND_LABELS, ROLE_LABELS=ROLE_LABELS,
        LANGUAGE_LABELS=LANGUAGE_LABELS, ACCOUNT_ROLE_LABELS=ACCOUNT_ROLE_LABELS, STATUS_LABELS=STATUS_LABELS,
        ACTION_LABELS=ACTION_LABELS, REASON_LABELS=REASON_LABELS, OUTCOME_LABELS=OUTCOME_LABELS,
        URGENCY_LABELS=URGENCY_LABELS, label=label, need_label=need_label, referral_number=referral_number,
        function_of=function_of, first_name=first_name,
    )
    app.jinja_env.filters["tel_href"] = lambda phone: "tel:" + re.sub(r"[\s\-.()]", "", phone or "")
    app.jinja_env.filters["web_href"] = safe_href  # a stored javascript: website renders as text, no link
    # WTForms writes a None attribute as "None" (aria-describedby="None"): field(**(attrs|given)).
    app.jinja_env.filters["visible"] = visible  # a refused value echoed: its controls shown, not obeyed
    app.jinja_env.filters["given"] = lambda attrs: {k: v for k, v in attrs.items() if v is not None}
