"""Four-week employer-contact nudges and the team leader's escalation digest."""

from __future__ import annotations

from datetime import date

from slack_sdk.models.blocks import (
    ActionsBlock,
    Block,
    ButtonElement,
    ContextBlock,
    HeaderBlock,
    MarkdownTextObject,
    SectionBlock,
)

from caseload.in_work import InWorkDue, JobEndFollowUp
from caseload.jobs import END_REASON_WORDS
from caseload.overdue import OverdueClient
from caseload.referral_waits import WaitingReferral
from messaging.views import MESSAGE_BLOCK_LIMIT, Message, line_sections

LOG_CONTACT = "nudge_log_contact"
SNOOZE = "nudge_snooze"
HOLD = "nudge_hold"
# Header, intro and footer, then two blocks a client; the rest are counted, not listed.
_PER_CLIENT = 2
_MAX_LISTED = (MESSAGE_BLOCK_LIMIT - 4) // _PER_CLIENT


def _days(n: int) -> str:
    return f"{n} day{'s' if n != 1 else ''}"


def four_week_nudge(items: list[OverdueClient]) -> Message:
    """One message to a specialist listing every client overdue for an employer contact."""
    count = len(items)
    text = (f"{count} client{'s' if count != 1 else ''} on your caseload "
            f"{'have' if count != 1 else 'has'} gone over four weeks without a face-to-face "
            "employer contact.")
    blocks = [
        HeaderBlock(text="Time for an employer contact"),
        SectionBlock(text=MarkdownTextObject(text=(
            f"{text} IPS job search keeps moving when someone meets an employer on the "
            "client's behalf at least every four weeks."))),
    ]
    for item in items[:_MAX_LISTED]:
        blocks.append(SectionBlock(
            block_id=f"client_{item.client_id}",
            text=MarkdownTextObject(text=(
                f"*{item.reference}*: {_days(item.days_without_contact)} since "
                f"{item.since:%-d %b} ({_days(item.days_overdue)} overdue)")),
        ))
        value = str(item.client_id)
        blocks.append(ActionsBlock(block_id=f"nudge_actions_{item.client_id}", elements=[
            ButtonElement(text="Log contact", action_id=LOG_CONTACT, value=value, style="primary"),
            ButtonElement(text="Snooze 7 days", action_id=SNOOZE, value=value),
            ButtonElement(text="Put on hold", action_id=HOLD, value=value),
        ]))
    if count > _MAX_LISTED:
        blocks.append(SectionBlock(text=MarkdownTextObject(
            text=f"…and {count - _MAX_LISTED} more: see your caseload in the IPS Assist Home tab.")))
    blocks.append(ContextBlock(elements=[MarkdownTextObject(
        text="Snoozing asks for a reason; on-hold clients are not nudged.")]))
    return Message(text=text, blocks=blocks)


def escalation_digest(team_name: str, items: list[OverdueClient],
                      specialists: dict[int | None, str], in_work: list[InWorkDue] | None = None,
                      job_ends: list[JobEndFollowUp] | None = None,
                      today: date | None = None) -> Message:
    """The team leader's daily digest of clients past six weeks without an employer contact,
    in-work support two weeks overdue, and job ends not followed up within 3 working days."""
    in_work, job_ends = in_work or [], job_ends or []
    parts = []
    if items:
        parts.append(_count(len(items), "client", "clients")
                     + " past six weeks without a face-to-face employer contact")
    if in_work:
        parts.append(_count(len(in_work), "client", "clients")
                     + " in work with in-work support over two weeks overdue")
    if job_ends:
        parts.append(_count(len(job_ends), "job end", "job ends")
                     + " not followed up within 3 working days")
    text = f"{team_name}: " + "; ".join(parts) + "."
    lines = [f"• *{item.reference}* ({specialists.get(item.specialist_id, 'no specialist')}): "
             f"{_days(item.days_without_contact)}" for item in items]
    when = today or date.min
    lines += [f"• *{item.reference}* ({specialists.get(item.specialist_id, 'no specialist')}): "
              f"in-work support due {item.due_on:%-d %b}, {_days(item.days_overdue(when))} overdue"
              for item in in_work]
    lines += [f"• *{item.reference}* ({specialists.get(item.specialist_id, 'no specialist')}): "
              f"job ended {item.ended_on:%-d %b}, follow-up was due {item.due_on:%-d %b}"
              for item in job_ends]
    header = ("Clients past six weeks without employer contact" if not (in_work or job_ends)
              else "Clients waiting too long for their specialist")
    blocks = [HeaderBlock(text=header), SectionBlock(text=MarkdownTextObject(text=text))]
    blocks += line_sections(lines)[: MESSAGE_BLOCK_LIMIT - len(blocks) - 1]
    blocks.append(ContextBlock(elements=[MarkdownTextObject(
        text="Specialists were nudged at four weeks; this digest starts at 42 days."
             + (" In-work support comes here two weeks after it was due, a job end's "
                "follow-up once its 3 working days have passed." if in_work or job_ends
                else ""))]))
    return Message(text=text, blocks=blocks)


