"""Insights: who talks about what, what goes together, how it changes — counted
from the library's mentions, speakers, tags and dates, every figure keeping the
passages it counts.  Pure: the rows come from `store.insights`, the charts go to
the CLI and the window; nothing here reads SQL or draws.
"""

from aiviewer.insights.counting import (
    INSIGHTS,
    Facts,
    cooccurrence,
    speakers,
    tags,
    timeline,
    top_entities,
)
from aiviewer.insights.model import Cell, Chart, Passage, Scope

__all__ = ["INSIGHTS", "Cell", "Chart", "Facts", "Passage", "Scope", "cooccurrence",
           "speakers", "tags", "timeline", "top_entities"]
