"""The `ips` command line and the single-machine process that runs everything."""
