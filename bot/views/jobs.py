"""`/ips job`: the job start and job end modals, and what the specialist is told afterwards."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from slack_sdk.models.blocks import (
    Block,
    ContextBlock,
    DatePickerElement,
    InputBlock,
    MarkdownTextObject,
    NumberInputElement,
    Option,
    PlainTextInputElement,
    RadioButtonsElement,
    SectionBlock,
    StaticSelectElement,
)
from slack_sdk.models.views import View

from caseload.jobs import END_REASON_WORDS, SOC_2020_MAJOR_GROUPS
from caseload.models import AgeBand, ClientStatus, Job, JobType
from messaging.views import Message

JOB_START = "job_start_modal"
JOB_END = "job_end_modal"
# Slack's limit on a static select; past it the modal asks for the reference instead.
SELECT_LIMIT = 100
_OPTION_TEXT = 75

# A few everyday examples beside the ONS names, so the nearest group is easy to pick.
_SOC_EXAMPLES = {
    JobType.ASSOCIATE_PROFESSIONAL: " (e.g. IT support, bookkeeper)",
    JobType.ADMINISTRATIVE: " (e.g. admin, receptionist)",
    JobType.SKILLED_TRADES: " (e.g. gardener, chef, electrician)",
    JobType.CARING_LEISURE: " (e.g. care worker, hairdresser)",
    JobType.SALES_CUSTOMER: " (e.g. retail, call centre)",
    JobType.PROCESS_PLANT: " (e.g. driver, packer)",
    JobType.ELEMENTARY: " (e.g. cleaning, warehouse, kitchen)",
}
JOB_TYPES = {job_type: f"{name}{_SOC_EXAMPLES.get(job_type, '')}"[:_OPTION_TEXT]
             for job_type, name in SOC_2020_MAJOR_GROUPS.items()}
AGE_BANDS = {
    AgeBand.AGE_21_AND_OVER: "21 and over",
    AgeBand.AGE_18_TO_20: "18 to 20",
    AgeBand.UNDER_18: "Under 18",
    AgeBand.APPRENTICE: "Apprentice",
}
END_REASON_WORDS_FOR_PEOPLE = {reason: words.capitalize()
                               for reason, words in END_REASON_WORDS.items()}
OPEN_TO_ANYONE = {"yes": "Yes: anyone can apply",
                  "no": "No: set aside for people with a mental health condition"}


@dataclass(frozen=True)
class ClientChoice:
    client_id: int
    reference: str
    status_label: str


@dataclass(frozen=True)
class JobChoice:
    job_id: int
    reference: str
    job_title: str
    employer: str
    started_on: date


def _options(labels: Mapping[Any, str]) -> list[Option]:
    return [Option(value=str(value), label=label) for value, label in labels.items()]


def _client_input(choices: list[ClientChoice], selected: int | None,
                  reference: str | None) -> InputBlock:
    """A picker of the caller's clients; a reference box when there are too many to list."""
    if len(choices) > SELECT_LIMIT:
        return InputBlock(block_id="reference", label="Client reference",
                          element=PlainTextInputElement(action_id="value", max_length=20,
                                                        initial_value=reference or None))
    options = [Option(value=str(c.client_id), label=f"{c.reference} ({c.status_label})"[
        :_OPTION_TEXT]) for c in choices]
    initial = next((o for o in options if o.value == str(selected)), None)
    return InputBlock(block_id="client", label="Client", element=StaticSelectElement(
        action_id="value", placeholder="Choose a client", options=options,
        initial_option=initial))


def job_start_modal(choices: list[ClientChoice], today: date, selected: int | None = None,
                    reference: str | None = None) -> View:
    """Record a job start for one of `choices` (the caller's clients who can start a job)."""
    age_options = _options(AGE_BANDS)
    open_options = _options(OPEN_TO_ANYONE)
    return View(type="modal", callback_id=JOB_START, title="Record a job start",
                submit="Record job start", close="Cancel", blocks=[
        _client_input(choices, selected, reference),
        InputBlock(block_id="employer", label="Employer",
                   element=PlainTextInputElement(action_id="value", max_length=200)),
        InputBlock(block_id="job_title", label="Job title",
                   element=PlainTextInputElement(action_id="value", max_length=200)),
        InputBlock(block_id="job_type", label="Type of job (SOC 2020 major group)",
                   element=StaticSelectElement(
            action_id="value", placeholder="Choose the nearest", options=_options(JOB_TYPES))),
        InputBlock(block_id="started_on", label="Start date",
                   element=DatePickerElement(action_id="value", initial_date=today.isoformat())),
        InputBlock(block_id="hours_per_week", label="Hours per week", element=NumberInputElement(
            action_id="value", is_decimal_allowed=True)),
        InputBlock(block_id="hourly_wage", label="Hourly wage (£)", element=NumberInputElement(
            action_id="value", is_decimal_allowed=True)),
        InputBlock(block_id="age_band", label="Their age band",
                   hint="For the minimum wage: a band, never a date of birth.",
                   element=RadioButtonsElement(action_id="value", options=age_options,
                                               initial_option=age_options[0])),
        InputBlock(block_id="open_to_anyone", label="Can anyone apply for this job?",
                   element=RadioButtonsElement(action_id="value", options=open_options,
                                               initial_option=open_options[0])),
        ContextBlock(elements=[MarkdownTextObject(
            text="A job start counts as a competitive outcome when anyone can apply for the "
                 "job and it pays at least the minimum wage for the person's age band. "
                 "Every job start is recorded either way.")]),
    ])


