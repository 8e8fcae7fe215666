"""`/ips betteroff`: a short modal for the common case, and the answer as a message.

The modal's block ids are the advisor form's field names, so one reading
(`calculator.household_form`) turns either into the engine's request, and one set of error
messages lands on either.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from slack_sdk.models.blocks import (
    ActionsBlock,
    ButtonElement,
    ContextBlock,
    DatePickerElement,
    DividerBlock,
    HeaderBlock,
    InputBlock,
    MarkdownTextObject,
    NumberInputElement,
    Option,
    PlainTextInputElement,
    SectionBlock,
    StaticSelectElement,
)
from slack_sdk.models.views import View

from bot.modal_input import submitted, values_of
from calculator.engine import BetterOffResult, CompareResult
from messaging.views import Message

BETTER_OFF = "better_off_modal"
# The modal's block ids: the advisor form's field names for what the modal asks.
MODAL_FIELDS = frozenset({
    "client_reference", "age", "date_of_birth", "nation", "capability", "pip_daily_living", "esa",
    "couple", "married", "partner_age", "partner_date_of_birth", "children_ages", "tenure", "rent_monthly",
    "lha_monthly", "transitional_element_monthly", "hours_per_week", "hourly_wage", "pay_frequency",
    "one_off_payment", "one_off_payment_date", "offer2_hours", "offer2_wage", "offer3_hours",
    "offer3_wage",
})


@dataclass(frozen=True)
class SavedHousehold:
    """What the modal was filled with when a calculation was saved against a client."""

    values: dict[str, str]
    calculated_on: date

CAPABILITY = [
    ("none", "Not assessed, or fit for work"),
    ("lcw", "LCW"),
    ("lcwra_protected", "LCWRA, assessed before April 2026"),
    ("lcwra_new_claim", "LCWRA, new claim from April 2026"),
]
TENURE = [
    ("no_housing_costs", "No rent (living with family)"),
    ("social_rent", "Council or housing association"),
    ("private_rent", "Private tenant"),
    ("owner", "Owns their home"),
]
ESA = [
    ("none", "None"),
    ("assessment_phase", "Assessment phase"),
    ("work_related_activity_group", "Work-related activity group"),
    ("support_group", "Support group"),
]
PIP = [("none", "None"), ("standard", "Standard"), ("enhanced", "Enhanced")]
PAY = [
    ("monthly", "Monthly"),
    ("four_weekly", "Every four weeks"),
    ("fortnightly", "Every two weeks"),
    ("weekly", "Weekly"),
]
# Northern Ireland is offered so the advisor hears why it is not covered, beside the field.
NATION = [("england", "England"), ("scotland", "Scotland"), ("wales", "Wales"),
          ("northern_ireland", "Northern Ireland")]
YES_NO = [("no", "No"), ("yes", "Yes")]


def _select(block_id: str, label: str, options: list[tuple[str, str]],
            saved: dict[str, str], hint: str | None = None) -> InputBlock:
    choices = [Option(value=value, text=text) for value, text in options]
    chosen = next((c for c in choices if c.value == saved.get(block_id)), choices[0])
    return InputBlock(
        block_id=block_id,
        label=label,
        hint=hint,
        element=StaticSelectElement(action_id="value", options=choices, initial_option=chosen),
    )


def _number(
    block_id: str, label: str, saved: dict[str, str], optional: bool = False,
    decimal: bool = True, hint: str | None = None
) -> InputBlock:
    return InputBlock(
        block_id=block_id,
        label=label,
        optional=optional,
        hint=hint,
        element=NumberInputElement(action_id="value", is_decimal_allowed=decimal, min_value="0",
                                   initial_value=saved.get(block_id) or None),
    )


def _birth_date(block_id: str, label: str, hint: str) -> InputBlock:
    """A date of birth: asked afresh each time, never filled in, as it is never kept."""
    return InputBlock(block_id=block_id, label=label, optional=True, hint=hint,
                      element=DatePickerElement(action_id="value"))


def _person_blocks(values: dict[str, str]) -> list[InputBlock]:
    return [
        _number("age", "Age", values, decimal=False),
        _birth_date("date_of_birth", "Date of birth (only at 66 or 67)",
                    "State Pension age rises from 66 to 67 for people born from 6 April 1960, "
                    "so at 66 or 67 it decides. Used for this answer only, never saved."),
        _select("nation", "Lives in", NATION, values),
        _select("capability", "Work capability assessment", CAPABILITY, values),
        _select("pip_daily_living", "PIP daily living", PIP, values),
        _select("esa", "New Style ESA", ESA, values),
    ]


def _household_blocks(values: dict[str, str]) -> list[InputBlock]:
    return [
        _select("couple", "Lives with a partner", YES_NO, values),
        _select("married", "Married or in a civil partnership", YES_NO, values,
                hint="Universal Credit treats couples alike; income tax does not (Marriage "
                "Allowance passes unused tax-free allowance to a basic-rate partner)."),
        _number("partner_age", "Partner's age", values, optional=True, decimal=False),
        _birth_date("partner_date_of_birth", "Partner's date of birth (only at 66 or 67)",
                    "Decides whether the partner has reached State Pension age. Never saved."),
        InputBlock(
            block_id="children_ages",
            label="Children's ages",
            optional=True,
            hint="Separated by commas, e.g. 3, 7, 12",
            element=PlainTextInputElement(action_id="value", max_length=60,
                                          initial_value=values.get("children_ages") or None),
        ),
        _select("tenure", "Housing", TENURE, values),
        _number("rent_monthly", "Rent, £ a month", values, optional=True),
        _number("lha_monthly", "LHA rate, £ a month (private tenants)", values, optional=True),
        _number("transitional_element_monthly", "Transitional element, £ a month", values, optional=True,
                hint="From the UC statement, for people moved from older benefits by a migration "
                "notice. It ends for good if UC stops; the answer says if the job would do that."),
    ]


def _job_blocks(values: dict[str, str]) -> list[InputBlock]:
    return [
        _number("hours_per_week", "Job: hours a week", values),
        _number("hourly_wage", "Job: £ an hour", values, hint="National Living Wage: £12.71 (21 and over)"),
        _select("pay_frequency", "Paid", PAY, values),
        _number("one_off_payment", "One-off payment from the job, £ take-home", values, optional=True,
                hint="A bonus or back pay. If it stops UC that month, some of it counts in the "
                "next months too (surplus earnings)."),
        InputBlock(block_id="one_off_payment_date", label="Date of the one-off payment", optional=True,
                   element=DatePickerElement(action_id="value",
                                             initial_date=values.get("one_off_payment_date") or None)),
        _number("offer2_hours", "Compare: offer 2, hours a week", values, optional=True,
                hint="Another offer to set beside this one, paid as above. Leave empty for none."),
        _number("offer2_wage", "Compare: offer 2, £ an hour", values, optional=True),
        _number("offer3_hours", "Compare: offer 3, hours a week", values, optional=True),
        _number("offer3_wage", "Compare: offer 3, £ an hour", values, optional=True),
    ]


def better_off_modal(client_reference: str | None = None,
                     saved: SavedHousehold | None = None) -> View:
    """The modal, empty or (`saved`) filled in from the client's last saved household."""
    values = saved.values if saved else {}
    # Answers the modal has no field for (savings, childcare: given on the advisor page) ride
    # along unseen in private_metadata, so starting from a saved household loses nothing.
    kept = {name: value for name, value in values.items() if name not in MODAL_FIELDS}
    intro = ("The common case in a few answers; the advisor pages (link in the answer) "
             "take the rest: savings, childcare, a partner's pay.")
    if saved:
        intro = (f"Filled in from {client_reference}'s calculation of "
                 f"{saved.calculated_on:%-d %B %Y}: change whatever is different now.")
        if kept:
            intro += " Answers given on the advisor page are kept; change them there."
    reference = InputBlock(
        block_id="client_reference",
        label="Client reference (optional)",
        optional=True,
        hint="Saves the calculation against this client. Never a name or NHS number.",
        element=PlainTextInputElement(action_id="value", max_length=20,
                                      initial_value=client_reference or None),
    )
    blocks = [SectionBlock(text=intro), reference,
              *_person_blocks(values), *_household_blocks(values), *_job_blocks(values)]
    return View(
        type="modal",
        callback_id=BETTER_OFF,
        title="Better off in work?",
        submit="Work it out",
        close="Cancel",
        blocks=blocks,
        private_metadata=json.dumps(kept) if kept else None,
    )


