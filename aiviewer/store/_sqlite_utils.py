"""sqlite_utils, loaded without numpy.

sqlite_utils imports numpy when it is loaded, only to map numpy's scalar types to
column types for tables it creates from Python values.  aiviewer never hands it
numpy values (sqlite3 could not bind them anyway), yet loading numpy is 90–190 ms
of the app's start — of a one-second budget to the window's first paint.  So
sqlite_utils is imported here with numpy hidden, unless numpy is loaded already;
numpy itself imports as usual afterwards (meaning search, insights)."""

from __future__ import annotations

import sys

if "sqlite_utils" not in sys.modules and "numpy" not in sys.modules:
    sys.modules["numpy"] = None  # type: ignore[assignment]  # "import numpy" fails
    try:
        import sqlite_utils  # noqa: F401
    finally:
        del sys.modules["numpy"]
