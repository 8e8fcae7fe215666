"""`/ips team` and `/ips staff`: admins manage teams and staff from Slack, as Slack drives it."""

from __future__ import annotations

import json
from datetime import date, time
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from bot.views import admin as views
from bot.views.modals import any_contact_modal
from caseload.db import Database
from caseload.models import AuditLog, Role, Staff, Team
from tests.bot.driver import eventually, opened_view, press, slash, submit
from tests.factories import make_staff, make_team

NEW_USER = "U0NEWPERSON"


@pytest.fixture
def w(db: Database) -> dict:
    with db.transaction() as s:
        team = make_team(s, "Seaford CMHT", referral_target_per_month=10)
        other = make_team(s, "Lewes CMHT")
        return {"team": team, "other": other,
                "admin": make_staff(s, Role.ADMIN, None, name="Ada"),
                "cc": make_staff(s, Role.CARE_COORDINATOR, team, name="Cat"),
                "es": make_staff(s, Role.EMPLOYMENT_SPECIALIST, team, name="Sam <Jones>"),
                "leader": make_staff(s, Role.TEAM_LEADER, team),
                "advisor": make_staff(s, Role.BENEFITS_ADVISOR, team),
                "trainer": make_staff(s, Role.REGIONAL_TRAINER, None, name="Tia")}


def _text(value: str | None) -> dict:
    return {"value": {"type": "plain_text_input", "value": value}}


def _number(value: str | None) -> dict:
    return {"value": {"type": "number_input", "value": value}}


def _option(value: str | None) -> dict:
    return {"value": {"type": "static_select",
                      "selected_option": {"value": value} if value is not None else None}}


def _user(slack_user_id: str | None) -> dict:
    return {"value": {"type": "users_select", "selected_user": slack_user_id}}


def _time(value: str | None) -> dict:
    return {"value": {"type": "timepicker", "selected_time": value}}


def _team_values(name: str = "Hove CMHT", referrals: str = "12", starts: str = "3") -> dict:
    return {"name": _text(name), "nation": _option("ENG"),
            "channel": {"value": {"type": "conversations_select",
                                  "selected_conversation": "C0HOVE001"}},
            "referral_target": _number(referrals), "job_start_target": _number(starts),
            "service_started_on": {"value": {"type": "datepicker", "selected_date": "2025-04-01"}}}


def _staff_values(user: str | None = NEW_USER, name: str = "Priya",
                  role: str | None = "employment_specialist", team: int | None = None,
                  fte: str | None = "0.6") -> dict:
    return {"user": _user(user), "display_name": _text(name), "role": _option(role),
            "team": _option(str(team) if team is not None else None), "fte": _number(fte)}


def _audit(db: Database, action: str) -> list[AuditLog]:
    with db.reading() as s:
        return list(s.scalars(select(AuditLog).where(AuditLog.action == action).order_by(AuditLog.id)))


def _count(db: Database, model: type) -> int:
    with db.reading() as s:
        return s.scalar(select(func.count(model.id))) or 0


def _refusal_of(answer) -> str:  # type: ignore[no-untyped-def]
    body = answer.json()
    assert body["response_type"] == "ephemeral"
    return body["text"]


# -- who may ------------------------------------------------------------------------------

@pytest.mark.parametrize("role", ["cc", "es", "leader", "advisor", "trainer"])
@pytest.mark.parametrize(("text", "what"), [
    ("team", "list, add or change teams"), ("team edit Seaford CMHT", "list, add or change teams"),
    ("staff", "list, add or change staff"), ("staff add", "list, add or change staff")])
def test_everyone_but_admins_is_refused_privately(db, w, slack, role: str, text: str, what: str) -> None:
    url, fake = slack
    answer = slash(url, w[role].slack_user_id, text)
    assert _refusal_of(answer) == f"Only these roles can {what}: admin."
    assert fake.successful("views.open") == []


def test_a_switched_off_admin_is_refused(db, w, slack) -> None:
    url, fake = slack
    with db.transaction() as s:
        s.get(Staff, w["admin"].id).active = False
    assert "switched off" in _refusal_of(slash(url, w["admin"].slack_user_id, "team add"))
    assert fake.successful("views.open") == []


