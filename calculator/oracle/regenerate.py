"""Write PolicyEngine UK's figures for the generated households to the pinned test fixture.

Run from the repository root under a Python that has PolicyEngine UK 2.162.10, pydantic and
PyYAML:

    PYTHONPATH=. /tmp/pe/bin/python -m calculator.oracle.regenerate

The fixture is committed, so the ordinary test run needs no PolicyEngine; run this again
only when the households, the mapping or the pinned PolicyEngine version change, and review
the diff. See docs/policyengine-oracle.md.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from calculator.oracle import policyengine
from calculator.oracle.households import SEED, Case, generate, validate

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "calculator" / "fixtures" / "policyengine_2026_27.json"
# Each household as the engine should see it, and PolicyEngine's figures for it.
Result = tuple[dict[str, Any], dict[str, Any]]


def _arguments(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("--output", type=Path, default=FIXTURE, help="where to write (default: %(default)s)")
    parser.add_argument(
        "--seed", type=int, default=SEED, help="household generator seed (default: %(default)s)"
    )
    parser.add_argument(
        "--batch", type=int, default=66, help="households per PolicyEngine simulation (default: %(default)s)"
    )
    parser.add_argument(
        "--check",
        type=int,
        default=4,
        help="households to run again alone, to confirm batching changes nothing (default: %(default)s)",
    )
    parser.add_argument(
        "--any-version",
        action="store_true",
        help=f"run with a PolicyEngine UK other than {policyengine.POLICYENGINE_UK_VERSION}",
    )
    return parser.parse_args(argv)


def _run_in_batches(cases: list[Case], batch: int, say: Callable[[str], None]) -> list[Result]:
    results: list[Result] = []
    for start in range(0, len(cases), batch):
        part = cases[start : start + batch]
        results.extend(policyengine.run_all(part))
        say(f"PolicyEngine: {start + len(part)}/{len(cases)} households")
    return results


def _check_alone(cases: list[Case], results: list[Result], check: int, say: Callable[[str], None]) -> None:
    """Households spread from the first to the last give the same figures run alone."""
    last = len(cases) - 1
    checks = sorted({round(i * last / max(1, check - 1)) for i in range(check)})
    for n, index in enumerate(checks, start=1):
        alone = policyengine.run(cases[index])
        if alone != results[index]:
            raise policyengine.OracleError(
                f"{cases[index].id} gives different figures alone than in a batch:\n"
                f"alone {alone}\nbatch {results[index]}"
            )
        say(f"check {n}/{len(checks)}: {cases[index].id} alone matches its batch")


def _write(output: Path, cases: list[Case], results: list[Result], version: str) -> int:
    entries = []
    for case, (household, figures) in zip(cases, results, strict=True):
        validate(household)
        entries.append(
            {"id": case.id, "household": household, "policyengine": figures, "policyengine_version": version}
        )
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(entries, indent=1) + "\n", encoding="utf-8")
    return len(entries)


def main(argv: list[str] | None = None) -> int:
    args = _arguments(argv)
    started = time.monotonic()

    def say(message: str) -> None:
        print(f"[{time.monotonic() - started:6.1f}s] {message}", flush=True)

    version = policyengine.installed_version()
    if version != policyengine.POLICYENGINE_UK_VERSION and not args.any_version:
        print(
            f"PolicyEngine UK {version} is installed; the fixture is pinned to "
            f"{policyengine.POLICYENGINE_UK_VERSION} (use --any-version to run anyway)",
            file=sys.stderr,
        )
        return 2

    cases = generate(args.seed)
    say(f"generated {len(cases)} households (seed {args.seed}); PolicyEngine UK {version}")
    results = _run_in_batches(cases, args.batch, say)
    _check_alone(cases, results, args.check, say)
    written = _write(args.output, cases, results, version)
    say(f"wrote {written} households to {args.output}")
    print(f"elapsed {time.monotonic() - started:.1f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
