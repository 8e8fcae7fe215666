"""`/ips review`: schedule a fidelity review, or score one on the 25-item scale.

Scoring runs over several modal pages, one section of the scale (or part of one) a page,
with the evidence from records beside the items the records can measure. The scores so
far travel in the modal's private_metadata, so nothing is written until the last page is
saved, and Back keeps what was chosen.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from dateutil.relativedelta import relativedelta
from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    DatePickerElement,
    HeaderBlock,
    InputBlock,
    MarkdownTextObject,
    Option,
    PlainTextInputElement,
    RadioButtonsElement,
    SectionBlock,
    StaticSelectElement,
    UserSelectElement,
)
from slack_sdk.models.views import View

from caseload.evidence import EvidenceItem
from caseload.fidelity import FIDELITY_ITEMS, MAX_TOTAL, ActionItem
from caseload.models import FidelityBand, FidelityReview
from messaging.views import Message, line_sections

REVIEW_START = "fidelity_review_start"
REVIEW_SCHEDULE = "fidelity_review_schedule"
REVIEW_PAGE = "fidelity_review_page"
REVIEW_SUMMARY = "fidelity_review_summary"
REVIEW_BACK = "fidelity_review_back"
SCHEDULE, SCORE = "schedule", "score"

TITLE = "Fidelity review"
SECTIONS = {"S": "Staffing", "O": "Organisation", "V": "Services"}
# Well inside Slack's 100 blocks a modal: an item takes two blocks at most (score, evidence).
ITEMS_PER_PAGE = 8
SELECT_LIMIT = 100
_OPTION_TEXT = 75
_CONTEXT_TEXT = 2000
BANDS = {FidelityBand.EXEMPLARY: "exemplary fidelity", FidelityBand.GOOD: "good fidelity",
         FidelityBand.FAIR: "fair fidelity", FidelityBand.NOT_IPS: "not IPS"}
SCORE_LABELS = {1: "1: not in place", 2: "2", 3: "3", 4: "4", 5: "5: fully in place"}
# IPS Grow's reminders start 10 weeks before a review; the date picker suggests that far ahead.
SCHEDULE_AHEAD = relativedelta(weeks=10)


def score_pages(per_page: int = ITEMS_PER_PAGE) -> list[tuple[str, ...]]:
    """The scale's items in its own order, a section a page, long sections split evenly."""
    pages: list[tuple[str, ...]] = []
    for prefix in SECTIONS:
        codes = [code for code in FIDELITY_ITEMS if code.startswith(prefix)]
        size = math.ceil(len(codes) / math.ceil(len(codes) / per_page))
        pages += [tuple(codes[i:i + size]) for i in range(0, len(codes), size)]
    return pages


PAGES = score_pages()


@dataclass(frozen=True)
class Draft:
    """A review being scored: which review, which page, and the scores chosen so far."""

    review_id: int
    team_id: int
    page: int = 0
    scores: Mapping[str, int] = field(default_factory=dict)

    def metadata(self) -> str:
        return json.dumps({"r": self.review_id, "t": self.team_id, "p": self.page,
                           "s": dict(self.scores)}, separators=(",", ":"))

    @classmethod
    def from_metadata(cls, text: str) -> Draft:
        data = json.loads(text)
        scores = {str(code): int(score) for code, score in data.get("s", {}).items()
                  if code in FIDELITY_ITEMS}
        page = min(max(int(data.get("p", 0)), 0), len(PAGES))
        return cls(int(data["r"]), int(data["t"]), page, scores)

    def with_scores(self, scores: Mapping[str, int]) -> Draft:
        return Draft(self.review_id, self.team_id, self.page, {**self.scores, **scores})

    def at(self, page: int) -> Draft:
        return Draft(self.review_id, self.team_id, page, self.scores)

    @property
    def total(self) -> int:
        return sum(self.scores.values())


@dataclass(frozen=True)
class TeamChoice:
    team_id: int
    name: str


@dataclass(frozen=True)
class Upcoming:
    """The team's scheduled review, for the first page."""

    day: date
    reviewer: str | None


def _modal(callback_id: str, submit: str, metadata: str, blocks: list[Block]) -> View:
    return View(type="modal", callback_id=callback_id, title=TITLE, submit=submit,
                close="Cancel", private_metadata=metadata, blocks=blocks)


