"""How every listener runs: acknowledged as soon as it calls `ack()`, and a Slack failure after
the acknowledgement never costs it.

Bolt can run a listener in a worker thread and wait for its `ack()`, but it waits by polling
every 10 ms, so each acknowledgement sat up to 10 ms after it was ready, and a sync web worker
could take no other request meanwhile (at 20 busy users that was a third of a worker's time a
request). So the app runs its listeners itself (`process_before_response=True` tells Bolt to
call them in the request's thread): `run_until_acknowledged` starts the listener on the app's
executor and wakes the moment it acknowledges or ends (`AckSignal`), answering Slack at once
while the rest of the listener (its messages, a form to open) goes on in the background.

If a listener raises after the acknowledgement, Bolt would have cleared the acknowledgement it
already had, and Slack got "unhandled request" (404) three seconds later: the person saw an
error although their record was stored. So every listener is also wrapped in `never_lose_ack`,
which catches Slack's errors (an expired trigger, a channel it cannot post to, a 5xx after
slack_sdk's retry, a network failure), logs them with ids only, makes sure Slack was
acknowledged, and tells the person privately where it can. Errors of our own before the
acknowledgement still reach Bolt (a 500, as before); after it they are logged.
"""

from __future__ import annotations

import inspect
import logging
import threading
from collections.abc import Callable
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from typing import Any

from slack_bolt import Ack, App
from slack_bolt.context import BoltContext
from slack_bolt.kwargs_injection.args import Args
from slack_sdk.errors import SlackApiError, SlackClientError

log = logging.getLogger("bot.guard")

SLACK_FAILURES = (SlackApiError, SlackClientError, OSError)
FORM_DID_NOT_OPEN = "Slack took too long to open the form, so it did not open. Please try again."
MESSAGE_MISSING = ("Slack did not take one of my messages just now, so something may be missing "
                   "here. Anything you saved is kept.")

Listener = Callable[..., Any]


def slack_error_code(exc: BaseException) -> str:
    """Slack's error code (`channel_not_found`), or the kind of failure: never message text."""
    if isinstance(exc, SlackApiError):
        return str(exc.response.get("error") or f"http_{exc.response.status_code}")
    return type(exc).__name__


def _ids(body: dict[str, Any]) -> str:
    """What identifies the request in a log line: ids Slack made, never anything typed."""
    user = body.get("user_id") or (body.get("user") or {}).get("id") or (
        body.get("event") or {}).get("user")
    what = (body.get("command") or (body.get("view") or {}).get("callback_id")
            or body.get("callback_id") or next(
                (a.get("action_id") for a in body.get("actions") or []), None)
            or (body.get("event") or {}).get("type") or body.get("type"))
    return f"user {user}, {what}"


def tell_privately_if_possible(args: Args, text: str) -> None:
    """Tell the person who asked, in the channel they asked from (else their DM); a second
    failure is only logged."""
    body = args.body or {}
    user = body.get("user_id") or (body.get("user") or {}).get("id")
    if not user or args.client is None:
        return
    channel = body.get("channel_id") or (body.get("channel") or {}).get("id")
    try:
        if channel:
            args.client.chat_postEphemeral(channel=channel, user=user, text=text)
        else:
            args.client.chat_postMessage(channel=user, text=text)
    except SLACK_FAILURES as exc:
        log.warning("could not tell %s privately either: %s", user, slack_error_code(exc))


def never_lose_ack(listener: Listener) -> Listener:
    """`listener`, taking the same arguments from Bolt, with Slack failures handled as above."""
    names = list(inspect.signature(listener).parameters)
    name = str(getattr(listener, "__name__", None) or getattr(
        getattr(listener, "func", None), "__name__", "listener"))

    def guarded(args: Args) -> Any:
        try:
            return listener(**{n: getattr(args, n) if hasattr(args, n) else args.context.get(n)
                               for n in names})
        except SLACK_FAILURES as exc:
            code = slack_error_code(exc)
            log.warning("%s: Slack call failed (%s) for %s", name, code, _ids(args.body or {}))
            if args.ack is not None and args.ack.response is None:
                args.ack()
            tell_privately_if_possible(args, FORM_DID_NOT_OPEN if "trigger" in code
                                       else MESSAGE_MISSING)
            return None

    guarded.__name__ = name
    return guarded


