"""`/ips client REF`: one client's status card, with a short timeline and buttons to act.

The card names the client by reference and staff by name; nothing else identifies anyone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    HeaderBlock,
    MarkdownTextObject,
    SectionBlock,
)

from bot.views.caseload import LABELS
from caseload.clock import LONDON
from caseload.in_work import WITH_WHOM_WORDS
from caseload.jobs import END_REASON_WORDS
from caseload.models import AuditLog, Client, ClientStatus, EmployerContact, InWorkContact, Job
from caseload.overdue import OverdueClient
from messaging.views import Message, line_sections

CARD_LOG_CONTACT = "client_log_contact"
CARD_HOLD = "client_hold"
CARD_DISCHARGE = "client_discharge"
CARD_RESUME = "client_resume"
CARD_IN_WORK = "client_in_work_support"
CARD_REASSIGN = "client_reassign"
TIMELINE_LENGTH = 8
JOBS_LISTED = 10

STATUS = {**LABELS, ClientStatus.DISCHARGED: "Discharged"}


@dataclass(frozen=True)
class Event:
    on: date
    text: str


def _day(on: date | None) -> str:
    return f"{on:%-d %b %Y}" if on else "not yet"


def _iso(value: object) -> date | None:
    return date.fromisoformat(value) if isinstance(value, str) else None


def _with_reason(text: str, reason: object) -> str:
    return f"{text}: {reason}" if reason else text


def _audit_event(row: AuditLog, names: dict[int, str]) -> Event | None:
    """A client's audit row as a line of its story; rows told better elsewhere are skipped."""
    after = row.after or {}
    by = f" by {names[row.actor_id]}" if row.actor_id in names else ""
    recorded = row.at.astimezone(LONDON).date()
    match row.action:
        case "refer":
            return Event(_iso(after.get("referral_received_on")) or recorded, f"Referred{by}")
        case "accept":
            return Event(_iso(after.get("accepted_on")) or recorded,
                         f"Accepted onto the caseload{by}")
        case "assign" | "reassign":
            who = names.get(after.get("specialist_id") or 0, "a specialist")
            return Event(recorded, f"{'Assigned' if row.action == 'assign' else 'Reassigned'} "
                                   f"to {who}{by}")
        case "start_job_search":
            return Event(_iso(after.get("job_search_started_on")) or recorded,
                         f"Job search started{by}")
        case "hold":
            until = _iso(after.get("hold_until"))
            text = f"Put on hold{' until ' + _day(until) if until else ''}{by}"
            return Event(recorded, _with_reason(text, after.get("hold_reason")))
        case "resume":
            return Event(recorded, f"Taken off hold{by or ' (hold ended)'}")
        case "discharge":
            return Event(_iso(after.get("discharged_on")) or recorded,
                         _with_reason(f"Discharged{by}", after.get("discharge_reason")))
        case "in_work" | "job_seeking" | "employer_contact" | "in_work_contact":
            return None  # the job and contact lines say this with more detail
        case _:
            return Event(recorded, f"{row.action.replace('_', ' ').capitalize()}{by}")


def timeline(audit: list[AuditLog], contacts: list[EmployerContact], jobs: list[Job],
             names: dict[int, str], in_work: list[InWorkContact] | None = None) -> list[Event]:
    """What happened to the client, newest first, from the audit log, contacts and jobs."""
    events = [e for e in (_audit_event(row, names) for row in audit) if e is not None]
    for support in in_work or []:
        how = "face to face" if support.face_to_face else "not face to face"
        by = f", by {names[support.staff_id]}" if support.staff_id in names else ""
        events.append(Event(support.contacted_on, f"In-work support with "
                                                  f"{WITH_WHOM_WORDS[support.with_whom]} ({how}){by}"))
    for contact in contacts:
        how = "face to face" if contact.face_to_face else "not face to face"
        by = f", by {names[contact.staff_id]}" if contact.staff_id in names else ""
        events.append(Event(contact.contacted_on,
                            f"Employer contact with {contact.employer} ({how}){by}"))
    for job in jobs:
        events.append(Event(job.started_on, f"Started work: {job.job_title} at {job.employer}"))
        if job.ended_on is not None:
            why = f" ({END_REASON_WORDS[job.end_reason_code]})" if job.end_reason_code else ""
            events.append(Event(job.ended_on,
                                f"Job ended: {job.job_title} at {job.employer}{why}"))
    # Stable sort: on the same day, what was recorded later comes first.
    return sorted(reversed(events), key=lambda e: e.on, reverse=True)


def _status(client: Client) -> str:
    status = STATUS.get(client.status, client.status.value)
    if client.status == ClientStatus.ON_HOLD:
        status += f" until {_day(client.hold_until)}" if client.hold_until else " (no end date)"
    return status


