"""Sending a SendSafely package from Python, against the emulator's SendSafely service."""

from __future__ import annotations

import io
import os

import pytest

import sendsecure
from sendsecure.sendsafely import Package, SendSafelyClient, Upload

SEGMENT = 2621440


@pytest.fixture
def client(sendsafely_emulator):
    with SendSafelyClient(
        sendsafely_emulator.url, "demo-api-key", "demo-api-secret", transfer_concurrency=1, crypto_threads=1
    ) as c:
        yield c


def test_a_package_is_sent_with_recipients_files_and_a_message(client, tmp_path):
    package = client.create_package()
    assert isinstance(package, Package) and package.id and len(package.keycode) > 20
    assert package.keycode not in repr(package)
    package.set_life(5)
    package.set_label("From Python")
    with pytest.raises(sendsecure.ArgumentError):
        package.set_life(0)
    bob = package.add_recipient("bob@acme.example")
    assert bob.email == "bob@acme.example" and bob.id
    package.set_recipient_phone(bob, "(555) 555-0100", "US")
    outcomes = package.add_recipients(["carol@acme.example", "not an address"])
    by_email = {o.email: o for o in outcomes}
    assert by_email["carol@acme.example"].code == "SUCCESS"
    assert by_email["carol@acme.example"].recipient is not None
    assert by_email["not an address"].code == "INVALID_EMAIL" and by_email["not an address"].recipient is None
    package.remove_recipient(by_email["carol@acme.example"].recipient)

    path = tmp_path / "report.pdf"
    path.write_bytes(os.urandom(300_000))
    reports = []
    stored = package.upload_files(
        [path, ("notes.txt", b"some notes"), ("stream.bin", io.BytesIO(b"x" * 70_000))],
        progress=reports.append,
    )
    assert [f.name for f in stored] == ["report.pdf", "notes.txt", "stream.bin"]
    assert [f.size for f in stored] == [300_000, 10, 70_000]
    total = 300_000 + 10 + 70_000
    assert reports and reports[-1].bytes_sent == total == reports[-1].bytes_total
    assert all(a.bytes_sent <= b.bytes_sent for a, b in zip(reports, reports[1:]))
    assert sorted({r.attachment_index for r in reports}) == [0, 1, 2]
    package.put_message("From Python, with love.")
    done = package.finalize()
    assert done.secure_link.endswith("#keyCode=" + package.keycode)
    assert package.keycode not in repr(done)
    assert not done.needs_approval
    package.delete()
    with pytest.raises(sendsecure.ApiError) as raised:
        package.set_label("gone")
    assert raised.value.api_code_name == "UNKNOWN_PACKAGE"


def test_a_stopped_upload_resumes_here_and_in_another_process(client):
    package = client.create_package()
    data = os.urandom(2 * SEGMENT + 100)
    upload = Upload([("big.bin", io.BytesIO(data))])
    with pytest.raises(sendsecure.AbortedError):
        package.upload_files(upload, progress=lambda p: True)  # True stops
    file_id = upload.file_id(0)
    assert file_id and not upload.complete(0)
    done = upload.parts_done(0)
    assert done and set(done) <= {1, 2, 3}
    reports = []
    stored = package.upload_files(upload, progress=reports.append)  # the stream is rewound
    assert stored[0].id == file_id and stored[0].parts == 3 and upload.complete(0)
    assert len(reports) == 3 - len(done)
    if reports:
        assert reports[-1].bytes_sent == len(data)

    # Another "process": the package reopened from its id and keycode, the file's id and parts.
    second = os.urandom(SEGMENT + 1)
    first_try = Upload([("two.bin", second)])
    with pytest.raises(sendsecure.AbortedError):
        package.upload_files(first_try, progress=lambda p: True)
    kept = (package.id, package.keycode, first_try.file_id(0), first_try.parts_done(0))
    first_try.close()
    again = client.reopen_package(kept[0], kept[1])
    assert again.code == package.code
    resumed = Upload([("two.bin", second)]).resume_file(0, kept[2], kept[3])
    stored = again.upload_files(resumed)
    assert stored[0].id == kept[2] and resumed.complete(0)
    assert again.finalize().secure_link
    with pytest.raises(sendsecure.ApiError):
        client.reopen_package("NOPE-NOPE", "k")


def test_bad_input_is_refused(client):
    package = client.create_package()
    with pytest.raises(sendsecure.ArgumentError):
        package.upload_files(Upload())  # no file
    with pytest.raises(TypeError):
        package.upload_files([("x", b"1")], progress=1)

    class Broken(io.BytesIO):
        def readinto(self, buf):
            raise OSError("disk gone")

    with pytest.raises(OSError, match="disk gone"):
        package.upload_files([("broken.bin", Broken(b"0123456789"))])
    with pytest.raises(ValueError):
        package.add_recipient("bob\x00@acme.example")
    with pytest.raises(sendsecure.ArgumentError):
        package.set_recipient_phone("rcp-1", "no digits", "US")
    package.delete_temporary()
