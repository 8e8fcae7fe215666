"""The `/ips` table: every subcommand registered once, and help drawn from the same table."""

from __future__ import annotations

import pytest

from bot.listeners.commands import subcommands
from bot.listeners.dispatch import Invocation, Subcommands
from bot.views.help import line
from caseload.models import Role


def _nothing(inv: Invocation) -> None:
    pass


def test_a_subcommand_cannot_be_registered_twice() -> None:
    registry = Subcommands().add("job", _nothing)
    with pytest.raises(ValueError, match="/ips job is registered twice"):
        registry.add("job", _nothing)


def test_help_lists_only_subcommands_that_exist() -> None:
    registry = subcommands()
    for role in Role:
        for row in registry.help_for(role):
            if row.command.startswith("/ips "):
                assert registry.knows(row.command.split()[1]), row.command


def test_help_is_in_the_order_registered_and_only_for_the_roles_named() -> None:
    registry = (Subcommands().add("b", _nothing, line("/ips b", "second", Role.ADMIN))
                .describe(line("a button", "pressed", Role.ADMIN, Role.TEAM_LEADER))
                .add("a", _nothing, line("/ips a", "third", Role.ADMIN)))
    assert [row.command for row in registry.help_for(Role.ADMIN)] == ["/ips b", "a button", "/ips a"]
    assert [row.command for row in registry.help_for(Role.TEAM_LEADER)] == ["a button"]
