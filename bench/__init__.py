"""Benchmarks and backend comparisons: run by `make bench`, never by the test suite."""