def _last_contact(client: Client, overdue: OverdueClient | None, today: date) -> str:
    last = client.last_face_to_face_contact_on
    text = "none yet" if last is None else f"{_day(last)} ({(today - last).days} days ago)"
    if overdue is not None:
        text += f"\n:warning: {overdue.days_without_contact} days without one: overdue"
    return text


def _job_line(job: Job) -> str:
    when = f"from {_day(job.started_on)}" + (f" to {_day(job.ended_on)}" if job.ended_on else "")
    if job.end_reason_code is not None:
        when += f" ({END_REASON_WORDS[job.end_reason_code]})"
    hours = f"{job.hours_per_week:.2f}".rstrip("0").rstrip(".")
    outcome = "competitive" if job.is_competitive else "not a competitive outcome"
    return (f"• {job.job_title} at {job.employer}, {when}: {hours} h/week at "
            f"£{job.hourly_wage:.2f}/hour ({outcome})")


def client_card(client: Client, names: dict[int, str], jobs: list[Job],
                events: list[Event], overdue: OverdueClient | None, today: date,
                can_log_contacts: bool, next_in_work_due: date | None = None,
                can_reassign: bool = False) -> Message:
    ref = client.reference
    text = f"{ref}: {_status(client).lower()}."
    fields = [
        ("Status", _status(client)),
        ("Specialist", names.get(client.specialist_id or 0, "not assigned yet")),
        ("Care coordinator", names.get(client.care_coordinator_id or 0, "not recorded")),
        ("Referred", _day(client.referral_received_on)),
        ("Accepted", _day(client.accepted_on)),
        ("Job search started", _day(client.job_search_started_on)),
        ("Last face-to-face employer contact", _last_contact(client, overdue, today)),
    ]
    if jobs:
        fields.append(("Last in-work support", _day(client.last_in_work_contact_on)))
    if next_in_work_due is not None:
        late = " :warning: overdue" if next_in_work_due < today else ""
        fields.append(("Next in-work support due", f"{_day(next_in_work_due)}{late}"))
    if client.status == ClientStatus.DISCHARGED:
        fields.append(("Discharged", _day(client.discharged_on)))
    blocks: list[Block] = [
        HeaderBlock(text=f"Client {ref}"),
        SectionBlock(fields=[MarkdownTextObject(text=f"*{label}*\n{value}")
                             for label, value in fields]),
    ]
    if jobs:
        shown = sorted(jobs, key=lambda j: j.started_on, reverse=True)[:JOBS_LISTED]
        more = [f"…and {len(jobs) - JOBS_LISTED} earlier"] if len(jobs) > JOBS_LISTED else []
        blocks += line_sections([f"*Jobs* ({len(jobs)})", *map(_job_line, shown), *more])
    else:
        blocks.append(SectionBlock(text=MarkdownTextObject(text="*Jobs*\nNo job starts yet.")))
    recent = [f"• {e.on:%-d %b}: {e.text}" for e in events[:TIMELINE_LENGTH]]
    if len(events) > TIMELINE_LENGTH:
        recent.append(f"…and {len(events) - TIMELINE_LENGTH} earlier")
    blocks += line_sections(["*Recently*", *recent] if recent else ["*Recently*\nNothing yet."])
    buttons = []
    if client.status != ClientStatus.DISCHARGED:
        value = str(client.id)
        if can_log_contacts:
            buttons.append(ButtonElement(text="Log contact", action_id=CARD_LOG_CONTACT,
                                         value=value, style="primary"))
        if can_log_contacts and jobs:
            buttons.append(ButtonElement(text="Log in-work support", action_id=CARD_IN_WORK,
                                         value=value))
        if client.status == ClientStatus.ON_HOLD:
            buttons.append(ButtonElement(text="Take off hold", action_id=CARD_RESUME,
                                         value=value))
        else:
            buttons.append(ButtonElement(text="Put on hold", action_id=CARD_HOLD, value=value))
        if can_reassign:
            buttons.append(ButtonElement(text="Reassign", action_id=CARD_REASSIGN, value=value))
        buttons.append(ButtonElement(text="Discharge", action_id=CARD_DISCHARGE, value=value,
                                     style="danger"))
    if buttons:
        blocks.append(ActionsBlock(block_id=f"client_actions_{client.id}", elements=buttons))
    blocks.append(ContextBlock(elements=[MarkdownTextObject(
        text="Only you can see this. Record job starts and ends with `/ips job`.")]))
    return Message(text=text, blocks=blocks)


def taken_off_hold(client: Client) -> str:
    return (f"{client.reference} is off hold: {STATUS[client.status].lower()} again, and "
            "four-week nudges start again.")
