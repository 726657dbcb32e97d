"""Existing SafeBoxes: list and iterate, read, reply, download, close and the other actions,
participants and favorites."""

from __future__ import annotations

import hashlib
import io
import os

import pytest

import sendsecure
from sendsecure import Result

from conftest import DEMO, UNKNOWN_GUID

NOTES = b"Quarterly figures, as discussed.\n" * 5000  # ~165 KiB


def test_iterate_and_page_through_safeboxes(client, create, unique):
    guids = [create(f"{unique} number {i}", [(f"f{i}.txt", b"x" * i)]).guid for i in range(5)]
    newest_first = guids[::-1]

    with client.safeboxes(search=unique, per_page=2) as iterator:
        found = list(iterator)
    assert [s.guid for s in found] == newest_first
    assert iterator.closed, "freed once exhausted"
    assert all(s.subject.startswith(unique) and s.status == "in_progress" for s in found)
    assert all(s.participants == () and s.messages == () for s in found), "list items are summaries"

    page = client.safebox_page(search=unique, per_page=2)
    assert page.total == 5 and page.has_next and len(page) == 2
    seen = [s.guid for s in page]
    while page is not None:
        following = page.next_page()
        page.close()
        page = following
        if page is not None:
            seen += [s.guid for s in page.items]
    assert seen == newest_first

    client.close_safebox(guids[0])
    assert [s.guid for s in client.safeboxes(status="closed", search=unique)] == [guids[0]]
    assert len(list(client.safeboxes(status=["in_progress"], search=unique))) == 4
    assert list(client.safeboxes(search=unique + "-nothing")) == []
    with pytest.raises(sendsecure.HttpError) as caught:
        list(client.safeboxes(status="no_such_status"))
    assert caught.value.http_status == 400


def test_safebox_info_sections_and_json_views(client, create, unique):
    response = create(unique, [("notes.txt", NOTES), ("empty.txt", b"")], message="Please review the notes.")
    info = client.safebox_info(response.guid)
    assert info.guid == response.guid
    assert info.subject == unique and info.status == "in_progress"
    assert info.user_id == 1 and info.closed_at is None and info.expiration
    assert info.security_profile_name == "Default"
    assert {(p.email, p.role) for p in info.participants} == {("john.smith@example.com", "guest"), (DEMO[2], "owner")}
    guest = [p for p in info.participants if p.role == "guest"][0]
    assert guest.first_name == "John" and [m.destination for m in guest.contact_methods] == ["+15145550000"]
    [message] = info.messages
    assert message.note == "Please review the notes."
    assert [(d.name, d.size) for d in message.documents] == [("notes.txt", len(NOTES)), ("empty.txt", 0)]
    assert message.documents[0].sha == hashlib.sha256(NOTES).hexdigest()
    assert info.documents == message.documents
    assert info.events and info.events[0].type == "safebox_created_owner"
    assert info.json["guid"] == response.guid
    assert isinstance(info.security_options, dict) and "reply_enabled" in info.security_options
    assert isinstance(info.download_activity, dict)
    assert isinstance(message.json, dict) and isinstance(guest.json, dict)

    only = client.safebox_info(response, sections=["messages"])
    assert only.messages and not only.participants and only.security_options is None

    assert [p.email for p in client.participants(response)] == [p.email for p in info.participants]
    assert client.messages(response)[0].documents == message.documents
    assert client.event_history(response)[0].type == "safebox_created_owner"
    assert client.security_options(response) == info.security_options
    assert isinstance(client.download_activity(response), dict)


def test_reply_with_an_attachment_and_progress(client, create, unique, tmp_path):
    response = create(unique)
    signed = tmp_path / "signed.txt"
    signed.write_bytes(b"Signed copy.\n" * 40000)
    reports = []
    with sendsecure.Reply("Thanks, here is the signed copy.", [signed, ("extra.txt", b"extra")]) as reply:
        assert reply.attachment_count == 2
        client.send_reply(response, reply, progress=reports.append)
        with pytest.raises(sendsecure.StateError):
            client.send_reply(response, reply)  # a reply is spent once posted
    total = signed.stat().st_size + 5
    assert [p.bytes_sent for p in reports] == sorted(p.bytes_sent for p in reports)
    assert reports[-1].bytes_sent == reports[-1].bytes_total == total

    client.reply(response, "A second one without attachment.")
    messages = client.messages(response)
    assert [m.note for m in messages[1:]] == ["Thanks, here is the signed copy.", "A second one without attachment."]
    assert [(d.name, d.size) for d in messages[1].documents] == [
        ("signed.txt", signed.stat().st_size),
        ("extra.txt", 5),
    ]

    with pytest.raises(sendsecure.ArgumentError, match="empty"):
        client.reply(response)  # neither message nor attachment


