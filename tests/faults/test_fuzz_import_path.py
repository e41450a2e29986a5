"""Property-based, over the whole import path (issue 12): mutated seed and corpus
bytes written to files under hostile names go through `Library.import_paths`, and
mutated W3C / QDPX files through `import_annotations`.  The only outcomes allowed
are an import or the file's own one-line error.  A small fixed budget keeps CI
fast; `aiviewer bench fuzz` runs the large version (README)."""

from __future__ import annotations

import os
import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from aiviewer.bench import fuzz
from aiviewer.errors import AiviewerError
from aiviewer.library import Library

SOURCES = fuzz._sources()
BUDGET = settings(max_examples=25, deadline=None, derandomize=True,
                  suppress_health_check=[HealthCheck.too_slow,
                                         HealthCheck.function_scoped_fixture])
NAMES = [b"a.txt", b"b\xff\xfe.txt", b"new\nline.md", b"esc\x1b[31m.json", b"x.vtt", b"noext"]


@pytest.fixture(scope="module")
def lib(tmp_path_factory):
    library = Library(tmp_path_factory.mktemp("lib"))
    yield library
    library.close()


def _check(report) -> None:
    for o in report.outcomes:
        o.path.encode("utf-8")
        assert "\n" not in o.path
        if o.status == "failed":
            assert o.error and "\n" not in o.error and "Traceback" not in o.error


@BUDGET
@given(seed=st.integers(0, 2**32 - 1), name=st.sampled_from(NAMES))
def test_mutated_documents_through_import_paths(lib, tmp_path_factory, seed, name):
    rnd = random.Random(seed)
    folder = os.fsencode(tmp_path_factory.mktemp("in"))
    path = folder + b"/" + name
    with open(path, "wb") as fh:
        fh.write(fuzz.mutate(rnd.choice(SOURCES), rnd, window=6000))
    _check(lib.import_paths([path]).value)


# the crash inputs of issue 12, kept as explicit cases
CRASHES = {
    "surrogate.json": b'{"segments": [{"start": 0, "end": 1, "text": "x \\ud800 y z"}]}',
    "url.md": b"---\nurl: https://[oops/ep\n---\nGrace: hello there\nAlan: hi there\n"
              b"Grace: again\nAlan: and again\n",
    "url.json": b'{"url": "https://[oops/ep", "segments": [{"start": 0, "text": "hello you"}]}',
}


@pytest.mark.parametrize("name", sorted(CRASHES))
def test_the_issues_crash_inputs_import_or_fail_cleanly(lib, tmp_path, name):
    (tmp_path / name).write_bytes(CRASHES[name])
    report = lib.import_paths([tmp_path / name]).value
    _check(report)
    assert not report.failed, report.outcomes


@pytest.fixture(scope="module")
def annotation_files(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("ann")
    return tmp, fuzz._annotation_sources(tmp)


@BUDGET
@given(seed=st.integers(0, 2**32 - 1), which=st.integers(0, 1))
def test_mutated_annotation_files_through_import_annotations(annotation_files, seed, which):
    tmp, sources = annotation_files
    kind, data = sources[which]
    rnd = random.Random(seed)
    path = tmp / f"m{seed}.{'json' if kind == 'w3c' else 'qdpx'}"
    path.write_bytes(fuzz._mutated_annotation_file(kind, data, rnd))
    with Library(tmp / "src-lib") as lib:
        try:
            lib.import_annotations(path)
        except AiviewerError as exc:
            assert "\n" not in str(exc)
