"""The API's answers as marshmallow schemas: each view dumps its payload through one (a key not declared
here never leaves), and the OpenAPI document lists them as its components (apispec's MarshmallowPlugin).

Nullable keys are `allow_none` (OpenAPI 3.0 `nullable`) with `dump_default=None`, so they are sent as
null rather than left out. Dates are formatted by the views (the driver's own date types).
"""

from __future__ import annotations

from functools import cache

from marshmallow import Schema, fields

from referral.referrals.machine import STATUSES, URGENCIES


class AsIs(fields.Number):
    """A number sent as it is computed (an int stays an int, a float a float)."""

    num_type = float  # what loading would give; dumping keeps the value

    def _format_num(self, value):
        return value


@cache
def shared(schema_class: type[Schema]) -> Schema:
    """The one instance of a schema the views dump and load with: an instance builds its every field and
    nested schema (5 % of the server's CPU under load when made per request); dump and load keep no state
    on it (marshmallow 4 has no context)."""
    return schema_class()


def _nullable(field_class=fields.String, **kwargs):
    return field_class(allow_none=True, dump_default=None, **kwargs)


def _text(**kwargs):
    return fields.String(required=True, **kwargs)


def _doc(description: str) -> dict:
    return {"metadata": {"description": description}}


class ErrorBodySchema(Schema):
    code = _text()
    message = _text()
    fields_ = fields.Dict(keys=fields.String(), values=fields.String(), required=True, data_key="fields",
                          attribute="fields")


class ErrorSchema(Schema):
    error = fields.Nested(ErrorBodySchema, required=True)


class PersonRefSchema(Schema):
    id = _text()
    name = _text()


class ContactOrganisationSchema(Schema):
    id = fields.String()
    name = fields.String()
    address = _nullable()
    phone = _nullable()
    territory = _nullable()


class ContactServiceSchema(Schema):
    id = fields.String()
    name = fields.String()
    hours = _nullable()
    languages = fields.List(fields.String())


class ContactSchema(Schema):
    id = _text()
    name = _text()
    role = _nullable(required=True, **_doc("Role code, e.g. intervenant_social"))
    title = _nullable(required=True, **_doc("Their own title as they write it (shown instead of the role's label)"))
    organisation = fields.Nested(ContactOrganisationSchema, required=True)
    services = fields.List(fields.Nested(ContactServiceSchema), required=True)
    languages = fields.List(fields.String(), required=True, **_doc("ISO 639 codes"))
    phone = _nullable(required=True)
    email = _nullable(required=True)
    distance_km = _nullable(AsIs, required=True, **_doc("From `near`, else from the searcher's organisation"))
    score = AsIs(required=True, **_doc("0–100; the weights: docs/search-and-ranking.md"))
    reasons = fields.List(fields.String(), required=True,
                          **_doc("Why this person, in words, in the language of Accept-Language"))
    path = fields.List(fields.Nested(PersonRefSchema), required=True,
                       **_doc("Searcher → (introducer →) contact when they are linked by at most 2 ties"))
    not_accepting_until = _nullable(required=True, **_doc("ISO date: takes no new referrals until then (ranked "
                                                          "after everyone who does; refer with despite_pause)"))


class ContactPageSchema(Schema):
    results = fields.List(fields.Nested(ContactSchema), required=True)
    page = fields.Integer(required=True)
    total = fields.Integer(required=True, **_doc("People who match (at least this many when total_exact is false)"))
    total_exact = fields.Boolean(**_doc("false when the search stopped once the page was settled: less likely "
                                        "matches were not counted"))


class PartySchema(Schema):
    id = fields.String()
    name = _nullable()


class HistoryEventSchema(Schema):
    seq = fields.Integer()
    status = fields.String()
    at = fields.String(metadata={"format": "date-time"})
    by = fields.String()
    reason = _nullable()
    detail = _nullable()
    outcome = _nullable()


class ReferralSchema(Schema):
    id = _text()
    status = _text(metadata={"enum": list(STATUSES)})
    need = _text(**_doc("Need id of the taxonomy"))
    language = _nullable(required=True, **_doc("ISO 639 code of the family's language"))
    urgency = _text(metadata={"enum": list(URGENCIES)})
    note = _nullable(**_doc("Seen by the two parties only; never identifies the family"))
    sender = fields.Nested(PartySchema, required=True, data_key="from", attribute="from")
    receiver = fields.Nested(PartySchema, required=True, data_key="to", attribute="to")
    created_at = _text(metadata={"format": "date-time"})
    updated_at = _text(metadata={"format": "date-time"})
    stale = fields.Boolean(required=True, **_doc("Open and unchanged for 7 days or more"))
    next_statuses = fields.List(fields.String(), required=True, **_doc("The changes the caller may make now"))
    history = fields.List(fields.Nested(HistoryEventSchema))


class OneReferralSchema(Schema):
    referral = fields.Nested(ReferralSchema, required=True)
    tie_created = fields.Boolean(**_doc("Accepting created a KNOWS tie between the two people"))


