"""Receiving SendSafely packages from Python, against the emulator's SendSafely service. The
packages are sent first by the test itself over the wire protocol: requests signed with HMAC
(spec §2), segments encrypted by GnuPG (`gpg --symmetric`, which the library decrypts as any
OpenPGP implementation's), so that the library's own send side is not needed."""

from __future__ import annotations

import base64
import hashlib
import hmac
import io
import json
import os
import secrets
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

import sendsecure
from sendsecure.sendsafely import PackageFile, ReceivedPackage, SendSafelyClient

MESSAGE = "Bonjour,\nvoici les pièces.\n"


class Sender:
    """Demo's side of the protocol: signed calls, GnuPG-encrypted segments."""

    def __init__(self, url: str, key: str = "demo-api-key", secret: str = "demo-api-secret") -> None:
        self.url, self.key, self.secret = url.rstrip("/"), key, secret

    def call(self, method: str, path: str, body=None) -> dict:
        path = f"/api/v2.0/{path}"
        data = b"" if body is None else json.dumps(body).encode()
        stamp = time.strftime("%Y-%m-%dT%H:%M:%S+0000", time.gmtime())
        signature = hmac.new(
            self.secret.encode(), self.key.encode() + path.encode() + stamp.encode() + data, hashlib.sha256
        ).hexdigest()
        request = urllib.request.Request(
            self.url + path,
            data=data if method != "GET" else None,
            method=method,
            headers={
                "ss-api-key": self.key,
                "ss-request-timestamp": stamp,
                "ss-request-signature": signature,
                "content-type": "application/json",
            },
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            answer = json.loads(response.read())
        assert answer.get("response") == "SUCCESS", f"{method} {path}: {answer}"
        return answer

    @staticmethod
    def encrypt(passphrase: str, data: bytes) -> bytes:
        with tempfile.TemporaryDirectory() as home:
            os.chmod(home, 0o700)
            done = subprocess.run(
                ["gpg", "--homedir", home, "--batch", "--quiet", "--pinentry-mode", "loopback",
                 "--passphrase-fd", "0", "--symmetric", "--cipher-algo", "AES256", "--s2k-digest-algo", "SHA256",
                 "-z", "0", "--output", "-"],
                input=passphrase.encode() + b"\n" + data,
                capture_output=True,
                check=False,
            )
        assert done.returncode == 0, done.stderr.decode()
        return done.stdout

    def send(self, files, message: str = "", tamper: bool = False, recipient: str = "") -> tuple:
        """A finalized package of `files` ([(name, bytes, segment size)]): (link, package id)."""
        package = self.call("PUT", "package/", {"vdr": False})
        pid, code, server_secret = package["packageId"], package["packageCode"], package["serverSecret"]
        keycode = base64.urlsafe_b64encode(secrets.token_bytes(32)).rstrip(b"=").decode()
        url_safe = lambda t: t.replace("+", "-").replace("/", "_").replace("=", "")  # noqa: E731
        passphrase = url_safe(server_secret) + url_safe(keycode)
        for name, data, size in files:
            chunks = [data[i : i + size] for i in range(0, len(data), size)] or [b""]
            segments = [self.encrypt(passphrase, c) for c in chunks]
            if tamper:
                altered = bytearray(segments[-1])
                altered[-5] ^= 0x40
                segments[-1] = bytes(altered)
            fid = self.call("PUT", f"package/{pid}/file/", {"filename": name, "parts": len(segments), "filesize": len(data)})["fileId"]
            urls = self.call("POST", f"package/{pid}/file/{fid}/upload-urls/", {"part": 1})["uploadUrls"]
            for item in urls:
                put = urllib.request.Request(item["url"], data=segments[item["part"] - 1], method="PUT")
                with urllib.request.urlopen(put, timeout=30) as response:
                    assert response.status == 200
            self.call("POST", f"package/{pid}/file/{fid}/upload-complete/", {"complete": True})
        if message:
            encrypted = base64.b64encode(self.encrypt(passphrase, message.encode())).decode()
            self.call("PUT", f"package/{pid}/message/", {"message": encrypted})
        if recipient:
            self.call("PUT", f"package/{pid}/recipient/", {"email": recipient})
        checksum = hashlib.pbkdf2_hmac("sha256", keycode.encode(), code.encode(), 1024).hex()
        link = self.call("POST", f"package/{pid}/finalize/", {"checksum": checksum})["message"]
        return f"{link}#keyCode={keycode}", pid


def content(size: int, seed: int) -> bytes:
    return bytes((i * 7 + (i >> 8) + seed * 13) & 0xFF for i in range(size))


REPORT = content(2500, 1)
NOTES = content(10, 2)


@pytest.fixture(scope="module")
def sent(sendsafely_emulator):
    sender = Sender(sendsafely_emulator.url)
    full = sender.send(
        [("report.pdf", REPORT, 1000), ("../notes:1.txt", NOTES, 1000)], message=MESSAGE, recipient="bob@acme.example"
    )
    tampered = sender.send([("t.bin", content(2000, 3), 1000)], tamper=True)
    return {"full": full, "tampered": tampered}


@pytest.fixture
def demo(sendsafely_emulator):
    with SendSafelyClient(sendsafely_emulator.url, "demo-api-key", "demo-api-secret") as client:
        yield client


def test_a_link_opens_and_its_files_download_to_paths_file_objects_and_bytes(demo, sent, tmp_path):
    link, pid = sent["full"]
    with demo.open_link(link) as package:
        assert isinstance(package, ReceivedPackage)
        assert package.package_id == pid and package.contains_message
        assert [f.name for f in package.files] == ["report.pdf", "../notes:1.txt"]
        report = package.files[0]
        assert isinstance(report, PackageFile) and report.size == 2500 and report.parts == 3
        seen = []
        path = demo.download_file(package, report, tmp_path / "r.pdf", progress=seen.append)
        assert Path(path).read_bytes() == REPORT
        assert [p.bytes_sent for p in seen] == [0, 1000, 2000, 2500]
        assert all(p.bytes_total == 2500 for p in seen)
        buffer = io.BytesIO()
        demo.download_file_to(package, report.id, buffer)
        assert buffer.getvalue() == REPORT
        assert demo.read_file(package, package.files[1]) == NOTES
        assert demo.read_message(package) == MESSAGE
        keycode = link.split("#keyCode=")[1]
    assert package.closed
    with demo.open_package(pid, keycode) as again:
        assert again.files[0].id == report.id


def test_a_whole_package_goes_to_a_directory_with_its_message(sendsafely_emulator, sent, tmp_path):
    with SendSafelyClient(sendsafely_emulator.url, "bob-api-key", "bob-api-secret") as bob:
        with bob.open_link(sent["full"][0]) as package:
            files = []
            downloaded = bob.download_package(package, tmp_path, progress=lambda p: files.append(p.attachment_index))
    assert downloaded.paths == [str(tmp_path / "report.pdf"), str(tmp_path / ".._notes_1.txt")]
    assert downloaded.message == MESSAGE
    assert Path(downloaded.paths[0]).read_bytes() == REPORT and Path(downloaded.paths[1]).read_bytes() == NOTES
    assert sorted(set(files)) == [0, 1] and files == sorted(files)


def test_failures_raise_and_write_nothing(demo, sent, tmp_path):
    target = tmp_path / "out.bin"
    with demo.open_link(sent["tampered"][0]) as tampered:
        with pytest.raises(sendsecure.CryptoError):
            demo.download_file(tampered, tampered.files[0], target)
    assert not target.exists() and not list(tmp_path.iterdir())
    link, pid = sent["full"]
    with demo.open_link(link) as package:
        with pytest.raises(sendsecure.AbortedError):
            demo.download_file(package, package.files[0], target, progress=lambda p: p.bytes_sent > 0)
        assert not list(tmp_path.iterdir())

        def full(_data):
            raise OSError("disk full")

        with pytest.raises(OSError, match="disk full"):
            demo.download_file_to(package, package.files[0], full)
    with demo.open_package(pid, "AkdW1dOL9kL2a8x_8T0mGXTKIx0qJrhPJmbpzDwF-nQ") as wrong:
        with pytest.raises(sendsecure.ApiError) as raised:
            demo.download_file(wrong, wrong.files[0], target)
        assert raised.value.api_code_name == "FAIL"
    assert not list(tmp_path.iterdir())
    with pytest.raises(sendsecure.ArgumentError) as raised:
        demo.open_link(link.split("#")[0])
    assert link.split("#keyCode=")[1] not in str(raised.value)
    with pytest.raises(sendsecure.ArgumentError):
        demo.list_packages("sent", 0, 0)
    with pytest.raises(ValueError):
        demo.list_packages("drafts")


def test_the_lists_come_page_by_page(sendsafely_emulator, demo, sent):
    pages, ids, row = 0, [], 0
    while row is not None:
        page = demo.list_packages("sent", row, 1)
        pages += 1
        ids += [p.id for p in page.packages]
        row = page.next_row_index
    # Pages of one: each package once, a page each (other tests may have sent more).
    assert {sent["full"][1], sent["tampered"][1]} <= set(ids)
    assert len(ids) == len(set(ids)) == pages >= 2
    assert [p.id for p in demo.iter_packages("sent", 1)] == ids
    summary = next(p for p in demo.iter_packages() if p.id == sent["full"][1])
    assert summary.state_number >= -1 and not summary.is_workspace
    with SendSafelyClient(sendsafely_emulator.url, "bob-api-key", "bob-api-secret") as bob:
        assert sent["full"][1] in [p.id for p in bob.iter_packages("received")]
    assert demo.list_packages("archived").packages == []
