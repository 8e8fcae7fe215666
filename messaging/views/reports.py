"""The outcomes message for a team: the monthly post to its channel, and `/ips report`."""

from __future__ import annotations

from slack_sdk.models.blocks import (
    Block,
    ContextBlock,
    HeaderBlock,
    ImageBlock,
    MarkdownTextObject,
    SectionBlock,
)

from caseload.outcomes import CASELOAD_LIMIT, EMPLOYMENT_RATE_BENCHMARK, JOB_RETENTION_LIMIT, Caseload
from caseload.reports import OutcomesReport, TeamOutcomes, percent
from messaging.views import Message, line_sections


def _line(label: str, value: str) -> str:
    return f"*{label}:* {value}"


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'' if count == 1 else 's'}"


def _employment(report: OutcomesReport, team: TeamOutcomes) -> list[str]:
    """The 12-month rate beside the benchmark; the period's own rate beside it only when the
    period is a year or more, never a month against 40%."""
    year = team.employment_year
    lines = [_line(f"Employment rate, 12 months to {report.period.last_day:%B %Y}",
                   f"{percent(year.rate)} ({year.started_work} of {year.out_of_work} out-of-work "
                   f"clients started a competitive job; benchmark {percent(EMPLOYMENT_RATE_BENCHMARK)})")]
    if not report.benchmark_applies:
        now = team.employment
        lines.append(_line(f"Out-of-work clients into work in {report.period.label()}",
                           f"{now.started_work} of {now.out_of_work}"))
    return lines


def _figures(report: OutcomesReport, team: TeamOutcomes) -> list[str]:
    starts = team.job_starts
    not_counted = (f"; {_plural(starts.not_competitive, 'job')} not competitive (not counted)"
                   if starts.not_competitive else "")
    caseload = team.caseload
    return [
        _line("Job starts", f"{starts.total} (target {team.job_start_target}); "
                            f"{starts.people} {'person' if starts.people == 1 else 'people'} "
                            f"into work{not_counted}"),
        _line("Referrals", f"{team.referrals} (target {team.referral_target}); "
                           f"{team.referrals_in_work} already in work; "
                           f"{team.profiles_started} vocational profiles started"),
        *_employment(report, team),
        _line(f"Caseload on {report.as_of:%-d %B}", f"{caseload.active} active, {caseload.in_work} "
              f"in work ({percent(caseload.in_work_share)})"),
        _line("Job retention", job_retention_in_words(caseload)),
        _line("Overdue for employer contact", str(team.overdue)),
        _line("Better-off calculations", f"{team.better_off.done} done, "
                                         f"{team.better_off.better_off} showed the person better off"),
        _line("How long jobs lasted", lasted_in_words(team)),
        _line("From asking to work", funnel_in_words(team)),
        _line("Since the service started", team.since_start_sentence()),
    ]


def job_retention_in_words(caseload: Caseload) -> str:
    """Those in work when referred against the 15%; the people IPS helped into work are not."""
    words = (f"{caseload.job_retention} in work when referred "
             f"({percent(caseload.job_retention_share)} of the caseload; at most "
             f"{percent(JOB_RETENTION_LIMIT)})")
    return words + (" *over the limit*" if caseload.over_job_retention_limit else "")


def funnel_in_words(team: TeamOutcomes) -> str:
    """Asked → said yes → referred → accepted → met an employer → started work, with the gap."""
    f = team.funnel_total
    return (f"{f.asked} asked, {f.said_yes} said yes, {f.referred} referred, {f.accepted} accepted, "
            f"{f.met_an_employer} met an employer, {f.started_work} started work; "
            f"*{f.said_yes_not_referred} said yes but were not referred*")


def lasted_in_words(team: TeamOutcomes) -> str:
    """Jobs that reached 13, 26 or 52 weeks in the period and how many were still going."""
    reached = "; ".join(f"{m.lasted} of {m.reached} still going at {m.weeks} weeks"
                        for m in team.sustainment.milestones if m.reached)
    return (f"{reached or 'no job reached 13 weeks in this period'} "
            f"({team.sustainment.too_recent} too recent to judge)")


def _specialists(team: TeamOutcomes) -> str:
    return ", ".join(f"{c.name} {c.active_clients}" + (" (over 20)" if c.per_fte > CASELOAD_LIMIT else "")
                     for c in team.specialists)


def outcomes_message(report: OutcomesReport, team: TeamOutcomes, chart_file_id: str | None,
                     supervision: bool = False) -> Message:
    """One team's figures for the report's period, with what changed since first reported; with
    each specialist's figures when `supervision` (a private report to a leader or trainer, never
    the team channel)."""
    label = report.period.label()
    starts, target = team.job_starts.total, team.job_start_target
    verdict = "on target" if starts >= target else f"{target - starts} short of the target"
    text = f"{team.team_name}, {label}: {starts} job starts against a target of {target} ({verdict})."
    blocks: list[Block] = [
        HeaderBlock(text=f"IPS outcomes: {label}"[:150]),
        SectionBlock(text=MarkdownTextObject(text=text)),
        *line_sections(_figures(report, team)),
    ]
    if team.specialists:
        blocks.append(SectionBlock(text=MarkdownTextObject(text=_line(
            f"Active caseload per specialist (at most {CASELOAD_LIMIT} each)", _specialists(team)))))
    if supervision and team.supervision:
        blocks += line_sections(["*Per specialist* (employer contacts a week, aim 6; job starts; "
                                 "caseload and overdue at the end):"] + [
            f"• {name}: {row.contacts_a_week} a week, {row.job_starts} job starts, "
            f"{row.in_work_contacts} in-work support contacts, caseload "
            f"{row.caseload}, {row.overdue} overdue" for name, row in team.supervision])
    if team.changed:
        blocks += line_sections(["*Changed since first reported* (the past was corrected):"] + [
            f"• {c.figure}: {c.first} → {c.now} (first reported {c.first_reported_on:%-d %B %Y})"
            for c in team.changed])
    if chart_file_id is not None:
        blocks.append(ImageBlock(slack_file={"id": chart_file_id},
                                 alt_text=f"Job starts per month against target, {team.team_name}"))
    blocks.append(ContextBlock(elements=[MarkdownTextObject(
        text="Job starts count competitive jobs only: open to anyone and paid at least the minimum "
             "wage. Referrals count the day the specialist accepted them.")]))
    return Message(text=text, blocks=blocks)


def several_teams_message(report: OutcomesReport) -> Message:
    """Every team's figures added up, then a line for each team (`/ips report all`)."""
    total = report.totals
    message = outcomes_message(report, total, chart_file_id=None)
    lines = [f"• *{t.team_name}*: {t.job_starts.total} job starts (target {t.job_start_target}), "
             f"{t.referrals} referrals, 12-month employment rate {percent(t.employment_year.rate)}, "
             f"{t.overdue} overdue"
             + (f", job retention over {percent(JOB_RETENTION_LIMIT)}"
                if t.caseload.over_job_retention_limit else "") for t in report.teams]
    changed = [f"• {team}: {c.figure} {c.first} → {c.now} (first reported {c.first_reported_on:%-d %B %Y})"
               for team, c in report.changed]
    blocks = [*message.blocks[:-1], *line_sections(["*Each team*", *lines])]
    if changed:
        blocks += line_sections(["*Changed since first reported* (the past was corrected):", *changed])
    return Message(text=message.text, blocks=[*blocks, message.blocks[-1]])