def form_values(view: dict[str, Any]) -> dict[str, str]:
    """The submitted modal's answers as the advisor form's fields (strings, as a browser
    sends them), over any kept from a saved household that the modal does not show."""
    kept = json.loads(view.get("private_metadata") or "{}")
    state = values_of(view)
    out: dict[str, str] = {name: str(value) for name, value in kept.items()
                           if name not in MODAL_FIELDS}
    for block_id in state:
        value = submitted(state, block_id)
        if value is not None:
            out[block_id] = str(value)
    return out


def _money(amount: float) -> str:
    sign = "−" if amount < 0 else ""
    return f"{sign}£{abs(amount):,.2f}"


def offers_text(compared: CompareResult) -> str:
    """Each offer in a line: what it leaves, what an extra hour adds, the cliff edges it crosses."""
    rows = []
    for o in compared.offers:
        r = o.result
        hour = r.better_off.per_extra_hour
        edges = "; ".join(f"{c.message} at {c.hours:g} h" for c in o.cliff_edges) or "no cliff edges"
        best = " (leaves the most)" if compared.best_offer == o.offer else ""
        rows.append(
            f"• Offer {o.offer}{best}: {r.hours_per_week:g} h at £{r.hourly_wage:.2f}: "
            f"{_money(r.better_off.monthly)} a month"
            + (f", {_money(hour)} an extra hour" if hour is not None else "")
            + f"; {edges}"
        )
    return "*The offers side by side*\n" + "\n".join(rows)


