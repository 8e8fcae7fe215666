"""`/ips caseload`, and the caseload App Home shows a page at a time."""

from __future__ import annotations

from slack_sdk.models.blocks import MarkdownTextObject, SectionBlock

from bot.listeners.dispatch import Invocation
from bot.views.caseload import caseload_message
from bot.views.home import ADVISOR_NO_CASELOAD
from caseload import clock
from caseload.clients import list_clients, referral_ages
from caseload.db import Session
from caseload.models import Client, Role, Staff
from caseload.overdue import OverdueClient, overdue_for_employer_contact
from caseload.staff import staff_by_slack_id
from messaging.views import Message


def caseload_of(session: Session, actor: Staff
                ) -> tuple[str, list[Client], dict[int, OverdueClient], dict[int, int]]:
    """The title, visible clients, who is overdue and how many working days each referral
    has waited to be accepted, for `/ips caseload` and App Home."""
    visible = list_clients(session, actor)
    overdue = {o.client_id: o for o in
               overdue_for_employer_contact(session, clock.today(), actor=actor)}
    titles = {Role.CARE_COORDINATOR: "Your referrals",
              Role.EMPLOYMENT_SPECIALIST: "Your caseload",
              Role.TEAM_LEADER: "Your team's caseload"}
    ages = referral_ages(session, visible, clock.today())
    return titles.get(actor.role, "Caseload"), visible, overdue, ages


def caseload_for(session: Session, actor: Staff) -> Message:
    """The caseload message for `actor` (`/ips caseload`)."""
    if actor.role == Role.BENEFITS_ADVISOR:
        return Message(text=ADVISOR_NO_CASELOAD, blocks=[
            SectionBlock(text=MarkdownTextObject(text=ADVISOR_NO_CASELOAD))])
    return caseload_message(*caseload_of(session, actor))


def caseload_command(inv: Invocation) -> None:
    """`/ips caseload`: the caller's caseload, privately."""
    with inv.database.reading() as session:
        message = caseload_for(session, staff_by_slack_id(session, inv.command["user_id"]))
    inv.ack(response_type="ephemeral", **message.as_kwargs())
