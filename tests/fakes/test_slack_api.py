"""The fake Slack Web API answers like Slack and refuses what Slack refuses."""

from __future__ import annotations

import pytest
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from tests.fakes.slack_api import BOT_TOKEN, FakeSlack


@pytest.fixture
def fake():  # type: ignore[no-untyped-def]
    server = FakeSlack().start()
    yield server
    server.stop()


@pytest.fixture
def client(fake: FakeSlack) -> WebClient:
    return WebClient(token=BOT_TOKEN, base_url=fake.url)


def test_messages_are_recorded(client: WebClient, fake: FakeSlack) -> None:
    dm = client.conversations_open(users="U0123ABCD")["channel"]["id"]
    client.chat_postMessage(channel=dm, text="hello", blocks=[
        {"type": "section", "text": {"type": "mrkdwn", "text": "hello"}}])
    [call] = fake.messages_to(dm)
    assert call.args["blocks"][0]["text"]["text"] == "hello"


def _refused(call, error: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(SlackApiError) as err:
        call()
    assert err.value.response["error"] == error


def test_what_slack_refuses(client: WebClient, fake: FakeSlack) -> None:
    _refused(lambda: client.api_call("chat.postMessageX"), "unknown_method")
    _refused(lambda: client.chat_postMessage(channel="C1"), "no_text")
    _refused(lambda: client.chat_postMessage(channel="", text="hi"), "missing_argument")
    _refused(lambda: WebClient(token="xoxb-wrong", base_url=fake.url).auth_test(),
             "invalid_auth")
    too_many = [{"type": "divider"}] * 51
    _refused(lambda: client.chat_postMessage(channel="C1", text="x", blocks=too_many),
             "invalid_blocks")
    _refused(lambda: client.chat_postMessage(channel="C1", text="x",
                                             blocks=[{"type": "marquee"}]), "invalid_blocks")
    long_section = [{"type": "section", "text": {"type": "mrkdwn", "text": "x" * 3001}}]
    _refused(lambda: client.chat_postMessage(channel="C1", text="x", blocks=long_section),
             "invalid_blocks")
    _refused(lambda: client.views_publish(user_id="U1", view={
        "type": "home", "blocks": [{"type": "divider"}] * 101}), "invalid_blocks")
    _refused(lambda: client.views_open(trigger_id="t", view={
        "type": "modal", "title": {"type": "plain_text", "text": "x" * 25}, "blocks": []}),
        "invalid_arguments")
    _refused(lambda: client.views_open(trigger_id="t", view={
        "type": "modal", "title": {"type": "plain_text", "text": "ok"}, "blocks": [],
        "private_metadata": "x" * 3001}), "invalid_arguments")
    assert not any(c.ok for c in fake.calls)


def test_rate_limit_and_server_errors_then_recovery(client: WebClient, fake: FakeSlack) -> None:
    fake.fail_next(1, status=429, retry_after=3)
    with pytest.raises(SlackApiError) as err:
        client.chat_postMessage(channel="C1", text="hi")
    assert err.value.response.status_code == 429
    assert err.value.response.headers["Retry-After"] == "3"
    fake.fail_next(1, status=500)
    with pytest.raises(SlackApiError):
        client.chat_postMessage(channel="C1", text="hi")
    client.chat_postMessage(channel="C1", text="hi")
    assert len(fake.messages_to("C1")) == 1


def test_file_upload_v2_round_trip(client: WebClient, fake: FakeSlack) -> None:
    client.files_upload_v2(channel="C1", content=b"\x89PNG data", filename="chart.png",
                           title="Job starts")
    [upload] = fake.uploads.values()
    assert upload.filename == "chart.png" and upload.content == b"\x89PNG data"
    assert fake.successful("files.completeUploadExternal")


def test_per_channel_rate_limit_when_asked(fake: FakeSlack, client: WebClient) -> None:
    fake.per_channel_interval = 1.0
    client.chat_postMessage(channel="C1", text="one")
    with pytest.raises(SlackApiError) as err:
        client.chat_postMessage(channel="C1", text="two")
    assert err.value.response.status_code == 429
    client.chat_postMessage(channel="C2", text="other channel")
    assert len(fake.successful("chat.postMessage")) == 2


def test_each_workspaces_token_reaches_only_its_own_workspace(fake: FakeSlack) -> None:
    fake.tokens |= {"xoxb-brighton", "xoxb-kent"}
    fake.token_workspaces |= {"xoxb-brighton": "T0BRIGHTON", "xoxb-kent": "T0KENT"}
    fake.member_workspaces |= {"U0BRIGHTON": "T0BRIGHTON", "U0KENT": "T0KENT", "C0KENT": "T0KENT"}
    brighton = WebClient(token="xoxb-brighton", base_url=fake.url)
    kent = WebClient(token="xoxb-kent", base_url=fake.url)
    dm = brighton.conversations_open(users="U0BRIGHTON")["channel"]["id"]
    brighton.chat_postMessage(channel=dm, text="hello")
    kent.chat_postMessage(channel="C0KENT", text="hello")
    assert [(c.method, c.token) for c in fake.calls] == [
        ("conversations.open", "xoxb-brighton"), ("chat.postMessage", "xoxb-brighton"),
        ("chat.postMessage", "xoxb-kent")]
    _refused(lambda: kent.conversations_open(users="U0BRIGHTON"), "user_not_found")
    _refused(lambda: kent.chat_postMessage(channel=dm, text="x"), "user_not_found")
    _refused(lambda: brighton.chat_postMessage(channel="C0KENT", text="x"), "channel_not_found")
    _refused(lambda: WebClient(token="xoxb-revoked", base_url=fake.url).auth_test(), "invalid_auth")
