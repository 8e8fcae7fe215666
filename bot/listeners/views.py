"""Modal submissions: validate through caseload, answer errors in place, write once."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.listeners.common import client_by_reference, refuse_in_modal
from bot.views import Message, modals
from bot.views.jobs import JOB_END, JOB_START, job_end_recorded, job_start_recorded
from caseload import clients, jobs, snoozes
from caseload.contacts import NewEmployerContact, record_employer_contact
from caseload.db import Database, Session
from caseload.errors import CaseloadError, InvalidInput
from caseload.idempotency import claim
from caseload.models import Client, Staff
from caseload.staff import staff_by_slack_id
from caseload.validation import parse

Values = dict[str, dict[str, dict[str, Any]]]


def submitted_value(values: Values, block: str) -> Any:
    element = values.get(block, {}).get("value", {})
    if "selected_date" in element:
        return element["selected_date"]
    if "selected_option" in element:
        option = element["selected_option"]
        return option["value"] if option else None
    return element.get("value")


def _snooze(session: Session, actor: Staff, client: Client, values: Values) -> str:
    snooze = parse(snoozes.Snooze, {"reason": submitted_value(values, "reason") or ""})
    snoozes.snooze_nudges(session, actor, client, snooze)
    return f"Nudges about {client.reference} are snoozed for {snooze.days} days."


def _hold(session: Session, actor: Staff, client: Client, values: Values) -> str:
    hold = parse(clients.Hold, {"reason": submitted_value(values, "reason") or "",
                                "until": submitted_value(values, "until")})
    clients.put_on_hold(session, actor, client, hold)
    until = f" until {hold.until:%-d %B}" if hold.until else ""
    return f"{client.reference} is on hold{until}; no nudges meanwhile."


def _contact(session: Session, actor: Staff, client: Client, values: Values) -> str:
    contact = parse(NewEmployerContact, {
        "employer": submitted_value(values, "employer") or "",
        "contacted_on": submitted_value(values, "contacted_on"),
        "face_to_face": submitted_value(values, "face_to_face") == "yes",
        "client_id": client.id,
    })
    record_employer_contact(session, actor, contact)
    kind = "face-to-face " if contact.face_to_face else ""
    return f"Logged a {kind}employer contact for {client.reference} with {contact.employer}."


def _discharge(session: Session, actor: Staff, client: Client, values: Values) -> str:
    discharge = parse(clients.Discharge, {"reason": submitted_value(values, "reason") or "",
                                          "on": submitted_value(values, "on")})
    clients.discharge(session, actor, client, discharge)
    return (f"{client.reference} is discharged from IPS as of {client.discharged_on:%-d %B %Y}. "
            "To work with them again, refer them with /ips refer.")


def _given(values: Values, fields: dict[str, str]) -> dict[str, Any]:
    """The filled-in fields, so what was left empty gets the service's default or its error."""
    given = {field: submitted_value(values, block) for field, block in fields.items()}
    return {field: value for field, value in given.items() if value not in (None, "")}


JOB_START_FIELDS = {"employer": "employer", "job_title": "job_title", "job_type": "job_type",
                    "started_on": "started_on", "hours_per_week": "hours_per_week",
                    "hourly_wage": "hourly_wage", "age_band": "age_band"}


def _job_start(session: Session, actor: Staff, view: dict[str, Any]) -> Message:
    values = view["state"]["values"]
    if "reference" in values:  # too many clients for a picker: the reference was typed
        client_id: Any = client_by_reference(session, actor, submitted_value(values, "reference") or "").id
    else:
        client_id = submitted_value(values, "client")
    start = parse(jobs.NewJobStart, {
        **_given(values, JOB_START_FIELDS), "client_id": client_id,
        "open_to_anyone": submitted_value(values, "open_to_anyone") != "no"})
    job = jobs.record_job_start(session, actor, start)
    return job_start_recorded(job.client.reference, job)


def _job_end(session: Session, actor: Staff, view: dict[str, Any]) -> Message:
    values = view["state"]["values"]
    end = parse(jobs.JobEnd, _given(values, {"ended_on": "ended_on", "end_reason": "end_reason"}))
    job_id = submitted_value(values, "job")
    if not job_id:
        raise InvalidInput.one("job", "choose the job that ended")
    job = jobs.record_job_end(session, actor, int(job_id), end)
    return job_end_recorded(job.client.reference, job, job.client.status)


