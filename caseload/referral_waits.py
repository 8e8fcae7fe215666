"""Referrals waiting too long to be accepted: who should hear, and how long each has waited.

Zero exclusion means nobody referred is left waiting: a referral not accepted within the
team's working days (5 unless the team sets its own, `ips team referral-wait`) goes to the
team's leaders in a digest, and again each week it still waits, saying how many weeks past
it is. Working days are the team's nation's (weekends and its bank holidays do not count).
"""

from __future__ import annotations

from datetime import date
from typing import NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from caseload.models import Client, ClientStatus, Nation, Team
from caseload.working_days import (
    add_working_days,
    last_working_day_before,
    working_day_on_or_before,
)

DEFAULT_WAIT_WORKING_DAYS = 5


class WaitingReferral(NamedTuple):
    client_id: int
    reference: str
    team_id: int
    received_on: date
    # The first day it counted as waiting too long, and whole weeks since: the digest's
    # escalation (0 on that day, 1 a week later, …).
    overdue_since: date
    weeks_overdue: int


def wait_allowed(team: Team) -> int:
    return team.referral_wait_working_days or DEFAULT_WAIT_WORKING_DAYS


def _working_days_back(day: date, count: int, nation: Nation) -> date:
    """The working day `count` working days before `day` (counted from the last working day
    on or before it: a Saturday counts as its Friday)."""
    day = working_day_on_or_before(day, nation)
    for _ in range(count):
        day = last_working_day_before(day, nation)
    return day


def waiting_too_long(session: Session, today: date, teams: list[Team]) -> list[WaitingReferral]:
    """Referrals still not accepted more than their team's working days after they arrived,
    longest-waiting first, for `teams`.

    One query for the referrals still open; a team's cut-off (the last day a referral could
    have arrived and be past its wait today) is worked out once per team, not per referral.
    """
    # A referral is past its wait when more than the allowed working days have gone by since
    # it arrived: it arrived before the working day after the cut-off (a weekend's referral
    # counts from the Monday).
    limits = {team.id: add_working_days(
        _working_days_back(today, wait_allowed(team) + 1, team.nation), 1, team.nation)
        for team in teams}
    rows = session.execute(
        select(Client.id, Client.reference, Client.team_id, Client.referral_received_on)
        .where(Client.status == ClientStatus.REFERRED, Client.team_id.in_([team.id for team in teams]),
               Client.referral_received_on < max(limits.values(), default=today))
        .order_by(Client.referral_received_on, Client.id))
    waiting = []
    # Many referrals share a day of arrival, a nation and a wait: each day is counted once.
    overdue_since: dict[tuple[date, Nation, int], date] = {}
    rules = {team.id: (team.nation, wait_allowed(team)) for team in teams}
    for client_id, reference, team_id, received_on in rows:
        if received_on >= limits[team_id]:
            continue
        nation, wait = rules[team_id]
        key = (received_on, nation, wait)
        if key not in overdue_since:
            overdue_since[key] = add_working_days(received_on, wait + 1, nation)
        since = overdue_since[key]
        waiting.append(WaitingReferral(client_id, reference, team_id, received_on, since,
                                       (today - since).days // 7))
    return waiting
