"""A client's journey: referral, acceptance, job search, hold, discharge and re-referral.

Each function checks the actor's access, validates, changes the record and writes an audit
row, all in the caller's transaction: a refused change raises before anything is written.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Annotated

from pydantic import AfterValidator, Field, field_validator
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from caseload import clock
from caseload.access import (
    CLINICAL_REFERRERS,
    in_workspace,
    require_change_client,
    require_see_client,
    require_team_lead,
    require_team_member_or_all,
    sees_all_teams,
    visible_clients,
)
from caseload.audit import record_change, snapshot
from caseload.errors import Conflict, InvalidInput, NotAllowed, NotFound
from caseload.history import record_state, start_history
from caseload.models import ACTIVE_CASELOAD, Client, ClientStatus, Role, Staff, Team
from caseload.outcomes import CASELOAD_LIMIT, JOB_RETENTION_LIMIT, over_job_retention_limit
from caseload.recipients import team_leaders
from caseload.references import client_reference_problem
from caseload.validation import Input, clean_free_text, not_in_future
from caseload.working_days import working_days_between

PastDate = Annotated[date, AfterValidator(not_in_future)]
FreeText = Annotated[str | None, Field(max_length=2000), AfterValidator(clean_free_text)]
Reason = Annotated[str, Field(min_length=3, max_length=500), AfterValidator(clean_free_text)]


def _check_reference(value: str) -> str:
    problem = client_reference_problem(value)
    if problem:
        raise ValueError(problem)
    return value.upper()


ClientReference = Annotated[str, AfterValidator(_check_reference)]


def _consent_given(value: bool) -> bool:
    if not value:
        raise ValueError("the client's consent to the referral must be recorded first")
    return value


Consent = Annotated[bool, AfterValidator(_consent_given)]


class Referral(Input):
    reference: ClientReference
    team_id: int
    care_coordinator_id: int | None = Field(
        default=None, description="Defaults to the referrer when the referrer is a care coordinator."
    )
    specialist_id: int | None = None
    work_preferences: FreeText = None
    consent_recorded: Consent
    received_on: PastDate | None = None
    in_work_at_referral: bool = Field(
        default=False, description="In a job already (job retention, or after a better job).")


class ReReferral(Input):
    care_coordinator_id: int | None = None
    specialist_id: int | None = None
    work_preferences: FreeText = None
    consent_recorded: Consent
    received_on: PastDate | None = None
    in_work_at_referral: bool = False


class Hold(Input):
    reason: Reason
    until: date | None = None

    @field_validator("until")
    @classmethod
    def _future(cls, value: date | None) -> date | None:
        if value is not None and value <= clock.today():
            raise ValueError("a hold must end after today (leave it empty for no end date)")
        return value


class Discharge(Input):
    reason: Reason
    on: PastDate | None = None


def _staff_in_team(session: Session, staff_id: int, team_id: int, role: Role, field: str) -> Staff:
    staff = session.get(Staff, staff_id)
    label = role.value.replace("_", " ")
    if staff is None:
        raise InvalidInput.one(field, f"there is no staff member with id {staff_id}")
    if staff.role != role:
        article = "an" if label[0] in "aeiou" else "a"
        raise InvalidInput.one(field, f"{staff.display_name} is not {article} {label}")
    if staff.team_id != team_id:
        raise InvalidInput.one(field, f"{staff.display_name} is not in this client's team")
    if not staff.active:
        raise InvalidInput.one(field, f"{staff.display_name} is no longer active")
    return staff


def _latest(session: Session, client: Client) -> Client:
    """The client as committed now, its row locked until this transaction ends: of two people
    pressing the same button at once, the second sees what the first did (PostgreSQL; SQLite's
    writers already take turns)."""
    session.refresh(client, with_for_update=True)
    return client


def _since_referral(client: Client, on: date | None, field: str) -> date:
    """`on` (today when not given), refused unless between the referral and today."""
    on = on or clock.today()
    if on > clock.today():
        raise InvalidInput.one(field, "cannot be in the future")
    if on < client.referral_received_on:
        raise InvalidInput.one(field, "cannot be before the referral was received "
                               f"({client.referral_received_on.isoformat()})")
    return on


def _open_episode(session: Session, team_id: int, reference: str) -> Client | None:
    return session.scalar(
        select(Client).where(
            Client.team_id == team_id,
            Client.reference == reference,
            Client.status != ClientStatus.DISCHARGED,
        )
    )


def _last_episode(session: Session, team_id: int, reference: str) -> Client | None:
    """The latest discharged episode of this reference in the team: a new referral follows it."""
    return session.scalar(
        select(Client).where(Client.team_id == team_id, Client.reference == reference,
                             Client.status == ClientStatus.DISCHARGED)
        .order_by(Client.id.desc()).limit(1))


def _insert_client(session: Session, client: Client) -> None:
    # The partial unique index is the last word when two people refer at the same moment.
    try:
        with session.begin_nested():
            session.add(client)
            session.flush()
    except IntegrityError:
        raise Conflict(
            f"{client.reference} already has an open referral in this team."
        ) from None


def refer(session: Session, actor: Staff, referral: Referral) -> Client:
    team = session.get(Team, referral.team_id)
    if team is None:
        raise InvalidInput.one("team_id", f"there is no team with id {referral.team_id}")
    if actor.role not in CLINICAL_REFERRERS and not sees_all_teams(actor):
        raise NotAllowed("Referrals are made by care coordinators, specialists or team leaders.")
    require_team_member_or_all(actor, team, "make referrals")
    coordinator_id = referral.care_coordinator_id
    if coordinator_id is None and actor.role == Role.CARE_COORDINATOR:
        coordinator_id = actor.id
    if coordinator_id is not None:
        _staff_in_team(session, coordinator_id, team.id, Role.CARE_COORDINATOR,
                       "care_coordinator_id")
    if referral.specialist_id is not None:
        _staff_in_team(session, referral.specialist_id, team.id, Role.EMPLOYMENT_SPECIALIST,
                       "specialist_id")
    if _open_episode(session, team.id, referral.reference) is not None:
        raise Conflict(
            f"{referral.reference} already has an open referral in {team.name}; "
            "look it up with /ips client rather than referring again."
        )
    # Referring a discharged person again, however it is done, opens an episode linked to the
    # last one, so episode counts and "first job start" stay honest (docs/architecture.md).
    previous = _last_episode(session, team.id, referral.reference)
    client = Client(
        team_id=team.id,
        team=team,  # loaded with the record, so callers reading record.team need no query
        previous_episode_id=previous.id if previous else None,
        reference=referral.reference,
        care_coordinator_id=coordinator_id,
        specialist_id=referral.specialist_id,
        status=ClientStatus.REFERRED,
        referral_received_on=referral.received_on or clock.today(),
        work_preferences=referral.work_preferences,
        consent_recorded=True,
        referred_by_id=actor.id,
        in_work_at_referral=referral.in_work_at_referral,
    )
    _insert_client(session, client)
    start_history(session, client, client.referral_received_on)
    record_change(session, actor=actor, action="refer", record=client, before=None)
    return client


def re_refer(session: Session, actor: Staff, client: Client, again: ReReferral) -> Client:
    """Open a new episode for a discharged client, linked to the old one."""
    require_change_client(actor, client, "re-refer")
    if client.status != ClientStatus.DISCHARGED:
        raise Conflict(f"{client.reference} is still open ({client.status.value}); "
                       "only a discharged client can be re-referred.")
    referral = Referral(
        reference=client.reference,
        team_id=client.team_id,
        care_coordinator_id=again.care_coordinator_id or client.care_coordinator_id,
        specialist_id=again.specialist_id,
        work_preferences=again.work_preferences or client.work_preferences,
        consent_recorded=again.consent_recorded,
        received_on=again.received_on,
        in_work_at_referral=again.in_work_at_referral,
    )
    new = refer(session, actor, referral)
    new.previous_episode_id = client.id
    session.flush()
    return new


@dataclass(frozen=True)
class SpecialistLoad:
    """A specialist's active caseload now (accepted, looking for work or in work), and how
    many of it are in-work (job retention) clients: people already in work when referred.

    The 15% (`JOB_RETENTION_LIMIT`) is about retention referrals, not the people IPS itself has
    helped into work, who are the caseload doing what it should (in-work support counts within
    the 20). The reports hold a team's caseload against the same figure."""

    specialist_id: int
    name: str
    active: int
    job_retention: int  # in work when referred

    @property
    def job_retention_share(self) -> Decimal:
        return Decimal(self.job_retention) / self.active if self.active else Decimal(0)

    @property
    def over(self) -> bool:
        """At or past the 20 the model asks for, or more than 15% of it job retention."""
        return (self.active >= CASELOAD_LIMIT
                or over_job_retention_limit(self.job_retention, self.active))

    def sentence(self) -> str:
        return (f"{self.name} already has {self.active} active clients, {self.job_retention} of "
                f"them in work when referred ({self.job_retention_share:.0%}); IPS asks for "
                f"{CASELOAD_LIMIT} or fewer, with no more than {JOB_RETENTION_LIMIT:.0%} in-work "
                "(job retention) clients.")


