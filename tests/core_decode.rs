//! The core client against answers of the wrong shape, injected through the emulator's fault
//! API: each gives `Error::Decode` naming what was wrong (never the token), the well-formed
//! answers of the spec's fixtures still decode, and walks through the SafeBox list end with an
//! error instead of looping when the server's `next_page_url`s go round in circles.

mod support;

use sendsecure::{
    get_user_token, Client, ClientOptions, ContactEdit, Error, Recipient, Safebox, SafeboxFilter,
    SafeboxPages, Section, TimeUnit, TokenRequest,
};
use serde_json::{json, Value};
use std::future::Future;
use std::time::Duration;
use support::{Emulator, ACCOUNT, EMAIL, PASSWORD, USER};

/// The demo user's login at `emu`.
fn token_request(emu: &Emulator) -> TokenRequest<'_> {
    TokenRequest {
        enterprise_account: ACCOUNT,
        username: USER,
        password: PASSWORD,
        device_id: "d",
        device_name: "tests",
        endpoint: Some(&emu.url),
        ..TokenRequest::default()
    }
}

/// A logged-in client with the demo user's id, and its token.
async fn login(emu: &Emulator) -> (Client, String) {
    let token = get_user_token(&token_request(emu), &ClientOptions::default())
        .await
        .expect("login");
    let options = ClientOptions {
        user_id: Some(token.user_id),
        ..ClientOptions::default()
    };
    let client = Client::new(&token.token, ACCOUNT, Some(&emu.url), options).expect("client");
    (client, token.token.clone())
}

async fn create(c: &Client, subject: &str) -> String {
    let mut sb = Safebox::new(EMAIL);
    sb.subject = Some(subject.into());
    sb.message = Some(format!("about {subject}"));
    sb.recipients.push(Recipient::new("guest@example.com"));
    c.submit_safebox(&mut sb, None).await.expect("submit").guid
}

/// Makes the next `method` request to `path` (a prefix, without `.json`) answer 200 with `body`.
async fn inject(emu: &Emulator, method: &str, path: &str, body: Value) {
    inject_times(emu, method, path, body, 1).await;
}

/// Like [`inject`] for the next `count` requests (0: every one until cleared).
async fn inject_times(emu: &Emulator, method: &str, path: &str, body: Value, count: u32) {
    let answer = emu
        .control(
            "POST",
            "faults",
            Some(
                json!({"kind": "respond", "method": method, "path": path, "status": 200,
                "body": body, "count": count}),
            ),
        )
        .await;
    assert_eq!(answer["result"], true, "fault refused: {answer}");
}

/// Makes the next `method` request to `path` answer 200 with `text` as the body.
async fn inject_text(emu: &Emulator, method: &str, path: &str, text: &str) {
    let answer = emu
        .control(
            "POST",
            "faults",
            Some(
                json!({"kind": "respond", "method": method, "path": path, "status": 200,
                "body_text": text}),
            ),
        )
        .await;
    assert_eq!(answer["result"], true, "fault refused: {answer}");
}

/// How many requests the emulator served (its control API's own are not counted).
async fn requests_served(emu: &Emulator) -> u64 {
    emu.control("GET", "stats", None).await["requests"]
        .as_u64()
        .expect("requests counter")
}

/// The message of a decode error; panics on success or on another error. The message must
/// contain every one of `needles`, and never the token.
fn decode_error<T: std::fmt::Debug>(
    r: sendsecure::Result<T>,
    token: &str,
    needles: &[&str],
) -> String {
    let message = match r {
        Err(Error::Decode(m)) => m,
        other => panic!("expected Error::Decode, got {other:?}"),
    };
    for needle in needles {
        assert!(
            message.contains(needle),
            "`{message}` does not contain `{needle}`"
        );
    }
    assert!(!message.contains(token), "the token leaked: {message}");
    assert!(!message.contains("USER|"), "a token leaked: {message}");
    message
}

/// Runs `f` with a time limit, so that an endless walk fails the test instead of hanging it.
async fn limited<T>(f: impl Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(30), f)
        .await
        .expect("the call did not end within 30 s (an endless walk?)")
}

const GUID: &str = "73af62f766ee459e81f46e4f533085a4";

