"""The only package that speaks SQL.  Each module holds the named queries of one aggregate."""

from aiviewer.store.db import Store

__all__ = ["Store"]