def test_a_non_admin_pressing_a_team_button_is_refused_and_nothing_opens(db, w, slack) -> None:
    url, fake = slack
    press(url, w["leader"].slack_user_id, views.OPEN_TEAM_EDIT, w["team"].id)
    [refusal] = eventually(fake, "chat.postEphemeral")
    assert refusal.args["text"] == "Only these roles can list, add or change teams: admin."
    assert fake.successful("views.open") == []


def test_a_non_admin_submitting_an_admin_modal_changes_nothing(db, w, slack) -> None:
    url, _fake = slack
    view = views.staff_access_modal(active=False).to_dict()
    answer = submit(url, w["leader"].slack_user_id, view, {"user": _user(w["cc"].slack_user_id)})
    assert answer.json() == {"response_action": "errors", "errors": {
        "user": "Only these roles can switch someone's access off or on: admin."}}
    with db.reading() as s:
        assert s.get(Staff, w["cc"].id).active
    assert _audit(db, "deactivate_staff") == []


def test_help_lists_team_and_staff_for_admins_only(db, w, slack) -> None:
    url, _fake = slack
    admin = json.dumps(slash(url, w["admin"].slack_user_id, "help").json()["blocks"])
    assert "/ips team" in admin and "/ips staff" in admin
    for role in ("es", "leader", "trainer"):
        other = json.dumps(slash(url, w[role].slack_user_id, "help").json()["blocks"])
        assert "/ips team" not in other and "/ips staff" not in other


# -- teams --------------------------------------------------------------------------------

def test_team_list_shows_targets_schedule_and_a_change_button(db, w, slack) -> None:
    url, _fake = slack
    body = slash(url, w["admin"].slack_user_id, "team").json()
    assert body["response_type"] == "ephemeral" and body["text"] == "2 teams in IPS Assist"
    blocks = json.dumps(body["blocks"])
    assert "*Lewes CMHT*" in blocks and "*Seaford CMHT*" in blocks
    assert "10 referrals and 0 job starts a month" in blocks
    assert "Lewes CMHT* (England, no channel, 0 active staff)" in blocks
    assert "Seaford CMHT* (England, no channel, 4 active staff)" in blocks
    buttons = [b["accessory"] for b in body["blocks"] if b.get("accessory")]
    assert [(b["action_id"], b["value"]) for b in buttons] == [
        (views.OPEN_TEAM_EDIT, str(w["other"].id)), (views.OPEN_TEAM_EDIT, str(w["team"].id))]


def test_an_admin_adds_a_team_through_the_modal_audited_as_them(db, w, slack) -> None:
    url, fake = slack
    assert slash(url, w["admin"].slack_user_id, "team add").text == ""
    view = opened_view(fake)
    assert view["callback_id"] == views.TEAM_ADD
    kinds = {b["block_id"]: b["element"]["type"] for b in view["blocks"] if b["type"] == "input"}
    assert kinds == {"name": "plain_text_input", "nation": "static_select",
                     "channel": "conversations_select", "referral_target": "number_input",
                     "job_start_target": "number_input", "service_started_on": "datepicker"}
    assert submit(url, w["admin"].slack_user_id, view, _team_values()).text == ""
    with db.reading() as s:
        team = s.scalar(select(Team).where(Team.name == "Hove CMHT"))
        assert (team.slack_channel_id, team.referral_target_per_month,
                team.job_start_target_per_month) == ("C0HOVE001", 12, 3)
    [row] = _audit(db, "add_team")[-1:]
    assert row.actor_id == w["admin"].id and row.entity_id == team.id
    [done] = eventually(fake, "chat.postMessage")
    assert done.args["channel"] == w["admin"].slack_user_id
    assert done.args["text"] == ("Added team Hove CMHT (England): 12 referrals and 3 job starts "
                                 "a month.")


def test_the_same_team_submission_twice_writes_once(db, w, slack) -> None:
    url, fake = slack
    slash(url, w["admin"].slack_user_id, "team add")
    view = opened_view(fake)
    for _ in range(2):
        assert submit(url, w["admin"].slack_user_id, view, _team_values(), view_id="V0TEAM1").text == ""
    assert _count(db, Team) == 3
    assert len([r for r in _audit(db, "add_team") if r.actor_id == w["admin"].id]) == 1


