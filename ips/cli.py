"""The `ips` command line: set up the database, load the demo, manage teams and staff, report.

Every error is one line on stderr and a non-zero exit; nothing is half-written, because each
command's changes commit together or not at all.
"""

from __future__ import annotations

import functools
import logging
import sys
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import click
from sqlalchemy.exc import OperationalError, ProgrammingError
from sqlalchemy.orm import Session

from caseload import outbox as outbox_service
from caseload import staff as staff_service
from caseload import teams as team_service
from caseload.db import Database
from caseload.errors import CaseloadError, InvalidInput, UnknownUser
from caseload.in_work import InWorkRhythm
from caseload.ips_grow import quarterly_returns
from caseload.migrate import upgrade
from caseload.models import Nation, Role, Staff
from caseload.periods import Period, parse_period
from caseload.referral_waits import DEFAULT_WAIT_WORKING_DAYS
from caseload.reports import published_report, reports_by_month
from caseload.settings import get_settings
from caseload.validation import parse
from ips.context import SYSTEM_SLACK_ID, open_database, operator, require_migrated
from rendering.ips_grow import ips_grow_text, ips_grow_workbook, quarter_label
from rendering.tables import render_outcomes_csv, render_outcomes_table
from rendering.workbooks import outcomes_workbook, workbook_name

log = logging.getLogger("ips")


def one_line_errors(command: Callable[..., Any]) -> Callable[..., Any]:
    """Turn the errors a user can cause into one clear line and exit status 1."""

    @functools.wraps(command)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except InvalidInput as exc:
            raise click.ClickException(str(exc)) from None
        except CaseloadError as exc:
            raise click.ClickException(str(exc)) from None
        except (OperationalError, ProgrammingError) as exc:
            reason = str(exc.orig).strip().splitlines()[0] if exc.orig else str(exc)
            if "no such table" in reason or ("does not exist" in reason and "relation" in reason):
                raise click.ClickException(
                    "The database has no tables yet: run `ips db upgrade` first.") from None
            raise click.ClickException(f"Cannot use the database: {reason}") from None

    return wrapper


class OneLineErrorGroup(click.Group):
    """Click's own usage errors are three lines (usage, hint, error); ours are one, like the rest.

    A script or a platform log shows the last line of output; that line should say what was
    wrong and where to look, with nothing above it to scroll past.
    """

    def main(self, args: Sequence[str] | None = None, prog_name: str | None = None,
             complete_var: str | None = None, standalone_mode: bool = True, **extra: Any) -> Any:
        if not standalone_mode:
            return super().main(args, prog_name, complete_var, False, **extra)
        try:
            result = super().main(args, prog_name, complete_var, False, **extra)
        except click.exceptions.NoArgsIsHelpError as exc:
            exc.show()  # plain `ips`: the help is the answer, not an error line
            sys.exit(exc.exit_code)
        except click.UsageError as exc:
            where = f" (see: {exc.ctx.command_path} --help)" if exc.ctx else ""
            click.echo(f"Error: {exc.format_message()}{where}", err=True)
            sys.exit(exc.exit_code)
        except click.ClickException as exc:
            exc.show()
            sys.exit(exc.exit_code)
        except click.Abort:
            click.echo("Aborted!", err=True)
            sys.exit(1)
        # `--help` and ctx.exit(n) come back as their exit code; commands return None.
        sys.exit(result if isinstance(result, int) else 0)


@click.group(cls=OneLineErrorGroup)
@click.option("--database-url", envvar="DATABASE_URL", default=None,
              help="SQLAlchemy URL (default: DATABASE_URL or the local SQLite file).")