#[tokio::test]
async fn safebox_list_answers_of_the_wrong_shape_are_refused() {
    let emu = Emulator::demo();
    let (c, token) = login(&emu).await;
    let all = SafeboxFilter::default();
    let list = "/api/v2/safeboxes";
    let cases: Vec<(Value, &[&str])> = vec![
        (
            json!([1, 2, 3]),
            &["the SafeBox list answer is not an object", "an array"],
        ),
        (
            json!({"safeboxes": {"a": 1}}),
            &["`safeboxes`", "not an array"],
        ),
        (
            json!({"count": 3, "next_page_url": null}),
            &["has no `safeboxes` array"],
        ),
        (json!({"safeboxes": [1]}), &["SafeBox 1", "not an object"]),
        (
            json!({"safeboxes": [{"safebox": 42}]}),
            &["`safebox` of SafeBox 1", "a number, not an object"],
        ),
        (
            json!({"safeboxes": [{"safebox": {"guid": GUID}}, {"safebox": {"status": "closed"}}]}),
            &["SafeBox 2 of the SafeBox list answer has no `guid`"],
        ),
        (
            json!({"safeboxes": [{"safebox": {"guid": 12}}]}),
            &["`guid`", "a number, not text"],
        ),
        (
            json!({"count": "many", "safeboxes": []}),
            &["`count`", "not an integer"],
        ),
        (
            json!({"next_page_url": {"page": 2}, "safeboxes": []}),
            &["`next_page_url`", "not text"],
        ),
        (json!("safeboxes"), &["not an object (found text)"]),
    ];
    for (body, needles) in cases {
        inject(&emu, "GET", list, body.clone()).await;
        decode_error(c.get_safeboxes(&all).await, &token, needles);
        inject(&emu, "GET", list, body).await;
        decode_error(c.get_all_safeboxes(&all).await, &token, needles);
    }
    // The spec's fixture (G-63, trimmed) decodes; numeric text counts are tolerated (§13).
    inject(&emu, "GET", list, json!({"count": "2", "previous_page_url": null, "next_page_url": null,
        "safeboxes": [{"safebox": {"guid": GUID, "user_id": 1, "subject": null, "status": "in_progress",
        "security_profile_name": "All Contact Method Allowed!", "unread_count": 0,
        "created_at": "2017-05-24T14:45:35.062Z", "closed_at": null}},
        {"guid": "1c820789a50747df8746aa5d71922a3f"}]})).await;
    let page = c.get_safeboxes(&all).await.unwrap();
    assert_eq!(page.count, 2);
    assert_eq!(page.safeboxes.len(), 2);
    assert_eq!(page.safeboxes[0].guid, GUID);
    assert_eq!(page.safeboxes[0].subject, None);
    assert!(page.safeboxes[0].participants.is_empty());
    assert_eq!(page.safeboxes[1].guid, "1c820789a50747df8746aa5d71922a3f");
    // And the emulator's own answers.
    let guid = create(&c, "still decodes").await;
    let page = c.get_safeboxes(&all).await.unwrap();
    assert!(page.safeboxes.iter().any(|s| s.guid == guid));
}

