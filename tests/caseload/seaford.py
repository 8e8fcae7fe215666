"""Seaford's first half of 2026, recorded through the services day by day: the caseload the
outcome and IPS Grow return tests count by hand."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from decimal import Decimal

import time_machine
from sqlalchemy.orm import Session

from caseload import clients, contacts, in_work, jobs, outcomes
from caseload.db import Database
from caseload.models import Client, JobType, Role, Staff
from caseload.overdue import overdue_counts_as_of
from caseload.periods import Period, quarter
from caseload.validation import parse
from tests.factories import make_staff, make_team, refer

Q4 = quarter(date(2026, 2, 1))  # January to March 2026: the 2025/26 financial year's fourth


class Seaford:
    """Seaford's first half of 2026, recorded as it happened (each step on its own day).

    S-01 referred 5 Jan, accepted 6 Jan (Sam); job search 7 Jan; competitive job 10 Feb
         (Boots); a second competitive job 2 Mar (Costa).
    S-02 referred 12 Jan, accepted 14 Jan (Sam); a job below the minimum wage 16 Feb (not
         competitive); a competitive job 7 Apr.
    S-03 referred 20 Jan, accepted 21 Jan (Jo); on hold 2 Feb until 2 Mar (the clock takes it
         off on 3 Mar, dated the 2nd); discharged 11 May.
    S-04 referred 3 Feb, accepted 4 Feb (Jo), already in work when referred.
    S-05 referred 25 Feb, accepted 2 Mar (Jo); vocational profile 10 Mar; reassigned to Sam
         1 Apr; an employer meeting on 25 Mar logged late, on 10 Apr; competitive job 20 Apr,
         ended 1 Jun.
    S-06 referred 25 Mar, accepted 2 Apr (Sam), so an April referral; vocational profile 6 Apr.
    Newhaven, another team: N-01 referred and accepted 8 Jan, nothing else.
    """

    def __init__(self, db: Database) -> None:
        self.db = db
        self.ids: dict[str, int] = {}
        self.step(date(2026, 1, 5), self._set_up)

    def step(self, day: date, action: Callable[[Session], None]) -> None:
        with time_machine.travel(day, tick=False), self.db.transaction() as s:
            action(s)

    def staff(self, s: Session, name: str) -> Staff:
        return s.get(Staff, self.ids[name])

    def client(self, s: Session, reference: str) -> Client:
        return s.get(Client, self.ids[reference])

    def _set_up(self, s: Session) -> None:
        seaford = make_team(s, "Seaford", service_started_on=date(2026, 1, 5),
                            referral_target_per_month=4, job_start_target_per_month=2)
        newhaven = make_team(s, "Newhaven")
        for name, role, team in (("Lee", Role.TEAM_LEADER, seaford),
                                 ("Sam", Role.EMPLOYMENT_SPECIALIST, seaford),
                                 ("Jo", Role.EMPLOYMENT_SPECIALIST, seaford),
                                 ("Ned", Role.TEAM_LEADER, newhaven)):
            self.ids[name] = make_staff(s, role, team, name=name).id
        self.ids["seaford"], self.ids["newhaven"] = seaford.id, newhaven.id

    def referral(self, day: date, reference: str, lead: str = "Lee", **extra: object) -> None:
        def act(s: Session) -> None:
            leader = self.staff(s, lead)
            self.ids[reference] = refer(s, leader, leader.team, reference, **extra).id
        self.step(day, act)

    def accept(self, day: date, reference: str, specialist: str | None, lead: str = "Lee") -> None:
        self.step(day, lambda s: clients.accept(
            s, self.staff(s, lead), self.client(s, reference),
            specialist_id=self.ids[specialist] if specialist else None, confirm_over=True))

    def job(self, day: date, reference: str, employer: str, wage: str = "12.71") -> None:
        self.step(day, lambda s: jobs.record_job_start(s, self.staff(s, "Lee"), parse(jobs.NewJobStart, {
            "client_id": self.ids[reference], "employer": employer, "job_title": "Assistant",
            "job_type": JobType.SALES_CUSTOMER, "hours_per_week": Decimal(16),
            "hourly_wage": Decimal(wage), "started_on": day})))

    def contact(self, logged: date, reference: str, on: date) -> None:
        self.step(logged, lambda s: contacts.record_employer_contact(
            s, self.staff(s, "Sam"), parse(contacts.NewEmployerContact, {
                "employer": "Waitrose", "contacted_on": on, "face_to_face": True,
                "client_id": self.ids[reference]})))

    def support(self, day: date, reference: str, by: str = "Sam", with_whom: str = "person"
                ) -> None:
        self.step(day, lambda s: in_work.record_in_work_contact(
            s, self.staff(s, by), parse(in_work.NewInWorkContact, {
                "client_id": self.ids[reference], "contacted_on": day, "with_whom": with_whom,
                "face_to_face": True})))

    def first_quarter(self) -> None:
        self.referral(date(2026, 1, 5), "S-01")
        self.accept(date(2026, 1, 6), "S-01", "Sam")
        self.step(date(2026, 1, 7), lambda s: clients.start_job_search(s, self.staff(s, "Sam"),
                                                                       self.client(s, "S-01")))
        self.referral(date(2026, 1, 8), "N-01", lead="Ned")
        self.accept(date(2026, 1, 8), "N-01", None, lead="Ned")
        self.referral(date(2026, 1, 12), "S-02")
        self.accept(date(2026, 1, 14), "S-02", "Sam")
        self.referral(date(2026, 1, 20), "S-03")
        self.accept(date(2026, 1, 21), "S-03", "Jo")
        self.contact(date(2026, 1, 20), "S-01", date(2026, 1, 20))
        self.contact(date(2026, 1, 26), "S-02", date(2026, 1, 26))
        self.step(date(2026, 2, 2), lambda s: clients.put_on_hold(
            s, self.staff(s, "Jo"), self.client(s, "S-03"),
            parse(clients.Hold, {"reason": "in hospital", "until": date(2026, 3, 2)})))
        self.referral(date(2026, 2, 3), "S-04", in_work_at_referral=True)
        self.accept(date(2026, 2, 4), "S-04", "Jo")
        self.job(date(2026, 2, 10), "S-01", "Boots")
        self.job(date(2026, 2, 16), "S-02", "Market stall", wage="9.00")
        self.referral(date(2026, 2, 25), "S-05")
        self.job(date(2026, 3, 2), "S-01", "Costa")
        self.accept(date(2026, 3, 2), "S-05", "Jo")
        self.step(date(2026, 3, 3), lambda s: clients.expire_holds(s, date(2026, 3, 3)))
        self.step(date(2026, 3, 10), lambda s: clients.start_vocational_profile(
            s, self.staff(s, "Jo"), self.client(s, "S-05")))
        self.referral(date(2026, 3, 25), "S-06")

    def april_on(self) -> None:
        self.step(date(2026, 4, 1), lambda s: clients.assign(s, self.staff(s, "Lee"), self.client(s, "S-05"),
                                                             self.ids["Sam"], confirm_over=True))
        self.accept(date(2026, 4, 2), "S-06", "Sam")
        self.step(date(2026, 4, 6), lambda s: clients.start_vocational_profile(
            s, self.staff(s, "Sam"), self.client(s, "S-06")))
        self.job(date(2026, 4, 7), "S-02", "Tesco")
        self.contact(date(2026, 4, 10), "S-05", date(2026, 3, 25))
        self.job(date(2026, 4, 20), "S-05", "Boots")
        self.step(date(2026, 5, 11), lambda s: clients.discharge(
            s, self.staff(s, "Lee"), self.client(s, "S-03"),
            parse(clients.Discharge, {"reason": "moved out of the area"})))

        def end_job(s: Session) -> None:
            [job] = jobs.jobs_for_client(s, self.client(s, "S-05"))
            jobs.record_job_end(s, self.staff(s, "Lee"), job.id, parse(jobs.JobEnd, {
                "ended_on": date(2026, 6, 1), "reason": "contract_ended"}))
        self.step(date(2026, 6, 1), end_job)

    def figures(self, period: Period) -> dict[str, object]:
        team = self.ids["seaford"]
        with self.db.reading() as s:
            return {
                "referrals": outcomes.referrals(s, period).get(team, 0),
                "in work at referral": outcomes.referrals_in_work(s, period).get(team, 0),
                "profiles": outcomes.vocational_profiles_started(s, period).get(team, 0),
                "job starts": outcomes.job_starts(s, period).get(team, outcomes.JobStarts()),
                "employment": outcomes.employment_rates(s, period).get(team, outcomes.EmploymentRate()),
                "caseload": outcomes.caseloads_on(s, period.last_day).get(team, outcomes.Caseload()),
                "overdue": overdue_counts_as_of(s, period.last_day).get(team, 0),
            }