def _upcoming_line(upcoming: Upcoming | None) -> str:
    if upcoming is None:
        return "No fidelity review is scheduled yet."
    who = f", reviewer {upcoming.reviewer}" if upcoming.reviewer else ", no reviewer named yet"
    return f"Next fidelity review: {upcoming.day:%A %-d %B %Y}{who}."


def review_start_modal(teams: list[TeamChoice], upcoming: Upcoming | None,
                       choice: str | None = None) -> View:
    """Schedule or score; a team picker for those who see every team."""
    blocks: list[Block] = []
    metadata = ""
    if len(teams) == 1:
        metadata = str(teams[0].team_id)
        blocks.append(SectionBlock(text=MarkdownTextObject(
            text=f"*{teams[0].name}*\n{_upcoming_line(upcoming)}")))
    elif len(teams) <= SELECT_LIMIT:
        blocks.append(InputBlock(block_id="team", label="Team", element=StaticSelectElement(
            action_id="value", placeholder="Choose a team",
            options=[Option(value=str(t.team_id), label=t.name[:_OPTION_TEXT]) for t in teams])))
    else:
        blocks.append(InputBlock(block_id="team", label="Team name", element=PlainTextInputElement(
            action_id="value", max_length=100)))
    options = {
        SCHEDULE: Option(value=SCHEDULE, label="Schedule a review",
                         description="Pick the date and the reviewer."),
        SCORE: Option(value=SCORE, label="Score a review",
                      description="The team's scheduled review, on the 25-item scale."),
    }
    blocks.append(InputBlock(block_id="action", label="What would you like to do?",
                             element=RadioButtonsElement(
                                 action_id="value", options=list(options.values()),
                                 initial_option=options.get(choice or ""))))
    return _modal(REVIEW_START, "Next", metadata, blocks)


def schedule_modal(team_id: int, team_name: str, today: date) -> View:
    return _modal(REVIEW_SCHEDULE, "Schedule", str(team_id), [
        SectionBlock(text=MarkdownTextObject(
            text=f"Schedule *{team_name}*'s next fidelity review. Reminders go to the team leader "
                 "and the reviewer on IPS Grow's timeline, from 10 weeks before.")),
        InputBlock(block_id="scheduled_for", label="Review date", element=DatePickerElement(
            action_id="value", initial_date=(today + SCHEDULE_AHEAD).isoformat())),
        InputBlock(block_id="reviewer", label="Reviewer", optional=True,
                   hint="Leave empty if not agreed yet: whoever scores the review becomes its "
                        "reviewer.",
                   element=UserSelectElement(action_id="value", placeholder="Choose a person")),
    ])


ROWS_SHOWN = 5


def evidence_text(item: EvidenceItem) -> str:
    """Evidence from records, shown beside the reviewer's own score; the reviewer decides. The
    scale's anchors and the first rows behind the figure follow, so it can be checked."""
    if not item.enough_records:
        text = f"*Evidence from records:* {item.explanation}"
    else:
        suggests = (f", which suggests {item.suggested_score}"
                    if item.suggested_score is not None else "")
        checking = (" _Anchors still to be checked against the UK form._"
                    if item.anchors_need_checking else "")
        text = f"*Evidence from records:* {item.shown_as}{suggests}. {item.explanation}{checking}"
    if item.anchors:
        text += "\n*Scale:* " + " · ".join(f"{n} {a}" for n, a in enumerate(item.anchors, 1))
    if item.rows:
        more = len(item.rows) - ROWS_SHOWN
        text += "\n" + "\n".join(f"• {row}" for row in item.rows[:ROWS_SHOWN])
        text += f"\n…and {more} more" if more > 0 else ""
    return text[:_CONTEXT_TEXT]


def _score_select(code: str, chosen: int | None) -> InputBlock:
    options = {score: Option(value=str(score), label=label) for score, label in SCORE_LABELS.items()}
    return InputBlock(block_id=code, label=f"{code} {FIDELITY_ITEMS[code]}",
                      element=StaticSelectElement(action_id="value", placeholder="Score 1 to 5",
                                                  options=list(options.values()),
                                                  initial_option=options.get(chosen or 0)))


def _back_button() -> ActionsBlock:
    return ActionsBlock(block_id="navigation", elements=[
        ButtonElement(text="Back", action_id=REVIEW_BACK, value="back")])


