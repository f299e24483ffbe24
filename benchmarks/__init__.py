"""Benchmarks: quality and speed of the matcher against the usual alternatives."""
