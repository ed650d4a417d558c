
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField, SubmitField
from wtforms.validators import InputRequired, Length, ValidationError

from graph.repositories.ties import LEVELS
from referral import clock
from referral.form_fields import readable
from referral.labels import LEVEL_LABELS

DayField = readable(DateField, _l("Indiquez une date valide (AAAA-MM-JJ)."))


class FindPersonForm(FlaskForm):
    """The words that narrow the people one may declare a tie with (a GET: no JavaScript needed)."""

    class Meta:
        csrf = False  # a GET that changes nothing

    qui = StringField(_l("Chercher une personne"), validators=[Length(max=80, message=_l("80 caractères au plus."))],
                      description=_l("Nom, organisme ou territoire, ex. « Souad » ou « Maison d'Haïti »."),
                      render_kw={"type": "search", "autocomplete": "off"})


class DeclareTieForm(FlaskForm):
    person = SelectField(_l("J'ai collaboré avec"), validate_choice=False,
                         validators=[InputRequired(message=_l("Choisissez une personne."))])
    since = DayField(_l("Depuis le"), default=clock.today,
                     description=_l("Aujourd'hui par défaut — modifiez au besoin."),
                     validators=[InputRequired(message=_l("Indiquez une date valide."))])
    level = SelectField(_l("Niveau de collaboration"), choices=[(level, LEVEL_LABELS[level]) for level in LEVELS],
                        default="networking")
    submit = SubmitField(_l("Déclarer ce lien"))

    def validate_person(self, field):
        if field.data not in {value for value, _ in self.person.choices}:
            raise ValidationError(_l("Cette personne n'est pas dans le répertoire, ou vous êtes déjà lié.es."))

    def validate_since(self, field):
        if field.data is None:
            return
        if field.data > clock.today():
            raise ValidationError(_l("La date ne peut pas être dans le futur."))
        if field.data.year < 1990:
            raise ValidationError(_l("La date est trop ancienne."))

    def validate_level(self, field):
        if field.data not in LEVELS:
            raise ValidationError(_l("Niveau inconnu."))
