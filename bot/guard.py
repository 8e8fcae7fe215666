"""A Slack failure after the acknowledgement must not cost the acknowledgement.

Bolt runs a listener in a worker thread and waits for its `ack()`. If the listener then
raises, Bolt clears the acknowledgement it already had, and Slack gets "unhandled request"
(404) three seconds later: the person sees an error although their record was stored. So
every listener is registered through `never_lose_ack`, which catches Slack's errors (an
expired trigger, a channel it cannot post to, a 5xx after slack_sdk's retry, a network
failure), logs them with ids only, makes sure Slack was acknowledged, and tells the person
privately where it can. Errors of our own still raise, as before.
"""

from __future__ import annotations

import inspect
import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import App
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


class AckSafeApp(App):
    """Bolt's App with every listener registered through `never_lose_ack`."""

    def _guard(self, register: Callable[..., Any]) -> Callable[..., Any]:
        def guarded_register(*functions: Listener, ack: Listener | None = None,
                             **lazy: Any) -> Any:
            # Lazy listeners run after the response has gone, so only the acknowledging
            # function can cost an acknowledgement.
            if ack is not None:
                return register(*functions, ack=never_lose_ack(ack), **lazy)
            return register(*[never_lose_ack(f) for f in functions], **lazy)

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
