"""The caseload record as SQLAlchemy 2.0 typed models.

Client rows hold a pseudonymous local reference and nothing that identifies a person.
One client row is one referral episode: a discharged person who is referred again gets a
new row linked to the old one, so referral counts and conversion stay honest.
"""

from __future__ import annotations

import enum
from datetime import UTC, date, datetime, time
from decimal import Decimal
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Enum,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    Numeric,
    String,
    Text,
    Time,
    TypeDecorator,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC on the way in and out, on SQLite (which keeps no zone) as on PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; store timezone-aware UTC times")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Any) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


class Role(enum.StrEnum):
    CARE_COORDINATOR = "care_coordinator"
    EMPLOYMENT_SPECIALIST = "employment_specialist"
    TEAM_LEADER = "team_leader"
    BENEFITS_ADVISOR = "benefits_advisor"
    REGIONAL_TRAINER = "regional_trainer"
    ADMIN = "admin"


class Nation(enum.StrEnum):
    """UK nation, for bank holidays (codes as the `holidays` package's UK subdivisions)."""

    ENGLAND = "ENG"
    SCOTLAND = "SCT"
    WALES = "WLS"
    NORTHERN_IRELAND = "NIR"


class ClientStatus(enum.StrEnum):
    REFERRED = "referred"
    ACCEPTED = "accepted"
    JOB_SEEKING = "job_seeking"
    IN_WORK = "in_work"
    ON_HOLD = "on_hold"
    DISCHARGED = "discharged"


# Statuses in which a person is on a specialist's caseload looking for work: the four-week
# rule applies to these.
LOOKING_FOR_WORK = (ClientStatus.ACCEPTED, ClientStatus.JOB_SEEKING)
# Active caseload as the fidelity scale counts it (job-seeking and in-work).
ACTIVE_CASELOAD = (ClientStatus.ACCEPTED, ClientStatus.JOB_SEEKING, ClientStatus.IN_WORK)


class JobType(enum.StrEnum):
    """Job type category: the nine major groups of the ONS Standard Occupational Classification 2020."""

    MANAGERS = "managers_directors_senior_officials"
    PROFESSIONAL = "professional"
    ASSOCIATE_PROFESSIONAL = "associate_professional_technical"
    ADMINISTRATIVE = "administrative_secretarial"
    SKILLED_TRADES = "skilled_trades"
    CARING_LEISURE = "caring_leisure_other_service"
    SALES_CUSTOMER = "sales_customer_service"
    PROCESS_PLANT = "process_plant_machine_operatives"
    ELEMENTARY = "elementary"


class JobEndReason(enum.StrEnum):
    """Why a job ended: the list a job end is recorded with (issue: in-work support)."""

    RESIGNED = "resigned"
    DISMISSED = "dismissed"
    CONTRACT_ENDED = "contract_ended"
    BETTER_JOB = "better_job"  # moved to a better job
    OTHER = "other"


class InWorkWith(enum.StrEnum):
    """Whom an in-work support contact was with: IPS supports the person and the employer."""

    PERSON = "person"
    EMPLOYER = "employer"
    BOTH = "both"


class AgeBand(enum.StrEnum):
    """Minimum wage age bands; a band, not a date of birth, is all the record needs."""

    UNDER_18 = "under_18"
    AGE_18_TO_20 = "18_to_20"
    AGE_21_AND_OVER = "21_and_over"
    APPRENTICE = "apprentice"


class FidelityBand(enum.StrEnum):
    NOT_IPS = "not_ips"
    FAIR = "fair"
    GOOD = "good"
    EXEMPLARY = "exemplary"


class ReviewStatus(enum.StrEnum):
    SCHEDULED = "scheduled"
    COMPLETED = "completed"


class BetterOffOutcome(enum.StrEnum):
    BETTER_OFF = "better_off"
    NO_CHANGE = "no_change"
    WORSE_OFF = "worse_off"


class OutboxStatus(enum.StrEnum):
    PENDING = "pending"  # to send (or being sent, while its claim's lease runs)
    SENT = "sent"
    FAILED = "failed"  # given up: a permanent error, or too many attempts
    CANCELLED = "cancelled"


