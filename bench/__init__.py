"""Benchmarks: `make bench` runs every bench/bench_*.py, prints a table and writes JSON."""
