"""The weekly "just ask" prompt for care coordinators, and its Thursday follow-up.

Prompts are short and practical, each with one piece of evidence that beats a myth
(domain.md, "Just ask" and background/: Sussex pilot, Making IPS Work).
"""

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

WANTS_WORK = "just_ask_wants_work"
NOT_NOW = "just_ask_not_now"
DID_NOT_ASK = "just_ask_did_not_ask"

PROMPTS: tuple[tuple[str, str], ...] = (
    ("This week, ask everyone you see: *“Have you thought about paid work?”* If they say yes, "
     "refer them. No judgement about readiness.",
     "IPS got 61% of people into work, against 23% for train-then-place."),
    ("Worried about benefits? Offer a better-off calculation before anyone decides.",
     "In 200 better-off calculations in a year, only one person would have been worse off."),
    ("Try the 5 Rs with one client today: Raise, Recognise, Respond, Refer, Revisit.",
     "Work is part of recovery: asking about it is part of good care."),
    ("Refer anyone who says they want to work, even if you doubt it will happen.",
     "“I refer people now who say they want to work even if I think it's impossible … "
     "as I'm constantly proved wrong.” (a Sussex care coordinator)"),
    ("Ask about the job they would *like*, not the one you think they could get.",
     "Jobs that match people's preferences last longer; IPS starts the search within four weeks."),
)


def prompt_for_week(week_starting: date) -> tuple[str, str]:
    """Rotate through the prompts by ISO week, so everyone sees the same one each week."""
    return PROMPTS[week_starting.isocalendar().week % len(PROMPTS)]


def _buttons(week_starting: date) -> ActionsBlock:
    value = week_starting.isoformat()
    return ActionsBlock(block_id=f"just_ask_{value}", elements=[
        ButtonElement(text="They'd like work → Refer", action_id=WANTS_WORK, value=value,
                      style="primary"),
        ButtonElement(text="Asked, not now", action_id=NOT_NOW, value=value),
        ButtonElement(text="Didn't ask this week", action_id=DID_NOT_ASK, value=value),
    ])


def just_ask_prompt(week_starting: date) -> Message:
    prompt, evidence = prompt_for_week(week_starting)
    text = "Just ask: have you asked your clients about work this week?"
    return Message(text=text, blocks=[
        SectionBlock(text=MarkdownTextObject(text=f"*Just ask* · week of {week_starting:%-d %B}\n"
                                                  f"{prompt}")),
        ContextBlock(elements=[MarkdownTextObject(text=f"Evidence: {evidence}")]),
        _buttons(week_starting),
    ])


def just_ask_follow_up(week_starting: date) -> Message:
    text = "A gentle reminder: did you get a chance to ask anyone about work this week?"
    return Message(text=text, blocks=[
        SectionBlock(text=MarkdownTextObject(text=f"{text} One tap tells the team how it went.")),
        _buttons(week_starting),
    ])


OPEN_REFERRAL = "open_referral"


def just_ask_saved(still_to_refer: int) -> Message:
    """Thanks, and a Refer button while someone who said yes is not yet referred."""
    if still_to_refer <= 0:
        text = "Thanks: this week's \"just ask\" is saved."
        return Message(text=text, blocks=[SectionBlock(text=MarkdownTextObject(text=text))])
    people = "person" if still_to_refer == 1 else "people"
    text = (f"Thanks: saved. {still_to_refer} {people} said yes and "
            f"{'is' if still_to_refer == 1 else 'are'} not referred yet.")
    return Message(text=text, blocks=[
        SectionBlock(text=MarkdownTextObject(text=text)),
        ActionsBlock(block_id="just_ask_refer", elements=[
            ButtonElement(text="Refer now", action_id=OPEN_REFERRAL, value="refer",
                          style="primary")]),
    ])
