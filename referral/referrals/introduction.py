"""The ready-to-send introduction: the personal « de ma part » hand-off, in French.

It is a letter from one worker to another, both of whom work in French, so it is written in
French whatever the language of the interface. It carries no detail of the family: the need,
the language and the urgency — not the note, which the receiver reads on the site (an e-mail leaves it).
"""

from __future__ import annotations

from urllib.parse import quote

from flask_babel import force_locale

from referral.labels import LANGUAGE_LABELS, first_name, label

# How the urgency reads in a sentence to a colleague.
URGENCY_SENTENCES = {"low": "Ce n'est pas pressé.", "normal": "C'est à voir dans les prochains jours.",
                     "high": "C'est urgent."}


def introduction(referral: dict, link: str) -> tuple[str, str]:
    """(subject, body) of the message the sender sends to the receiver."""
    sender, receiver = referral["sender"], referral["receiver"]
    need = (referral["need"].get("label_fr") or referral["need"]["id"]).lower()
    with force_locale("fr"):
        language = label(LANGUAGE_LABELS, referral.get("language") or "fr")
    urgency = URGENCY_SENTENCES.get(referral.get("urgency"), URGENCY_SENTENCES["normal"])
    lines = [
        f"Bonjour {first_name(receiver['name'])},",
        "",
        f"J'accompagne une famille qui aurait besoin d'aide pour : {need}. La famille parle {language}. {urgency}",
        "",
        "Je lui ai donné votre nom et je l'invite à vous appeler de ma part. Est-ce que vous pourriez la "
        f"recevoir ? Vous pouvez accepter ou refuser la référence dans Réseau EI : {link}",
        "",
        "Merci beaucoup !",
        sender["name"],
    ]
    contact = " · ".join(filter(None, [sender.get("phone"), sender.get("email")]))
    lines += [line for line in (referral.get("sender_organisation"), contact) if line]
    return f"Une famille à vous référer de ma part ({need})", "\n".join(lines)


def mailto(address: str | None, subject: str, body: str) -> str:
    return f"mailto:{quote(address or '')}?subject={quote(subject)}&body={quote(body)}"
