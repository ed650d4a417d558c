"""The sessions' forms: attendance (ticked on a phone) and the ties first made there."""

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, HiddenField, IntegerField, SelectField, StringField, SubmitField
from wtforms.validators import InputRequired, Length, NumberRange

from graph.repositories.ties import LEVELS
from referral.form_fields import MultiCheckboxField, StrictBooleanField, readable
from referral.labels import LEVEL_LABELS


class FindGuestForm(FlaskForm):
    """Words naming a worker of another territory who came: sent with the attendance form by its « Chercher »
    button (no JavaScript needed), or in the address."""

    class Meta:
        csrf = False  # a search that changes nothing

    invite = StringField(_l("Ajouter une personne d'un autre territoire"),
                         validators=[Length(max=80, message=_l("80 caractères au plus."))],
                         render_kw={"type": "search", "autocomplete": "off"})


NO_NUMBER = _l("Indiquez un nombre, 0 s'il n'y en avait pas.")
CountField = readable(IntegerField, NO_NUMBER)


class AttendanceForm(FlaskForm):
    people = MultiCheckboxField(_l("Présent.es"), validate_choice=False)  # the service checks who they are
    shown = HiddenField()  # who was ticked when the page opened: the ticks are changes to that
    parents = CountField(_l("Parents partenaires présents (un nombre, sans nom)"), default=0,
                         validators=[InputRequired(message=NO_NUMBER),
                                     NumberRange(0, 200, message=_l("Entre 0 et 200."))],
                         render_kw={"inputmode": "numeric", "min": 0, "max": 200})
    submit = SubmitField(_l("Enregistrer les présences"))


class SessionTiesForm(FlaskForm):
    pairs = MultiCheckboxField(_l("Se sont parlé pour la première fois"), validate_choice=False)
    level = SelectField(_l("Niveau de collaboration"), choices=[(v, LEVEL_LABELS[v]) for v in LEVELS],
                        default="networking")
    submit = SubmitField(_l("Enregistrer ces liens"))


class CohortForm(FlaskForm):
    name = StringField(_l("Nom de la cohorte"), validators=[InputRequired(message=_l("Indiquez un nom."))],
                       render_kw={"placeholder": _l("ex. Cohorte 3")})
    territories = MultiCheckboxField(_l("Territoires"), validate_choice=False)
    start = readable(DateField, _l("Indiquez une date valide (AAAA-MM-JJ)."))(
        _l("Début"), validators=[InputRequired(message=_l("Indiquez la date de début."))])
    end = readable(DateField, _l("Indiquez une date valide (AAAA-MM-JJ)."))(
        _l("Fin"), validators=[InputRequired(message=_l("Indiquez la date de fin."))])
    template = StrictBooleanField(_l("Planifier les six séances du programme, une par mois dès le début"), default=True)
    submit = SubmitField(_l("Ouvrir la cohorte"))


class CohortEditForm(FlaskForm):
    name = CohortForm.name
    start = CohortForm.start
    end = CohortForm.end
    submit = SubmitField(_l("Enregistrer la cohorte"))


class SessionForm(FlaskForm):
    date = readable(DateField, _l("Indiquez une date valide (AAAA-MM-JJ)."))(
        _l("Date"), validators=[InputRequired(message=_l("Indiquez une date."))])
    theme = StringField(_l("Thème"), validators=[InputRequired(message=_l("Indiquez un thème."))])
    place = StringField(_l("Lieu"))
    facilitators = StringField(_l("Animation"))
    submit = SubmitField(_l("Enregistrer la séance"))
