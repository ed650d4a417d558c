"""Fuzz the JSON API from its own OpenAPI document (schemathesis): whatever a script sends, the API never
answers 500, every error is the documented JSON envelope, and every answer matches the document."""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis import checks

from app import create_app
from graph.loader import clear, load_network
from referral.api.openapi import openapi_document
from tests.api_helpers import bearer
from tests.conftest import make_config

# Evaluation endpoints belong to evaluators; everything else is tried as an intervenant (who has a person,
# so the referral endpoints go past the role check and into validation).
HEADERS = {}  # user id → its token's header, made by the fixture


@pytest.fixture(scope="module")
def fuzzed_app(neo4j_settings, neo4j_driver, demo_network):
    clear(neo4j_driver)
    load_network(neo4j_driver, demo_network)
    HEADERS.update({user_id: bearer(neo4j_driver, user_id) for user_id in ("u-demo-intervenant", "u-demo-evaluator")})
    app = create_app(make_config(neo4j_settings))
    yield app
    app.extensions["neo4j"].close()


def served_document() -> dict:
    """What /api/v1/openapi.json serves; generating it needs no database (the requests go to the fixture's app)."""
    app = create_app(make_config({"uri": "bolt://127.0.0.1:1", "user": "neo4j", "password": "unused"}))
    try:
        return openapi_document(app)
    finally:
        app.extensions["neo4j"].close()


schema = schemathesis.openapi.from_dict(served_document())


def error_envelope(ctx, response, case):
    """Every 4xx/5xx under /api/ is {"error": {"code", "message", "fields"}}, never an HTML page."""
    if response.status_code < 400:
        return None
    body = response.json()
    error = body.get("error") if isinstance(body, dict) else None
    assert isinstance(error, dict) and {"code", "message", "fields"} <= set(error), (
        f"{response.status_code} is not the JSON error envelope: {response.text[:200]}")
    assert isinstance(error["code"], str) and error["code"] and isinstance(error["message"], str)
    assert error["fields"] is None or isinstance(error["fields"], dict)
    return None


CHECKS = [checks.not_a_server_error, checks.status_code_conformance, checks.content_type_conformance,
          checks.response_schema_conformance, error_envelope]


@schema.parametrize()
@settings(max_examples=8, derandomize=True, deadline=None, database=None,
          suppress_health_check=list(HealthCheck))
def test_api_holds_against_its_document(case, fuzzed_app):
    user = "u-demo-evaluator" if case.path.startswith("/api/v1/evaluation") else "u-demo-intervenant"
    case.call_and_validate(headers=HEADERS[user], checks=CHECKS,
                         app=fuzzed_app)