@pytest.mark.parametrize(("values", "errors"), [
    (_team_values(name="H"), {"name": "String should have at least 2 characters"}),
    (_team_values(referrals="2000", starts="-1"),
     {"referral_target": "Input should be less than or equal to 1000",
      "job_start_target": "Input should be greater than or equal to 0"}),
    (_team_values(name="Seaford CMHT"), {"name": "A team called 'Seaford CMHT' already exists."}),
])
def test_bad_team_input_is_answered_beside_the_field(db, w, slack, values, errors) -> None:
    url, fake = slack
    slash(url, w["admin"].slack_user_id, "team add")
    answer = submit(url, w["admin"].slack_user_id, opened_view(fake), values)
    assert answer.json() == {"response_action": "errors", "errors": errors}
    assert _count(db, Team) == 2


def test_the_change_button_opens_the_team_filled_in_and_saves_targets_and_times(db, w, slack) -> None:
    url, fake = slack
    press(url, w["admin"].slack_user_id, views.OPEN_TEAM_EDIT, w["team"].id)
    view = opened_view(fake)
    assert view["callback_id"] == views.TEAM_EDIT and view["private_metadata"] == str(w["team"].id)
    initial = {b["block_id"]: b["element"].get("initial_value") for b in view["blocks"]
               if b["type"] == "input"}
    assert initial["referral_target"] == "10" and initial["job_start_target"] == "0"
    # No times of its own yet: the pickers are empty, meaning the clock's usual times.
    assert initial["nudges_at"] is None
    values = {"referral_target": _number("8"), "job_start_target": _number("2"),
              "nudges_at": _time("11:30"), "just_ask_day": _option("1"), "just_ask_at": _time(None)}
    assert submit(url, w["admin"].slack_user_id, view, values).text == ""
    with db.reading() as s:
        team = s.get(Team, w["team"].id)
        assert (team.referral_target_per_month, team.job_start_target_per_month) == (8, 2)
        assert (team.nudges_at, team.just_ask_weekday, team.just_ask_at) == (time(11, 30), 1, None)
    [targets] = _audit(db, "set_team_targets")
    [schedule] = _audit(db, "set_team_schedule")
    assert targets.actor_id == schedule.actor_id == w["admin"].id
    assert targets.before == {"job_start_target_per_month": 0, "referral_target_per_month": 10}
    assert schedule.after == {"just_ask_weekday": 1, "nudges_at": "11:30:00"}
    [done] = eventually(fake, "chat.postMessage")
    assert done.args["text"] == ("Seaford CMHT: 8 referrals and 2 job starts a month; four-week "
                                 "nudges at 11:30; \"just ask\" on Tuesday at the usual time; "
                                 "referrals may wait 5 working days; in-work support every 7 "
                                 "days for the first 4 weeks of a job, then every 30 days.")


def _edit_values(wait: str | None, weeks: str | None, early: str | None, then: str | None
                 ) -> dict:
    return {"referral_target": _number("10"), "job_start_target": _number("0"),
            "nudges_at": _time(None), "just_ask_day": _option(None), "just_ask_at": _time(None),
            "referral_wait": _number(wait), "in_work_first_weeks": _number(weeks),
            "in_work_first_every": _number(early), "in_work_then_every": _number(then)}


def test_an_admin_sets_the_referral_wait_and_in_work_rhythm_in_the_team_modal(db, w, slack) -> None:
    url, fake = slack
    press(url, w["admin"].slack_user_id, views.OPEN_TEAM_EDIT, w["team"].id)
    view = opened_view(fake)
    initial = {b["block_id"]: b["element"].get("initial_value") for b in view["blocks"]
               if b["type"] == "input"}
    # No wait of its own (the usual 5), and the default rhythm.
    assert (initial["referral_wait"], initial["in_work_first_weeks"],
            initial["in_work_first_every"], initial["in_work_then_every"]) == (None, "4", "7", "30")
    assert submit(url, w["admin"].slack_user_id, view, _edit_values("8", "6", "5", "14")).text == ""
    with db.reading() as s:
        team = s.get(Team, w["team"].id)
        assert (team.referral_wait_working_days, team.in_work_first_weeks,
                team.in_work_first_every_days, team.in_work_then_every_days) == (8, 6, 5, 14)
    [wait] = _audit(db, "set_team_referral_wait")
    [rhythm] = _audit(db, "set_team_in_work_rhythm")
    assert wait.actor_id == rhythm.actor_id == w["admin"].id
    assert wait.after == {"referral_wait_working_days": 8}
    assert rhythm.after == {"in_work_first_weeks": 6, "in_work_first_every_days": 5,
                            "in_work_then_every_days": 14}
    [done] = eventually(fake, "chat.postMessage")
    assert done.args["text"].endswith("referrals may wait 8 working days; in-work support every 5 "
                                      "days for the first 6 weeks of a job, then every 14 days.")
    # Reopened, it shows the team's own; the wait emptied is the usual 5 again.
    press(url, w["admin"].slack_user_id, views.OPEN_TEAM_EDIT, w["team"].id)
    view = opened_view(fake)
    initial = {b["block_id"]: b["element"].get("initial_value") for b in view["blocks"]
               if b["type"] == "input"}
    assert (initial["referral_wait"], initial["in_work_first_weeks"]) == ("8", "6")
    assert submit(url, w["admin"].slack_user_id, view, _edit_values(None, "6", "5", "14"),
                  view_id="V0002").text == ""
    with db.reading() as s:
        assert s.get(Team, w["team"].id).referral_wait_working_days is None


