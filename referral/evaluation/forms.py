from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.i18n import translations as wtforms_translations
from wtforms import (
    DateField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
)
from wtforms.validators import DataRequired, Length, Optional, ValidationError

from analysis.survey_wave import LEVELS, ROSTER_RULES, SCALE
from analysis.timeline import ORIGINS
from referral import clock
from referral.evaluation.presentation import ROSTER_RULE_LABELS, RULE_LABELS
from referral.form_fields import MultiCheckboxField
from referral.labels import LEVEL_LABELS, ORIGIN_LABELS


class QueryForm(FlaskForm):
    """The comparison's options, read from the query string (pages, API and exports alike)."""

    class Meta:
        csrf = False

    start = DateField(_l("Du"), validators=[Optional()])
    end = DateField(_l("Au"), validators=[Optional()])
    origin = MultiCheckboxField(_l("Liens comptés, selon leur origine (aucune case : tous)"),
                                choices=[(o, ORIGIN_LABELS[o]) for o in ORIGINS], validators=[Optional()])

    def validate(self, extra_validators=None) -> bool:
        # Across the two dates: Optional() stops each field's own chain when it is empty.
        valid = super().validate(extra_validators)
        if valid and (self.start.data is None) != (self.end.data is None):
            self.end.errors.append(_l("Indiquez les deux dates de la période, ou aucune."))
            return False
        if valid and self.end.data and self.end.data < self.start.data:
            self.end.errors.append(_l("La fin de la période doit suivre son début."))
            return False
        return valid


class RuleForm(FlaskForm):
    class Meta:
        csrf = False

    rule = RadioField(_l("Règle de symétrisation"), choices=list(RULE_LABELS.items()), default="either")


class WaveForm(FlaskForm):
    title = StringField(_l("Titre de la vague"), validators=[DataRequired(), Length(max=120)])
    scope = SelectField(_l("Groupe (territoire ou cohorte)"), choices=[])
    opens = DateField(_l("Ouverture"), validators=[DataRequired()])
    closes = DateField(_l("Date de fermeture"), validators=[DataRequired()])
    roster_rule = RadioField(_l("Liste des membres"), choices=[(r, ROSTER_RULE_LABELS[r]) for r in ROSTER_RULES],
                             default="attended")
    submit = SubmitField(_l("Ouvrir la vague"))

    def validate_closes(self, field):
        if self.opens.data and field.data and field.data < self.opens.data:
            raise ValidationError(_l("La fermeture doit suivre l'ouverture."))
        if field.data and field.data < clock.today():  # closed before it opens: nobody could ever answer
            raise ValidationError(_l("La fermeture est passée : personne ne pourrait répondre à cette vague."))


class WaveEditForm(FlaskForm):
    """A wave's title, and its closing day while it is not closed (extend, or close sooner)."""

    title = StringField(_l("Titre de la vague"), validators=[DataRequired(), Length(max=120)])
    closes = DateField(_l("Date de fermeture"), validators=[Optional()])
    submit = SubmitField(_l("Enregistrer"))


class MemberForm(FlaskForm):
    person = SelectField(_l("Ajouter une personne"), choices=[], validate_choice=False,
                         validators=[DataRequired()])
    submit = SubmitField(_l("Ajouter"))


class WaveActionForm(FlaskForm):
    """A one-button action on a wave (close now, remove a member, send invitations or reminders): only its
    CSRF token, so that a link or another site cannot trigger it."""


YES_NO = [("", _l("— sans réponse —")), ("yes", _l("Oui")), ("no", _l("Non"))]
# The PARTNER tool's 1–4 scale, each point said in words.
SCALE_LABELS = {1: _l("1 — pas du tout"), 2: _l("2 — un peu"), 3: _l("3 — assez"), 4: _l("4 — beaucoup")}


class AnswerRow(Form):
    """The answers about one person of the roster; all empty = not answered (yet)."""

    class Meta:
        def get_translations(self, form):  # WTForms' own messages in the reader's language, as a FlaskForm's
            return wtforms_translations

    person = HiddenField()
    # default "": a field the browser does not send (disabled after « Non ») is « sans réponse », not an error.
    knows = SelectField(_l("Connaissez-vous cette personne ?"), choices=YES_NO, default="")
    level = SelectField(_l("Niveau de collaboration"), default="",
                        choices=[("", _l("— sans réponse —"))] + [(lv, LEVEL_LABELS[lv]) for lv in LEVELS])
    trust = SelectField(_l("Confiance (fiabilité, ouverture, mission partagée)"), default="",
                        choices=[("", _l("— sans réponse —"))] + [(str(n), SCALE_LABELS[n]) for n in SCALE])
    value = SelectField(_l("Valeur (ressources, influence, engagement)"), default="",
                        choices=[("", _l("— sans réponse —"))] + [(str(n), SCALE_LABELS[n]) for n in SCALE])
    knew_before = SelectField(_l("La connaissiez-vous avant le programme ?"), choices=YES_NO, default="")

    def validate_knows(self, field):
        """A partial answer is saved (« Oui » with its level to come); « Non » leaves level, trust and value
        aside (the page disables them too). Only details about someone not said known or not are refused."""
        details = any(f.data for f in (self.level, self.trust, self.value, self.knew_before))
        if not field.data and details:
            raise ValidationError(_l("Dites d'abord si vous connaissez cette personne."))

    def answer(self) -> dict | None:
        """The answer to store, or None when the row was left empty."""
        if not self.knows.data:
            return None
        knows = self.knows.data == "yes"
        return {
            "knows": knows,
            "level": (self.level.data or None) if knows else None,
            "trust": int(self.trust.data) if knows and self.trust.data else None,
            "value": int(self.value.data) if knows and self.value.data else None,
            "knew_before": {"yes": True, "no": False}.get(self.knew_before.data),
        }


class AnswerForm(FlaskForm):
    rows = FieldList(FormField(AnswerRow))
    submit = SubmitField(_l("Enregistrer mes réponses"))
