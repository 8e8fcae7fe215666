"""App Home by role: a specialist's caseload, a coordinator's referrals, a leader's team,
every team at a glance for regional trainers and admins, and a benefits advisor's
calculations (advisors see no client records, so no caseload)."""

from __future__ import annotations

from slack_sdk.models.blocks import Block, HeaderBlock, MarkdownTextObject, SectionBlock
from slack_sdk.models.views import View

from caseload.reports import BetterOffCounts, OutcomesReport, TeamOutcomes, percent

HOME_BLOCK_LIMIT = 100


def home_view(blocks: list[Block]) -> View:
    if len(blocks) > HOME_BLOCK_LIMIT:
        blocks = [*blocks[: HOME_BLOCK_LIMIT - 1], SectionBlock(text=MarkdownTextObject(
            text="…more than fits here: use `/ips caseload` for the full list."))]
    return View(type="home", blocks=blocks)


def teams_overview(report: OutcomesReport) -> list[Block]:
    lines = [f"• *{t.team_name}*: {t.month.job_starts} job starts (target {t.job_start_target}), "
             f"employment rate {percent(t.employment.rate)}, {t.overdue} overdue"
             for t in report.teams]
    return [HeaderBlock(text=f"All teams, {report.period.label()}"),
            SectionBlock(text=MarkdownTextObject(text="\n".join(lines) or "No teams yet."))]


def team_summary(team: TeamOutcomes, period_label: str, next_review: str) -> list[Block]:
    """A team leader's view of the month: starts against target, the numbers that matter."""
    verdict = ("on target" if team.month.job_starts >= team.job_start_target
               else f"{team.job_start_target - team.month.job_starts} to go")
    caseloads = ", ".join(f"{c.name} {c.active_clients}" for c in team.caseloads) or "none"
    lines = [
        f"*Job starts in {period_label}:* {team.month.job_starts} of {team.job_start_target} "
        f"({verdict})",
        f"*Referrals this month:* {team.month_referrals.referrals}",
        f"*Employment rate:* {percent(team.employment.rate)} (IPS Grow benchmark 40%)",
        f"*Overdue for employer contact:* {team.overdue}",
        f"*Caseload per specialist:* {caseloads}",
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
