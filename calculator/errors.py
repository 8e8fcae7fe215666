"""Refused input, as field errors: the field each error is about and a sentence about it.

The calculator sits below the record (the record reads its parameters, never the other way
round), so pydantic's errors are read into field errors here, for the calculator and for
the record's own inputs alike.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from pydantic import ValidationError

# A rule about several fields says which one it is about: "partner: a couple needs…".
RULE_ABOUT_FIELD = re.compile(r"^(?P<field>[a-z_][a-z0-9_]*(?:\.[a-z0-9_]+)*): (?P<rule>.+)$", re.DOTALL)


@dataclass(frozen=True)
class FieldError:
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


class CalculatorInputError(Exception):
    """The household or job was refused; `errors` name each field."""

    def __init__(self, errors: list[FieldError]) -> None:
        self.errors = errors
        super().__init__("; ".join(str(e) for e in errors))


def field_errors(exc: ValidationError) -> list[FieldError]:
    """Every error in `exc` with the dotted path of the field it is about."""
    errors = []
    for err in exc.errors():
        field = ".".join(str(part) for part in err["loc"]) or "input"
        # pydantic prefixes custom messages with "Value error, "; people need only the rule.
        message = err["msg"].removeprefix("Value error, ").removeprefix("Assertion failed, ")
        named = RULE_ABOUT_FIELD.match(message)
        if named:
            inner = named["field"]
            field = inner if field == "input" or inner.startswith(field + ".") else f"{field}.{inner}"
            message = named["rule"]
        errors.append(FieldError(field, message))
    return errors