def _enum(cls: type[enum.Enum]) -> Enum:
    # Stored as plain strings (values, not names) so reports and SQL read naturally.
    return Enum(
        cls,
        native_enum=False,
        create_constraint=False,
        length=40,
        values_callable=lambda members: [m.value for m in members],
    )


NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


class Team(Base):
    __tablename__ = "teams"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    nation: Mapped[Nation] = mapped_column(_enum(Nation), default=Nation.ENGLAND)
    slack_channel_id: Mapped[str | None] = mapped_column(String(32))
    # The Slack workspace (T...) the team works in; NULL: the one workspace of a single-token
    # install. Trainers and admins see only their own workspace's teams (caseload/access.py).
    slack_team_id: Mapped[str | None] = mapped_column(String(32), index=True)
    referral_target_per_month: Mapped[int] = mapped_column(Integer, default=0)
    job_start_target_per_month: Mapped[int] = mapped_column(Integer, default=0)
    service_started_on: Mapped[date | None] = mapped_column(Date)
    # The team's own reminder schedule (London time); empty means the clock's defaults.
    nudges_at: Mapped[time | None] = mapped_column(Time)
    just_ask_weekday: Mapped[int | None] = mapped_column(Integer)
    just_ask_at: Mapped[time | None] = mapped_column(Time)
    # The in-work support rhythm: a contact every `in_work_first_every_days` for the first
    # `in_work_first_weeks` weeks of a job, then every `in_work_then_every_days` (caseload/in_work.py).
    in_work_first_weeks: Mapped[int] = mapped_column(Integer, default=4, server_default=text("4"))
    in_work_first_every_days: Mapped[int] = mapped_column(Integer, default=7,
                                                          server_default=text("7"))
    in_work_then_every_days: Mapped[int] = mapped_column(Integer, default=30,
                                                         server_default=text("30"))
    # Working days a referral may wait unaccepted before its team leaders are told
    # (caseload/referral_waits.py); empty means the default, 5.
    referral_wait_working_days: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    staff: Mapped[list[Staff]] = relationship(back_populates="team")

    __table_args__ = (
        CheckConstraint("just_ask_weekday BETWEEN 0 AND 4", name="just_ask_weekday_range"),
    )


class Staff(Base):
    __tablename__ = "staff"

    id: Mapped[int] = mapped_column(primary_key=True)
    slack_user_id: Mapped[str] = mapped_column(String(32), unique=True)
    # The Slack workspace (team id, T...) the person is in. With one workspace it may be NULL:
    # that workspace. With several (OAuth install), the clock sends with this workspace's
    # bot token, so it must be set: `/ips staff add` records the workspace it was run in.
    slack_team_id: Mapped[str | None] = mapped_column(String(32), index=True)
    display_name: Mapped[str] = mapped_column(String(100))
    role: Mapped[Role] = mapped_column(_enum(Role))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"), index=True)
    fte: Mapped[Decimal] = mapped_column(Numeric(3, 2), default=Decimal("1.00"))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    team: Mapped[Team | None] = relationship(back_populates="staff")

    __table_args__ = (CheckConstraint("fte > 0 AND fte <= 1.5", name="fte_range"),)


