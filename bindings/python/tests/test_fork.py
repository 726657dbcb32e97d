"""Processes: multiprocessing with the fork start method (Linux's default before Python 3.14)
after the library has run calls. A child's own client works; the client it inherited refuses
with StateError; the parent keeps working. A child that hangs fails the test (joined with a
time limit, then killed) instead of hanging it."""

from __future__ import annotations

import multiprocessing
import sys

import pytest

import sendsecure

from conftest import ACCOUNT, DEMO

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="no fork on Windows")

_inherited = None  # the parent's client, seen by the forked children


def _child(endpoint: str, results) -> None:
    try:
        with pytest.raises(sendsecure.StateError, match="created before this process was forked"):
            _inherited.enterprise_settings()
        with pytest.raises(sendsecure.StateError, match="created before this process was forked"):
            _inherited.cancel()
        with sendsecure.Client.login(ACCOUNT, DEMO[0], DEMO[1], endpoint) as own:
            profile = own.enterprise_settings().default_security_profile_id
        _inherited.close()  # frees it without touching the parent's connections
        results.put(("ok", profile))
    except BaseException as e:  # reported to the parent, which fails the test
        results.put(("failed", repr(e)))


def test_forked_children_use_their_own_clients(client, endpoint):
    global _inherited
    _inherited = client
    assert client.enterprise_settings().default_security_profile_id == 1  # the library has run
    context = multiprocessing.get_context("fork")
    results = context.Queue()
    for _ in range(4):
        child = context.Process(target=_child, args=(endpoint, results))
        child.start()
        # The parent's calls meanwhile, on the client the child inherited.
        assert client.enterprise_settings().default_security_profile_id == 1
        child.join(60)
        if child.is_alive():
            child.kill()
            child.join()
            pytest.fail("a forked child hung in a libsendsecure call")
        assert child.exitcode == 0
        assert results.get(timeout=5) == ("ok", 1)
        assert client.enterprise_settings().default_security_profile_id == 1
    _inherited = None
