"""Creating SafeBoxes: the builder, attachments of every kind, progress, and callbacks that stop
the call (returning True, raising)."""

from __future__ import annotations

import hashlib
import io
import signal
import sys
import threading

import pytest

import sendsecure
from sendsecure import Attachment, ContactMethod, Recipient, Result, Safebox

from conftest import DEMO

MiB = 1024 * 1024


def payload(size: int, seed: int = 0) -> bytes:
    block = hashlib.sha256(str(seed).encode()).digest() * 64  # 2 KiB, not all the same byte
    return (block * (size // len(block) + 1))[:size]


def committed_with(emulator, subject: str) -> list:
    return [s for s in emulator.committed() if s.get("subject") == subject]


def test_submit_with_progress_reports_increasing_to_the_total(client, emulator, tmp_path, unique):
    on_disk = tmp_path / "scan.pdf"
    on_disk.write_bytes(payload(3 * MiB, 1))
    in_memory = payload(700 * 1024, 2)
    streamed = payload(MiB + 5, 3)
    sizes = [3 * MiB, len(in_memory), 2, len(streamed)]
    reports = []
    threads = set()

    def progress(p: sendsecure.Progress):
        reports.append(p)
        threads.add(threading.get_ident())

    with Safebox(
        DEMO[2],
        subject=unique,
        message="Here are the documents.",
        recipients=[
            Recipient("john.smith@example.com", "John", "Smith", "Example", [ContactMethod("+15145550000", "cell")])
        ],
        attachments=[
            on_disk,
            ("notes.txt", in_memory),
            b"hi",
            Attachment.from_stream(io.BytesIO(streamed), "stream.dat"),
        ],
    ) as safebox:
        assert safebox.attachment_count == 4
        assert safebox.guid is None
        draft = safebox.to_json()["safebox"]
        assert draft["subject"] == unique
        response = client.submit_safebox(safebox, progress=progress)
        assert safebox.guid == response.guid

    assert len(response.guid) == 32 and response.guid in response.preview_url
    assert response.recovered is False and response.encryption_key is None
    assert response.json["guid"] == response.guid

    assert threads == {threading.get_ident()}, "callbacks run on the calling thread"
    total = sum(sizes)
    assert all(p.bytes_total == total and p.attachment_count == 4 for p in reports)
    sent = [p.bytes_sent for p in reports]
    assert sent == sorted(sent), "bytes_sent never goes backwards"
    assert sent[-1] == total and reports[-1].fraction == 1.0
    assert len(reports) > 4 + 3 * MiB // (256 * 1024) // 2  # blocks of 256 KiB are reported
    for index, size in enumerate(sizes):
        mine = [p for p in reports if p.attachment_index == index]
        assert mine and all(p.attachment_bytes_total == size for p in mine)
        assert max(p.attachment_bytes_sent for p in mine) == size

    [stored] = committed_with(emulator, unique)
    assert [(d["name"], d["size"]) for d in stored["documents"]] == [
        ("scan.pdf", 3 * MiB),
        ("notes.txt", len(in_memory)),
        ("attachment-3", 2),
        ("stream.dat", len(streamed)),
    ]
    assert stored["documents"][3]["sha256"] == hashlib.sha256(streamed).hexdigest()


def test_submit_without_progress_and_builder_options(client, unique):
    with Safebox(
        DEMO[2],
        subject=unique,
        message="m",
        security_profile_id=1,
        expiration=(3, "days"),
        retention="do_not_discard",
        reply_enabled=True,
        notification_language="fr",
    ) as safebox:
        safebox.add_recipient("guest@example.com", first_name="G", contact_methods=[("+15145550001", "office")])
        safebox.add_attachment(b"abc", name="abc.txt", content_type="text/plain")
        draft = safebox.to_json()["safebox"]
        assert draft["security_profile_id"] == 1
        response = client.submit_safebox(safebox)
    info = client.safebox_info(response, "participants,messages")
    guest = [p for p in info.participants if p.email == "guest@example.com"][0]
    assert guest.first_name == "G"
    assert [(m.destination, m.type) for m in guest.contact_methods] == [("+15145550001", "office_phone")]
    assert [d.name for d in info.documents] == ["abc.txt"]


def test_expiration_and_retention_forms():
    import datetime

    cases = [
        ({"expiration": (5, "hours")}, {"expiration_value": 5, "expiration_unit": "hours"}),
        ({"expiration": datetime.timedelta(days=2)}, {"expiration_value": 2, "expiration_unit": "days"}),
        ({"expiration": datetime.timedelta(hours=30)}, {"expiration_value": 30, "expiration_unit": "hours"}),
        ({"retention": "do_not_discard"}, {"retention_period_type": "do_not_discard"}),
        (
            {"retention": ("retain_at_expiration", 2, "months")},
            {
                "retention_period_type": "retain_at_expiration",
                "retention_period_value": 2,
                "retention_period_unit": "months",
            },
        ),
    ]
    for options, expected in cases:
        with Safebox(DEMO[2], **options) as safebox:
            draft = safebox.to_json()["safebox"]
        assert {k: draft[k] for k in expected} == expected, options
    with pytest.raises(ValueError):
        Safebox(DEMO[2], expiration=datetime.timedelta(minutes=30))
    with pytest.raises(sendsecure.ArgumentError):
        Safebox(DEMO[2], expiration=(1, "fortnights"))


def test_progress_returning_true_stops_the_call_and_a_retry_resumes(client, emulator, unique):
    calls = []

    def stop_after_first_block(p):
        calls.append(p)
        return p.bytes_sent > 0  # True once the first block went out

    with Safebox(
        DEMO[2], subject=unique, message="m", recipients=["a@example.com"], attachments=[("big.dat", payload(4 * MiB))]
    ) as safebox:
        with pytest.raises(sendsecure.AbortedError) as caught:
            client.submit_safebox(safebox, progress=stop_after_first_block)
        assert caught.value.code is Result.ERR_ABORTED_BY_CALLBACK
        assert calls[-1].bytes_sent < 4 * MiB, "the call stopped before the end"
        assert not committed_with(emulator, unique)
        # the SafeBox kept its state: submitting again completes it
        response = client.submit_safebox(safebox)
    assert committed_with(emulator, unique)[0]["guid"] == response.guid


def test_progress_returning_a_non_true_value_does_not_stop(client, unique):
    with Safebox(
        DEMO[2], subject=unique, message="m", recipients=["a@example.com"], attachments=[("a.txt", b"x")]
    ) as sb:
        client.submit_safebox(sb, progress=lambda p: 1)  # only True stops


class Boom(Exception):
    pass


def test_exception_in_progress_propagates_and_stops_the_call(client, emulator, unique):
    calls = []

    def explode(p):
        calls.append(p)
        raise Boom("from the callback")

    with Safebox(
        DEMO[2], subject=unique, message="m", recipients=["a@example.com"], attachments=[("big.dat", payload(4 * MiB))]
    ) as safebox:
        with pytest.raises(Boom, match="from the callback") as caught:
            client.submit_safebox(safebox, progress=explode)
        assert len(calls) == 1, "no callback after the one that raised: the call stopped"
        assert not committed_with(emulator, unique), "nothing was committed"
        assert caught.traceback[-1].name == "explode", "the original traceback is kept"
        if sys.version_info >= (3, 11):
            assert any("ss_submit_safebox" in note for note in caught.value.__notes__)
        # the exception was consumed: the next call is not affected
        response = client.submit_safebox(safebox)
    assert committed_with(emulator, unique)[0]["guid"] == response.guid


def test_keyboard_interrupt_in_a_callback_is_not_swallowed(client, unique):
    def interrupt(p):
        raise KeyboardInterrupt

    with Safebox(
        DEMO[2], subject=unique, message="m", recipients=["a@example.com"], attachments=[("a.txt", b"x" * 1000)]
    ) as sb:
        with pytest.raises(KeyboardInterrupt):
            client.submit_safebox(sb, progress=interrupt)


def test_exception_in_a_stream_read_propagates(client, emulator, unique):
    class BrokenStream(io.RawIOBase):
        def readable(self):
            return True

        def readinto(self, buffer):
            raise OSError("disk on fire")

    with Safebox(
        DEMO[2],
        subject=unique,
        message="m",
        recipients=["a@example.com"],
        attachments=[Attachment.from_stream(BrokenStream(), "broken.txt", size=10)],
    ) as safebox:
        with pytest.raises(OSError, match="disk on fire"):
            client.submit_safebox(safebox)
    assert not committed_with(emulator, unique)


def test_a_seekable_stream_is_rewound_for_a_retried_upload(emulator, endpoint, unique):
    data = payload(MiB, 7)

    class Recorded(io.BytesIO):
        seeks = []

        def seek(self, *args):
            self.seeks.append(args)
            return super().seek(*args)

    stream = Recorded(data)
    emulator.add_fault(kind="drop_upload", after_bytes=100 * 1024, count=1)
    with sendsecure.Client.login("acme", DEMO[0], DEMO[1], endpoint, max_retries=2, retry_base_delay=0.01) as c:
        with Safebox(
            DEMO[2], subject=unique, message="m", recipients=["a@example.com"], attachments=[("retried.dat", stream)]
        ) as safebox:
            before = len(Recorded.seeks)
            c.submit_safebox(safebox)
            assert Recorded.seeks[before:] == [(0,)], "rewound once, to where it started"
    [stored] = committed_with(emulator, unique)
    assert stored["documents"][0]["sha256"] == hashlib.sha256(data).hexdigest()


def test_builder_errors(client, tmp_path):
    with pytest.raises(sendsecure.ArgumentError):
        Safebox("")
    with pytest.raises(sendsecure.IOError_) as caught:
        Safebox(DEMO[2], attachments=[tmp_path / "missing.pdf"])
    assert caught.value.code is Result.ERR_IO
    with pytest.raises(ValueError, match="NUL"):
        Safebox(DEMO[2], subject="a\0b")
    with pytest.raises(TypeError):
        Safebox(DEMO[2], attachments=[12])
    with pytest.raises(ValueError):
        Safebox(DEMO[2], recipients=[Recipient("a@example.com", contact_methods=[("+1", "fax")])])
    with Safebox(DEMO[2], message="m") as safebox:
        with pytest.raises(sendsecure.ArgumentError, match="Participants cannot be empty"):
            client.submit_safebox(safebox)
    with Safebox(DEMO[2], message="m", recipients=["a@example.com"], attachments=[("virus.exe", b"MZ")]) as safebox:
        with pytest.raises(sendsecure.HttpError) as caught:
            client.submit_safebox(safebox)
        assert caught.value.http_status == 400 and "forbidden extension" in caught.value.body


def test_step_by_step_create(client, unique):
    # unlike submit, a commit does not pick the default profile itself
    with Safebox(
        DEMO[2],
        subject=unique,
        message="m",
        recipients=["a@example.com"],
        attachments=[("a.txt", b"a")],
        security_profile_id=client.default_security_profile(DEMO[2]).id,
    ) as sb:
        guid = client.initialize_safebox(sb)
        assert len(guid) == 32 and sb.guid == guid
        with pytest.raises(sendsecure.StateError):
            client.initialize_safebox(sb)
        reports = []
        client.upload_attachments(sb, progress=reports.append)
        assert reports[-1].bytes_sent == 1
        response = client.commit_safebox(sb)
    assert response.guid == guid


@pytest.mark.skipif(not hasattr(signal, "pthread_kill"), reason="POSIX signals")
def test_ctrl_c_during_an_upload_stops_it_at_the_next_progress_report(client, emulator, tmp_path, unique):
    if threading.current_thread() is not threading.main_thread():
        pytest.skip("signals are handled by the main thread")
    big = tmp_path / "big.dat"
    big.write_bytes(payload(8 * MiB))
    # the server holds the upload: no progress report comes for a while
    emulator.add_fault(kind="delay", method="POST", path="/xmss", delay_ms=1500, count=0)
    timer = threading.Timer(0.5, lambda: signal.pthread_kill(threading.main_thread().ident, signal.SIGINT))
    # Python's own Ctrl-C handler, as in an interactive program: a process started in the
    # background by a non-interactive shell (as a CI job may be) inherits SIGINT ignored, and
    # Python then installs no handler at all.
    previous = signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        with Safebox(DEMO[2], subject=unique, message="m", recipients=["a@example.com"], attachments=[big]) as safebox:
            timer.start()
            try:
                with pytest.raises(KeyboardInterrupt):
                    client.submit_safebox(safebox)  # no progress callback given: the binding's own one runs
            finally:
                timer.cancel()
    finally:
        signal.signal(signal.SIGINT, previous)
    assert not committed_with(emulator, unique)
