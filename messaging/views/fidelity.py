"""Fidelity review reminders: the preparation timeline, overdue reviews, action items due."""

from __future__ import annotations

from datetime import date

from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
    ContextBlock,
    MarkdownTextObject,
    SectionBlock,
)

from messaging.views import Message

# What to do at each step of IPS Grow's preparation timeline.
PREPARATION_ADVICE = {
    "10 weeks": "Agree the review dates with the reviewer and book the team's time.",
    "2 months": "Share the fidelity scale with the team and start gathering evidence.",
    "1 month": "Check caseload sizes and employer contact records are up to date.",
    "3 weeks": "Send the reviewer the service's key documents and the evidence from records.",
    "2 weeks": "Confirm who the reviewer will meet: clients, clinicians, employers, managers.",
    "1 day": "The review is {when}: make sure the room and the people are ready.",
}


def review_preparation(team_name: str, review_day: date, step: str, today: date) -> Message:
    if step == "1 day":
        # Sent on the last working day before the review: "tomorrow" only when it is.
        days = (review_day - today).days
        when = "tomorrow" if days == 1 else f"in {days} days"
        text = f"{team_name}: fidelity review on {review_day:%A %-d %B %Y} ({when})."
        advice = PREPARATION_ADVICE[step].format(when=when)
    else:
        text = f"{team_name}: fidelity review on {review_day:%A %-d %B %Y} ({step} to go)."
        advice = PREPARATION_ADVICE[step]
    return Message(text=text, blocks=[
        SectionBlock(text=MarkdownTextObject(text=f"*{text}*\n{advice}")),
        ContextBlock(elements=[MarkdownTextObject(
            text="Timeline from IPS Grow: 10 weeks, 2 months, 1 month, 3 weeks and 2 weeks before; "
                 "report within 4 weeks after.")]),
    ])


def review_overdue(team_name: str, review_day: date, today: date) -> Message:
    weeks = (today - review_day).days // 7
    text = (f"{team_name}: the fidelity review planned for {review_day:%-d %B %Y} has not been "
            f"scored ({weeks} week{'s' if weeks != 1 else ''} overdue).")
    return Message(text=text, blocks=[SectionBlock(text=MarkdownTextObject(
        text=f"{text} Score it with `/ips review`, or reschedule it."))])


# The button on an action item's reminder that marks it done (bot/listeners/review.py).
ACTION_DONE = "fidelity_action_done"


def _done_button(action_id: int) -> ActionsBlock:
    return ActionsBlock(elements=[ButtonElement(text="Mark done", action_id=ACTION_DONE,
                                                value=str(action_id))])


def action_item_due(team_name: str, description: str, due_on: date,
                    action_id: int) -> Message:
    text = f"{team_name}: a fidelity action is due on {due_on:%-d %B %Y}: {description}"
    return Message(text=text, blocks=[SectionBlock(text=MarkdownTextObject(
        text=f"*Fidelity action due {due_on:%-d %B}*\n{description}")), _done_button(action_id)])


def action_item_overdue(team_name: str, description: str, due_on: date, today: date,
                        action_id: int) -> Message:
    """Each week an action item stays overdue, to the team leaders, until it is marked done."""
    weeks = (today - due_on).days // 7
    text = (f"{team_name}: a fidelity action due on {due_on:%-d %B %Y} is not done "
            f"({weeks} week{'s' if weeks != 1 else ''} overdue): {description}")
    return Message(text=text, blocks=[
        SectionBlock(text=MarkdownTextObject(
            text=f"*Fidelity action {weeks} week{'s' if weeks != 1 else ''} overdue* "
                 f"(due {due_on:%-d %B %Y})\n{description}")),
        ContextBlock(elements=[MarkdownTextObject(
            text="You'll be reminded each week until it is marked done.")]),
        _done_button(action_id)])
