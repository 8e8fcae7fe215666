"""Fidelity evidence from records: what the caseload says about the items it can measure.

This is evidence for the reviewer, not the score: the reviewer decides. Anchors follow
domain.md; those marked *check* there are flagged until confirmed against the UK form.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import and_, case, exists, func, select
from sqlalchemy.orm import Session, aliased

from caseload.history import in_force_on
from caseload.models import LOOKING_FOR_WORK, Client, ClientStatusPeriod, EmployerContact, Job, Role, Staff
from caseload.outcomes import Caseload, caseloads_on
from caseload.periods import Period


@dataclass(frozen=True)
class EvidenceItem:
    code: str
    title: str
    value: Decimal | None
    shown_as: str
    suggested_score: int | None
    records: int
    explanation: str
    anchors_need_checking: bool

    @property
    def enough_records(self) -> bool:
        return self.value is not None


def _score(value: Decimal, steps: list[tuple[Callable[[Decimal], bool], int]]) -> int:
    for test, score in steps:
        if test(value):
            return score
    raise AssertionError("anchor steps must cover every value")


def caseload_score(per_fte: Decimal) -> int:
    """S1: ≥41 → 1, 31–40 → 2, 26–30 → 3, 21–25 → 4, ≤20 → 5 (UK form, confirmed)."""
    return _score(per_fte, [(lambda v: v > 40, 1), (lambda v: v > 30, 2), (lambda v: v > 25, 3),
                            (lambda v: v > 20, 4), (lambda v: True, 5)])


def rapid_search_score(days: Decimal) -> int:
    """V4: ≥271 → 1, 151–270 → 2, 61–150 → 3, 31–60 → 4, ≤30 → 5 (*check*)."""
    return _score(days, [(lambda v: v > 270, 1), (lambda v: v > 150, 2), (lambda v: v > 60, 3),
                         (lambda v: v > 30, 4), (lambda v: True, 5)])


def employer_contact_score(per_week: Decimal) -> int:
    """V6: <2 → 1, 2 → 2, 4 → 3, 5 → 4, ≥6 → 5 a week (*check*); between anchors, the lower."""
    return _score(per_week, [(lambda v: v >= 6, 5), (lambda v: v >= 5, 4), (lambda v: v >= 4, 3),
                             (lambda v: v >= 2, 2), (lambda v: True, 1)])


def diversity_score(share: Decimal) -> int:
    """V8/V9: <50% → 1, 50–59% → 2, 60–69% → 3, 70–84% → 4, ≥85% → 5 (*check*)."""
    return _score(share, [(lambda v: v >= Decimal("0.85"), 5), (lambda v: v >= Decimal("0.70"), 4),
                          (lambda v: v >= Decimal("0.60"), 3), (lambda v: v >= Decimal("0.50"), 2),
                          (lambda v: True, 1)])


def competitive_score(share: Decimal) -> int:
    """V10: <65% → 1, 65–74% → 2, 75–84% → 3, 85–94% → 4, ≥95% → 5 (*check*)."""
    return _score(share, [(lambda v: v >= Decimal("0.95"), 5), (lambda v: v >= Decimal("0.85"), 4),
                          (lambda v: v >= Decimal("0.75"), 3), (lambda v: v >= Decimal("0.65"), 2),
                          (lambda v: True, 1)])


def _not_enough(code: str, title: str, what: str, checking: bool) -> EvidenceItem:
    return EvidenceItem(code, title, None, "not enough records", None, 0,
                        f"Not enough records yet: no {what} in the period.", checking)


def _share(part: int, whole: int) -> Decimal:
    return (Decimal(part) / Decimal(whole)).quantize(Decimal("0.001"))


def fidelity_evidence(session: Session, team_id: int, up_to: date,
                      days: int = 365) -> list[EvidenceItem]:
    """Evidence for S1, V4, V6, V8, V9 and V10 over the `days` before `up_to` (inclusive)."""
    period = Period(up_to - timedelta(days=days - 1), up_to + timedelta(days=1))
    specialists = list(session.execute(
        select(Staff.id, Staff.fte).where(Staff.team_id == team_id,
                                          Staff.role == Role.EMPLOYMENT_SPECIALIST,
                                          Staff.active.is_(True))))
    fte = sum((row.fte for row in specialists), Decimal(0))
    items = [_caseload(session, team_id, fte, len(specialists), up_to),
             _rapid_search(session, team_id, period),
             _employer_contacts(session, team_id, period, [row.id for row in specialists], days)]
    items += _jobs(session, team_id, period)
    return items


def _caseload(session: Session, team_id: int, fte: Decimal, people: int, on: date) -> EvidenceItem:
    title = "Caseload size"
    if fte == 0:
        return _not_enough("S1", title, "active employment specialists", False)
    active = caseloads_on(session, on, team_id).get(team_id, Caseload()).active
    per_fte = (Decimal(active) / fte).quantize(Decimal("0.1"))
    return EvidenceItem(
        "S1", title, per_fte, f"{per_fte} clients per full-time specialist",
        caseload_score(per_fte), active,
        f"{active} clients accepted, job seeking or in work on {on:%-d %B %Y}, shared by {people} "
        f"specialists ({fte} full-time equivalent); IPS aims for 20 or fewer each.", False)


def _rapid_search(session: Session, team_id: int, period: Period) -> EvidenceItem:
    """Days from referral to the first face-to-face employer contact: for clients whose first
    contact fell in the period, and - so nobody waiting is left out - days so far for those
    still looking for work at its end with no contact yet."""
    title = "Rapid search for competitive job"
    up_to = period.last_day
    first_contact = (
        select(EmployerContact.client_id, func.min(EmployerContact.contacted_on).label("first"))
        .where(EmployerContact.face_to_face.is_(True), EmployerContact.client_id.is_not(None))
        .group_by(EmployerContact.client_id).subquery()
    )
    start = func.coalesce(Client.accepted_on, Client.referral_received_on)
    met = session.execute(
        select(start, first_contact.c.first)
        .join(first_contact, first_contact.c.client_id == Client.id)
        .where(Client.team_id == team_id,
               and_(first_contact.c.first >= period.start, first_contact.c.first < period.end))
    ).all()
    contact = aliased(EmployerContact)
    waiting = session.scalars(
        select(start)
        .join(ClientStatusPeriod, ClientStatusPeriod.client_id == Client.id)
        .where(ClientStatusPeriod.team_id == team_id, in_force_on(up_to),
               ClientStatusPeriod.status.in_(LOOKING_FOR_WORK),
               ~exists().where(contact.client_id == Client.id, contact.face_to_face.is_(True),
                               contact.contacted_on <= up_to))
    ).all()
    if not met and not waiting:
        return _not_enough("V4", title, "clients accepted onto the caseload", True)
    days = [(first - began).days for began, first in met] + [(up_to - began).days for began in waiting]
    average = (Decimal(sum(days)) / len(days)).quantize(Decimal("0.1"))
    return EvidenceItem(
        "V4", title, average, f"{average} days on average", rapid_search_score(average), len(days),
        f"Average days from referral to the first face-to-face employer contact: {len(met)} clients "
        f"whose first contact fell in the period, and {len(waiting)} still waiting on "
        f"{up_to:%-d %B %Y} (counted to that day); IPS aims for 30 or fewer.", True)


def _employer_contacts(session: Session, team_id: int, period: Period, specialist_ids: list[int],
                       days: int) -> EvidenceItem:
    title = "Job development: frequent employer contact"
    if not specialist_ids:
        return _not_enough("V6", title, "active employment specialists", True)
    count = session.scalar(select(func.count(EmployerContact.id)).where(
        EmployerContact.team_id == team_id, EmployerContact.face_to_face.is_(True),
        EmployerContact.staff_id.in_(specialist_ids),
        EmployerContact.contacted_on >= period.start,
        EmployerContact.contacted_on < period.end)) or 0
    weeks = Decimal(days) / 7
    per_week = (Decimal(count) / len(specialist_ids) / weeks).quantize(Decimal("0.1"))
    return EvidenceItem(
        "V6", title, per_week, f"{per_week} a week per specialist",
        employer_contact_score(per_week), count,
        f"{count} face-to-face employer contacts by {len(specialist_ids)} specialists over "
        f"{days // 7} weeks, for clients or general job development; IPS aims for 6 a week.",
        True)


def _jobs(session: Session, team_id: int, period: Period) -> list[EvidenceItem]:
    totals = session.execute(
        select(func.count(Job.id), func.count(func.distinct(Job.job_type)),
               func.count(func.distinct(func.lower(Job.employer))),
               func.coalesce(func.sum(case((Job.is_competitive, 1), else_=0)), 0))
        .where(Job.team_id == team_id, Job.started_on >= period.start,
               Job.started_on < period.end)
    ).one()
    jobs, types, employers, competitive = (int(v or 0) for v in totals)
    if jobs == 0:
        return [_not_enough(code, title, "job starts", True) for code, title in (
            ("V8", "Diversity of job types"), ("V9", "Diversity of employers"),
            ("V10", "Competitive jobs"))]
    type_share, employer_share, competitive_share = (
        _share(types, jobs), _share(employers, jobs), _share(competitive, jobs))
    return [
        EvidenceItem("V8", "Diversity of job types", type_share, f"{type_share:.0%} different",
                     diversity_score(type_share), jobs,
                     f"{types} different job types among {jobs} job starts.", True),
        EvidenceItem("V9", "Diversity of employers", employer_share,
                     f"{employer_share:.0%} different", diversity_score(employer_share), jobs,
                     f"{employers} different employers among {jobs} job starts.", True),
        EvidenceItem("V10", "Competitive jobs", competitive_share, f"{competitive_share:.0%}",
                     competitive_score(competitive_share), jobs,
                     f"{competitive} of {jobs} job starts were competitive: open to anyone and "
                     "paid at least the minimum wage.", True),
    ]

