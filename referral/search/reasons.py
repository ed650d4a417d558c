"""Why this person, in words: the features the ranking used, as a worker would say them."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import format_date, format_decimal, ngettext
from flask_babel import gettext as _

from referral.labels import LANGUAGE_LABELS, label, need_label
from referral.ranking import Ranked


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


def reasons(ranked: Ranked, detail: dict, context: Context) -> list[str]:
    found: list[str] = []
    if ranked.trust == 1.0:
        found.append(tie_reason(detail.get("tie"), detail.get("my_colleague", False)) or _("Vous vous connaissez"))
    elif ranked.trust == 0.5:
        found.append(introducer_reason(detail.get("introducers") or []))
    if detail.get("expertise"):
        found.append(_("Expertise : %(needs)s",
                       needs=", ".join(_lower_first(need_label(n)) for n in detail["expertise"])))
    services = list(dict.fromkeys(s["name"] for s in detail.get("services") or []))
    if services:
        found.append(_("Service : %(names)s", names=", ".join(services)))
    if context.language:
        language = label(LANGUAGE_LABELS, context.language)
        if ranked.row.get("speaks"):
            found.append(_("Parle %(language)s", language=language))
        elif ranked.row.get("service_speaks"):
            found.append(_("Service offert en %(language)s", language=language))
    if ranked.distance_km is not None:
        km = format_decimal(ranked.distance_km, "0.0")
        found.append(_("%(km)s km de votre organisme", km=km) if context.from_workplace else _("%(km)s km", km=km))
    successes = ranked.row.get("successes") or 0
    if successes:
        found.append(ngettext("%(num)s référence réussie", "%(num)s références réussies", successes))
    if context.all_territories and ranked.row.get("located"):
        found.append(_("Dans votre territoire"))
    if ranked.not_accepting_until:
        found.append(_("Ne prend pas de nouvelles références jusqu'au %(date)s",
                       date=format_date(ranked.not_accepting_until, "d MMMM y")))
    return [reason for reason in found if reason]