#[tokio::test]
async fn safebox_details_and_parts_of_the_wrong_shape_are_refused() {
    let emu = Emulator::demo();
    let (c, token) = login(&emu).await;
    let guid = create(&c, "parts").await;
    let base = format!("/api/v2/safeboxes/{guid}");

    let info_cases: Vec<(Value, &[&str])> = vec![
        (
            json!({"safebox": 42}),
            &["`safebox`", "a number, not an object"],
        ),
        (json!({"safeboxes": {}}), &["has no `safebox` object"]),
        (
            json!([{"safebox": {}}]),
            &["the SafeBox answer is not an object"],
        ),
        (json!({"safebox": {"status": "closed"}}), &["has no `guid`"]),
        (json!({"safebox": {"guid": ""}}), &["`guid`", "is empty"]),
        (
            json!({"safebox": {"guid": GUID, "participants": {"id": 1}}}),
            &["`participants`", "not an array"],
        ),
        (
            json!({"safebox": {"guid": GUID, "participants": [{"email": "a@b.c"}]}}),
            &["participant 1", "has no `id`"],
        ),
        (
            json!({"safebox": {"guid": GUID, "messages": [{"documents": [{"name": "a.txt"}]}]}}),
            &["document 1 of message 1", "has no `id`"],
        ),
        (
            json!({"safebox": {"guid": GUID, "event_history": ["created"]}}),
            &["event 1", "not an object"],
        ),
        (
            json!({"safebox": {"guid": GUID, "security_options": [1]}}),
            &["`security_options`", "not an object"],
        ),
        (
            json!({"safebox": {"guid": GUID, "download_activity": "none"}}),
            &["`download_activity`", "not an object"],
        ),
    ];
    for (body, needles) in info_cases {
        inject(&emu, "GET", &base, body).await;
        decode_error(c.get_safebox_info(&guid, &[]).await, &token, needles);
    }
    // The spec's fixtures (G-65 with its E29 participant without e-mail, G-66) decode.
    inject(&emu, "GET", &base, json!({"safebox": {"guid": "1c820789a50747df8746aa5d71922a3f", "user_id": 1,
        "participants": [{"id": "7a3c51e00a004917a8f5db807180fcc5", "guest_options": {}, "message_read_count": 0,
        "message_total_count": 1}, {"id": "1", "email": "jane.doe@example.com", "type": "user", "role": "owner"}],
        "security_options": {"security_code_length": 4}, "messages": [{"note": "Lorem Ipsum...", "documents": []}],
        "download_activity": {"guests": [], "owner": {"id": 1, "documents": []}},
        "event_history": [{"type": "safebox_created_owner", "date": "2017-03-30T18:09:05.966Z", "metadata": {},
        "message": "created"}]}})).await;
    let info = c.get_safebox_info(&guid, &[]).await.unwrap();
    assert_eq!(info.participants.len(), 2);
    assert_eq!(info.messages.len(), 1);
    assert_eq!(info.event_history[0].kind, "safebox_created_owner");
    inject(
        &emu,
        "GET",
        &base,
        json!({"safebox": {"guid": GUID, "security_options": {}, "participants": [],
        "messages": [], "download_activity": {}, "event_history": []}}),
    )
    .await;
    let info = c.get_safebox_info(&guid, &[]).await.unwrap();
    assert_eq!((info.guid.as_str(), info.status.as_str()), (GUID, ""));

    let participants = format!("{base}/participants");
    for (body, needles) in [
        (
            json!({"participants": [1, "x"]}),
            &["participant 1 of the participant list answer is not an object"][..],
        ),
        (
            json!({"participants": [{"id": "a"}]}),
            &["participant 1", "has no `email`"],
        ),
        (
            json!({"participants": [{"email": "a@b.c"}]}),
            &["participant 1", "has no `id`"],
        ),
        (
            json!({"participants": [{"id": 1.5, "email": "a@b.c"}]}),
            &["`id`", "not text or an integer"],
        ),
        (
            json!({"participants": [{"id": "a", "email": "a@b.c", "guest_options": {"contact_methods": [7]}}]}),
            &["contact method 1", "not an object"],
        ),
        (
            json!({"participants": [{"id": "a", "email": "a@b.c", "guest_options": 3}]}),
            &["`guest_options`", "not an object"],
        ),
        (
            json!({"participants": 3}),
            &["`participants`", "not an array"],
        ),
    ] {
        inject(&emu, "GET", &participants, body).await;
        decode_error(c.get_safebox_participants(&guid).await, &token, needles);
    }

    let messages = format!("{base}/messages");
    for (body, needles) in [
        (
            json!({"messages": [1]}),
            &["message 1 of the message list answer is not an object"][..],
        ),
        (
            json!({"messages": [{"id": "x"}]}),
            &["`id`", "not an integer"],
        ),
        (
            json!({"messages": [{"documents": {}}]}),
            &["`documents`", "not an array"],
        ),
        (json!({"messages": {}}), &["`messages`", "not an array"]),
    ] {
        inject(&emu, "GET", &messages, body).await;
        decode_error(c.get_safebox_messages(&guid).await, &token, needles);
    }

    let events = format!("{base}/event_history");
    for (body, needles) in [
        (
            json!({"event_history": [{"date": "2017-03-30T18:09:05.966Z"}]}),
            &["event 1", "has no `type`"][..],
        ),
        (
            json!({"event_history": [[]]}),
            &["event 1", "not an object"],
        ),
        (
            json!({"event_history": "x"}),
            &["`event_history`", "not an array"],
        ),
    ] {
        inject(&emu, "GET", &events, body).await;
        decode_error(c.get_safebox_event_history(&guid).await, &token, needles);
    }

    let options = format!("{base}/security_options");
    inject(&emu, "GET", &options, json!({"security_options": [1]})).await;
    decode_error(
        c.get_safebox_security_options(&guid).await,
        &token,
        &["`security_options`", "an array, not an object"],
    );
    let activity = format!("{base}/download_activity");
    inject(&emu, "GET", &activity, json!({"download_activity": 5})).await;
    decode_error(
        c.get_safebox_download_activity(&guid).await,
        &token,
        &["`download_activity`", "a number, not an object"],
    );

    // Action answers must be objects; add time needs its object too.
    inject(&emu, "PATCH", &format!("{base}/mark_as_read"), json!([1])).await;
    decode_error(
        c.mark_as_read(&guid).await,
        &token,
        &["the action's answer is not an object"],
    );
    inject(&emu, "PATCH", &format!("{base}/add_time"), json!("later")).await;
    decode_error(
        c.add_time(&guid, 1, TimeUnit::Days).await,
        &token,
        &["the add time answer is not an object"],
    );

    // Nothing stuck: the real answers still decode.
    let info = c.get_safebox_info(&guid, &[]).await.unwrap();
    assert_eq!(info.guid, guid);
    assert_eq!(c.get_safebox_participants(&guid).await.unwrap().len(), 2);
    assert_eq!(c.get_safebox_messages(&guid).await.unwrap().len(), 1);
    assert!(!c.get_safebox_event_history(&guid).await.unwrap().is_empty());
    assert!(c
        .get_safebox_security_options(&guid)
        .await
        .unwrap()
        .is_object());
    c.mark_as_read(&guid).await.unwrap();
    let info = c
        .get_safebox_info(&guid, &[Section::Participants])
        .await
        .unwrap();
    assert!(info.security_options.is_none());
}

