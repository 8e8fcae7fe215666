"""Job starts and ends, and whether a start counts as a competitive employment outcome.

A job start counts when it is open to anyone (not set aside for people with a mental health
condition) and pays at least the minimum wage for the person's age band (domain.md,
"Outcomes"). A start that does not count is still recorded, with the reason.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Annotated

from pydantic import AfterValidator, Field, model_validator
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from calculator.parameters import minimum_hourly_wage
from caseload.access import require_change_client, require_role, visible_clients
from caseload.audit import record_change, snapshot
from caseload.errors import Conflict, InvalidInput, NotFound
from caseload.history import record_state
from caseload.models import AgeBand, Client, ClientStatus, Job, JobEndReason, JobType, Role, Staff
from caseload.validation import Input, clean_free_text, not_in_future

JOB_ROLES = (Role.EMPLOYMENT_SPECIALIST, Role.TEAM_LEADER, Role.ADMIN, Role.REGIONAL_TRAINER)
CAN_START_JOB = (ClientStatus.ACCEPTED, ClientStatus.JOB_SEEKING, ClientStatus.IN_WORK)

Text200 = Annotated[str, Field(min_length=2, max_length=200), AfterValidator(clean_free_text)]


class NewJobStart(Input):
    client_id: int
    employer: Text200
    job_title: Text200
    job_type: JobType
    hours_per_week: Annotated[Decimal, Field(gt=0, le=100, decimal_places=2)]
    hourly_wage: Annotated[Decimal, Field(gt=0, le=500, decimal_places=2)]
    age_band: AgeBand = AgeBand.AGE_21_AND_OVER
    open_to_anyone: bool = Field(
        default=True,
        description="False when the job is set aside for people with a mental health condition.",
    )
    started_on: Annotated[date, AfterValidator(not_in_future)]


# The nine major groups of the Standard Occupational Classification 2020 (ONS, "SOC 2020
# Volume 1: structure and descriptions of unit groups", ons.gov.uk): the job types a fidelity
# reviewer recognises for V8, diversity of job types.
SOC_2020_MAJOR_GROUPS: dict[JobType, str] = {
    JobType.MANAGERS: "1 Managers, directors and senior officials",
    JobType.PROFESSIONAL: "2 Professional occupations",
    JobType.ASSOCIATE_PROFESSIONAL: "3 Associate professional occupations",
    JobType.ADMINISTRATIVE: "4 Administrative and secretarial occupations",
    JobType.SKILLED_TRADES: "5 Skilled trades occupations",
    JobType.CARING_LEISURE: "6 Caring, leisure and other service occupations",
    JobType.SALES_CUSTOMER: "7 Sales and customer service occupations",
    JobType.PROCESS_PLANT: "8 Process, plant and machine operatives",
    JobType.ELEMENTARY: "9 Elementary occupations",
}

END_REASON_WORDS: dict[JobEndReason, str] = {
    JobEndReason.RESIGNED: "resigned",
    JobEndReason.DISMISSED: "dismissed",
    JobEndReason.CONTRACT_ENDED: "contract ended",
    JobEndReason.BETTER_JOB: "moved to a better job",
    JobEndReason.OTHER: "other",
}


class JobEnd(Input):
    ended_on: Annotated[date, AfterValidator(not_in_future)]
    reason: JobEndReason
    details: Annotated[str | None, Field(max_length=500), AfterValidator(clean_free_text)] = None

    @model_validator(mode="after")
    def _other_says_why(self) -> JobEnd:
        if self.reason == JobEndReason.OTHER and not self.details:
            raise ValueError("details: say in a few words why the job ended, as the reason "
                             "is 'other'")
        return self


def competitive_outcome(start: NewJobStart) -> tuple[bool, str | None]:
    """Whether a start counts as a competitive outcome, and the plain reason when not."""
    reasons = []
    if not start.open_to_anyone:
        reasons.append("the job is set aside for people with a mental health condition, "
                       "not open to anyone")
    try:
        minimum = minimum_hourly_wage(start.started_on, start.age_band.value)
    except ValueError:
        # The rates are kept from April 2025; an older start cannot be checked against them.
        raise InvalidInput.one("started_on", f"{start.started_on:%-d %B %Y} is before the "
                               "earliest minimum wage on record, so it cannot be checked") from None
    if start.hourly_wage < minimum:
        band = start.age_band.value.replace("_", " ")
        reasons.append(
            f"£{start.hourly_wage:.2f} an hour is below the minimum wage of £{minimum:.2f} "
            f"for the {band} age band on {start.started_on.isoformat()}"
        )
    if reasons:
        return False, "Not a competitive outcome: " + "; ".join(reasons) + "."
    return True, None


def record_job_start(session: Session, actor: Staff, start: NewJobStart) -> Job:
    require_role(actor, JOB_ROLES, "record job starts")
    client = session.get(Client, start.client_id)
    if client is None:
        raise InvalidInput.one("client_id", f"there is no client with id {start.client_id}")
    require_change_client(actor, client, "record a job start for")
    if client.status not in CAN_START_JOB:
        raise Conflict(
            f"{client.reference} is {client.status.value.replace('_', ' ')}; a job start is "
            "recorded for a client accepted onto the caseload."
        )
    anchor = client.accepted_on or client.referral_received_on
    if start.started_on < client.referral_received_on:
        raise InvalidInput.one(
            "started_on",
            f"is before {client.reference} was referred ({anchor.isoformat()}); "
            "only jobs started after referral are outcomes",
        )
    competitive, reason = competitive_outcome(start)
    job = Job(
        client_id=client.id,
        team_id=client.team_id,
        recorded_by_id=actor.id,
        employer=start.employer,
        job_title=start.job_title,
        job_type=start.job_type,
        hours_per_week=start.hours_per_week,
        hourly_wage=start.hourly_wage,
        age_band=start.age_band,
        open_to_anyone=start.open_to_anyone,
        started_on=start.started_on,
        is_competitive=competitive,
        not_competitive_reason=reason,
    )
    session.add(job)
    record_change(session, actor=actor, action="job_start", record=job, before=None)
    if client.status != ClientStatus.IN_WORK:
        before = snapshot(client)
        if client.job_search_started_on is None:
            client.job_search_started_on = start.started_on
        client.status = ClientStatus.IN_WORK
        record_state(session, client, start.started_on)
        record_change(session, actor=actor, action="in_work", record=client, before=before)
    return job


def record_job_end(session: Session, actor: Staff, job_id: int, end: JobEnd) -> Job:
    require_role(actor, JOB_ROLES, "record job ends")
    job = session.get(Job, job_id)
    if job is None:
        raise NotFound(f"There is no job with id {job_id}.")
    client = job.client
    require_change_client(actor, client, "record a job end for")
    if job.ended_on is not None:
        raise Conflict(f"This job already ended on {job.ended_on.isoformat()}.")
    if end.ended_on < job.started_on:
        raise InvalidInput.one(
            "ended_on", f"is before the job started ({job.started_on.isoformat()})"
        )
    before = snapshot(job)
    job.ended_on = end.ended_on
    job.end_reason_code = end.reason
    job.end_reason = end.details
    record_change(session, actor=actor, action="job_end", record=job, before=before)

    still_working = session.scalar(
        select(func.count(Job.id)).where(
            Job.client_id == client.id, Job.ended_on.is_(None), Job.id != job.id
        )
    )
    if client.status == ClientStatus.IN_WORK and not still_working:
        before = snapshot(client)
        client.status = ClientStatus.JOB_SEEKING
        record_state(session, client, end.ended_on)
        record_change(session, actor=actor, action="job_seeking", record=client, before=before)
    return job


def jobs_for_client(session: Session, client: Client) -> list[Job]:
    return list(session.scalars(select(Job).where(Job.client_id == client.id)
                                .order_by(Job.started_on)))


def open_jobs(session: Session, actor: Staff, client: Client | None = None) -> list[tuple[Job, str]]:
    """The jobs not yet ended of the clients `actor` may see (or of `client` only), each with
    its client's reference, by reference then start: the jobs whose end may be recorded."""
    query = (select(Job, Client.reference).join(Client, Job.client_id == Client.id)
             .where(Job.ended_on.is_(None), visible_clients(actor)))
    if client is not None:
        query = query.where(Job.client_id == client.id)
    rows = session.execute(query.order_by(Client.reference, Job.started_on, Job.id)).all()
    return [(job, reference) for job, reference in rows]