def _job_label(job: JobChoice) -> str:
    return f"{job.reference}: {job.job_title} at {job.employer}, from {job.started_on:%-d %b %Y}"


def job_end_modal(jobs: list[JobChoice], today: date) -> View:
    """Record that one of `jobs` (open jobs of the caller's clients) has ended."""
    listed = jobs[:SELECT_LIMIT]
    options = [Option(value=str(j.job_id), label=_job_label(j)[:_OPTION_TEXT]) for j in listed]
    blocks: list[Block] = [
        InputBlock(block_id="job", label="Which job ended?", element=StaticSelectElement(
            action_id="value", placeholder="Choose the job", options=options,
            initial_option=options[0] if len(options) == 1 else None)),
        InputBlock(block_id="ended_on", label="Last day",
                   element=DatePickerElement(action_id="value", initial_date=today.isoformat())),
        InputBlock(block_id="reason", label="Why did it end?", element=RadioButtonsElement(
            action_id="value", options=_options(END_REASON_WORDS_FOR_PEOPLE))),
        InputBlock(block_id="details", label="In a few words", optional=True,
                   hint="Needed when the reason is 'Other'. No names.",
                   element=PlainTextInputElement(action_id="value", max_length=500)),
        ContextBlock(elements=[MarkdownTextObject(
            text="After a job ends, contact the person within 3 working days: the first "
                 "contact with them after the end is the follow-up.")]),
    ]
    if len(jobs) > SELECT_LIMIT:
        blocks.append(ContextBlock(elements=[MarkdownTextObject(
            text=f"Showing {SELECT_LIMIT} of {len(jobs)} jobs: use `/ips job end REF` to "
                 "choose from one client's jobs.")]))
    return View(type="modal", callback_id=JOB_END, title="Record a job end",
                submit="Record job end", close="Cancel", blocks=blocks)


def _money(value: object) -> str:
    return f"£{value:.2f}"


def _hours(value: object) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return f"{text} hour{'' if text == '1' else 's'}"


def job_start_recorded(reference: str, job: Job) -> Message:
    """The confirmation, saying plainly whether the start counts as a competitive outcome."""
    what = (f"Job start recorded for *{reference}*: {job.job_title} at {job.employer}, from "
            f"{job.started_on:%-d %B %Y}, {_hours(job.hours_per_week)} a week at "
            f"{_money(job.hourly_wage)} an hour.")
    if job.is_competitive:
        verdict = "It counts as a competitive employment outcome."
        text = f"Job start recorded for {reference}. {verdict}"
    else:
        reason = job.not_competitive_reason or "Not a competitive outcome."
        verdict = (f"It counts as a job start, but *not as a competitive outcome*. {reason} "
                   "A competitive outcome is a job anyone can apply for, paying at least the "
                   "minimum wage for the person's age band.")
        text = (f"Job start recorded for {reference}, but it does not count as a competitive "
                "outcome.")
    return Message(text=text, blocks=[SectionBlock(text=MarkdownTextObject(
        text=f"{what}\n{verdict}"))])


def job_end_recorded(reference: str, job: Job, status: ClientStatus, follow_up_by: date
                     ) -> Message:
    assert job.ended_on is not None and job.end_reason_code is not None
    weeks = (job.ended_on - job.started_on).days // 7
    lasted = f"{weeks} week{'' if weeks == 1 else 's'}" if weeks else "under a week"
    after = {ClientStatus.JOB_SEEKING: f"{reference} is looking for work again.",
             ClientStatus.IN_WORK: f"{reference} is still in work in another job."}
    text = (f"Recorded the end of {reference}'s job as {job.job_title} at {job.employer} on "
            f"{job.ended_on:%-d %B %Y} ({END_REASON_WORDS[job.end_reason_code]}), after "
            f"{lasted}. {after.get(status, '')} Follow up with {reference} by "
            f"{follow_up_by:%A %-d %B}: log it as in-work support with the person.").strip()
    return Message(text=text, blocks=[SectionBlock(text=MarkdownTextObject(text=text))])
