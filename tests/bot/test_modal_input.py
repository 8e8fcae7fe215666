"""Reading a submitted modal: each kind of Slack element keeps its answer in its own place."""

from __future__ import annotations

from bot.modal_input import given, submitted

VALUES = {
    "user": {"value": {"type": "users_select", "selected_user": "U0001"}},
    "channel": {"value": {"type": "conversations_select", "selected_conversation": "C0001"}},
    "at": {"value": {"type": "timepicker", "selected_time": "09:30"}},
    "on": {"value": {"type": "datepicker", "selected_date": "2026-11-02"}},
    "role": {"value": {"type": "static_select", "selected_option": {"value": "admin"}}},
    "unchosen": {"value": {"type": "static_select", "selected_option": None}},
    "consent": {"value": {"type": "checkboxes", "selected_options": [{"value": "yes"}]}},
    "name": {"value": {"type": "plain_text_input", "value": "Hastings"}},
    "empty": {"value": {"type": "plain_text_input", "value": ""}},
}


def test_each_kind_of_element() -> None:
    assert submitted(VALUES, "user") == "U0001"
    assert submitted(VALUES, "channel") == "C0001"
    assert submitted(VALUES, "at") == "09:30"
    assert submitted(VALUES, "on") == "2026-11-02"
    assert submitted(VALUES, "role") == "admin"
    assert submitted(VALUES, "unchosen") is None
    assert submitted(VALUES, "consent") == ["yes"]
    assert submitted(VALUES, "name") == "Hastings"
    assert submitted(VALUES, "missing") is None


def test_given_leaves_out_what_was_left_empty() -> None:
    fields = {"team": "name", "notes": "empty", "role": "role", "lead": "unchosen", "x": "missing"}
    assert given(VALUES, fields) == {"team": "Hastings", "role": "admin"}
