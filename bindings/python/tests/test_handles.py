"""Handles are freed exactly once (close, with, garbage collection), nothing leaks, and the
threading rules hold: shared clients, callbacks on the calling thread, cancel, close."""

from __future__ import annotations

import io
import threading
import time
import weakref

import pytest

import sendsecure
from sendsecure import Reply, Safebox

from conftest import ACCOUNT, DEMO, UNKNOWN_GUID, collect, wait_until

MiB = 1024 * 1024


@pytest.fixture
def baseline():
    collect()
    before = sendsecure.live_handles()
    yield before
    collect()
    assert sendsecure.live_handles() == before, "handles leaked"


def test_every_kind_of_handle_is_freed_by_close_with_and_gc(endpoint, create, unique, baseline):
    # close / with
    token = sendsecure.get_user_token(ACCOUNT, DEMO[0], DEMO[1], endpoint=endpoint)
    client = sendsecure.Client(token, ACCOUNT, endpoint)
    token.close()
    assert sendsecure.live_handles().get("ss_user_token_free", 0) == baseline.get("ss_user_token_free", 0)
    with Safebox(DEMO[2], message="m", recipients=["a@example.com"], attachments=[("a.txt", b"a")]) as safebox:
        assert sendsecure.live_handles()["ss_safebox_free"] == baseline.get("ss_safebox_free", 0) + 1
    assert safebox.closed
    safebox.close()  # again: nothing
    with pytest.raises(ValueError, match="closed"):
        safebox.attachment_count

    # dropped without closing: freed by the garbage collector
    create(unique, [("a.txt", b"a")])
    Safebox(DEMO[2], message="m", attachments=[("s.txt", io.BytesIO(b"stream"))])
    Reply("r", [("x.txt", io.BytesIO(b"x"))])
    iterator = client.safeboxes(search=unique)
    next(iterator)  # half-used
    page = client.safebox_page(search=unique)
    sendsecure.get_user_token(ACCOUNT, DEMO[0], DEMO[1], endpoint=endpoint)
    sendsecure.Client.login(ACCOUNT, DEMO[0], DEMO[1], endpoint)
    collect()
    held = sendsecure.live_handles()
    assert held.get("ss_safebox_iter_free", 0) == baseline.get("ss_safebox_iter_free", 0) + 1
    assert held.get("ss_safebox_page_free", 0) == baseline.get("ss_safebox_page_free", 0) + 1
    del iterator, page
    client.close()
    # the baseline fixture checks that everything is back to where it was


def test_a_safebox_with_stream_attachments_is_collectable(baseline):
    stream = io.BytesIO(b"data")
    safebox = Safebox(DEMO[2], attachments=[("s.txt", stream)])
    ref = weakref.ref(safebox)
    del safebox
    collect()
    assert ref() is None, "no reference cycle through the callback registry"
    from sendsecure import _core

    assert not any(getattr(v, "source", None) is stream for v in _core._contexts.values())


def test_no_growth_over_many_calls(client, create, unique, baseline):
    guid = create(unique, [("a.txt", b"a" * 1000)]).guid
    for _ in range(3):  # warm up
        client.safebox_info(guid)
    collect()
    before = sendsecure.live_handles()
    for _ in range(50):
        client.safebox_info(guid)
        client.participants(guid)
        client.messages(guid)
        list(client.safeboxes(search=unique))
        with pytest.raises(sendsecure.NotFoundError):
            client.safebox_info(UNKNOWN_GUID)
    collect()
    assert sendsecure.live_handles() == before


def test_one_client_shared_by_threads(client, create, unique):
    guid = create(unique).guid
    errors, results = [], []

    def work():
        try:
            for _ in range(20):
                results.append(client.safebox_info(guid, "messages").guid)
        except BaseException as e:  # noqa: BLE001
            errors.append(e)

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and results == [guid] * 160