def score_page(draft: Draft, team_name: str, review_day: date,
               evidence: Mapping[str, EvidenceItem]) -> View:
    """One page of items, with the evidence from records under the items it covers."""
    codes = PAGES[draft.page]
    section = SECTIONS[codes[0][0]]
    span = codes[0] if len(codes) == 1 else f"{codes[0]} to {codes[-1]}"
    blocks: list[Block] = [
        HeaderBlock(text=f"{section}: {span}"[:150]),
        ContextBlock(elements=[MarkdownTextObject(
            text=f"{team_name[:100]}, review of {review_day:%-d %B %Y}. Page {draft.page + 1} of "
                 f"{len(PAGES)}. Score each item 1 to 5; the evidence from records is a guide, the "
                 "score is yours. Nothing is saved until the last page, so closing this form "
                 "drops the scores.")]),
    ]
    for code in codes:
        blocks.append(_score_select(code, draft.scores.get(code)))
        if code in evidence:
            blocks.append(ContextBlock(block_id=f"evidence_{code}",
                                       elements=[MarkdownTextObject(text=evidence_text(evidence[code]))]))
    if draft.page > 0:
        blocks.append(_back_button())
    submit = "Next" if draft.page + 1 < len(PAGES) else "See the total"
    return _modal(REVIEW_PAGE, submit, draft.metadata(), blocks)


def _section_totals(scores: Mapping[str, int]) -> str:
    parts = []
    for prefix, name in SECTIONS.items():
        codes = [c for c in FIDELITY_ITEMS if c.startswith(prefix)]
        parts.append(f"{name} {sum(scores.get(c, 0) for c in codes)} of {5 * len(codes)}")
    return " · ".join(parts)


def _action_lines(actions: list[ActionItem]) -> list[str]:
    if not actions:
        return ["*Action items:* none; every item scored 5."]
    return [f"*Action items* (the lowest-scoring items), due {actions[0].due_on:%-d %B %Y}:",
            *(f"• {a.description}" for a in actions)]


def summary_page(draft: Draft, team_name: str, band: FidelityBand, next_due: date,
                 actions: list[ActionItem], conducted_on: date) -> View:
    """The total, band and action items before saving; the date the review took place."""
    scores = draft.scores
    blocks: list[Block] = [
        HeaderBlock(text=f"Total {draft.total} of {MAX_TOTAL}: {BANDS[band]}"),
        SectionBlock(text=MarkdownTextObject(
            text=f"*{team_name[:100]}*\n{_section_totals(scores)}\n"
                 f"Next review due {next_due:%-d %B %Y} (every 6 months until good fidelity, "
                 "then every 12).")),
        *line_sections(_action_lines(actions)),
        *line_sections(["*Your scores*", *(f"{code} {title}: {scores.get(code, '-')}"
                                           for code, title in FIDELITY_ITEMS.items())]),
        InputBlock(block_id="conducted_on", label="Date of the review",
                   hint="The day the review took place; action items fall due 6 weeks after it.",
                   element=DatePickerElement(action_id="value",
                                             initial_date=conducted_on.isoformat())),
        _back_button(),
    ]
    return _modal(REVIEW_SUMMARY, "Save review", draft.metadata(), blocks)


def review_saved(team_name: str, review: FidelityReview) -> Message:
    """What the reviewer is told once the scores are saved."""
    assert review.total is not None and review.band is not None
    text = (f"{team_name}'s fidelity review is saved: {review.total} of {MAX_TOTAL}, "
            f"{BANDS[review.band]}.")
    scores = {item.item_code: item.score for item in review.items}
    lines = [f"*{text}*", _section_totals(scores)]
    if review.next_review_due is not None:
        lines.append(f"The next review is scheduled for {review.next_review_due:%-d %B %Y}.")
    if review.actions:
        lines.append(f"*Action items*, due {review.actions[0].due_on:%-d %B %Y}:")
        lines += [f"• {action.description}" for action in review.actions]
    return Message(text=text, blocks=[
        *line_sections(lines),
        ContextBlock(elements=[MarkdownTextObject(
            text="IPS Grow asks for the report within 4 weeks and the action plan within 6.")]),
    ])


def review_scheduled(team_name: str, day: date, reviewer: str | None) -> Message:
    who = f" with {reviewer}" if reviewer else ""
    text = f"{team_name}'s fidelity review is scheduled for {day:%A %-d %B %Y}{who}."
    return Message(text=text, blocks=[
        SectionBlock(text=MarkdownTextObject(text=text)),
        ContextBlock(elements=[MarkdownTextObject(
            text="Reminders follow IPS Grow's timeline: 10 weeks, 2 months, 1 month, 3 weeks and "
                 "2 weeks before. Score it with `/ips review` when it has taken place.")]),
    ])
