from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, Optional

from referral.auth.forms import VALID_EMAIL
from referral.auth.passwords import strong_password
from referral.labels import ACCOUNT_ROLE_LABELS
from referral.policy import EVERYONE


class AccountForm(FlaskForm):
    email = EmailField(_l("Courriel"), validators=[DataRequired(), VALID_EMAIL, Length(max=254)],
                       render_kw={"autocomplete": "off"})
    role = SelectField(_l("Rôle"), choices=[(r, ACCOUNT_ROLE_LABELS[r]) for r in EVERYONE])
    territory = SelectField(_l("Territoire (coordination : portée)"), validators=[Optional()])
    person = StringField(_l("Identifiant de la personne (facultatif)"), validators=[Optional(), Length(max=64)],
                         render_kw={"autocomplete": "off"})
    password = PasswordField(_l("Mot de passe"), validators=[DataRequired(), strong_password],
                             render_kw={"autocomplete": "new-password"})
    submit = SubmitField(_l("Créer le compte"))

    def user_inputs(self) -> list[str]:
        return [self.email.data or ""]


class InviteForm(FlaskForm):
    """A person of the directory, by their e-mail: the account is created and a link sent to choose a password."""

    email = EmailField(_l("Courriel de la personne (dans le répertoire)"),
                       validators=[DataRequired(), VALID_EMAIL, Length(max=254)], render_kw={"autocomplete": "off"})
    role = SelectField(_l("Rôle"), choices=[(r, ACCOUNT_ROLE_LABELS[r]) for r in EVERYONE])
    territory = SelectField(_l("Territoire (coordination : portée)"), validators=[Optional()])
    submit = SubmitField(_l("Inviter"))


class RoleForm(FlaskForm):
    """A new role or scope: the account's sessions end, so it logs in again under them."""

    role = SelectField(_l("Rôle"), choices=[(r, ACCOUNT_ROLE_LABELS[r]) for r in EVERYONE])
    territory = SelectField(_l("Territoire"), validators=[Optional()])
    submit = SubmitField(_l("Changer"))
