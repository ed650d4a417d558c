"""WTForms fields several areas' forms share."""

from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectMultipleField, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget


class MultiCheckboxField(SelectMultipleField):
    """A multiple choice as a list of checkboxes (a phone's thumb ticks them; a <select multiple> needs Ctrl)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class StrictBooleanField(BooleanField):
    """A box to tick, read strictly: yes is what a browser sends for a ticked box ("y") or the API's JSON
    `true` ("true"; the API refuses any other JSON than true or false, api/validation.py); no is no value,
    "" or "false". Anything else is refused, never taken for yes — WTForms reads every value but "false"
    and "" as yes: « off » or 2 sent a referral despite a pause. A box that links also carry (the search's
    « ouvert maintenant ») takes the `yes` and `no` words they use."""

    def __init__(self, label=None, validators=None, yes=("y", "true"), no=("false", ""), **kwargs):
        super().__init__(label, validators, **kwargs)
        self.yes, self.no = yes, no

    def process_formdata(self, valuelist):
        value = str(valuelist[0]).lower() if valuelist else ""
        self.data = value in self.yes
        if value not in self.yes and value not in self.no:
            raise ValueError(_l("Cette case se coche ou se laisse vide."))


def readable(field_class: type, message) -> type:
    """`field_class` whose input that cannot be read says `message`, in the user's language (WTForms' own
    messages are English)."""

    def process_formdata(self, valuelist):
        try:
            field_class.process_formdata(self, valuelist)
        except ValueError as error:
            raise ValueError(message) from error

    return type(f"Readable{field_class.__name__}", (field_class,), {"process_formdata": process_formdata})


def to_choose(choices: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """A list the user must choose from: nothing chosen for them (a preselected first line was saved unseen),
    unless there is only one line to choose."""
    return choices if len(choices) == 1 else [("", _l("— Choisissez —")), *choices]


def chosen(form, field):
    """The validator of a `to_choose` list (and of checkboxes of which one at least is needed)."""
    if not field.data and not field.errors:  # a choice already said invalid is not said missing too
        raise ValidationError(_l("Cochez au moins une case.") if isinstance(field, SelectMultipleField)
                              else _l("Choisissez dans la liste."))
