"""Subcommands about clients: `/ips client`, `/ips hold`, `/ips discharge`, `/ips job`, `/ips contact`,
`/ips betteroff`.

Each looks the client up through caseload (which decides who may see them) before a modal
opens, so a refusal is a private reply to the command and nothing opens. The lookups are
quick reads: the command is acknowledged within Slack's three seconds either way.
"""

from __future__ import annotations

from collections.abc import Callable

from slack_sdk.models.views import View

from bot.listeners.betteroff import open_better_off_modal
from bot.listeners.common import client_by_reference, contact_modal_for, in_work_modal_for
from bot.listeners.dispatch import Invocation, open_modal, reply
from bot.views import modals
from bot.views.caseload import LABELS
from bot.views.clients import TIMELINE_LENGTH, client_card, timeline
from bot.views.jobs import ClientChoice, JobChoice, job_end_modal, job_start_modal
from caseload import clock
from caseload.access import require_role
from caseload.calculations import CALCULATION_ROLES
from caseload.client_card import card_of
from caseload.clients import list_clients
from caseload.contacts import CONTACT_ROLES
from caseload.db import Database, Session
from caseload.errors import NotFound
from caseload.jobs import CAN_START_JOB, JOB_ROLES, open_jobs
from caseload.models import Client, Role, Staff
from caseload.references import client_reference_problem
from caseload.staff import staff_by_slack_id
from messaging.views import Message

MakeView = Callable[[Session, Staff], View]


def card_for(session: Session, actor: Staff, record: Client) -> Message:
    """The status card for a client `actor` may see (checked by the lookup that found it)."""
    today = clock.today()
    card = card_of(session, record, today, contacts=TIMELINE_LENGTH)
    events = timeline(card.history, card.contacts, card.jobs, card.names, card.in_work)
    return client_card(record, card.names, card.jobs, events, card.overdue, today,
                       can_log_contacts=actor.role in CONTACT_ROLES,
                       next_in_work_due=card.next_in_work_due,
                       can_reassign=actor.role == Role.TEAM_LEADER and actor.team_id == record.team_id)


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


def _which_client(inv: Invocation) -> bool:
    """Ask privately which client, when the command names none."""
    if inv.words:
        return False
    inv.ack(response_type="ephemeral",
            text=f"Which client? Use `/ips {inv.name} REF` with their local reference.")
    return True


def client_command(inv: Invocation) -> None:
    """`/ips client REF`: the client's card, privately."""
    if not _which_client(inv):
        reply(inv, lambda: client_card_reply(inv.database, inv.command["user_id"], inv.words))


def hold_command(inv: Invocation) -> None:
    """`/ips hold REF`: the same modal as the card's Put on hold button."""
    if not _which_client(inv):
        open_modal(inv, client_view(modals.hold_modal, inv.words))


def _discharge_modal(client_id: int, reference: str) -> View:
    return modals.discharge_modal(client_id, reference, clock.today())


def discharge_command(inv: Invocation) -> None:
    """`/ips discharge REF`: the same modal as the card's Discharge button."""
    if not _which_client(inv):
        open_modal(inv, client_view(_discharge_modal, inv.words))


def job_command(inv: Invocation) -> None:
    """`/ips job [start] [REF]`, `/ips job end [REF]`."""
    open_modal(inv, job_view(inv.words))


IN_WORK_WORDS = ("in-work", "inwork", "in_work")


def contact_command(inv: Invocation) -> None:
    """`/ips contact`: the employer contact modal; `/ips contact in-work [REF]`: in-work
    support. Privately why not, as the shortcuts do."""
    if inv.words and inv.words[0].lower() in IN_WORK_WORDS:
        reference = " ".join(inv.words[1:])
        open_modal(inv, lambda session, actor: in_work_modal_for(session, actor, reference))
        return
    open_modal(inv, contact_modal_for)


def betteroff_command(inv: Invocation) -> None:
    """`/ips betteroff [REF]`: the modal, for the roles that calculate."""
    if inv.person.role not in CALCULATION_ROLES:
        inv.ack(response_type="ephemeral", text="Better-off calculations are for employment specialists, "
                "benefits advisors and team leaders; ask one of them.")
        return
    inv.ack()
    given = inv.words[0] if inv.words else None
    # Only a well-formed reference is put back into the modal; nothing else is echoed.
    reference = given if given and not client_reference_problem(given) else None
    open_better_off_modal(inv.database, inv.client, inv.command["trigger_id"], inv.person.slack_user_id,
                          reference)
