"""SendSafely Workspaces and trusted-device keys from Python, against the emulator's SendSafely
service. The Workspace is made with SendSafelyClient.create_workspace and read back with
package_info; a keycode really wrapped to a key is unwrapped in tests/sendsafely_ffi_keys.rs."""

from __future__ import annotations

import gc

import pytest

import sendsecure
from sendsecure.sendsafely import (
    ActivityPage,
    Directory,
    SendSafelyClient,
    Subdirectory,
    TrustedKey,
)


def new_workspace(client: SendSafelyClient):
    """A new Workspace of the client's user: (its id, its root directory id)."""
    with client.create_workspace() as package:
        pid = package.id
    info = client.package_info(pid)
    assert info.package_id == pid and info.is_workspace
    return pid, info.root_directory_id


@pytest.fixture
def demo(sendsafely_emulator):
    with SendSafelyClient(sendsafely_emulator.url, "demo-api-key", "demo-api-secret") as client:
        yield client


def api_code(raised) -> str:
    return raised.value.api_code_name


def test_directories_are_created_read_renamed_moved_and_deleted(demo):
    ws, root = new_workspace(demo)
    reports = demo.create_directory(ws, root, "Reports")
    year = demo.create_directory(ws, reports, "2026")
    assert reports and year and reports != year

    top = demo.directory(ws, root)
    assert isinstance(top, Directory)
    assert top.id == root and top.parent_id is None and top.created
    assert top.subdirectories == (Subdirectory(reports, "Reports"),)
    assert top.files == ()

    demo.rename_directory(ws, reports, "Finance")
    finance = demo.directory(ws, reports)
    assert finance.name == "Finance" and finance.parent_id == root
    assert [d.id for d in finance.subdirectories] == [year]

    demo.move_directory(ws, year, root)
    assert sorted(d.name for d in demo.directory(ws, root).subdirectories) == ["2026", "Finance"]
    assert demo.directory(ws, reports).subdirectories == ()

    demo.delete_directory(ws, reports)
    with pytest.raises(sendsecure.ApiError) as raised:
        demo.directory(ws, reports)
    assert api_code(raised) == "INVALID_INPUT"
    assert [d.id for d in demo.directory(ws, root).subdirectories] == [year]


def test_refusals_carry_the_service_code(demo, sendsafely_emulator):
    ws, root = new_workspace(demo)
    cases = [
        (lambda: demo.delete_directory(ws, root), "FAIL"),
        (lambda: demo.move_directory(ws, root, root), "FAIL"),
        (lambda: demo.move_file(ws, "file-unknown", root), "INVALID_INPUT"),
        (lambda: demo.rename_directory(ws, "dir-unknown", "x"), "INVALID_INPUT"),
        (lambda: demo.directory("NO-SUCH-PKG", root), "UNKNOWN_PACKAGE"),
        (lambda: demo.activity_log_page("NO-SUCH-PKG"), "UNKNOWN_PACKAGE"),
        (lambda: demo.update_recipient_role(ws, "rcpt-unknown", "MANAGER"), "INVALID_RECIPIENT"),
    ]
    for call, code in cases:
        with pytest.raises(sendsecure.ApiError) as raised:
            call()
        assert api_code(raised) == code
    with SendSafelyClient(sendsafely_emulator.url, "bob-api-key", "bob-api-secret") as bob:
        with pytest.raises(sendsecure.ApiError) as raised:
            bob.create_directory(ws, root, "x")
        assert api_code(raised) == "DENIED"
    for bad in ("a/b", "  ", "tab\there"):
        with pytest.raises(sendsecure.ArgumentError):
            demo.create_directory(ws, root, bad)
    with pytest.raises(sendsecure.ArgumentError):
        demo.update_recipient_role(ws, "rcpt-unknown", "ADMIN")
    with pytest.raises(ValueError):
        demo.create_directory(ws, root, "nul\0inside")
    with pytest.raises(ValueError):
        demo.activity_log_page(ws, -1)
    assert demo.directory(ws, root).subdirectories == ()


def test_the_activity_log_is_read_page_by_page(demo):
    ws, root = new_workspace(demo)
    first = demo.create_directory(ws, root, "first")
    demo.rename_directory(ws, first, "renamed")
    for n in range(11):
        demo.create_directory(ws, root, f"d{n}")
    page = demo.activity_log_page(ws)
    assert isinstance(page, ActivityPage)
    assert len(page.records) == 10 and not page.last and page.next_row_index == 10
    assert page.records[0].action == "DIRECTORY_CREATED" and page.records[0].details == "d10"
    assert page.records[0].user_email == "demo@acme.example" and page.records[0].timestamp
    rest = demo.activity_log_page(ws, page.next_row_index)
    assert len(rest.records) == 3 and rest.last
    log = demo.activity_log(ws)
    assert len(log) == 13
    assert [r.action for r in log[-2:]] == ["DIRECTORY_RENAMED", "DIRECTORY_CREATED"]
    assert log[-1].details == "first"


def test_a_trusted_key_is_registered_stored_rebuilt_and_revoked(demo):
    before = sendsecure.live_handles().get("ss_sendsafely_trusted_key_free", 0)
    key = demo.add_trusted_key("Python tests")
    assert isinstance(key, TrustedKey)
    assert key.id and "BEGIN PGP PUBLIC KEY BLOCK" in key.public_key
    private = key.private_key
    assert "BEGIN PGP PRIVATE KEY BLOCK" in private
    assert "PRIVATE" not in repr(key)

    with TrustedKey.from_stored(key.id, private) as stored:
        assert stored.id == key.id and stored.public_key == key.public_key
        ws, _ = new_workspace(demo)
        with pytest.raises(sendsecure.ApiError) as raised:
            demo.package_keycode(ws, stored)  # nothing wrapped to it: not finalized
        assert api_code(raised) == "FAIL"
    assert stored.closed
    with pytest.raises(ValueError):
        demo.package_keycode(ws, stored)  # a closed key
    with pytest.raises(TypeError):
        demo.package_keycode(ws, key.id)
    with pytest.raises(sendsecure.ArgumentError) as raised:
        TrustedKey.from_stored(key.id, "not a key")
    assert "secret key" in str(raised.value)
    with pytest.raises(sendsecure.ArgumentError):
        TrustedKey.from_stored(key.id, key.public_key)

    demo.revoke_trusted_key(key)
    with pytest.raises(sendsecure.ApiError) as raised:
        demo.revoke_trusted_key(key.id)
    assert api_code(raised) == "FAIL"
    key.close()
    del key
    gc.collect()
    assert sendsecure.live_handles().get("ss_sendsafely_trusted_key_free", 0) == before


def test_package_info_reads_a_workspace_and_its_directories(demo):
    pid, root = new_workspace(demo)
    assert root and demo.package_info(pid).directories == ()
    made = demo.create_directory(pid, root, "Contracts")
    info = demo.package_info(pid)
    assert [(d.id, d.name, d.parent_id) for d in info.directories] == [(made, "Contracts", root)]
    assert info.files == () and info.state_number >= 0 and info.url is None
    with pytest.raises(sendsecure.ApiError) as refused:
        demo.package_info("NOPE-NOPE")
    assert api_code(refused) == "UNKNOWN_PACKAGE"
