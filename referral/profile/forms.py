
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    DateField,
    EmailField,
    HiddenField,
    PasswordField,
    SelectField,
    StringField,
    SubmitField,
)
from wtforms.validators import DataRequired, Length, Optional, Regexp, ValidationError

from referral.auth.forms import VALID_EMAIL, NewPasswordForm
from referral.auth.passwords import MAX_LENGTH
from referral.contact_rules import PHONE
from referral.form_fields import MultiCheckboxField, StrictBooleanField
from referral.labels import LANGUAGE_LABELS
from referral.spreadsheet import no_formula


def _needs_french(form, field):
    if "fr" not in (field.data or []):
        raise ValidationError(_l("Le français fait partie des langues de travail de toutes les personnes du réseau."))


class ProfileForm(FlaskForm):
    title = StringField(_l("Votre titre, comme vous l'écrivez (facultatif)"),
                        validators=[Optional(), Length(max=80, message=_l("80 caractères au plus.")), no_formula()],
                        description=_l("Ex. « Éducateur à la petite enfance », « Travailleuse de milieu ». "
                                       "Sinon, votre fonction est affichée."))
    email = EmailField(_l("Courriel professionnel"), render_kw={"autocomplete": "email"},
                       validators=[Optional(), VALID_EMAIL, Length(max=254), no_formula()])
    phone = StringField(
        _l("Téléphone professionnel"),
        validators=[Optional(), Regexp(PHONE, message=_l("Numéro de téléphone invalide (ex. 514 555-0123).")),
                    no_formula(phone=True)],
        render_kw={"type": "tel", "autocomplete": "tel"},
    )
    languages = MultiCheckboxField(
        _l("Langues parlées"), choices=list(LANGUAGE_LABELS.items()), validators=[_needs_french]
    )
    expertise = MultiCheckboxField(_l("Expertises"), choices=[])
    listed = StrictBooleanField(_l("J'accepte d'apparaître dans le répertoire (les collègues peuvent me trouver)"))
    research_consent = StrictBooleanField(_l("J'accepte que mes données pseudonymisées servent à l'évaluation"))
    accepting_until = DateField(_l("Je ne prends pas de références jusqu'au (facultatif)"), validators=[Optional()])
    submit = SubmitField(_l("Enregistrer"))


class EraseForm(FlaskForm):
    confirm = StringField(_l("Tapez EFFACER pour confirmer"), validators=[Length(max=20)],
                          render_kw={"autocomplete": "off", "autocapitalize": "characters"})
    submit = SubmitField(_l("Effacer mon profil"))

    def validate_confirm(self, field):
        if (field.data or "").strip().upper() != "EFFACER":
            raise ValidationError(_l("Tapez EFFACER pour confirmer."))


SCOPE_LABELS = {"read": _l("lecture seule"), "read-write": _l("lecture et écriture")}


class TokenForm(FlaskForm):
    name = StringField(_l("Nom du jeton (à quoi il sert)"), validators=[Optional(), Length(max=60)],
                       render_kw={"autocomplete": "off"})
    scope = SelectField(_l("Droits"), choices=list(SCOPE_LABELS.items()), default="read")
    create = SubmitField(_l("Créer un nouveau jeton"))


class RevokeTokenForm(FlaskForm):
    token_id = HiddenField(validators=[DataRequired(), Length(max=40)])
    revoke = SubmitField(_l("Révoquer"))


class PasswordForm(NewPasswordForm):
    """The signed link's new password and its confirmation (same rules), after the current one."""

    current = PasswordField(_l("Mot de passe actuel"), validators=[DataRequired(), Length(max=MAX_LENGTH)],
                            render_kw={"autocomplete": "current-password"})
    submit = SubmitField(_l("Changer mon mot de passe"))
