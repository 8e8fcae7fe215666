"""Employer contacts: the heartbeat of job development, and what the four-week rule watches."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from pydantic import AfterValidator, Field
from sqlalchemy.orm import Session

from caseload.access import require_change_client, require_role, require_team_member_or_all
from caseload.audit import record_change, snapshot
from caseload.errors import Conflict, InvalidInput
from caseload.models import Client, ClientStatus, EmployerContact, Role, Staff, Team
from caseload.validation import Input, clean_free_text, not_in_future

CONTACT_ROLES = (Role.EMPLOYMENT_SPECIALIST, Role.TEAM_LEADER, Role.ADMIN, Role.REGIONAL_TRAINER)


class NewEmployerContact(Input):
    employer: Annotated[str, Field(min_length=2, max_length=200), AfterValidator(clean_free_text)]
    contacted_on: Annotated[date, AfterValidator(not_in_future)]
    face_to_face: bool
    client_id: int | None = Field(
        default=None, description="The client it was on behalf of; empty for general job development."
    )
    team_id: int | None = Field(
        default=None, description="For general job development: the team (defaults to yours)."
    )
    notes: Annotated[str | None, Field(max_length=2000), AfterValidator(clean_free_text)] = None


def record_employer_contact(
    session: Session, actor: Staff, contact: NewEmployerContact
) -> EmployerContact:
    require_role(actor, CONTACT_ROLES, "log employer contacts")
    client: Client | None = None
    if contact.client_id is not None:
        client = session.get(Client, contact.client_id)
        if client is None:
            raise InvalidInput.one("client_id", f"there is no client with id {contact.client_id}")
        require_change_client(actor, client, "log employer contacts for")
        if client.status == ClientStatus.DISCHARGED:
            raise Conflict(f"{client.reference} is discharged; re-refer them first.")
        if contact.contacted_on < client.referral_received_on:
            raise InvalidInput.one(
                "contacted_on",
                f"is before {client.reference} was referred "
                f"({client.referral_received_on.isoformat()})",
            )
        team_id: int | None = client.team_id
    else:
        team_id = contact.team_id or actor.team_id
        if team_id is None:
            raise InvalidInput.one("team_id", "say which team this job development was for")
        team = session.get(Team, team_id)
        if team is None:
            raise InvalidInput.one("team_id", f"there is no team with id {team_id}")
        require_team_member_or_all(actor, team, "log job development")

    row = EmployerContact(
        team_id=team_id,
        staff_id=actor.id,
        client_id=contact.client_id,
        contacted_on=contact.contacted_on,
        employer=contact.employer,
        face_to_face=contact.face_to_face,
        notes=contact.notes,
    )
    session.add(row)
    record_change(session, actor=actor, action="record_contact", record=row, before=None)

    if client is None:
        return row
    before = snapshot(client)
    if contact.face_to_face:
        latest = client.last_face_to_face_contact_on
        if latest is None or contact.contacted_on > latest:
            client.last_face_to_face_contact_on = contact.contacted_on
        earliest = client.first_face_to_face_contact_on
        if earliest is None or contact.contacted_on < earliest:
            client.first_face_to_face_contact_on = contact.contacted_on
    # Contacting employers on someone's behalf is their job search under way: without this an
    # accepted client would stay "accepted" until a job start, as nothing else in Slack moves it.
    if client.status == ClientStatus.ACCEPTED:
        client.status = ClientStatus.JOB_SEEKING
        client.job_search_started_on = contact.contacted_on
    if snapshot(client) != before:
        record_change(session, actor=actor, action="employer_contact", record=client,
                      before=before)
    return row
