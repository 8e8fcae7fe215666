"""Fidelity evidence from records, against figures worked out by hand."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest

from caseload.db import Database
from caseload.evidence import (
    caseload_score,
    competitive_score,
    diversity_score,
    employer_contact_score,
    fidelity_evidence,
    rapid_search_score,
)
from caseload.history import record_state
from caseload.models import AgeBand, Client, ClientStatus, EmployerContact, Job, JobType, Role
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
    assert (evidence["V8"].value, evidence["V8"].suggested_score) == (Decimal("0.750"), 4)
    assert (evidence["V9"].value, evidence["V9"].suggested_score) == (Decimal("0.750"), 4)
    assert (evidence["V10"].value, evidence["V10"].suggested_score) == (Decimal("0.750"), 3)
    assert "3 of 4 job starts were competitive" in evidence["V10"].explanation


def test_a_team_with_no_records_gets_not_enough_records(db: Database) -> None:
    with db.transaction() as s:
        team = make_team(s, "New service")
    with db.reading() as s:
        items = fidelity_evidence(s, team.id, UP_TO)
    assert [i.code for i in items] == ["S1", "V4", "V6", "V8", "V9", "V10"]
    for item in items:
        assert item.value is None and item.suggested_score is None
        assert item.shown_as == "not enough records"
        assert item.explanation.startswith("Not enough records yet")
