"""Turning raw input into validated models, with errors that name the field."""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Annotated, Any, TypeVar

from pydantic import AfterValidator, BaseModel, ConfigDict, ValidationError

from caseload import clock
from caseload.errors import InvalidInput
from caseload.references import free_text_problem

M = TypeVar("M", bound=BaseModel)


class Input(BaseModel):
    """Base for service inputs: unknown fields are refused, text is trimmed."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True, frozen=True)


def parse(model: type[M], data: Mapping[str, Any]) -> M:
    try:
        return model.model_validate(dict(data))
    except ValidationError as exc:
        raise InvalidInput.from_pydantic(exc) from None


def _slack_team_id(value: str | None) -> str | None:
    if value is not None and not re.fullmatch(r"T[A-Z0-9]{2,30}", value):
        raise ValueError("must be a Slack workspace id such as T0123ABCD (in Slack: the "
                         "workspace menu, Tools & settings, or the T... part of a slack.com URL)")
    return value


# A Slack workspace (team) id; None is the one workspace of a single-token install.
SlackTeamId = Annotated[str | None, AfterValidator(_slack_team_id)]


class Workspace(Input):
    slack_team_id: SlackTeamId


def not_in_future(value: date) -> date:
    if value > clock.today():
        raise ValueError(f"{value.isoformat()} is in the future; record things once they happen")
    return value


def clean_free_text(value: str | None) -> str | None:
    if value is None:
        return None
    if value == "":
        return None
    problem = free_text_problem(value)
    if problem:
        raise ValueError(problem)
    return value