@click.pass_context
def main(ctx: click.Context, database_url: str | None) -> None:
    """IPS Assist: the caseload record, the calculator and the reminders, on one machine."""
    logging.basicConfig(level=get_settings().log_level,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    # Migration chatter is noise at the command line; errors still show.
    logging.getLogger("alembic").setLevel(logging.WARNING)
    ctx.obj = {"database_url": database_url or get_settings().database_url}


def _database(ctx: click.Context, migrated: bool = True) -> Database:
    database = open_database(ctx.obj["database_url"])
    # Close the pool when the command ends: in one process (tests, a script calling main)
    # each command would otherwise leave its PostgreSQL connections open until exit.
    ctx.find_root().call_on_close(database.dispose)
    if migrated:
        require_migrated(database)
    return database


@main.group()
def db() -> None:
    """Database schema."""


@db.command("upgrade")
@click.pass_context
@one_line_errors
def db_upgrade(ctx: click.Context) -> None:
    """Create or migrate the tables to the latest version."""
    upgrade(ctx.obj["database_url"])
    click.echo("Database is up to date.")


@main.command("demo-data")
@click.option("--if-empty", is_flag=True, help="Do nothing when teams already exist.")
@click.option("--seed", default=2026, show_default=True, help="Same seed, same demo.")
@click.pass_context
@one_line_errors
def demo_data(ctx: click.Context, if_empty: bool, seed: int) -> None:
    """Load a realistic demo: 3 teams, 12 staff, ~150 clients, a year of activity."""
    from ips.demo import has_data, load_demo

    database = _database(ctx)
    with database.transaction() as session:
        if has_data(session):
            if if_empty:
                click.echo("Demo not loaded: the database already has teams.")
                return
            raise click.ClickException(
                "The database already has teams; the demo goes into an empty database "
                "(use --if-empty to skip quietly).")
        click.echo("Loading the demo caseload…")
        summary = load_demo(session, seed=seed)
    statuses = ", ".join(f"{count} {status.replace('_', ' ')}"
                         for status, count in sorted(summary.statuses.items()))
    click.echo(f"Loaded {summary.teams} teams, {summary.staff} staff, {summary.clients} clients "
               f"({statuses}), {summary.contacts} employer contacts, "
               f"{summary.job_starts} job starts ({summary.second_jobs} second jobs, "
               f"{summary.below_minimum_wage} below the minimum wage), "
               f"{summary.re_referrals} re-referrals, {summary.in_work_at_referral} referred "
               f"already in work, {summary.past_holds} past holds and {summary.late_contacts} "
               f"contact{'' if summary.late_contacts == 1 else 's'} logged late (last month's "
               "report shows what changed).")


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=click.IntRange(1, 65535))
@click.pass_context
@one_line_errors
def serve(ctx: click.Context, host: str, port: int) -> None:
    """Run everything in one process (web pages now; the bot and clock when configured)."""
    from ips.serve import CannotListen, run

    database = _database(ctx)
    try:
        run(database, host=host, port=port)
    except CannotListen as exc:
        raise click.ClickException(str(exc)) from None


@main.command("clock")
@click.pass_context
@one_line_errors
def clock_command(ctx: click.Context) -> None:
    """Run the reminders clock on its own (the Procfile's clock process)."""
    from reminders import clock as reminders_clock

    database = _database(ctx)
    try:
        reminders_clock.main(database)
    except SystemExit as exc:
        # The clock says what is missing (a token, say) as a SystemExit message; keep the
        # command line's one-line "Error: ..." shape for it.
        if isinstance(exc.code, str):
            raise click.ClickException(exc.code.removesuffix(".") + ".") from None
        raise


def _wait_until_stopped() -> None:
    """Block the foreground process until Ctrl+C or SIGTERM (the platform's stop)."""
    import contextlib
    import signal
    import threading

    from ips.serve import _exit_on_sigterm

    signal.signal(signal.SIGTERM, _exit_on_sigterm)
    # Ctrl+C is how a person stops it; not an error.
    with contextlib.suppress(KeyboardInterrupt):
        threading.Event().wait()


