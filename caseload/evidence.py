"""Fidelity evidence from records: what the caseload says about the items it can measure.

This is evidence for the reviewer, not the score: the reviewer decides. Anchors follow
domain.md; those marked *check* there are flagged until confirmed against the UK form.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from dateutil.relativedelta import relativedelta
from sqlalchemy import and_, exists, func, or_, select
from sqlalchemy.orm import Session, aliased

from caseload import follow_along
from caseload.history import in_force_on
from caseload.jobs import SOC_2020_MAJOR_GROUPS
from caseload.models import (
    ACTIVE_CASELOAD,
    LOOKING_FOR_WORK,
    Client,
    ClientStatusPeriod,
    EmployerContact,
    InWorkContact,
    Job,
    Nation,
    Role,
    Staff,
    Team,
)
from caseload.outcomes import Caseload, caseloads_on
from caseload.periods import Period
from caseload.staff import staff_names


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
    # The scale's anchors, score 1 to 5, and the rows behind the figure (references and staff
    # names only), for the reviewer to check the figure against.
    anchors: tuple[str, ...] = ()
    rows: tuple[str, ...] = ()

    @property
    def enough_records(self) -> bool:
        return self.value is not None


ANCHORS: dict[str, tuple[str, ...]] = {
    "S1": ("41 or more clients per specialist", "31 to 40", "26 to 30", "21 to 25", "20 or fewer"),
    "V4": ("271 days or more", "151 to 270 days", "61 to 150 days", "31 to 60 days",
           "30 days or fewer"),
    "V6": ("fewer than 2 a week", "2 a week", "4 a week", "5 a week", "6 or more a week"),
    "V8": ("under 50% different", "50 to 59%", "60 to 69%", "70 to 84%", "85% or more"),
    "V9": ("under 50% different", "50 to 59%", "60 to 69%", "70 to 84%", "85% or more"),
    "V10": ("under 65% competitive", "65 to 74%", "75 to 84%", "85 to 94%", "95% or more"),
    "V12": follow_along.ANCHORS,
}


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
                        f"Not enough records yet: no {what} in the period.", checking,
                        ANCHORS.get(code, ()))


def _share(part: int, whole: int) -> Decimal:
    return (Decimal(part) / Decimal(whole)).quantize(Decimal("0.001"))


def fidelity_evidence(session: Session, team_id: int, up_to: date,
                      days: int = 365) -> list[EvidenceItem]:
    """Evidence for S1, V4, V6, V8, V9, V10 and V12 over the `days` before `up_to` (inclusive)."""
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
    items.append(follow_along_evidence(session, team_id, period))
    return items


def _caseload(session: Session, team_id: int, fte: Decimal, people: int, on: date) -> EvidenceItem:
    title = "Caseload size"
    if fte == 0:
        return _not_enough("S1", title, "active employment specialists", False)
    active = caseloads_on(session, on, team_id).get(team_id, Caseload()).active
    per_fte = (Decimal(active) / fte).quantize(Decimal("0.1"))
    held = dict(session.execute(
        select(ClientStatusPeriod.specialist_id, func.count(ClientStatusPeriod.client_id))
        .where(ClientStatusPeriod.team_id == team_id, in_force_on(on),
               ClientStatusPeriod.status.in_(ACTIVE_CASELOAD))
        .group_by(ClientStatusPeriod.specialist_id)).all())
    names = staff_names(session, held)
    rows = tuple(f"{names.get(who, 'No specialist yet') if who else 'No specialist yet'}: "
                 f"{count} clients" for who, count in sorted(
                     held.items(), key=lambda item: (-item[1], names.get(item[0] or 0, ""))))
    return EvidenceItem(
        "S1", title, per_fte, f"{per_fte} clients per full-time specialist",
        caseload_score(per_fte), active,
        f"{active} clients accepted, job seeking or in work on {on:%-d %B %Y}, shared by {people} "
        f"specialists ({fte} full-time equivalent); IPS aims for 20 or fewer each.", False,
        ANCHORS["S1"], rows)


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
        select(Client.reference, start, first_contact.c.first)
        .join(first_contact, first_contact.c.client_id == Client.id)
        .where(Client.team_id == team_id,
               and_(first_contact.c.first >= period.start, first_contact.c.first < period.end))
    ).all()
    contact = aliased(EmployerContact)
    waiting = session.execute(
        select(Client.reference, start)
        .join(ClientStatusPeriod, ClientStatusPeriod.client_id == Client.id)
        .where(ClientStatusPeriod.team_id == team_id, in_force_on(up_to),
               ClientStatusPeriod.status.in_(LOOKING_FOR_WORK),
               ~exists().where(contact.client_id == Client.id, contact.face_to_face.is_(True),
                               contact.contacted_on <= up_to))
    ).all()
    if not met and not waiting:
        return _not_enough("V4", title, "clients accepted onto the caseload", True)
    waits = [((first - began).days, f"{ref}: {(first - began).days} days, first contact "
              f"{first:%-d %b %Y}") for ref, began, first in met]
    waits += [((up_to - began).days, f"{ref}: {(up_to - began).days} days so far, still waiting")
              for ref, began in waiting]
    average = (Decimal(sum(d for d, _ in waits)) / len(waits)).quantize(Decimal("0.1"))
    return EvidenceItem(
        "V4", title, average, f"{average} days on average", rapid_search_score(average), len(waits),
        f"Average days from referral to the first face-to-face employer contact: {len(met)} clients "
        f"whose first contact fell in the period, and {len(waiting)} still waiting on "
        f"{up_to:%-d %B %Y} (counted to that day); IPS aims for 30 or fewer.", True,
        ANCHORS["V4"], tuple(text for _, text in sorted(waits, key=lambda w: -w[0])))


def _employer_contacts(session: Session, team_id: int, period: Period, specialist_ids: list[int],
                       days: int) -> EvidenceItem:
    title = "Job development: frequent employer contact"
    if not specialist_ids:
        return _not_enough("V6", title, "active employment specialists", True)
    per_person = dict(session.execute(
        select(EmployerContact.staff_id, func.count(EmployerContact.id)).where(
            EmployerContact.team_id == team_id, EmployerContact.face_to_face.is_(True),
            EmployerContact.staff_id.in_(specialist_ids),
            EmployerContact.contacted_on >= period.start,
            EmployerContact.contacted_on < period.end)
        .group_by(EmployerContact.staff_id)).all())
    count = sum(per_person.values())
    weeks = Decimal(days) / 7
    per_week = (Decimal(count) / len(specialist_ids) / weeks).quantize(Decimal("0.1"))
    names = staff_names(session, specialist_ids)
    rows = tuple(f"{names.get(who, '?')}: {per_person.get(who, 0)} contacts, "
                 f"{(Decimal(per_person.get(who, 0)) / weeks).quantize(Decimal('0.1'))} a week"
                 for who in sorted(specialist_ids, key=lambda w: names.get(w, "")))
    return EvidenceItem(
        "V6", title, per_week, f"{per_week} a week per specialist",
        employer_contact_score(per_week), count,
        f"{count} face-to-face employer contacts by {len(specialist_ids)} specialists over "
        f"{days // 7} weeks, for clients or general job development; IPS aims for 6 a week.",
        True, ANCHORS["V6"], rows)


def different_share(counts: Iterable[int]) -> Decimal | None:
    """How far jobs spread across groups: 1 - the sum of each group's share squared (the
    Gini-Simpson index), the chance that two job starts drawn at random (the first put back)
    are of different types. None with fewer than two jobs.

    Not "different groups ÷ jobs": with nine SOC major groups that can never pass 9 ÷ jobs, so
    any team with more than 18 job starts in a year scored 1 whatever its spread. This depends
    only on the spread, never on how many jobs there were: four groups equally used give 75%
    for 8 jobs as for 800; all nine equally, 89%; one group, 0%.
    """
    sizes = [n for n in counts if n > 0]
    total = sum(sizes)
    if total < 2:
        return None
    same = sum(Decimal(n) ** 2 for n in sizes) / Decimal(total) ** 2
    return (1 - same).quantize(Decimal("0.001"))


_COMPANY_SUFFIX = re.compile(r"\b(ltd|limited|plc|llp|uk)\b")


def employer_key(name: str) -> str:
    """One employer however it was typed: case, punctuation, spacing and a company suffix
    ("Tesco", "TESCO Ltd.", "tesco  plc") do not make another employer."""
    words = re.sub(r"[^a-z0-9 ]+", " ", name.lower().replace("&", " and "))
    return " ".join(_COMPANY_SUFFIX.sub(" ", words).split())


def _jobs(session: Session, team_id: int, period: Period) -> list[EvidenceItem]:
    started = session.execute(
        select(Job.job_type, Job.employer, Job.is_competitive, Job.not_competitive_reason,
               Client.reference)
        .join(Client, Client.id == Job.client_id)
        .where(Job.team_id == team_id, Job.started_on >= period.start,
               Job.started_on < period.end)
        .order_by(Job.started_on, Job.id)).all()
    if not started:
        return [_not_enough(code, title, "job starts", True) for code, title in (
            ("V8", "Diversity of job types"), ("V9", "Diversity of employers"),
            ("V10", "Competitive jobs"))]
    return [_job_types(started), _employers(started), _competitive(started)]


def _job_types(started: Sequence[Any]) -> EvidenceItem:
    title = "Diversity of job types"
    by_type = Counter(row.job_type for row in started)
    share = different_share(by_type.values())
    rows = tuple(f"{SOC_2020_MAJOR_GROUPS[kind]}: {count} job{'s' if count != 1 else ''}"
                 for kind, count in by_type.most_common())
    if share is None:
        return EvidenceItem("V8", title, None, "not enough records", None, len(started),
                            "Not enough records yet: one job start in the period; diversity "
                            "needs two or more.", True, ANCHORS["V8"], rows)
    return EvidenceItem(
        "V8", title, share, f"{share:.0%} different", diversity_score(share), len(started),
        f"{len(started)} job starts in {len(by_type)} of the 9 major groups of the Standard "
        f"Occupational Classification 2020 (ONS); two of them drawn at random are of different "
        f"types {share:.0%} of the time, however many jobs there are.", True, ANCHORS["V8"],
        rows)


def _employers(started: Sequence[Any]) -> EvidenceItem:
    names: dict[str, str] = {}
    by_employer: Counter[str] = Counter()
    for row in started:
        key = employer_key(row.employer)
        names.setdefault(key, row.employer)
        by_employer[key] += 1
    share = _share(len(by_employer), len(started))
    rows = tuple(f"{names[key]}: {count} jobs" for key, count in by_employer.most_common()
                 if count > 1)
    singles = sum(1 for count in by_employer.values() if count == 1)
    rows += (f"{singles} employer{'s' if singles != 1 else ''} with one job each",) if singles else ()
    return EvidenceItem(
        "V9", "Diversity of employers", share, f"{share:.0%} different", diversity_score(share),
        len(started), f"{len(by_employer)} different employers among {len(started)} job starts "
        "(names compared ignoring case, punctuation and Ltd or plc).", True, ANCHORS["V9"], rows)


def _competitive(started: Sequence[Any]) -> EvidenceItem:
    competitive = sum(1 for row in started if row.is_competitive)
    share = _share(competitive, len(started))
    rows = tuple(f"{row.reference} at {row.employer}: {row.not_competitive_reason}"
                 for row in started if not row.is_competitive)
    return EvidenceItem(
        "V10", "Competitive jobs", share, f"{share:.0%}", competitive_score(share), len(started),
        f"{competitive} of {len(started)} job starts were competitive: open to anyone and "
        "paid at least the minimum wage.", True, ANCHORS["V10"], rows)


def follow_along_evidence(session: Session, team_id: int, period: Period) -> EvidenceItem:
    """V12, time-unlimited follow-along supports, from in-work support contacts against the
    scale's anchors (`caseload.follow_along`)."""
    title = "Time-unlimited follow-along supports"
    team = session.get(Team, team_id)
    nation = team.nation if team is not None else Nation.ENGLAND
    jobs = [follow_along.JobRow(row.reference, row.client_id, row.started_on, row.ended_on)
            for row in session.execute(
                select(Job.client_id, Job.started_on, Job.ended_on, Client.reference)
                .join(Client, Client.id == Job.client_id)
                .where(Job.team_id == team_id, Job.started_on < period.end,
                       Job.started_on > period.start - relativedelta(years=1),
                       or_(Job.ended_on.is_(None), Job.ended_on >= period.start))
                .order_by(Job.started_on, Job.id))]
    contacts: dict[int, list[follow_along.ContactRow]] = {}
    for row in session.execute(
            select(InWorkContact.client_id, InWorkContact.contacted_on, InWorkContact.with_whom,
                   InWorkContact.face_to_face)
            .where(InWorkContact.team_id == team_id, InWorkContact.contacted_on < period.end,
                   InWorkContact.contacted_on >= period.start - relativedelta(years=1))):
        contacts.setdefault(row.client_id, []).append(
            follow_along.ContactRow(row.contacted_on, row.with_whom, row.face_to_face))
    result = follow_along.follow_along(jobs, contacts, period, nation)
    value = result.value
    if value is None:
        return EvidenceItem(
            "V12", title, None, "not enough records", None, 0,
            "Not enough records yet: no job started in the period has had its first months "
            "(or has ended). " + follow_along.explanation(result), True, ANCHORS["V12"],
            result.rows)
    return EvidenceItem(
        "V12", title, value, f"{value:.0%} seen face to face through their first 4 months",
        result.score, result.first_months.judged, follow_along.explanation(result), True,
        ANCHORS["V12"], result.rows)
