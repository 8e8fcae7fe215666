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
from pathlib import Path

from calculator.oracle import policyengine
from calculator.oracle.households import SEED, generate, validate

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "calculator" / "fixtures" / "policyengine_2026_27.json"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
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
    args = parser.parse_args(argv)

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

    results = []
    for start in range(0, len(cases), args.batch):
        batch = cases[start : start + args.batch]
        results.extend(policyengine.run_all(batch))
        say(f"PolicyEngine: {start + len(batch)}/{len(cases)} households")

    # Spread from the first household to the last.
    last = len(cases) - 1
    checks = sorted({round(i * last / max(1, args.check - 1)) for i in range(args.check)})
    for n, index in enumerate(checks, start=1):
        alone = policyengine.run(cases[index])
        if alone != results[index]:
            raise policyengine.OracleError(
                f"{cases[index].id} gives different figures alone than in a batch:\n"
                f"alone {alone}\nbatch {results[index]}"
            )
        say(f"check {n}/{len(checks)}: {cases[index].id} alone matches its batch")

    entries = []
    for case, (household, figures) in zip(cases, results, strict=True):
        validate(household)
        entries.append(
            {"id": case.id, "household": household, "policyengine": figures, "policyengine_version": version}
        )
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(entries, indent=1) + "\n", encoding="utf-8")
    say(f"wrote {len(entries)} households to {args.output}")
    print(f"elapsed {time.monotonic() - started:.1f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
