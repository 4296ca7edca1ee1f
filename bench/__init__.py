"""Benchmarks: scripts that print their figures. Run them with `make bench`, never in `make test`."""
