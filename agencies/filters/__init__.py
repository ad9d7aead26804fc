"""FilterSets, one module per list. Import from the module: the package re-exports nothing."""
