"""The monthly outcomes message for a team's channel."""

from __future__ import annotations

from slack_sdk.models.blocks import (
    ContextBlock,
    HeaderBlock,
    ImageBlock,
    MarkdownTextObject,
    SectionBlock,
)

from caseload.reports import EMPLOYMENT_RATE_BENCHMARK, OutcomesReport, TeamOutcomes, percent
from messaging.views import Message


def _line(label: str, value: str) -> str:
    return f"*{label}:* {value}"


def monthly_outcomes(report: OutcomesReport, team: TeamOutcomes,
                     chart_file_id: str | None) -> Message:
    month = report.period.label()
    starts = team.month.job_starts
    target = team.job_start_target
    verdict = ("on target" if starts >= target else f"{target - starts} short of the target")
    text = f"{team.team_name}, {month}: {starts} job starts against a target of {target} ({verdict})."
    fields = [
        _line("Job starts", f"{starts} (target {target}); {team.month.first_job_starts} people "
                            f"into work; {team.month.competitive_job_starts} competitive"),
        _line("Referrals → job starts", f"{team.month_referrals.referrals} → {starts} "
                                        f"({percent(team.month_referrals.conversion)})"),
        _line("Year to date", f"{team.year_to_date.referrals} referrals → "
                              f"{team.year_to_date.job_starts} job starts "
                              f"({percent(team.year_to_date.conversion)})"),
        _line("Employment rate", f"{percent(team.employment.rate)} "
                                 f"({team.employment.started_work} of {team.employment.out_of_work}"
                                 f" out-of-work clients; benchmark "
                                 f"{percent(EMPLOYMENT_RATE_BENCHMARK)})"),
        _line("Better-off calculations", f"{team.better_off.done} done, "
                                         f"{team.better_off.better_off} showed the person better off"),
        _line("Overdue for employer contact", str(team.overdue)),
    ]
    caseloads = ", ".join(f"{c.name} {c.active_clients}" for c in team.caseloads) or "no specialists"
    blocks = [
        HeaderBlock(text=f"IPS outcomes: {month}"),
        SectionBlock(text=MarkdownTextObject(text=text)),
        SectionBlock(text=MarkdownTextObject(text="\n".join(fields))),
        SectionBlock(text=MarkdownTextObject(text=_line("Active caseload per specialist",
                                                        caseloads))),
    ]
    if chart_file_id is not None:
        blocks.append(ImageBlock(slack_file={"id": chart_file_id},
                                 alt_text=f"Job starts per month against target, {team.team_name}"))
    blocks.append(ContextBlock(elements=[MarkdownTextObject(
        text="Conversion = job starts ÷ referrals, as in the Making IPS Work evaluation.")]))
    return Message(text=text, blocks=blocks)
