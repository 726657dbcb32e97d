//! The core client on existing SafeBoxes against the emulator: list and pages, info and
//! sections, participants, favorites, search, consent, reply, actions, downloads; each change
//! read back, and the refusals the spec documents.

mod support;

use sendsecure::{
    get_user_token, Attachment, Client, ClientOptions, ContactEdit, DestinationType, DownloadSink,
    Error, Recipient, Reply, Safebox, SafeboxFilter, Section, TimeUnit, TokenRequest,
};
use sha2::{Digest, Sha256};
use std::sync::{Arc, Mutex};
use support::{Emulator, ACCOUNT, EMAIL, PASSWORD, USER};

async fn login(emu: &Emulator, user: &str, password: &str) -> Client {
    let request = TokenRequest {
        enterprise_account: ACCOUNT,
        username: user,
        password,
        device_id: "d",
        device_name: "tests",
        endpoint: Some(&emu.url),
        ..TokenRequest::default()
    };
    let token = get_user_token(&request, &ClientOptions::default())
        .await
        .expect("login");
    let options = ClientOptions {
        user_id: Some(token.user_id),
        ..ClientOptions::default()
    };
    Client::new(&token.token, ACCOUNT, Some(&emu.url), options).expect("client")
}

async fn create(c: &Client, subject: &str, files: &[(&str, &[u8])]) -> String {
    let mut sb = Safebox::new(EMAIL);
    sb.subject = Some(subject.into());
    sb.message = Some(format!("about {subject}"));
    let mut r = Recipient::new("guest@example.com");
    r.contact_methods.push(sendsecure::ContactMethod {
        destination: "+15145550000".into(),
        destination_type: DestinationType::Cell,
    });
    sb.recipients.push(r);
    for (name, bytes) in files {
        sb.attachments
            .push(Attachment::from_bytes(bytes.to_vec(), name, None).unwrap());
    }
    c.submit_safebox(&mut sb, None).await.expect("submit").guid
}