def test_a_modal_without_the_new_fields_keeps_the_teams_wait_and_rhythm(db, w, slack) -> None:
    """A modal opened before the wait and the rhythm were in it changes neither."""
    url, fake = slack
    with db.transaction() as s:
        team = s.get(Team, w["team"].id)
        team.referral_wait_working_days, team.in_work_then_every_days = 9, 21
    slash(url, w["admin"].slack_user_id, "team edit Seaford CMHT")
    values = {"referral_target": _number("10"), "job_start_target": _number("1"),
              "nudges_at": _time(None), "just_ask_day": _option(None), "just_ask_at": _time(None)}
    assert submit(url, w["admin"].slack_user_id, opened_view(fake), values).text == ""
    with db.reading() as s:
        team = s.get(Team, w["team"].id)
        assert (team.job_start_target_per_month, team.referral_wait_working_days,
                team.in_work_then_every_days) == (1, 9, 21)


@pytest.mark.parametrize(("values", "errors"), [
    (_edit_values("0", "4", "7", "30"),
     {"referral_wait": "Input should be greater than or equal to 1"}),
    (_edit_values("31", "53", "0", "93"),
     {"referral_wait": "Input should be less than or equal to 30",
      "in_work_first_weeks": "Input should be less than or equal to 52",
      "in_work_first_every": "Input should be greater than or equal to 1",
      "in_work_then_every": "Input should be less than or equal to 92"}),
    (_edit_values("5", "4", "7", None),
     {"in_work_then_every": "Input should be a valid integer"}),
])
def test_a_bad_wait_or_rhythm_is_answered_beside_the_field_and_nothing_is_saved(
        db, w, slack, values, errors) -> None:
    url, fake = slack
    slash(url, w["admin"].slack_user_id, "team edit Seaford CMHT")
    values = {**values, "job_start_target": _number("3")}
    answer = submit(url, w["admin"].slack_user_id, opened_view(fake), values)
    assert answer.json() == {"response_action": "errors", "errors": errors}
    with db.reading() as s:
        team = s.get(Team, w["team"].id)
        assert (team.job_start_target_per_month, team.referral_wait_working_days,
                team.in_work_first_weeks, team.in_work_then_every_days) == (0, None, 4, 30)
    assert _audit(db, "set_team_targets") == [] and _audit(db, "set_team_in_work_rhythm") == []


def test_team_edit_by_name_ignores_case_and_an_unknown_name_is_said_privately(db, w, slack) -> None:
    url, fake = slack
    assert slash(url, w["admin"].slack_user_id, "team edit seaford cmht").text == ""
    assert opened_view(fake)["private_metadata"] == str(w["team"].id)
    answer = slash(url, w["admin"].slack_user_id, "team edit Nowhere")
    assert _refusal_of(answer) == "There is no team called 'Nowhere': `/ips team` lists them."
    assert "Which team?" in _refusal_of(slash(url, w["admin"].slack_user_id, "team edit"))
    assert len(fake.successful("views.open")) == 1


