"""What the advisor tells the engine: the household now, and the job on offer.

Bounds and impossible combinations are refused here, each error naming the field and the
rule, so the rules themselves can assume tidy input.
"""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import Annotated, Any, Literal, Self

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, ValidationInfo, model_validator

from calculator.engine.pension_age import age_on, pension_ages_on, reached_by_age

# Strict: numbers must be numbers and flags true or false, never "yes" or false-as-zero.
# Money the advisor types: never negative; the ceiling catches a slipped decimal point.
Money = Annotated[float, Field(strict=True, ge=0, le=1_000_000)]
Hours = Annotated[float, Field(strict=True, ge=0, le=100, description="Hours a week, 0 to 100.")]
HourlyWage = Annotated[float, Field(strict=True, ge=0, le=500, description="Pounds an hour, 0 to 500.")]
Fraction = Annotated[float, Field(strict=True, ge=0, le=1)]
Flag = Annotated[bool, Field(strict=True)]
Count = Annotated[int, Field(strict=True)]


def _iso_date(value: object) -> object:
    """A date or "YYYY-MM-DD"; not a number of seconds, which lax parsing would take as one."""
    if isinstance(value, date) or value is None:
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise ValueError("enter a date as YYYY-MM-DD") from None
    raise ValueError("enter a date as YYYY-MM-DD")


Day = Annotated[date, BeforeValidator(_iso_date)]

# UC Regulations 2013 reg 24: the higher first-child rate is for a child born before this date.
HIGHER_FIRST_CHILD_BORN_BEFORE = date(2017, 4, 6)


class Nation(StrEnum):
    ENGLAND = "england"
    SCOTLAND = "scotland"
    WALES = "wales"


# Northern Ireland runs its own Universal Credit law with its own payments on top, and
# domestic rates in place of council tax; the engine models none of that, so a household
# there is refused by name rather than given Great Britain's answer (docs/calculator.md).
NORTHERN_IRELAND = ("northern_ireland", "ni", "nir")
NORTHERN_IRELAND_NOT_COVERED = (
    "Northern Ireland is not covered: its own Universal Credit rules and mitigation payments, "
    "and rates instead of council tax. Use an NI benefits check."
)


def _covered_nation(value: object) -> object:
    if isinstance(value, str) and value.strip().lower().replace(" ", "_") in NORTHERN_IRELAND:
        raise ValueError(NORTHERN_IRELAND_NOT_COVERED)
    return value


CoveredNation = Annotated[
    Nation,
    BeforeValidator(_covered_nation),
    Field(
        description="England, Scotland or Wales. Northern Ireland is refused with 422, naming what "
        "is not covered (its own Universal Credit rules and mitigations, rates instead of council tax)."
    ),
]


class PayFrequency(StrEnum):
    WEEKLY = "weekly"
    FORTNIGHTLY = "fortnightly"
    FOUR_WEEKLY = "four_weekly"
    MONTHLY = "monthly"


class Tenure(StrEnum):
    SOCIAL_RENT = "social_rent"
    PRIVATE_RENT = "private_rent"
    OWNER = "owner"
    NO_HOUSING_COSTS = "no_housing_costs"


class PipRate(StrEnum):
    NONE = "none"
    STANDARD = "standard"
    ENHANCED = "enhanced"


class NewStyleEsa(StrEnum):
    NONE = "none"
    ASSESSMENT_PHASE = "assessment_phase"
    WORK_RELATED_ACTIVITY_GROUP = "work_related_activity_group"
    SUPPORT_GROUP = "support_group"


class LcwraRate(StrEnum):
    """Which LCWRA amount applies: the advisor knows when the person was assessed."""

    PROTECTED = "protected"
    NEW_CLAIM = "new_claim"


class ChildDisability(StrEnum):
    NONE = "none"
    LOWER = "lower"
    HIGHER = "higher"


class PensionScheme(StrEnum):
    RELIEF_AT_SOURCE = "relief_at_source"
    NET_PAY = "net_pay"
    OPT_OUT = "opt_out"