# Slack waits 3 seconds for an acknowledgement; past that, answering is pointless.
ACK_TIMEOUT_SECONDS = 3.0
# Listener threads a process keeps. A sync worker answers one request at a time, but the work
# after each acknowledgement (a request's messages, each Slack call taking 100 ms or more) goes
# on while it answers the next: at 20 busy users with Slack answering in 100 ms, 8 threads were
# all busy and requests queued for one (bench/bot.py --slack-latency 100, docs/benchmarks.md).
LISTENER_THREADS = 24


class AckSignal(Ack):
    """Bolt's `ack`, which also wakes the request's thread the moment it is called."""

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]  # Bolt leaves it unannotated
        self.given = threading.Event()

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        try:
            return super().__call__(*args, **kwargs)
        finally:
            self.given.set()

    def __deepcopy__(self, memo: dict[int, Any]) -> AckSignal:
        # Bolt copies the request for a lazy listener; an Event cannot be copied, and the
        # copy's acknowledgement is never waited for.
        copy = AckSignal()
        copy.response = self.response
        return copy


def _install_ack_signal(context: BoltContext, next: Callable[[], Any]) -> Any:
    """Middleware: every request's `ack` is an `AckSignal` (Bolt makes its own on first use)."""
    context["ack"] = AckSignal()
    return next()


def run_until_acknowledged(executor: Executor, listener: Listener) -> Listener:
    """`listener`, started on `executor`; returns to Bolt once it has acknowledged (what it
    returned, if it has ended) and lets it finish in the background."""

    def start(args: Args) -> Any:
        signal = args.ack
        if not isinstance(signal, AckSignal):  # a request the middleware did not see
            return listener(args)
        if (args.body or {}).get("type") == "event_callback":
            signal()  # Events API: acknowledged at once, as Bolt does, whatever the work
        running = executor.submit(listener, args)
        running.add_done_callback(lambda _: signal.given.set())
        signal.given.wait(ACK_TIMEOUT_SECONDS)
        # An error before the acknowledgement reaches Bolt (a 500); one after it, even if the
        # listener has already ended, must not take back the answer Slack is owed.
        if running.done() and (signal.response is None or running.exception() is None):
            return running.result()
        running.add_done_callback(_log_failure_after_ack)
        return None

    start.__name__ = getattr(listener, "__name__", "listener")
    return start


def _log_failure_after_ack(finished: Future[Any]) -> None:
    error = finished.exception()
    if error is not None:
        log.error("a listener failed after acknowledging", exc_info=error)


class AckSafeApp(App):
    """Bolt's App that runs its listeners itself (`run_until_acknowledged`), each registered
    through `never_lose_ack`."""

    def __init__(self, **kwargs: Any) -> None:
        self._listener_threads: Executor = ThreadPoolExecutor(LISTENER_THREADS,
                                                    thread_name_prefix="listener")
        super().__init__(process_before_response=True,
                         listener_executor=self._listener_threads, **kwargs)
        self.use(_install_ack_signal)

    def _guard(self, register: Callable[..., Any]) -> Callable[..., Any]:
        def run(listener: Listener) -> Listener:
            return run_until_acknowledged(self._listener_threads, never_lose_ack(listener))

        def guarded_register(*functions: Listener, ack: Listener | None = None,
                             **lazy: Any) -> Any:
            # Lazy listeners run after the response has gone, so only the acknowledging
            # function can cost an acknowledgement.
            if ack is not None:
                return register(*functions, ack=run(ack), **lazy)
            return register(*[run(f) for f in functions], **lazy)

        return guarded_register

    def command(self, *a: Any, **kw: Any) -> Callable[..., Any]:
        return self._guard(super().command(*a, **kw))

    def action(self, *a: Any, **kw: Any) -> Callable[..., Any]:
        return self._guard(super().action(*a, **kw))

    def view(self, *a: Any, **kw: Any) -> Callable[..., Any]:
        return self._guard(super().view(*a, **kw))

    def shortcut(self, *a: Any, **kw: Any) -> Callable[..., Any]:
        return self._guard(super().shortcut(*a, **kw))

    def event(self, *a: Any, **kw: Any) -> Callable[..., Any]:
        return self._guard(super().event(*a, **kw))

    def options(self, *a: Any, **kw: Any) -> Callable[..., Any]:
        return self._guard(super().options(*a, **kw))
