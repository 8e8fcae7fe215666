"""The overview page escapes what it shows and has a helpful empty state."""

from caseload.db import Database
from ips.web import create_app
from tests.factories import make_team


def test_empty_database_explains_what_to_do(db: Database) -> None:
    page = create_app(db).test_client().get("/").get_data(as_text=True)
    assert "No teams are set up yet" in page and "ips demo-data" in page


def test_team_names_are_escaped(db: Database) -> None:
    with db.transaction() as s:
        make_team(s, "<script>alert(1)</script>")
    page = create_app(db).test_client().get("/").get_data(as_text=True)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