@main.command("bot")
@click.pass_context
@one_line_errors
def bot_command(ctx: click.Context) -> None:
    """Run the Slack bot on its own over Socket Mode (the Procfile's bot process)."""
    from bot import app as bot_app
    from bot.settings import BotSettings

    # Checked here, before connecting, so a missing token is one line naming what to set
    # rather than an error from deep inside slack_bolt.
    settings = BotSettings()
    missing = [name for name, value in (("SLACK_BOT_TOKEN", settings.slack_bot_token),
                                        ("SLACK_APP_TOKEN", settings.slack_app_token))
               if not value]
    if missing:
        raise click.ClickException(
            f"The bot needs {' and '.join(missing)} for Socket Mode; set them in .env.")
    database = _database(ctx)
    handle = bot_app.start(database, settings)
    click.echo("Slack bot connected over Socket Mode  (Ctrl+C to stop)")
    try:
        _wait_until_stopped()
    finally:
        handle.stop()


@main.command("slack-manifest")
@click.option("--public-url", default=None, metavar="https://HOST",
              help="Print the HTTP-mode manifest with request URLs on this host instead.")
def slack_manifest(public_url: str | None) -> None:
    """Print the Slack app manifest: Socket Mode as kept, or HTTP mode for a public host."""
    from bot.manifest import manifest_text, render_http_mode_manifest

    try:
        text = manifest_text() if public_url is None else render_http_mode_manifest(public_url)
    except FileNotFoundError as exc:  # an installed copy without the checkout's slack/
        raise click.ClickException(str(exc)) from None
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--public-url") from None
    click.echo(text, nl=False)


@main.group()
def team() -> None:
    """Teams."""


@team.command("add")
@click.argument("name")
@click.option("--nation", type=click.Choice([n.value for n in Nation]), default="ENG",
              show_default=True, help="For bank holidays.")
@click.option("--channel", "slack_channel_id", default=None, help="Slack channel id, e.g. C0123ABCD.")
@click.option("--referral-target", default=0, show_default=True, type=int,
              help="Referrals a month.")
@click.option("--job-start-target", default=0, show_default=True, type=int,
              help="Job starts a month.")
@click.option("--started", "service_started_on", default=None,
              help="Service start date, YYYY-MM-DD.")
@click.option("--workspace", "slack_team_id", default=None, metavar="T0123ABCD",
              help="Slack workspace id, when several workspaces use this install.")
@click.pass_context
@one_line_errors
def team_add(ctx: click.Context, name: str, nation: str, slack_channel_id: str | None,
             referral_target: int, job_start_target: int, service_started_on: str | None,
             slack_team_id: str | None) -> None:
    """Add a team."""
    new = parse(team_service.NewTeam, {
        "name": name, "nation": nation, "slack_channel_id": slack_channel_id,
        "referral_target_per_month": referral_target,
        "job_start_target_per_month": job_start_target,
        "service_started_on": service_started_on,
        "slack_team_id": slack_team_id,
    })
    with _database(ctx).transaction() as session:
        added = team_service.add_team(session, new, actor=operator(session))
        click.echo(f"Added team {added.name} (id {added.id}).")


@team.command("schedule")
@click.argument("name")
@click.option("--nudges-at", default=None, help="Four-week nudges, HH:MM London time (default 09:00).")
@click.option("--just-ask-day", type=click.Choice(team_service.WEEKDAYS), default=None,
              help="Day of the weekly \"just ask\" prompt (default monday).")
@click.option("--just-ask-at", default=None, help="Time of the prompt, HH:MM (default 10:00).")
@click.pass_context
@one_line_errors
def team_schedule(ctx: click.Context, name: str, nudges_at: str | None, just_ask_day: str | None,
                  just_ask_at: str | None) -> None:
    """Set when this team's reminders go out; options left out go back to the defaults."""
    schedule = parse(team_service.TeamSchedule, {
        "nudges_at": nudges_at, "just_ask_at": just_ask_at,
        "just_ask_weekday": (team_service.WEEKDAYS.index(just_ask_day)
                             if just_ask_day is not None else None),
    })
    with _database(ctx).transaction() as session:
        team_ = team_service.team_by_name(session, name)
        team_service.set_schedule(session, team_, schedule, actor=operator(session))
    day = just_ask_day or "monday"
    click.echo(f"{name}: nudges at {(schedule.nudges_at or time(9, 0)):%H:%M}; \"just ask\" on "
               f"{day.capitalize()} at {(schedule.just_ask_at or time(10, 0)):%H:%M}.")


