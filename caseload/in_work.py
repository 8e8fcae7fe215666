"""In-work support: contacts with people in work and their employers, each team's rhythm for
them, and the follow-up after a job ends.

IPS support is time-unlimited, for the person and the employer (domain.md, principle 7). A
specialist logs each in-work support contact: with the person, the employer or both, face to
face or not. Each team sets how often someone in work should hear from their specialist
(default: every week for the first four weeks of a job, then every 30 days); when a job ends,
the first contact with the person after it is the follow-up, due within 3 working days.

The reads here are what the clock nudges from: `in_work_contacts_due` and
`job_end_follow_ups_awaiting`. They are pure reads; the clock decides when to send.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Annotated

from pydantic import AfterValidator, Field
from sqlalchemy import and_, exists, func, select
from sqlalchemy.orm import Session, aliased

from caseload.access import clients_scoped, require_change_client, require_role
from caseload.audit import record_change, snapshot
from caseload.contacts import CONTACT_ROLES
from caseload.errors import Conflict, InvalidInput
from caseload.models import (
    Client,
    ClientStatus,
    InWorkContact,
    InWorkWith,
    Job,
    JobEndReason,
    Nation,
    Staff,
    Team,
)
from caseload.validation import Input, clean_free_text, not_in_future
from caseload.working_days import add_working_days

# A job end is followed up by contacting the person within 3 working days (domain.md, V12).
FOLLOW_UP_WORKING_DAYS = 3
# Job ends older than this are no longer nudged about; the fidelity evidence (V12) still
# shows whether they were followed up in time.
FOLLOW_UP_LOOKBACK_DAYS = 28

WITH_WHOM_WORDS: dict[InWorkWith, str] = {
    InWorkWith.PERSON: "the person",
    InWorkWith.EMPLOYER: "the employer",
    InWorkWith.BOTH: "the person and the employer",
}
WITH_THE_PERSON = (InWorkWith.PERSON, InWorkWith.BOTH)


class NewInWorkContact(Input):
    client_id: int
    contacted_on: Annotated[date, AfterValidator(not_in_future)]
    with_whom: InWorkWith
    face_to_face: bool
    notes: Annotated[str | None, Field(max_length=2000), AfterValidator(clean_free_text)] = None


def record_in_work_contact(session: Session, actor: Staff, contact: NewInWorkContact
                           ) -> InWorkContact:
    """Log in-work support, by the same rules as employer contacts: the client's specialist,
    a team leader, trainer or admin; never for a discharged client, never before their job."""
    require_role(actor, CONTACT_ROLES, "log in-work support contacts")
    client = session.get(Client, contact.client_id)
    if client is None:
        raise InvalidInput.one("client_id", f"there is no client with id {contact.client_id}")
    require_change_client(actor, client, "log in-work support for")
    session.refresh(client, with_for_update=True)
    if client.status == ClientStatus.DISCHARGED:
        raise Conflict(f"{client.reference} is discharged; re-refer them first.")
    starts = list(session.execute(select(Job.id, Job.started_on)
                                  .where(Job.client_id == client.id).order_by(Job.started_on)))
    if not starts:
        raise Conflict(f"{client.reference} has no job recorded; in-work support is for people "
                       "in work or whose job has ended. Log an employer contact instead.")
    if contact.contacted_on < starts[0].started_on:
        raise InvalidInput.one("contacted_on", f"is before {client.reference}'s first job started "
                               f"({starts[0].started_on.isoformat()})")
    job_id = [row.id for row in starts if row.started_on <= contact.contacted_on][-1]
    row = InWorkContact(team_id=client.team_id, staff_id=actor.id, client_id=client.id,
                        job_id=job_id, contacted_on=contact.contacted_on,
                        with_whom=contact.with_whom, face_to_face=contact.face_to_face,
                        notes=contact.notes)
    session.add(row)
    record_change(session, actor=actor, action="record_in_work_contact", record=row, before=None)
    latest = client.last_in_work_contact_on
    if latest is None or contact.contacted_on > latest:
        before = snapshot(client)
        client.last_in_work_contact_on = contact.contacted_on
        record_change(session, actor=actor, action="in_work_contact", record=client, before=before)
    return row


@dataclass(frozen=True)
class InWorkRhythm:
    """How often someone in work should hear from their specialist: every `first_every_days`
    for the first `first_weeks` weeks of a job, then every `then_every_days`."""

    first_weeks: int = 4
    first_every_days: int = 7
    then_every_days: int = 30

    @classmethod
    def of(cls, team: Team) -> InWorkRhythm:
        return cls(team.in_work_first_weeks, team.in_work_first_every_days,
                   team.in_work_then_every_days)

    def describe(self) -> str:
        later = f"then every {self.then_every_days} days"
        if self.first_weeks == 0:
            return f"every {self.then_every_days} days from the start of a job"
        return (f"every {self.first_every_days} days for the first {self.first_weeks} weeks of "
                f"a job, {later}")


def in_work_contact_due_on(job_started_on: date, last_contact_on: date | None,
                           rhythm: InWorkRhythm) -> date:
    """When the next in-work contact is due: counted from the later of the job's start and the
    last contact since, at the early pace while that falls within the job's first weeks."""
    since = job_started_on
    if last_contact_on is not None and last_contact_on > job_started_on:
        since = last_contact_on
    early = since + timedelta(days=rhythm.first_every_days)
    if early <= job_started_on + timedelta(weeks=rhythm.first_weeks):
        return early
    return since + timedelta(days=rhythm.then_every_days)


