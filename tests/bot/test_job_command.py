"""`/ips job` and `/ips job end`: record a job start or end from a modal, as Slack drives it."""

from __future__ import annotations

import time
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from bot.views.jobs import ClientChoice, job_start_modal
from caseload import clients, clock
from caseload.db import Database
from caseload.jobs import NewJobStart, record_job_start
from caseload.models import AuditLog, Client, ClientStatus, Job, JobEndReason, Role
from caseload.validation import parse
from caseload.working_days import add_working_days
from tests.bot.driver import eventually, opened_view, slash, submit
from tests.factories import make_staff, make_team, refer

TODAY = clock.today()


@pytest.fixture
def w(db: Database):
    with db.transaction() as s:
        team = make_team(s, "Lewes")
        w = {"leader": make_staff(s, Role.TEAM_LEADER, team),
             "cc": make_staff(s, Role.CARE_COORDINATOR, team),
             "es": make_staff(s, Role.EMPLOYMENT_SPECIALIST, team, name="Tom"),
             "es2": make_staff(s, Role.EMPLOYMENT_SPECIALIST, team)}
        c = refer(s, w["cc"], team, "LW-1", received_on=TODAY - timedelta(days=30))
        clients.accept(s, w["leader"], c, on=TODAY - timedelta(days=29), specialist_id=w["es"].id)
        clients.start_job_search(s, w["es"], c, on=TODAY - timedelta(days=28))
        refer(s, w["cc"], team, "LW-2", specialist_id=w["es"].id)  # not accepted yet
        other = refer(s, w["cc"], team, "LW-3", received_on=TODAY - timedelta(days=5))
        clients.accept(s, w["leader"], other, on=TODAY - timedelta(days=4),
                       specialist_id=w["es2"].id)
        w["client"], w["other"] = c, other
    return w


def _text(value: str) -> dict:
    return {"value": {"type": "plain_text_input", "value": value}}


def _option(kind: str, value: str) -> dict:
    return {"value": {"type": kind, "selected_option": {"value": value}}}


def _start_values(client_id: int, hours: str = "16", wage: str = "12.71",
                  started_on: date = TODAY) -> dict:
    return {"client": _option("static_select", str(client_id)),
            "employer": _text("Costa Lewes"), "job_title": _text("Barista"),
            "job_type": _option("static_select", "sales_customer_service"),
            "started_on": {"value": {"type": "datepicker", "selected_date": started_on.isoformat()}},
            "hours_per_week": {"value": {"type": "number_input", "value": hours}},
            "hourly_wage": {"value": {"type": "number_input", "value": wage}},
            "age_band": _option("radio_buttons", "21_and_over"),
            "open_to_anyone": _option("radio_buttons", "yes")}


def _jobs(db: Database) -> list[Job]:
    with db.reading() as s:
        return list(s.scalars(select(Job).order_by(Job.id)))


def _status(db: Database, client_id: int) -> ClientStatus:
    with db.reading() as s:
        return s.get(Client, client_id).status


def _start_job(db: Database, w: dict, started_on: date) -> int:
    with db.transaction() as s:
        job = record_job_start(s, s.merge(w["es"]), parse(NewJobStart, {
            "client_id": w["client"].id, "employer": "Boots", "job_title": "Stock assistant",
            "job_type": "elementary", "hours_per_week": "20", "hourly_wage": "13.00",
            "started_on": started_on}))
        return job.id


def test_job_start_from_the_picker_counts_as_a_competitive_outcome_and_writes_once(
        db, w, slack) -> None:
    url, fake = slack
    es = w["es"].slack_user_id
    assert slash(url, es, "job").text == ""
    view = opened_view(fake)
    assert view["callback_id"] == "job_start_modal"
    picker = next(b for b in view["blocks"] if b.get("block_id") == "client")
    # Only this specialist's clients who can start a job: not a referral still waiting.
    assert [o["text"]["text"] for o in picker["element"]["options"]] == [
        "LW-1 (looking for work)"]
    for _ in range(3):  # a double click and a retry: one job start
        assert submit(url, es, view, _start_values(w["client"].id)).text == ""
    [job] = _jobs(db)
    assert (job.employer, job.job_title, job.is_competitive) == ("Costa Lewes", "Barista", True)
    assert _status(db, w["client"].id) == ClientStatus.IN_WORK
    eventually(fake, "chat.postMessage")
    time.sleep(0.2)  # any duplicate confirmation would have arrived by now
    [done] = fake.messages_to(es)
    assert done.args["text"] == ("Job start recorded for LW-1. It counts as a competitive "
                                 "employment outcome.")
    assert "16 hours a week at £12.71 an hour" in done.args["blocks"][0]["text"]["text"]


