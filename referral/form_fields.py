"""WTForms fields several areas' forms share."""

from wtforms import SelectMultipleField
from wtforms.widgets import CheckboxInput, ListWidget


class MultiCheckboxField(SelectMultipleField):
    """A multiple choice as a list of checkboxes (a phone's thumb ticks them; a <select multiple> needs Ctrl)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()