def test_calls_release_the_gil(client, emulator, create, unique):
    guid = create(unique).guid
    emulator.add_fault(kind="delay", path=f"/api/v2/safeboxes/{guid}", delay_ms=500, count=1)
    ticks = []
    done = threading.Event()

    def ticker():
        while not done.is_set():
            ticks.append(time.monotonic())
            time.sleep(0.01)

    t = threading.Thread(target=ticker)
    t.start()
    try:
        client.safebox_info(guid)
    finally:
        done.set()
        t.join()
    assert len(ticks) > 10, "another Python thread ran while the call blocked"


def test_cancel_from_another_thread(client, emulator, create, unique):
    guid = create(unique).guid
    emulator.add_fault(kind="delay", path=f"/api/v2/safeboxes/{guid}", delay_ms=5000, count=1)
    outcome = []

    def slow():
        try:
            client.safebox_info(guid)
            outcome.append("completed")
        except sendsecure.CancelledError as e:
            outcome.append(e)

    t = threading.Thread(target=slow)
    started = time.monotonic()
    t.start()
    time.sleep(0.3)
    client.cancel()
    t.join(10)
    assert isinstance(outcome[0], sendsecure.CancelledError)
    assert outcome[0].code is sendsecure.Result.ERR_CANCELLED
    assert time.monotonic() - started < 3
    assert client.safebox_info(guid).guid == guid, "later calls are not affected"


def test_cancel_from_a_progress_callback(client):
    with Safebox(DEMO[2], message="m", recipients=["a@example.com"], attachments=[("big.dat", b"z" * (4 * MiB))]) as sb:
        with pytest.raises(sendsecure.CancelledError):
            client.submit_safebox(sb, progress=lambda p: client.cancel())


def test_close_waits_for_calls_in_other_threads_or_cancels_them(endpoint, emulator, create, unique):
    guid = create(unique).guid
    for cancel in (False, True):
        c = sendsecure.Client.login(ACCOUNT, DEMO[0], DEMO[1], endpoint)
        emulator.add_fault(kind="delay", path=f"/api/v2/safeboxes/{guid}", delay_ms=800, count=1)
        outcome = []
        t = threading.Thread(target=lambda: outcome.append(_try(lambda: c.safebox_info(guid))))
        t.start()
        assert wait_until(lambda: c._state.inflight == 1)
        c.close(cancel=cancel)  # must not free the client under the running call
        t.join(10)
        assert c.closed
        if cancel:
            assert isinstance(outcome[0], sendsecure.CancelledError)
        else:
            assert getattr(outcome[0], "guid", None) == guid


def _try(fn):
    try:
        return fn()
    except Exception as e:  # noqa: BLE001
        return e


def test_blocking_call_or_close_inside_a_callback_is_refused(client, create, unique):
    guid = create(unique).guid
    with Safebox(DEMO[2], message="m", recipients=["a@example.com"], attachments=[("a.txt", b"a")]) as sb:
        with pytest.raises(sendsecure.StateError):
            client.submit_safebox(sb, progress=lambda p: client.safebox_info(guid))
    with Safebox(DEMO[2], message="m", recipients=["a@example.com"], attachments=[("a.txt", b"a")]) as sb:
        with pytest.raises(sendsecure.StateError, match="inside one of its own calls"):
            client.submit_safebox(sb, progress=lambda p: client.close())
    assert not client.closed


def test_error_details_belong_to_the_calling_thread(client):
    """Each thread reads its own last error, even when others fail differently meanwhile."""
    errors = {}

    def fail(kind):
        try:
            if kind == "404":
                client.safebox_info(UNKNOWN_GUID)
            else:
                client.safebox_info("")
        except sendsecure.SendSecureError as e:
            errors.setdefault(kind, []).append(e)

    threads = [threading.Thread(target=fail, args=("404" if i % 2 else "arg",)) for i in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert all(isinstance(e, sendsecure.NotFoundError) and e.http_status == 404 for e in errors["404"])
    assert all(isinstance(e, sendsecure.ArgumentError) and e.http_status == 0 for e in errors["arg"])
