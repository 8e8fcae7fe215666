"""Pure view functions stay inside Slack's Block Kit limits however long the lists get."""

import json
from datetime import date

from bot.views.caseload import caseload_message
from caseload.models import Client, ClientStatus
from caseload.overdue import OverdueClient
from messaging.views import line_sections
from messaging.views.nudges import escalation_digest, four_week_nudge
from tests.fakes.slack_api import check_blocks


def _overdue(n: int) -> list[OverdueClient]:
    return [OverdueClient(client_id=i, reference=f"REF-{i:05d}", team_id=1, specialist_id=2,
                          since=date(2026, 9, 1), days_without_contact=60) for i in range(n)]


def test_long_lists_are_split_into_sections_not_cut() -> None:
    lines = [f"• line {i:04d} " + "x" * 80 for i in range(200)]
    sections = line_sections(lines)
    assert len(sections) > 1
    texts = [s.to_dict()["text"]["text"] for s in sections]
    assert all(len(t) <= 3000 for t in texts)
    assert "\n".join(texts).split("\n") == lines


def test_a_huge_nudge_and_digest_still_fit_a_message() -> None:
    for message in (four_week_nudge(_overdue(500)),
                    escalation_digest("Team", _overdue(2000), {2: "Tom"})):
        blocks = message.as_kwargs()["blocks"]
        check_blocks(blocks, limit=50)  # raises as Slack would refuse
        assert len(blocks) <= 50


def test_a_regions_caseload_fits_a_message_and_says_how_many_are_not_listed() -> None:
    people = [Client(id=n, reference=f"RG-{n:05d}", status=ClientStatus.JOB_SEEKING,
                     referral_received_on=date(2026, 9, 1)) for n in range(4000)]
    overdue = {o.client_id: o for o in _overdue(4000)}
    message = caseload_message("Every team", people, overdue)
    blocks = [b.to_dict() for b in message.blocks]
    check_blocks(blocks, limit=50)
    listed = json.dumps(blocks).count("RG-")
    assert 0 < listed < 4000
    assert f"…and {4000 - listed} more not listed here" in json.dumps(blocks, ensure_ascii=False)


def test_a_small_caseload_lists_everyone_with_no_note() -> None:
    people = [Client(id=n, reference=f"RG-{n:05d}", status=ClientStatus.JOB_SEEKING,
                     referral_received_on=date(2026, 9, 1)) for n in range(30)]
    blocks = json.dumps([b.to_dict() for b in caseload_message("Mine", people, {}).blocks])
    assert blocks.count("RG-") == 30 and "not listed" not in blocks