def referral_digest(team_name: str, items: list[WaitingReferral], wait_days: int) -> Message:
    """The team leader's digest of referrals not accepted within the team's working days; each
    comes back every week it still waits, saying how long."""
    count = len(items)
    text = (f"{team_name}: {count} referral{'s' if count != 1 else ''} not accepted within "
            f"{wait_days} working days.")
    lines = [f"• *{item.reference}*: referred {item.received_on:%-d %B %Y}"
             + (f", {_weeks(item.weeks_overdue)} past the {wait_days} working days"
                if item.weeks_overdue else "")
             for item in items]
    blocks = [HeaderBlock(text="Referrals waiting to be accepted"),
              SectionBlock(text=MarkdownTextObject(text=text))]
    blocks += line_sections(lines)[: MESSAGE_BLOCK_LIMIT - len(blocks) - 1]
    blocks.append(ContextBlock(elements=[MarkdownTextObject(
        text="Open each with `/ips client REFERENCE` to accept or assign it. One still waiting "
             "comes back each week until it is accepted.")]))
    return Message(text=text, blocks=blocks)


def _weeks(count: int) -> str:
    return f"{count} week{'s' if count != 1 else ''}"


def _client_buttons(client_id: int, log_contact: bool) -> ActionsBlock:
    value = str(client_id)
    buttons = ([ButtonElement(text="Log contact", action_id=LOG_CONTACT, value=value,
                              style="primary")] if log_contact else [])
    buttons += [ButtonElement(text="Snooze 7 days", action_id=SNOOZE, value=value),
                ButtonElement(text="Put on hold", action_id=HOLD, value=value)]
    return ActionsBlock(block_id=f"nudge_actions_{client_id}", elements=buttons)


def _count(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def daily_nudge(four_week: list[OverdueClient], in_work: list[InWorkDue],
                job_ends: list[JobEndFollowUp], today: date) -> Message:
    """A specialist's one DM of the day about their clients: the four-week rule, in-work
    support due under the team's rhythm, and job ends to follow up within 3 working days.
    With only four-week clients it is the four-week nudge itself."""
    if not in_work and not job_ends:
        return four_week_nudge(four_week)
    parts = []
    if four_week:
        parts.append(_count(len(four_week), "client has", "clients have")
                     + " gone over four weeks without a face-to-face employer contact")
    if in_work:
        parts.append(_count(len(in_work), "client in work is", "clients in work are")
                     + " due in-work support")
    if job_ends:
        parts.append(_count(len(job_ends), "client's job has", "clients' jobs have")
                     + " ended: contact them within 3 working days")
    text = "On your caseload: " + "; ".join(parts) + "."
    blocks: list[Block] = [HeaderBlock(text="Your clients today"),
                           SectionBlock(text=MarkdownTextObject(text=text))]
    lines: list[tuple[str, int, bool]] = (
        [(f"*{i.reference}*: {_days(i.days_without_contact)} since {i.since:%-d %b} without "
          f"an employer contact ({_days(i.days_overdue)} overdue)", i.client_id, True)
         for i in four_week]
        + [(f"*{i.reference}*: in-work support due {i.due_on:%-d %b}"
            + (f" ({_days(i.days_overdue(today))} overdue)" if i.days_overdue(today) else ""),
            i.client_id, False) for i in in_work]
        + [(f"*{i.reference}*: job ended {i.ended_on:%-d %b} "
            f"({END_REASON_WORDS.get(i.reason, i.reason.value)}); contact them by "
            f"{i.due_on:%A %-d %b}", i.client_id, False) for i in job_ends])
    for line, client_id, log_contact in lines[:_MAX_LISTED]:
        blocks.append(SectionBlock(block_id=f"client_{client_id}",
                                   text=MarkdownTextObject(text=line)))
        blocks.append(_client_buttons(client_id, log_contact))
    if len(lines) > _MAX_LISTED:
        blocks.append(SectionBlock(text=MarkdownTextObject(
            text=f"…and {len(lines) - _MAX_LISTED} more: see your caseload in the IPS Assist "
                 "Home tab.")))
    blocks.append(ContextBlock(elements=[MarkdownTextObject(
        text="Log in-work support (a job end's follow-up too) with `/ips contact in-work REF`. "
             "Snoozing asks for a reason; on-hold clients are not nudged.")]))
    return Message(text=text, blocks=blocks)