class OverCaseload(Conflict):
    """Taking on the client would put them over the caseload the model asks for: the person
    must see the number and confirm (`confirm_over=True`)."""

    def __init__(self, load: SpecialistLoad) -> None:
        self.load = load
        super().__init__(load.sentence() + " Confirm to go ahead.")


def specialist_load(session: Session, specialist_id: int, leaving_out: int | None = None
                    ) -> SpecialistLoad:
    """`specialist_id`'s active caseload now, not counting client `leaving_out`."""
    query = select(Client.in_work_at_referral).where(Client.specialist_id == specialist_id,
                                                     Client.status.in_(ACTIVE_CASELOAD))
    if leaving_out is not None:
        query = query.where(Client.id != leaving_out)
    retention = list(session.scalars(query))
    staff = session.get(Staff, specialist_id)
    return SpecialistLoad(specialist_id, staff.display_name if staff else "?", len(retention),
                          sum(1 for flag in retention if flag))


def team_loads(session: Session, team_id: int) -> list[SpecialistLoad]:
    """Each active specialist of the team with their caseload now, by name: the team leader's
    choice when reassigning."""
    people = session.scalars(select(Staff).where(
        Staff.team_id == team_id, Staff.role == Role.EMPLOYMENT_SPECIALIST,
        Staff.active.is_(True)).order_by(Staff.display_name))
    return [specialist_load(session, person.id) for person in people]


