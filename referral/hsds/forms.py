from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import HiddenField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, Optional

from interop.hsds.mapping import DEFAULT_KIND, DEFAULT_SECTOR, KINDS, SECTORS
from referral.labels import KIND_LABELS, SECTOR_LABELS


class UploadForm(FlaskForm):
    package = FileField(_l("Paquet HSDS 3 : fichier .zip des CSV (avec datapackage.json) ou fichier .json"),
                        validators=[FileRequired(_l("Choisissez un fichier.")),
                                    FileAllowed(["zip", "json"], _l("Un fichier .zip ou .json, s'il vous plaît."))])
    territory = SelectField(_l("Territoire des organisations"), validators=[Optional()])
    sector = SelectField(_l("Secteur des organisations que le paquet ne classe pas"),
                         choices=[(code, SECTOR_LABELS[code]) for code in SECTORS], default=DEFAULT_SECTOR)
    kind = SelectField(_l("Type d'établissement par défaut (les institutions sont reconnues à leur nom)"),
                       choices=[(code, KIND_LABELS[code]) for code in KINDS], default=DEFAULT_KIND)
    submit = SubmitField(_l("Prévisualiser l'import"))


class ConfirmForm(FlaskForm):
    token = HiddenField(validators=[DataRequired()])
    submit = SubmitField(_l("Importer"))


class MappingForm(FlaskForm):
    taxonomy = StringField(_l("Taxonomie (laisser vide : toutes les taxonomies)"),
                           validators=[Optional(), Length(max=200)])
    term = StringField(_l("Code ou nom du terme"), validators=[DataRequired(), Length(max=200)])
    need = SelectField(_l("Besoin"), validators=[DataRequired()])
    submit = SubmitField(_l("Enregistrer la correspondance"))