class _Input(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Job(_Input):
    """Paid work: now (a current job) or the job on offer."""

    hours_per_week: Hours
    hourly_wage: HourlyWage
    pay_frequency: PayFrequency = PayFrequency.MONTHLY
    pension: PensionScheme = Field(
        PensionScheme.RELIEF_AT_SOURCE,
        description="Workplace pension: auto-enrolment through relief at source (the usual), "
        "a net pay arrangement, or opted out.",
    )
    employee_pension_rate: Fraction = Field(
        0.05, ge=0, le=1, description="Employee share of qualifying earnings; 5% by default."
    )
    apprentice: Flag = False


def _age_or_date_of_birth(schema: dict[str, Any]) -> None:
    """Age may be left out when the date of birth is given (it is worked out from it), so the
    published schema must not call it required: a generated body without it is valid."""
    schema["required"] = [name for name in schema.get("required", []) if name != "age"]


class Adult(_Input):
    model_config = ConfigDict(extra="forbid", frozen=True, json_schema_extra=_age_or_date_of_birth)

    age: Count = Field(ge=16, le=120, description="Age in whole years; worked out from date_of_birth when "
                       "only that is given.")
    date_of_birth: Day | None = Field(
        None,
        description="Only needed around State Pension age (66 or 67), which depends on it; used for "
        "this calculation and never kept.",
    )
    job: Job | None = Field(None, description="Paid work now, if any.")
    lcw: Flag = Field(False, description="Assessed as having limited capability for work (LCW).")
    lcwra: Flag = Field(
        False, description="Assessed as having limited capability for work and work-related activity."
    )
    lcwra_rate: LcwraRate = LcwraRate.PROTECTED
    pip_daily_living: PipRate = PipRate.NONE
    pip_mobility: PipRate = PipRate.NONE
    cares_35_hours: Flag = Field(
        False, description="Cares 35 hours or more a week for someone getting a disability benefit."
    )
    carers_allowance: Flag = Field(False, description="Gets Carer's Allowance now.")
    new_style_esa: NewStyleEsa = NewStyleEsa.NONE
    new_style_jsa: Flag = False
    pension_income_monthly: Money = 0

    @model_validator(mode="after")
    def _combinations(self) -> Self:
        if self.lcw and self.lcwra:
            raise ValueError(
                "lcwra: choose LCW or LCWRA, not both; LCWRA already includes limited capability for work"
            )
        if self.carers_allowance and not self.cares_35_hours:
            raise ValueError("carers_allowance: Carer's Allowance needs cares_35_hours")
        if self.new_style_esa is not NewStyleEsa.NONE and self.new_style_jsa:
            raise ValueError("new_style_jsa: New Style ESA and New Style JSA are not paid together")
        return self


class Child(_Input):
    age: Count = Field(ge=0, le=19)
    born_before_6_april_2017: Flag | None = Field(
        None,
        description="Only matters for the first child; worked out from age when it can be. "
        "Say it for a child aged 9.",
    )
    disability: ChildDisability = ChildDisability.NONE


class Housing(_Input):
    tenure: Tenure = Tenure.NO_HOUSING_COSTS
    rent_monthly: Money = 0
    service_charges_monthly: Money = 0
    local_housing_allowance_monthly: Money | None = Field(
        None, description="Private renters: the LHA rate for the area and bedroom category."
    )
    spare_bedrooms: Count = Field(
        0, ge=0, le=10, description="Social renters: bedrooms beyond what the size criteria allow."
    )
    non_dependants: Count = Field(
        0, ge=0, le=10, description="Other adults living here whose housing deduction applies."
    )

    @model_validator(mode="after")
    def _combinations(self) -> Self:
        renting = self.tenure in (Tenure.SOCIAL_RENT, Tenure.PRIVATE_RENT)
        if not renting and (self.rent_monthly or self.service_charges_monthly):
            raise ValueError("rent_monthly: rent is only counted for social or private renters")
        if self.tenure is Tenure.PRIVATE_RENT and self.local_housing_allowance_monthly is None:
            raise ValueError(
                "local_housing_allowance_monthly: private renters need the Local Housing Allowance rate"
            )
        if self.spare_bedrooms and self.tenure is not Tenure.SOCIAL_RENT:
            raise ValueError("spare_bedrooms: the size criteria apply only to social renters")
        return self


class CouncilTax(_Input):
    """An estimate: each council sets its own reduction scheme, so the advisor can adjust it."""

    charge_monthly: Money = 0
    maximum_reduction: Fraction = Field(
        1.0, ge=0, le=1, description="Share of the charge the local scheme can cover (1 = all)."
    )
    taper: Fraction = Field(0.2, ge=0, le=1, description="Reduction lost per pound of net earnings.")
    earnings_disregard_weekly: Money = Field(25, description="Net weekly earnings ignored.")


class Budget(_Input):
    """What the household pays each month besides rent and council tax (given above), so the
    answer can say what is left; it never changes a benefit figure."""

    energy_monthly: Money = Field(0, description="Gas and electricity, £ a month.")
    water_monthly: Money = Field(0, description="Water and sewerage, £ a month.")
    phone_and_broadband_monthly: Money = Field(0, description="Phones and broadband, £ a month.")
    travel_monthly: Money = Field(0, description="Travel other than to the job, £ a month.")
    food_and_other_monthly: Money = Field(0, description="Food, toiletries and everything else, £ a month.")
    debt_repayments_monthly: Money = Field(0, description="Loans, cards and arrears paid, £ a month.")
    universal_credit_deductions_monthly: Money = Field(
        0,
        description="Taken from UC before it is paid (advance repayments, overpayments, third-party "
        "deductions), £ a month; no more than the UC there is comes off.",
    )


class Household(_Input):
    nation: CoveredNation = Nation.ENGLAND
    in_london: Flag = False
    claimant: Adult
    couple: Flag = False
    married: Flag = Field(
        False,
        description="The couple are married or in a civil partnership. Universal Credit treats all "
        "couples alike; income tax does not (Marriage Allowance).",
    )
    partner: Adult | None = None
    children: list[Child] = Field(default_factory=list, max_length=12)
    childcare_costs_monthly: Money = Field(0, description="Childcare paid now, for work.")
    housing: Housing = Field(default_factory=Housing)
    capital: Money = 0
    council_tax: CouncilTax = Field(default_factory=CouncilTax)
    budget: Budget | None = Field(None, description="Optional: spending, for what is left each month.")
    transitional_element_monthly: Money = Field(
        0,
        description="Transitional protection: the transitional element on the UC statement now, for "
        "someone moved to UC by managed migration (for example from income-related ESA).",
    )

    @model_validator(mode="after")
    def _combinations(self) -> Self:
        if self.couple and self.partner is None:
            raise ValueError("partner: a couple needs the partner's details")
        if self.partner is not None and not self.couple:
            raise ValueError("couple: partner details were given, so set couple")
        if self.married and not self.couple:
            raise ValueError("married: only a couple living together can be married here; set couple")
        return self


class ProposedJob(Job):
    who: Literal["claimant", "partner"] = "claimant"
    start_date: Day | None = Field(None, description="Defaults to the calculation date.")
    first_payday: Day | None = Field(None, description="Defaults to one pay period after the start.")
    assessment_period_start_day: Count | None = Field(
        None,
        ge=1,
        le=31,
        description="Day of the month UC assessment periods start; defaults to the start date's.",
    )
    travel_costs_weekly: Money = 0
    childcare_costs_monthly: Money = Field(0, description="Childcare needed in work (replaces today's).")
    one_off_payment: Money = Field(
        0,
        description="A one-off payment from the job (a bonus, back pay), take-home pounds, counted in "
        "the assessment period it is paid in; it can bring surplus earnings into the next.",
    )
    one_off_payment_date: Day | None = Field(None, description="The day the one-off payment is paid.")

    @model_validator(mode="after")
    def _one_off_dated(self) -> Self:
        if self.one_off_payment and self.one_off_payment_date is None:
            raise ValueError("one_off_payment_date: give the day the one-off payment is paid")
        return self


class _Dated(_Input):
    """A household and the date to calculate on, checked together.

    The engine never reads the clock: a request without `calculation_date` takes the caller's
    today, passed as `model_validate(body, context={"today": date})`.
    """

    household: Household
    calculation_date: Day | None = Field(None, description="Defaults to today; sets the tax year.")

    @model_validator(mode="before")
    @classmethod
    def _today_by_default(cls, data: Any, info: ValidationInfo) -> Any:
        if isinstance(data, dict) and data.get("calculation_date") is None:
            today = (info.context or {}).get("today")
            if today is None:
                raise ValueError("calculation_date: give the date to calculate on")
            data = {**data, "calculation_date": today}
        if isinstance(data, dict):
            data = _ages_from_birth_dates(data)
        return data

    @property
    def on(self) -> date:
        """The calculation date, always set once the request is validated."""
        assert self.calculation_date is not None
        return self.calculation_date

    def _check_household(self) -> None:
        on = self.on
        for who, adult in (("claimant", self.household.claimant), ("partner", self.household.partner)):
            if adult is not None:
                _check_pension_age_known(f"household.{who}", adult, on)
        for index, child in enumerate(self.household.children):
            if child.born_before_6_april_2017 is None and _age_is_ambiguous(child.age, on):
                raise ValueError(
                    f"household.children.{index}.born_before_6_april_2017: "
                    f"say whether this {child.age}-year-old was born before 6 April 2017"
                )
            if child.born_before_6_april_2017 is not None and not _age_fits(child, on):
                raise ValueError(
                    f"household.children.{index}.born_before_6_april_2017: a child aged {child.age} "
                    f"on {on.isoformat()} cannot have been born "
                    f"{'before' if child.born_before_6_april_2017 else 'on or after'} 6 April 2017"
                )

    def _check_job(self, where: str, job: ProposedJob) -> None:
        if job.who == "partner" and self.household.partner is None:
            raise ValueError(f"{where}.who: the job is for the partner, but there is no partner")


class BetterOffRequest(_Dated):
    """The household, the job and the date to calculate on."""

    job: ProposedJob

    def inputs_to_record(self) -> dict[str, Any]:
        """The request as JSON for a record (its digest), without the dates of birth, which are
        inputs only and never kept."""
        personal = {"date_of_birth"}
        data: dict[str, Any] = self.model_dump(
            mode="json", exclude={"household": {"claimant": personal, "partner": personal}}
        )
        return data

    @model_validator(mode="after")
    def _combinations(self) -> Self:
        self._check_job("job", self.job)
        self._check_household()
        return self


class CompareRequest(_Dated):
    """The household and two or three job offers, each compared with now."""

    offers: list[ProposedJob] = Field(
        min_length=1, max_length=3, description="One to three job offers, each compared with now."
    )

    @model_validator(mode="after")
    def _combinations(self) -> Self:
        for index, offer in enumerate(self.offers):
            self._check_job(f"offers.{index}", offer)
        self._check_household()
        return self

    def for_offer(self, index: int) -> BetterOffRequest:
        """One offer as its own request: the checks above are the ones it would have had."""
        return BetterOffRequest.model_construct(
            household=self.household, job=self.offers[index], calculation_date=self.calculation_date
        )


class SweepRequest(BetterOffRequest):
    maximum_hours: float = Field(40, strict=True, gt=0, le=100)
    step: float = Field(0.5, strict=True, ge=0.25, le=10)


def _ages_from_birth_dates(data: dict[str, Any]) -> dict[str, Any]:
    """An adult given by date of birth alone gets the age it makes on the calculation date."""
    household = data.get("household")
    on = data.get("calculation_date")
    if isinstance(on, str):
        try:
            on = date.fromisoformat(on)
        except ValueError:
            return data
    if not (isinstance(household, dict) and isinstance(on, date)):
        return data
    filled = dict(household)
    for who in ("claimant", "partner"):
        adult = household.get(who)
        if isinstance(adult, dict) and "age" not in adult and adult.get("date_of_birth") is not None:
            born = _iso_date(adult["date_of_birth"])
            if isinstance(born, date):
                filled[who] = {**adult, "age": age_on(born, on)}
    return {**data, "household": filled}


def _check_pension_age_known(where: str, adult: Adult, on: date) -> None:
    """A date of birth must fit the age and the date; without one, the age must settle
    whether State Pension age is reached (it does except around 66 and 67)."""
    table = pension_ages_on(on)
    if adult.date_of_birth is not None:
        if adult.date_of_birth > on:
            raise ValueError(f"{where}.date_of_birth: a date of birth cannot be after the calculation date")
        if age_on(adult.date_of_birth, on) != adult.age:
            raise ValueError(
                f"{where}.age: the date of birth gives a different age on {on.isoformat()}; "
                "correct the age or leave it out"
            )
        return
    if table is not None and reached_by_age(table, adult.age, on) is None:
        raise ValueError(
            f"{where}.date_of_birth: give the date of birth: at {adult.age}, whether State Pension "
            f"age is reached depends on it (it rises from {table[0][2]} to {table[-1][2]} for people "
            f"born from {table[1][0]:%-d %B %Y})"
        )


def _born_before_range(age: int, on: date) -> tuple[date, date]:
    """Earliest and latest possible birth dates for someone `age` years old on `on`."""
    latest = _years_before(on, age)
    earliest = _years_before(on, age + 1)
    return earliest, latest


def _years_before(on: date, years: int) -> date:
    try:
        return on.replace(year=on.year - years)
    except ValueError:  # 29 February
        return on.replace(year=on.year - years, day=28)


def _age_is_ambiguous(age: int, on: date) -> bool:
    earliest, latest = _born_before_range(age, on)
    return earliest < HIGHER_FIRST_CHILD_BORN_BEFORE <= latest


def _age_fits(child: Child, on: date) -> bool:
    earliest, latest = _born_before_range(child.age, on)
    if child.born_before_6_april_2017:
        return earliest < HIGHER_FIRST_CHILD_BORN_BEFORE
    return latest >= HIGHER_FIRST_CHILD_BORN_BEFORE


def born_before_april_2017(child: Child, on: date) -> bool:
    if child.born_before_6_april_2017 is not None:
        return child.born_before_6_april_2017
    return _years_before(on, child.age) < HIGHER_FIRST_CHILD_BORN_BEFORE