def better_off_message(
    result: BetterOffResult,
    reference: str | None,
    page_url: str | None,
    saved: bool,
    compared: CompareResult | None = None,
) -> Message:
    """The answer: headline, the main lines, warnings, a link to the full page."""
    b = result.better_off
    who = f" for {reference}" if reference else ""
    hours = f"{result.hours_per_week:g} hours a week at £{result.hourly_wage:.2f}"
    if b.better_off:
        headline = f"About {_money(b.monthly)} a month better off{who}"
    else:
        headline = f"About {_money(-b.monthly)} a month worse off{who}"
    main = [line for line in result.lines if line.part_of is None and line.change_monthly]
    rows = "\n".join(
        f"• {line.label}: {_money(line.now_monthly)} → {_money(line.in_work_monthly)}"
        for line in main[:12]
    )
    periods = result.assessment_periods
    blocks: list[Any] = [
        HeaderBlock(text=headline[:150]),
        SectionBlock(
            text=MarkdownTextObject(
                text=f"Working {hours}: {_money(b.weekly)} a week. "
                f"Money left each month: {_money(result.now.monthly)} now, "
                f"{_money(result.in_work.monthly)} in work."
            )
        ),
    ]
    if rows:
        blocks.append(SectionBlock(text=MarkdownTextObject(text=f"*What changes each month*\n{rows}")))
    if compared is not None:
        blocks.append(SectionBlock(text=MarkdownTextObject(text=offers_text(compared)[:2900])))
    if result.budget is not None:
        left = result.budget
        blocks.append(SectionBlock(text=MarkdownTextObject(
            text=f"*After the bills* (from the budget on the advisor page): {_money(left.left_now)} "
            f"left a month now, {_money(left.left_in_work)} in work.")))
    if result.warnings:
        warnings = "\n".join(f":warning: {w.message}" for w in result.warnings[:8])
        blocks.append(SectionBlock(text=MarkdownTextObject(text=warnings[:2900])))
    blocks.append(
        ContextBlock(
            elements=[
                MarkdownTextObject(
                    text=f"Lowest assessment period {_money(periods.lowest_net_income)} "
                    f"(period {periods.lowest_period}); "
                    f"UK rules for {result.tax_year}." + (" Saved against the client." if saved else "")
                )
            ]
        )
    )
    if page_url:
        blocks += _page_button(page_url)
    text = f"{headline}: {hours}."
    return Message(text=text, blocks=blocks)


def _page_button(page_url: str) -> list[Any]:
    button = ButtonElement(text="Open the full calculation", url=page_url, action_id="better_off_open_page")
    return [DividerBlock(), ActionsBlock(elements=[button])]
