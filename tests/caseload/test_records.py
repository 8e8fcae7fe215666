"""Teams, staff, better-off calculation records and "just ask" answers."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from caseload import clock, staff, teams
from caseload.calculations import (
    CalculationRecord,
    inputs_digest,
    list_calculations,
    outcome_for,
    record_calculation,
    record_for_reference,
    saved_household,
)
from caseload.db import Database
from caseload.errors import Conflict, InvalidInput, NotAllowed, UnknownUser
from caseload.just_ask import JustAskAnswer, record_just_ask, week_starting
from caseload.models import BetterOffCalculation, BetterOffOutcome, JustAskResponse, Role, Staff
from caseload.validation import parse
from tests.factories import make_staff, make_team, refer


def test_team_names_are_unique(db: Database) -> None:
    with db.transaction() as s:
        make_team(s, "Brighton")
    with pytest.raises(Conflict, match="already exists"), db.transaction() as s:
        make_team(s, "Brighton")


def test_the_household_is_kept_only_with_a_client_and_the_latest_is_offered(db, calc_world) -> None:
    w = calc_world
    first, second = {"age": "30", "hours_per_week": "16"}, {"age": "31", "hours_per_week": "20"}
    with db.transaction() as s:
        advisor = s.merge(w["advisor"])
        unsaved = record_calculation(s, advisor, _record(household=first))
        record_for_reference(s, advisor, "calc-1", "2026-27", {"x": 1}, Decimal("5"), first)
        record_for_reference(s, advisor, "CALC-1", "2026-27", {"x": 2}, Decimal("6"), second)
        record_for_reference(s, advisor, "CALC-1", "2026-27", {"x": 3}, Decimal("7"))
    with db.reading() as s:
        assert s.get(BetterOffCalculation, unsaved.id).household is None
        household, _ = saved_household(s, s.merge(w["advisor"]), "calc-1")
        assert household == second  # the last one saved with answers, not the bare one after
        with pytest.raises(InvalidInput, match="no client CALC-1 in your team"):
            saved_household(s, s.merge(w["other_advisor"]), "CALC-1")
        with pytest.raises(NotAllowed, match="Only these roles"):
            saved_household(s, s.merge(w["cc"]), "CALC-1")


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"name": "X"}, "name"),
        ({"name": "Hove", "nation": "FRA"}, "nation"),
        ({"name": "Hove", "job_start_target_per_month": -1}, "job_start_target_per_month"),
        ({"name": "Hove", "slack_channel_id": "#general"}, "slack_channel_id"),
    ],
)
def test_bad_team_input_names_the_field(data, field) -> None:
    with pytest.raises(InvalidInput) as err:
        parse(teams.NewTeam, data)
    assert err.value.errors[0].field == field


def test_staff_are_added_found_by_slack_id_and_role_changed(db: Database) -> None:
    with db.transaction() as s:
        team = make_team(s, "Lewes")
        person = make_staff(s, Role.CARE_COORDINATOR, team, name="Sam")
    with db.transaction() as s:
        found = staff.staff_by_slack_id(s, person.slack_user_id)
        staff.set_role(s, found, Role.TEAM_LEADER, actor=None)
    with db.reading() as s:
        assert s.get(Staff, person.id).role == Role.TEAM_LEADER
        with pytest.raises(UnknownUser, match="ask your team leader to add you"):
            staff.staff_by_slack_id(s, "UNOBODY01")


def test_a_clinical_role_needs_a_team_and_slack_ids_are_unique(db: Database) -> None:
    with pytest.raises(InvalidInput, match="must belong to a team"):
        parse(staff.NewStaff, {"slack_user_id": "U0123456", "display_name": "A",
                               "role": "employment_specialist"})
    with pytest.raises(InvalidInput) as err:
        parse(staff.NewStaff, {"slack_user_id": "bob", "display_name": "A", "role": "admin"})
    assert err.value.errors[0].field == "slack_user_id"
    with pytest.raises(InvalidInput) as err:
        parse(staff.NewStaff, {"slack_user_id": "U0123456", "display_name": "A", "role": "admin",
                               "fte": "2"})
    assert err.value.errors[0].field == "fte"
    with db.transaction() as s:
        staff.add_staff(s, parse(staff.NewStaff, {"slack_user_id": "U0123456",
                                                  "display_name": "A", "role": "admin"}),
                        actor=None)
    with pytest.raises(Conflict, match="already set up"), db.transaction() as s:
        staff.add_staff(s, parse(staff.NewStaff, {"slack_user_id": "U0123456",
                                                  "display_name": "B", "role": "admin"}),
                        actor=None)


def test_set_role_to_a_teamed_role_without_a_team_is_refused(db: Database) -> None:
    with db.transaction() as s:
        trainer = make_staff(s, Role.REGIONAL_TRAINER, None)
    with pytest.raises(InvalidInput, match="must belong to a team"), db.transaction() as s:
        staff.set_role(s, s.merge(trainer), Role.EMPLOYMENT_SPECIALIST, actor=None)
    with db.reading() as s:
        assert s.get(Staff, trainer.id).role == Role.REGIONAL_TRAINER


@pytest.mark.parametrize(
    ("amount", "outcome"),
    [("41.20", BetterOffOutcome.BETTER_OFF), ("0.00", BetterOffOutcome.NO_CHANGE),
     ("-0.01", BetterOffOutcome.WORSE_OFF), ("0.01", BetterOffOutcome.BETTER_OFF)],
)
def test_outcome_of_a_calculation(amount: str, outcome: BetterOffOutcome) -> None:
    assert outcome_for(Decimal(amount)) == outcome


def test_digest_ignores_key_order_and_changes_with_values() -> None:
    assert inputs_digest({"a": 1, "b": 2}) == inputs_digest({"b": 2, "a": 1})
    assert inputs_digest({"a": 1}) != inputs_digest({"a": 2})


@pytest.fixture
def calc_world(db: Database):
    with db.transaction() as s:
        team, other = make_team(s, "Crawley"), make_team(s, "Worthing")
        w = {
            "team": team, "other": other,
            "advisor": make_staff(s, Role.BENEFITS_ADVISOR, team),
            "other_advisor": make_staff(s, Role.BENEFITS_ADVISOR, other),
            "cc": make_staff(s, Role.CARE_COORDINATOR, team),
            "trainer": make_staff(s, Role.REGIONAL_TRAINER, None),
        }
        w["client"] = refer(s, w["cc"], team, "CALC-1")
    return w


def _record(client_id=None, amount="52.10", household=None):
    return parse(CalculationRecord, {"tax_year": "2026-27", "inputs_digest": inputs_digest({"x": 1}),
                                     "better_off_per_month": amount, "client_id": client_id,
                                     "household": household})


def test_advisor_saves_against_a_client_of_their_team_only(db, calc_world) -> None:
    w = calc_world
    with db.transaction() as s:
        row = record_calculation(s, s.merge(w["advisor"]), _record(w["client"].id))
    assert row.team_id == w["team"].id and row.outcome == BetterOffOutcome.BETTER_OFF
    with pytest.raises(NotAllowed, match="clients of your team"), db.transaction() as s:
        record_calculation(s, s.merge(w["other_advisor"]), _record(w["client"].id))
    with pytest.raises(NotAllowed, match="Only these roles"), db.transaction() as s:
        record_calculation(s, s.merge(w["cc"]), _record())
    with db.reading() as s:
        assert s.scalar(select(func.count(BetterOffCalculation.id))) == 1


def test_calculation_records_are_seen_by_team(db, calc_world) -> None:
    w = calc_world
    with db.transaction() as s:
        record_calculation(s, s.merge(w["advisor"]), _record())
        record_calculation(s, s.merge(w["other_advisor"]), _record(amount="-3.00"))
    with db.reading() as s:
        assert len(list_calculations(s, s.merge(w["advisor"]))) == 1
        assert len(list_calculations(s, s.merge(w["trainer"]))) == 2


@pytest.mark.parametrize(
    ("data", "field"),
    [({"tax_year": "2026", "inputs_digest": "0" * 64, "better_off_per_month": "1"}, "tax_year"),
     ({"tax_year": "2026-27", "inputs_digest": "xyz", "better_off_per_month": "1"},
      "inputs_digest"),
     ({"tax_year": "2026-27", "inputs_digest": "0" * 64, "better_off_per_month": "1.234"},
      "better_off_per_month"),
     ({"tax_year": "2026-27", "inputs_digest": "0" * 64, "better_off_per_month": "1",
       "household": {"notes": "x" * 61}}, "household.notes"),
     ({"tax_year": "2026-27", "inputs_digest": "0" * 64, "better_off_per_month": "1",
       "household": {"Client Name": "Jane"}}, "household.Client Name.[key]")],
)
def test_bad_calculation_records_name_the_field(data, field) -> None:
    with pytest.raises(InvalidInput) as err:
        parse(CalculationRecord, data)
    assert err.value.errors[0].field == field


def test_just_ask_answer_is_one_row_per_person_per_week(db: Database) -> None:
    with db.transaction() as s:
        cc = make_staff(s, Role.CARE_COORDINATOR, make_team(s, "Hastings"))
    with db.transaction() as s:
        record_just_ask(s, s.merge(cc), parse(JustAskAnswer, {"asked_count": 5,
                                                               "said_yes_count": 2}))
    with db.transaction() as s:
        record_just_ask(s, s.merge(cc), parse(JustAskAnswer, {"asked_count": 6, "said_yes_count": 2,
                                                               "referred_count": 1}))
    with db.reading() as s:
        rows = list(s.scalars(select(JustAskResponse)))
    assert len(rows) == 1
    assert (rows[0].asked_count, rows[0].said_yes_count, rows[0].referred_count) == (6, 2, 1)
    assert rows[0].week_starting == week_starting(clock.today())
    assert rows[0].week_starting.weekday() == 0


def test_just_ask_counts_must_be_consistent() -> None:
    with pytest.raises(InvalidInput, match="said_yes_count cannot be more than asked_count"):
        parse(JustAskAnswer, {"asked_count": 1, "said_yes_count": 2})
    with pytest.raises(InvalidInput, match="referred_count cannot be more"):
        parse(JustAskAnswer, {"asked_count": 3, "said_yes_count": 1, "referred_count": 2})
    with pytest.raises(InvalidInput) as err:
        parse(JustAskAnswer, {"asked_count": -1})
    assert err.value.errors[0].field == "asked_count"


def test_just_ask_for_a_week_not_yet_started_is_refused(db: Database) -> None:
    with db.transaction() as s:
        cc = make_staff(s, Role.CARE_COORDINATOR, make_team(s, "Rye"))
    next_week = clock.today() + timedelta(days=8)
    with pytest.raises(InvalidInput) as err, db.transaction() as s:
        record_just_ask(s, s.merge(cc), parse(JustAskAnswer, {"asked_count": 1,
                                                               "week_of": next_week}))
    assert err.value.errors[0].field == "week_of"
