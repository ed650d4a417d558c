"""WTForms fields several areas' forms share."""

from wtforms import SelectMultipleField
from wtforms.widgets import CheckboxInput, ListWidget


class MultiCheckboxField(SelectMultipleField):
    """A multiple choice as a list of checkboxes (a phone's thumb ticks them; a <select multiple> needs Ctrl)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def readable(field_class: type, message) -> type:
    """`field_class` whose input that cannot be read says `message`, in the user's language (WTForms' own
    messages are English)."""

    def process_formdata(self, valuelist):
        try:
            field_class.process_formdata(self, valuelist)
        except ValueError as error:
            raise ValueError(message) from error

    return type(f"Readable{field_class.__name__}", (field_class,), {"process_formdata": process_formdata})
