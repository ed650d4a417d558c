"""The referral form (page and POST /api/v1/referrals) and the status change form. The needs and the note
check come from the referral service (referral/referrals/web.py builds the form)."""

from __future__ import annotations

import uuid
from collections.abc import Callable

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional, Regexp, ValidationError

from referral.form_fields import StrictBooleanField
from referral.labels import LANGUAGE_LABELS, OUTCOME_LABELS, REASON_LABELS, URGENCY_LABELS
from referral.referrals.machine import DECLINE_REASONS, OUTCOMES, TRANSITIONS, URGENCIES
from referral.referrals.note_check import Finding, describe

NOTE_MAX = 500
DETAIL_MAX = 200


def _one_of(choices, message):
    def check(form, field):
        if field.data and field.data not in choices:
            raise ValidationError(message)

    check.values = tuple(choices)  # what the API's OpenAPI document lists as the field's enum
    return check


class ReferralForm(FlaskForm):
    to = HiddenField(_l("Personne"), validators=[InputRequired(message=_l("Indiquez la personne à qui référer."))])
    need = SelectField(_l("Besoin"), validate_choice=False,
                       validators=[InputRequired(message=_l("Indiquez le besoin."))])
    language = SelectField(_l("Langue de la famille"), validate_choice=False, default="fr",
                           choices=list(LANGUAGE_LABELS.items()),
                           validators=[Optional(), _one_of(LANGUAGE_LABELS, _l("Langue inconnue : un code ISO 639 "
                                                                              "est attendu (ex. ar)."))])
    urgency = RadioField(_l("Urgence"), validate_choice=False, default="normal",
                         choices=[(u, URGENCY_LABELS[u]) for u in URGENCIES],
                         validators=[_one_of(URGENCIES, _l("Urgence inconnue : low, normal ou high."))])
    note = TextAreaField(
        _l("Note pour votre collègue (facultatif)"),
        validators=[Optional(), Length(max=NOTE_MAX, message=_l("%(max)d caractères au plus.", max=NOTE_MAX))],
        description=_l("N'identifiez pas la famille : ni nom ou prénom, ni adresse, ni numéro de dossier, ni "
                       "téléphone, ni courriel. Décrivez seulement ce qui aide à la recevoir (âge des enfants, "
                       "disponibilités…). Le nom de votre collègue et ceux du répertoire sont permis."),
    )
    despite_pause = StrictBooleanField(
        _l("Je sais que cette personne ne prend pas de nouvelles références pour l'instant, et je la réfère "
           "quand même"), false_values=(False, "false", "", "0", "non", "no"),
        description=_l("Demandé seulement quand la personne a indiqué une pause."))
    request_key = HiddenField(validators=[Optional(), Regexp(r"^[A-Za-z0-9_-]{8,64}$",
                                                             message=_l("Clé de requête invalide."))])
    submit = SubmitField(_l("Envoyer la référence"))

    def __init__(self, needs: list[tuple[str, str]], check_note: Callable[[str | None, str | None], list[Finding]],
                 *args, **kwargs):
        """`needs`: (id, label) choices; `check_note(note, receiver)`: what in the note identifies the family."""
        super().__init__(*args, **kwargs)
        self.note_findings = []  # what the note check found, for the API's error
        self.need.choices = needs
        self._check_note = check_note
        if not self.request_key.data:
            self.renew_key()

    def renew_key(self) -> None:
        """One key per displayed form: submitting it twice finds the referral of the first time."""
        self.request_key.data = uuid.uuid4().hex

    def validate_need(self, field):
        if field.data not in {value for value, _ in self.need.choices}:
            raise ValidationError(_l("Besoin inconnu."))

    def validate_note(self, field):
        self.note_findings = self._check_note(field.data, self.to.data)
        if self.note_findings:
            raise ValidationError(describe(self.note_findings))


class StatusForm(FlaskForm):
    status = HiddenField(validators=[InputRequired(message=_l("Indiquez le nouveau statut.")),
                                     _one_of(TRANSITIONS, _l("Statut inconnu."))])
    reason = SelectField(_l("Raison"), validate_choice=False,
                         choices=[("", "—")] + [(r, REASON_LABELS[r]) for r in DECLINE_REASONS],
                         validators=[_one_of(DECLINE_REASONS, _l("Raison inconnue."))])
    outcome = SelectField(_l("Résultat pour la famille"), validate_choice=False,
                          choices=[("", "—")] + [(o, OUTCOME_LABELS[o]) for o in OUTCOMES],
                          validators=[_one_of(OUTCOMES, _l("Résultat inconnu."))])

    detail = StringField(_l("Laquelle ?"), validators=[Optional(), Length(max=DETAIL_MAX)])

    def validate_reason(self, field):
        if self.status.data == "declined" and not field.data:
            raise ValidationError(_l("Indiquez la raison du refus."))

    def validate_detail(self, field):
        if self.status.data == "declined" and self.reason.data == "other" and not (field.data or "").strip():
            raise ValidationError(_l("« Autre raison » : dites laquelle en quelques mots."))

    def validate_outcome(self, field):
        if self.status.data == "completed" and not field.data:
            raise ValidationError(_l("Indiquez le résultat pour la famille."))