@dataclass(frozen=True)
class InWorkDue:
    """A client in work who is due (or overdue) an in-work support contact."""

    client_id: int
    reference: str
    team_id: int
    specialist_id: int | None
    job_started_on: date
    last_contact_on: date | None  # the last in-work contact since the job started, if any
    due_on: date

    def days_overdue(self, on: date) -> int:
        """0 on the day it falls due."""
        return (on - self.due_on).days


def in_work_contacts_due(session: Session, on: date, *, team_id: int | None = None,
                         specialist_id: int | None = None, actor: Staff | None = None
                         ) -> list[InWorkDue]:
    """Clients in work on `on` whose next in-work contact, under their team's rhythm, falls
    due on or before `on`: longest overdue first. Clients on hold or discharged are not in
    work, so never due. `actor` limits it to the clients they may see."""
    latest_job = (select(Job.client_id, func.max(Job.started_on).label("started"))
                  .where(Job.ended_on.is_(None), Job.started_on <= on)
                  .group_by(Job.client_id).subquery())
    query = (
        select(Client.id, Client.reference, Client.team_id, Client.specialist_id,
               Client.last_in_work_contact_on, latest_job.c.started, Team.in_work_first_weeks,
               Team.in_work_first_every_days, Team.in_work_then_every_days)
        .join(latest_job, latest_job.c.client_id == Client.id)
        .join(Team, Team.id == Client.team_id)
        .where(Client.status == ClientStatus.IN_WORK)
    )
    query = clients_scoped(query, team_id, specialist_id, actor)
    due = []
    for row in session.execute(query):
        rhythm = InWorkRhythm(row.in_work_first_weeks, row.in_work_first_every_days,
                              row.in_work_then_every_days)
        last = row.last_in_work_contact_on
        last = last if last is not None and row.started <= last <= on else None
        due_on = in_work_contact_due_on(row.started, last, rhythm)
        if due_on <= on:
            due.append(InWorkDue(row.id, row.reference, row.team_id, row.specialist_id,
                                 row.started, last, due_on))
    return sorted(due, key=lambda item: (item.due_on, item.reference, item.client_id))


@dataclass(frozen=True)
class JobEndFollowUp:
    """A job end not yet followed up by a contact with the person."""

    job_id: int
    client_id: int
    reference: str
    team_id: int
    specialist_id: int | None
    ended_on: date
    reason: JobEndReason
    due_on: date  # the last day of the follow-up's 3 working days

    def overdue_on(self, on: date) -> bool:
        return on > self.due_on


def follow_up_due_on(ended_on: date, nation: Nation) -> date:
    return add_working_days(ended_on, FOLLOW_UP_WORKING_DAYS, nation)


def job_end_follow_ups_awaiting(session: Session, on: date, *, team_id: int | None = None,
                                specialist_id: int | None = None, actor: Staff | None = None,
                                lookback_days: int = FOLLOW_UP_LOOKBACK_DAYS
                                ) -> list[JobEndFollowUp]:
    """Jobs that ended in the `lookback_days` up to `on` with no in-work contact with the
    person (alone or with the employer) dated from the end to `on`: the first such contact is
    the follow-up. Each has its due date (3 working days of the team's nation after the end);
    check `overdue_on`. Clients discharged or on hold are left out. Earliest due first."""
    contact = aliased(InWorkContact)
    followed_up = exists().where(
        contact.client_id == Job.client_id, contact.with_whom.in_(WITH_THE_PERSON),
        contact.contacted_on >= Job.ended_on, contact.contacted_on <= on)
    query = (
        select(Job.id, Job.client_id, Job.ended_on, Job.end_reason_code, Client.reference,
               Client.team_id, Client.specialist_id, Team.nation)
        .join(Client, Client.id == Job.client_id)
        .join(Team, Team.id == Client.team_id)
        .where(and_(Job.ended_on.is_not(None), Job.ended_on <= on,
                    Job.ended_on >= on - timedelta(days=lookback_days)),
               Client.status.not_in((ClientStatus.DISCHARGED, ClientStatus.ON_HOLD)),
               ~followed_up)
    )
    query = clients_scoped(query, team_id, specialist_id, actor)
    awaiting = [
        JobEndFollowUp(row.id, row.client_id, row.reference, row.team_id, row.specialist_id,
                       row.ended_on, row.end_reason_code or JobEndReason.OTHER,
                       follow_up_due_on(row.ended_on, row.nation))
        for row in session.execute(query)
    ]
    return sorted(awaiting, key=lambda item: (item.due_on, item.reference, item.job_id))


def in_work_contacts_for_client(session: Session, client: Client, limit: int = 5
                                ) -> list[InWorkContact]:
    """The client's latest in-work contacts, newest first (for their card)."""
    return list(session.scalars(select(InWorkContact).where(InWorkContact.client_id == client.id)
                                .order_by(InWorkContact.contacted_on.desc(),
                                          InWorkContact.id.desc()).limit(limit)))


def next_in_work_contact_due(session: Session, client: Client) -> date | None:
    """When `client`'s next in-work contact is due under their team's rhythm; None when they
    are not in work."""
    if client.status != ClientStatus.IN_WORK:
        return None
    started = session.scalar(select(func.max(Job.started_on)).where(
        Job.client_id == client.id, Job.ended_on.is_(None)))
    if started is None:
        return None
    last = client.last_in_work_contact_on
    return in_work_contact_due_on(started, last, InWorkRhythm.of(client.team))
