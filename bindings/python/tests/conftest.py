"""Fixtures: one sendsecure-emulator for the session, logged-in clients, SafeBox helpers.

The emulator binary comes from $SENDSECURE_EMULATOR, else the repository's
target/debug/sendsecure-emulator. The library comes from $SENDSECURE_LIBRARY, else (set here)
the repository's target/debug/libsendsecure.so when it exists, else the package's own search.
Build both first: cargo build -p sendsecure -p sendsecure-emulator
"""

from __future__ import annotations

import gc
import json
import os
import queue
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
import uuid
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[3]
ACCOUNT = "acme"
DEMO = ("demo", "demo-password", "demo@acme.example")
BOB = ("bob", "bob-password", "bob@acme.example")
UNKNOWN_GUID = "0123456789abcdef0123456789abcdef"

_debug_library = REPO / "target" / "debug" / ("libsendsecure.dylib" if sys.platform == "darwin" else "libsendsecure.so")
if "SENDSECURE_LIBRARY" not in os.environ and _debug_library.is_file():
    os.environ["SENDSECURE_LIBRARY"] = str(_debug_library)

import sendsecure  # noqa: E402  (after SENDSECURE_LIBRARY is settled)


def pytest_report_header(config):
    try:
        path = sendsecure.load_library()
        return [
            f"libsendsecure {sendsecure.library_version()}: {path}",
            f"sendsecure package: {Path(sendsecure.__file__).parent}",
        ]
    except sendsecure.LibraryNotFoundError as e:
        return [f"libsendsecure: NOT FOUND: {e}"]


class Emulator:
    """A running sendsecure-emulator with its control API."""

    def __init__(self, process: subprocess.Popen, url: str, log: Path) -> None:
        self.process = process
        self.url = url
        self.log = log

    def control(self, method: str, path: str, body=None):
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(
            f"{self.url}/_emulator/{path}", data=data, method=method, headers={"Content-Type": "application/json"}
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            text = response.read().decode()
        return json.loads(text) if text.strip() else None

    def add_fault(self, **rule) -> None:
        self.control("POST", "faults", rule)

    def clear_faults(self) -> None:
        self.control("DELETE", "faults")

    def stats(self) -> dict:
        return self.control("GET", "stats")

    def committed(self) -> list:
        """Every committed SafeBox (the emulator's own view)."""
        answer = self.control("GET", "safeboxes")
        return answer["safeboxes"] if isinstance(answer, dict) else answer


def _emulator_binary() -> Path:
    path = Path(os.environ.get("SENDSECURE_EMULATOR") or REPO / "target" / "debug" / "sendsecure-emulator")
    if not path.is_file():
        pytest.fail(
            f"sendsecure-emulator not found at {path}: run `cargo build -p sendsecure -p sendsecure-emulator` "
            "or set SENDSECURE_EMULATOR",
            pytrace=False,
        )
    return path


def _start_emulator(*args: str):
    """Starts the emulator binary with ``args``; yields it, stopped at the end."""
    binary = _emulator_binary()
    log = Path(tempfile.mkstemp(prefix="sendsecure-emulator-", suffix=".log")[1])
    with open(log, "wb") as stderr:
        process = subprocess.Popen(
            [str(binary), "--listen", "127.0.0.1:0", "--control", *args],
            stdout=subprocess.PIPE,
            stderr=stderr,
            stdin=subprocess.DEVNULL,
        )
    lines: "queue.Queue[bytes]" = queue.Queue()
    threading.Thread(target=lambda: lines.put(process.stdout.readline()), daemon=True).start()
    try:
        line = lines.get(timeout=30).decode().strip()
    except queue.Empty:
        line = ""
    if not line.startswith("listening on "):
        process.kill()
        process.wait()
        pytest.fail(
            f"the emulator did not start (first line {line!r}); its log: {log.read_text()[-2000:]}", pytrace=False
        )
    emu = Emulator(process, line[len("listening on ") :], log)
    try:
        yield emu
    finally:
        process.terminate()  # SIGTERM: the emulator stops cleanly
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        process.stdout.close()
        log.unlink(missing_ok=True)


@pytest.fixture(scope="session")
def emulator():
    yield from _start_emulator()


@pytest.fixture(scope="session")
def sendsafely_emulator():
    """The emulator's SendSafely service: demo user demo@acme.example, key ``demo-api-key``,
    secret ``demo-api-secret``."""
    yield from _start_emulator("--service", "sendsafely")


@pytest.fixture(autouse=True)
def _no_faults_left(request):
    """Fault rules and latency never leak from one test into the next."""
    yield
    if "emulator" in request.fixturenames:
        request.getfixturevalue("emulator").clear_faults()


@pytest.fixture
def endpoint(emulator) -> str:
    return emulator.url


@pytest.fixture
def client(endpoint):
    with sendsecure.Client.login(ACCOUNT, DEMO[0], DEMO[1], endpoint) as c:
        yield c


@pytest.fixture
def bob_client(endpoint):
    with sendsecure.Client.login(ACCOUNT, BOB[0], BOB[1], endpoint) as c:
        yield c


@pytest.fixture
def unique() -> str:
    """A word no other SafeBox contains (for searches)."""
    return "t" + uuid.uuid4().hex[:16]


@pytest.fixture
def create(client):
    """Creates a SafeBox of the demo user: create(subject, attachments=[...], **options)."""

    def make(subject: str, attachments=(), message: str = "Please review.", **options):
        with sendsecure.Safebox(
            DEMO[2],
            subject=subject,
            message=message,
            recipients=[
                sendsecure.Recipient("john.smith@example.com", first_name="John", contact_methods=["+15145550000"])
            ],
            attachments=attachments,
            **options,
        ) as safebox:
            return client.submit_safebox(safebox)

    return make


def collect() -> None:
    for _ in range(3):
        gc.collect()


def wait_until(predicate, timeout: float = 10.0) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.01)
    return predicate()
