"""`aiviewer bench insights` runs end to end on the seeds and reports its lines (the
figures themselves are for the README, never asserted: no test checks a time)."""

from __future__ import annotations

from aiviewer.cli import main


def test_bench_insights_reports_first_cached_and_after_a_change(capsys):
    assert main(["bench", "insights", "--factor", "1", "--runs", "1"]) == 0
    out = capsys.readouterr().out
    for line in ("reference: SQL GROUP BY", "every insight, first time", "every insight, cached",
                 "after a change", "cached: co-occurrence matrix (PMI)"):
        assert line in out, out
    assert "count afresh: 1 of 1 runs" in out
