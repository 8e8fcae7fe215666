"""What one client's status card shows: the read side behind `/ips client REF`.

Access is the lookup's business: the caller passes a client that `caseload.clients` found for
someone allowed to see them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from caseload.audit import history
from caseload.in_work import in_work_contacts_for_client, next_in_work_contact_due
from caseload.jobs import jobs_for_client
from caseload.models import AuditLog, Client, EmployerContact, InWorkContact, Job
from caseload.overdue import OverdueClient, overdue_for_employer_contact
from caseload.staff import staff_names


@dataclass(frozen=True)
class ClientCard:
    """A client with their jobs, latest employer contacts (oldest first), audit history, the
    names of the staff all of those mention, and whether they are overdue for a contact."""

    client: Client
    jobs: list[Job]
    contacts: list[EmployerContact]
    history: list[AuditLog]
    names: dict[int, str]
    overdue: OverdueClient | None
    in_work: list[InWorkContact] = field(default_factory=list)  # newest first
    next_in_work_due: date | None = None


def recent_contacts(session: Session, client: Client, limit: int) -> list[EmployerContact]:
    """The client's latest `limit` employer contacts, oldest first."""
    latest = list(session.scalars(
        select(EmployerContact).where(EmployerContact.client_id == client.id)
        .order_by(EmployerContact.contacted_on.desc(), EmployerContact.id.desc())
        .limit(limit)))
    return list(reversed(latest))


def card_of(session: Session, client: Client, today: date, contacts: int) -> ClientCard:
    """Everything the card shows about `client` on `today`, with at most `contacts` contacts."""
    jobs = jobs_for_client(session, client)
    recent = recent_contacts(session, client, contacts)
    in_work = in_work_contacts_for_client(session, client, contacts)
    audit = history(session, "clients", client.id)
    names = staff_names(session, {client.specialist_id, client.care_coordinator_id,
                                  *(row.actor_id for row in audit),
                                  *((row.after or {}).get("specialist_id") for row in audit),
                                  *(c.staff_id for c in recent), *(c.staff_id for c in in_work)})
    overdue = next((o for o in overdue_for_employer_contact(session, today, team_id=client.team_id)
                    if o.client_id == client.id), None)
    return ClientCard(client, jobs, recent, audit, names, overdue, in_work,
                      next_in_work_contact_due(session, client))