Handler = Callable[[Session, Staff, Client, Values], str]
HANDLERS: dict[str, tuple[Handler, dict[str, str], str]] = {
    modals.SNOOZE: (_snooze, {"reason": "reason"}, "reason"),
    modals.HOLD: (_hold, {"reason": "reason", "until": "until"}, "reason"),
    modals.DISCHARGE: (_discharge, {"reason": "reason", "on": "on"}, "reason"),
    modals.CONTACT: (_contact, {"employer": "employer", "contacted_on": "contacted_on",
                                "face_to_face": "face_to_face", "notes": "employer"},
                     "employer"),
}
JOB_START_BLOCKS = {**JOB_START_FIELDS, "client_id": "client", "open_to_anyone": "open_to_anyone",
                    "reference": "reference"}
JOB_END_BLOCKS = {"ended_on": "ended_on", "end_reason": "end_reason", "job": "job"}


def write_once(database: Database, ack: Ack, body: dict[str, Any], client: WebClient,
                work: Callable[[Session, Staff, dict[str, Any]], str | Message],
                blocks: dict[str, str], fallback: str) -> None:
    """Do a modal's work once per view id, answer errors beside the fields, then confirm."""
    view, user_id = body["view"], body["user"]["id"]
    try:
        with database.transaction() as session:
            # A double click or a retried delivery carries the same view id: write once.
            if not claim(session, f"view:{view['id']}"):
                ack()
                return
            actor = staff_by_slack_id(session, user_id)
            confirmation = work(session, actor, view)
    except CaseloadError as exc:
        refuse_in_modal(ack, exc, blocks, fallback)
        return
    ack()
    if isinstance(confirmation, Message):
        client.chat_postMessage(channel=user_id, **confirmation.as_kwargs())
    else:
        client.chat_postMessage(channel=user_id, text=confirmation)


def register(app: App, database: Database) -> None:
    for callback_id, (handler, blocks, fallback) in HANDLERS.items():
        app.view(callback_id)(_submission(database, handler, blocks, fallback))

    @app.view(modals.ANY_CONTACT)
    def any_contact(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        contact_blocks = HANDLERS[modals.CONTACT][1]
        write_once(database, ack, body, client, _any_contact,
                    {**contact_blocks, "reference": "reference", "team_id": "team"}, "employer")

    @app.view(JOB_START)
    def job_start(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        # The client block is a picker, or a reference box when there are too many to list.
        values = body["view"]["state"]["values"]
        picker = "reference" if "reference" in values else "client"
        write_once(database, ack, body, client, _job_start,
                    {**JOB_START_BLOCKS, "client_id": picker}, picker)

    @app.view(JOB_END)
    def job_end(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        write_once(database, ack, body, client, _job_end, JOB_END_BLOCKS, "job")


def _any_contact(session: Session, actor: Staff, view: dict[str, Any]) -> str:
    values = view["state"]["values"]
    reference = (submitted_value(values, "reference") or "").strip()
    if reference:
        try:
            record = clients.find_client(session, actor, reference)
        except CaseloadError as exc:
            raise InvalidInput.one("reference", str(exc)) from None
        return _contact(session, actor, record, values)
    contact = parse(NewEmployerContact, {
        "employer": submitted_value(values, "employer") or "",
        "contacted_on": submitted_value(values, "contacted_on"),
        "face_to_face": submitted_value(values, "face_to_face") == "yes",
        # Only those in no team are asked which team (bot/listeners/common.py).
        "team_id": submitted_value(values, "team")})
    record_employer_contact(session, actor, contact)
    return f"Logged job development with {contact.employer}."


def _submission(database: Database, handler: Handler, blocks: dict[str, str], fallback: str
                ) -> Callable[[Ack, dict[str, Any], WebClient], None]:
    def work(session: Session, actor: Staff, view: dict[str, Any]) -> str:
        record = clients.get_client(session, actor, int(view["private_metadata"]))
        return handler(session, actor, record, view["state"]["values"])

    def submit(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        write_once(database, ack, body, client, work, blocks, fallback)

    return submit