#[tokio::test]
async fn participant_answers_of_the_wrong_shape_are_refused() {
    let emu = Emulator::demo();
    let (c, token) = login(&emu).await;
    let guid = create(&c, "participants").await;
    let path = format!("/api/v2/safeboxes/{guid}/participants");
    let edit = ContactEdit {
        email: Some("new.guest@example.com".into()),
        ..ContactEdit::default()
    };
    for (body, needles) in [
        (json!({}), &["the participant answer has no `id`"][..]),
        (
            json!([true]),
            &["the participant answer is not an object (found an array)"],
        ),
        (
            json!({"id": "23a3c8ec897548dc82f50a9a1550e52c"}),
            &["has no `email`"],
        ),
        (
            json!({"id": false, "email": "a@b.c"}),
            &["`id`", "a boolean"],
        ),
        (
            json!({"participant": {"id": "a", "email": "a@b.c"}}),
            &["has no `id`"],
        ),
    ] {
        inject(&emu, "POST", &path, body).await;
        decode_error(c.create_participant(&guid, &edit).await, &token, needles);
    }
    // The spec's answer (G-38: privileged as text) decodes.
    inject(&emu, "POST", &path, json!({"id": "23a3c8ec897548dc82f50a9a1550e52c", "first_name": "John",
        "email": "johny.smith@example.com", "type": "guest", "role": "guest", "privileged": "true",
        "guest_options": {"company_name": "Test enterprise", "locked": false, "contact_methods": [{"id": 35105,
        "destination": "514-555-5555", "destination_type": "cell_phone"}]}})).await;
    let p = c.create_participant(&guid, &edit).await.unwrap();
    assert!(p.privileged);
    assert_eq!(p.contact_methods[0].id, 35105);

    // A real one, then its update and phone removal with wrong answers.
    let p = c.create_participant(&guid, &edit).await.unwrap();
    let one = format!("{path}/{}", p.id);
    inject_text(&emu, "PATCH", &one, "null").await;
    decode_error(
        c.update_participant(&guid, &p.id, &ContactEdit::default())
            .await,
        &token,
        &["the participant answer is not an object (found null)"],
    );
    inject(&emu, "PATCH", &one, json!([true])).await;
    decode_error(
        c.delete_participant_contact_methods(&guid, &p.id, &[])
            .await,
        &token,
        &["not an object"],
    );
    inject(&emu, "PATCH", &one, json!({"id": p.id, "email": "x@y.z", "guest_options": {"contact_methods": [{"verified": true}]}})).await;
    decode_error(
        c.delete_participant_contact_methods(&guid, &p.id, &[])
            .await,
        &token,
        &["contact method 1", "neither `id` nor `destination`"],
    );
    let same = c
        .update_participant(&guid, &p.id, &ContactEdit::default())
        .await
        .unwrap();
    assert_eq!(
        (same.id.as_str(), same.email.as_str()),
        (p.id.as_str(), "new.guest@example.com")
    );
}

