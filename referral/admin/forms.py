from email_validator import EmailNotValidError, validate_email
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Email, Length, Optional, ValidationError

from graph.repositories.users import ROLES

ROLE_LABELS = {
    "intervenant": _l("Intervenant.e"),
    "coordinator": _l("Coordination"),
    "evaluator": _l("Évaluation"),
    "admin": _l("Administration"),
}


def valid_email(value: str) -> bool:
    try:
        validate_email(value, check_deliverability=False)
    except EmailNotValidError:
        return False
    return True


def check_password_strength(password: str) -> None:
    if len(password) < 10:
        raise ValidationError(_l("Le mot de passe doit compter au moins 10 caractères."))


def _password_strength(form, field):
    check_password_strength(field.data or "")


class AccountForm(FlaskForm):
    email = EmailField(_l("Courriel"), validators=[DataRequired(), Email(), Length(max=254)])
    role = SelectField(_l("Rôle"), choices=[(r, ROLE_LABELS[r]) for r in ROLES])
    territory = SelectField(_l("Territoire (coordination : portée)"), validators=[Optional()])
    person = StringField(_l("Identifiant de la personne (facultatif)"), validators=[Optional(), Length(max=64)])
    password = PasswordField(_l("Mot de passe"), validators=[DataRequired(), _password_strength])
    submit = SubmitField(_l("Créer le compte"))
