"""The Slack bot: listeners that turn Slack payloads into caseload calls, and Block Kit views."""
