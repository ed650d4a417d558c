
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired, FileSize
from wtforms import (
    DateField,
    EmailField,
    FloatField,
    HiddenField,
    RadioField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.validators import DataRequired, InputRequired, Length, Optional, Regexp, ValidationError

from graph.repositories.ties import LEVELS, ORIGINS
from interop.cells import WebAddressError, web_url
from referral import clock
from referral.auth.forms import VALID_EMAIL
from referral.contact_rules import PHONE
from referral.directory.csv_import import MAX_BYTES
from referral.form_fields import MultiCheckboxField, StrictBooleanField, chosen, readable, to_choose
from referral.geocode import in_montreal, normalise_postal_code
from referral.labels import KIND_LABELS, LANGUAGE_LABELS, LEVEL_LABELS, ORIGIN_LABELS, ROLE_LABELS, SECTOR_LABELS
from referral.links import INVALID as INVALID_WEBSITE
from referral.links import why_refused
from referral.plain_text import is_one_line
from referral.spreadsheet import no_formula

PERSON_KINDS = {"intervenant": _l("Intervenant.e"), "parent": _l("Parent partenaire")}
# Someone else's number: the phone keypad, but not the coordinator's own number offered.
OTHERS_PHONE = {"type": "tel", "autocomplete": "off"}
IMPORT_KINDS = {"participants": _l("Participant.es (cahier des participant.es)"),
                "organisations": _l("Organisations")}


def _not_in_future(form, field):
    if field.data and field.data > clock.today():
        raise ValidationError(_l("La date ne peut pas être dans le futur."))


def _postal_code(form, field):
    normal = normalise_postal_code(field.data or "")
    if normal is None:
        raise ValidationError(_l("Code postal invalide (ex. H1G 3K4)."))
    field.data = normal


def _website(form, field):
    """http(s) only; « www.exemple.org » is stored as « https://www.exemple.org »."""
    try:
        field.data = web_url(field.data)
    except WebAddressError as error:
        raise ValidationError(INVALID_WEBSITE % {"why": why_refused(error)}) from None


def _phone():
    return Regexp(PHONE, message=_l("Numéro de téléphone invalide (ex. 514 555-0123)."))


def _one_line(form, field):
    """A name or a title is one line: no line break or other control character (they end up in e-mail
    subjects and spreadsheet cells)."""
    if field.data and not is_one_line(field.data):
        raise ValidationError(_l("Une seule ligne, sans caractère de contrôle."))


def _text(max_length: int, *validators, lines: bool = False):
    """A free-text directory field: bounded, one line (unless `lines`), and never a spreadsheet formula."""
    return [*validators, Length(max=max_length), *([] if lines else [_one_line]), no_formula()]


# A new record's languages start at French, said beside the boxes (NewRecord); at least one stays ticked (none
# was saved as French unseen).
LANGUAGES = {"choices": list(LANGUAGE_LABELS.items()), "default": ["fr"], "validators": [chosen]}
FRENCH_FIRST = _l("Français coché d'avance — modifiez au besoin.")
# A date that starts at today says so beside it (found by the outside pass of issue 21: unseen, it was saved).
TODAY = {"default": clock.today, "description": _l("Aujourd'hui par défaut — modifiez au besoin.")}


class NewRecord:
    """A form that makes a record when given no data: the defaults it ticks are said; an edited record's values
    are its own, said by nothing."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if kwargs.get("data") is None and kwargs.get("obj") is None and "languages" in self:
            self.languages.description = FRENCH_FIRST


class CoordinateField(FloatField):
    """A latitude or longitude, read with a decimal comma too (« 45,6 »: how French users type it)."""

    def process_formdata(self, valuelist):
        super().process_formdata([v.replace(",", ".").strip() for v in valuelist])


Coordinate = readable(CoordinateField, _l("Écrivez un nombre, ex. 45,59412 ou 45.59412."))
COORDINATE = {"autocomplete": "off", "spellcheck": "false", "autocapitalize": "off"}


class OrganisationForm(NewRecord, FlaskForm):
    name = StringField(_l("Nom"), validators=_text(200, DataRequired()))
    sector = SelectField(_l("Secteur"), choices=to_choose(list(SECTOR_LABELS.items())), validators=[chosen])
    kind = SelectField(_l("Type"), choices=to_choose(list(KIND_LABELS.items())), validators=[chosen])
    territory = SelectField(_l("Territoire où elle se trouve"), validators=[chosen])
    served = MultiCheckboxField(_l("Territoires desservis"))
    address = StringField(_l("Adresse"), validators=_text(300, Optional()))
    postal_code = StringField(_l("Code postal"), validators=[DataRequired(), _postal_code],
                              render_kw={"autocomplete": "off", "autocapitalize": "characters"})
    phone = StringField(_l("Téléphone"), validators=[Optional(), _phone(), no_formula(phone=True)],
                        render_kw=OTHERS_PHONE)
    # Text, not type=url: the browser would refuse « www.exemple.org », which _website completes.
    website = StringField(_l("Site web"), validators=[Optional(), Length(max=300), _website],
                          render_kw={"inputmode": "url", "autocomplete": "url"})
    languages = MultiCheckboxField(_l("Langues d'accueil"), **LANGUAGES)
    manual_position = StrictBooleanField(_l("Je place le point moi-même (latitude et longitude ci-dessous)"))
    # Text, not type=number: a browser's number field turns « 45,6012 » into 456012 (found by the outside pass);
    # not inputmode=decimal either: a phone's decimal keypad has no minus sign, and Montréal is west.
    latitude = Coordinate(_l("Latitude"), validators=[Optional()], render_kw=COORDINATE)
    longitude = Coordinate(_l("Longitude"), validators=[Optional()], render_kw=COORDINATE)
    submit = SubmitField(_l("Enregistrer"))

    def validate(self, extra_validators=None) -> bool:
        """A point placed by hand needs both coordinates, on the island. Checked here, not in validate_latitude:
        an empty field stops its own validators (Optional), and an empty pair reached the service (a 500, found
        by the outside pass of issue 21)."""
        valid = super().validate(extra_validators)
        if self._typed_point():
            self.manual_position.data = True  # coordinates typed, box forgotten: theirs, not the postal area's
        if not self.manual_position.data or self.latitude.errors or self.longitude.errors:
            return valid
        if self.latitude.data is None or self.longitude.data is None:
            self.latitude.errors = [*self.latitude.errors, _l("Donnez la latitude et la longitude du point.")]
            return False
        if not in_montreal(self.latitude.data, self.longitude.data):
            self.latitude.errors = [*self.latitude.errors, _l("Ce point n'est pas sur l'île de Montréal.")]
            return False
        return valid

    def _typed_point(self) -> bool:
        """Both coordinates given and not those the form was opened with (an edited organisation's point)."""
        typed = (self.latitude.data, self.longitude.data)
        opened = tuple((self.data_given or {}).get(key) for key in ("latitude", "longitude"))
        return None not in typed and typed != opened

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.data_given = kwargs.get("data")


class ServiceForm(NewRecord, FlaskForm):
    name = StringField(_l("Nom du service"), validators=_text(200, DataRequired()))
    description = TextAreaField(_l("Description"), validators=_text(2000, Optional(), lines=True))
    eligibility = StringField(_l("Admissibilité"), validators=_text(500, Optional()))
    hours = StringField(_l("Heures"), validators=_text(200, Optional()))
    languages = MultiCheckboxField(_l("Langues"), **LANGUAGES)
    needs = MultiCheckboxField(_l("Besoins auxquels il répond"))
    submit = SubmitField(_l("Enregistrer"))


class PersonForm(FlaskForm):
    name = StringField(_l("Nom"), validators=_text(200, DataRequired()))
    role = SelectField(_l("Fonction"), choices=[("", "—"), *ROLE_LABELS.items()], validators=[Optional()])
    title = StringField(_l("Titre, comme la personne l'écrit (facultatif)"), validators=_text(80, Optional()),
                        description=_l("Affiché à la place de la fonction, ex. « Éducateur à la petite enfance »."))
    email = EmailField(_l("Courriel"), validators=_text(254, Optional(), VALID_EMAIL),
                       render_kw={"autocomplete": "off"})
    phone = StringField(_l("Téléphone"), validators=[Optional(), _phone(), no_formula(phone=True)],
                        render_kw=OTHERS_PHONE)
    languages = MultiCheckboxField(_l("Langues parlées"), **LANGUAGES)
    listed = StrictBooleanField(_l("A consenti à apparaître dans le répertoire"))
    research_consent = StrictBooleanField(_l("A consenti à l'usage pseudonymisé de ses données pour l'évaluation"))
    submit = SubmitField(_l("Enregistrer"))


class NewPersonForm(NewRecord, PersonForm):
    kind = SelectField(_l("Personne"), choices=list(PERSON_KINDS.items()),  # most people added are workers: said
                       description=_l("Intervenant.e par défaut — choisissez « Parent partenaire » au besoin."))
    organisation = SelectField(_l("Organisation"), validators=[chosen])
    since = DateField(_l("En poste depuis"), validators=[DataRequired(), _not_in_future], **TODAY)


class JobForm(FlaskForm):
    organisation = SelectField(_l("Nouvel emploi à"), validators=[chosen])
    since = DateField(_l("Depuis"), validators=[DataRequired(), _not_in_future], **TODAY)
    submit = SubmitField(_l("Ajouter l'emploi"))


class EndJobForm(FlaskForm):
    organisation = HiddenField(validators=[DataRequired()])
    until = DateField(_l("A quitté le"), validators=[DataRequired(), _not_in_future], **TODAY)
    submit = SubmitField(_l("Fin d'emploi"))


class TieForm(FlaskForm):
    person_a = SelectField(_l("Personne"), validators=[chosen])
    person_b = SelectField(_l("connaît"), validators=[chosen])
    since = readable(DateField, _l("Indiquez une date valide (AAAA-MM-JJ)."))(
        _l("Depuis"), validators=[InputRequired(message=_l("Indiquez une date.")), _not_in_future], **TODAY)
    # Nothing chosen for the user: an origin is what the before / after measures rest on.
    origin = SelectField(_l("Origine du lien"),
                         choices=[("", _l("— Choisissez —"))] + [(o, ORIGIN_LABELS[o]) for o in ORIGINS],
                         validators=[DataRequired(message=_l("Choisissez l'origine du lien."))])
    session = SelectField(_l("Séance EI (si le lien y est né)"), validators=[Optional()])
    level = SelectField(_l("Niveau de collaboration"), choices=to_choose([(v, LEVEL_LABELS[v]) for v in LEVELS]),
                        validators=[chosen])
    submit = SubmitField(_l("Enregistrer le lien"))

    def validate_person_b(self, field):
        if field.data == self.person_a.data:
            raise ValidationError(_l("Choisissez deux personnes différentes."))



FILE_TOO_LARGE = _l("Le fichier dépasse 1 Mo : découpez-le en plusieurs fichiers.")


class ImportForm(FlaskForm):
    kind = RadioField(_l("Que contient le fichier ?"), choices=list(IMPORT_KINDS.items()), default="participants")
    file = FileField(_l("Fichier CSV"), validators=[
        FileRequired(_l("Choisissez un fichier CSV.")),
        FileSize(MAX_BYTES, message=FILE_TOO_LARGE),
    ])
    submit = SubmitField(_l("Prévisualiser"))


class ConfirmImportForm(FlaskForm):
    """Carries the previewed file back (base64), so that the import re-checks exactly what was previewed."""

    kind = HiddenField(validators=[DataRequired()])
    content = HiddenField(validators=[DataRequired()])
    submit = SubmitField(_l("Importer"))


class JournalForm(FlaskForm):
    """The journal's filters, read from the query string (a filtered journal can be bookmarked and exported)."""

    class Meta:
        csrf = False

    nom = StringField(_l("Fiche (nom d'une personne ou d'une organisation)"), validators=[Optional(), Length(max=200)])
    territoire = SelectField(_l("Territoire"), validators=[Optional()])
    type = SelectField(_l("Sorte de fiche"), validators=[Optional()])
    auteur = StringField(_l("Auteur (courriel ou une partie)"), validators=[Optional(), Length(max=254)])
    fiche = HiddenField(validators=[Optional(), Length(max=100)])
    du = DateField(_l("Du"), validators=[Optional()])
    au = DateField(_l("Au"), validators=[Optional()])

    def validate_au(self, field):
        if field.data and self.du.data and field.data < self.du.data:
            raise ValidationError(_l("La date de fin précède celle du début."))