def test_a_start_below_the_minimum_wage_is_recorded_and_the_reason_explained(
        db, w, slack) -> None:
    url, fake = slack
    es = w["es"].slack_user_id
    slash(url, es, "job")
    assert submit(url, es, opened_view(fake), _start_values(w["client"].id, wage="11")).text == ""
    [job] = _jobs(db)
    assert not job.is_competitive
    [done] = eventually(fake, "chat.postMessage")
    assert done.args["text"] == ("Job start recorded for LW-1, but it does not count as a "
                                 "competitive outcome.")
    explained = done.args["blocks"][0]["text"]["text"]
    assert "*not as a competitive outcome*" in explained
    assert (f"£11.00 an hour is below the minimum wage of £12.71 for the 21 and over age band "
            f"on {TODAY.isoformat()}") in explained


def test_120_hours_a_week_is_refused_beside_the_hours_and_nothing_is_written(
        db, w, slack) -> None:
    url, fake = slack
    es = w["es"].slack_user_id
    slash(url, es, "job")
    answer = submit(url, es, opened_view(fake), _start_values(w["client"].id, hours="120"))
    assert answer.json() == {"response_action": "errors",
                             "errors": {"hours_per_week": "Input should be less than or equal "
                                                          "to 100"}}
    assert _jobs(db) == []
    assert _status(db, w["client"].id) == ClientStatus.JOB_SEEKING
    assert fake.successful("chat.postMessage") == []


def test_a_start_before_the_referral_is_refused_beside_the_date(db, w, slack) -> None:
    url, fake = slack
    es = w["es"].slack_user_id
    slash(url, es, "job")
    early = TODAY - timedelta(days=60)
    answer = submit(url, es, opened_view(fake), _start_values(w["client"].id, started_on=early))
    assert list(answer.json()["errors"]) == ["started_on"]
    assert _jobs(db) == []


def test_a_failed_submission_can_be_corrected_in_the_same_modal(db, w, slack) -> None:
    url, fake = slack
    es = w["es"].slack_user_id
    slash(url, es, "job")
    view = opened_view(fake)
    submit(url, es, view, _start_values(w["client"].id, hours="120"))
    # Same view id: the refused attempt did not use up the once-only key.
    assert submit(url, es, view, _start_values(w["client"].id, hours="12")).text == ""
    assert [j.hours_per_week for j in _jobs(db)] == [12]


def test_a_care_coordinator_is_refused_privately_and_no_modal_opens(db, w, slack) -> None:
    url, fake = slack
    body = slash(url, w["cc"].slack_user_id, "job").json()
    assert body["response_type"] == "ephemeral"
    assert body["text"] == ("Only these roles can record job starts: employment specialist, "
                            "team leader, admin, regional trainer.")
    assert fake.successful("views.open") == []
    body = slash(url, w["cc"].slack_user_id, "job end LW-1").json()
    assert body["text"].startswith("Only these roles can record job ends")


def test_job_with_a_reference_picks_that_client(db, w, slack) -> None:
    url, fake = slack
    slash(url, w["es"].slack_user_id, "job lw-1")
    picker = next(b for b in opened_view(fake)["blocks"] if b.get("block_id") == "client")
    assert picker["element"]["initial_option"]["value"] == str(w["client"].id)


def test_a_named_client_who_cannot_start_a_job_yet_is_told_why_on_submit(db, w, slack) -> None:
    url, fake = slack
    es = w["es"].slack_user_id
    slash(url, es, "job start LW-2")
    view = opened_view(fake)
    picker = next(b for b in view["blocks"] if b.get("block_id") == "client")
    waiting = picker["element"]["initial_option"]["value"]
    answer = submit(url, es, view, _start_values(int(waiting)))
    assert answer.json()["errors"] == {
        "client": "LW-2 is referred; a job start is recorded for a client accepted onto the "
                  "caseload."}
    assert _jobs(db) == []


def test_someone_elses_client_is_refused_privately(db, w, slack) -> None:
    url, fake = slack
    body = slash(url, w["es"].slack_user_id, "job LW-3").json()
    assert body == {"response_type": "ephemeral",
                    "text": "You can only see clients on your caseload; LW-3 is not on it."}
    assert fake.successful("views.open") == []


def test_a_specialist_with_nobody_ready_is_told_so(db, w, slack) -> None:
    url, fake = slack
    with db.transaction() as s:
        lonely = make_staff(s, Role.EMPLOYMENT_SPECIALIST, s.get(Client, w["client"].id).team)
    body = slash(url, lonely.slack_user_id, "job").json()
    assert body["text"].startswith("None of your clients can have a job start recorded yet")
    assert fake.successful("views.open") == []


