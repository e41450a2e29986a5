"""The only package that speaks SQL.  Each module holds the named queries of one aggregate."""

from aiviewer.store import _sqlite_utils  # noqa: F401  (first: sqlite_utils without numpy)
from aiviewer.store.db import Store

__all__ = ["Store"]
