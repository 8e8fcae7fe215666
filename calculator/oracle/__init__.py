"""PolicyEngine UK as an outside oracle for differential tests of the better-off engine.

`households` makes a fixed, seeded set of households in the engine's input schema;
`policyengine` runs one of them through PolicyEngine UK (an AGPL program we run, never
copy); `regenerate` writes the pinned results to tests/calculator/fixtures/ so the default
test run needs no PolicyEngine. See docs/policyengine-oracle.md.
"""