#[tokio::test]
async fn user_level_answers_of_the_wrong_shape_are_refused() {
    let emu = Emulator::demo();
    let (c, token) = login(&emu).await;
    let user_id = c.user_id().unwrap();
    let favorites = format!("/api/v2/enterprises/{ACCOUNT}/users/{user_id}/favorites");
    let edit = ContactEdit {
        email: Some("fav@example.com".into()),
        ..ContactEdit::default()
    };

    inject(&emu, "POST", &favorites, json!("text")).await;
    decode_error(
        c.create_favorite(&edit).await,
        &token,
        &["the favorite answer is not an object (found text)"],
    );
    inject(
        &emu,
        "POST",
        &favorites,
        json!({"email": "fav@example.com"}),
    )
    .await;
    decode_error(
        c.create_favorite(&edit).await,
        &token,
        &["the favorite answer has no `id`"],
    );
    inject(
        &emu,
        "POST",
        &favorites,
        json!({"id": 1, "email": "fav@example.com", "contact_methods": {}}),
    )
    .await;
    decode_error(
        c.create_favorite(&edit).await,
        &token,
        &["`contact_methods`", "not an array"],
    );
    let f = c.create_favorite(&edit).await.unwrap();
    assert!(f.id > 0);
    let one = format!("{favorites}/{}", f.id);
    inject_text(&emu, "PATCH", &one, "null").await;
    decode_error(
        c.update_favorite(f.id, &ContactEdit::default()).await,
        &token,
        &["the favorite answer is not an object (found null)"],
    );
    inject(&emu, "PATCH", &one, json!({"email": "fav@example.com"})).await;
    decode_error(
        c.delete_favorite_contact_methods(f.id, &[]).await,
        &token,
        &["has no `id`"],
    );
    // The spec's update answer (G-26: an id, no e-mail) decodes.
    inject(
        &emu,
        "PATCH",
        &one,
        json!({"id": 456, "created_at": "2017-04-28T17:18:30.850Z",
        "contact_methods": [{"id": 1}, {"id": 2}]}),
    )
    .await;
    let updated = c
        .update_favorite(f.id, &ContactEdit::default())
        .await
        .unwrap();
    assert_eq!((updated.id, updated.contact_methods.len()), (456, 2));

    for (body, needles) in [
        (
            json!({"favorites": [3]}),
            &["favorite 1 of the favorite list answer is not an object"][..],
        ),
        (
            json!({"favorites": [{"first_name": "No"}]}),
            &["favorite 1", "neither `id` nor `email`"],
        ),
        (
            json!({"favorites": [{"id": [1], "email": "a@b.c"}]}),
            &["`id`", "not an integer"],
        ),
        (json!({"favorites": {}}), &["`favorites`", "not an array"]),
        (
            json!(false),
            &["the favorite list answer is not an object (found a boolean)"],
        ),
    ] {
        inject(&emu, "GET", &favorites, body).await;
        decode_error(c.get_favorites().await, &token, needles);
    }
    inject_text(&emu, "GET", &favorites, "null").await;
    decode_error(
        c.get_favorites().await,
        &token,
        &["the favorite list answer is not an object (found null)"],
    );
    // The spec's list (G-20: e-mails without ids) decodes.
    inject(&emu, "GET", &favorites, json!({"favorites":[{"email":"favorite1@example.com","contact_methods":[
        {"destination_type":"cell_phone","destination":"514-555-0001","id":1}]},{"email":"favorite2@example.com"}]})).await;
    assert_eq!(c.get_favorites().await.unwrap().len(), 2);

    let search = "/api/v2/recipients/autocomplete";
    for (body, needles) in [
        (
            json!({"results": [null]}),
            &["result 1 of the recipient search answer is not an object"][..],
        ),
        (
            json!({"results": [{"id": 1, "type": "user"}]}),
            &["result 1", "has no `email`"],
        ),
        (
            json!({"results": [{"email": "a@b.c"}]}),
            &["result 1", "has no `id`"],
        ),
        (json!({"results": 5}), &["`results`", "not an array"]),
    ] {
        inject(&emu, "GET", search, body).await;
        decode_error(c.search_recipient("john").await, &token, needles);
    }

    let consent = format!("/api/v2/enterprises/{ACCOUNT}/consent_message_groups");
    for (body, needles) in [
        (
            json!({"consent_message_group": 5}),
            &["`consent_message_group`", "a number, not an object"][..],
        ),
        (
            json!({"consent_message_group": {"name": "Default"}}),
            &["has no `id`"],
        ),
        (
            json!({"consent_message_group": {"id": 1, "consent_messages": [{"locale": "en", "value": 3}]}}),
            &["consent message 1", "`value`", "not text"],
        ),
        (
            json!({"consent_message_group": {"id": 1, "consent_messages": ["Lorem"]}}),
            &["consent message 1", "not an object"],
        ),
        (
            json!({"group": {}}),
            &["has no `consent_message_group` object"],
        ),
    ] {
        inject(&emu, "GET", &consent, body).await;
        decode_error(c.get_consent_group_messages(1).await, &token, needles);
    }

    let settings = format!("/api/v2/enterprises/{ACCOUNT}/users/{user_id}/settings");
    inject(&emu, "GET", &settings, json!([1])).await;
    decode_error(
        c.get_user_settings().await,
        &token,
        &["the user settings answer is not an object"],
    );

    let enterprise = format!("/api/v2/enterprises/{ACCOUNT}/settings");
    inject(&emu, "GET", &enterprise, json!([1, 2, 3])).await;
    decode_error(
        c.get_enterprise_settings().await,
        &token,
        &["the enterprise settings answer is not an object"],
    );
    inject(&emu, "GET", &enterprise, json!({"pdf_language": 5})).await;
    decode_error(
        c.get_enterprise_settings().await,
        &token,
        &["the enterprise settings answer"],
    );
    let profiles = format!("/api/v2/enterprises/{ACCOUNT}/security_profiles");
    for (body, needles) in [
        (
            json!({"security_profiles": [1]}),
            &["security profile 1 of the security profile list answer is not an object"][..],
        ),
        (
            json!({"security_profiles": [{"id": 1}, {"name": "x"}]}),
            &["security profile 2", "has no `id`"],
        ),
        (
            json!({"security_profiles": {}}),
            &["`security_profiles`", "not an array"],
        ),
    ] {
        inject(&emu, "GET", &profiles, body).await;
        decode_error(c.get_security_profiles(EMAIL).await, &token, needles);
    }

    // Nothing stuck: the real answers still decode.
    assert!(!c.get_favorites().await.unwrap().is_empty());
    assert_eq!(c.get_consent_group_messages(1).await.unwrap().id, 1);
    assert!(c.get_user_settings().await.unwrap().is_object());
    assert!(!c.get_security_profiles(EMAIL).await.unwrap().is_empty());
    assert!(c.get_enterprise_settings().await.is_ok());
}

