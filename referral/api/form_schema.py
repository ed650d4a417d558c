"""OpenAPI from the WTForms forms that validate the API's requests: one set of rules, documented.

The form class is read, not instantiated: its declared fields with their validators, static choices,
defaults, labels and descriptions. Lazy strings are rendered in the locale active at the call.
"""

from __future__ import annotations

from wtforms import BooleanField, DateField, DecimalField, FloatField, IntegerField, SelectMultipleField, SubmitField
from wtforms.fields import SelectFieldBase
from wtforms.fields.core import UnboundField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Regexp

RUN_TIME_CHOICES = "Its choices come from the graph at run time."


def declared_fields(form_class) -> list[tuple[str, UnboundField]]:
    """The form's fields in declaration order (as WTForms binds them), buttons left out."""
    found = [(name, value) for name in dir(form_class)
             if not name.startswith("_") and isinstance(value := getattr(form_class, name), UnboundField)]
    return [(name, field) for name, field in sorted(found, key=lambda item: item[1].creation_counter)
            if not issubclass(field.field_class, SubmitField)]


def _type(field_class) -> dict:
    if issubclass(field_class, BooleanField):
        return {"type": "boolean"}
    if issubclass(field_class, IntegerField):
        return {"type": "integer"}
    if issubclass(field_class, DecimalField | FloatField):
        return {"type": "number"}
    if issubclass(field_class, DateField):
        return {"type": "string", "format": "date"}
    return {"type": "string"}


def _validators(field: UnboundField) -> list:
    return list(field.kwargs.get("validators") or (field.args[1] if len(field.args) > 1 else ()))


def _constraints(validators: list) -> dict:
    """What Length, Regexp, NumberRange and a validator listing its `values` (AnyOf) say of the value."""
    found = {}
    for validator in validators:
        if isinstance(validator, Length):
            found.update({k: v for k, v in (("minLength", validator.min), ("maxLength", validator.max)) if v >= 0})
        elif isinstance(validator, Regexp):
            found["pattern"] = validator.regex.pattern
        elif isinstance(validator, NumberRange):
            found.update({k: v for k, v in (("minimum", validator.min), ("maximum", validator.max)) if v is not None})
        elif getattr(validator, "values", None) is not None:
            found["enum"] = [str(value) for value in validator.values]
    return found


def field_schema(field: UnboundField) -> dict:
    """One field as an OpenAPI 3.0 schema: type, constraints, static choices (enum), default, description."""
    schema = _type(field.field_class) | _constraints(_validators(field))
    description = field.kwargs.get("description") or (field.args[0] if field.args else field.kwargs.get("label"))
    text = str(description or "")
    if issubclass(field.field_class, SelectFieldBase):
        choices = field.kwargs.get("choices")
        if choices:
            schema["enum"] = [str(choice[0] if isinstance(choice, tuple | list) else choice) for choice in choices]
        elif "enum" not in schema:
            text = f"{text.rstrip('.')}. {RUN_TIME_CHOICES}" if text else RUN_TIME_CHOICES
    default = field.kwargs.get("default")
    if default is not None and not callable(default):
        schema["default"] = default
    if issubclass(field.field_class, SelectMultipleField):
        schema = {"type": "array", "items": {k: v for k, v in schema.items() if k != "default"}}
    if text:
        schema["description"] = text
    return schema


def is_required(field: UnboundField) -> bool:
    return any(isinstance(v, DataRequired | InputRequired) for v in _validators(field))


def body_schema(form_class) -> dict:
    """The JSON object a form validates once sent as a request body."""
    fields = declared_fields(form_class)
    schema = {"type": "object", "properties": {name: field_schema(field) for name, field in fields}}
    required = [name for name, field in fields if is_required(field)]
    return schema | ({"required": required} if required else {})


def query_parameters(form_class) -> list[dict]:
    """The query parameters a form validates, each with its schema."""
    parameters = []
    for name, field in declared_fields(form_class):
        schema = field_schema(field)
        parameter = {"name": name, "in": "query", "required": is_required(field)}
        if "description" in schema:
            parameter["description"] = schema.pop("description")
        if schema["type"] == "array":
            parameter.update(style="form", explode=True)
        parameters.append(parameter | {"schema": schema})
    return parameters
