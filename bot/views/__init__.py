"""The bot's own Block Kit views (modals, Home, cards): pure functions from caseload results.

Messages the clock sends as well live in messaging/views, which these build on.
"""