#[tokio::test]
async fn list_filters_pages_and_iterates() {
    let emu = Emulator::demo();
    let c = login(&emu, USER, PASSWORD).await;
    let mut guids = vec![];
    for i in 0..5 {
        guids.push(create(&c, &format!("box {i}"), &[]).await);
    }
    let page = c
        .get_safeboxes(&SafeboxFilter {
            per_page: Some(2),
            ..SafeboxFilter::default()
        })
        .await
        .unwrap();
    assert_eq!((page.count, page.safeboxes.len()), (5, 2));
    let link = page.next_page_url.clone().unwrap();
    assert!(!link.starts_with('/') && link.contains("page=2"), "{link}");
    let second = c.next_safebox_page(&page).await.unwrap().unwrap();
    assert_eq!(second.safeboxes.len(), 2);
    let mut all: Vec<String> = c
        .get_all_safeboxes(&SafeboxFilter {
            per_page: Some(2),
            ..SafeboxFilter::default()
        })
        .await
        .unwrap()
        .into_iter()
        .map(|s| s.guid)
        .collect();
    all.sort();
    guids.sort();
    assert_eq!(all, guids, "every SafeBox exactly once across the pages");

    let found = c
        .get_safeboxes(&SafeboxFilter {
            search: Some("box 3".into()),
            ..SafeboxFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(found.safeboxes.len(), 1);
    assert_eq!(found.safeboxes[0].subject.as_deref(), Some("box 3"));

    c.mark_as_unread(&guids[0]).await.unwrap();
    let unread = c
        .get_safeboxes(&SafeboxFilter {
            status: Some("in_progress,unread".into()),
            ..SafeboxFilter::default()
        })
        .await
        .unwrap();
    assert_eq!(unread.safeboxes.len(), 1);
    assert_eq!(unread.safeboxes[0].unread_count, 1);

    let bad = SafeboxFilter {
        per_page: Some(1001),
        ..SafeboxFilter::default()
    };
    assert!(matches!(
        c.get_safeboxes(&bad).await,
        Err(Error::InvalidArgument(_))
    ));
    let bad_status = SafeboxFilter {
        status: Some("sleeping".into()),
        ..SafeboxFilter::default()
    };
    let err = c.get_safeboxes(&bad_status).await.unwrap_err();
    assert_eq!(err.http_status(), Some(400));
}

#[tokio::test]
async fn info_sections_messages_and_history() {
    let emu = Emulator::demo();
    let c = login(&emu, USER, PASSWORD).await;
    let guid = create(&c, "sections", &[("a.txt", b"alpha")]).await;

    let all = c.get_safebox_info(&guid, &[]).await.unwrap();
    assert_eq!(
        (all.guid.as_str(), all.status.as_str()),
        (guid.as_str(), "in_progress")
    );
    assert_eq!(all.participants.len(), 2);
    assert_eq!(all.messages.len(), 1);
    assert_eq!(
        all.messages[0].documents[0].sha,
        hex::encode(Sha256::digest(b"alpha"))
    );
    assert!(all.security_options.is_some() && all.download_activity.is_some());
    assert_eq!(all.event_history[0].kind, "safebox_created_owner");

    let some = c
        .get_safebox_info(&guid, &[Section::Messages])
        .await
        .unwrap();
    assert_eq!(some.messages.len(), 1);
    assert!(some.participants.is_empty() && some.security_options.is_none());

    let messages = c.get_safebox_messages(&guid).await.unwrap();
    assert_eq!(messages[0].note, "about sections");
    let options = c.get_safebox_security_options(&guid).await.unwrap();
    assert_eq!(options["allow_manual_close"], true);
    let events = c.get_safebox_event_history(&guid).await.unwrap();
    assert!(events[0].message.contains(EMAIL));

    let missing = c
        .get_safebox_info("0123456789abcdef0123456789abcdef", &[])
        .await
        .unwrap_err();
    assert_eq!(missing.http_status(), Some(404));
    assert!(
        matches!(c.get_safebox_messages("").await, Err(Error::InvalidArgument(m)) if m == "SafeBox GUID cannot be null")
    );
    let bob = login(&emu, "bob", "bob-password").await;
    assert_eq!(
        bob.get_safebox_info(&guid, &[])
            .await
            .unwrap_err()
            .http_status(),
        Some(403)
    );
    // A GUID can never escape its path segment.
    let escaped = c.get_safebox_info("../safeboxes", &[]).await.unwrap_err();
    assert_eq!(escaped.http_status(), Some(404));
}

#[tokio::test]
async fn participants_are_added_changed_and_their_phones_removed() {
    let emu = Emulator::demo();
    let c = login(&emu, USER, PASSWORD).await;
    let guid = create(&c, "people", &[]).await;
    let mut edit = ContactEdit {
        email: Some("new.guest@example.com".into()),
        first_name: Some("New".into()),
        ..ContactEdit::default()
    };
    edit.add_phone("+15145550001", DestinationType::Office);
    edit.add_phone("+15145550002", DestinationType::Home);
    let created = c.create_participant(&guid, &edit).await.unwrap();
    assert_eq!(
        (created.kind.as_str(), created.contact_methods.len()),
        ("guest", 2)
    );

    let change = ContactEdit {
        last_name: Some("Changed".into()),
        locked: Some(true),
        ..ContactEdit::default()
    };
    let changed = c
        .update_participant(&guid, &created.id, &change)
        .await
        .unwrap();
    assert_eq!(
        (
            changed.last_name.as_str(),
            changed.first_name.as_str(),
            changed.locked
        ),
        ("Changed", "New", true)
    );

    let first_phone = changed.contact_methods[0].id;
    let trimmed = c
        .delete_participant_contact_methods(&guid, &created.id, &[first_phone])
        .await
        .unwrap();
    assert_eq!(trimmed.contact_methods.len(), 1);
    let listed = c.get_safebox_participants(&guid).await.unwrap();
    let again = listed.iter().find(|p| p.id == created.id).unwrap();
    assert_eq!(again.contact_methods[0].destination, "+15145550002");

    let duplicate = c.create_participant(&guid, &edit).await.unwrap_err();
    assert!(
        duplicate.body().unwrap().contains("has already been taken"),
        "{duplicate:?}"
    );
    let no_email = c
        .create_participant(&guid, &ContactEdit::default())
        .await
        .unwrap_err();
    assert!(
        matches!(no_email, Error::InvalidArgument(m) if m == "Participant email cannot be null")
    );
    let unknown = c
        .update_participant(&guid, "ffffffffffffffffffffffffffffffff", &change)
        .await
        .unwrap_err();
    assert_eq!(unknown.http_status(), Some(404));
}

#[tokio::test]
async fn favorites_search_consent_and_user_settings() {
    let emu = Emulator::demo();
    let c = login(&emu, USER, PASSWORD).await;
    let before = c.get_favorites().await.unwrap();
    assert_eq!(before.len(), 1, "the demo user starts with one favorite");

    let mut edit = ContactEdit {
        email: Some("zed.zulu@example.com".into()),
        first_name: Some("Zed".into()),
        company_name: Some("Zulu".into()),
        ..ContactEdit::default()
    };
    edit.add_phone("514-555-0001", DestinationType::Cell);
    let favorite = c.create_favorite(&edit).await.unwrap();
    assert_eq!(
        (
            favorite.company_name.as_str(),
            favorite.contact_methods.len()
        ),
        ("Zulu", 1)
    );
    let renamed = c
        .update_favorite(
            favorite.id,
            &ContactEdit {
                last_name: Some("Zulu".into()),
                ..ContactEdit::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(renamed.last_name, "Zulu");
    let phone = renamed.contact_methods[0].id;
    let phoneless = c
        .delete_favorite_contact_methods(favorite.id, &[phone])
        .await
        .unwrap();
    assert!(phoneless.contact_methods.is_empty());

    let matches = c.search_recipient("zulu").await.unwrap();
    assert!(matches
        .iter()
        .any(|m| m.kind == "favorite" && m.email == "zed.zulu@example.com"));
    let users = c.search_recipient("bob").await.unwrap();
    assert!(users
        .iter()
        .any(|m| m.kind == "user" && m.email == "bob@acme.example"));
    assert!(matches!(
        c.search_recipient(" ").await,
        Err(Error::InvalidArgument(_))
    ));

    c.delete_favorite(favorite.id).await.unwrap();
    assert_eq!(c.get_favorites().await.unwrap().len(), 1);
    assert_eq!(
        c.delete_favorite(favorite.id)
            .await
            .unwrap_err()
            .http_status(),
        Some(404)
    );
    assert!(
        matches!(c.create_favorite(&ContactEdit::default()).await, Err(Error::InvalidArgument(m)) if m == "Favorite email cannot be null")
    );

    let consent = c.get_consent_group_messages(1).await.unwrap();
    assert_eq!(consent.name, "Default");
    assert!(consent.messages.iter().any(|(locale, _)| locale == "fr"));
    assert_eq!(
        c.get_consent_group_messages(99)
            .await
            .unwrap_err()
            .http_status(),
        Some(404)
    );

    let settings = c.get_user_settings().await.unwrap();
    assert_eq!(settings["default_filter"], "everything");
    let anonymous =
        Client::new("USER|x", ACCOUNT, Some(&emu.url), ClientOptions::default()).unwrap();
    assert!(
        matches!(
            anonymous.get_favorites().await,
            Err(Error::InvalidArgument(_))
        ),
        "user id is required"
    );
}

#[tokio::test]
async fn reply_download_and_the_life_of_a_safebox() {
    let emu = Emulator::demo();
    let c = login(&emu, USER, PASSWORD).await;
    let guid = create(&c, "life", &[("first.txt", b"first document")]).await;

    let big: Vec<u8> = (0..(3 << 20) as u32).map(|i| (i * 7 % 256) as u8).collect();
    let mut reply = Reply {
        message: Some("here is more".into()),
        attachments: vec![Attachment::from_bytes(big.clone(), "big.dat", None).unwrap()],
        ..Reply::default()
    };
    let seen: Arc<Mutex<Vec<u64>>> = Arc::default();
    let sink = seen.clone();
    c.reply(
        &guid,
        &mut reply,
        Some(Arc::new(move |p| sink.lock().unwrap().push(p.bytes_sent))),
    )
    .await
    .unwrap();
    assert_eq!(*seen.lock().unwrap().last().unwrap(), big.len() as u64);
    assert!(reply.sent);
    let again = c.reply(&guid, &mut reply, None).await.unwrap_err();
    assert!(
        matches!(&again, Error::InvalidState(m) if m.contains("sent already")),
        "{again:?}"
    );
    let messages = c.get_safebox_messages(&guid).await.unwrap();
    assert_eq!(messages.len(), 2, "the refused second send posted nothing");
    let document = &messages[1].documents[0];
    assert_eq!(
        (document.name.as_str(), document.size),
        ("big.dat", big.len() as u64)
    );

    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("big.dat");
    let written = c
        .download_document(
            &guid,
            &document.id,
            EMAIL,
            DownloadSink::Path(path.clone()),
            None,
        )
        .await
        .unwrap();
    assert_eq!(written, big.len() as u64);
    assert_eq!(
        Sha256::digest(std::fs::read(&path).unwrap()),
        Sha256::digest(&big)
    );
    let wrong_user = c
        .get_document_url(&guid, &document.id, "stranger@example.com")
        .await
        .unwrap_err();
    assert!(
        wrong_user.to_string().contains("User email not found"),
        "{wrong_user}"
    );
    let activity = c.get_safebox_download_activity(&guid).await.unwrap();
    assert!(activity["owner"]["documents"]
        .as_array()
        .unwrap()
        .iter()
        .any(|d| d["downloaded_bytes"] == big.len()));

    let before = c.get_safebox_info(&guid, &[]).await.unwrap().expiration;
    let after = c.add_time(&guid, 2, TimeUnit::Days).await.unwrap();
    assert!(after > before, "{after} > {before}");

    let message_id = messages[1].id;
    c.mark_message_unread(&guid, message_id).await.unwrap();
    assert_eq!(
        c.get_safebox_info(&guid, &[]).await.unwrap().unread_count,
        1
    );
    c.mark_message_read(&guid, message_id).await.unwrap();
    c.mark_as_unread(&guid).await.unwrap();
    assert_eq!(
        c.get_safebox_info(&guid, &[]).await.unwrap().unread_count,
        2
    );
    c.mark_as_read(&guid).await.unwrap();
    assert_eq!(
        c.get_safebox_info(&guid, &[]).await.unwrap().unread_count,
        0
    );
    assert_eq!(
        c.mark_message_read(&guid, 999_999)
            .await
            .unwrap_err()
            .http_status(),
        Some(400)
    );

    c.archive_safebox(&guid, EMAIL).await.unwrap();
    c.unfollow_safebox(&guid).await.unwrap();
    let state = emu.control("GET", &format!("safeboxes/{guid}"), None).await;
    assert_eq!(
        (state["tags"][0].as_str(), state["followed"].as_bool()),
        (Some("archive"), Some(false))
    );
    let twice = c.archive_safebox(&guid, EMAIL).await.unwrap_err();
    assert!(
        twice
            .to_string()
            .contains("Unable to add Safebox to Archives"),
        "{twice}"
    );
    c.unarchive_safebox(&guid, EMAIL).await.unwrap();
    c.follow_safebox(&guid).await.unwrap();
    let state = emu.control("GET", &format!("safeboxes/{guid}"), None).await;
    assert_eq!(
        (
            state["tags"].as_array().unwrap().len(),
            state["followed"].as_bool()
        ),
        (0, Some(true))
    );

    let audit = dir.path().join("audit.pdf");
    c.download_audit_record(&guid, DownloadSink::Path(audit.clone()), None)
        .await
        .unwrap();
    assert!(std::fs::read(&audit).unwrap().starts_with(b"%PDF"));

    assert!(c
        .delete_safebox_content(&guid)
        .await
        .unwrap_err()
        .to_string()
        .contains("Unable to delete"));
    c.close_safebox(&guid).await.unwrap();
    let closed_twice = c.close_safebox(&guid).await.unwrap_err();
    assert_eq!(closed_twice.http_status(), Some(400));
    assert!(closed_twice
        .to_string()
        .contains("Unable to close the SafeBox."));
    let mut late = Reply {
        message: Some("too late".into()),
        ..Reply::default()
    };
    assert_eq!(
        c.reply(&guid, &mut late, None)
            .await
            .unwrap_err()
            .http_status(),
        Some(400)
    );
    c.delete_safebox_content(&guid).await.unwrap();
    assert_eq!(
        c.get_safebox_info(&guid, &[]).await.unwrap().status,
        "content_deleted"
    );
    let gone = c
        .download_document(
            &guid,
            &document.id,
            EMAIL,
            DownloadSink::Path(dir.path().join("gone")),
            None,
        )
        .await
        .unwrap_err();
    assert_eq!(gone.http_status(), Some(400));
    assert!(!dir.path().join("gone").exists() && !dir.path().join("gone.part").exists());
}

#[tokio::test]
async fn broken_downloads_leave_no_file() {
    let emu = Emulator::demo();
    let c = login(&emu, USER, PASSWORD).await;
    let guid = create(&c, "broken", &[("doc.txt", b"0123456789")]).await;
    let messages = c.get_safebox_messages(&guid).await.unwrap();
    let document = messages[0].documents[0].id.clone();
    emu.control(
        "POST",
        "faults",
        Some(serde_json::json!({"kind": "respond", "path": "/files/", "status": 500})),
    )
    .await;
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("doc.txt");
    let err = c
        .download_document(
            &guid,
            &document,
            EMAIL,
            DownloadSink::Path(target.clone()),
            None,
        )
        .await
        .unwrap_err();
    assert_eq!(err.http_status(), Some(500));
    assert_eq!(
        std::fs::read_dir(dir.path()).unwrap().count(),
        0,
        "no file, no .part"
    );
    c.download_document(
        &guid,
        &document,
        EMAIL,
        DownloadSink::Path(target.clone()),
        None,
    )
    .await
    .unwrap();
    assert_eq!(std::fs::read(&target).unwrap(), b"0123456789");
}

/// A reply's uploads carry the SafeBox's `public_encryption_key`, as the vendor SDKs send it
/// when the SafeBox has one (spec E12): a double-encrypted SafeBox needs it, and the emulator
/// records it with each file.
#[tokio::test]
async fn a_replys_uploads_carry_the_safeboxs_public_encryption_key() {
    let emu = Emulator::demo();
    let c = login(&emu, USER, PASSWORD).await;
    for double_encryption in [true, false] {
        let mut sb = Safebox::new(EMAIL);
        sb.subject = Some(format!("double encryption {double_encryption}"));
        sb.message = Some("keys".into());
        sb.recipients.push(Recipient::new("guest@example.com"));
        sb.security_options.double_encryption = Some(double_encryption);
        let response = c.submit_safebox(&mut sb, None).await.expect("submit");
        let key = sb.public_encryption_key.clone().expect("E1 gives a key");
        let mut reply = Reply {
            message: Some("encrypted".into()),
            attachments: vec![
                Attachment::from_bytes(b"one".to_vec(), "one.txt", None).unwrap(),
                Attachment::from_bytes(b"two".to_vec(), "two.txt", None).unwrap(),
            ],
            ..Reply::default()
        };
        c.reply(&response.guid, &mut reply, None)
            .await
            .unwrap_or_else(|e| panic!("double encryption {double_encryption}: {e:?}"));
        let state = emu
            .control("GET", &format!("safeboxes/{}", response.guid), None)
            .await;
        let documents = state["documents"].as_array().unwrap();
        assert_eq!(documents.len(), 2, "{state}");
        for d in documents {
            assert_eq!(d["public_encryption_key"], key.as_str(), "{d}");
        }
    }
}
