"""The ready-to-send introduction: the personal « de ma part » hand-off, in French.

It is a letter from one worker to another, both of whom work in French, so it is written in
French whatever the language of the interface. It carries no detail of the family: the need,
the language and the urgency — not the note, which the receiver reads on the site (an e-mail leaves it).
"""

from __future__ import annotations

from urllib.parse import quote

from flask_babel import force_locale

from referral.labels import LANGUAGE_LABELS, URGENCY_LABELS, label


def introduction(referral: dict, link: str) -> tuple[str, str]:
    """(subject, body) of the message the sender sends to the receiver."""
    sender, receiver = referral["sender"], referral["receiver"]
    need = (referral["need"].get("label_fr") or referral["need"]["id"]).lower()
    with force_locale("fr"):
        language = label(LANGUAGE_LABELS, referral.get("language") or "fr")
        urgency = label(URGENCY_LABELS, referral.get("urgency"))
    lines = [
        f"Bonjour {receiver['name']},",
        "",
        "Je me permets de vous référer, de ma part, une famille que j'accompagne. "
        f"Besoin : {need}. Langue de la famille : {language}. Urgence : {urgency}.",
    ]
    lines += [
        "",
        "Je l'invite à vous contacter en mentionnant mon nom. Pouvez-vous la recevoir ? "
        f"Vous pouvez accepter ou décliner la référence dans Réseau EI : {link}",
        "",
        "Merci !",
        sender["name"],
    ]
    contact = " · ".join(filter(None, [sender.get("phone"), sender.get("email")]))
    lines += [line for line in (referral.get("sender_organisation"), contact) if line]
    return f"Référence de ma part : une famille ({need})", "\n".join(lines)


def mailto(address: str | None, subject: str, body: str) -> str:
    return f"mailto:{quote(address or '')}?subject={quote(subject)}&body={quote(body)}"