class Client(Base):
    __tablename__ = "clients"

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"))
    reference: Mapped[str] = mapped_column(String(20))
    care_coordinator_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), index=True)
    specialist_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"), index=True)
    status: Mapped[ClientStatus] = mapped_column(_enum(ClientStatus), default=ClientStatus.REFERRED)
    status_before_hold: Mapped[ClientStatus | None] = mapped_column(_enum(ClientStatus))
    hold_reason: Mapped[str | None] = mapped_column(Text)
    hold_until: Mapped[date | None] = mapped_column(Date)
    referral_received_on: Mapped[date] = mapped_column(Date)
    accepted_on: Mapped[date | None] = mapped_column(Date)
    job_search_started_on: Mapped[date | None] = mapped_column(Date)
    discharged_on: Mapped[date | None] = mapped_column(Date)
    discharge_reason: Mapped[str | None] = mapped_column(Text)
    work_preferences: Mapped[str | None] = mapped_column(Text)
    consent_recorded: Mapped[bool] = mapped_column(Boolean, default=False)
    previous_episode_id: Mapped[int | None] = mapped_column(ForeignKey("clients.id"))
    # Kept by the contact service so the daily four-week check is one indexed scan, not a
    # max() over a million contacts.
    last_face_to_face_contact_on: Mapped[date | None] = mapped_column(Date)
    # The earliest, kept by the same service (a contact logged late with an earlier date moves
    # it back), so the report's funnel reads the client row, not a min() over every contact.
    first_face_to_face_contact_on: Mapped[date | None] = mapped_column(Date)
    # Kept by the in-work contact service (it only moves forward), so the daily in-work check
    # reads the client row rather than every in-work contact.
    last_in_work_contact_on: Mapped[date | None] = mapped_column(Date)
    referred_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    # In work when referred (job retention, or looking for a better job): IPS Grow counts these
    # referrals apart and leaves them out of the employment rate.
    in_work_at_referral: Mapped[bool] = mapped_column(Boolean, default=False,
                                                      server_default=text("false"))
    # IPS Grow counts clients with a vocational profile started (usually at the first
    # face-to-face meeting with the specialist).
    vocational_profile_started_on: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    team: Mapped[Team] = relationship()
    care_coordinator: Mapped[Staff | None] = relationship(foreign_keys=[care_coordinator_id])
    specialist: Mapped[Staff | None] = relationship(foreign_keys=[specialist_id])

    __table_args__ = (
        # One open episode per reference per team; discharged episodes may share it.
        Index(
            "uq_clients_open_reference",
            "team_id",
            "reference",
            unique=True,
            sqlite_where=text("status != 'discharged'"),
            postgresql_where=text("status != 'discharged'"),
        ),
        Index("ix_clients_team_status", "team_id", "status"),
        Index("ix_clients_status_specialist", "status", "specialist_id"),
        Index("ix_clients_team_referral", "team_id", "referral_received_on"),
    )


class ClientStatusPeriod(Base):
    """Where a client episode stood from one day to another: its status, team and specialist.

    Reports for a past day read these rows rather than today's client row, so a figure for a
    closed period does not move when something later happens (caseload/history.py keeps them).
    `valid_to` is exclusive; NULL while it is still so.
    """

    __tablename__ = "client_status_history"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"))
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"))
    status: Mapped[ClientStatus] = mapped_column(_enum(ClientStatus))
    specialist_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    recorded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (
        Index("ix_client_status_history_client_from", "client_id", "valid_from"),
        Index("ix_client_status_history_team_from", "team_id", "valid_from", "valid_to"),
        CheckConstraint("valid_to IS NULL OR valid_to > valid_from", name="to_after_from"),
    )


class EmployerContact(Base):
    __tablename__ = "employer_contacts"

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"))
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    # None means general job development, not on behalf of one client.
    client_id: Mapped[int | None] = mapped_column(ForeignKey("clients.id"))
    contacted_on: Mapped[date] = mapped_column(Date)
    employer: Mapped[str] = mapped_column(String(200))
    face_to_face: Mapped[bool] = mapped_column(Boolean)
    notes: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (
        Index("ix_employer_contacts_client_date", "client_id", "contacted_on"),
        Index("ix_employer_contacts_staff_date", "staff_id", "contacted_on"),
        Index("ix_employer_contacts_team_date", "team_id", "contacted_on"),
    )


class InWorkContact(Base):
    """In-work support: a contact with someone in work (or whose job just ended), their
    employer, or both. Face to face or not; the job is the one they had started by that day."""

    __tablename__ = "in_work_contacts"

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"))
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"))
    job_id: Mapped[int | None] = mapped_column(ForeignKey("jobs.id"))
    contacted_on: Mapped[date] = mapped_column(Date)
    with_whom: Mapped[InWorkWith] = mapped_column(_enum(InWorkWith))
    face_to_face: Mapped[bool] = mapped_column(Boolean)
    notes: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (
        Index("ix_in_work_contacts_client_date", "client_id", "contacted_on"),
        Index("ix_in_work_contacts_staff_date", "staff_id", "contacted_on"),
        Index("ix_in_work_contacts_team_date", "team_id", "contacted_on"),
    )