def _guard(session: Session, specialist_id: int | None, client: Client, confirm_over: bool) -> None:
    if specialist_id is None or confirm_over:
        return
    load = specialist_load(session, specialist_id, leaving_out=client.id)
    if load.over:
        raise OverCaseload(load)


def accept(
    session: Session, actor: Staff, client: Client, on: date | None = None,
    specialist_id: int | None = None, confirm_over: bool = False,
) -> Client:
    """Accept a referral onto the caseload (team leader, or the specialist it was sent to).
    Onto a caseload of 20 or more (or over 15% job retention) only once confirmed."""
    client = _latest(session, client)
    is_assigned_specialist = (
        actor.role == Role.EMPLOYMENT_SPECIALIST and client.specialist_id == actor.id
    )
    if not is_assigned_specialist:
        require_team_lead(actor, client.team, "accept a referral")
    require_change_client(actor, client, "accept")
    if client.status != ClientStatus.REFERRED:
        raise Conflict(f"{client.reference} is {client.status.value}, not awaiting acceptance.")
    on = _since_referral(client, on, "accepted_on")
    if specialist_id is not None:
        _staff_in_team(session, specialist_id, client.team_id, Role.EMPLOYMENT_SPECIALIST,
                       "specialist_id")
    _guard(session, specialist_id or client.specialist_id, client, confirm_over)
    before = snapshot(client)
    if specialist_id is not None:
        client.specialist_id = specialist_id
    client.status = ClientStatus.ACCEPTED
    client.accepted_on = on
    record_state(session, client, on)
    record_change(session, actor=actor, action="accept", record=client, before=before)
    return client


