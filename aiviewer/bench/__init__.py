"""Benchmarks that print medians and ratios against a reference measured in the same run.

Speed claims come from here (DESIGN.md, principle 5), never from timed unit tests.
"""