/// A list page with one SafeBox whose `next_page_url` is `next`.
fn page(count: i64, next: &str) -> Value {
    json!({"count": count, "previous_page_url": null, "next_page_url": next,
        "safeboxes": [{"safebox": {"guid": GUID, "status": "in_progress"}}]})
}

#[tokio::test]
async fn a_next_page_url_that_repeats_ends_the_walk_with_an_error() {
    let emu = Emulator::demo();
    let (c, token) = login(&emu).await;
    c.server_url().await.expect("discovery"); // so that only list requests are counted below
    let all = SafeboxFilter::default();
    // Every list request answers a page that names itself as the next one.
    inject_times(
        &emu,
        "GET",
        "/api/v2/safeboxes",
        page(50, "api/v2/safeboxes?page=2"),
        0,
    )
    .await;
    let before = requests_served(&emu).await;
    let message = decode_error(
        limited(c.get_all_safeboxes(&all)).await,
        &token,
        &["the server's next_page_url repeats a page already read: api/v2/safeboxes?page=2"],
    );
    assert!(message.starts_with("the server's"), "{message}");
    // The first page and page 2, once: the repeat is refused before it is sent.
    assert_eq!(requests_served(&emu).await - before, 2);

    // The same with a walk: the pages read stay read; the refusal repeats without sending.
    let mut walk = SafeboxPages::new(all.clone());
    let first = limited(walk.next_page(&c)).await.unwrap().unwrap();
    assert_eq!(first.safeboxes[0].guid, GUID);
    assert!(limited(walk.next_page(&c)).await.unwrap().is_some());
    let before = requests_served(&emu).await;
    for _ in 0..3 {
        decode_error(
            limited(walk.next_page(&c)).await,
            &token,
            &["repeats a page already read"],
        );
    }
    assert_eq!(requests_served(&emu).await, before);
    assert_eq!(walk.pages_read(), 2);

    // The same link written otherwise (absolute, `.json`, another order, a locale) repeats it.
    emu.control("DELETE", "faults", None).await;
    let absolute = format!(
        "{}/api/v2/safeboxes.json?per_page=5&page=2&locale=fr",
        emu.url
    );
    inject(
        &emu,
        "GET",
        "/api/v2/safeboxes",
        page(50, "api/v2/safeboxes?page=2&per_page=5"),
    )
    .await;
    inject(&emu, "GET", "/api/v2/safeboxes", page(50, &absolute)).await;
    inject(
        &emu,
        "GET",
        "/api/v2/safeboxes",
        page(50, "/api/v2/safeboxes?page=2&per_page=5"),
    )
    .await;
    decode_error(
        limited(c.get_all_safeboxes(&all)).await,
        &token,
        &["repeats a page already read"],
    );
    emu.control("DELETE", "faults", None).await;
}