IN_WORK_OPTIONS = {"first_weeks": "--first-weeks", "first_every_days": "--first-every",
                   "then_every_days": "--then-every"}


@team.command("in-work")
@click.argument("name")
@click.option("--first-weeks", type=int, default=None,
              help="Weeks at the early pace from the start of a job (default 4).")
@click.option("--first-every", "first_every_days", type=int, default=None,
              help="Days between contacts in those first weeks (default 7).")
@click.option("--then-every", "then_every_days", type=int, default=None,
              help="Days between contacts after them (default 30).")
@click.pass_context
@one_line_errors
def team_in_work(ctx: click.Context, name: str, first_weeks: int | None,
                 first_every_days: int | None, then_every_days: int | None) -> None:
    """Set how often people in work hear from their specialist; options left out go back to
    the defaults (weekly for four weeks of a job, then every 30 days)."""
    given = {"first_weeks": first_weeks, "first_every_days": first_every_days,
             "then_every_days": then_every_days}
    try:
        rhythm = parse(team_service.InWorkRhythmSetting,
                       {key: value for key, value in given.items() if value is not None})
    except InvalidInput as exc:  # named as the option the operator typed
        raise click.ClickException("; ".join(
            f"{IN_WORK_OPTIONS.get(e.field, e.field)}: {e.message}" for e in exc.errors)) from None
    with _database(ctx).transaction() as session:
        team_ = team_service.team_by_name(session, name)
        team_service.set_in_work_rhythm(session, team_, rhythm, actor=operator(session))
        described = InWorkRhythm.of(team_).describe()
    click.echo(f"{name}: in-work support contacts {described}.")


@team.command("referral-wait")
@click.argument("name")
@click.argument("working_days", type=int, required=False)
@click.pass_context
@one_line_errors
def team_referral_wait(ctx: click.Context, name: str, working_days: int | None) -> None:
    """How many working days a referral may wait unaccepted before the team leaders hear of it
    (left out: the default, 5)."""
    wait = parse(team_service.ReferralWait, {"working_days": working_days})
    with _database(ctx).transaction() as session:
        team_ = team_service.team_by_name(session, name)
        team_service.set_referral_wait(session, team_, wait, actor=operator(session))
    days = wait.working_days or DEFAULT_WAIT_WORKING_DAYS
    click.echo(f"{name}: team leaders hear of referrals unaccepted after {days} working days, "
               "and again each week they wait.")


def _workspace(slack_team_id: str | None) -> str:
    return f"workspace {slack_team_id}" if slack_team_id else "the one workspace"


@team.command("set-workspace")
@click.argument("name")
@click.argument("slack_team_id", metavar="WORKSPACE_ID", required=False)
@click.pass_context
@one_line_errors
def team_set_workspace(ctx: click.Context, name: str, slack_team_id: str | None) -> None:
    """Record a team's Slack workspace id (T0123ABCD); leave it out for the one workspace.

    Once several workspaces use this install, give every team its workspace: until then its
    clients and figures are open to every workspace's regional trainers and admins.
    """
    with _database(ctx).transaction() as session:
        team_ = team_service.team_by_name(session, name)
        team_service.set_workspace(session, team_, slack_team_id, actor=operator(session))
        click.echo(f"{team_.name} is in {_workspace(team_.slack_team_id)}.")


