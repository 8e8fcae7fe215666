"""`ips serve` really serves: a subprocess on a free port, fetched over HTTP."""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
import requests

IPS = Path(sys.executable).with_name("ips")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _get(url: str) -> tuple[int, str]:
    with urllib.request.urlopen(url, timeout=5) as response:
        return response.status, response.read().decode()


@pytest.fixture
def served(tmp_path):  # type: ignore[no-untyped-def]
    # Empty tokens override any in a developer's .env: this test must not reach Slack.
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'serve.sqlite3'}",
           "SLACK_BOT_TOKEN": "", "SLACK_APP_TOKEN": "", "SLACK_CLIENT_ID": "", "SLACK_CLIENT_SECRET": ""}
    subprocess.run([IPS, "db", "upgrade"], env=env, check=True, capture_output=True)
    subprocess.run([IPS, "demo-data"], env=env, check=True, capture_output=True)
    port = _free_port()
    process = subprocess.Popen([IPS, "serve", "--port", str(port)], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while True:
        try:
            _get(base + "/healthz")
            break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise AssertionError(f"ips serve did not start: {process.stdout.read()}") from None
            time.sleep(0.2)
    yield base, process
    if process.poll() is None:
        process.kill()
        process.wait(timeout=10)


def test_health_and_overview_over_http(served: tuple[str, subprocess.Popen[str]]) -> None:
    base, process = served
    status, body = _get(base + "/healthz")
    assert status == 200 and '"status":"ok"' in body.replace(" ", "")
    # No Slack app and listening on 127.0.0.1: the page asks who to be, as `make run` does.
    browser = requests.Session()
    sign_in = browser.get(base + "/")
    assert sign_in.url.startswith(base + "/signin") and "Demo sign-in (this computer only)" in sign_in.text
    admin = re.search(r'<option value="(\w+)">[^<]*– admin,', sign_in.text)
    assert admin, "the demo has an admin to sign in as"
    token = re.search(r'name="csrf_token" value="([^"]+)"', sign_in.text)
    assert token
    overview = browser.post(base + "/signin/demo", data={"slack_user_id": admin.group(1),
                                                         "csrf_token": token.group(1)})
    status, page = overview.status_code, overview.text
    assert status == 200
    assert "outcomes against target" in page
    for team in ("Brighton and Hove CMHT", "Hastings and Rother CMHT",
                 "Dumfries Community Mental Health Team"):
        assert team in page
    assert "Next fidelity review" in page
    # SIGTERM (what a platform or `kill` sends) stops it cleanly, saying what ran and what not.
    process.terminate()
    assert process.wait(timeout=10) == 0
    output = process.stdout.read() if process.stdout else ""
    assert f"running on {base}" in output
    assert "Slack bot: not started" in output and "reminders clock: not started" in output
    assert "sign-in: demo sign-in as any demo staff member" in output


def test_an_unmigrated_database_is_refused_before_serving(tmp_path) -> None:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'none.sqlite3'}"}
    result = subprocess.run([IPS, "serve", "--port", str(_free_port())], env=env,
                            capture_output=True, text=True, timeout=30)
    assert result.returncode == 1
    assert "run `ips db upgrade` first" in result.stderr


def test_a_busy_port_is_one_line_not_a_traceback(tmp_path) -> None:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'busy.sqlite3'}"}
    subprocess.run([IPS, "db", "upgrade"], env=env, check=True, capture_output=True)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run([IPS, "serve", "--port", str(port)], env=env,
                                capture_output=True, text=True, timeout=30)
    assert result.returncode == 1
    assert result.stderr.startswith(f"Error: Cannot listen on 127.0.0.1:{port}: ")
    assert result.stderr.count("\n") == 1 and result.stdout == ""
