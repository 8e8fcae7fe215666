"""The reminders clock: four-week nudges, fidelity review reminders, "just ask" prompts, reports."""
