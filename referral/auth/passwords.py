"""Password policy (zxcvbn) and checks that take as long for an unknown e-mail as for a known one."""

from __future__ import annotations

import re
import secrets
from functools import cache

from flask_babel import gettext as _
from werkzeug.security import check_password_hash, generate_password_hash
from wtforms.validators import ValidationError
from zxcvbn import zxcvbn

MIN_LENGTH = 10
MAX_LENGTH = 128  # zxcvbn's work grows fast with the length; no one types more
MIN_SCORE = 4  # zxcvbn: 4 = "very unguessable", ≥ 10^10 guesses; « Montreal2024! » scores 3
# Words everyone here would try first: zxcvbn's lists are English; an attacker of a Montréal community
# network starts with the city, the program, the seasons and the job (« Hiver2024!! », « Intervenant1! »).
LOCAL_WORDS = (
    "montreal montréal mtl quebec québec canada nord est ouest sud reseau réseau espace intervenant intervenante "
    "intervenants communautaire coordination coordonnatrice famille familles enfant enfants bonjour salut merci "
    "soleil hiver printemps ete été automne janvier fevrier février mars avril mai juin juillet aout août "
    "septembre octobre novembre decembre décembre motdepasse secret amour liberte liberté neige tabarnak "
    "tabarnac calisse cohorte parent partenaire seance séance saint sainte leonard léonard ahuntsic villeray "
    "parc extension cote côte neiges anjou pierrefonds rosemont hochelaga verdun lachine lasalle laval "
    "longueuil plateau michel laurent cartierville bordeaux riviere rivière prairies pointe trembles"
).split()


def _reasons(sequence: list[dict]) -> list[str]:
    """Why zxcvbn found it guessable, in the order of its parts, each reason once."""
    reasons = []
    for match in sequence:
        pattern, source = match["pattern"], match.get("dictionary_name")
        if pattern == "dictionary" and source == "user_inputs" and match["matched_word"] not in LOCAL_WORDS:
            reason = _own_words_reason()
        elif pattern == "dictionary" and source == "passwords":
            reason = _("il ressemble à un mot de passe très courant")
        elif pattern == "dictionary":
            reason = _common_word_reason()
        elif pattern == "repeat":
            reason = _("il répète des caractères (comme « aaa » ou « abcabc »)")
        elif pattern == "sequence":
            reason = _("il suit une suite (comme « abcd » ou « 1234 »)")
        elif pattern == "spatial":
            reason = _("il suit une rangée du clavier (comme « qwerty »)")
        elif pattern in ("date", "regex"):
            reason = _("il contient une date ou une année")
        else:
            continue
        if reason not in reasons:
            reasons.append(reason)
    if any(match.get("l33t") for match in sequence):
        reasons.append(_("remplacer des lettres par des chiffres ou des symboles n'aide guère"))
    return reasons


def _common_word_reason() -> str:
    return _("il repose sur un mot ou un nom courant")


def _own_words_reason() -> str:
    return _("il reprend votre courriel ou votre nom")


def _made_of(password: str, words: list[str]) -> bool:
    """Little more than the e-mail's and name's words (zxcvbn scores « prenom.nom@domaine » too high);
    a password with no letters at all leans on no one's name (« 1234567890 » is refused for its own reason)."""
    compact = re.sub(r"[\W_]+", "", password.lower())
    if any(compact in re.sub(r"[\W_]+", "", w.lower()) for w in words if w):  # « prenom-nom-42 » of the e-mail
        return True
    letters = rest = re.sub(r"[\W\d_]+", "", password.lower())
    for word in sorted({w.lower() for w in words if len(w) >= 3}, key=len, reverse=True):
        rest = rest.replace(word, "")
    return rest != letters and len(rest) < 4


def password_problem(password: str, user_inputs: list[str]) -> str | None:
    """A French sentence saying why the password is refused, or None when it is accepted."""
    if len(password) < MIN_LENGTH:
        return _("Le mot de passe doit compter au moins %(n)s caractères.", n=MIN_LENGTH)
    if len(password) > MAX_LENGTH:
        return _("Le mot de passe doit compter au plus %(n)s caractères.", n=MAX_LENGTH)
    words = [part for value in user_inputs if value for part in [value, *re.split(r"[\W_]+", value)] if part]
    result = zxcvbn(password, user_inputs=words + list(LOCAL_WORDS))
    own_words = _made_of(password, words)
    # « SaintLeonard2023! », « reseau-ei-2024! »: two local words and a year still score 4
    local_words = _made_of(password, list(LOCAL_WORDS))
    if result["score"] >= MIN_SCORE and not own_words and not local_words:
        return None
    reasons = _reasons(result["sequence"]) if result["score"] < MIN_SCORE else []
    if local_words and _common_word_reason() not in reasons:
        reasons.append(_common_word_reason())
    if own_words and _own_words_reason() not in reasons:
        reasons.insert(0, _own_words_reason())
    why = _("Ce mot de passe est trop facile à deviner : %(reasons)s.", reasons=" ; ".join(reasons)) if reasons \
        else _("Ce mot de passe est trop facile à deviner.")
    return why + " " + _("Choisissez-en un plus long, par exemple quatre mots sans lien entre eux.")


def strong_password(form, field):
    """WTForms validator: the form's `user_inputs()` (e-mail, name) are words the password must not lean on."""
    problem = password_problem(field.data or "", form.user_inputs())
    if problem:
        raise ValidationError(problem)


@cache
def _dummy_hash() -> str:
    # Same method and cost as real hashes: checking it takes as long as checking an account's.
    return generate_password_hash(secrets.token_hex(16))


def password_matches(record: dict | None, password: str) -> bool:
    """The account's password, or the same work against a dummy hash when there is no account."""
    stored = record.get("password_hash") if record else None
    return check_password_hash(stored or _dummy_hash(), password) and stored is not None


def unusable_hash() -> str:
    """An invited account's hash until its person chooses a password: of a random secret no one keeps, and
    of the same method and cost as real ones, so a login attempt on it takes as long."""
    return generate_password_hash(secrets.token_urlsafe(32))