@team.command("list")
@click.pass_context
@one_line_errors
def team_list(ctx: click.Context) -> None:
    """List teams."""
    with _database(ctx).reading() as session:
        rows = team_service.list_teams(session)
    if not rows:
        click.echo("No teams yet. Add one with: ips team add \"Team name\"")
        return
    click.echo(f"{'id':>4}  {'name':40}  nation  ref/month  starts/month  channel      workspace")
    for t in rows:
        click.echo(f"{t.id:>4}  {t.name:40}  {t.nation.value:6}  {t.referral_target_per_month:>9}"
                   f"  {t.job_start_target_per_month:>12}  {t.slack_channel_id or '-':11}"
                   f"  {t.slack_team_id or '-'}")


@main.group("outbox")
def outbox_group() -> None:
    """Slack messages waiting to be sent, or given up: list, retry or cancel one."""


@outbox_group.command("list")
@click.pass_context
@one_line_errors
def outbox_list(ctx: click.Context) -> None:
    """Pending and failed messages, oldest first, with the last reason and their age."""
    rows = outbox_service.waiting(_database(ctx))
    if not rows:
        click.echo("Nothing waiting: every message has been sent.")
        return
    now = datetime.now(UTC)
    click.echo(f"{'id':>6}  {'status':8}  {'age':>8}  {'tries':>5}  {'to':12}  key / last reason")
    for row in rows:
        age = _age(now - row.created_at)
        click.echo(f"{row.id:>6}  {row.status.value:8}  {age:>8}  {row.attempts:>5}  "
                   f"{row.recipient:12}  {row.key}")
        if row.last_error:
            click.echo(f"{'':>37}  {row.last_error[:200]}")


