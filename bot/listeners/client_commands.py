"""Subcommands about clients by reference: `/ips client`, `/ips hold`, `/ips discharge`, `/ips job`.

Each looks the client up through caseload (which decides who may see them) before a modal
opens, so a refusal is a private reply to the command and nothing opens. The lookups are
quick reads: the command is acknowledged within Slack's three seconds either way.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack
from slack_sdk import WebClient
from slack_sdk.models.views import View

from bot.listeners.common import client_by_reference, sentence
from bot.views import Message
from bot.views.caseload import LABELS
from bot.views.clients import TIMELINE_LENGTH, client_card, timeline
from bot.views.jobs import ClientChoice, JobChoice, job_end_modal, job_start_modal
from caseload import clock
from caseload.access import require_role
from caseload.client_card import card_of
from caseload.clients import list_clients
from caseload.contacts import CONTACT_ROLES
from caseload.db import Database, Session
from caseload.errors import CaseloadError, NotFound
from caseload.jobs import CAN_START_JOB, JOB_ROLES, open_jobs
from caseload.models import Client, Staff
from caseload.staff import staff_by_slack_id

MakeView = Callable[[Session, Staff], View]


def card_for(session: Session, actor: Staff, record: Client) -> Message:
    """The status card for a client `actor` may see (checked by the lookup that found it)."""
    today = clock.today()
    card = card_of(session, record, today, contacts=TIMELINE_LENGTH)
    events = timeline(card.history, card.contacts, card.jobs, card.names)
    return client_card(record, card.names, card.jobs, events, card.overdue, today,
                       can_log_contacts=actor.role in CONTACT_ROLES)


def client_card_reply(database: Database, user_id: str, args: list[str]) -> Message:
    with database.reading() as session:
        actor = staff_by_slack_id(session, user_id)
        return card_for(session, actor, client_by_reference(session, actor, " ".join(args)))


def _job_start_view(session: Session, actor: Staff, reference: str) -> View:
    require_role(actor, JOB_ROLES, "record job starts")
    chosen = client_by_reference(session, actor, reference) if reference else None
    startable = list_clients(session, actor, statuses=CAN_START_JOB)
    # A named client who cannot start a job yet is still offered: the service says why not.
    if chosen is not None and chosen not in startable:
        startable.insert(0, chosen)
    if not startable:
        raise NotFound("None of your clients can have a job start recorded yet: a job start is "
                       "recorded for someone accepted onto the caseload.")
    choices = [ClientChoice(c.id, c.reference, LABELS.get(c.status, c.status.value).lower())
               for c in startable]
    return job_start_modal(choices, clock.today(), chosen.id if chosen else None,
                           chosen.reference if chosen else None)


def _job_end_view(session: Session, actor: Staff, reference: str) -> View:
    require_role(actor, JOB_ROLES, "record job ends")
    chosen = client_by_reference(session, actor, reference) if reference else None
    rows = open_jobs(session, actor, chosen)
    if not rows:
        if chosen is not None:
            raise NotFound(f"{chosen.reference} has no open job to record the end of.")
        raise NotFound("None of your clients has an open job to record the end of.")
    jobs = [JobChoice(job.id, ref, job.job_title, job.employer, job.started_on)
            for job, ref in rows]
    return job_end_modal(jobs, clock.today())


def job_view(args: list[str]) -> MakeView:
    """`/ips job [start] [REF]` or `/ips job end [REF]`."""
    first = args[0].lower() if args else ""
    rest = " ".join(args[1:] if first in ("start", "end") else args)
    if first == "end":
        return lambda session, actor: _job_end_view(session, actor, rest)
    return lambda session, actor: _job_start_view(session, actor, rest)


def client_view(make: Callable[[int, str], View], args: list[str]) -> MakeView:
    """A modal about the one client named in the command (`/ips hold REF`)."""
    def view(session: Session, actor: Staff) -> View:
        record = client_by_reference(session, actor, " ".join(args))
        return make(record.id, record.reference)

    return view


def open_modal(database: Database, ack: Ack, client: WebClient, command: dict[str, Any],
               make_view: MakeView) -> None:
    """Look up what the modal needs, then acknowledge: privately with the refusal, or open it."""
    try:
        with database.reading() as session:
            actor = staff_by_slack_id(session, command["user_id"])
            view = make_view(session, actor)
    except CaseloadError as exc:
        ack(response_type="ephemeral", text=sentence(exc))
        return
    ack()
    client.views_open(trigger_id=command["trigger_id"], view=view)
