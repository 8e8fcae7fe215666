"""The outcomes report as a plain-text table, for the command line and for logs."""

from __future__ import annotations

from caseload.reports import EMPLOYMENT_RATE_BENCHMARK, OutcomesReport, percent


def render_outcomes_table(report: OutcomesReport) -> str:
    """The report's teams (and their total) in aligned columns, then what each figure means."""
    title = f"IPS outcomes for {report.period.label()}"
    ytd_label = f"year to date from {report.year_to_date.start:%-d %B %Y}"
    if not report.teams:
        return f"{title}\n\nNo teams are set up yet: add one with `ips team add`.\n"
    headers = ["Team", "Job starts", "Target", "First starts", "Competitive", "Referrals",
               "Conversion", "YTD referrals", "YTD starts", "YTD conversion",
               "Employment rate", "Better-off calcs", "Overdue"]
    rows = []
    for t in [*report.teams, *([report.totals] if len(report.teams) > 1 else [])]:
        rows.append([
            t.team_name,
            str(t.month.job_starts),
            str(t.job_start_target),
            str(t.month.first_job_starts),
            str(t.month.competitive_job_starts),
            str(t.month_referrals.referrals),
            percent(t.month_referrals.conversion),
            str(t.year_to_date.referrals),
            str(t.year_to_date.job_starts),
            percent(t.year_to_date.conversion),
            f"{percent(t.employment.rate)} ({t.employment.started_work}/{t.employment.out_of_work})",
            f"{t.better_off.better_off}/{t.better_off.done} better off",
            str(t.overdue),
        ])
    widths = [max(len(h), *(len(r[i]) for r in rows)) for i, h in enumerate(headers)]

    def line(cells: list[str]) -> str:
        return "  ".join(c.ljust(w) if i == 0 else c.rjust(w)
                         for i, (c, w) in enumerate(zip(cells, widths, strict=True)))

    out = [title, "", line(headers), line(["-" * w for w in widths])]
    out += [line(r) for r in rows]
    total = report.totals
    notes = [""]
    if total.month.job_starts == 0:
        notes.append(f"No job starts recorded in {report.period.label()}.")
    notes.append(f"Conversion = job starts ÷ referrals; YTD = {ytd_label}.")
    notes.append(
        "Employment rate = out-of-work clients who started a job ÷ out-of-work clients on the "
        f"caseload (IPS Grow; benchmark {percent(EMPLOYMENT_RATE_BENCHMARK)})."
    )
    notes.append(f"Overdue = looking for work with no face-to-face employer contact for over "
                 f"28 days, as of {report.as_of:%-d %B %Y}.")
    caseload_lines = []
    for t in report.teams:
        if t.caseloads:
            parts = ", ".join(f"{c.name} {c.active_clients} ({c.per_fte}/FTE)" for c in t.caseloads)
            caseload_lines.append(f"  {t.team_name}: {parts}")
    if caseload_lines:
        notes.append("Active caseload per specialist:")
        notes += caseload_lines
    return "\n".join(out + notes) + "\n"
