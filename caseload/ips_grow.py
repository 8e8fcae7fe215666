"""IPS Grow's quarterly return: the figures its Reporting Tool asks each service for, in its
order, counted as its data reporting page says (the definitions are caseload/outcomes.py's).

The page's own words for each figure are in docs/outcomes.md. Where the record cannot give a
figure exactly as IPS Grow counts it, `CANNOT_GIVE_YET` says so, and the return says it too.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, select
from sqlalchemy.orm import Session

from caseload.errors import InvalidInput
from caseload.models import Team
from caseload.outcomes import (
    JobStarts,
    job_starts,
    referrals,
    referrals_in_work,
    vocational_profiles_started,
)
from caseload.periods import Period, quarter

# The Reporting Tool's figures, in its order, as this return labels them.
FIGURES = (
    "Number of referrals",
    "Number of referrals where the client is already in employment",
    "Number of clients who have started a vocational profile",
    "Number of clients supported into work (first job starts)",
    "Total number of job starts",
)

# What the record cannot yet give exactly as IPS Grow counts it.
CANNOT_GIVE_YET = (
    "IPS Grow counts a job start once the person has done 4 hours of paid work; the record "
    "holds the start date, not the hours worked so far, so a job is counted from its start date.",
    "These are the five figures IPS Grow's public data reporting page explains; if your "
    "Reporting Tool asks for others, they are not produced here yet.",
)


@dataclass(frozen=True)
class QuarterlyReturn:
    """One service's (team's) figures for one financial quarter."""

    team_id: int
    team_name: str
    quarter: Period
    values: tuple[int, ...]  # in the order of FIGURES

    def rows(self) -> list[tuple[str, int]]:
        return list(zip(FIGURES, self.values, strict=True))


def require_quarter(period: Period) -> Period:
    """IPS Grow's returns are by financial quarter (April to June is the first)."""
    if quarter(period.start) != period:
        raise InvalidInput.one("quarter", "must be a financial quarter: April to June, July to "
                               "September, October to December or January to March")
    return period


def quarterly_returns(session: Session, period: Period, team_id: int | None = None, *,
                      within: ColumnElement[bool] | None = None) -> list[QuarterlyReturn]:
    """Each team's return for the quarter (the teams `within` allows, or one)."""
    require_quarter(period)
    counted = (referrals(session, period, team_id), referrals_in_work(session, period, team_id),
               vocational_profiles_started(session, period, team_id))
    starts = job_starts(session, period, team_id)
    query = select(Team).order_by(Team.name)
    if team_id is not None:
        query = query.where(Team.id == team_id)
    if within is not None:
        query = query.where(within)
    returns = []
    for team in session.scalars(query):
        started = starts.get(team.id, JobStarts())
        values = (*(c.get(team.id, 0) for c in counted), started.people, started.total)
        returns.append(QuarterlyReturn(team.id, team.name, period, values))
    return returns
