"""Fidelity evidence from records, against figures worked out by hand."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

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


def test_follow_along_support_from_in_work_contacts(db: Database) -> None:
    """Job A from 1 June, still going: 5 whole months by 31 October, contacts in 3 of them.
    Job B from 2 March to Friday 15 May: 2 whole months, a contact in 1; its end followed up
    with the person on the Tuesday (due by Wednesday 20 May). Job C ended Friday 30 October:
    its 3 working days run past the period, so it is left out. 5 of 8 checks met: 62.5%."""
    with db.transaction() as s:
        team = make_team(s, "Follow-along")
        es = make_staff(s, Role.EMPLOYMENT_SPECIALIST, team)
        jobs = {}
        for ref, started, ended in (("A-1", date(2026, 6, 1), None),
                                    ("B-1", date(2026, 3, 2), date(2026, 5, 15)),
                                    ("C-1", date(2026, 10, 1), date(2026, 10, 30))):
            c = Client(team_id=team.id, reference=ref, referral_received_on=date(2026, 1, 1),
                       status=ClientStatus.IN_WORK, consent_recorded=True, specialist_id=es.id)
            s.add(c)
            s.flush()
            s.add(Job(client_id=c.id, team_id=team.id, recorded_by_id=es.id, employer="E",
                      job_title="x", job_type=JobType.ELEMENTARY, hours_per_week=Decimal(10),
                      hourly_wage=Decimal(13), age_band=AgeBand.AGE_21_AND_OVER,
                      started_on=started, ended_on=ended, is_competitive=True,
                      end_reason_code=JobEndReason.CONTRACT_ENDED if ended else None))
            jobs[ref] = c.id
        for ref, on, with_whom in (("A-1", date(2026, 6, 3), InWorkWith.PERSON),
                                   ("A-1", date(2026, 7, 20), InWorkWith.EMPLOYER),
                                   ("A-1", date(2026, 9, 30), InWorkWith.BOTH),
                                   ("B-1", date(2026, 3, 10), InWorkWith.PERSON),
                                   ("B-1", date(2026, 5, 18), InWorkWith.EMPLOYER),
                                   ("B-1", date(2026, 5, 19), InWorkWith.PERSON)):
            s.add(InWorkContact(team_id=team.id, staff_id=es.id, client_id=jobs[ref],
                                contacted_on=on, with_whom=with_whom, face_to_face=False))
    with db.reading() as s:
        v12 = _by_code(fidelity_evidence(s, team.id, UP_TO))["V12"]
    assert (v12.value, v12.records, v12.suggested_score) == (Decimal("0.625"), 8, 3)
    assert v12.rows == (
        "B-1 (job from 2 Mar 2026): 1 of 2 months with in-work support",
        "B-1 (job ended 15 May 2026): followed up 19 May",
        "A-1 (job from 1 Jun 2026): 3 of 5 months with in-work support",
    )
    assert v12.anchors_need_checking and "within 3 days of a job ending" in v12.explanation
