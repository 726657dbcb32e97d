//! The read models decode the server's answers: the golden answers, and the wrong shapes that
//! must be decode errors.

use super::*;
use crate::transport::error::Result;
use serde_json::json;

#[test]
fn list_items_are_unwrapped_and_ids_kept_as_text() {
    let page = SafeboxPage::from_json(&json!({"count": 1, "next_page_url": null,
        "safeboxes": [{"safebox": {"guid": "g", "status": "closed", "unread_count": 2,
        "participants": [{"id": 34208, "type": "user"}, {"id": "7a3c", "guest_options": {"locked": true}}]}}]}))
    .unwrap();
    let sb = &page.safeboxes[0];
    assert_eq!(
        (sb.guid.as_str(), sb.status.as_str(), sb.unread_count),
        ("g", "closed", 2)
    );
    assert_eq!(sb.participants[0].id, "34208");
    assert!(sb.participants[1].locked);
    assert!(page.next_page_url.is_none());
}

fn decode_error<T: std::fmt::Debug>(r: Result<T>) -> String {
    match r {
        Err(crate::Error::Decode(m)) => m,
        other => panic!("expected a decode error, got {other:?}"),
    }
}

#[test]
fn golden_answers_decode() {
    // G-65: E29 participants without e-mail, a message without id.
    let info = SafeboxInfo::from_json(json!({"guid": "1c820789a50747df8746aa5d71922a3f", "user_id": 1, "enterprise_id": 1, "participants": [{"id": "7a3c51e00a004917a8f5db807180fcc5", "guest_options": {}, "message_read_count": 0, "message_total_count": 1}, {"id": "1", "first_name": "Jane", "last_name": "Doe", "email": "jane.doe@example.com", "type": "user", "role": "owner", "message_read_count": 0, "message_total_count": 1}], "security_options": {"security_code_length": 4}, "messages": [{"note": "Lorem Ipsum...", "note_size": 123, "documents": []}], "download_activity": {"guests": [{"id": "42220c777c30486e80cd3bbfa7f8e82f", "documents": []}], "owner": {"id": 1, "documents": []}}, "event_history": [{"type": "safebox_created_owner", "date": "2017-03-30T18:09:05.966Z", "metadata": {}, "message": "SafeBox created"}]})).unwrap();
    assert_eq!(info.participants.len(), 2);
    assert_eq!(info.participants[0].email, "");
    assert_eq!(info.messages[0].id, 0);
    assert!(info.security_options.is_some());
    // G-66: only the GUID and empty sections.
    let info = SafeboxInfo::from_json(json!({"guid": "73af62f766ee459e81f46e4f533085a4", "security_options": {}, "participants": [], "messages": [], "download_activity": {}, "event_history": []})).unwrap();
    assert_eq!(info.status, "");
    // G-67: a message with a document; G-78 style contact methods without id.
    let m = Message::from_json(json!({"note": "Lorem Ipsum...","note_size": 148,"read": true,"author_id": "3","author_type": "guest","created_at": "2017-04-05T14:49:35.198Z","documents": [{"id": "5a3df276aaa24e43af5aca9b2204a535","name": "Axient-soapui-project.xml","sha": "724a","size": 129961,"url": "url"}]})).unwrap();
    assert_eq!((m.documents[0].size, m.author_id.as_str()), (129961, "3"));
    let p = Participant::from_json(json!({"id": "7a3c51e00a004917a8f5db807180fcc5", "first_name": "Test", "email": "participant@example.com", "guest_options": {"company_name": "Test Company", "contact_methods": [{"destination": "+15145550000", "destination_type": "office_phone"}]}})).unwrap();
    assert_eq!(p.contact_methods[0].id, 0);
    // G-44: an owner with an integer id; G-38: privileged as text.
    let p = Participant::decode(
        json!({"id": 34208, "email": "jane.doe@example.com", "type": "user", "role": "owner"}),
        "p",
        true,
    )
    .unwrap();
    assert_eq!(p.id, "34208");
    let p = Participant::decode(json!({"id": "23a3c8ec897548dc82f50a9a1550e52c", "email": "j@example.com", "privileged": "true", "guest_options": {"locked": false, "contact_methods": [{"id": 35105, "destination": "514-555-5555", "destination_type": "cell_phone"}]}}), "p", true).unwrap();
    assert!(p.privileged);
    // G-20: favorites without ids; G-26: an update answer without e-mail.
    let f = Favorite::from_json(json!({"email":"favorite1@example.com","contact_methods":[{"destination_type":"cell_phone","destination":"514-555-0001","id":1}]})).unwrap();
    assert_eq!((f.id, f.contact_methods[0].id), (0, 1));
    let f = Favorite::decode(json!({"id": 456, "contact_methods": [{"id": 1, "created_at": "2017-04-28T17:14:55.304Z"}]}), "f", true).unwrap();
    assert_eq!(f.id, 456);
    // Numeric text ids (spec §1.5, §13).
    assert_eq!(
        Favorite::decode(json!({"id": "12"}), "f", true).unwrap().id,
        12
    );
    // G-29, G-46, G-70.
    let g = ConsentGroup::from_json(json!({"id": 1, "name": "Default", "consent_messages": [{"locale": "en", "value": "Lorem ipsum"}]})).unwrap();
    assert_eq!(
        g.messages,
        vec![("en".to_string(), "Lorem ipsum".to_string())]
    );
    let r = RecipientMatch::from_json(&json!({"id": 3, "type": "user", "first_name": "", "last_name": "john", "email": "john.doe@sagemcom.com", "company_name": ""})).unwrap();
    assert_eq!(r.id, 3);
    let e = Event::from_json(&json!({"type": "safebox_created_owner", "date": [], "metadata": {"emails": ["john44@example.com"]}, "message": "message"})).unwrap();
    assert_eq!(e.date, "");
}

