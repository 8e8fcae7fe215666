"""The outcomes report as text: an aligned table for people, CSV for spreadsheets."""

from __future__ import annotations

import csv
import io

from caseload.outcomes import CASELOAD_LIMIT, EMPLOYMENT_RATE_BENCHMARK, JOB_RETENTION_LIMIT
from caseload.reports import OutcomesReport, TeamOutcomes, percent

HEADERS = ["Team", "Referrals", "Job starts", "Target", "People into work", "Not competitive",
           "Employment rate", "12-month rate", "Caseload", "In work", "Job retention", "Overdue",
           "Better-off"]


def _cells(t: TeamOutcomes) -> list[str]:
    return [
        t.team_name, str(t.referrals), str(t.job_starts.total), str(t.job_start_target),
        str(t.job_starts.people), str(t.job_starts.not_competitive),
        f"{percent(t.employment.rate)} ({t.employment.started_work}/{t.employment.out_of_work})",
        percent(t.employment_year.rate), str(t.caseload.active),
        percent(t.caseload.in_work_share), _job_retention(t), str(t.overdue),
        f"{t.better_off.better_off}/{t.better_off.done}",
    ]


def _job_retention(t: TeamOutcomes) -> str:
    share = percent(t.caseload.job_retention_share)
    return f"{share} over" if t.caseload.over_job_retention_limit else share


def _table(rows: list[list[str]]) -> list[str]:
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(HEADERS)]

    def line(cells: list[str]) -> str:
        return "  ".join(c.ljust(w) if i == 0 else c.rjust(w)
                         for i, (c, w) in enumerate(zip(cells, widths, strict=True)))

    return [line(HEADERS), line(["-" * w for w in widths]), *(line(r) for r in rows)]


def _notes(report: OutcomesReport) -> list[str]:
    total = report.totals
    notes = [""]
    if total.job_starts.total == 0:
        notes.append(f"No job starts recorded in {report.period.label()}.")
    notes += [
        "Referrals count the day the specialist accepted the referral; job starts and people "
        "into work count competitive jobs only (not competitive: shown apart, never counted).",
        "Employment rate = out-of-work clients who started a competitive job ÷ out-of-work "
        f"clients on the caseload (IPS Grow). The {percent(EMPLOYMENT_RATE_BENCHMARK)} benchmark "
        f"applies to the 12-month rate ({report.year.label()})"
        + (", and to this period's." if report.benchmark_applies else ", not to a shorter period's."),
        f"Caseload, in work, job retention and overdue are as of {report.as_of:%-d %B %Y}: in "
        "work = everyone in work, however they came to be (no limit); job retention = in work "
        f"when referred, at most {percent(JOB_RETENTION_LIMIT)} of the caseload (\"over\" when "
        "past it; until 29 November 2026 everyone in work was held against it); overdue = "
        "looking for work with no face-to-face employer contact for over 28 days.",
        "Since each service started (as the 2018 evaluation's Table 3):",
    ]
    notes += [f"  {t.team_name}: {t.since_start_sentence()}" for t in report.teams]
    notes.append("How long jobs lasted (reaching each milestone in the period; still going):")
    notes += [f"  {t.team_name}: " + _lasted(t) for t in report.teams]
    caseloads = [f"  {t.team_name}: " + ", ".join(
        f"{c.name} {c.active_clients} ({c.per_fte}/FTE)" for c in t.specialists)
        for t in report.teams if t.specialists]
    if caseloads:
        notes.append(f"Active caseload per specialist (at most {CASELOAD_LIMIT} per full-time "
                     "specialist):")
        notes += caseloads
    if report.changed:
        notes.append("Changed since first reported (corrections of the past):")
        notes += [f"  {team}: {c.figure} {c.first} → {c.now} (first reported "
                  f"{c.first_reported_on:%-d %B %Y})" for team, c in report.changed]
    return notes


def _lasted(t: TeamOutcomes) -> str:
    parts = [f"{m.weeks} weeks {m.lasted} of {m.reached}" for m in t.sustainment.milestones]
    return "; ".join(parts) + f"; {t.sustainment.too_recent} too recent to judge"


def render_outcomes_table(report: OutcomesReport) -> str:
    """The report's teams (and their total) in aligned columns, then what each figure means."""
    title = f"IPS outcomes for {report.period.label()}"
    if not report.teams:
        return f"{title}\n\nNo teams are set up yet: add one with `ips team add`.\n"
    rows = [_cells(t) for t in report.teams]
    if len(report.teams) > 1:
        rows.append(_cells(report.totals))
    return "\n".join([title, "", *_table(rows), *_notes(report)]) + "\n"


def render_outcomes_csv(report: OutcomesReport) -> str:
    """One row per team (and the total), every figure in its own column, rates as decimals."""
    out = io.StringIO()
    writer = csv.writer(out)
    teams = [*report.teams, *([report.totals] if len(report.teams) > 1 else [])]
    names = list(teams[0].figures()) if teams else []
    writer.writerow(["Period start", "Period end", "Team", *names, "Job start target",
                     "Employment rate", "12-month employment rate", "In-work share",
                     "Job retention share", "Over the job retention limit",
                     "Since the service started"])
    for t in teams:
        rates = [t.employment.rate, t.employment_year.rate, t.caseload.in_work_share,
                 t.caseload.job_retention_share]
        writer.writerow([report.period.start, report.period.last_day, t.team_name,
                         *t.figures().values(), t.job_start_target,
                         *("" if r is None else r for r in rates),
                         "yes" if t.caseload.over_job_retention_limit else "no",
                         t.since_start_sentence()])
    return out.getvalue()
