"""The four-week rule: who on the caseload has gone too long without an employer contact.

A client looking for work is overdue when there has been no face-to-face employer contact
on their behalf for more than 28 days since their referral was accepted or since the last
such contact (domain.md, "The four-week rule"). The last contact date is kept on the client
row by the contact service, so this is one indexed pass over the open caseload.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import ColumnElement, Date, and_, case, func, select, type_coerce
from sqlalchemy.orm import Session

from caseload.access import clients_scoped
from caseload.history import in_force_on
from caseload.models import LOOKING_FOR_WORK, Client, ClientStatusPeriod, EmployerContact, Staff

FOUR_WEEKS_DAYS = 28


@dataclass(frozen=True)
class OverdueClient:
    client_id: int
    reference: str
    team_id: int
    specialist_id: int | None
    since: date
    days_without_contact: int

    @property
    def days_overdue(self) -> int:
        return self.days_without_contact - FOUR_WEEKS_DAYS


def contact_clock_start() -> ColumnElement[date]:
    """SQL for the date the four-week clock runs from: the later of acceptance and last contact."""
    referral = func.coalesce(Client.accepted_on, Client.referral_received_on)
    last = Client.last_face_to_face_contact_on
    # type_coerce, not CAST: SQLite keeps dates as ISO text, and CAST would make them numbers.
    return type_coerce(
        case((and_(last.is_not(None), last > referral), last), else_=referral), Date
    )


def overdue_for_employer_contact(
    session: Session,
    on: date,
    *,
    team_id: int | None = None,
    specialist_id: int | None = None,
    actor: Staff | None = None,
) -> list[OverdueClient]:
    """Clients overdue on `on`, longest-waiting first. `actor` limits it to what they may see."""
    start = contact_clock_start().label("since")
    query = (
        select(Client.id, Client.reference, Client.team_id, Client.specialist_id, start)
        .where(Client.status.in_(LOOKING_FOR_WORK))
        .where(start < on - timedelta(days=FOUR_WEEKS_DAYS))
    )
    query = clients_scoped(query, team_id, specialist_id, actor)
    query = query.order_by(start, Client.id)
    return [
        OverdueClient(
            client_id=row.id,
            reference=row.reference,
            team_id=row.team_id,
            specialist_id=row.specialist_id,
            since=row.since,
            days_without_contact=(on - row.since).days,
        )
        for row in session.execute(query)
    ]


def overdue_counts_as_of(session: Session, day: date, team_id: int | None = None) -> dict[int, int]:
    """Per team: clients overdue for employer contact at the end of `day`, as things stood then.

    Reads the dated history (who was looking for work that day, in which team) and the
    contacts dated up to that day, so later events do not move the figure, while a contact
    logged late with its real date corrects it.
    """
    return per_team(_overdue_as_of(session, day, team_id, False))


def per_team(counts: dict[tuple[int, int | None], int]) -> dict[int, int]:
    """Counts keyed by (team, specialist or None), added up per team."""
    totals: dict[int, int] = {}
    for (team, _), count in counts.items():
        totals[team] = totals.get(team, 0) + count
    return totals


def overdue_by_specialist_as_of(session: Session, day: date, team_id: int | None = None
                                ) -> dict[tuple[int, int | None], int]:
    """The same count per (team, specialist the client was with that day)."""
    return _overdue_as_of(session, day, team_id, True)


def _overdue_as_of(session: Session, day: date, team_id: int | None, by_specialist: bool
                   ) -> dict[tuple[int, int | None], int]:
    last_contact = (
        select(EmployerContact.client_id, func.max(EmployerContact.contacted_on).label("last"))
        .where(EmployerContact.face_to_face.is_(True), EmployerContact.client_id.is_not(None),
               EmployerContact.contacted_on <= day)
        .group_by(EmployerContact.client_id)
        .subquery()
    )
    referral = func.coalesce(Client.accepted_on, Client.referral_received_on)
    since = type_coerce(case((and_(last_contact.c.last.is_not(None), last_contact.c.last > referral),
                              last_contact.c.last), else_=referral), Date)
    keys = (ClientStatusPeriod.team_id, ClientStatusPeriod.specialist_id) if by_specialist \
        else (ClientStatusPeriod.team_id,)
    query = (
        select(*keys, func.count(ClientStatusPeriod.client_id))
        .join(Client, Client.id == ClientStatusPeriod.client_id)
        .outerjoin(last_contact, last_contact.c.client_id == ClientStatusPeriod.client_id)
        .where(in_force_on(day), ClientStatusPeriod.status.in_(LOOKING_FOR_WORK),
               since < day - timedelta(days=FOUR_WEEKS_DAYS))
        .group_by(*keys)
    )
    if team_id is not None:
        query = query.where(ClientStatusPeriod.team_id == team_id)
    return {(row[0], row[1] if by_specialist else None): int(row[-1]) for row in session.execute(query)}