def assign(session: Session, actor: Staff, client: Client, specialist_id: int,
           confirm_over: bool = False) -> Client:
    """Assign or reassign the client's employment specialist (team leader's call); onto a
    caseload of 20 or more (or over 15% job retention) only once confirmed."""
    client = _latest(session, client)
    require_team_lead(actor, client.team, "assign or reassign a specialist")
    if client.status == ClientStatus.DISCHARGED:
        raise Conflict(f"{client.reference} is discharged; re-refer before assigning.")
    _staff_in_team(session, specialist_id, client.team_id, Role.EMPLOYMENT_SPECIALIST,
                   "specialist_id")
    if client.specialist_id == specialist_id:
        return client
    _guard(session, specialist_id, client, confirm_over)
    before = snapshot(client)
    client.specialist_id = specialist_id
    record_state(session, client, clock.today())
    action = "assign" if before["specialist_id"] is None else "reassign"
    record_change(session, actor=actor, action=action, record=client, before=before)
    return client


def start_job_search(session: Session, actor: Staff, client: Client,
                     on: date | None = None) -> Client:
    client = _latest(session, client)
    require_change_client(actor, client)
    if client.status != ClientStatus.ACCEPTED:
        raise Conflict(f"{client.reference} is {client.status.value}; job search starts "
                       "once a referral is accepted.")
    before = snapshot(client)
    client.status = ClientStatus.JOB_SEEKING
    client.job_search_started_on = on or clock.today()
    record_state(session, client, client.job_search_started_on)
    record_change(session, actor=actor, action="start_job_search", record=client, before=before)
    return client


def put_on_hold(session: Session, actor: Staff, client: Client, hold: Hold) -> Client:
    client = _latest(session, client)
    require_change_client(actor, client, "put on hold")
    if client.status in (ClientStatus.ON_HOLD, ClientStatus.DISCHARGED):
        raise Conflict(f"{client.reference} is {client.status.value.replace('_', ' ')} already.")
    before = snapshot(client)
    client.status_before_hold = client.status
    client.status = ClientStatus.ON_HOLD
    client.hold_reason = hold.reason
    client.hold_until = hold.until
    record_state(session, client, clock.today())
    record_change(session, actor=actor, action="hold", record=client, before=before)
    return client


def resume(session: Session, actor: Staff | None, client: Client) -> Client:
    """Take a client off hold, back to where they were. `actor=None` is the clock."""
    client = _latest(session, client)
    if actor is not None:
        require_change_client(actor, client, "take off hold")
    if client.status != ClientStatus.ON_HOLD:
        raise Conflict(f"{client.reference} is not on hold.")
    before = snapshot(client)
    # The clock takes a hold off on the day it was set to end, even when it runs later.
    ended = client.hold_until if actor is None and client.hold_until else clock.today()
    client.status = client.status_before_hold or ClientStatus.REFERRED
    client.status_before_hold = None
    client.hold_reason = None
    client.hold_until = None
    record_state(session, client, min(ended, clock.today()))
    record_change(session, actor=actor, action="resume", record=client, before=before)
    return client


def discharge(session: Session, actor: Staff, client: Client, discharge: Discharge) -> Client:
    client = _latest(session, client)
    require_change_client(actor, client, "discharge")
    if client.status == ClientStatus.DISCHARGED:
        raise Conflict(f"{client.reference} is already discharged.")
    on = discharge.on or clock.today()
    if on < client.referral_received_on:
        raise InvalidInput.one("on", "cannot be before the referral was received")
    before = snapshot(client)
    client.status = ClientStatus.DISCHARGED
    client.status_before_hold = None
    client.hold_reason = None
    client.hold_until = None
    client.discharged_on = on
    client.discharge_reason = discharge.reason
    record_state(session, client, on)
    record_change(session, actor=actor, action="discharge", record=client, before=before)
    return client