def test_every_team_mistake_shows_at_once_and_nothing_is_saved(db, w, slack) -> None:
    url, fake = slack
    slash(url, w["admin"].slack_user_id, "team edit Seaford CMHT")
    values = {"referral_target": _number("-5"), "job_start_target": _number("2"),
              "nudges_at": _time("05:00"), "just_ask_day": _option(None), "just_ask_at": _time(None)}
    answer = submit(url, w["admin"].slack_user_id, opened_view(fake), values)
    assert answer.json() == {"response_action": "errors", "errors": {
        "referral_target": "Input should be greater than or equal to 0",
        "nudges_at": "reminders go out in working hours: between 07:00 and 18:00"}}
    with db.reading() as s:
        assert s.get(Team, w["team"].id).referral_target_per_month == 10
    assert _audit(db, "set_team_targets") == [] and _audit(db, "set_team_schedule") == []


# -- staff --------------------------------------------------------------------------------

def test_staff_list_by_team_with_trainers_and_admins_apart(db, w, slack) -> None:
    url, _fake = slack
    body = slash(url, w["admin"].slack_user_id, "staff").json()
    text = "\n".join(b["text"]["text"] for b in body["blocks"] if b["type"] == "section")
    assert text.index("*Lewes CMHT*") < text.index("*Seaford CMHT*") < text.index("no team")
    assert "• nobody yet" in text  # Lewes
    assert f"Sam &lt;Jones&gt; (`{w['es'].slack_user_id}`): employment specialist, 1.00 FTE" in text
    one = slash(url, w["admin"].slack_user_id, "staff list seaford cmht").json()
    one_text = json.dumps(one["blocks"])
    assert "Cat" in one_text and "Tia" not in one_text and one["text"] == "4 people in IPS Assist"
    assert _refusal_of(slash(url, w["admin"].slack_user_id, "staff Atlantis")) == \
        "There is no team called 'Atlantis': `/ips team` lists them."


def test_an_admin_adds_a_person_with_the_user_picker_audited_as_them(db, w, slack) -> None:
    url, fake = slack
    slash(url, w["admin"].slack_user_id, "staff add")
    view = opened_view(fake)
    assert view["callback_id"] == views.STAFF_ADD
    kinds = {b["block_id"]: b["element"]["type"] for b in view["blocks"] if b["type"] == "input"}
    assert kinds == {"user": "users_select", "display_name": "plain_text_input",
                     "role": "static_select", "team": "static_select", "fte": "number_input"}
    values = _staff_values(team=w["other"].id)
    assert submit(url, w["admin"].slack_user_id, view, values).text == ""
    with db.reading() as s:
        person = s.scalar(select(Staff).where(Staff.slack_user_id == NEW_USER))
        assert (person.display_name, person.role, person.team_id, person.fte) == (
            "Priya", Role.EMPLOYMENT_SPECIALIST, w["other"].id, Decimal("0.60"))
    [row] = _audit(db, "add_staff")[-1:]
    assert row.actor_id == w["admin"].id and row.entity_id == person.id
    [done] = eventually(fake, "chat.postMessage")
    assert done.args["text"] == "Added Priya as an employment specialist in Lewes CMHT (0.60 FTE)."


def test_a_person_added_from_slack_is_in_the_workspace_the_admin_asked_from(db, w, slack) -> None:
    """With several workspaces installed the clock sends with this workspace's token."""
    url, fake = slack
    slash(url, w["admin"].slack_user_id, "staff add")
    view = opened_view(fake)
    answer = submit(url, w["admin"].slack_user_id, view, _staff_values(team=w["team"].id),
                    team_id="T0SUSSEX")
    assert answer.text == ""
    with db.reading() as s:
        person = s.scalar(select(Staff).where(Staff.slack_user_id == NEW_USER))
        assert person.slack_team_id == "T0SUSSEX"
    [row] = _audit(db, "add_staff")[-1:]
    assert row.after is not None and row.after["slack_team_id"] == "T0SUSSEX"


def test_a_team_added_from_slack_is_in_the_workspace_the_admin_asked_from(db, w, slack) -> None:
    """So only that workspace's trainers and admins see it once several have installed."""
    url, fake = slack
    slash(url, w["admin"].slack_user_id, "team add")
    assert submit(url, w["admin"].slack_user_id, opened_view(fake), _team_values(),
                  team_id="T0SUSSEX").text == ""
    with db.reading() as s:
        assert s.scalar(select(Team.slack_team_id).where(Team.name == "Hove CMHT")) == "T0SUSSEX"


