"""Errors the caseload services raise; every front end turns them into one clear message."""

from __future__ import annotations

import re
from dataclasses import dataclass

from pydantic import ValidationError

RULE_ABOUT_FIELD = re.compile(r"^(?P<field>[a-z_][a-z0-9_]*(?:\.[a-z0-9_]+)*): (?P<rule>.+)$", re.DOTALL)


class CaseloadError(Exception):
    """Base class: `str(error)` is a complete sentence fit to show a user."""


@dataclass(frozen=True)
class FieldError:
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


class InvalidInput(CaseloadError):
    """Input broke a rule; each error names the field it is about."""

    def __init__(self, errors: list[FieldError]) -> None:
        self.errors = errors
        super().__init__("; ".join(str(e) for e in errors))

    @classmethod
    def one(cls, field: str, message: str) -> InvalidInput:
        return cls([FieldError(field, message)])

    @classmethod
    def from_pydantic(cls, exc: ValidationError) -> InvalidInput:
        errors = []
        for err in exc.errors():
            field = ".".join(str(part) for part in err["loc"]) or "input"
            message = err["msg"]
            # pydantic prefixes custom messages with "Value error, "; users need only the rule.
            message = message.removeprefix("Value error, ").removeprefix("Assertion failed, ")
            # A rule about several fields says which field it is about: "partner: a couple needs…".
            named = RULE_ABOUT_FIELD.match(message)
            if named:
                inner = named["field"]
                field = inner if field == "input" or inner.startswith(field + ".") else f"{field}.{inner}"
                message = named["rule"]
            errors.append(FieldError(field, message))
        return cls(errors)


class NotAllowed(CaseloadError):
    """The actor's role or team does not permit this; the message says what is not allowed."""


class UnknownUser(NotAllowed):
    def __init__(self, slack_user_id: str) -> None:
        self.slack_user_id = slack_user_id
        super().__init__(
            "You are not set up in IPS Assist yet: ask your team leader to add you."
        )


class NotFound(CaseloadError):
    pass


class Conflict(CaseloadError):
    """The request clashes with what is already recorded (a duplicate, or the wrong status)."""
