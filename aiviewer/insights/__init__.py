"""Insights: who talks about what, what goes together, how it changes — counted
from the library's mentions, speakers, tags and dates, every figure keeping the
passages it counts.  Pure: the rows come from `store.insights`, the charts go to
the CLI and the window; nothing here reads SQL or draws.

The counting (`counting`, `facts`) works on numpy arrays and is imported when a
chart is first asked for, not with the library: starting the app does not load numpy.
"""

from aiviewer.insights.model import Cell, Chart, Passage, Scope

INSIGHTS = ("entities", "cooccur", "speakers", "tags", "timeline")

__all__ = ["INSIGHTS", "Cell", "Chart", "Facts", "Passage", "Scope", "cooccurrence",
           "speakers", "tags", "timeline", "top_entities"]


def __getattr__(name: str):
    if name == "Facts":
        from aiviewer.insights.facts import Facts
        return Facts
    if name in ("cooccurrence", "speakers", "tags", "timeline", "top_entities"):
        from aiviewer.insights import counting
        return getattr(counting, name)
    raise AttributeError(name)