def test_download_is_byte_identical(client, create, unique, tmp_path):
    data = os.urandom(3 * 1024 * 1024 + 17)
    response = create(unique, [("data.bin.txt", data)])
    [document] = client.safebox_info(response, "messages").documents
    expected = hashlib.sha256(data).hexdigest()
    assert document.sha == expected

    reports = []
    target = tmp_path / "download.dat"
    assert client.download_document(response, document, DEMO[2], target, progress=reports.append) == str(target)
    assert hashlib.sha256(target.read_bytes()).hexdigest() == expected
    assert not list(tmp_path.glob("*.part"))
    assert reports[-1].bytes_sent == len(data) and reports[-1].bytes_total in (0, len(data))
    assert [p.bytes_sent for p in reports] == sorted(p.bytes_sent for p in reports)

    buffer = io.BytesIO()
    client.download_document_to(response, document.id, DEMO[2], buffer)
    assert hashlib.sha256(buffer.getvalue()).hexdigest() == expected
    chunks = []
    client.download_document_to(response, document, DEMO[2], chunks.append)
    assert hashlib.sha256(b"".join(chunks)).hexdigest() == expected and max(map(len, chunks)) <= 256 * 1024
    assert client.read_document(response, document, DEMO[2]) == data
    assert client.document_url(response, document, DEMO[2]).startswith("http")

    audit = tmp_path / "audit.pdf"
    client.download_audit_record(response, audit)
    assert audit.read_bytes().startswith(b"%PDF")
    assert client.audit_record_url(response).startswith("http")


def test_download_stopped_or_failing_leaves_no_file(client, create, unique, tmp_path):
    response = create(unique, [("big.txt", b"y" * (2 * 1024 * 1024))])
    [document] = client.safebox_info(response, "messages").documents
    target = tmp_path / "big.txt"
    with pytest.raises(sendsecure.AbortedError):
        client.download_document(response, document, DEMO[2], target, progress=lambda p: p.bytes_sent > 0)
    assert not target.exists() and not list(tmp_path.glob("*.part"))

    class Full(Exception):
        pass

    def full(chunk):
        raise Full("no space left")

    with pytest.raises(Full):
        client.download_document_to(response, document, DEMO[2], full)

    with pytest.raises(sendsecure.HttpError, match="User email not found"):
        client.download_document(response, document, "nobody@example.com", target)
    with pytest.raises(sendsecure.NotFoundError):
        client.download_document(UNKNOWN_GUID, document, DEMO[2], target)
    with pytest.raises(sendsecure.IOError_):
        client.download_document(response, document, DEMO[2], tmp_path / "no" / "such" / "dir" / "x")


def test_close_and_other_actions(client, bob_client, create, unique):
    response = create(unique, [("a.txt", b"a")])
    guid = response.guid
    assert client.add_time(guid, 2, "days")
    client.mark_as_unread(guid)
    assert client.safebox_info(guid, "messages").unread_count >= 1
    client.mark_as_read(guid)
    message = client.messages(guid)[0]
    client.mark_message_unread(guid, message)
    client.mark_message_read(guid, message.id)
    client.unfollow_safebox(guid)
    client.follow_safebox(guid)
    client.archive_safebox(guid, DEMO[2])
    client.unarchive_safebox(guid, DEMO[2])

    with pytest.raises(sendsecure.HttpError) as caught:
        bob_client.close_safebox(guid)  # not his
    assert caught.value.http_status == 403

    client.close_safebox(guid)
    info = client.safebox_info(guid, "messages")
    assert info.status == "closed" and info.closed_at
    with pytest.raises(sendsecure.HttpError) as caught:
        client.close_safebox(guid)
    assert caught.value.http_status == 400 and caught.value.code is Result.ERR_HTTP_STATUS
    assert "Unable to close" in caught.value.message or "Unable to close" in (caught.value.body or "")
    client.delete_safebox_content(guid)
    assert client.safebox_info(guid).status == "content_deleted"


def test_participants_favorites_search_and_consent(client, create, unique):
    guid = create(unique).guid
    added = client.create_participant(
        guid, "new.guest@example.com", first_name="New", privileged=True, contact_methods=[("+15145550002", "home")]
    )
    assert added.email == "new.guest@example.com" and added.first_name == "New" and added.privileged
    [method] = added.contact_methods
    updated = client.update_participant(guid, added.id, last_name="Guest", add_contact_methods=["+15145550003"])
    assert updated.last_name == "Guest" and len(updated.contact_methods) == 2 and updated.privileged
    demoted = client.update_participant(guid, added.id, privileged=False)
    assert not demoted.privileged
    assert [p.privileged for p in client.participants(guid) if p.id == added.id] == [False]
    trimmed = client.delete_participant_contact_methods(guid, added.id, [method.id])
    assert [m.destination for m in trimmed.contact_methods] == ["+15145550003"]

    favorite = client.create_favorite(
        f"{unique}@example.com", first_name="Fav", always_promote=True, contact_methods=["+15145550004"]
    )
    assert favorite.email == f"{unique}@example.com" and favorite.always_promote
    assert [f.always_promote for f in client.favorites() if f.id == favorite.id] == [True]
    changed = client.update_favorite(favorite.id, company_name="ACME", always_promote=False)
    assert changed.company_name == "ACME" and not changed.always_promote
    assert [f.always_promote for f in client.favorites() if f.id == favorite.id] == [False]
    assert client.delete_favorite_contact_methods(favorite.id, [favorite.contact_methods[0].id]).contact_methods == ()
    assert [m.email for m in client.search_recipient(unique)] == [f"{unique}@example.com"]
    client.delete_favorite(favorite.id)
    assert favorite.id not in [f.id for f in client.favorites()]
    with pytest.raises(sendsecure.NotFoundError):
        client.delete_favorite(favorite.id)

    group = client.consent_group_messages(1)
    assert group.id == 1 and set(group.messages) >= {"en", "fr"}
