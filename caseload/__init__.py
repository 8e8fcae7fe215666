"""The caseload record: teams, staff, clients and everything done for them, with the rules.

No Slack and no Flask here: the bot, the calculator and the reminders clock all call in.
"""