def test_job_end_records_the_end_and_the_client_looks_for_work_again(db, w, slack) -> None:
    url, fake = slack
    es = w["es"].slack_user_id
    _start_job(db, w, TODAY - timedelta(days=20))
    slash(url, es, "job end")
    view = opened_view(fake)
    assert view["callback_id"] == "job_end_modal"
    picker = next(b for b in view["blocks"] if b.get("block_id") == "job")
    [option] = picker["element"]["options"]
    assert option["text"]["text"].startswith("LW-1: Stock assistant at Boots, from ")
    values = {"job": {"value": {"type": "static_select", "selected_option": option}},
              "ended_on": {"value": {"type": "datepicker", "selected_date": TODAY.isoformat()}},
              "reason": _option("radio_buttons", "contract_ended"),
              "details": _text("Six-month fixed term")}
    for _ in range(2):
        assert submit(url, es, view, values).text == ""
    [job] = _jobs(db)
    assert (job.ended_on, job.end_reason_code, job.end_reason) == (
        TODAY, JobEndReason.CONTRACT_ENDED, "Six-month fixed term")
    assert _status(db, w["client"].id) == ClientStatus.JOB_SEEKING
    with db.reading() as s:
        ends = s.scalar(select(func.count(AuditLog.id)).where(AuditLog.action == "job_end"))
    assert ends == 1
    [done] = eventually(fake, "chat.postMessage")
    follow_up = add_working_days(TODAY, 3)
    assert (f"(contract ended), after 2 weeks. LW-1 is looking for work again. Follow up with "
            f"LW-1 by {follow_up:%A %-d %B}: log it as in-work support with the person."
            ) in done.args["text"]


def test_a_job_end_needs_a_reason_from_the_list_and_words_for_other(db, w, slack) -> None:
    url, fake = slack
    es = w["es"].slack_user_id
    job_id = _start_job(db, w, TODAY - timedelta(days=10))
    slash(url, es, "job end LW-1")
    view = opened_view(fake)
    reasons = next(b for b in view["blocks"] if b.get("block_id") == "reason")
    assert [o["text"]["text"] for o in reasons["element"]["options"]] == [
        "Resigned", "Dismissed", "Contract ended", "Moved to a better job", "Other"]
    base = {"job": _option("static_select", str(job_id)),
            "ended_on": {"value": {"type": "datepicker", "selected_date": TODAY.isoformat()}}}
    answer = submit(url, es, view, {**base, "reason": _option("radio_buttons", "other")})
    assert answer.json()["errors"] == {
        "details": "say in a few words why the job ended, as the reason is 'other'"}
    answer = submit(url, es, view, base)
    assert list(answer.json()["errors"]) == ["reason"]
    [job] = _jobs(db)
    assert job.ended_on is None


def test_an_end_before_the_start_is_refused_beside_the_date_and_nothing_changes(
        db, w, slack) -> None:
    url, fake = slack
    es = w["es"].slack_user_id
    started = TODAY - timedelta(days=10)
    job_id = _start_job(db, w, started)
    slash(url, es, "job end LW-1")
    view = opened_view(fake)
    values = {"job": _option("static_select", str(job_id)),
              "ended_on": {"value": {"type": "datepicker",
                                     "selected_date": (started - timedelta(days=3)).isoformat()}},
              "reason": _option("radio_buttons", "resigned")}
    answer = submit(url, es, view, values)
    assert answer.json() == {"response_action": "errors", "errors": {
        "ended_on": f"is before the job started ({started.isoformat()})"}}
    [job] = _jobs(db)
    assert job.ended_on is None
    assert _status(db, w["client"].id) == ClientStatus.IN_WORK


def test_job_end_with_no_job_to_end_says_so(db, w, slack) -> None:
    url, fake = slack
    body = slash(url, w["es"].slack_user_id, "job end").json()
    assert body["text"] == "None of your clients has an open job to record the end of."
    body = slash(url, w["es"].slack_user_id, "job end LW-1").json()
    assert body["text"] == "LW-1 has no open job to record the end of."
    assert fake.successful("views.open") == []


def test_past_a_hundred_clients_the_modal_asks_for_the_reference(db, w, slack) -> None:
    url, _fake = slack
    choices = [ClientChoice(i, f"X-{i:03d}", "looking for work") for i in range(101)]
    view = job_start_modal(choices, TODAY).to_dict()
    assert view["blocks"][0]["block_id"] == "reference"
    assert all(b.get("block_id") != "client" for b in view["blocks"])
    values = _start_values(0)
    del values["client"]
    values["reference"] = _text("lw-1")
    es = w["es"].slack_user_id
    assert submit(url, es, view, values).text == ""
    [job] = _jobs(db)
    assert job.client_id == w["client"].id
    answer = submit(url, es, view, {**values, "reference": _text("LW-3")}, view_id="V0002")
    assert answer.json()["errors"] == {
        "reference": "You can only see clients on your caseload; LW-3 is not on it."}
