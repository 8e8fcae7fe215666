"""When Slack gets its answer: as soon as a listener acknowledges, while the rest of its work
(messages, a form to open) goes on; errors before the acknowledgement still reach Bolt, errors
after it never take the answer back. Driven through Bolt's own dispatch, as a web worker does.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future
from typing import Any
from urllib.parse import urlencode

import pytest
from slack_bolt import Ack, BoltRequest, BoltResponse
from slack_sdk import WebClient

from bot.guard import AckSafeApp
from tests.fakes.slack_api import BOT_TOKEN, FakeSlack

WAIT = 5.0  # seconds: far past Slack's 3, so a listener never gives up before a broken runner


@pytest.fixture
def fake() -> Iterator[FakeSlack]:
    fake = FakeSlack().start()
    yield fake
    fake.stop()


def _app(fake: FakeSlack) -> AckSafeApp:
    return AckSafeApp(client=WebClient(token=BOT_TOKEN, base_url=fake.url),
                      token_verification_enabled=False, request_verification_enabled=False)


def _press(action_id: str) -> BoltRequest:
    payload = {"type": "block_actions", "user": {"id": "U1", "team_id": "T0001"},
               "team": {"id": "T0001"}, "api_app_id": "A0001", "trigger_id": "1.2.3",
               "actions": [{"action_id": action_id, "block_id": "b", "value": "1",
                            "type": "button", "action_ts": "1.3"}]}
    return BoltRequest(body=urlencode({"payload": json.dumps(payload)}),
                       headers={"content-type": ["application/x-www-form-urlencoded"]})


def _event() -> BoltRequest:
    body = {"team_id": "T0001", "api_app_id": "A0001", "type": "event_callback",
            "event_id": "Ev1", "event_time": 1,
            "event": {"type": "app_home_opened", "user": "U1", "tab": "home"}}
    return BoltRequest(body=json.dumps(body), headers={"content-type": ["application/json"]})


def _dispatch_then(app: AckSafeApp, request: BoltRequest,
                   answered: threading.Event) -> BoltResponse:
    response = app.dispatch(request)
    answered.set()
    return response


def test_slack_is_answered_at_the_acknowledgement_while_the_work_after_it_goes_on(fake) -> None:
    app, answered, finished = _app(fake), threading.Event(), threading.Event()
    seen: dict[str, bool] = {}

    @app.action("press")
    def listener(ack: Ack) -> None:
        ack()
        # A sync web worker takes its next request only once this one is answered: the
        # answer must not wait for what follows the acknowledgement.
        seen["answered before the work ended"] = answered.wait(WAIT)
        finished.set()

    response = _dispatch_then(app, _press("press"), answered)
    assert response.status == 200
    assert finished.wait(WAIT)
    assert seen == {"answered before the work ended": True}


def test_an_event_is_answered_at_once_though_its_listener_never_acknowledges(fake) -> None:
    app, answered, finished = _app(fake), threading.Event(), threading.Event()
    seen: list[bool] = []

    @app.event("app_home_opened")
    def home(event: dict[str, Any]) -> None:
        # Shorter than Slack's 3 s, after which the runner would give up waiting and answer.
        seen.append(answered.wait(2.0))
        finished.set()

    assert _dispatch_then(app, _event(), answered).status == 200
    assert finished.wait(WAIT)
    assert seen == [True]


def test_an_error_before_the_acknowledgement_still_reaches_bolt(fake) -> None:
    app = _app(fake)

    @app.action("press")
    def listener(ack: Ack) -> None:
        raise RuntimeError("our own bug, before answering")

    assert app.dispatch(_press("press")).status == 500


def test_an_error_after_the_acknowledgement_keeps_the_answer_and_is_logged(fake, caplog) -> None:
    caplog.set_level(logging.ERROR, logger="bot.guard")
    app, answered, failed = _app(fake), threading.Event(), threading.Event()

    @app.action("press")
    def listener(ack: Ack) -> None:
        ack(text="Saved.")
        answered.wait(WAIT)
        failed.set()
        raise RuntimeError("our own bug, after answering")

    response = _dispatch_then(app, _press("press"), answered)
    assert (response.status, response.body) == (200, "Saved.")
    assert failed.wait(WAIT)
    _wait_for(lambda: "failed after acknowledging" in caplog.text)
    assert "our own bug, after answering" in caplog.text


class _Inline(Executor):
    """Runs each listener to its end before `submit` returns: the listener that raises just
    after acknowledging has always ended by the time the request's thread looks."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        done: Future[Any] = Future()
        try:
            done.set_result(fn(*args, **kwargs))
        except Exception as exc:
            done.set_exception(exc)
        return done


def test_an_error_just_after_the_acknowledgement_keeps_the_answer_however_fast(fake, caplog) -> None:
    caplog.set_level(logging.ERROR, logger="bot.guard")
    app = _app(fake)
    app._listener_threads = _Inline()  # before registering: listeners are bound to it then

    @app.action("press")
    def listener(ack: Ack) -> None:
        ack(text="Saved.")
        raise RuntimeError("our own bug, at once after answering")

    response = app.dispatch(_press("press"))
    assert (response.status, response.body) == (200, "Saved.")
    assert "failed after acknowledging" in caplog.text


def test_a_listener_that_ends_without_acknowledging_is_not_waited_for_longer(fake) -> None:
    """It returns at once (Bolt then says it was not acknowledged), not after Slack's 3 s."""
    app, returned = _app(fake), threading.Event()

    @app.action("press")
    def listener(ack: Ack) -> None:
        returned.set()

    response = app.dispatch(_press("press"))
    assert returned.is_set() and response.status == 404


def _wait_for(condition: Callable[[], bool]) -> None:
    done = threading.Event()
    for _ in range(int(WAIT / 0.02)):
        if condition():
            return
        done.wait(0.02)
    raise AssertionError("not within the wait")
