"""V12, time-unlimited follow-along supports: how much of the fidelity scale's anchors the
in-work records show, and the score whose anchor they meet.

The scale's anchors describe what specialists do, not percentages. What records can show is
measured per job: face-to-face contact with the person through the first 4 months, every week
of the first month, every month from the second to the twelfth while the job lasted, within 3
working days of starting, and any contact with the person within 3 working days of a job end.
What they cannot show (contact in the week before a start, whether the support was what the
person wanted, when the specialist learned a job had ended) is said beside the figure.

Pure functions over rows; the query is in `caseload.evidence`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from dateutil.relativedelta import relativedelta

from caseload.models import InWorkWith, Nation
from caseload.periods import Period
from caseload.working_days import add_working_days

# The anchors of item 12 of the UK IPS fidelity scale, in this product's own words. Sources:
# Centre for Mental Health, "The IPS fidelity scale" (UK version),
# https://www.centreformentalhealth.org.uk/the-ips-fidelity-scale ; Becker, Swanson, Reese,
# Bond and McLeman, Supported Employment Fidelity Review Manual, 4th ed., IPS Employment
# Center, Westat, December 2019. Marked for checking word for word against the UK form.
ANCHORS = (
    "no face-to-face contact once a job's first month is over",
    "face to face with fewer than half of working clients for at least 4 months after a start",
    "face to face with at least half of working clients for at least 4 months after a start",
    "face to face weekly in a job's first month, then at least monthly for a year or more, "
    "on average",
    "all of 4, and within a week before a start, within 3 days after it, and within 3 days "
    "of hearing of a job loss",
)

# The scale's own threshold between anchors 2 and 3.
HALF = Decimal("0.5")
# Anchors 4 and 5 describe what happens "on average": read here as at least half of the
# people in work, the same line the scale draws for anchor 3. This product's reading.
ON_AVERAGE = HALF
FIRST_MONTHS = 4
FIRST_WEEKS = 4  # "the first month" counted in whole weeks
SUPPORT_MONTHS = 12
WORKING_DAYS_AFTER = 3


@dataclass(frozen=True)
class JobRow:
    reference: str
    client_id: int
    started_on: date
    ended_on: date | None


@dataclass(frozen=True)
class ContactRow:
    contacted_on: date
    with_whom: InWorkWith
    face_to_face: bool

    @property
    def with_the_person(self) -> bool:
        return self.with_whom in (InWorkWith.PERSON, InWorkWith.BOTH)

    @property
    def seen(self) -> bool:
        """Face to face with the person (alone or with the employer)."""
        return self.face_to_face and self.with_the_person


@dataclass(frozen=True)
class Part:
    """One measurable part of the anchors: how many jobs met it of those it could be judged on."""

    met: int = 0
    judged: int = 0

    def add(self, ok: bool) -> Part:
        return Part(self.met + int(ok), self.judged + 1)

    @property
    def share(self) -> Decimal | None:
        if self.judged == 0:
            return None
        return (Decimal(self.met) / Decimal(self.judged)).quantize(Decimal("0.001"))

    def reaches(self, line: Decimal) -> bool:
        share = self.share
        return share is not None and share >= line

    def words(self) -> str:
        return f"{self.met} of {self.judged}" if self.judged else "none to judge"


@dataclass(frozen=True)
class FollowAlong:
    first_months: Part  # seen face to face every whole month of the first 4
    first_weeks: Part  # seen face to face every whole week of the first month
    later_months: Part  # seen face to face every whole month from the 2nd to the 12th
    after_start: Part  # seen face to face within 3 working days of starting
    job_ends: Part  # contacted (any way) within 3 working days of a job end
    seen_after_first_month: bool  # anyone judged seen face to face after a job's first month
    rows: tuple[str, ...]

    @property
    def value(self) -> Decimal | None:
        return self.first_months.share

    @property
    def score(self) -> int | None:
        """The highest anchor the measured parts meet; None with no job to judge yet."""
        if self.first_months.judged == 0:
            return None
        if not self.first_months.reaches(HALF):
            return 2 if self.seen_after_first_month else 1
        if not (self.first_weeks.reaches(ON_AVERAGE) and self.later_months.reaches(ON_AVERAGE)):
            return 3
        # No job end in the period leaves nothing to follow up: that part cannot fail.
        ends_met = self.job_ends.judged == 0 or self.job_ends.reaches(ON_AVERAGE)
        return 5 if self.after_start.reaches(ON_AVERAGE) and ends_met else 4


def _spans(started: date, ended: date | None, step: relativedelta, first: int, count: int,
           period: Period) -> tuple[list[tuple[date, date]], bool]:
    """The whole steps `first` to `count` (counted from 0) of a job, while it lasted, that were
    over by the end of the period; and whether every step that could be judged is over (the
    job ended, or all of them were over)."""
    spans: list[tuple[date, date]] = []
    for n in range(first, count):
        start, end = started + step * n, started + step * (n + 1)
        if ended is not None and end > ended + timedelta(days=1):
            return spans, True
        if end > period.end:
            return spans, False
        spans.append((start, end))
    return spans, True


def _each_seen(spans: list[tuple[date, date]], seen: list[date]) -> int:
    return sum(1 for start, end in spans if any(start <= on < end for on in seen))


def follow_along(jobs: Sequence[JobRow], contacts: dict[int, list[ContactRow]], period: Period,
                 nation: Nation) -> FollowAlong:
    """What the in-work records show of V12's anchors for `jobs` over `period`.

    Jobs started in the period are judged on their start (3 working days, whole weeks of the
    first month, whole months of the first 4) once those are over or the job has ended; every
    job started within a year before the period is judged on its 2nd to 12th whole months that
    ended in the period while it lasted; every job end in the period whose 3 working days are
    over by its end, on its follow-up.
    """
    parts = {"first_months": Part(), "first_weeks": Part(), "later_months": Part(),
             "after_start": Part(), "job_ends": Part()}
    seen_later = False
    rows: list[str] = []
    month, week = relativedelta(months=1), relativedelta(weeks=1)
    for job in jobs:
        own = contacts.get(job.client_id, [])
        seen = sorted(c.contacted_on for c in own if c.seen)
        notes: list[str] = []
        if period.start <= job.started_on < period.end:
            due = add_working_days(job.started_on, WORKING_DAYS_AFTER, nation)
            if due <= period.last_day:
                ok = any(job.started_on <= on <= due for on in seen)
                parts["after_start"] = parts["after_start"].add(ok)
                notes.append("seen in its first 3 working days" if ok
                             else "not seen in its first 3 working days")
            weeks, over = _spans(job.started_on, job.ended_on, week, 0, FIRST_WEEKS, period)
            if weeks and over:
                hit = _each_seen(weeks, seen)
                parts["first_weeks"] = parts["first_weeks"].add(hit == len(weeks))
                notes.append(f"first month {hit} of {len(weeks)} weeks")
            months, over = _spans(job.started_on, job.ended_on, month, 0, FIRST_MONTHS, period)
            if months and over:
                hit = _each_seen(months, seen)
                parts["first_months"] = parts["first_months"].add(hit == len(months))
                notes.append(f"first 4 months {hit} of {len(months)}")
                after, last = months[0][1], job.ended_on or period.last_day
                seen_later = seen_later or any(after <= on <= last for on in seen)
        later, _ = _spans(job.started_on, job.ended_on, month, 1, SUPPORT_MONTHS, period)
        later = [(start, end) for start, end in later if end > period.start]
        if later:
            hit = _each_seen(later, seen)
            parts["later_months"] = parts["later_months"].add(hit == len(later))
            notes.append(f"months 2 to 12 {hit} of {len(later)}")
        if notes:
            rows.append(f"{job.reference}, job from {job.started_on:%-d %b %Y}: "
                        + "; ".join(notes))
        end = _job_end(job, own, period, nation)
        if end is not None:
            parts["job_ends"] = parts["job_ends"].add(end[0])
            rows.append(end[1])
    return FollowAlong(parts["first_months"], parts["first_weeks"], parts["later_months"],
                       parts["after_start"], parts["job_ends"], seen_later, tuple(rows))


def _job_end(job: JobRow, contacts: list[ContactRow], period: Period, nation: Nation
             ) -> tuple[bool, str] | None:
    """(followed up in time, the row) for a job end in the period whose 3 working days are
    over by its end: the first contact with the person, any way, on or after the end."""
    if job.ended_on is None or not period.start <= job.ended_on < period.end:
        return None
    due = add_working_days(job.ended_on, WORKING_DAYS_AFTER, nation)
    if due > period.last_day:
        return None
    heard = sorted(c.contacted_on for c in contacts
                   if c.with_the_person and c.contacted_on >= job.ended_on)
    if heard and heard[0] <= due:
        return True, f"{job.reference} (job ended {job.ended_on:%-d %b %Y}): followed up {heard[0]:%-d %b}"
    return False, (f"{job.reference} (job ended {job.ended_on:%-d %b %Y}): not followed up "
                   "within 3 working days")


def explanation(result: FollowAlong) -> str:
    return (
        f"Jobs started in the period, seen face to face (the person, alone or with the "
        f"employer) in every month of the first 4 while the job lasted: "
        f"{result.first_months.words()} (anchor 3: at least half); every week of the first "
        f"month: {result.first_weeks.words()}; in the first 3 working days: "
        f"{result.after_start.words()}. Jobs seen every month from the 2nd to the 12th (months "
        f"ended in the period): {result.later_months.words()}. Job ends followed up with the "
        f"person, any way, within 3 working days: {result.job_ends.words()}. \"On average\" "
        "(anchors 4 and 5) is read as at least half. Records cannot show contact in the week "
        "before a start, whether the person wanted the support, or when a job loss became "
        "known (the end date stands in): the reviewer judges those."
    )
