//! The whole life of a SafeBox over HTTP, as an SDK would drive it, with the refusals met on the
//! way; and the clock moving SafeBoxes through expiration and retention.

mod support;

use chrono::{DateTime, Duration, Utc};
use reqwest::{header, Method, StatusCode};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};
use support::{read_response, Api, Emulator};

const OWNER: &str = "demo@acme.example";
const GUEST: &str = "guest@example.com";

fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

fn is_guid(v: &Value) -> bool {
    v.as_str()
        .map(|s| {
            s.len() == 32
                && s.chars()
                    .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase())
        })
        .unwrap_or(false)
}

fn time(v: &Value) -> DateTime<Utc> {
    let text = v.as_str().unwrap_or_else(|| panic!("not a timestamp: {v}"));
    DateTime::parse_from_rfc3339(text)
        .unwrap_or_else(|e| panic!("bad timestamp {text}: {e}"))
        .with_timezone(&Utc)
}

/// A sample file's bytes: `len` bytes that differ from one file to the other.
fn sample(seed: u8, len: usize) -> Vec<u8> {
    (0..len)
        .map(|i| (i as u8).wrapping_mul(31).wrapping_add(seed))
        .collect()
}

async fn info(api: &Api, guid: &str) -> Value {
    let (status, body) = api.get(&format!("api/v2/safeboxes/{guid}.json")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body["safebox"].clone()
}

async fn inspect(emu: &Emulator, guid: &str) -> Value {
    let (status, body) = emu
        .control(Method::GET, &format!("safeboxes/{guid}"), None)
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

async fn list(api: &Api, query: &str) -> Value {
    let (status, body) = api.get(&format!("api/v2/safeboxes.json{query}")).await;
    assert_eq!(status, StatusCode::OK, "{query}: {body}");
    body
}

fn guids(list: &Value) -> Vec<String> {
    list["safeboxes"]
        .as_array()
        .expect("safeboxes array")
        .iter()
        .map(|item| {
            item["safebox"]["guid"]
                .as_str()
                .expect("wrapped item")
                .to_string()
        })
        .collect()
}

#[tokio::test]
async fn a_safebox_from_creation_to_audit_record() {
    let emu = Emulator::demo();

    // --- Token.
    let anonymous = emu.anonymous();
    let (status, token) = anonymous
        .post(
            "api/user_token",
            json!({"permalink": "acme", "username": "demo", "password": "demo-password",
                   "application_type": "SendSecure Rust", "device_id": "scenario", "device_name": "ci", "otp": ""}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{token}");
    assert_eq!(token["result"], json!(true));
    assert_eq!(token["user_id"], json!(1));
    let token_text = token["token"].as_str().unwrap();
    assert!(
        token_text.starts_with("USER|") && token_text.len() == 41,
        "{token_text}"
    );
    let api = Api {
        token: Some(token_text.to_string()),
        ..anonymous.clone()
    };

    // --- Initialize.
    let (status, init) = api
        .get(&format!("api/v2/safeboxes/new.json?user_email={OWNER}"))
        .await;
    assert_eq!(status, StatusCode::OK, "{init}");
    assert!(is_guid(&init["guid"]), "{init}");
    let guid = init["guid"].as_str().unwrap().to_string();
    let upload_url = init["upload_url"].as_str().unwrap().to_string();
    assert!(upload_url.starts_with(&emu.url), "{upload_url}");
    assert!(init["public_encryption_key"]
        .as_str()
        .is_some_and(|k| !k.is_empty()));

    // --- Upload: multipart part `file`, then a raw body named with RFC 5987.
    let report = sample(1, 10_000);
    let report_id = api.upload(&upload_url, "report.txt", report.clone()).await;
    assert!(is_guid(&json!(report_id)));
    let resume = sample(7, 4_321);
    let resume_name = "résumé €.pdf";
    let response = api
        .client
        .post(&upload_url)
        .header(header::CONTENT_TYPE, "application/pdf")
        .header(
            header::CONTENT_DISPOSITION,
            "attachment; filename*=UTF-8''r%C3%A9sum%C3%A9%20%E2%82%AC.pdf",
        )
        .body(resume.clone())
        .send()
        .await
        .unwrap();
    let (status, uploaded) = read_response(response).await;
    assert_eq!(status, StatusCode::OK, "{uploaded}");
    let resume_id = uploaded["temporary_document"]["document_guid"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(is_guid(&json!(resume_id)));
    assert_ne!(report_id, resume_id);

    // --- Commit.
    let (status, committed) = api
        .post(
            "api/v2/safeboxes.json",
            json!({"safebox": {
                "guid": guid, "user_email": OWNER, "subject": "Quarterly numbers",
                "message": "Here are the files", "security_profile_id": 1, "notification_language": "en",
                "public_encryption_key": init["public_encryption_key"],
                "recipients": [{"email": GUEST, "first_name": "Gus", "last_name": "Guest", "company_name": "Guests Inc",
                    "contact_methods": [{"destination": "+15145550000", "destination_type": "cell_phone"}]}],
                "document_ids": [report_id, resume_id],
            }}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{committed}");
    assert_eq!(committed["guid"], json!(guid));
    assert_eq!(committed["status"], json!("in_progress"));
    assert_eq!(committed["security_profile_name"], json!("Default"));
    assert_eq!(committed["subject"], json!("Quarterly numbers"));
    assert_eq!(committed["allow_manual_close"], json!(true));
    assert_eq!(
        committed["retention_period_type"],
        json!("discard_at_expiration")
    );
    let created = time(&committed["created_at"]);
    let expiration = time(&committed["expiration"]);
    assert_eq!(
        expiration - created,
        Duration::days(7),
        "profile 1 expires after 7 days"
    );

    // A second SafeBox, for the list filters and pagination.
    let other = api.create_safebox("Unrelated paperwork", &[]).await;

    // --- List: filters and pagination.
    let all = list(&api, "").await;
    assert_eq!(all["count"], json!(2));
    let mut both = guids(&all);
    both.sort();
    let mut expected = vec![guid.clone(), other.clone()];
    expected.sort();
    assert_eq!(both, expected);
    assert_eq!(all["next_page_url"], Value::Null);
    assert_eq!(all["previous_page_url"], Value::Null);

    let searched = list(&api, "?search=quarterly").await;
    assert_eq!(searched["count"], json!(1));
    assert_eq!(guids(&searched), vec![guid.clone()]);
    let searched = list(&api, "?search_term=paperwork").await;
    assert_eq!(guids(&searched), vec![other.clone()]);
    assert_eq!(list(&api, "?status=in_progress").await["count"], json!(2));
    assert_eq!(list(&api, "?status=closed").await["count"], json!(0));
    assert_eq!(
        list(&api, "?status=closed,content_deleted").await["count"],
        json!(0)
    );

    let page1 = list(&api, "?per_page=1").await;
    assert_eq!(page1["count"], json!(2));
    assert_eq!(guids(&page1).len(), 1);
    let next = page1["next_page_url"]
        .as_str()
        .expect("a next page")
        .to_string();
    assert!(
        next.starts_with("api/v2/safeboxes?"),
        "relative without leading slash: {next}"
    );
    assert!(
        next.contains("page=2") && next.contains("per_page=1"),
        "{next}"
    );
    let (status, page2) = api.get(&next).await;
    assert_eq!(status, StatusCode::OK, "{page2}");
    assert_eq!(guids(&page2).len(), 1);
    assert_ne!(guids(&page1), guids(&page2));
    assert_eq!(page2["next_page_url"], Value::Null);
    assert!(
        page2["previous_page_url"]
            .as_str()
            .is_some_and(|p| p.contains("page=1")),
        "{page2}"
    );

    // --- Info: every section, then a chosen few (raw comma).
    let full = info(&api, &guid).await;
    for section in [
        "participants",
        "security_options",
        "messages",
        "download_activity",
        "event_history",
    ] {
        assert!(
            full.get(section).is_some(),
            "section {section} missing: {full}"
        );
    }
    assert_eq!(full["status"], json!("in_progress"));
    assert_eq!(full["unread_count"], json!(0));
    assert_eq!(full["security_options"]["reply_enabled"], json!(true));
    let participants = full["participants"].as_array().unwrap();
    assert_eq!(participants.len(), 2);
    let guest = participants
        .iter()
        .find(|p| p["type"] == "guest")
        .expect("the guest");
    assert_eq!(guest["email"], json!(GUEST));
    assert_eq!(guest["guest_options"]["company_name"], json!("Guests Inc"));
    assert_eq!(
        guest["guest_options"]["contact_methods"][0]["destination"],
        json!("+15145550000")
    );
    let owner = participants
        .iter()
        .find(|p| p["role"] == "owner")
        .expect("the owner");
    assert_eq!(owner["id"], json!(1));
    assert_eq!(owner["message_total_count"], json!(1));
    assert_eq!(
        full["event_history"][0]["type"],
        json!("safebox_created_owner")
    );
    assert_eq!(
        full["event_history"][0]["metadata"]["attachment_count"],
        json!(2)
    );

    let (status, some) = api
        .get(&format!(
            "api/v2/safeboxes/{guid}.json?sections=messages,participants"
        ))
        .await;
    assert_eq!(status, StatusCode::OK, "{some}");
    let some = &some["safebox"];
    assert!(
        some.get("messages").is_some() && some.get("participants").is_some(),
        "{some}"
    );
    for absent in ["security_options", "download_activity", "event_history"] {
        assert!(
            some.get(absent).is_none(),
            "{absent} was not asked for: {some}"
        );
    }
    assert_eq!(some["guid"], json!(guid));

    // --- Reply with an attachment: E12, upload to the per-file URL, E13.
    let answer = sample(42, 2_048);
    let (status, new_file) = api
        .post(
            &format!("api/v2/safeboxes/{guid}/uploads.json"),
            json!({"temporary_document": {"document_file_size": answer.len()}, "multipart": false,
                   "public_encryption_key": init["public_encryption_key"]}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{new_file}");
    assert!(is_guid(&new_file["temporary_document_guid"]), "{new_file}");
    let file_upload_url = new_file["upload_url"].as_str().unwrap().to_string();
    assert_ne!(file_upload_url, upload_url);
    let answer_id = api
        .upload(&file_upload_url, "answer.csv", answer.clone())
        .await;
    assert_eq!(json!(answer_id), new_file["temporary_document_guid"]);
    // A per-file upload URL is good for one file.
    let part = reqwest::multipart::Part::bytes(b"again".to_vec()).file_name("again.txt");
    let again = api
        .client
        .post(&file_upload_url)
        .multipart(reqwest::multipart::Form::new().part("file", part))
        .send()
        .await
        .unwrap();
    assert_eq!(again.status(), StatusCode::NOT_FOUND);

    let (status, replied) = api
        .post(
            &format!("api/v2/safeboxes/{guid}/messages.json"),
            json!({"safebox": {"message": "See the attached answer", "consent": true, "document_ids": [answer_id]}}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{replied}");
    assert_eq!(
        replied,
        json!({"result": true, "message": "SafeBox successfully updated."})
    );

    // --- Messages: both, with their documents' SHA-256 and sizes.
    let (status, messages) = api
        .get(&format!("api/v2/safeboxes/{guid}/messages.json"))
        .await;
    assert_eq!(status, StatusCode::OK, "{messages}");
    let messages = messages["messages"].as_array().unwrap().clone();
    assert_eq!(messages.len(), 2);
    assert_eq!(messages[0]["note"], json!("Here are the files"));
    assert_eq!(messages[1]["note"], json!("See the attached answer"));
    assert_eq!(
        messages[1]["note_size"],
        json!("See the attached answer".len())
    );
    let docs0 = messages[0]["documents"].as_array().unwrap();
    assert_eq!(docs0.len(), 2);
    let find = |docs: &[Value], id: &str| {
        docs.iter()
            .find(|d| d["id"] == id)
            .cloned()
            .expect("document listed")
    };
    let report_doc = find(docs0, &report_id);
    assert_eq!(report_doc["name"], json!("report.txt"));
    assert_eq!(report_doc["size"], json!(report.len()));
    assert_eq!(report_doc["sha"], json!(sha256_hex(&report)));
    let resume_doc = find(docs0, &resume_id);
    assert_eq!(resume_doc["name"], json!(resume_name));
    assert_eq!(resume_doc["size"], json!(resume.len()));
    assert_eq!(resume_doc["sha"], json!(sha256_hex(&resume)));
    let answer_doc = find(messages[1]["documents"].as_array().unwrap(), &answer_id);
    assert_eq!(answer_doc["name"], json!("answer.csv"));
    assert_eq!(answer_doc["size"], json!(answer.len()));
    assert_eq!(answer_doc["sha"], json!(sha256_hex(&answer)));
    let doc_api_url = resume_doc["url"].as_str().unwrap();
    assert_eq!(
        doc_api_url,
        format!(
            "{}/api/v2/safeboxes/{guid}/documents/{resume_id}/url",
            emu.url
        )
    );

    // --- Document URL (E25) and the download itself.
    let (status, refused) = api
        .get(&format!("{doc_api_url}.json?user_email=nobody@example.com"))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(refused, json!({"error": "User email not found"}));
    let (status, url) = api.get(&format!("{doc_api_url}?user_email={GUEST}")).await;
    assert_eq!(status, StatusCode::OK, "{url}");
    let file_url = url["url"].as_str().expect("a url").to_string();

    let ranged = api
        .client
        .get(&file_url)
        .header(header::RANGE, "bytes=2-5")
        .send()
        .await
        .unwrap();
    assert_eq!(ranged.status(), StatusCode::PARTIAL_CONTENT);
    assert_eq!(
        ranged.headers()[header::CONTENT_RANGE].to_str().unwrap(),
        format!("bytes 2-5/{}", resume.len())
    );
    assert_eq!(ranged.bytes().await.unwrap().as_ref(), &resume[2..=5]);

    let download = api.client.get(&file_url).send().await.unwrap();
    assert_eq!(download.status(), StatusCode::OK);
    assert_eq!(
        download.headers()[header::CONTENT_TYPE].to_str().unwrap(),
        "application/pdf"
    );
    let downloaded = download.bytes().await.unwrap();
    assert_eq!(downloaded.len(), resume.len());
    assert_eq!(sha256_hex(&downloaded), sha256_hex(&resume));
    assert!(downloaded.as_ref() == resume.as_slice());

    // --- Download activity records the guest's download.
    let (status, activity) = api
        .get(&format!("api/v2/safeboxes/{guid}/download_activity.json"))
        .await;
    assert_eq!(status, StatusCode::OK, "{activity}");
    let activity = &activity["download_activity"];
    assert_eq!(activity["owner"]["id"], json!(1));
    let guest_activity = &activity["guests"][0];
    assert_eq!(guest_activity["id"], guest["id"]);
    let resume_activity = guest_activity["documents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == json!(resume_id))
        .expect("the downloaded document")
        .clone();
    assert_eq!(resume_activity["downloaded_bytes"], json!(resume.len()));
    assert!(
        resume_activity["download_date"].is_string(),
        "{resume_activity}"
    );
    let report_activity = guest_activity["documents"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == json!(report_id))
        .expect("the other document")
        .clone();
    assert_eq!(report_activity["downloaded_bytes"], json!(0));
    assert_eq!(report_activity["download_date"], Value::Null);

    // --- Add time.
    let (status, added) = api
        .patch(
            &format!("api/v2/safeboxes/{guid}/add_time.json"),
            Some(json!({"safebox": {"add_time_value": 2, "add_time_unit": "days"}})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{added}");
    assert_eq!(added["result"], json!(true));
    assert_eq!(
        added["message"],
        json!("SafeBox duration successfully extended.")
    );
    let new_expiration = time(&added["new_expiration"]);
    assert_eq!(new_expiration - expiration, Duration::days(2));
    assert_eq!(time(&info(&api, &guid).await["expiration"]), new_expiration);
    let (status, refused) = api
        .patch(
            &format!("api/v2/safeboxes/{guid}/add_time.json"),
            Some(json!({"safebox": {"add_time_value": 2, "add_time_unit": "fortnights"}})),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        refused,
        json!({"result": false, "message": "Unable to extend the SafeBox duration."})
    );

    // --- Mark the SafeBox unread / read.
    let (status, body) = api
        .patch(
            &format!("api/v2/safeboxes/{guid}/mark_as_unread.json"),
            None,
        )
        .await;
    assert_eq!((status, body), (StatusCode::OK, json!({"result": true})));
    assert_eq!(info(&api, &guid).await["unread_count"], json!(2));
    assert_eq!(
        guids(&list(&api, "?status=unread").await),
        vec![guid.clone()]
    );
    assert_eq!(
        guids(&list(&api, "?status=in_progress,unread").await),
        vec![guid.clone()]
    );
    let (status, body) = api
        .patch(
            &format!("api/v2/safeboxes/{guid}/mark_as_read"),
            Some(json!({})),
        )
        .await;
    assert_eq!((status, body), (StatusCode::OK, json!({"result": true})));
    assert_eq!(info(&api, &guid).await["unread_count"], json!(0));
    assert_eq!(list(&api, "?status=unread").await["count"], json!(0));

    // --- Mark one message unread / read.
    let reply_id = messages[1]["id"].as_i64().expect("integer message id");
    let (status, body) = api
        .patch(
            &format!("api/v2/safeboxes/{guid}/messages/{reply_id}/unread"),
            None,
        )
        .await;
    assert_eq!((status, body), (StatusCode::OK, json!({"result": true})));
    let now = info(&api, &guid).await;
    assert_eq!(now["unread_count"], json!(1));
    assert_eq!(now["messages"][1]["read"], json!(false));
    assert_eq!(now["messages"][0]["read"], json!(true));
    let (status, body) = api
        .patch(
            &format!("api/v2/safeboxes/{guid}/messages/{reply_id}/read.json"),
            None,
        )
        .await;
    assert_eq!((status, body), (StatusCode::OK, json!({"result": true})));
    assert_eq!(info(&api, &guid).await["unread_count"], json!(0));
    let (status, body) = api
        .patch(
            &format!("api/v2/safeboxes/{guid}/messages/99999999/read"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        body,
        json!({"result": false, "message": "Unable to mark the message as read."})
    );

    // --- Participants: create, update, delete a contact method.
    let (status, created_participant) = api
        .post(
            &format!("api/v2/safeboxes/{guid}/participants.json"),
            json!({"participant": {"first_name": "John", "last_name": "Smith", "company_name": "ACME",
                "email": "johny.smith@example.com", "contact_methods": [
                    {"destination": "+15145550001", "destination_type": "office_phone"},
                    {"destination": "514-555-0002", "destination_type": "home_phone"}]}}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{created_participant}");
    assert!(is_guid(&created_participant["id"]), "{created_participant}");
    assert_eq!(created_participant["type"], json!("guest"));
    assert_eq!(created_participant["role"], json!("guest"));
    assert_eq!(
        created_participant["guest_options"]["company_name"],
        json!("ACME")
    );
    let methods = created_participant["guest_options"]["contact_methods"]
        .as_array()
        .unwrap()
        .clone();
    assert_eq!(methods.len(), 2);
    let participant_id = created_participant["id"].as_str().unwrap().to_string();
    let (status, duplicate) = api
        .post(
            &format!("api/v2/safeboxes/{guid}/participants.json"),
            json!({"participant": {"email": "JOHNY.smith@example.com"}}),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        duplicate,
        json!({"error": "Some entered values are incorrect.", "attributes": {"email": ["has already been taken"]}})
    );

    let (status, updated) = api
        .patch(
            &format!("api/v2/safeboxes/{guid}/participants/{participant_id}.json"),
            Some(
                json!({"participant": {"first_name": "Johnny", "locked": true, "contact_methods": [
                {"id": methods[0]["id"], "destination": methods[0]["destination"],
                 "destination_type": methods[0]["destination_type"], "_destroy": "1"}]}}),
            ),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{updated}");
    assert_eq!(updated["first_name"], json!("Johnny"));
    assert_eq!(updated["last_name"], json!("Smith"));
    assert_eq!(updated["guest_options"]["locked"], json!(true));
    let remaining = updated["guest_options"]["contact_methods"]
        .as_array()
        .unwrap();
    assert_eq!(remaining.len(), 1);
    assert_eq!(remaining[0]["id"], methods[1]["id"]);
    let (status, listed) = api
        .get(&format!("api/v2/safeboxes/{guid}/participants.json"))
        .await;
    assert_eq!(status, StatusCode::OK, "{listed}");
    let listed = listed["participants"].as_array().unwrap();
    assert_eq!(listed.len(), 3);
    let johnny = listed
        .iter()
        .find(|p| p["id"] == json!(participant_id))
        .expect("listed");
    assert_eq!(johnny["first_name"], json!("Johnny"));
    assert_eq!(
        johnny["guest_options"]["contact_methods"]
            .as_array()
            .unwrap()
            .len(),
        1
    );

    // --- Favorites: create, update, found by the recipient search, delete.
    let favorites = "api/v2/enterprises/acme/users/1/favorites";
    let (status, favorite) = api
        .post(
            &format!("{favorites}.json"),
            json!({"favorite": {"email": "zelda.quux@example.com", "first_name": "Zelda", "last_name": "Quux",
                "company_name": "Hyrule", "contact_methods": [{"destination": "+15145559999", "destination_type": "cell_phone"}]}}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{favorite}");
    let favorite_id = favorite["id"].as_i64().expect("integer favorite id");
    let favorite_method = favorite["contact_methods"][0]["id"].clone();
    assert!(favorite_method.is_i64(), "{favorite}");
    let (status, favorite) = api
        .patch(
            &format!("{favorites}/{favorite_id}.json"),
            Some(json!({"favorite": {"email": "zelda.quux@example.com", "company_name": "Hyrule Castle",
                "contact_methods": [{"id": favorite_method, "_destroy": true}]}})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{favorite}");
    assert_eq!(favorite["company_name"], json!("Hyrule Castle"));
    assert_eq!(favorite["first_name"], json!("Zelda"));
    assert_eq!(favorite["contact_methods"], json!([]));
    let (status, listed) = api.get(&format!("{favorites}.json")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(listed["favorites"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["id"] == json!(favorite_id)));
    for route in [
        "api/v2/recipients/autocomplete?term=zelda",
        "api/v2/participants/autocomplete?term=QUUX",
    ] {
        let (status, found) = api.get(route).await;
        assert_eq!(status, StatusCode::OK, "{found}");
        assert_eq!(
            found["results"],
            json!([{"id": favorite_id, "type": "favorite", "first_name": "Zelda", "last_name": "Quux",
                    "email": "zelda.quux@example.com", "company_name": "Hyrule Castle"}]),
            "{route}"
        );
    }
    let response = api
        .request(Method::DELETE, &format!("{favorites}/{favorite_id}.json"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::NO_CONTENT);
    assert!(
        response.bytes().await.unwrap().is_empty(),
        "204 has an empty body"
    );
    let (_, found) = api.get("api/v2/recipients/autocomplete?term=zelda").await;
    assert_eq!(found["results"], json!([]));
    let (status, body) = api.delete(&format!("{favorites}/{favorite_id}.json")).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "{body}");

    // --- Archive / unarchive, unfollow / follow (seen through the control API).
    assert_eq!(
        inspect(&emu, &guid).await["followed"],
        json!(true),
        "new SafeBoxes are followed"
    );
    let (status, body) = api
        .post(
            &format!("api/v2/safeboxes/{guid}/tag/archive"),
            json!({"user_email": OWNER}),
        )
        .await;
    assert_eq!(
        (status, body),
        (
            StatusCode::OK,
            json!({"result": true, "message": "SafeBox successfully archived"})
        )
    );
    assert_eq!(inspect(&emu, &guid).await["tags"], json!(["archive"]));
    let (status, body) = api
        .post(
            &format!("api/v2/safeboxes/{guid}/tag/archive"),
            json!({"user_email": OWNER}),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        body,
        json!({"result": false, "message": "Unable to add Safebox to Archives"})
    );
    let (status, body) = api
        .post(
            &format!("api/v2/safeboxes/{guid}/untag/archive"),
            json!({"user_email": OWNER}),
        )
        .await;
    assert_eq!(
        (status, body),
        (
            StatusCode::OK,
            json!({"result": true, "message": "SafeBox successfully removed from Archives"})
        )
    );
    assert_eq!(inspect(&emu, &guid).await["tags"], json!([]));
    let (status, body) = api
        .patch(&format!("api/v2/safeboxes/{guid}/unfollow"), None)
        .await;
    assert_eq!(
        (status, body),
        (
            StatusCode::OK,
            json!({"result": true, "message": "The SafeBox is now unfollowed."})
        )
    );
    assert_eq!(inspect(&emu, &guid).await["followed"], json!(false));
    let (status, body) = api
        .patch(&format!("api/v2/safeboxes/{guid}/follow"), None)
        .await;
    assert_eq!(
        (status, body),
        (
            StatusCode::OK,
            json!({"result": true, "message": "The SafeBox is now followed."})
        )
    );
    assert_eq!(inspect(&emu, &guid).await["followed"], json!(true));

    // --- Someone else's SafeBox, and one that does not exist.
    let bob = emu.login("bob", "bob-password").await;
    let denied = json!({"message": "Access denied"});
    for path in [
        format!("api/v2/safeboxes/{guid}.json"),
        format!("api/v2/safeboxes/{guid}/messages.json"),
        format!("api/v2/safeboxes/{guid}/participants"),
        format!("{doc_api_url}?user_email={GUEST}"),
    ] {
        let (status, body) = bob.get(&path).await;
        assert_eq!((status, &body), (StatusCode::FORBIDDEN, &denied), "{path}");
    }
    let (status, body) = bob
        .patch(&format!("api/v2/safeboxes/{guid}/close.json"), None)
        .await;
    assert_eq!((status, body), (StatusCode::FORBIDDEN, denied.clone()));
    assert_eq!(
        list(&bob, "").await["count"],
        json!(0),
        "bob sees none of demo's SafeBoxes"
    );
    let (status, body) = bob
        .get(&format!("api/v2/safeboxes/new.json?user_email={OWNER}"))
        .await;
    assert_eq!((status, body), (StatusCode::FORBIDDEN, denied.clone()));
    let not_found = json!({"message": "The requested URL cannot be found."});
    let unknown = "0123456789abcdef0123456789abcdef";
    for path in [
        format!("api/v2/safeboxes/{unknown}.json"),
        format!("api/v2/safeboxes/{unknown}/messages"),
    ] {
        let (status, body) = api.get(&path).await;
        assert_eq!(
            (status, &body),
            (StatusCode::NOT_FOUND, &not_found),
            "{path}"
        );
    }
    let (status, body) = api
        .patch(&format!("api/v2/safeboxes/{unknown}/unfollow"), None)
        .await;
    assert_eq!((status, body), (StatusCode::NOT_FOUND, not_found.clone()));

    // --- Close, and close again.
    let (status, body) = api
        .patch(
            &format!("api/v2/safeboxes/{guid}/close.json"),
            Some(json!({})),
        )
        .await;
    assert_eq!(
        (status, body),
        (
            StatusCode::OK,
            json!({"result": true, "message": "SafeBox successfully closed."})
        )
    );
    let closed = info(&api, &guid).await;
    assert_eq!(closed["status"], json!("closed"));
    assert!(closed["closed_at"].is_string(), "{closed}");
    assert_eq!(closed["content_deleted_at"], Value::Null);
    let (status, body) = api
        .patch(&format!("api/v2/safeboxes/{guid}/close.json"), None)
        .await;
    assert_eq!(
        (status, body),
        (
            StatusCode::BAD_REQUEST,
            json!({"result": false, "message": "Unable to close the SafeBox."})
        )
    );
    assert_eq!(
        guids(&list(&api, "?status=closed").await),
        vec![guid.clone()]
    );

    // Nothing can be added to a closed SafeBox.
    let (status, body) = api
        .post(
            &format!("api/v2/safeboxes/{guid}/messages.json"),
            json!({"safebox": {"message": "Too late", "consent": true, "document_ids": []}}),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(body["result"], json!(false), "{body}");
    let (status, body) = api
        .post(
            &format!("api/v2/safeboxes/{guid}/uploads.json"),
            json!({"temporary_document": {"document_file_size": 10}, "multipart": false}),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(body["result"], json!(false), "{body}");
    let (status, body) = api
        .patch(
            &format!("api/v2/safeboxes/{guid}/add_time.json"),
            Some(json!({"safebox": {"add_time_value": 1, "add_time_unit": "hours"}})),
        )
        .await;
    assert_eq!(
        (status, body),
        (
            StatusCode::BAD_REQUEST,
            json!({"result": false, "message": "Unable to extend the SafeBox duration."})
        )
    );
    assert_eq!(
        info(&api, &guid).await["messages"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    // Documents stay downloadable until the content is deleted.
    let (status, _) = api.get(&format!("{doc_api_url}?user_email={GUEST}")).await;
    assert_eq!(status, StatusCode::OK);

    // --- Delete the content.
    let (status, body) = api
        .patch(
            &format!("api/v2/safeboxes/{guid}/delete_content.json"),
            None,
        )
        .await;
    assert_eq!(
        (status, body),
        (
            StatusCode::OK,
            json!({"result": true, "message": "SafeBox content successfully deleted."})
        )
    );
    let deleted = info(&api, &guid).await;
    assert_eq!(deleted["status"], json!("content_deleted"));
    assert!(deleted["content_deleted_at"].is_string(), "{deleted}");
    let (status, body) = api
        .patch(
            &format!("api/v2/safeboxes/{guid}/delete_content.json"),
            None,
        )
        .await;
    assert_eq!(
        (status, body),
        (
            StatusCode::BAD_REQUEST,
            json!({"result": false, "message": "Unable to delete the SafeBox content."})
        )
    );
    let (status, body) = api.get(&format!("{doc_api_url}?user_email={GUEST}")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(body["error"].is_string(), "{body}");
    let stale = api.client.get(&file_url).send().await.unwrap();
    assert_eq!(
        stale.status(),
        StatusCode::NOT_FOUND,
        "an earlier download link no longer works"
    );
    let stored = inspect(&emu, &guid).await;
    assert_eq!(stored["status"], json!("content_deleted"));
    assert_eq!(stored["documents"].as_array().unwrap().len(), 3);
    assert!(
        stored["documents"]
            .as_array()
            .unwrap()
            .iter()
            .all(|d| d["stored"] == json!(false)),
        "{stored}"
    );
    assert_eq!(
        guids(&list(&api, "?status=content_deleted").await),
        vec![guid.clone()]
    );

    // --- Audit record.
    let (status, audit) = api
        .get(&format!("api/v2/safeboxes/{guid}/audit_record_pdf.json"))
        .await;
    assert_eq!(status, StatusCode::OK, "{audit}");
    let audit_url = audit["url"].as_str().expect("audit url").to_string();
    assert!(audit_url.starts_with(&emu.url), "{audit_url}");
    let pdf = api.request(Method::GET, &audit_url).send().await.unwrap();
    assert_eq!(pdf.status(), StatusCode::OK);
    assert_eq!(
        pdf.headers()[header::CONTENT_TYPE].to_str().unwrap(),
        "application/pdf"
    );
    let pdf = pdf.bytes().await.unwrap();
    assert!(pdf.starts_with(b"%PDF"), "{:?}", &pdf[..pdf.len().min(16)]);
    assert!(pdf.windows(5).any(|w| w == b"%%EOF"));
    // Reachable without the token too (rb).
    let pdf = reqwest::get(&audit_url).await.unwrap();
    assert_eq!(pdf.status(), StatusCode::OK);
    assert!(pdf.bytes().await.unwrap().starts_with(b"%PDF"));

    // --- The event history tells the whole story.
    let (status, events) = api
        .get(&format!("api/v2/safeboxes/{guid}/event_history.json"))
        .await;
    assert_eq!(status, StatusCode::OK);
    let kinds: Vec<&str> = events["event_history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["type"].as_str().unwrap())
        .collect();
    assert_eq!(kinds.first(), Some(&"safebox_created_owner"), "{kinds:?}");
    let position = |kind: &str| {
        kinds
            .iter()
            .position(|k| *k == kind)
            .unwrap_or_else(|| panic!("{kind} in {kinds:?}"))
    };
    assert!(
        position("safebox_closed_owner") < position("safebox_content_deleted_owner"),
        "{kinds:?}"
    );

    // The other SafeBox was not touched by any of this.
    let untouched = info(&api, &other).await;
    assert_eq!(untouched["status"], json!("in_progress"));
    assert_eq!(untouched["messages"].as_array().unwrap().len(), 1);
}

/// Commits a SafeBox of profile 1 with the given retention options; returns (guid, expiration).
async fn safebox_with_retention(api: &Api, retention: Value) -> (String, DateTime<Utc>) {
    let (status, init) = api
        .get(&format!("api/v2/safeboxes/new.json?user_email={OWNER}"))
        .await;
    assert_eq!(status, StatusCode::OK, "{init}");
    let guid = init["guid"].as_str().unwrap().to_string();
    let mut safebox = json!({
        "guid": guid, "user_email": OWNER, "message": "Expires in 7 days", "security_profile_id": 1,
        "notification_language": "en", "recipients": [{"email": GUEST}], "document_ids": [],
    });
    for (k, v) in retention.as_object().unwrap() {
        safebox[k] = v.clone();
    }
    let (status, committed) = api
        .post("api/v2/safeboxes.json", json!({ "safebox": safebox }))
        .await;
    assert_eq!(status, StatusCode::OK, "{committed}");
    (guid, time(&committed["expiration"]))
}

async fn advance(emu: &Emulator, seconds: i64) {
    let (status, body) = emu
        .control(
            Method::POST,
            "clock",
            Some(json!({"advance_seconds": seconds})),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

#[tokio::test]
async fn the_clock_expires_safeboxes_and_applies_retention() {
    let emu = Emulator::demo();
    let api = emu.demo_user().await;
    let (discard, discard_expiration) = safebox_with_retention(&api, json!({})).await;
    let (retain, _) = safebox_with_retention(
        &api,
        json!({"retention_period_type": "retain_at_expiration", "retention_period_value": 2, "retention_period_unit": "days"}),
    )
    .await;
    let (keep, _) =
        safebox_with_retention(&api, json!({"retention_period_type": "do_not_discard"})).await;
    let file = b"kept until retention".to_vec();
    let with_file = api
        .create_safebox("with a file", &[("kept.txt", file.clone())])
        .await;

    // Six days later nothing has changed.
    advance(&emu, 6 * 86_400).await;
    for guid in [&discard, &retain, &keep, &with_file] {
        assert_eq!(
            info(&api, guid).await["status"],
            json!("in_progress"),
            "{guid}"
        );
    }
    assert_eq!(list(&api, "?status=in_progress").await["count"], json!(4));

    // Eight days after creation every SafeBox has expired.
    advance(&emu, 2 * 86_400).await;
    let retained = info(&api, &retain).await;
    assert_eq!(retained["status"], json!("closed"), "{retained}");
    assert!(retained["closed_at"].is_string());
    assert_eq!(retained["content_deleted_at"], Value::Null);
    assert!(
        retained["security_options"]["delete_content_on"].is_string(),
        "{retained}"
    );
    assert!(retained["event_history"]
        .as_array()
        .unwrap()
        .iter()
        .any(|e| e["type"] == "safebox_expired"));
    assert_eq!(info(&api, &keep).await["status"], json!("closed"));
    assert_eq!(
        info(&api, &keep).await["security_options"]["delete_content_on"],
        Value::Null
    );

    // discard_at_expiration: closed at expiration, and its content deleted at once.
    let discarded = info(&api, &discard).await;
    assert_eq!(discarded["status"], json!("content_deleted"), "{discarded}");
    assert_eq!(time(&discarded["closed_at"]), discard_expiration);
    assert_eq!(time(&discarded["content_deleted_at"]), discard_expiration);
    let kinds: Vec<&str> = discarded["event_history"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["type"].as_str().unwrap())
        .collect();
    assert_eq!(
        kinds,
        vec![
            "safebox_created_owner",
            "safebox_expired",
            "safebox_content_deleted"
        ]
    );
    let stored = inspect(&emu, &with_file).await;
    assert_eq!(stored["status"], json!("content_deleted"));
    assert_eq!(stored["documents"][0]["stored"], json!(false));
    assert_eq!(list(&api, "?status=in_progress").await["count"], json!(0));
    assert_eq!(list(&api, "?status=closed").await["count"], json!(2));
    assert_eq!(
        list(&api, "?status=content_deleted").await["count"],
        json!(2)
    );
    // An expired SafeBox refuses what an open one accepts.
    let (status, body) = api
        .patch(&format!("api/v2/safeboxes/{retain}/close.json"), None)
        .await;
    assert_eq!(
        (status, body),
        (
            StatusCode::BAD_REQUEST,
            json!({"result": false, "message": "Unable to close the SafeBox."})
        )
    );

    // retain_at_expiration for 2 days: the content goes two days after closing.
    advance(&emu, 86_400 + 60).await;
    assert_eq!(
        info(&api, &retain).await["status"],
        json!("content_deleted")
    );
    assert_eq!(
        info(&api, &keep).await["status"],
        json!("closed"),
        "do_not_discard keeps the content"
    );

    // The clock only moves forward.
    let (status, body) = emu
        .control(Method::POST, "clock", Some(json!({"advance_seconds": -5})))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
}
