"""The choice of what one receives by e-mail, on the profile and on the page a message's link opens."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import RadioField, SubmitField
from wtforms.validators import InputRequired

MODE_LABELS = {
    "each": _l("Chaque message, dès qu'il y a du nouveau"),
    "digest": _l("Un résumé par jour (le matin)"),
    "none": _l("Aucun courriel"),
}


class NotifyForm(FlaskForm):
    mode = RadioField(_l("Courriels sur vos références"), choices=list(MODE_LABELS.items()),
                      validators=[InputRequired(_l("Choisissez une option."))])
    submit = SubmitField(_l("Enregistrer"))
