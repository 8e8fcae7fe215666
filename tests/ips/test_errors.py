"""A database URL that cannot be used is one line naming the setting, and never shows a password."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from ips.cli import main


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("nonsense", "Error: database_url: cannot use the value given: Could not parse"),
        ("sqlite:////proc/nope/x.sqlite3",
         "Error: database_url: cannot use sqlite:////proc/nope/x.sqlite3: No such file"),
        ("mysql://ops:hunter2@db.example/ips",
         "Error: database_url: cannot use mysql://ops:***@db.example/ips: No module named"),
    ],
)
def test_an_unusable_database_url_is_one_line(url: str, expected: str) -> None:
    result = CliRunner().invoke(main, ["--database-url", url, "team", "list"])
    assert result.exit_code == 1
    assert result.output.startswith(expected), result.output
    assert result.output.count("\n") == 1 and "hunter2" not in result.output
