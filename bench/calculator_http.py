"""Benchmark: the calculator service under load, as it runs in production.

Starts gunicorn (2 sync workers, the Procfile's setting) on a loopback port, then drives
`POST /v1/better-off` from a second process with wrk (Debian package `wrk`), and reads
each worker's resident memory from /proc afterwards.

    .venv/bin/python bench/calculator_http.py
    .venv/bin/python bench/calculator_http.py --seconds 30 --connections 16 --workers 2

Targets (issue #4): >= 1,000 requests a second, p99 <= 50 ms, <= 150 MB resident per worker.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BODY = {
    "household": {
        "claimant": {"age": 34, "lcwra": True},
        "children": [{"age": 6}],
        "housing": {"tenure": "social_rent", "rent_monthly": 450},
    },
    "job": {
        "hours_per_week": 16,
        "hourly_wage": 12.71,
        "pay_frequency": "weekly",
        "start_date": "2026-12-07",
    },
    "calculation_date": "2026-11-22",
}
WRK_SCRIPT = """
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.body = [[%s]]
done = function(summary, latency, requests)
  io.write(string.format("JSON {\\"requests\\": %%d, \\"seconds\\": %%f, "
    .. "\\"p50_us\\": %%d, \\"p99_us\\": %%d, "
    .. "\\"max_us\\": %%d, \\"non2xx\\": %%d, \\"errors\\": %%d}\\n",
    summary.requests, summary.duration / 1e6, latency:percentile(50), latency:percentile(99), latency.max,
    summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.timeout))
end
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(url: str, seconds: float = 20) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"the service did not come up at {url}")


def worker_rss_mb(master_pid: int) -> list[float]:
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
    sizes = []
    for pid in children:
        status = Path(f"/proc/{pid}/status").read_text()
        match = re.search(r"VmRSS:\s+(\d+) kB", status)
        if match:
            sizes.append(int(match.group(1)) / 1024)
    return sizes


def start_gunicorn(workers: int, port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "CALCULATOR_RATE_LIMIT_PER_MINUTE": "100000000"}
    command = [str(Path(sys.executable).parent / "gunicorn"), "--workers", str(workers),
               "--bind", f"127.0.0.1:{port}", "--log-level", "warning", "calculator.web:create_app()"]
    return subprocess.Popen(command, cwd=ROOT, env=env)


def warm(base: str) -> None:
    """Every worker's imports, parameter files and compiled rules, before measuring."""
    for _ in range(50):
        request = urllib.request.Request(base + "/v1/better-off", data=json.dumps(BODY).encode(),
                                         headers={"Content-Type": "application/json"})
        urllib.request.urlopen(request).read()


def load(base: str, threads: int, connections: int, seconds: int) -> dict[str, float]:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT % json.dumps(BODY))
    try:
        run = subprocess.run(["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{seconds}s",
                              "--latency", "-s", script.name, base + "/v1/better-off"],
                             capture_output=True, text=True, check=True)
    finally:
        os.unlink(script.name)
    figures: dict[str, float] = json.loads(run.stdout.split("JSON ", 1)[1].splitlines()[0])
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--threads", type=int, default=1, help="wrk threads (the load generator's own CPU)")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install wrk")

    port = free_port()
    gunicorn = start_gunicorn(args.workers, port)
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_up(base + "/healthz")
        warm(base)
        print(f"gunicorn: {args.workers} workers; wrk: {args.connections} connections, {args.seconds} s")
        figures = load(base, args.threads, args.connections, args.seconds)
        rss = worker_rss_mb(gunicorn.pid)
    finally:
        gunicorn.send_signal(signal.SIGTERM)
        gunicorn.wait(timeout=20)

    rate = figures["requests"] / figures["seconds"]
    print(
        f"requests: {figures['requests']:,} in {figures['seconds']:.1f} s; non-2xx {figures['non2xx']}, "
        f"socket errors {figures['errors']}"
    )
    print(f"throughput     {rate:8,.0f} requests/s   target >= 1,000")
    print(f"latency p50    {figures['p50_us'] / 1000:8.1f} ms")
    print(f"latency p99    {figures['p99_us'] / 1000:8.1f} ms       target <= 50 ms")
    print(f"worker memory  {', '.join(f'{mb:.0f} MB' for mb in rss)}   target <= 150 MB each")


if __name__ == "__main__":
    main()
