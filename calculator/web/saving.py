"""What the pages need from the record, not how it is done: who is signed in, saving a
calculation against a client, and opening a one-time link from Slack.

The record is not the calculator's to open: the web process that mounts the pages
(`ips/web.py`) passes `create_app` a `SaveCalculation` and a `People` working on its database
and sign-in, so the calculator imports nothing from the record and runs without one. Without
them (the service on its own) the pages need no sign-in and offer no saving and no links.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from calculator.engine import BetterOffRequest, BetterOffResult


class NotSaved(Exception):
    """The calculation was not saved; `str(error)` is the sentence to show beside the reference."""


class LinkNotOpened(Exception):
    """A link from Slack cannot be opened; `str(error)` says why, and `gone` is true when it was
    the person's own link, used or expired (otherwise the page does not say it exists)."""

    def __init__(self, message: str, *, gone: bool = False) -> None:
        super().__init__(message)
        self.gone = gone


@dataclass(frozen=True)
class SignedIn:
    """The person using the pages, as the record knows them."""

    slack_user_id: str
    name: str
    # Whether their role may save a calculation against a client (the record decides each save).
    can_save: bool


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


class People(Protocol):
    def signed_in(self) -> SignedIn | None:
        """Who is signed in to this request, or None."""

    def sign_in_url(self, next_path: str) -> str:
        """Where to send someone not signed in, to come back to `next_path`."""

    def sign_out_url(self) -> str:
        """Where the Sign out form posts."""

    def open_link(self, link_id: str, slack_user_id: str, *, use: bool) -> dict[str, str]:
        """The answers behind a link from Slack made for this person; `use` spends it (once).
        Raise `LinkNotOpened` when it cannot be opened."""
