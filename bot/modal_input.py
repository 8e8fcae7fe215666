"""What a submitted modal holds: the one place that knows how Slack shapes `view.state.values`.

Every input block here holds one element whose action id is "value" (bot/views builds them so);
the element's kind decides where its answer sits. Listeners read submissions through this, and
so does the better-off view's reader, which turns its modal back into the advisor form.
"""

from __future__ import annotations

from typing import Any

Values = dict[str, dict[str, dict[str, Any]]]

# Pickers keep their answer under a key named for what they pick.
_PICKED = ("selected_user", "selected_conversation", "selected_channel", "selected_time",
           "selected_date")


def values_of(view: dict[str, Any]) -> Values:
    """The input blocks of a submitted (or updated) view, by block id."""
    values: Values = view["state"]["values"]
    return values


def submitted(values: Values, block: str) -> Any:
    """The answer in one input block, whatever kind of element it is: a picked user, channel,
    time or date; an option's value; the values of ticked checkboxes; else the text or number
    typed. None when the block is missing or left empty."""
    element = values.get(block, {}).get("value", {})
    for key in _PICKED:
        if key in element:
            return element[key]
    if "selected_option" in element:
        option = element["selected_option"]
        return option["value"] if option else None
    if "selected_options" in element:
        return [option["value"] for option in element["selected_options"] or []]
    return element.get("value")


def given(values: Values, fields: dict[str, str]) -> dict[str, Any]:
    """The fields (each read from its block) that were filled in, so what was left empty gets
    the service's default or its error."""
    answers = {field: submitted(values, block) for field, block in fields.items()}
    return {field: value for field, value in answers.items() if value not in (None, "")}
