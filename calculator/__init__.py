"""The in-work better-off calculator: rules as data (parameters/), a pure engine, a web layer."""