#[tokio::test]
async fn a_walk_stops_past_the_pages_announced() {
    let emu = Emulator::demo();
    let (c, token) = login(&emu).await;
    c.server_url().await.expect("discovery"); // so that only list requests are counted below
                                              // Two SafeBoxes announced, one a page: two pages, and a margin of two. Every page names a
                                              // new next one.
    for n in 2..=8 {
        inject(
            &emu,
            "GET",
            "/api/v2/safeboxes",
            page(2, &format!("api/v2/safeboxes?per_page=1&page={n}")),
        )
        .await;
    }
    let one_a_page = SafeboxFilter {
        per_page: Some(1),
        ..SafeboxFilter::default()
    };
    let before = requests_served(&emu).await;
    decode_error(
        limited(c.get_all_safeboxes(&one_a_page)).await,
        &token,
        &[
            "the server's next_page_url leads past page 4",
            "announced 2 SafeBoxes, 2 pages of 1",
            "page=5",
        ],
    );
    assert_eq!(requests_served(&emu).await - before, 4);
    emu.control("DELETE", "faults", None).await;

    // Without a page size, the first page's gives it.
    for n in 2..=8 {
        inject(
            &emu,
            "GET",
            "/api/v2/safeboxes",
            page(1, &format!("api/v2/safeboxes?page={n}")),
        )
        .await;
    }
    decode_error(
        limited(c.get_all_safeboxes(&SafeboxFilter::default())).await,
        &token,
        &["leads past page 3", "announced 1 SafeBoxes, 1 pages of 1"],
    );
    emu.control("DELETE", "faults", None).await;

    // A real walk within the count is not disturbed, nor one with SafeBoxes added meanwhile.
    let mut guids = vec![];
    for i in 0..5 {
        guids.push(create(&c, &format!("walk {i}")).await);
    }
    let two = SafeboxFilter {
        per_page: Some(2),
        ..SafeboxFilter::default()
    };
    let mut all: Vec<String> = limited(c.get_all_safeboxes(&two))
        .await
        .unwrap()
        .into_iter()
        .map(|s| s.guid)
        .collect();
    all.sort();
    guids.sort();
    assert_eq!(all, guids);
    let mut walk = SafeboxPages::new(two);
    let mut seen = 0;
    let mut added = false;
    while let Some(page) = limited(walk.next_page(&c)).await.unwrap() {
        seen += page.safeboxes.len();
        if !added {
            // Two more during the walk: the last page is one more than announced.
            create(&c, "added 1").await;
            create(&c, "added 2").await;
            added = true;
        }
    }
    assert_eq!(walk.pages_read(), 4);
    assert!(seen >= 5, "{seen}");
}

