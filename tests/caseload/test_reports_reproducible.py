"""A report for a closed month is the same whenever it is made: what happens later does not move
it, and only a correction of the past (a contact logged late with its real date) does."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import time_machine

from caseload import clients, contacts, jobs
from caseload.db import Database
from caseload.models import Client, JobType, Role, Staff
from caseload.periods import month
from caseload.reports import OutcomesReport, outcomes_report
from caseload.validation import parse
from tests.factories import make_staff, make_team, refer

OCTOBER = month(date(2026, 10, 15))


def _on(day: date) -> time_machine.travel:
    return time_machine.travel(day, tick=False)


def _contact(s, actor: Staff, client_id: int, on: date) -> None:
    contacts.record_employer_contact(s, actor, parse(contacts.NewEmployerContact, {
        "employer": "Greggs", "contacted_on": on, "face_to_face": True, "client_id": client_id}))


def _figures(report: OutcomesReport) -> list[tuple[str, int, list[tuple[str, int]]]]:
    return [(t.team_name, t.overdue, [(c.name, c.active_clients) for c in t.specialists])
            for t in report.teams]


def _october(db: Database) -> OutcomesReport:
    with db.reading() as s:
        return outcomes_report(s, OCTOBER)


def _build(db: Database) -> dict[str, int]:
    """Brighton in October 2026, worked by hand (A1 is the client referred as BR-1, and so on):

    - A1 accepted 1 Sep (Sam), last contact 10 Sep: 51 days without contact on 31 Oct, overdue.
    - A2 accepted 1 Sep (Sam), contact 20 Oct: not overdue.
    - A3 accepted 2 Oct (Sam): 29 days on 31 Oct, overdue.
    - A4 accepted 5 Oct (Jo): 26 days, not overdue.
    - A5 accepted 1 Sep (Jo), job from 1 Oct: in work, not looking, so not overdue.
    Active caseloads on 31 Oct: Sam 3 (A1-A3), Jo 2 (A4, A5).
    """
    with _on(date(2026, 9, 1)), db.transaction() as s:
        team = make_team(s, "Brighton")
        lead = make_staff(s, Role.TEAM_LEADER, team, name="Lee")
        sam = make_staff(s, Role.EMPLOYMENT_SPECIALIST, team, name="Sam")
        jo = make_staff(s, Role.EMPLOYMENT_SPECIALIST, team, name="Jo")
        ids = {"lead": lead.id, "sam": sam.id, "jo": jo.id}
        for ref, who in (("BR-1", sam), ("BR-2", sam), ("BR-5", jo)):
            client = refer(s, lead, team, ref)
            clients.accept(s, lead, client, specialist_id=who.id)
            ids["A" + ref[-1]] = client.id
    with _on(date(2026, 9, 10)), db.transaction() as s:
        _contact(s, s.get(Staff, ids["sam"]), ids["A1"], date(2026, 9, 10))
    with _on(date(2026, 10, 1)), db.transaction() as s:
        jobs.record_job_start(s, s.get(Staff, ids["jo"]), parse(jobs.NewJobStart, {
            "client_id": ids["A5"], "employer": "Boots", "job_title": "Assistant",
            "job_type": JobType.SALES_CUSTOMER, "hours_per_week": Decimal(20),
            "hourly_wage": Decimal("12.71"), "started_on": date(2026, 10, 1)}))
    for ref, who, day in (("BR-3", "sam", date(2026, 10, 2)), ("BR-4", "jo", date(2026, 10, 5))):
        with _on(day), db.transaction() as s:
            lead = s.get(Staff, ids["lead"])
            client = refer(s, lead, lead.team, ref)
            clients.accept(s, lead, client, specialist_id=ids[who])
            ids["A" + ref[-1]] = client.id
    with _on(date(2026, 10, 20)), db.transaction() as s:
        _contact(s, s.get(Staff, ids["sam"]), ids["A2"], date(2026, 10, 20))
    return ids


def test_later_events_do_not_move_a_closed_month(db: Database) -> None:
    ids = _build(db)
    with _on(date(2026, 10, 31)):
        on_the_day = _october(db)
    assert _figures(on_the_day) == [("Brighton", 2, [("Jo", 2), ("Sam", 3)])]

    # November: A1 discharged, A3 on hold, A4 reassigned to Sam, A2's job starts, A1 contacted,
    # a new referral accepted, and A5's job ends. None of it is about October.
    with _on(date(2026, 11, 12)), db.transaction() as s:
        lead = s.get(Staff, ids["lead"])
        sam = s.get(Staff, ids["sam"])
        _contact(s, sam, ids["A1"], date(2026, 11, 3))
        clients.discharge(s, lead, s.get(Client, ids["A1"]),
                          parse(clients.Discharge, {"reason": "moved away", "on": date(2026, 11, 5)}))
        clients.put_on_hold(s, lead, s.get(Client, ids["A3"]), parse(clients.Hold, {"reason": "unwell"}))
        clients.assign(s, lead, s.get(Client, ids["A4"]), ids["sam"])
        jobs.record_job_start(s, sam, parse(jobs.NewJobStart, {
            "client_id": ids["A2"], "employer": "Costa", "job_title": "Barista",
            "job_type": JobType.ELEMENTARY, "hours_per_week": Decimal(16),
            "hourly_wage": Decimal("12.71"), "started_on": date(2026, 11, 9)}))
        [a5_job] = jobs.jobs_for_client(s, s.get(Client, ids["A5"]))
        jobs.record_job_end(s, lead, a5_job.id, parse(jobs.JobEnd, {
            "ended_on": date(2026, 11, 10), "reason": "contract_ended"}))
        new = refer(s, lead, lead.team, "BR-6")
        clients.accept(s, lead, new, specialist_id=ids["jo"])
    with _on(date(2026, 12, 15)):
        later = _october(db)
    assert later == on_the_day


def test_a_contact_logged_late_with_its_real_date_corrects_the_month(db: Database) -> None:
    ids = _build(db)
    with _on(date(2026, 10, 31)):
        assert _october(db).teams[0].overdue == 2
    # On 4 November Sam logs a meeting with an employer about A3 that took place on 29 October.
    with _on(date(2026, 11, 4)), db.transaction() as s:
        _contact(s, s.get(Staff, ids["sam"]), ids["A3"], date(2026, 10, 29))
    with _on(date(2026, 11, 4)):
        assert _october(db).teams[0].overdue == 1
