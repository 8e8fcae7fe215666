"""Which Slack client sends to whom when several workspaces have installed the app.

With one SLACK_BOT_TOKEN every message goes with it. With multi-workspace install there is
no such token: each workspace has its own bot token in the installation store, and a token
only reaches people and channels in its own workspace. So each recipient is looked up:

- a person by `Staff.slack_team_id`;
- a team's channel by `Team.slack_team_id`, else by the workspace its active staff are in
  (a channel of a team with no workspace whose staff span several, or none, cannot be placed).

The lookups are read once per job run (`refresh`), so an install, reinstall or uninstall is
seen by the next run without a query per message.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from slack_sdk import WebClient

from caseload.db import Database
from caseload.recipients import slack_workspaces
from messaging.oauth import DatabaseInstallationStore
from messaging.slack_client import make_slack_client


@dataclass
class Routes:
    """One run's view: recipient (user or channel id) → workspace, workspace → bot token."""

    workspace_of: dict[str, str | None]
    token_of: dict[str, str]


@dataclass
class Workspaces:
    db: Database
    api_url: str
    _routes: Routes | None = None
    # One client per token, kept across runs: each holds its own retry handlers.
    _clients: dict[str, WebClient] = field(default_factory=dict)

    def refresh(self) -> None:
        """Forget this run's lookups; the next send reads them again."""
        self._routes = None

    def _load(self) -> Routes:
        if self._routes is None:
            with self.db.reading() as session:
                routes = slack_workspaces(session)
            tokens = DatabaseInstallationStore(self.db).bot_tokens_by_workspace()
            self._routes = Routes(routes, tokens)
        return self._routes

    def workspace_of(self, recipient: str | None) -> str | None:
        return None if recipient is None else self._load().workspace_of.get(recipient)

    def client_for(self, recipient: str | None) -> WebClient | None:
        """The client with the recipient's workspace's bot token; None if there is none."""
        workspace = self.workspace_of(recipient)
        token = None if workspace is None else self._load().token_of.get(workspace)
        if token is None:
            return None
        if token not in self._clients:
            self._clients[token] = make_slack_client(token, self.api_url)
        return self._clients[token]
