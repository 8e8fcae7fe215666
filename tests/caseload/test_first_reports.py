"""A closed period's figures are kept as first reported, and later differences are listed."""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
import time_machine

from caseload.db import Database
from caseload.first_reports import Changed, compare_with_first
from caseload.models import FirstReport
from caseload.periods import month
from tests.factories import make_team

OCTOBER = month(date(2026, 10, 1))


def test_the_first_report_is_kept_and_later_ones_list_what_differs(db: Database) -> None:
    with db.transaction() as s:
        team = make_team(s).id
    with time_machine.travel(date(2026, 11, 2), tick=False), db.transaction() as s:
        assert compare_with_first(s, OCTOBER, date(2026, 11, 2),
                                  {team: {"Overdue": 3, "Job starts": 2}}) == {}
    with db.transaction() as s:
        assert compare_with_first(s, OCTOBER, date(2026, 11, 20),
                                  {team: {"Overdue": 3, "Job starts": 2}}) == {}
        assert compare_with_first(s, OCTOBER, date(2026, 11, 20),
                                  {team: {"Overdue": 2, "Job starts": 2}}) == {
            team: [Changed("Overdue", first=3, now=2, first_reported_on=date(2026, 11, 2))]}
    with db.reading() as s:
        assert s.scalar(sa.select(sa.func.count(FirstReport.id))) == 1


def test_an_open_period_is_neither_kept_nor_compared(db: Database) -> None:
    with db.transaction() as s:
        team = make_team(s).id
        assert compare_with_first(s, OCTOBER, date(2026, 10, 31), {team: {"Overdue": 3}}) == {}
    with db.reading() as s:
        assert s.scalar(sa.select(sa.func.count(FirstReport.id))) == 0


def test_two_first_reports_at_once_keep_the_one_that_committed_first(db: Database) -> None:
    from caseload.first_reports import _keep

    with db.transaction() as s:
        team = make_team(s).id
        compare_with_first(s, OCTOBER, date(2026, 11, 2), {team: {"Overdue": 3}})
    # The slower of two processes read no first report and now tries to keep its own.
    with db.transaction() as s:
        _keep(s, team, OCTOBER, {"Overdue": 4})
    with db.reading() as s:
        assert [r.figures for r in s.scalars(sa.select(FirstReport))] == [{"Overdue": 3}]


def test_a_figure_added_since_the_first_report_is_kept_from_its_own_first_report(db: Database) -> None:
    with db.transaction() as s:
        team = make_team(s).id
    with time_machine.travel(date(2026, 11, 2), tick=False), db.transaction() as s:
        compare_with_first(s, OCTOBER, date(2026, 11, 2), {team: {"Overdue": 3}})
    with db.transaction() as s:  # the report has since gained "New figure"
        assert compare_with_first(s, OCTOBER, date(2026, 11, 20),
                                  {team: {"Overdue": 3, "New figure": 5}}) == {}
    with db.transaction() as s:
        assert compare_with_first(s, OCTOBER, date(2026, 11, 25),
                                  {team: {"Overdue": 2, "New figure": 4}}) == {team: [
            Changed("Overdue", first=3, now=2, first_reported_on=date(2026, 11, 2)),
            Changed("New figure", first=5, now=4, first_reported_on=date(2026, 11, 20))]}
    with db.reading() as s:
        [row] = s.scalars(sa.select(FirstReport))
        assert (row.figures, row.figures_added_on) == (
            {"Overdue": 3, "New figure": 5}, {"New figure": "2026-11-20"})
