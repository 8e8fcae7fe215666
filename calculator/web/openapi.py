"""The OpenAPI document, generated from the engine's own input and result models."""

from __future__ import annotations

from functools import cache
from typing import Any

from pydantic import TypeAdapter

from calculator.engine import BetterOffRequest, BetterOffResult, SweepRequest, SweepResult

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


@cache
def document(server_url: str = "/") -> dict[str, Any]:
    _, schemas = TypeAdapter.json_schemas(
        [
            ("BetterOffRequest", "validation", TypeAdapter(BetterOffRequest)),
            ("SweepRequest", "validation", TypeAdapter(SweepRequest)),
            ("BetterOffResult", "serialization", TypeAdapter(BetterOffResult)),
            ("SweepResult", "serialization", TypeAdapter(SweepResult)),
        ],
        ref_template=REF,
    )
    components = dict(schemas.get("$defs", {}))
    components["Errors"] = ERRORS_SCHEMA
    components["Health"] = {
        "type": "object",
        "required": ["status"],
        "properties": {
            "status": {"type": "string"},
            "tax_years": {"type": "array", "items": {"type": "string"}},
        },
    }
    components["Parameters"] = {
        "type": "object",
        "required": ["tax_year", "parameters"],
        "properties": {
            "tax_year": {"type": "string"},
            "starts": {"type": "string", "format": "date"},
            "ends": {"type": "string", "format": "date"},
            "parameters": {"type": "array", "items": {"type": "object"}},
        },
    }
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "IPS Assist better-off calculator",
            "version": "1.0.0",
            "description": "In-work better-off calculations on UK rules for the tax year, itemised and "
            "explained. Every figure's source is at /v1/parameters/{tax_year}.",
        },
        "servers": [{"url": server_url}],
        "paths": {
            "/v1/better-off": {
                "post": {
                    "summary": "Better or worse off in a job: now against in work, itemised",
                    "operationId": "betterOff",
                    "requestBody": _json_body("BetterOffRequest"),
                    "responses": {
                        "200": _ok("BetterOffResult", "The itemised comparison."),
                        "422": _errors("Invalid input: every field error."),
                        **COMMON_ERRORS,
                    },
                }
            },
            "/v1/sweep": {
                "post": {
                    "summary": "Net income and marginal deduction rate across hours, for charts",
                    "operationId": "sweep",
                    "requestBody": _json_body("SweepRequest"),
                    "responses": {
                        "200": _ok("SweepResult", "One point per step of hours."),
                        "422": _errors("Invalid input: every field error."),
                        **COMMON_ERRORS,
                    },
                }
            },
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
                        "200": _ok("Parameters", "The figures."),
                        "404": _errors("No parameters for that tax year."),
                        **COMMON_ERRORS,
                    },
                }
            },
            "/healthz": {
                "get": {
                    "summary": "Liveness",
                    "operationId": "health",
                    "responses": {"200": _ok("Health", "The service is up.")},
                }
            },
        },
        "components": {"schemas": components},
    }