def _age(elapsed: timedelta) -> str:
    minutes = int(elapsed.total_seconds() // 60)
    if minutes < 60:
        return f"{minutes}m"
    return f"{minutes // 60}h{minutes % 60:02d}m" if minutes < 48 * 60 else f"{minutes // 1440}d"


@outbox_group.command("retry")
@click.argument("message_id", type=int)
@click.pass_context
@one_line_errors
def outbox_retry(ctx: click.Context, message_id: int) -> None:
    """Send message MESSAGE_ID at the clock's next sweep, with its attempts counted afresh."""
    with _database(ctx).transaction() as session:
        row = outbox_service.retry(session, operator(session), message_id)
        click.echo(f"Outbox message {row.id} ({row.key}) will be sent at the next sweep.")


@outbox_group.command("cancel")
@click.argument("message_id", type=int)
@click.pass_context
@one_line_errors
def outbox_cancel(ctx: click.Context, message_id: int) -> None:
    """Never send message MESSAGE_ID."""
    with _database(ctx).transaction() as session:
        row = outbox_service.cancel(session, operator(session), message_id)
        click.echo(f"Outbox message {row.id} ({row.key}) is cancelled.")


@main.group()
def staff() -> None:
    """Staff: who people are in Slack, their role and team."""


ROLE_CHOICE = click.Choice([r.value for r in Role])


def _team_id(session: Session, name: str | None) -> int | None:
    if name is None:
        return None
    try:
        return team_service.team_by_name(session, name).id
    except CaseloadError:
        raise InvalidInput.one("team", f"there is no team called {name!r}") from None


@staff.command("add")
@click.argument("slack_user_id")
@click.argument("display_name")
@click.option("--role", required=True, type=ROLE_CHOICE)
@click.option("--team", "team_name", default=None, help="Team name (all roles but trainer and admin).")
@click.option("--fte", default="1.00", show_default=True, help="Full-time equivalent, e.g. 0.6.")
@click.option("--workspace", "slack_team_id", default=None, metavar="T0123ABCD",
              help="Their Slack workspace id; needed when several workspaces have installed the app.")
@click.pass_context
@one_line_errors
def staff_add(ctx: click.Context, slack_user_id: str, display_name: str, role: str,
              team_name: str | None, fte: str, slack_team_id: str | None) -> None:
    """Add a person by their Slack user id (e.g. U0123ABCD) and name as shown in Slack."""
    try:
        fte_value = Decimal(fte)
    except InvalidOperation:
        raise InvalidInput.one("fte", f"{fte!r} is not a number") from None
    with _database(ctx).transaction() as session:
        new = parse(staff_service.NewStaff, {
            "slack_user_id": slack_user_id, "display_name": display_name, "role": role,
            "team_id": _team_id(session, team_name), "fte": fte_value,
            "slack_team_id": slack_team_id,
        })
        added = staff_service.add_staff(session, new, actor=operator(session))
        click.echo(f"Added {added.display_name} as {added.role.value.replace('_', ' ')}.")


@staff.command("list")
@click.option("--team", "team_name", default=None)
@click.pass_context
@one_line_errors
def staff_list(ctx: click.Context, team_name: str | None) -> None:
    """List staff, optionally for one team."""
    with _database(ctx).reading() as session:
        rows = staff_service.list_staff(session, _team_id(session, team_name))
        names: dict[int | None, str] = {t.id: t.name for t in team_service.list_teams(session)}
    rows = [r for r in rows if r.slack_user_id != SYSTEM_SLACK_ID]
    if not rows:
        click.echo("No staff yet. Add someone with: ips staff add U0123ABCD \"Name\" --role ...")
        return
    # A header like `team list` has, so the columns can be read without knowing the code.
    click.echo(f"{'slack id':12}  {'name':24}  {'role':22}  {'team':38}  fte")
    for person in rows:
        state = "" if person.active else "  (inactive)"
        click.echo(f"{person.slack_user_id:12}  {person.display_name:24}  "
                   f"{person.role.value:22}  {names.get(person.team_id, '-'):38}  "
                   f"{person.fte}{state}")


@staff.command("set-role")
@click.argument("slack_user_id")
@click.argument("role", type=ROLE_CHOICE, metavar="ROLE")
@click.option("--team", "team_name", default=None, help="Move to this team as well.")
@click.pass_context
@one_line_errors
def staff_set_role(ctx: click.Context, slack_user_id: str, role: str, team_name: str | None) -> None:
    """Change someone's role (and team)."""
    if slack_user_id == SYSTEM_SLACK_ID:
        # Demoting the account the command line acts as would leave its changes unaudited.
        raise InvalidInput.one("slack_user_id", f"{SYSTEM_SLACK_ID} is the command line's own "
                               "admin account and keeps its role")
    with _database(ctx).transaction() as session:
        person = _staff_member(session, slack_user_id)
        staff_service.set_role(session, person, Role(role), _team_id(session, team_name),
                               actor=operator(session))
        click.echo(f"{person.display_name} is now {role.replace('_', ' ')}.")


def _staff_member(session: Session, slack_user_id: str) -> Staff:
    try:
        return staff_service.staff_by_slack_id(session, slack_user_id)
    except UnknownUser:
        # The service's message speaks to the Slack user themselves ("ask your team leader");
        # the operator here needs to know which argument matched nobody.
        raise InvalidInput.one("slack_user_id", f"there is no staff member with Slack "
                               f"user id '{slack_user_id}' (see: ips staff list)") from None


@staff.command("set-workspace")
@click.argument("slack_user_id")
@click.argument("slack_team_id", metavar="WORKSPACE_ID", required=False)
@click.pass_context
@one_line_errors
def staff_set_workspace(ctx: click.Context, slack_user_id: str, slack_team_id: str | None) -> None:
    """Record someone's Slack workspace id (T0123ABCD); leave it out for the one workspace."""
    with _database(ctx).transaction() as session:
        person = _staff_member(session, slack_user_id)
        staff_service.set_workspace(session, person, slack_team_id, actor=operator(session))
        click.echo(f"{person.display_name} is in {_workspace(person.slack_team_id)}.")


@main.group()
def report() -> None:
    """Reports."""


@report.command("outcomes")
@click.option("--period", "period_text", default=None,
              help="month, quarter or year (the last complete one), YYYY-MM, or a financial "
                   "quarter such as 2026-Q1 (April to June 2026). Default: last month.")
@click.option("--from", "from_day", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="First day, YYYY-MM-DD (with --to, instead of --period).")
@click.option("--to", "to_day", type=click.DateTime(["%Y-%m-%d"]), default=None,
              help="Last day, YYYY-MM-DD (included).")
@click.option("--team", "team_name", default=None, help="One team (default: every team).")
@click.option("--format", "output_format", type=click.Choice(["text", "csv", "xlsx"]),
              default="text", show_default=True)
@click.option("--output", "output_path", type=click.Path(dir_okay=False, writable=True),
              default=None, help="Where to write the xlsx (default: a file named for the period).")
@click.pass_context
@one_line_errors
def report_outcomes(ctx: click.Context, period_text: str | None, from_day: datetime | None,
                    to_day: datetime | None, team_name: str | None, output_format: str,
                    output_path: str | None) -> None:
    """Referrals, job starts against target, people into work, employment rate, caseloads,
    overdue and better-off counts for any period, with what has changed since it was first
    reported."""
    from caseload import clock

    period = _report_period(clock.today(), period_text, from_day, to_day)
    database = _database(ctx)
    with database.reading() as session:
        team_id = _team_id(session, team_name)
    report_ = published_report(database, period, team_id=team_id)
    if output_format == "text":
        click.echo(render_outcomes_table(report_), nl=False)
    elif output_format == "csv":
        click.echo(render_outcomes_csv(report_), nl=False)
    else:
        with database.reading() as session:
            months = reports_by_month(session, period, team_id)
        path = Path(output_path or workbook_name(period))
        path.write_bytes(outcomes_workbook(report_, months))
        click.echo(f"Wrote {path} ({report_.period.label()}).")


@report.command("ips-grow")
@click.option("--quarter", "quarter_text", default="quarter",
              help="A financial quarter such as 2026-Q1 (April to June 2026). Default: the last "
                   "complete one.")
@click.option("--team", "team_name", default=None, help="One team (default: every team).")
@click.option("--format", "output_format", type=click.Choice(["text", "xlsx"]), default="text",
              show_default=True)
@click.option("--output", "output_path", type=click.Path(dir_okay=False, writable=True),
              default=None, help="Where to write the xlsx (default: a file named for the quarter).")
@click.pass_context
@one_line_errors
def report_ips_grow(ctx: click.Context, quarter_text: str, team_name: str | None,
                    output_format: str, output_path: str | None) -> None:
    """The figures IPS Grow's quarterly return asks each service for, laid out to copy across."""
    from caseload import clock

    try:
        period = parse_period(quarter_text, clock.today())
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--quarter") from None
    if period.months() != 3:
        raise click.BadParameter("give a financial quarter such as 2026-Q1, or quarter",
                                 param_hint="--quarter")
    with _database(ctx).reading() as session:
        returns = quarterly_returns(session, period, _team_id(session, team_name))
    if output_format == "text":
        click.echo(ips_grow_text(period, returns), nl=False)
        return
    path = Path(output_path or f"ips-grow-return-{period.start:%Y-%m}.xlsx")
    path.write_bytes(ips_grow_workbook(period, returns))
    click.echo(f"Wrote {path} ({quarter_label(period)}).")


def _report_period(today: date, text: str | None, from_day: datetime | None,
                   to_day: datetime | None) -> Period:
    if (from_day is None) != (to_day is None):
        raise click.BadParameter("give both --from and --to, or neither",
                                 param_hint="--from" if from_day is None else "--to")
    if from_day is not None and to_day is not None:
        if text is not None:
            raise click.BadParameter("give --period or --from and --to, not both",
                                     param_hint="--period")
        if to_day < from_day:
            raise click.BadParameter("the last day is before the first", param_hint="--to")
        return Period(from_day.date(), to_day.date() + timedelta(days=1))
    try:
        return parse_period(text or "month", today)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--period") from None
