"""Slack plumbing the bot and the clock share: the client, the installs and their tokens, the
messages both send, and which workspace's token reaches whom."""