class Job(Base):
    """A job start, and its end once it ends."""

    __tablename__ = "jobs"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"), index=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"))
    recorded_by_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    employer: Mapped[str] = mapped_column(String(200))
    job_title: Mapped[str] = mapped_column(String(200))
    job_type: Mapped[JobType] = mapped_column(_enum(JobType))
    hours_per_week: Mapped[Decimal] = mapped_column(Numeric(5, 2))
    hourly_wage: Mapped[Decimal] = mapped_column(Numeric(7, 2))
    age_band: Mapped[AgeBand] = mapped_column(_enum(AgeBand))
    open_to_anyone: Mapped[bool] = mapped_column(Boolean, default=True)
    started_on: Mapped[date] = mapped_column(Date)
    ended_on: Mapped[date | None] = mapped_column(Date)
    # Why it ended, from the list; `end_reason` holds the specialist's own words, if any.
    end_reason_code: Mapped[JobEndReason | None] = mapped_column(_enum(JobEndReason))
    end_reason: Mapped[str | None] = mapped_column(Text)
    is_competitive: Mapped[bool] = mapped_column(Boolean)
    not_competitive_reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    client: Mapped[Client] = relationship()

    __table_args__ = (
        Index("ix_jobs_team_started", "team_id", "started_on"),
        CheckConstraint("ended_on IS NULL OR ended_on >= started_on", name="end_after_start"),
        CheckConstraint("(ended_on IS NULL) = (end_reason_code IS NULL)", name="end_has_reason"),
        Index("ix_jobs_ended", "ended_on"),
        CheckConstraint("hours_per_week > 0 AND hours_per_week <= 100", name="hours_range"),
        CheckConstraint("hourly_wage > 0", name="wage_positive"),
    )


class FidelityReview(Base):
    __tablename__ = "fidelity_reviews"

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"), index=True)
    status: Mapped[ReviewStatus] = mapped_column(_enum(ReviewStatus), default=ReviewStatus.SCHEDULED)
    scheduled_for: Mapped[date] = mapped_column(Date)
    conducted_on: Mapped[date | None] = mapped_column(Date)
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    total: Mapped[int | None] = mapped_column(Integer)
    band: Mapped[FidelityBand | None] = mapped_column(_enum(FidelityBand))
    next_review_due: Mapped[date | None] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    team: Mapped[Team] = relationship()
    items: Mapped[list[FidelityItemScore]] = relationship(
        back_populates="review", cascade="all, delete-orphan", order_by="FidelityItemScore.id"
    )
    actions: Mapped[list[FidelityActionItem]] = relationship(
        back_populates="review", cascade="all, delete-orphan", order_by="FidelityActionItem.id"
    )


class FidelityItemScore(Base):
    __tablename__ = "fidelity_item_scores"

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("fidelity_reviews.id"))
    item_code: Mapped[str] = mapped_column(String(4))
    score: Mapped[int] = mapped_column(Integer)
    notes: Mapped[str | None] = mapped_column(Text)

    review: Mapped[FidelityReview] = relationship(back_populates="items")

    __table_args__ = (
        UniqueConstraint("review_id", "item_code"),
        CheckConstraint("score BETWEEN 1 AND 5", name="score_range"),
    )


class FidelityActionItem(Base):
    __tablename__ = "fidelity_action_items"

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("fidelity_reviews.id"), index=True)
    description: Mapped[str] = mapped_column(Text)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    due_on: Mapped[date] = mapped_column(Date)
    done_on: Mapped[date | None] = mapped_column(Date)

    review: Mapped[FidelityReview] = relationship(back_populates="actions")


class BetterOffCalculation(Base):
    __tablename__ = "better_off_calculations"

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"))
    client_id: Mapped[int | None] = mapped_column(ForeignKey("clients.id"), index=True)
    calculated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    tax_year: Mapped[str] = mapped_column(String(7))
    # A hash of the inputs, so a calculation can be matched again without storing them.
    inputs_digest: Mapped[str] = mapped_column(String(64))
    better_off_per_month: Mapped[Decimal] = mapped_column(Numeric(9, 2))
    outcome: Mapped[BetterOffOutcome] = mapped_column(_enum(BetterOffOutcome))
    # The calculator form's answers, kept only when saved against a client (see
    # caseload/calculations.py); SQL NULL otherwise, not JSON null, so it can be filtered on.
    household: Mapped[dict[str, str] | None] = mapped_column(JSON(none_as_null=True))

    __table_args__ = (Index("ix_better_off_team_at", "team_id", "calculated_at"),)