#[test]
fn wrong_shapes_are_decode_errors() {
    assert_eq!(
        decode_error(SafeboxPage::from_json(&json!([1, 2, 3]))),
        "the SafeBox list answer is not an object (found an array)"
    );
    assert_eq!(
        decode_error(SafeboxPage::from_json(&json!({"safeboxes": {"a": 1}}))),
        "`safeboxes` of the SafeBox list answer is an object, not an array"
    );
    assert_eq!(
        decode_error(SafeboxPage::from_json(&json!({"count": 1}))),
        "the SafeBox list answer has no `safeboxes` array"
    );
    assert_eq!(
        decode_error(SafeboxPage::from_json(
            &json!({"safeboxes": [{"safebox": {"guid": "g"}}, 7]})
        )),
        "SafeBox 2 of the SafeBox list answer is not an object (found a number)"
    );
    assert_eq!(
        decode_error(SafeboxPage::from_json(
            &json!({"safeboxes": [{"safebox": 42}]})
        )),
        "`safebox` of SafeBox 1 of the SafeBox list answer is a number, not an object"
    );
    assert_eq!(
        decode_error(SafeboxPage::from_json(
            &json!({"safeboxes": [], "next_page_url": 2})
        )),
        "`next_page_url` of the SafeBox list answer is a number, not text"
    );
    assert_eq!(
        decode_error(SafeboxInfo::from_json(
            json!({"guid": "g", "participants": [1, "x"]})
        )),
        "participant 1 of the SafeBox is not an object (found a number)"
    );
    assert_eq!(
        decode_error(SafeboxInfo::from_json(json!({"status": "closed"}))),
        "the SafeBox has no `guid`"
    );
    assert_eq!(
        decode_error(Participant::from_json(json!({}))),
        "the participant has no `id`"
    );
    assert_eq!(
        decode_error(Participant::decode(
            json!({"id": "x"}),
            "the participant answer",
            true
        )),
        "the participant answer has no `email`"
    );
    assert_eq!(
        decode_error(Participant::from_json(json!({"id": "x", "guest_options": {"contact_methods": [{}]}}))),
        "contact method 1 of the `guest_options` of the participant has neither `id` nor `destination`"
    );
    assert_eq!(
        decode_error(Favorite::from_json(json!("text"))),
        "the favorite is not an object (found text)"
    );
    assert_eq!(
        decode_error(Favorite::from_json(json!({"first_name": "A"}))),
        "the favorite has neither `id` nor `email`"
    );
    assert_eq!(
        decode_error(Favorite::decode(json!({"id": "abc"}), "f", true)),
        "`id` of f is text, not an integer"
    );
    assert_eq!(
        decode_error(ConsentGroup::from_json(json!(5))),
        "the consent group is not an object (found a number)"
    );
    assert_eq!(
        decode_error(ConsentGroup::from_json(
            json!({"id": 1, "consent_messages": [{"locale": "en"}]})
        )),
        "consent message 1 of the consent group has no `value`"
    );
    assert_eq!(
        decode_error(Message::from_json(json!({"documents": [{"name": "a"}]}))),
        "document 1 of the message has no `id`"
    );
    assert_eq!(
        decode_error(RecipientMatch::from_json(&json!({"id": 1}))),
        "the search result has no `email`"
    );
    assert_eq!(
        decode_error(Event::from_json(&json!(null))),
        "the event is not an object (found null)"
    );
}
