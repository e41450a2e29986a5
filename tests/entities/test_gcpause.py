"""The matcher pauses the cyclic collector for a call and gives it back as it found it."""

import gc
import threading

import pytest

from aiviewer.entities import default_matcher
from aiviewer.entities.gcpause import gc_paused


def test_collector_is_back_after_a_call_and_after_an_error():
    assert gc.isenabled()
    with gc_paused():
        assert not gc.isenabled()
        with gc_paused():  # nested (a find inside a find's caller's pause)
            assert not gc.isenabled()
        assert not gc.isenabled()
    assert gc.isenabled()
    with pytest.raises(ValueError), gc_paused():
        raise ValueError("bad text")
    assert gc.isenabled()
    default_matcher().find("OpenAI and Anthropic")
    assert gc.isenabled()


def test_a_collector_the_caller_turned_off_stays_off():
    gc.disable()
    try:
        default_matcher().find("GPT-4 and Claude")
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_threads_matching_at_once_leave_the_collector_on():
    matcher = default_matcher()
    text = "DeepSeek R1 against Qwen 3 and Claude Opus; " * 2000
    start = threading.Barrier(4)
    found = []

    def work():
        start.wait()
        for _ in range(3):
            found.append(len(matcher.find(text)))

    threads = [threading.Thread(target=work) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert gc.isenabled()
    assert len(set(found)) == 1 and found[0] > 0