def test_an_admin_of_one_workspace_neither_sees_nor_changes_anothers_teams(db, w, slack) -> None:
    url, fake = slack
    with db.transaction() as s:
        s.get(Team, w["other"].id).slack_team_id = "T0KENT01"  # Lewes is another trust's
        s.get(Staff, w["admin"].id).slack_team_id = "T0SUSSEX"
        outsider = make_staff(s, Role.CARE_COORDINATOR, s.get(Team, w["other"].id), name="Kit")
        s.get(Staff, outsider.id).slack_team_id = "T0KENT01"
    admin = w["admin"].slack_user_id
    listed = slash(url, admin, "team").json()
    assert listed["text"] == "1 team in IPS Assist"
    assert "Lewes" not in json.dumps(listed["blocks"])
    people = json.dumps(slash(url, admin, "staff").json()["blocks"])
    assert "Cat" in people and "Lewes" not in people and "Kit" not in people
    assert _refusal_of(slash(url, admin, "team edit Lewes CMHT")) == \
        "There is no team called 'Lewes CMHT': `/ips team` lists them."
    press(url, admin, views.OPEN_TEAM_EDIT, w["other"].id)
    [refusal] = eventually(fake, "chat.postEphemeral")
    assert refusal.args["text"] == \
        "You can only list, add or change teams within your own Slack workspace."
    assert fake.successful("views.open") == []
    # A forged submission for that team, or moving its person, is refused beside the field.
    slash(url, admin, "staff change")
    answer = submit(url, admin, opened_view(fake), {
        "user": _user(outsider.slack_user_id), "role": _option("team_leader"),
        "team": _option(str(w["other"].id))}, team_id="T0SUSSEX")
    assert answer.json()["response_action"] == "errors"
    assert "within your own Slack workspace" in json.dumps(answer.json()["errors"])
    with db.reading() as s:
        assert s.get(Staff, outsider.id).role == Role.CARE_COORDINATOR


def test_the_add_person_button_opens_the_same_modal(db, w, slack) -> None:
    url, fake = slack
    press(url, w["admin"].slack_user_id, views.OPEN_STAFF_ADD, 0)
    assert opened_view(fake)["callback_id"] == views.STAFF_ADD


def test_the_same_person_submission_twice_writes_once(db, w, slack) -> None:
    url, fake = slack
    slash(url, w["admin"].slack_user_id, "staff add")
    view = opened_view(fake)
    values = _staff_values(team=w["team"].id)
    for _ in range(2):
        assert submit(url, w["admin"].slack_user_id, view, values, view_id="V0STAFF1").text == ""
    with db.reading() as s:
        assert s.scalar(select(func.count(Staff.id)).where(Staff.slack_user_id == NEW_USER)) == 1
    assert len([r for r in _audit(db, "add_staff") if r.actor_id == w["admin"].id]) == 1
    assert len(eventually(fake, "chat.postMessage")) == 1


def test_bad_staff_input_is_answered_beside_the_field(db, w, slack) -> None:
    url, fake = slack
    slash(url, w["admin"].slack_user_id, "staff add")
    view = opened_view(fake)
    cases = [
        (_staff_values(role="care_coordinator"), {"team": "a care coordinator must belong to a team"}),
        (_staff_values(role="admin", fte="2"), {"fte": "Input should be less than or equal to 1.5"}),
        (_staff_values(role=None), {"role": "Field required"}),
        (_staff_values(user=w["cc"].slack_user_id, team=w["team"].id),
         {"user": f"Slack user {w['cc'].slack_user_id} is already set up as Cat."}),
    ]
    for n, (values, errors) in enumerate(cases):
        answer = submit(url, w["admin"].slack_user_id, view, values, view_id=f"V0BAD{n}")
        assert answer.json() == {"response_action": "errors", "errors": errors}
    with db.reading() as s:
        assert s.scalar(select(func.count(Staff.id)).where(Staff.slack_user_id == NEW_USER)) == 0


def test_an_admin_changes_someones_role_and_team(db, w, slack) -> None:
    url, fake = slack
    slash(url, w["admin"].slack_user_id, "staff change")
    view = opened_view(fake)
    assert view["callback_id"] == views.STAFF_CHANGE
    values = {"user": _user(w["cc"].slack_user_id), "role": _option("team_leader"),
              "team": _option(str(w["other"].id))}
    assert submit(url, w["admin"].slack_user_id, view, values).text == ""
    with db.reading() as s:
        person = s.get(Staff, w["cc"].id)
        assert (person.role, person.team_id) == (Role.TEAM_LEADER, w["other"].id)
    [row] = _audit(db, "set_role")
    assert row.actor_id == w["admin"].id
    assert row.before == {"role": "care_coordinator", "team_id": w["team"].id}
    assert row.after == {"role": "team_leader", "team_id": w["other"].id}
    [done] = eventually(fake, "chat.postMessage")
    assert done.args["text"] == "Cat is now a team leader in Lewes CMHT."


