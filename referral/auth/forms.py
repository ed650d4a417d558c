from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SubmitField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from referral.auth.passwords import strong_password
from referral.form_fields import StrictBooleanField

# The address's check in the site's word (WTForms' own French says « Adresse électronique »).
VALID_EMAIL = Email(message=_l("Courriel invalide (ex. prenom.nom@organisme.org)."))


def _stripped(value):
    """A pasted address often carries a space at its end."""
    return value.strip() if isinstance(value, str) else value


class LoginForm(FlaskForm):
    email = EmailField(_l("Courriel"), validators=[DataRequired(), VALID_EMAIL, Length(max=254)], filters=[_stripped],
                       render_kw={"autocomplete": "username"})
    password = PasswordField(_l("Mot de passe"), validators=[DataRequired(), Length(max=200)],
                             render_kw={"autocomplete": "current-password"})
    remember = StrictBooleanField(_l("Rester connecté.e"))
    submit = SubmitField(_l("Se connecter"))


class ForgotPasswordForm(FlaskForm):
    email = EmailField(_l("Courriel"), validators=[DataRequired(), VALID_EMAIL, Length(max=254)], filters=[_stripped],
                       render_kw={"autocomplete": "username"})
    submit = SubmitField(_l("Recevoir un lien"))


class NewPasswordForm(FlaskForm):
    """A new password and its confirmation, from a signed link; the profile's password change adds the current one
    (referral/profile/forms.py). zxcvbn also weighs `user_inputs` (the account's e-mail and name)."""

    new = PasswordField(_l("Nouveau mot de passe"), validators=[DataRequired(), strong_password],
                        render_kw={"autocomplete": "new-password"})
    confirm = PasswordField(_l("Nouveau mot de passe, une deuxième fois"), validators=[
        DataRequired(), EqualTo("new", message=_l("Les deux nouveaux mots de passe diffèrent."))],
        render_kw={"autocomplete": "new-password"})
    submit = SubmitField(_l("Choisir ce mot de passe"))

    def __init__(self, user_inputs: list[str], **kwargs):
        super().__init__(**kwargs)
        self._user_inputs = user_inputs

    def user_inputs(self) -> list[str]:
        return self._user_inputs
