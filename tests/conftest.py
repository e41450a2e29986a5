"""Fixtures shared by every test area: where the seeds and the shared corpus are."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

# derived files (matcher builds, the parsed catalog, word lists) go to a cache of the
# test session, not the user's: a test run filled the real cache's few slots with
# builds of test entities and evicted the one every import loads.  Set before any
# test starts the app or a child job, which inherit it.
_OWN_CACHE = None if "AIVIEWER_CACHE_DIR" in os.environ else tempfile.mkdtemp(
    prefix="aiviewer-test-cache-")
if _OWN_CACHE is not None:
    os.environ["AIVIEWER_CACHE_DIR"] = _OWN_CACHE


def pytest_unconfigure(config) -> None:
    if _OWN_CACHE is not None:
        import shutil

        shutil.rmtree(_OWN_CACHE, ignore_errors=True)

REPO = Path(__file__).resolve().parents[1]
SEEDS = REPO / "seeds"
SHARED = REPO.parent / "shared"
CORPUS = SHARED / "corpus"


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return SEEDS


# Every check that needs a file of ../shared (the folder beside the repository: corpus/,
# refi-qda/, …) finds it through `shared_path`, which skips with this reason when it is
# absent; the end of the run then says in one line how many checks did not run and why.
NEEDS_SHARED = "needs ../shared: "


def shared_path(relative: str, what: str) -> Path:
    """`../shared/relative`, or skip the test saying `what` is missing."""
    path = SHARED / relative
    if not path.exists():
        pytest.skip(f"{NEEDS_SHARED}{what} (../shared/{relative} is absent)")
    return path


@pytest.fixture(scope="session")
def shared_file():
    """shared_file("refi-qda/Project.xsd", "REFI-QDA schema") → the path, or a skip."""
    return shared_path


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    return shared_path("corpus", "corpus transcripts")


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    return shared_path(".", "the shared folder")


def pytest_terminal_summary(terminalreporter) -> None:
    whats: dict[str, int] = {}
    for report in terminalreporter.stats.get("skipped", []):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else ""
        if NEEDS_SHARED in reason:
            what = reason.split(NEEDS_SHARED, 1)[1].split(" (", 1)[0]
            whats[what] = whats.get(what, 0) + 1
    if not whats:
        return
    n = sum(whats.values())
    where = "../shared is absent" if not SHARED.is_dir() else "files are missing from ../shared"
    terminalreporter.write_line(
        f"{n} check{'' if n == 1 else 's'} did not run: {where} ({', '.join(whats)}); "
        f"put the shared folder beside the repository ({SHARED}) to run them",
        yellow=True, bold=True)


@pytest.fixture(scope="session")
def seed():
    """seed("003") → the seed file whose name starts with that prefix."""
    def find(prefix: str) -> Path:
        return next(SEEDS.glob(f"{prefix}_*.txt"))
    return find


@pytest.fixture(scope="session")
def seeded_dir(tmp_path_factory, seeds_dir):
    """A library with the seeds imported once in the session; tests copy it
    (`seeded_copy`) rather than import the seeds again."""
    from aiviewer.library import Library

    path = tmp_path_factory.mktemp("seeded")
    with Library(path) as lib:
        lib.import_paths([seeds_dir])
    return path


@pytest.fixture(scope="session")
def seeded_copy(tmp_path_factory, seeded_dir):
    """seeded_copy("name") → a fresh copy of the seeded library to write to."""
    import shutil

    def copy(name: str = "lib") -> Path:
        target = tmp_path_factory.mktemp(name) / "lib"
        shutil.copytree(seeded_dir, target)
        return target
    return copy