class ReferralBoxSchema(Schema):
    box = fields.String()
    referrals = fields.List(fields.Nested(ReferralSchema))
    page = fields.Integer(**_doc("This page's number, from 1 (25 referrals a page)"))
    pages = fields.Integer(**_doc("How many pages the box holds (at least 1)"))
    total = fields.Integer(**_doc("How many referrals the box holds"))


class TerritorySchema(Schema):
    id = fields.String()
    name = fields.String()
    cohort = fields.Integer()
    organisations = fields.Integer()
    intervenants = fields.Integer()


class TerritoriesSchema(Schema):
    territories = fields.List(fields.Nested(TerritorySchema))


class AccountSchema(Schema):
    id = fields.String()
    email = fields.String()
    role = fields.String()
    territory = _nullable()
    person = _nullable(**_doc("The account's person in the network, if any"))


class HsdsRootSchema(Schema):
    version = fields.String()
    profile = fields.String()
    openapi_url = fields.String()


# --- evaluation (pseudonymous: people are `P-…`, organisations `O-…`) ---------------------------------

def _figures(**kwargs):
    return fields.Dict(keys=fields.String(), values=_nullable(AsIs), **kwargs)


def _opaque(description: str):
    """A nested object whose keys depend on the data (sectors, roles, levels…)."""
    return fields.Dict(**_doc(description))


class ScopeSchema(Schema):
    id = fields.String()
    kind = fields.String(**_doc("all, cohort or territory"))
    cohort = _nullable(fields.Integer)
    territories = fields.List(fields.String())
    stages = fields.Dict(keys=fields.String(), values=fields.Dict(keys=fields.String(), values=fields.String()),
                         **_doc("Stage (before, s1…s6, after) → territory → date"))


class ScopesSchema(Schema):
    scopes = fields.List(fields.Nested(ScopeSchema))


class BrokerSchema(Schema):
    id = fields.String()
    betweenness = AsIs()


class SnapshotSchema(Schema):
    name = fields.String()
    dates = fields.Dict(keys=fields.String(), values=fields.String())
    reached = fields.Boolean(**_doc("False for a date still to come: its figures are today's"))
    totals = _figures()
    figures = _figures()
    ties_by_origin = _figures()
    breakdowns = _opaque("People per sector / role; null = fewer than 5.")
    brokers = fields.List(fields.Nested(BrokerSchema))
    methods = _opaque("How estimated figures were computed (exact or sampled).")


class TieChangeSchema(Schema):
    start = fields.String(data_key="from", attribute="from")
    end = fields.String(data_key="to", attribute="to")
    reached = fields.Boolean(**_doc("False towards a date still to come: today's changes"))
    new = fields.Integer()
    kept = fields.Integer()
    lost = fields.Integer()
    new_by_origin = _figures()
    lost_by_reason = _figures()


class CurvePointSchema(Schema):
    name = fields.String()
    dates = fields.Dict(keys=fields.String(), values=fields.String())
    totals = _figures()
    figures = _figures()


class ComparisonSchema(Schema):
    scope = fields.String()
    origins = fields.List(fields.String())
    snapshots = fields.List(fields.Nested(SnapshotSchema))
    changes = fields.List(fields.Nested(TieChangeSchema))
    sectors = fields.List(fields.String())
    sector_matrix = fields.Dict(keys=fields.String(), values=fields.List(fields.Raw()))
    curve = fields.List(fields.Nested(CurvePointSchema))


class TablesSchema(Schema):
    table_2 = fields.List(fields.Dict(), **_doc("Per territory: organisations by kind, intervenants"))
    table_2_totals = _figures()
    table_3 = fields.List(fields.Dict(), **_doc("Organisations per sector"))


class WaveSchema(Schema):
    id = fields.String()
    title = fields.String()
    scope = fields.String()
    territories = fields.List(fields.String())
    roster = fields.Integer()
    respondents = fields.Integer()
    roster_rule = fields.String()
    opens = fields.String(metadata={"format": "date"})
    closes = fields.String(metadata={"format": "date"})


class WavesSchema(Schema):
    waves = fields.List(fields.Nested(WaveSchema))


class WaveFiguresSchema(Schema):
    id = fields.String()
    title = fields.String()
    scope = fields.String()
    opens = fields.String(metadata={"format": "date"})
    closes = fields.String(metadata={"format": "date"})
    rule = fields.String()
    response = _opaque("Response rates")
    figures = _figures()
    baseline = _figures(**_doc("The retrospective network (before the project)"))
    changes = _figures()
    reciprocity = _opaque("Reciprocity of the reported ties")
    levels = _figures()
    trust = _opaque("Mean trust by territory and organisation; null below 5 raters")
    value = _opaque("Mean value by territory and organisation; null below 5 raters")


class HsdsPageSchema(Schema):
    """The HSDS API's page envelope; its records are HSDS's own (their schemas are the specification's)."""

    total_items = fields.Integer()
    total_pages = fields.Integer()
    page_number = fields.Integer()
    size = fields.Integer()
    first_page = fields.Boolean()
    last_page = fields.Boolean()
    empty = fields.Boolean()
    contents = fields.List(fields.Raw())
