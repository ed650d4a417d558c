"""Why this person, in words: the features the ranking used (referral/ranking.py), as a worker would say
them — one sentence per term of the ranking, in its order."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import format_date, format_decimal, ngettext
from flask_babel import gettext as _

from referral.labels import LANGUAGE_LABELS, label, need_label
from referral.ranking import RANKING
from referral.search.results import Ranked


@dataclass(frozen=True)
class Context:
    language: str | None
    from_workplace: bool  # distances are from the searcher's organisation, not from the family
    all_territories: bool


def _lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


def tie_reason(tie: dict | None, colleague: bool) -> str | None:
    """How the searcher knows the person directly."""
    if colleague:
        return _("Votre collègue")
    if not tie:
        return None
    since = tie.get("since")
    when = format_date(since, "MMMM y") if since else ""
    session = tie.get("session")
    if tie.get("origin") == "ei_session" and session:
        return _("Vous vous connaissez depuis la séance %(n)s d'Espace Intervenants (%(when)s)",
                 n=session["number"], when=when)
    if tie.get("origin") == "referral":
        return _("Vous vous connaissez depuis une référence (%(when)s)", when=when)
    if tie.get("origin") == "declared":
        if tie.get("confirmed") is False:  # shown, but the ranking does not count it yet
            return _("Lien déclaré, pas encore confirmé : il ne compte pas encore dans le classement")
        return _("Lien de collaboration déclaré (%(when)s)", when=when)
    return _("Vous vous connaissez depuis %(when)s", when=when) if when else _("Vous vous connaissez")


def introducer_reason(introducers: list[dict]) -> str | None:
    """Who can introduce the searcher: a colleague first."""
    if not introducers:
        return None
    via = introducers[0]
    if via["my_colleague"] and via["their_colleague"]:
        text = _("%(name)s (votre collègue) travaille avec cette personne", name=via["name"])
    elif via["my_colleague"]:
        text = _("%(name)s (votre collègue) connaît cette personne", name=via["name"])
    elif via["their_colleague"]:
        text = _("%(name)s, que vous connaissez, travaille avec cette personne", name=via["name"])
    else:
        text = _("%(name)s, que vous connaissez, connaît cette personne", name=via["name"])
    others = len(introducers) - 1
    if others:
        text += " " + ngettext("(et %(num)s autre personne)", "(et %(num)s autres personnes)", others)
    return text


def connection(contact: dict) -> str | None:
    """How the searcher is linked to the person of a contact card: directly, else through whom."""
    if contact.get("my_colleague") or contact.get("tie"):
        return tie_reason(contact.get("tie"), contact.get("my_colleague", False))
    if contact.get("introducers"):
        return introducer_reason(contact["introducers"])
    return None


def _trust(ranked: Ranked, detail: dict, context: Context) -> str | None:
    if ranked.known:
        return tie_reason(detail.get("tie"), detail.get("my_colleague", False)) or _("Vous vous connaissez")
    if ranked.introduced:
        return introducer_reason(detail.get("introducers") or [])
    # A tie the ranking did not count (DETAILS reads ties begun by today): one declared, not confirmed yet.
    return tie_reason(detail.get("tie"), colleague=False)


def _expertise(ranked: Ranked, detail: dict, context: Context) -> str | None:
    if not detail.get("expertise"):
        return None
    return _("Expertise : %(needs)s", needs=", ".join(_lower_first(need_label(n)) for n in detail["expertise"]))


def _service(ranked: Ranked, detail: dict, context: Context) -> str | None:
    services = list(dict.fromkeys(s["name"] for s in detail.get("services") or []))
    return _("Service : %(names)s", names=", ".join(services)) if services else None


def _language(ranked: Ranked, detail: dict, context: Context) -> str | None:
    if not context.language:
        return None
    language = label(LANGUAGE_LABELS, context.language)
    if ranked.row.get("speaks"):
        return _("Parle %(language)s", language=language)
    if ranked.row.get("service_speaks"):
        return _("Service offert en %(language)s", language=language)
    return None


def _distance(ranked: Ranked, detail: dict, context: Context) -> str | None:
    if ranked.distance_km is None:
        return None
    km = format_decimal(ranked.distance_km, "0.0")
    return _("%(km)s km de votre organisme", km=km) if context.from_workplace else _("%(km)s km", km=km)


def _outcomes(ranked: Ranked, detail: dict, context: Context) -> str | None:
    successes = ranked.row.get("successes") or 0
    return ngettext("%(num)s référence réussie", "%(num)s références réussies", successes) if successes else None


def _territory(ranked: Ranked, detail: dict, context: Context) -> str | None:
    return _("Dans votre territoire") if context.all_territories and ranked.row.get("located") else None


# What the searcher is told of each term of the ranking, by the term's name.
TOLD = {"trust": _trust, "expertise": _expertise, "service": _service, "language": _language,
        "distance": _distance, "outcomes": _outcomes, "territory": _territory}


def reasons(ranked: Ranked, detail: dict, context: Context) -> list[str]:
    """One sentence per term that counted (the pause is the card's own badge, said once)."""
    found = [TOLD[term.name](ranked, detail, context) for term in RANKING.terms]
    return [reason for reason in found if reason]