/// A NUL inside a server text would end the C string the getters return, silently shortening
/// it (`forbid\u0000allow` read as `forbid`): every answer holding one is refused, naming where
/// it is; the login answer too.
#[tokio::test]
async fn texts_with_a_nul_character_are_refused() {
    let emu = Emulator::demo();
    let (c, token) = login(&emu).await;
    let guid = create(&c, "nul").await;
    let base = format!("/api/v2/safeboxes/{guid}");
    let nul = ["NUL character", "C strings cannot carry"];

    inject(
        &emu,
        "GET",
        &base,
        json!({"safebox": {"guid": GUID, "messages": [{"note": "forbid\u{0}allow"}]}}),
    )
    .await;
    let message = decode_error(c.get_safebox_info(&guid, &[]).await, &token, &nul);
    assert!(
        message.contains("`safebox.messages[0].note` of the answer"),
        "{message}"
    );
    assert!(!message.contains("forbid"), "the text is quoted: {message}");

    inject(
        &emu,
        "GET",
        &format!("{base}/participants"),
        json!({"participants": [{"id": "1", "email": "a@b.c", "first_name": "Jo\u{0}hn"}]}),
    )
    .await;
    let message = decode_error(c.get_safebox_participants(&guid).await, &token, &nul);
    assert!(
        message.contains("`participants[0].first_name`"),
        "{message}"
    );

    let enterprise = format!("/api/v2/enterprises/{ACCOUNT}/settings");
    inject(
        &emu,
        "GET",
        &enterprise,
        json!({"extension_filter": {"mode": "forbid", "list": ["exe", "bat\u{0}"]}}),
    )
    .await;
    let message = decode_error(c.get_enterprise_settings().await, &token, &nul);
    assert!(message.contains("`extension_filter.list[1]`"), "{message}");

    // A field name, and a field of no typed model (the JSON views hand it to C as well).
    inject(&emu, "GET", &enterprise, json!({"pdf\u{0}language": "en"})).await;
    decode_error(
        c.get_enterprise_settings().await,
        &token,
        &["a field name of the answer", nul[0]],
    );
    inject(&emu, "GET", &enterprise, json!({"x": {"y": "\u{0}"}})).await;
    decode_error(
        c.get_enterprise_settings().await,
        &token,
        &["`x.y`", nul[0]],
    );

    inject(
        &emu,
        "POST",
        "/api/user_token",
        json!({"result": true, "token": "ab\u{0}cd", "user_id": 1}),
    )
    .await;
    decode_error(
        get_user_token(&token_request(&emu), &ClientOptions::default()).await,
        &token,
        &["`token` of the user token answer", nul[0]],
    );

    // The same answers without the NUL decode.
    assert!(c.get_safebox_info(&guid, &[]).await.is_ok());
    assert!(c.get_enterprise_settings().await.is_ok());
}

/// An extension filter's mode other than `allow` or `forbid` cannot be applied (does the list
/// name what is allowed or what is forbidden?): the settings are refused rather than handed on.
#[tokio::test]
async fn an_unknown_extension_filter_mode_is_refused() {
    let emu = Emulator::demo();
    let (c, token) = login(&emu).await;
    let enterprise = format!("/api/v2/enterprises/{ACCOUNT}/settings");
    let modes = [
        json!("block"),
        json!("Allow"),
        json!(""),
        json!(1),
        json!(null),
    ];
    for mode in modes.into_iter().chain([json!("allow"), json!("forbid")]) {
        inject(
            &emu,
            "GET",
            &enterprise,
            json!({"extension_filter": {"mode": mode, "list": ["exe"]}}),
        )
        .await;
        let settings = c.get_enterprise_settings().await;
        match mode.as_str() {
            Some(known @ ("allow" | "forbid")) => {
                assert_eq!(settings.unwrap().extension_filter.unwrap().mode, known)
            }
            _ => {
                decode_error(
                    settings,
                    &token,
                    &["`mode` of the `extension_filter`", "`allow` or `forbid`"],
                );
            }
        }
    }
}
