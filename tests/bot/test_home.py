"""App Home by role, published when someone opens it."""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal

import pytest

from caseload import clients, clock
from caseload.calculations import record_for_reference
from caseload.db import Database
from caseload.models import Role
from tests.bot.driver import event, eventually
from tests.factories import make_staff, make_team, refer


@pytest.fixture
def w(db: Database):
    with db.transaction() as s:
        team = make_team(s, "Newhaven", job_start_target_per_month=3)
        w = {"leader": make_staff(s, Role.TEAM_LEADER, team),
             "cc": make_staff(s, Role.CARE_COORDINATOR, team),
             "es": make_staff(s, Role.EMPLOYMENT_SPECIALIST, team),
             "trainer": make_staff(s, Role.REGIONAL_TRAINER, None)}
        c = refer(s, w["cc"], team, "NH-1", received_on=clock.today() - timedelta(days=50))
        clients.accept(s, w["leader"], c, on=clock.today() - timedelta(days=45),
                       specialist_id=w["es"].id)
    return w


def _home(url: str, fake, user_id: str, count: int = 1) -> dict:  # type: ignore[no-untyped-def]
    assert event(url, {"type": "app_home_opened", "user": user_id, "channel": "D0001",
                       "tab": "home", "event_ts": "1.2"}).status_code == 200
    published = eventually(fake, "views.publish", count)[-1]
    assert published.args["user_id"] == user_id
    return published.args["view"]


def test_specialist_home_shows_the_caseload_with_overdue_flags(db, w, slack) -> None:
    url, fake = slack
    view = _home(url, fake, w["es"].slack_user_id)
    assert view["type"] == "home"
    assert "*NH-1*: :warning: 45 days" in json.dumps(view["blocks"])


def test_trainer_home_shows_every_team(db, w, slack) -> None:
    url, fake = slack
    view = _home(url, fake, w["trainer"].slack_user_id)
    assert "*Newhaven*: 0 job starts (target 3)" in json.dumps(view["blocks"])


def test_unknown_user_home_says_how_to_get_set_up(db, w, slack) -> None:
    url, fake = slack
    view = _home(url, fake, "U0STRANGER")
    assert "ask your team leader to add you" in json.dumps(view["blocks"])


def test_a_retried_delivery_just_publishes_the_same_home(db, w, slack) -> None:
    url, fake = slack
    first = _home(url, fake, w["cc"].slack_user_id)
    event(url, {"type": "app_home_opened", "user": w["cc"].slack_user_id, "tab": "home",
                "channel": "D0001", "event_ts": "1.2"}, retry=1)
    second = eventually(fake, "views.publish", 2)[-1].args["view"]
    assert first["blocks"] == second["blocks"]


def test_team_leader_home_shows_the_month_against_target_then_the_caseload(db, w, slack) -> None:
    url, fake = slack
    text = json.dumps(_home(url, fake, w["leader"].slack_user_id)["blocks"])
    assert "0 of 3 (3 to go)" in text
    assert "*Next fidelity review:* not scheduled" in text
    assert "*NH-1*" in text


def test_an_advisors_home_counts_their_teams_calculations_this_month(db, w, slack) -> None:
    url, fake = slack
    with db.transaction() as s:
        advisor = make_staff(s, Role.BENEFITS_ADVISOR, s.merge(w["leader"]).team)
    empty = json.dumps(_home(url, fake, advisor.slack_user_id)["blocks"])
    assert "No better-off calculations saved for your team in" in empty
    assert "Benefits advisors have no caseload" in empty
    with db.transaction() as s:
        actor = s.merge(advisor)
        for amount in ("120.50", "-4.00"):
            record_for_reference(s, actor, "NH-1", "2026-27", {"a": amount}, Decimal(amount))
    busy = json.dumps(_home(url, fake, advisor.slack_user_id, count=2)["blocks"])
    assert ":* 2, of which 1 showed the person better off." in busy


def test_the_referrer_sees_how_many_working_days_each_referral_has_waited(db, w, slack) -> None:
    from caseload.working_days import working_days_between

    with db.transaction() as s:
        refer(s, s.merge(w["cc"]), s.merge(w["leader"]).team, "NH-OLD",
              received_on=clock.today() - timedelta(days=30))
        refer(s, s.merge(w["cc"]), s.merge(w["leader"]).team, "NH-NEW", received_on=clock.today())
    url, fake = slack
    text = json.dumps(_home(url, fake, w["cc"].slack_user_id)["blocks"])
    waited = working_days_between(clock.today() - timedelta(days=30), clock.today())
    assert waited >= 19  # 30 days hold at least 19 working days, bank holidays and all
    assert f"*NH-OLD*: referred {clock.today() - timedelta(days=30):%-d %b}, waiting {waited} " \
           "working days" in text
    assert "*NH-NEW*: referred" in text and "waiting 0 working days" in text
    # Accepted clients are not waiting: no age beside them.
    assert "*NH-1*, waiting" not in text and "*NH-1*: referred" not in text


def test_working_days_between_skip_weekends_and_the_nations_bank_holidays() -> None:
    from datetime import date

    from caseload.models import Nation
    from caseload.working_days import working_days_between

    # Friday 27 November to Tuesday 1 December 2026: Monday and Tuesday in England; in
    # Scotland Monday 30 November is St Andrew's Day.
    assert working_days_between(date(2026, 11, 27), date(2026, 12, 1)) == 2
    assert working_days_between(date(2026, 11, 27), date(2026, 12, 1), Nation.SCOTLAND) == 1
    assert working_days_between(date(2026, 12, 1), date(2026, 11, 27)) == 0