class JustAskResponse(Base):
    __tablename__ = "just_ask_responses"

    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"))
    week_starting: Mapped[date] = mapped_column(Date)
    asked_count: Mapped[int] = mapped_column(Integer, default=0)
    said_yes_count: Mapped[int] = mapped_column(Integer, default=0)
    referred_count: Mapped[int] = mapped_column(Integer, default=0)
    answered_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (
        UniqueConstraint("staff_id", "week_starting"),
        CheckConstraint(
            "asked_count >= said_yes_count AND said_yes_count >= referred_count"
            " AND referred_count >= 0",
            name="counts_consistent",
        ),
    )


class NudgeLog(Base):
    """One row per reminder the clock has queued about a client (caseload/nudges.py): the unique
    key makes each once only, and `outbox_key` names the message that carries it."""

    __tablename__ = "nudge_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(40))
    subject: Mapped[str] = mapped_column(String(80))
    period: Mapped[str] = mapped_column(String(20))
    recipient: Mapped[str | None] = mapped_column(String(32))
    # None for reminders sent before the outbox carried them.
    outbox_key: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    __table_args__ = (UniqueConstraint("kind", "subject", "period"),
                      Index("ix_nudge_log_kind_period", "kind", "period"))


class OutboxMessage(Base):
    """A Slack message that must follow a write, stored in the write's transaction
    (caseload/outbox.py); `key` makes each one once only."""

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    # A user id (DM) or a channel id.
    recipient: Mapped[str] = mapped_column(String(32))
    message: Mapped[dict[str, Any]] = mapped_column(JSON)
    status: Mapped[OutboxStatus] = mapped_column(_enum(OutboxStatus), default=OutboxStatus.PENDING)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    claimed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    __table_args__ = (Index("ix_outbox_status_next", "status", "next_attempt_at"),)


class CalculatorLink(Base):
    """A one-time link from Slack to the calculator's result page (caseload/calculator_links.py):
    the answers stay here and the link carries only an opaque id, kept as its SHA-256 digest."""

    __tablename__ = "calculator_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    digest: Mapped[str] = mapped_column(String(64), unique=True)
    slack_user_id: Mapped[str] = mapped_column(String(32))
    answers: Mapped[dict[str, str]] = mapped_column(JSON)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)
    used_at: Mapped[datetime | None] = mapped_column(UTCDateTime)


class WebSession(Base):
    """A signed-in browser's server-side session (ips/sessions.py); the cookie holds a random
    id and this row its SHA-256 digest, so a copy of the table signs nobody in."""

    __tablename__ = "web_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)


class FirstReport(Base):
    """A team's figures for a closed period as first reported, so a later report of the same
    period can say what a correction of the past has changed since (caseload/first_reports.py)."""

    __tablename__ = "first_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[int] = mapped_column(ForeignKey("teams.id"))
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    figures: Mapped[dict[str, int]] = mapped_column(JSON)
    reported_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # Figures the report gained after this period was first reported (job retention, say), each
    # kept from the first report that carried it, with that report's day (ISO date).
    figures_added_on: Mapped[dict[str, str] | None] = mapped_column(JSON)

    __table_args__ = (UniqueConstraint("team_id", "period_start", "period_end"),)


class AuditLog(Base):
    __tablename__ = "audit_log"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    # None when the system itself acted (the clock expiring a hold, say).
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("staff.id"))
    action: Mapped[str] = mapped_column(String(40))
    entity_type: Mapped[str] = mapped_column(String(40))
    entity_id: Mapped[int] = mapped_column(Integer)
    team_id: Mapped[int | None] = mapped_column(ForeignKey("teams.id"))
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)

    __table_args__ = (Index("ix_audit_entity", "entity_type", "entity_id"),)


class IdempotencyKey(Base):
    """A request already acted on (a Slack event id, a view id, a button press).

    Claimed in the same transaction as the write it guards, so a retried delivery or a
    double click finds the key taken and writes nothing twice, across processes.
    """

    __tablename__ = "idempotency_keys"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(255), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class ClientSnooze(Base):
    """A specialist's "not now" on a four-week nudge: no nudge for this client until `until`."""

    __tablename__ = "client_snoozes"

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id"), index=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("staff.id"))
    until: Mapped[date] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
