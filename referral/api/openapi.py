"""The OpenAPI document: each API module adds its paths with `document(path, spec)`."""

from __future__ import annotations

PATHS: dict[str, dict] = {}

ERROR_SCHEMA = {
    "type": "object",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message", "fields"],
            "properties": {
                "code": {"type": "string"},
                "message": {"type": "string"},
                "fields": {"type": "object", "additionalProperties": {"type": "string"}},
            },
        }
    },
}


def error_responses(*statuses: int) -> dict:
    descriptions = {400: "Bad request", 401: "Not logged in", 403: "Forbidden", 404: "Not found",
                    409: "Conflict", 422: "Invalid input", 503: "Neo4j unavailable"}
    return {
        str(status): {"description": descriptions[status],
                      "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}
        for status in statuses
    }


def document(path: str, spec: dict) -> None:
    PATHS.setdefault(path, {}).update(spec)


def openapi_document() -> dict:
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "Réseau EI API",
            "version": "1.0.0",
            "description": "Find named contacts, send and follow referrals, read network figures. "
                           "Authenticate with the site's session cookie or `Authorization: Bearer <token>`.",
        },
        "servers": [{"url": "/"}],
        "paths": PATHS,
        "components": {
            "schemas": {"Error": ERROR_SCHEMA},
            "securitySchemes": {
                "session": {"type": "apiKey", "in": "cookie", "name": "session"},
                "token": {"type": "http", "scheme": "bearer"},
            },
        },
        "security": [{"session": []}, {"token": []}],
    }