def start_vocational_profile(session: Session, actor: Staff, client: Client, on: date | None = None
                             ) -> Client:
    """Record the day work on the client's vocational profile began (usually the first
    face-to-face meeting); recording it again corrects the date."""
    client = _latest(session, client)
    require_change_client(actor, client, "record a vocational profile for")
    if client.status == ClientStatus.DISCHARGED:
        raise Conflict(f"{client.reference} is discharged; re-refer before starting a profile.")
    on = _since_referral(client, on, "vocational_profile_started_on")
    if client.vocational_profile_started_on == on:
        return client
    before = snapshot(client)
    client.vocational_profile_started_on = on
    record_change(session, actor=actor, action="vocational_profile", record=client, before=before)
    return client


def find_client(session: Session, actor: Staff, reference: str, team_id: int | None = None
                ) -> Client:
    """The open episode (else the latest) for `reference` that `actor` may see."""
    reference = reference.strip().upper()
    query = select(Client).where(Client.reference == reference)
    if team_id is not None:
        query = query.where(Client.team_id == team_id)
    elif sees_all_teams(actor):
        query = query.where(in_workspace(Client.team_id, actor))
    elif actor.team_id is not None:
        query = query.where(Client.team_id == actor.team_id)
    candidates = list(session.scalars(query.order_by(Client.id.desc())))
    if not candidates:
        where = "your Slack workspace's teams" if sees_all_teams(actor) else "your team"
        raise NotFound(f"No client {reference} in {where}.")
    open_ = [c for c in candidates if c.status != ClientStatus.DISCHARGED]
    if len({c.team_id for c in open_}) > 1:
        raise InvalidInput.one("team", f"{reference} is open in more than one team; name the team")
    client = open_[0] if open_ else candidates[0]
    require_see_client(actor, client)
    return client


def who_accepts(session: Session, client: Client) -> list[Staff]:
    """Who is asked to accept a new referral: the specialist it names, else the team's active
    team leaders."""
    if client.specialist_id is not None:
        specialist = session.get(Staff, client.specialist_id)
        if specialist is not None:
            return [specialist]
    return team_leaders(session, client.team_id)


def referrer_of(session: Session, client: Client) -> Staff | None:
    """Who referred the client, told when the referral is accepted (None: not recorded)."""
    return session.get(Staff, client.referred_by_id) if client.referred_by_id else None


def get_client(session: Session, actor: Staff, client_id: int) -> Client:
    client = session.get(Client, client_id)
    if client is None:
        raise NotFound(f"No client with id {client_id}.")
    require_see_client(actor, client)
    return client


def list_clients(
    session: Session, actor: Staff, statuses: tuple[ClientStatus, ...] | None = None,
    team_id: int | None = None,
) -> list[Client]:
    """The clients `actor` may see, oldest referral first."""
    query = select(Client).where(visible_clients(actor))
    if statuses:
        query = query.where(Client.status.in_(statuses))
    if team_id is not None:
        query = query.where(Client.team_id == team_id)
    return list(session.scalars(query.order_by(Client.referral_received_on, Client.id)))


def expire_holds(session: Session, on: date) -> list[Client]:
    """Take off hold every client whose hold ended by `on` (the clock does this daily)."""
    due = list(session.scalars(
        select(Client).where(Client.status == ClientStatus.ON_HOLD,
                             Client.hold_until.is_not(None), Client.hold_until <= on)))
    for client in due:
        resume(session, None, client)
    return due


def referral_ages(session: Session, clients: list[Client], today: date) -> dict[int, int]:
    """For each referral still waiting to be accepted: working days (of its team's nation)
    since it was received, the age its referrer sees."""
    waiting = [c for c in clients if c.status == ClientStatus.REFERRED]
    nations = dict(session.execute(select(Team.id, Team.nation).where(
        Team.id.in_({c.team_id for c in waiting}))).all()) if waiting else {}
    return {c.id: working_days_between(c.referral_received_on, today, nations[c.team_id])
            for c in waiting}
