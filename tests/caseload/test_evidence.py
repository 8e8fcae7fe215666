"""Fidelity evidence from records, against figures worked out by hand."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from dateutil.relativedelta import relativedelta

from caseload import follow_along
from caseload.db import Database
from caseload.evidence import (
    caseload_score,
    competitive_score,
    different_share,
    diversity_score,
    employer_contact_score,
    employer_key,
    fidelity_evidence,
    rapid_search_score,
)
from caseload.history import record_state
from caseload.models import (
    AgeBand,
    Client,
    ClientStatus,
    EmployerContact,
    InWorkContact,
    InWorkWith,
    Job,
    JobEndReason,
    JobType,
    Role,
)
from tests.factories import make_staff, make_team

UP_TO = date(2026, 10, 31)


@pytest.mark.parametrize(("value", "score"), [(41, 1), (40, 2), (31, 2), (30, 3), (26, 3),
                                              (25, 4), (21, 4), (20.9, 4), (20, 5), (3, 5)])
def test_caseload_anchors(value, score) -> None:
    assert caseload_score(Decimal(str(value))) == score


@pytest.mark.parametrize(("value", "score"), [(271, 1), (270.5, 1), (151, 2), (61, 3), (60, 4),
                                              (31, 4), (30, 5)])
def test_rapid_search_anchors(value, score) -> None:
    assert rapid_search_score(Decimal(str(value))) == score


@pytest.mark.parametrize(("value", "score"), [(1.9, 1), (2, 2), (3.9, 2), (4, 3), (5, 4),
                                              (5.9, 4), (6, 5)])
def test_employer_contact_anchors(value, score) -> None:
    assert employer_contact_score(Decimal(str(value))) == score


@pytest.mark.parametrize(("value", "diverse", "competitive"),
                         [("0.49", 1, 1), ("0.5", 2, 1), ("0.64", 3, 1), ("0.7", 4, 2),
                          ("0.8", 4, 3), ("0.85", 5, 4), ("0.95", 5, 5)])
def test_share_anchors(value, diverse, competitive) -> None:
    assert diversity_score(Decimal(value)) == diverse
    assert competitive_score(Decimal(value)) == competitive


def _by_code(items):
    return {item.code: item for item in items}


def test_evidence_from_a_small_team(db: Database) -> None:
    with db.transaction() as s:
        team = make_team(s, "Evidence")
        es1 = make_staff(s, Role.EMPLOYMENT_SPECIALIST, team, fte="1.00")
        es2 = make_staff(s, Role.EMPLOYMENT_SPECIALIST, team, fte="0.50")
        clients = []
        for n, (status, accepted) in enumerate([
            (ClientStatus.JOB_SEEKING, date(2026, 1, 1)),
            (ClientStatus.IN_WORK, date(2026, 2, 1)),
            (ClientStatus.ACCEPTED, date(2026, 3, 1)),
            (ClientStatus.DISCHARGED, date(2026, 4, 1)),
        ]):
            c = Client(team_id=team.id, reference=f"EV-{n}", referral_received_on=accepted,
                       accepted_on=accepted, status=status, consent_recorded=True,
                       specialist_id=es1.id)
            s.add(c)
            record_state(s, c, accepted)  # as the services would have dated it
            clients.append(c)
        s.flush()
        # First face-to-face contacts 20 and 40 days after acceptance (average 30); a phone
        # call earlier does not count; a later face-to-face contact is not the first.
        for client, first in ((clients[0], 20), (clients[1], 40)):
            accepted = client.accepted_on
            s.add(EmployerContact(team_id=team.id, staff_id=es1.id, client_id=client.id,
                                  contacted_on=accepted + timedelta(days=first), employer="A",
                                  face_to_face=True))
            s.add(EmployerContact(team_id=team.id, staff_id=es1.id, client_id=client.id,
                                  contacted_on=accepted + timedelta(days=first + 10),
                                  employer="B", face_to_face=True))
            s.add(EmployerContact(team_id=team.id, staff_id=es1.id, client_id=client.id,
                                  contacted_on=accepted + timedelta(days=2), employer="C",
                                  face_to_face=False))
        # General job development: 3 more face-to-face contacts by es2.
        for d in range(3):
            s.add(EmployerContact(team_id=team.id, staff_id=es2.id, client_id=None,
                                  contacted_on=date(2026, 6, 1 + d), employer="D",
                                  face_to_face=True))
        # Four jobs: 3 types, 3 employers (case-insensitive), 3 competitive.
        for job_type, employer, competitive in [
            (JobType.ELEMENTARY, "Tesco", True), (JobType.ELEMENTARY, "tesco", True),
            (JobType.ADMINISTRATIVE, "Boots", True), (JobType.CARING_LEISURE, "Care Co", False),
        ]:
            s.add(Job(client_id=clients[1].id, team_id=team.id, recorded_by_id=es1.id,
                      employer=employer, job_title="x", job_type=job_type,
                      hours_per_week=Decimal(10), hourly_wage=Decimal(13),
                      age_band=AgeBand.AGE_21_AND_OVER, started_on=date(2026, 5, 1),
                      is_competitive=competitive))
    with db.reading() as s:
        evidence = _by_code(fidelity_evidence(s, team.id, UP_TO))

    # Active caseload: job seeking, in work, accepted = 3, over 1.5 FTE = 2.0.
    assert (evidence["S1"].value, evidence["S1"].suggested_score) == (Decimal("2.0"), 5)
    assert not evidence["S1"].anchors_need_checking
    # First contacts 20 and 40 days after acceptance, and EV-2, accepted on 1 March and still
    # waiting on 31 October: 244 days so far. (20 + 40 + 244) / 3 = 101.3 days.
    assert (evidence["V4"].value, evidence["V4"].records, evidence["V4"].suggested_score) == (
        Decimal("101.3"), 3, 3)
    assert "2 clients whose first contact fell in the period, and 1 still waiting" in \
        evidence["V4"].explanation
    # 4 + 3 = 7 face-to-face contacts by 2 specialists over 365/7 weeks = 0.067 → 0.1 a week.
    assert (evidence["V6"].records, evidence["V6"].value, evidence["V6"].suggested_score) == (
        7, Decimal("0.1"), 1)
    # Shares 1/2, 1/4, 1/4: 1 - (1/4 + 1/16 + 1/16) = 0.625.
    assert (evidence["V8"].value, evidence["V8"].suggested_score) == (Decimal("0.625"), 3)
    assert evidence["V8"].rows[0] == "9 Elementary occupations: 2 jobs"
    assert (evidence["V9"].value, evidence["V9"].suggested_score) == (Decimal("0.750"), 4)
    assert (evidence["V10"].value, evidence["V10"].suggested_score) == (Decimal("0.750"), 3)
    assert "3 of 4 job starts were competitive" in evidence["V10"].explanation


def test_a_team_with_no_records_gets_not_enough_records(db: Database) -> None:
    with db.transaction() as s:
        team = make_team(s, "New service")
    with db.reading() as s:
        items = fidelity_evidence(s, team.id, UP_TO)
    assert [i.code for i in items] == ["S1", "V4", "V6", "V8", "V9", "V10", "V12"]
    for item in items:
        assert item.value is None and item.suggested_score is None
        assert item.shown_as == "not enough records"
        assert item.explanation.startswith("Not enough records yet")


@pytest.mark.parametrize(("counts", "share"), [
    ([1], None), ([2], Decimal("0.000")), ([1, 1], Decimal("0.500")), ([2, 1, 1], Decimal("0.625")),
    ([9, 9, 9, 9], Decimal("0.750")), ([90, 90, 90, 90], Decimal("0.750")),
    ([1] * 9, Decimal("0.889")), ([100] * 9, Decimal("0.889")), ([0, 3, 0], Decimal("0.000")),
])
def test_the_share_of_pairs_of_jobs_that_differ(counts, share) -> None:
    assert different_share(counts) == share


def _jobs_of(db, team_name: str, types: list[JobType]) -> int:
    with db.transaction() as s:
        team = make_team(s, team_name)
        es = make_staff(s, Role.EMPLOYMENT_SPECIALIST, team)
        c = Client(team_id=team.id, reference=f"{team_name[:3].upper()}-1",
                   referral_received_on=date(2026, 1, 1), status=ClientStatus.IN_WORK,
                   consent_recorded=True, specialist_id=es.id)
        s.add(c)
        s.flush()
        for n, job_type in enumerate(types):
            s.add(Job(client_id=c.id, team_id=team.id, recorded_by_id=es.id,
                      employer=f"Employer {n}", job_title="x", job_type=job_type,
                      hours_per_week=Decimal(10), hourly_wage=Decimal(13),
                      age_band=AgeBand.AGE_21_AND_OVER, started_on=date(2026, 5, 1),
                      is_competitive=True))
        return team.id


@pytest.mark.parametrize("per_group", [2, 10, 50])
def test_job_type_diversity_does_not_fall_as_a_team_finds_more_jobs(db: Database, per_group) -> None:
    """The same spread over four SOC major groups scores the same for 8, 40 or 200 job starts
    (the old "different types ÷ jobs" gave 4/40: score 1 for any team past 18 starts)."""
    spread = [JobType.ELEMENTARY, JobType.SALES_CUSTOMER, JobType.CARING_LEISURE,
              JobType.ADMINISTRATIVE]
    team_id = _jobs_of(db, f"Spread {per_group}", spread * per_group)
    with db.reading() as s:
        v8 = _by_code(fidelity_evidence(s, team_id, UP_TO))["V8"]
    assert (v8.value, v8.suggested_score) == (Decimal("0.750"), 4)
    assert v8.records == 4 * per_group
    assert "4 of the 9 major groups of the Standard Occupational Classification 2020" in v8.explanation
    assert v8.anchors == ("under 50% different", "50 to 59%", "60 to 69%", "70 to 84%", "85% or more")


def test_one_job_type_for_everyone_scores_1_and_one_job_is_not_enough(db: Database) -> None:
    same = _jobs_of(db, "Same", [JobType.ELEMENTARY] * 12)
    single = _jobs_of(db, "Single", [JobType.ELEMENTARY])
    with db.reading() as s:
        assert _by_code(fidelity_evidence(s, same, UP_TO))["V8"].suggested_score == 1
        lonely = _by_code(fidelity_evidence(s, single, UP_TO))["V8"]
    assert lonely.value is None and "needs two or more" in lonely.explanation


@pytest.mark.parametrize(("typed", "key"), [("Tesco", "tesco"), ("TESCO Ltd.", "tesco"),
                                            ("tesco  plc", "tesco"), ("Marks & Spencer", "marks and spencer"),
                                            ("Marks and Spencer PLC", "marks and spencer"),
                                            ("Boots UK Limited", "boots")])
def test_one_employer_however_it_was_typed(typed, key) -> None:
    assert employer_key(typed) == key


def _jobs_and_contacts(s, team, es, jobs, contacts) -> None:
    ids = {}
    for ref, started, ended in jobs:
        c = Client(team_id=team.id, reference=ref, referral_received_on=date(2025, 1, 1),
                   status=ClientStatus.IN_WORK, consent_recorded=True, specialist_id=es.id)
        s.add(c)
        s.flush()
        s.add(Job(client_id=c.id, team_id=team.id, recorded_by_id=es.id, employer="E",
                  job_title="x", job_type=JobType.ELEMENTARY, hours_per_week=Decimal(10),
                  hourly_wage=Decimal(13), age_band=AgeBand.AGE_21_AND_OVER,
                  started_on=started, ended_on=ended, is_competitive=True,
                  end_reason_code=JobEndReason.CONTRACT_ENDED if ended else None))
        ids[ref] = c.id
    for ref, on, with_whom, face_to_face in contacts:
        s.add(InWorkContact(team_id=team.id, staff_id=es.id, client_id=ids[ref],
                            contacted_on=on, with_whom=with_whom, face_to_face=face_to_face))


def test_follow_along_support_against_the_scales_anchors(db: Database) -> None:
    """Period 1 Nov 2025 to 31 Oct 2026, England.
    A-1 from Mon 1 June, still going: seen face to face on the 2nd, then each week of June, then
    in July, August, September and October: every part met.
    B-1 from Mon 2 March to Fri 15 May: 2 whole months; a phone call in March, seen in April;
    its end followed up by phone on Tue 19 May (due by Wed 20 May).
    C-1 from 1 October, ended Fri 30 October: no whole month, so not judged on the first 4;
    its end's 3 working days run past the period, so that is left out.
    D-1 from 15 August: its 4th month ends after the period (too recent), no contact at all.
    E-1 from Thu 29 October: its 3 working days run past the period; nothing to judge yet.
    Through the first 4 months: A of A and B, 50%: at least half, anchor 3. Weekly in the first
    month: only A of A, B, C, D, so not anchor 4."""
    f2f, phone = True, False
    with db.transaction() as s:
        team = make_team(s, "Follow-along")
        es = make_staff(s, Role.EMPLOYMENT_SPECIALIST, team)
        _jobs_and_contacts(s, team, es, (
            ("A-1", date(2026, 6, 1), None), ("B-1", date(2026, 3, 2), date(2026, 5, 15)),
            ("C-1", date(2026, 10, 1), date(2026, 10, 30)), ("D-1", date(2026, 8, 15), None),
            ("E-1", date(2026, 10, 29), None),
        ), [("A-1", date(2026, 6, d), InWorkWith.PERSON, f2f) for d in (2, 8, 15, 22)] + [
            ("A-1", date(2026, 7, 20), InWorkWith.PERSON, f2f),
            ("A-1", date(2026, 8, 10), InWorkWith.BOTH, f2f),
            ("A-1", date(2026, 9, 30), InWorkWith.PERSON, f2f),
            ("A-1", date(2026, 10, 20), InWorkWith.BOTH, f2f),
            # Seen, but the employer alone: not the person.
            ("A-1", date(2026, 7, 2), InWorkWith.EMPLOYER, f2f),
            ("B-1", date(2026, 3, 10), InWorkWith.PERSON, phone),
            ("B-1", date(2026, 4, 20), InWorkWith.PERSON, f2f),
            ("B-1", date(2026, 5, 18), InWorkWith.EMPLOYER, phone),
            ("B-1", date(2026, 5, 19), InWorkWith.PERSON, phone),
            ("C-1", date(2026, 10, 1), InWorkWith.PERSON, f2f)])
    with db.reading() as s:
        v12 = _by_code(fidelity_evidence(s, team.id, UP_TO))["V12"]
    assert (v12.value, v12.records, v12.suggested_score) == (Decimal("0.5"), 2, 3)
    assert v12.rows == (
        "B-1, job from 2 Mar 2026: not seen in its first 3 working days; first month 0 of 4 "
        "weeks; first 4 months 1 of 2; months 2 to 12 1 of 1",
        "B-1 (job ended 15 May 2026): followed up 19 May",
        "A-1, job from 1 Jun 2026: seen in its first 3 working days; first month 4 of 4 weeks; "
        "first 4 months 4 of 4; months 2 to 12 4 of 4",
        "D-1, job from 15 Aug 2026: not seen in its first 3 working days; first month 0 of 4 "
        "weeks; months 2 to 12 0 of 1",
        "C-1, job from 1 Oct 2026: seen in its first 3 working days; first month 1 of 4 weeks",
    )
    assert v12.anchors == follow_along.ANCHORS and v12.anchors_need_checking
    assert "while the job lasted: 1 of 2 (anchor 3" in v12.explanation
    assert "first 3 working days: 2 of 4." in v12.explanation
    assert "cannot show contact in the week before a start" in v12.explanation


def _weekly_then_monthly(ref: str, started: date, face_to_face: bool
                         ) -> list[tuple[str, date, InWorkWith, bool]]:
    first_month = [(ref, started + timedelta(days=d), InWorkWith.PERSON, True)
                   for d in (1, 7, 14, 21)]
    later = [(ref, started + relativedelta(months=n, days=3), InWorkWith.PERSON, face_to_face)
             for n in range(1, 8)]
    return first_month + later


@pytest.mark.parametrize(("face_to_face_later", "ended", "followed_up", "score"), [
    (True, None, None, 5),
    # The job ends on Friday 2 October; a call on Wednesday 7 October is its third working day.
    (True, date(2026, 10, 2), date(2026, 10, 7), 5),
    (True, date(2026, 10, 2), date(2026, 10, 8), 4),
    # Phone calls only once the first month is over: nobody seen face to face after it.
    (False, None, None, 1),
])
def test_follow_along_score_from_records(db: Database, face_to_face_later, ended, followed_up,
                                         score) -> None:
    """One job from Monday 2 March 2026: seen face to face the next day and every week of the
    first month, then a contact early in each month after."""
    started = date(2026, 3, 2)
    contacts = _weekly_then_monthly("E-1", started, face_to_face_later)
    if ended is not None:
        contacts = [c for c in contacts if c[1] <= ended]
    if followed_up is not None:
        contacts.append(("E-1", followed_up, InWorkWith.PERSON, False))
    with db.transaction() as s:
        team = make_team(s)
        es = make_staff(s, Role.EMPLOYMENT_SPECIALIST, team)
        _jobs_and_contacts(s, team, es, [("E-1", started, ended)], contacts)
    with db.reading() as s:
        v12 = _by_code(fidelity_evidence(s, team.id, UP_TO))["V12"]
    assert v12.suggested_score == score


def _along(first_months=(1, 1), first_weeks=(1, 1), later_months=(1, 1), after_start=(1, 1),
           job_ends=(0, 0), seen_later=True) -> follow_along.FollowAlong:
    parts = [follow_along.Part(*p) for p in (first_months, first_weeks, later_months,
                                             after_start, job_ends)]
    return follow_along.FollowAlong(*parts, seen_after_first_month=seen_later, rows=())


@pytest.mark.parametrize(("along", "score"), [
    (_along(first_months=(0, 0)), None),
    (_along(first_months=(0, 3), seen_later=False), 1),
    (_along(first_months=(1, 3)), 2),
    (_along(first_months=(2, 4), first_weeks=(1, 3)), 3),
    (_along(first_months=(2, 4), later_months=(4, 9)), 3),
    (_along(first_months=(2, 4), first_weeks=(2, 4), later_months=(5, 9), after_start=(1, 3)), 4),
    (_along(job_ends=(1, 3)), 4),
    (_along(first_months=(2, 4), first_weeks=(2, 4), later_months=(5, 9), after_start=(2, 4),
            job_ends=(1, 2)), 5),
    (_along(), 5),
])
def test_follow_along_anchor_steps(along, score) -> None:
    assert along.score == score
