"""Errors the caseload services raise; every front end turns them into one clear message."""

from __future__ import annotations

from pydantic import ValidationError

# One reading of pydantic's errors for the record and the calculator; the calculator may not
# import the record, so it lives there.
from calculator.errors import FieldError, field_errors

# FieldError too: what InvalidInput holds, and what a caller building one needs.
__all__ = ["CaseloadError", "Conflict", "FieldError", "InvalidInput", "NotAllowed", "NotFound", "UnknownUser"]


class CaseloadError(Exception):
    """Base class: `str(error)` is a complete sentence fit to show a user."""


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
        return cls(field_errors(exc))


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
