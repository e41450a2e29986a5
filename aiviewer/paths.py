"""Where things live: the user's data directory and the bundled seeds and resources.

An installed wheel carries `seeds/` and `resources/` under `aiviewer/_data/`; a
source checkout has them next to the package.  Both are looked up here so
nothing else needs to know which case it is.
"""

from __future__ import annotations

import os
from pathlib import Path

ENV_DATA_DIR = "AIVIEWER_DATA_DIR"
DB_NAME = "library.sqlite"

_PACKAGE = Path(__file__).resolve().parent


def data_dir(explicit: str | os.PathLike[str] | None = None) -> Path:
    """`--data-dir`, else $AIVIEWER_DATA_DIR, else the platform's user data dir."""
    if explicit:
        path = Path(explicit).expanduser()
    elif os.environ.get(ENV_DATA_DIR):
        path = Path(os.environ[ENV_DATA_DIR]).expanduser()
    else:
        import platformdirs

        path = Path(platformdirs.user_data_dir("aiviewer", appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def cache_dir() -> Path:
    """Where derived files that only save time live ($AIVIEWER_CACHE_DIR, else the
    platform's user cache dir).  Not created here: a cache that cannot be written is
    simply not kept."""
    if os.environ.get("AIVIEWER_CACHE_DIR"):
        return Path(os.environ["AIVIEWER_CACHE_DIR"]).expanduser()
    import platformdirs

    return Path(platformdirs.user_cache_dir("aiviewer", appauthor=False))


def keep_cached(path: Path, data: bytes) -> bool:
    """Write derived data to `path` in the cache, whole or not at all: under a temporary
    name, then renamed, so a reader never sees half a file.  False (and nothing left
    behind) when it cannot be written: a cache that cannot be kept only costs the work
    of making it again."""
    temp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        temp.write_bytes(data)
        os.replace(temp, path)
        return True
    except OSError:
        try:
            temp.unlink()
        except OSError:
            pass
        return False


def _bundled(name: str) -> Path:
    installed = _PACKAGE / "_data" / name
    if installed.is_dir():
        return installed
    return _PACKAGE.parent / name


def seeds_dir() -> Path:
    return _bundled("seeds")


def resources_dir() -> Path:
    return _bundled("resources")
