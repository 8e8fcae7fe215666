"""App Home by role: a specialist's caseload, a coordinator's referrals, a leader's team,
every team at a glance for regional trainers and admins, and a benefits advisor's
calculations (advisors see no client records, so no caseload)."""

from __future__ import annotations

from slack_sdk.models.blocks import Block, HeaderBlock, MarkdownTextObject, SectionBlock
from slack_sdk.models.views import View

from caseload.outcomes import CASELOAD_LIMIT, EMPLOYMENT_RATE_BENCHMARK
from caseload.reports import BetterOffCounts, OutcomesReport, TeamOutcomes, percent
from messaging.views.reports import funnel_in_words, lasted_in_words

HOME_BLOCK_LIMIT = 100


def home_view(blocks: list[Block]) -> View:
    if len(blocks) > HOME_BLOCK_LIMIT:
        blocks = [*blocks[: HOME_BLOCK_LIMIT - 1], SectionBlock(text=MarkdownTextObject(
            text="…more than fits here: use `/ips caseload` for the full list."))]
    return View(type="home", blocks=blocks)


def teams_overview(report: OutcomesReport) -> list[Block]:
    lines = [f"• *{t.team_name}*: {t.job_starts.total} job starts (target {t.job_start_target}), "
             f"employment rate over 12 months {percent(t.employment_year.rate)}, {t.overdue} overdue, "
             f"{t.funnel_total.said_yes_not_referred} said yes but not referred"
             for t in report.teams]
    return [HeaderBlock(text=f"All teams, {report.period.label()}"),
            SectionBlock(text=MarkdownTextObject(text="\n".join(lines) or "No teams yet."))]


def team_summary(team: TeamOutcomes, period_label: str, next_review: str) -> list[Block]:
    """A team leader's view of the month: starts against target, the numbers that matter."""
    starts = team.job_starts.total
    verdict = ("on target" if starts >= team.job_start_target
               else f"{team.job_start_target - starts} to go")
    caseloads = ", ".join(
        f"{c.name} {c.active_clients}" + (" (over 20)" if c.per_fte > CASELOAD_LIMIT else "")
        for c in team.specialists) or "none"
    lines = [
        f"*Job starts in {period_label}:* {starts} of {team.job_start_target} ({verdict})",
        f"*Referrals this month:* {team.referrals}",
        f"*Employment rate, last 12 months:* {percent(team.employment_year.rate)} "
        f"(IPS Grow benchmark {percent(EMPLOYMENT_RATE_BENCHMARK)})",
        f"*Overdue for employer contact:* {team.overdue}",
        f"*Caseload per specialist:* {caseloads}",
        f"*How long jobs lasted:* {lasted_in_words(team)}",
        f"*From asking to work:* {funnel_in_words(team)}",
        f"*Since the service started:* {team.since_start_sentence()}",
        f"*Next fidelity review:* {next_review}",
    ]
    return [HeaderBlock(text=team.team_name[:150]),
            SectionBlock(text=MarkdownTextObject(text="\n".join(lines)))]


ADVISOR_NO_CASELOAD = ("Benefits advisors have no caseload: client records stay with the "
                       "clinical team. `/ips betteroff` works out whether someone would be "
                       "better off in work; `/ips betteroff REF` starts from the household "
                       "last saved against that client.")


def advisor_home(counts: BetterOffCounts, period_label: str) -> list[Block]:
    """What a benefits advisor's work adds up to this month, for their team."""
    if counts.done:
        done = (f"*Better-off calculations saved for your team in {period_label}:* "
                f"{counts.done}, of which {counts.better_off} showed the person better off.")
    else:
        done = f"No better-off calculations saved for your team in {period_label} yet."
    return [HeaderBlock(text="Better-off calculations"),
            SectionBlock(text=MarkdownTextObject(text=done)),
            SectionBlock(text=MarkdownTextObject(text=ADVISOR_NO_CASELOAD))]
