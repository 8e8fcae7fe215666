"""The demo is a believable caseload made through the real services, with no future dates."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlalchemy import func, select

from caseload import clock
from caseload.db import Database
from caseload.migrate import upgrade
from caseload.models import (
    AuditLog,
    Client,
    EmployerContact,
    FidelityReview,
    Job,
    Nation,
    ReviewStatus,
    Role,
    Staff,
    Team,
)
from ips.demo import load_demo


def test_demo_covers_what_the_pages_and_reports_need_to_show(db: Database) -> None:
    with db.transaction() as s:
        summary = load_demo(s, seed=2026)
    today = clock.today()
    with db.reading() as s:
        assert {t.nation for t in s.scalars(select(Team))} >= {Nation.ENGLAND, Nation.SCOTLAND}
        assert set(s.scalars(select(Staff.role).distinct())) == set(Role)
        # Re-referrals are new episodes pointing at the discharged one.
        re_referred = s.scalar(select(func.count(Client.id))
                               .where(Client.previous_episode_id.is_not(None)))
        assert re_referred == summary.re_referrals > 0
        # Second jobs: some clients have more than one job start.
        per_client = select(Job.client_id).group_by(Job.client_id).having(func.count(Job.id) > 1)
        assert len(s.scalars(per_client).all()) == summary.second_jobs > 0
        below = s.scalars(select(Job).where(Job.is_competitive.is_(False))).all()
        assert len(below) == summary.below_minimum_wage == 1
        assert "minimum wage" in (below[0].not_competitive_reason or "")
        assert s.scalar(select(func.count(Job.id))) == summary.job_starts
        # Employer contacts span about a year and none is in the future.
        first, last = s.execute(select(func.min(EmployerContact.contacted_on),
                                       func.max(EmployerContact.contacted_on))).one()
        assert (today - first).days >= 330 and last <= today
        assert s.scalar(select(func.max(Job.started_on))) <= today
        scored = s.scalars(select(FidelityReview)
                           .where(FidelityReview.status == ReviewStatus.COMPLETED)).all()
        assert len(scored) == 1
        review = scored[0]
        assert review.conducted_on < today and len(review.items) == 25
        assert review.total == sum(i.score for i in review.items) and review.band is not None
        # The past review was scheduled through the service, so its audit row names the leader.
        scheduled_by = s.scalar(select(Staff.role).join(AuditLog, AuditLog.actor_id == Staff.id)
                                .where(AuditLog.action == "schedule_review",
                                       AuditLog.entity_id == review.id))
        assert scheduled_by == Role.TEAM_LEADER
        # Where the records give evidence, the demo's scored review agrees with it.
        from caseload.evidence import fidelity_evidence

        scored_as = {i.item_code: i.score for i in review.items}
        suggested = {e.code: e.suggested_score for e in
                     fidelity_evidence(s, review.team_id, review.conducted_on) if e.suggested_score}
        assert suggested and all(scored_as[code] == score for code, score in suggested.items())
    # The clock swap used for the past review is undone.
    assert clock.today() == today


def test_the_seed_decides_the_demo(tmp_path: Path) -> None:
    def statuses(seed: int, name: str) -> list[tuple[str, str]]:
        url = f"sqlite:///{tmp_path / name}.sqlite3"
        upgrade(url)
        database = Database(url)
        try:
            with database.transaction() as s:
                load_demo(s, seed=seed)
            with database.reading() as s:
                return [(c.reference, c.status.value) for c in
                        s.scalars(select(Client).order_by(Client.id))]
        finally:
            database.dispose()

    first = statuses(5, "a")
    assert statuses(5, "b") == first
    assert statuses(6, "c") != first


def test_demo_shows_in_work_support_job_ends_and_the_pipelines_gaps(db: Database) -> None:
    from caseload.clients import referral_ages, specialist_load
    from caseload.in_work import in_work_contacts_due, job_end_follow_ups_awaiting
    from caseload.models import ClientStatus, InWorkContact, InWorkWith, JustAskResponse

    with db.transaction() as s:
        summary = load_demo(s, seed=2026)
    today = clock.today()
    with db.reading() as s:
        support = s.scalars(select(InWorkContact)).all()
        assert len(support) == summary.in_work_contacts > 0
        assert {c.with_whom for c in support} == set(InWorkWith)
        assert max(c.contacted_on for c in support) <= today
        # Someone in the first month of a job, with support already, and people further on.
        in_work = {c.id: c for c in s.scalars(select(Client).where(
            Client.status == ClientStatus.IN_WORK))}
        starts = {job.client_id: job.started_on for job in s.scalars(select(Job).where(
            Job.ended_on.is_(None), Job.client_id.in_(in_work)))}
        assert any((today - day).days < 28 for day in starts.values())
        assert any((today - day).days > 90 for day in starts.values())
        # Ended jobs carry a reason from the list, most followed up.
        ended = s.scalars(select(Job).where(Job.ended_on.is_not(None))).all()
        assert ended and all(job.end_reason_code is not None for job in ended)
        assert len({job.end_reason_code for job in ended}) >= 3
        assert summary.job_end_follow_ups > 0
        # The reads the clock nudges from have something to say, and not about everyone.
        due = in_work_contacts_due(s, today)
        assert 0 < len(due) < len(in_work)
        assert isinstance(job_end_follow_ups_awaiting(s, today), list)
        # A referral nobody has accepted for two months.
        waiting = s.scalars(select(Client).where(Client.status == ClientStatus.REFERRED)).all()
        assert max(referral_ages(s, list(waiting), today).values()) >= 40
        # A week when more said yes to work than were referred.
        week = s.scalars(select(JustAskResponse).where(
            JustAskResponse.said_yes_count - JustAskResponse.referred_count >= 5)).all()
        assert week
        # A specialist over 20.
        specialists = s.scalars(select(Staff).where(Staff.role == Role.EMPLOYMENT_SPECIALIST)).all()
        assert max(specialist_load(s, person.id).active for person in specialists) > 20
        # Across the year, too, one team's clinicians heard "yes" more often than they
        # referred, and the others referred everyone who said yes.
        from caseload.outcomes import funnel
        from caseload.periods import parse_period

        year = parse_period("year", today)
        gaps = {team: sum(step.said_yes_not_referred for step in steps)
                for team, steps in funnel(s, year).items()}
        assert sorted(gaps.values())[-1] >= 20 and sorted(gaps.values())[0] == 0
        weeks = s.scalars(select(JustAskResponse.week_starting).distinct()).all()
        assert min(weeks) < year.start + timedelta(weeks=4)
