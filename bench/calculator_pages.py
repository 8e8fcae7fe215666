"""Benchmark: the advisor's result page under load, as it runs in production.

Starts gunicorn (2 sync workers, the Procfile's setting) with the calculator on its own on a
loopback port, then drives `POST /result` (the form's answers, as a browser posts them) from
a second process with wrk (Debian package `wrk`). The server's own time for each request
comes from gunicorn's access log (%(M)s: milliseconds from request to response), so queueing
in front of the workers is not counted in it; throughput and worker memory as in
bench/calculator_http.py.

    .venv/bin/python bench/calculator_pages.py
    .venv/bin/python bench/calculator_pages.py --seconds 30 --connections 8

Targets (issue #15): server time p50 <= 15 ms, >= 200 result pages a second on 2 workers,
<= 120 MB resident per worker.
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import urllib.parse
import urllib.request
from pathlib import Path

from bench.calculator_http import free_port, wait_until_up, worker_rss_mb

ROOT = Path(__file__).resolve().parent.parent
# The household of the README's example: LCWRA, a child, social rent; 16 hours at £12.71.
FORM = {
    "age": "34",
    "capability": "lcwra_protected",
    "children_ages": "6",
    "tenure": "social_rent",
    "rent_monthly": "450",
    "hours_per_week": "16",
    "hourly_wage": "12.71",
    "pay_frequency": "weekly",
    "start_date": "2026-12-07",
}
WRK_SCRIPT = """
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/x-www-form-urlencoded"
wrk.body = "%s"
done = function(summary, latency, requests)
  io.write(string.format("JSON {\\"requests\\": %%d, \\"seconds\\": %%f, "
    .. "\\"p50_us\\": %%d, \\"p99_us\\": %%d, \\"non2xx\\": %%d, \\"errors\\": %%d}\\n",
    summary.requests, summary.duration / 1e6, latency:percentile(50), latency:percentile(99),
    summary.errors.status, summary.errors.connect + summary.errors.read + summary.errors.write
    + summary.errors.timeout))
end
"""


def start_gunicorn(workers: int, port: int, access_log: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "CALCULATOR_RATE_LIMIT_PER_MINUTE": "100000000"}
    command = [
        str(Path(sys.executable).parent / "gunicorn"), "--workers", str(workers),
        "--bind", f"127.0.0.1:{port}", "--log-level", "warning",
        "--access-logfile", str(access_log), "--access-logformat", "%(U)s %(s)s %(M)s",
        "calculator.web:create_app()",
    ]
    return subprocess.Popen(command, cwd=ROOT, env=env)


def post_result(base: str) -> bytes:
    body = urllib.parse.urlencode(FORM).encode()
    with urllib.request.urlopen(base + "/result", data=body) as response:
        page: bytes = response.read()
    if b"a month better off" not in page:
        raise SystemExit("the result page did not come back: check the form's answers")
    return page


def load(base: str, connections: int, seconds: int) -> dict[str, float]:
    import json

    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(WRK_SCRIPT % urllib.parse.urlencode(FORM))
    try:
        run = subprocess.run(
            ["wrk", "-t", "1", "-c", str(connections), "-d", f"{seconds}s", "--latency", "-s",
             script.name, base + "/result"],
            capture_output=True, text=True, check=True,
        )
    finally:
        os.unlink(script.name)
    figures: dict[str, float] = json.loads(run.stdout.split("JSON ", 1)[1].splitlines()[0])
    return figures


def workers_cpu_seconds(master_pid: int) -> float:
    """User and system CPU time the workers have used so far: the work a page costs, which
    other load on the machine does not inflate the way it does wall-clock time."""
    children = Path(f"/proc/{master_pid}/task/{master_pid}/children").read_text().split()
    ticks = 0
    for pid in children:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        ticks += int(fields[11]) + int(fields[12])  # utime and stime, fields 14 and 15 of stat
    return ticks / os.sysconf("SC_CLK_TCK")


def server_times_ms(access_log: Path) -> list[float]:
    """Each `POST /result`'s time in the worker, from the access log."""
    times = []
    for line in access_log.read_text().splitlines():
        path, status, millis = line.split()
        if path == "/result" and status == "200":
            times.append(float(millis))
    return times


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed: apt-get install wrk")

    port = free_port()
    with tempfile.TemporaryDirectory() as folder:
        access_log = Path(folder) / "access.log"
        gunicorn = start_gunicorn(args.workers, port, access_log)
        try:
            base = f"http://127.0.0.1:{port}"
            wait_until_up(base + "/healthz")
            size = len(post_result(base))
            for _ in range(50):  # every worker's imports, templates and rules, before measuring
                post_result(base)
            access_log.write_text("")
            cpu_before = workers_cpu_seconds(gunicorn.pid)
            print(f"gunicorn: {args.workers} workers; wrk: {args.connections} connections, "
                  f"{args.seconds} s; a result page is {size:,} bytes")
            figures = load(base, args.connections, args.seconds)
            cpu = workers_cpu_seconds(gunicorn.pid) - cpu_before
            rss = worker_rss_mb(gunicorn.pid)
        finally:
            gunicorn.send_signal(signal.SIGTERM)
            gunicorn.wait(timeout=20)
        times = sorted(server_times_ms(access_log))

    rate = figures["requests"] / figures["seconds"]
    p50 = statistics.median(times)
    p99 = times[int(len(times) * 0.99) - 1]
    print(f"requests: {figures['requests']:,} in {figures['seconds']:.1f} s; non-2xx {figures['non2xx']}, "
          f"socket errors {figures['errors']}")
    print(f"throughput          {rate:8,.0f} result pages/s   target >= 200")
    print(f"server time p50     {p50:8.1f} ms                target <= 15 ms")
    print(f"server time p99     {p99:8.1f} ms")
    print(f"client latency p50  {figures['p50_us'] / 1000:8.1f} ms (queueing included)")
    cpu_ms = cpu * 1000 / max(len(times), 1)
    print(f"worker CPU a page   {cpu_ms:8.1f} ms, so {args.workers} busy cores serve "
          f"{args.workers * 1000 / cpu_ms:,.0f} pages/s; load average {os.getloadavg()[0]:.1f}")
    print(f"worker memory       {', '.join(f'{mb:.0f} MB' for mb in rss)}   target <= 120 MB each")


if __name__ == "__main__":
    main()
