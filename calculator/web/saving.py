"""Saving a calculation against a client: what the pages need, not how it is done.

The record is not the calculator's to open: the web process that mounts the pages
(`ips/web.py`) passes `create_app` a `SaveCalculation` working on its database, so the
calculator imports nothing from the record and runs without one. Without it (the service
on its own) the pages offer no saving.
"""

from __future__ import annotations

from typing import Protocol

from calculator.engine import BetterOffRequest, BetterOffResult


class NotSaved(Exception):
    """The calculation was not saved; `str(error)` is the sentence to show beside the reference."""


class SaveCalculation(Protocol):
    def __call__(
        self,
        slack_user_id: str,
        reference: str,
        request: BetterOffRequest,
        result: BetterOffResult,
        household: dict[str, str],
    ) -> None:
        """Save `result` against the client `reference` as this person, keeping `household`
        (the form's answers) for the next calculation; raise `NotSaved` to refuse."""
