"""The OpenAPI document, generated from the engine's own input and result models."""

from __future__ import annotations

from functools import cache
from typing import Any

from pydantic import TypeAdapter

from calculator.engine import (
    BetterOffRequest,
    BetterOffResult,
    CompareRequest,
    CompareResult,
    SweepRequest,
    SweepResult,
)

REF = "#/components/schemas/{model}"

ERRORS_SCHEMA = {
    "type": "object",
    "required": ["errors"],
    "properties": {
        "errors": {
            "type": "array",
            "minItems": 1,
            "items": {
                "type": "object",
                "required": ["field", "message"],
                "properties": {"field": {"type": "string"}, "message": {"type": "string"}},
            },
        }
    },
}


def _errors(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": REF.format(model="Errors")}}},
    }


def _json_body(model: str) -> dict[str, Any]:
    return {"required": True, "content": {"application/json": {"schema": {"$ref": REF.format(model=model)}}}}


def _ok(model: str, description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": REF.format(model=model)}}},
    }


COMMON_ERRORS = {
    "401": _errors("Missing or wrong bearer token (only when CALCULATOR_API_TOKEN is set)."),
    "413": _errors("Request body over the size limit."),
    "429": _errors("Too many requests from this address; see Retry-After."),
}


# The bodies the API sends besides the engine's own.
HEALTH_SCHEMA = {
    "type": "object",
    "required": ["status"],
    "properties": {
        "status": {"type": "string"},
        "tax_years": {"type": "array", "items": {"type": "string"}},
    },
}
PARAMETERS_SCHEMA = {
    "type": "object",
    "required": ["tax_year", "parameters"],
    "properties": {
        "tax_year": {"type": "string"},
        "starts": {"type": "string", "format": "date"},
        "ends": {"type": "string", "format": "date"},
        "parameters": {"type": "array", "items": {"type": "object"}},
    },
}
SECURITY_SCHEMES = {
    "bearerToken": {
        "type": "http",
        "scheme": "bearer",
        "description": "Authorization: Bearer <CALCULATOR_API_TOKEN>, needed when the service sets "
        "CALCULATOR_API_TOKEN. Wrong tokens are rate limited on their own.",
    }
}
INFO = {
    "title": "IPS Assist better-off calculator",
    "version": "1.0.0",
    "description": "In-work better-off calculations on UK rules for the tax year, itemised and "
    "explained. Every figure's source is at /v1/parameters/{tax_year}.",
}


@cache
def document(server_url: str = "/") -> dict[str, Any]:
    return {
        "openapi": "3.1.0",
        "info": INFO,
        "servers": [{"url": server_url}],
        "paths": _paths(),
        "components": {"schemas": _schemas(), "securitySchemes": SECURITY_SCHEMES},
        # Every /v1 operation; /healthz and this document need no token.
        "security": [{"bearerToken": []}],
    }


def _schemas() -> dict[str, Any]:
    """The engine's models as the API reads and writes them, and the API's own bodies."""
    _, schemas = TypeAdapter.json_schemas(
        [
            ("BetterOffRequest", "validation", TypeAdapter(BetterOffRequest)),
            ("SweepRequest", "validation", TypeAdapter(SweepRequest)),
            ("BetterOffResult", "serialization", TypeAdapter(BetterOffResult)),
            ("SweepResult", "serialization", TypeAdapter(SweepResult)),
            ("CompareRequest", "validation", TypeAdapter(CompareRequest)),
            ("CompareResult", "serialization", TypeAdapter(CompareResult)),
        ],
        ref_template=REF,
    )
    return {**schemas.get("$defs", {}), "Errors": ERRORS_SCHEMA, "Health": HEALTH_SCHEMA,
            "Parameters": PARAMETERS_SCHEMA}


def _calculation(summary: str, operation: str, request: str, result: str, description: str) -> dict[str, Any]:
    return {
        "post": {
            "summary": summary,
            "operationId": operation,
            "requestBody": _json_body(request),
            "responses": {
                "200": _ok(result, description),
                "400": _errors("JSON nested more than 16 levels deep."),
                "422": _errors("Invalid input: every field error."),
                **COMMON_ERRORS,
            },
        }
    }


def _paths() -> dict[str, Any]:
    return {
        "/v1/better-off": _calculation(
            "Better or worse off in a job: now against in work, itemised",
            "betterOff", "BetterOffRequest", "BetterOffResult", "The itemised comparison."),
        "/v1/sweep": _calculation(
            "Net income and marginal deduction rate across hours, for charts",
            "sweep", "SweepRequest", "SweepResult", "One point per step of hours."),
        "/v1/compare": _calculation(
            "Two or three job offers side by side, each against now, with its per-extra-hour "
            "figure and cliff edges",
            "compare", "CompareRequest", "CompareResult",
            "Each offer's itemised answer, as /v1/better-off gives it alone, its cliff edges, and "
            "the best offer."),
        "/v1/parameters/{tax_year}": {
            "get": {
                "summary": "Every rate and threshold for a tax year, with its citation",
                "operationId": "parameters",
                "parameters": [
                    {
                        "name": "tax_year",
                        "in": "path",
                        "required": True,
                        "schema": {"type": "string", "pattern": "^[0-9]{4}-[0-9]{2}$"},
                        "example": "2026-27",
                    }
                ],
                "responses": {
                    "200": _ok("Parameters", "The figures, with an ETag; cacheable for an hour."),
                    "304": {"description": "Unchanged since the ETag sent in If-None-Match."},
                    "404": _errors("No parameters for that tax year."),
                    **COMMON_ERRORS,
                },
            }
        },
        "/healthz": {
            "get": {
                "summary": "Liveness",
                "operationId": "health",
                "security": [],
                "responses": {"200": _ok("Health", "The service is up.")},
            }
        },
    }
