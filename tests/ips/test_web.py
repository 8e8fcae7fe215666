"""The overview page escapes what it shows and has a helpful empty state."""

import re

from sqlalchemy import select

from caseload import clock
from caseload.db import Database
from caseload.models import Role, Staff, Team
from caseload.outcomes import caseloads_on
from caseload.overdue import overdue_for_employer_contact
from caseload.reports import percent
from ips.demo import load_demo
from ips.web import create_app
from tests.factories import make_staff, make_team
from tests.ips.web_helpers import signed_in


def _admin(db: Database) -> str:
    with db.transaction() as s:
        return make_staff(s, Role.ADMIN, None).slack_user_id


def test_empty_database_explains_what_to_do(db: Database) -> None:
    page = signed_in(db, _admin(db)).get("/").get_data(as_text=True)
    assert "No teams are set up yet" in page and "ips demo-data" in page


def test_team_names_are_escaped(db: Database) -> None:
    with db.transaction() as s:
        make_team(s, "<script>alert(1)</script>")
    page = signed_in(db, _admin(db)).get("/").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_health_asks_the_database(db: Database) -> None:
    response = create_app(db).test_client().get("/healthz")
    assert response.status_code == 200 and response.json == {"status": "ok", "database": "ok"}
    down = Database("postgresql+psycopg://nobody@127.0.0.1:1/none")
    response = create_app(down).test_client().get("/healthz")
    assert response.status_code == 503 and response.json["database"] == "unreachable"


def test_an_unmigrated_database_gets_a_page_saying_what_to_run(tmp_path) -> None:
    response = create_app(Database(f"sqlite:///{tmp_path / 'new.sqlite3'}")).test_client().get("/")
    assert response.status_code == 503
    assert "run `ips db upgrade` first" in response.get_data(as_text=True)


def test_overview_shows_this_months_outcomes_and_overdue_counts(db: Database) -> None:
    with db.transaction() as s:
        load_demo(s, seed=2026)
        teams = {t.name: t.id for t in s.scalars(select(Team))}
        expected_overdue = {name: len(overdue_for_employer_contact(s, clock.today(), team_id=team_id))
                            for name, team_id in teams.items()}
        caseloads = caseloads_on(s, clock.today())
        admin = s.scalars(select(Staff).where(Staff.role == Role.ADMIN)).first()
        assert admin is not None
        admin_id = admin.slack_user_id
    page = signed_in(db, admin_id).get("/").get_data(as_text=True)
    assert f"{clock.today():%B %Y}: outcomes against target" in page
    for name, overdue in expected_overdue.items():
        row = page.split(f"<span>{name}</span></th>", 1)[1].split("</tr>", 1)[0]
        cells = re.findall(r"<span>([^<]*)</span></td>", row)
        # Columns: job starts, target, people into work, referrals, employment rate, overdue,
        # caseload with its in-work share, job retention.
        assert cells[5] == str(overdue)
        held = caseloads[teams[name]]
        assert cells[6] == f"{held.active} ({percent(held.in_work_share)} in work)"
        assert cells[7] == percent(held.job_retention_share) + (
            ", over the limit" if held.over_job_retention_limit else "")
    assert sum(expected_overdue.values()) > 0  # the demo has clients who drifted
    assert "at most 15% of the" in page
