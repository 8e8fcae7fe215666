"""App Home by role: a specialist's caseload, a coordinator's referrals, a leader's team,
and every team at a glance for regional trainers and admins."""

from __future__ import annotations

from slack_sdk.models.blocks import Block, HeaderBlock, MarkdownTextObject, SectionBlock
from slack_sdk.models.views import View

from caseload.reports import OutcomesReport, percent

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
