import re

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, EmailField, SelectMultipleField, StringField, SubmitField
from wtforms.validators import Email, Length, Optional, Regexp, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from referral.labels import LANGUAGE_LABELS

PHONE = re.compile(r"^\+?[\d\s().-]{7,25}$")
# One person per e-mail: the profile and the directory's person forms say so alike.
EMAIL_TAKEN = _l("Une autre personne du répertoire a déjà ce courriel.")


class MultiCheckboxField(SelectMultipleField):
    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _needs_french(form, field):
    if "fr" not in (field.data or []):
        raise ValidationError(_l("Le français fait partie des langues de travail de toutes les personnes du réseau."))


class ProfileForm(FlaskForm):
    email = EmailField(_l("Courriel professionnel"), validators=[Optional(), Email(), Length(max=254)])
    phone = StringField(
        _l("Téléphone professionnel"),
        validators=[Optional(), Regexp(PHONE, message=_l("Numéro de téléphone invalide (ex. 514 555-0123)."))],
    )
    languages = MultiCheckboxField(
        _l("Langues parlées"), choices=list(LANGUAGE_LABELS.items()), validators=[_needs_french]
    )
    expertise = MultiCheckboxField(_l("Expertises"), choices=[])
    listed = BooleanField(_l("J'accepte d'apparaître dans le répertoire (les collègues peuvent me trouver)"))
    research_consent = BooleanField(_l("J'accepte que mes données pseudonymisées servent à l'évaluation"))
    accepting_until = DateField(_l("Je ne prends pas de références jusqu'au (facultatif)"), validators=[Optional()])
    submit = SubmitField(_l("Enregistrer"))


class EraseForm(FlaskForm):
    confirm = StringField(_l("Tapez EFFACER pour confirmer"), validators=[Length(max=20)])
    submit = SubmitField(_l("Effacer mon profil"))

    def validate_confirm(self, field):
        if (field.data or "").strip().upper() != "EFFACER":
            raise ValidationError(_l("Tapez EFFACER pour confirmer."))


class TokenForm(FlaskForm):
    create = SubmitField(_l("Créer un nouveau jeton"))
    revoke = SubmitField(_l("Révoquer le jeton"))