def test_role_changes_that_cannot_be_made_are_answered_beside_the_field(db, w, slack) -> None:
    url, fake = slack
    slash(url, w["admin"].slack_user_id, "staff role")  # an alias of change
    view = opened_view(fake)
    cases = [
        ({"user": _user("U0NOBODY01"), "role": _option("admin"), "team": _option(None)},
         {"user": "that person is not set up in IPS Assist yet: add them with /ips staff add"}),
        ({"user": _user(w["trainer"].slack_user_id), "role": _option("employment_specialist"),
          "team": _option(None)}, {"team": "a employment specialist must belong to a team"}),
        ({"user": _user(w["admin"].slack_user_id), "role": _option("team_leader"),
          "team": _option(str(w["team"].id))},
         {"user": "You cannot change your own role: ask another admin."}),
        ({"user": _user(w["cc"].slack_user_id), "role": _option(None), "team": _option(None)},
         {"role": "choose the new role"}),
    ]
    for n, (values, errors) in enumerate(cases):
        answer = submit(url, w["admin"].slack_user_id, view, values, view_id=f"V0ROLE{n}")
        assert answer.json() == {"response_action": "errors", "errors": errors}
    assert _audit(db, "set_role") == []


def test_deactivate_switches_access_off_and_reactivate_back_on(db, w, slack) -> None:
    url, fake = slack
    slash(url, w["admin"].slack_user_id, "staff deactivate")
    off = opened_view(fake)
    assert off["callback_id"] == views.STAFF_ACCESS and off["private_metadata"] == "off"
    assert submit(url, w["admin"].slack_user_id, off, {"user": _user(w["es"].slack_user_id)}).text == ""
    with db.reading() as s:
        assert not s.get(Staff, w["es"].id).active
    # Switched off, they can no longer log contacts: `/ips contact` opens nothing,
    answer = slash(url, w["es"].slack_user_id, "contact").json()
    assert answer == {"response_type": "ephemeral",
                      "text": "Your IPS Assist access has been switched off: ask your team leader."}
    # and a contact form they still had open is refused.
    contact = any_contact_modal(date(2026, 1, 5)).to_dict()
    refused = submit(url, w["es"].slack_user_id, contact, {
        "reference": _text(""), "employer": _text("Tesco"),
        "contacted_on": {"value": {"type": "datepicker", "selected_date": "2026-01-05"}},
        "face_to_face": {"value": {"type": "radio_buttons", "selected_option": {"value": "no"}}}},
        view_id="V0CONTACT")
    assert "switched off" in refused.json()["errors"]["employer"]

    slash(url, w["admin"].slack_user_id, "staff reactivate")
    on = eventually(fake, "views.open", 2)[-1].args["view"]
    assert on["private_metadata"] == "on"
    submit(url, w["admin"].slack_user_id, on, {"user": _user(w["es"].slack_user_id)}, view_id="V0ON")
    with db.reading() as s:
        assert s.get(Staff, w["es"].id).active
    [off_row] = _audit(db, "deactivate_staff")
    [on_row] = _audit(db, "reactivate_staff")
    assert off_row.actor_id == on_row.actor_id == w["admin"].id
    assert off_row.after == {"active": False} and on_row.after == {"active": True}
    texts = [c.args["text"] for c in eventually(fake, "chat.postMessage", 2)]
    assert texts == ["Sam <Jones>'s access to IPS Assist is switched off; their records are kept.",
                     "Sam <Jones> can use IPS Assist again."]


def test_an_admin_cannot_switch_off_their_own_access(db, w, slack) -> None:
    url, fake = slack
    slash(url, w["admin"].slack_user_id, "staff deactivate")
    answer = submit(url, w["admin"].slack_user_id, opened_view(fake),
                    {"user": _user(w["admin"].slack_user_id)})
    assert answer.json() == {"response_action": "errors", "errors": {
        "user": "You cannot switch off your own access: ask another admin."}}
    with db.reading() as s:
        assert s.get(Staff, w["admin"].id).active
