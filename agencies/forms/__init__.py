"""Forms, one module per area (auth, shares). Import from the module: the package re-exports nothing."""
