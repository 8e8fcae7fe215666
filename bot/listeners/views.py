"""Modal submissions about clients and jobs: validate through caseload, answer errors in place,
save once (bot/listeners/submissions.py), then confirm in a direct message."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.listeners.common import client_by_reference
from bot.listeners.submissions import Work, save_and_confirm
from bot.modal_input import Values, given, submitted, values_of
from bot.views import modals
from bot.views.jobs import JOB_END, JOB_START, job_end_recorded, job_start_recorded
from caseload import clients, jobs, snoozes
from caseload.contacts import NewEmployerContact, record_employer_contact
from caseload.db import Database, Session
from caseload.errors import CaseloadError, InvalidInput
from caseload.in_work import (
    WITH_WHOM_WORDS,
    NewInWorkContact,
    follow_up_due_on,
    next_in_work_contact_due,
    record_in_work_contact,
)
from caseload.models import Client, Staff
from caseload.validation import parse
from messaging.views import Message


def _snooze(session: Session, actor: Staff, client: Client, values: Values) -> str:
    snooze = parse(snoozes.Snooze, {"reason": submitted(values, "reason") or ""})
    snoozes.snooze_nudges(session, actor, client, snooze)
    return f"Nudges about {client.reference} are snoozed for {snooze.days} days."


def _hold(session: Session, actor: Staff, client: Client, values: Values) -> str:
    hold = parse(clients.Hold, {"reason": submitted(values, "reason") or "",
                                "until": submitted(values, "until")})
    clients.put_on_hold(session, actor, client, hold)
    until = f" until {hold.until:%-d %B}" if hold.until else ""
    return f"{client.reference} is on hold{until}; no nudges meanwhile."


def _contact_fields(values: Values) -> dict[str, Any]:
    return {"employer": submitted(values, "employer") or "",
            "contacted_on": submitted(values, "contacted_on"),
            "face_to_face": submitted(values, "face_to_face") == "yes"}


def _contact(session: Session, actor: Staff, client: Client, values: Values) -> str:
    contact = parse(NewEmployerContact, {**_contact_fields(values), "client_id": client.id})
    record_employer_contact(session, actor, contact)
    kind = "face-to-face " if contact.face_to_face else ""
    return f"Logged a {kind}employer contact for {client.reference} with {contact.employer}."


def _discharge(session: Session, actor: Staff, client: Client, values: Values) -> str:
    discharge = parse(clients.Discharge, {"reason": submitted(values, "reason") or "",
                                          "on": submitted(values, "on")})
    clients.discharge(session, actor, client, discharge)
    return (f"{client.reference} is discharged from IPS as of {client.discharged_on:%-d %B %Y}. "
            "To work with them again, refer them with /ips refer.")


def _any_contact(session: Session, actor: Staff, view: dict[str, Any]) -> str:
    """`/ips contact`: about a client when a reference is given, else general job development."""
    values = values_of(view)
    reference = (submitted(values, "reference") or "").strip()
    if reference:
        try:
            record = clients.find_client(session, actor, reference)
        except CaseloadError as exc:
            raise InvalidInput.one("reference", str(exc)) from None
        return _contact(session, actor, record, values)
    # Only those in no team are asked which team (bot/listeners/common.py).
    contact = parse(NewEmployerContact, {**_contact_fields(values), "team_id": submitted(values, "team")})
    record_employer_contact(session, actor, contact)
    return f"Logged job development with {contact.employer}."


JOB_START_FIELDS = {"employer": "employer", "job_title": "job_title", "job_type": "job_type",
                    "started_on": "started_on", "hours_per_week": "hours_per_week",
                    "hourly_wage": "hourly_wage", "age_band": "age_band"}


def _job_start(session: Session, actor: Staff, view: dict[str, Any]) -> Message:
    values = values_of(view)
    if "reference" in values:  # too many clients for a picker: the reference was typed
        client_id: Any = client_by_reference(session, actor, submitted(values, "reference") or "").id
    else:
        client_id = submitted(values, "client")
    start = parse(jobs.NewJobStart, {
        **given(values, JOB_START_FIELDS), "client_id": client_id,
        "open_to_anyone": submitted(values, "open_to_anyone") != "no"})
    job = jobs.record_job_start(session, actor, start)
    return job_start_recorded(job.client.reference, job)


def _job_end(session: Session, actor: Staff, view: dict[str, Any]) -> Message:
    values = values_of(view)
    end = parse(jobs.JobEnd, given(values, {"ended_on": "ended_on", "reason": "reason",
                                            "details": "details"}))
    job_id = submitted(values, "job")
    if not job_id:
        raise InvalidInput.one("job", "choose the job that ended")
    job = jobs.record_job_end(session, actor, int(job_id), end)
    return job_end_recorded(job.client.reference, job, job.client.status,
                            follow_up_due_on(end.ended_on, job.client.team.nation))


def _in_work_contact(session: Session, actor: Staff, view: dict[str, Any]) -> str:
    """In-work support for the client in the modal's metadata, or the one whose reference was
    typed (the command and the shortcut)."""
    values = values_of(view)
    if view.get("private_metadata"):
        record = clients.get_client(session, actor, int(view["private_metadata"]))
    else:
        try:
            record = client_by_reference(session, actor, submitted(values, "reference") or "")
        except CaseloadError as exc:
            raise InvalidInput.one("reference", str(exc)) from None
    contact = parse(NewInWorkContact, {
        **given(values, {"contacted_on": "contacted_on", "with_whom": "with_whom",
                         "notes": "notes"}),
        "client_id": record.id, "face_to_face": submitted(values, "face_to_face") == "yes"})
    record_in_work_contact(session, actor, contact)
    how = "face to face" if contact.face_to_face else "not face to face"
    text = (f"Logged in-work support for {record.reference} with "
            f"{WITH_WHOM_WORDS[contact.with_whom]} ({how}) on {contact.contacted_on:%-d %B %Y}.")
    due = next_in_work_contact_due(session, record)
    return text + (f" Next contact due by {due:%A %-d %B}." if due else "")


IN_WORK_BLOCKS = {"reference": "reference", "client_id": "reference",
                  "contacted_on": "contacted_on", "with_whom": "with_whom",
                  "face_to_face": "face_to_face", "notes": "notes"}
CONTACT_BLOCKS = {"employer": "employer", "contacted_on": "contacted_on",
                  "face_to_face": "face_to_face", "notes": "employer"}
ANY_CONTACT_BLOCKS = {**CONTACT_BLOCKS, "reference": "reference", "team_id": "team"}
JOB_START_BLOCKS = {**JOB_START_FIELDS, "client_id": "client", "open_to_anyone": "open_to_anyone",
                    "reference": "reference"}
JOB_END_BLOCKS = {"ended_on": "ended_on", "reason": "reason", "details": "details", "job": "job"}


ClientWork = Callable[[Session, Staff, Client, Values], str]


def about_client(handler: ClientWork) -> Work[str]:
    """The work of a modal about the one client in its private_metadata, found for the
    person submitting (so their access is checked again)."""
    def work(session: Session, actor: Staff, view: dict[str, Any]) -> str:
        record = clients.get_client(session, actor, int(view["private_metadata"]))
        return handler(session, actor, record, values_of(view))

    return work


def snooze_submitted(database: Database, ack: Ack, body: dict[str, Any], client: WebClient) -> None:
    save_and_confirm(database, ack, body, client, about_client(_snooze), {"reason": "reason"}, "reason")


def hold_submitted(database: Database, ack: Ack, body: dict[str, Any], client: WebClient) -> None:
    save_and_confirm(database, ack, body, client, about_client(_hold),
                     {"reason": "reason", "until": "until"}, "reason")


def discharge_submitted(database: Database, ack: Ack, body: dict[str, Any], client: WebClient) -> None:
    save_and_confirm(database, ack, body, client, about_client(_discharge),
                     {"reason": "reason", "on": "on"}, "reason")


def contact_submitted(database: Database, ack: Ack, body: dict[str, Any], client: WebClient) -> None:
    save_and_confirm(database, ack, body, client, about_client(_contact), CONTACT_BLOCKS, "employer")


def any_contact_submitted(database: Database, ack: Ack, body: dict[str, Any],
                          client: WebClient) -> None:
    save_and_confirm(database, ack, body, client, _any_contact, ANY_CONTACT_BLOCKS, "employer")


def in_work_contact_submitted(database: Database, ack: Ack, body: dict[str, Any],
                              client: WebClient) -> None:
    fallback = "with_whom" if body["view"].get("private_metadata") else "reference"
    save_and_confirm(database, ack, body, client, _in_work_contact, IN_WORK_BLOCKS, fallback)


def job_start_submitted(database: Database, ack: Ack, body: dict[str, Any], client: WebClient) -> None:
    # The client block is a picker, or a reference box when there are too many to list.
    picker = "reference" if "reference" in values_of(body["view"]) else "client"
    save_and_confirm(database, ack, body, client, _job_start,
                     {**JOB_START_BLOCKS, "client_id": picker}, picker)


def job_end_submitted(database: Database, ack: Ack, body: dict[str, Any], client: WebClient) -> None:
    save_and_confirm(database, ack, body, client, _job_end, JOB_END_BLOCKS, "job")


def register(app: App, database: Database) -> None:
    app.view(modals.SNOOZE)(partial(snooze_submitted, database))
    app.view(modals.HOLD)(partial(hold_submitted, database))
    app.view(modals.DISCHARGE)(partial(discharge_submitted, database))
    app.view(modals.CONTACT)(partial(contact_submitted, database))
    app.view(modals.ANY_CONTACT)(partial(any_contact_submitted, database))
    app.view(modals.IN_WORK_CONTACT)(partial(in_work_contact_submitted, database))
    app.view(JOB_START)(partial(job_start_submitted, database))
    app.view(JOB_END)(partial(job_end_submitted, database))
