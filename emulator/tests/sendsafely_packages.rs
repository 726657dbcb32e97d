//! SendSafely packages over real HTTP: create, information (by id and by packageCode), life,
//! label, delete, lists with paging, recipients (phones, roles), trusted-device keys and
//! wrapped keycodes, the secure message and finalize with its checksum, against the golden
//! fixtures (spec §6, §10.2, §10.4, §10.6).

mod sendsafely_support;
mod support;

use reqwest::Method;
use sendsafely_support::{assert_keys_and_types, assert_shape, fixture, start, start_with, Ss};
use serde_json::{json, Value};

const KEYCODE: &str = "Xk3Zt9Qq1VYb7rJmW0cN2dF5gH8iL4oP6sT-uA_eR2w";

fn checksum_for(code: &str) -> String {
    sendsafely_support::checksum_for(KEYCODE, code)
}

#[test]
fn the_test_checksum_is_the_golden_one() {
    let sf07 = fixture("SF-07")["text"].as_str().unwrap().to_string();
    assert!(sf07.contains(&checksum_for("E8FfOCwV4His4tlezIGi07qi0bQhxGQHcqVKYcqPcgg")));
}

#[tokio::test]
async fn the_send_flow_route_by_route() {
    let emu = start(&[]);
    let demo = Ss::demo(&emu);
    let bob = Ss::bob(&emu);
    // S5, SF-08; the PY form (no slash, json.dumps spacing, string vdr) too.
    let created = demo.create_package().await;
    assert_keys_and_types(&fixture("SF-08")["block"], &created, "SF-08");
    let pid = created["packageId"].as_str().unwrap().to_string();
    let code = created["packageCode"].as_str().unwrap().to_string();
    assert_eq!(code.len(), 43);
    assert_eq!(created["serverSecret"].as_str().unwrap().len(), 34);
    let (_, py) = demo
        .call(Method::PUT, "/package", Some(r#"{"vdr": "false"}"#))
        .await;
    assert_eq!(py["response"], "SUCCESS", "{py}");
    assert_ne!(py["packageId"], created["packageId"]);
    let (_, bad) = demo
        .call(Method::PUT, "/package", Some(r#"{"vdr": 3}"#))
        .await;
    assert_eq!(bad["response"], "INVALID_INPUT", "{bad}");
    let (_, bad) = demo.call(Method::PUT, "/package", Some("{not json")).await;
    assert_eq!(bad["response"], "INVALID_INPUT", "{bad}");

    // S6 by id (both forms) and by packageCode.
    let info = demo.get_ok(&format!("/package/{pid}/")).await;
    assert_eq!(info["state"], "PACKAGE_STATE_IN_PROGRESS");
    assert_eq!(info["packageCode"], json!(code));
    assert_eq!(info["life"], 10);
    assert!(info["rootDirectoryId"].is_string());
    let info = demo.get_ok(&format!("/package/{pid}")).await;
    assert_eq!(info["packageId"], json!(pid));
    // Bob may not read it by id, but may by its code.
    let (_, denied) = bob
        .call(Method::GET, &format!("/package/{pid}"), None)
        .await;
    assert_eq!(denied["response"], "DENIED", "{denied}");
    let by_code = bob.get_ok(&format!("/package/{code}/")).await;
    assert_eq!(by_code["packageId"], json!(pid));
    let (_, unknown) = demo.call(Method::GET, "/package/NOPE-NOPE", None).await;
    assert_eq!(unknown["response"], "UNKNOWN_PACKAGE", "{unknown}");

    // S7: life within 1..365, label; only the owner.
    demo.ok(
        Method::POST,
        &format!("/package/{pid}/"),
        Some(&json!({"life": 365})),
    )
    .await;
    demo.ok(
        Method::POST,
        &format!("/package/{pid}"),
        Some(&json!({"label": "Q3 report"})),
    )
    .await;
    for life in [0, 366, -1] {
        let (_, bad) = demo
            .json(
                Method::POST,
                &format!("/package/{pid}/"),
                &json!({"life": life}),
            )
            .await;
        assert_eq!(bad["response"], "FAIL", "life {life}: {bad}");
    }
    let (_, bad) = demo
        .json(
            Method::POST,
            &format!("/package/{pid}/"),
            &json!({"life": "x"}),
        )
        .await;
    assert_eq!(bad["response"], "FAIL", "{bad}");
    let (_, denied) = bob
        .json(
            Method::POST,
            &format!("/package/{pid}/"),
            &json!({"life": 3}),
        )
        .await;
    assert_eq!(denied["response"], "DENIED", "{denied}");
    let info = demo.get_ok(&format!("/package/{pid}")).await;
    assert_eq!(
        (info["life"].clone(), info["label"].clone()),
        (json!(365), json!("Q3 report"))
    );

    // S11 with the PY body of SF-09, S13 phone and role, S14, S12, S15.
    let sf09 = fixture("SF-09")["block"].clone();
    let add = demo
        .call(
            Method::PUT,
            &format!("/package/{pid}/recipient"),
            Some(r#"{"email": "a@b.c"}"#),
        )
        .await
        .1;
    assert_shape(&sf09["addResponse"], &add, "SF-09 addResponse");
    assert_eq!(add["checkForPublicKeys"], false);
    let rid = add["recipientId"].as_str().unwrap().to_string();
    let again = demo
        .ok(
            Method::PUT,
            &format!("/package/{pid}/recipient/"),
            Some(&json!({"email": "a@b.c"})),
        )
        .await;
    assert_eq!(again["recipientId"], json!(rid), "the existing recipient");
    let (_, bad) = demo
        .json(
            Method::PUT,
            &format!("/package/{pid}/recipient/"),
            &json!({"email": "not-an-email"}),
        )
        .await;
    assert_eq!(bad["response"], "INVALID_EMAIL", "{bad}");
    let phone = demo
        .call(
            Method::POST,
            &format!("/package/{pid}/recipient/{rid}"),
            Some(r#"{"phoneNumber": "(123) 456-7890", "countrycode": "US"}"#),
        )
        .await
        .1;
    assert_eq!(phone["response"], "SUCCESS", "{phone}");
    assert_eq!(phone["recipientId"], json!(rid));
    demo.ok(
        Method::POST,
        &format!("/package/{pid}/recipient/{rid}/"),
        Some(&json!({"roleName": "MANAGER"})),
    )
    .await;
    let (_, bad) = demo
        .json(
            Method::POST,
            &format!("/package/{pid}/recipient/{rid}/"),
            &json!({"roleName": "GOD"}),
        )
        .await;
    assert_eq!(bad["response"], "INVALID_INPUT", "{bad}");
    let r = demo
        .get_ok(&format!("/package/{pid}/recipient/{rid}/"))
        .await;
    assert_eq!(r["roleName"], "MANAGER");
    assert_eq!(r["phonenumbers"][0]["phonenumber"], "(123) 456-7890");
    assert_eq!(r["phonenumbers"][0]["countryCode"], 1);
    let many = demo
        .ok(
            Method::PUT,
            &format!("/package/{pid}/recipients/"),
            Some(&json!({"emails": ["bob@acme.example", "c@d.e", "bad"], "autoEnableSMS": false})),
        )
        .await;
    let list = many["recipients"].as_array().unwrap();
    assert_eq!(list.len(), 3, "{many}");
    assert_eq!(list[2]["response"], "INVALID_EMAIL");
    let c_id = list[1]["recipientId"].as_str().unwrap().to_string();
    demo.ok(
        Method::DELETE,
        &format!("/package/{pid}/recipient/{c_id}/"),
        None,
    )
    .await;
    let info = demo.get_ok(&format!("/package/{pid}")).await;
    let emails: Vec<&str> = info["recipients"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["email"].as_str().unwrap())
        .collect();
    assert_eq!(emails, ["a@b.c", "bob@acme.example"]);
    assert_eq!(info["recipients"][0]["phonenumbers"][0]["countryCode"], 1);

    // S3 Bob's trusted-device key, S16 lists it, S17 stores a wrapped keycode, S18 reads it.
    let pair = sendsafely_crypto::keys::generate("Trusted Browser <bob@acme.example>").unwrap();
    let armored_key = pair.public_armored.as_str();
    let (_, bad) = bob
        .json(Method::PUT, "/public-key", &json!({"publicKey": "junk"}))
        .await;
    assert_eq!(bad["response"], "INVALID_INPUT", "{bad}");
    let key = bob
        .ok(
            Method::PUT,
            "/public-key",
            Some(&json!({"publicKey": armored_key, "description": "laptop"})),
        )
        .await;
    let kid = key["id"].as_str().unwrap().to_string();
    let keys = demo.get_ok(&format!("/package/{pid}/public-keys/")).await;
    assert_eq!(keys["publicKeys"], json!([{"id": kid, "key": armored_key}]));
    let bob_rid = list[0]["recipientId"].as_str().unwrap();
    let keys = demo
        .get_ok(&format!("/package/{pid}/{bob_rid}/public-keys/"))
        .await;
    assert_eq!(keys["publicKeys"].as_array().unwrap().len(), 1);
    let keys = demo
        .get_ok(&format!("/package/{pid}/{rid}/public-keys/"))
        .await;
    assert_eq!(keys["publicKeys"], json!([]), "SF-14: a@b.c has no keys");
    let armored = "-----BEGIN PGP MESSAGE-----\n\nwcBMA...\n-----END PGP MESSAGE-----\n";
    demo.ok(
        Method::PUT,
        &format!("/package/{pid}/link/{kid}"),
        Some(&json!({"keycode": armored})),
    )
    .await;
    let (_, bad) = demo
        .json(
            Method::PUT,
            &format!("/package/{pid}/link/key-none/"),
            &json!({"keycode": armored}),
        )
        .await;
    assert_eq!(bad["response"], "FAIL", "{bad}");
    let got = bob.get_ok(&format!("/package/{pid}/link/{kid}")).await;
    assert_eq!(got["message"], armored);

    // S28 the message (SF-14's body form), then S30 finalize (SF-12).
    let b64 = "wy4ECQMI+/Zq0w==";
    demo.call(
        Method::PUT,
        &format!("/package/{pid}/message/"),
        Some(&format!(r#"{{"message": "{b64}"}}"#)),
    )
    .await;
    let bad = demo.finalize_with(&pid, "ABC").await;
    assert_shape(
        &fixture("SF-13")["block"]["finalizeError"],
        &bad,
        "SF-13 finalizeError",
    );
    let checksum = checksum_for(&code);
    let (_, denied) = bob
        .json(
            Method::POST,
            &format!("/package/{pid}/finalize"),
            &json!({"checksum": checksum}),
        )
        .await;
    assert_eq!(denied["response"], "DENIED", "{denied}");
    assert!(denied["errors"].is_array(), "PY needs errors: {denied}");
    let fin = demo
        .call(
            Method::POST,
            &format!("/package/{pid}/finalize"),
            Some(&format!(r#"{{"checksum": "{checksum}"}}"#)),
        )
        .await
        .1;
    assert_keys_and_types(
        &fixture("SF-12")["block"]["finalize"],
        &fin,
        "SF-12 finalize",
    );
    assert!(fin.get("errors").is_none(), "{fin}");
    let link = fin["message"].as_str().unwrap();
    assert_eq!(
        link,
        format!("{}/receive/?thread={pid}&packageCode={code}", emu.url)
    );
    let info = demo.get_ok(&format!("/package/{pid}")).await;
    assert_eq!(info["state"], "PACKAGE_STATE_ACTIVE_COMPLETE");
    assert_eq!(info["packageContainsMessage"], true);
    // Finalized once only; the message is now read-only.
    let again = demo.finalize_with(&pid, &checksum).await;
    assert_eq!(again["response"], "FAIL", "{again}");
    assert!(again["errors"].is_array());
    // S29: the message for the finalize checksum only.
    let msg = bob
        .get_ok(&format!("/package/{pid}/message/{checksum}"))
        .await;
    assert_eq!(msg["message"], b64);
    let other = "0".repeat(64);
    let (_, bad) = bob
        .call(
            Method::GET,
            &format!("/package/{pid}/message/{other}"),
            None,
        )
        .await;
    assert_eq!(bad["response"], "FAIL", "{bad}");
    // S31 is recorded.
    demo.ok(
        Method::POST,
        &format!("/package/{pid}/notify/"),
        Some(&json!({"keycode": KEYCODE})),
    )
    .await;

    // S10: sent (demo) and received (bob), paged.
    let sent = demo
        .ok(Method::GET, "/package/?rowIndex=0&pageSize=1", None)
        .await;
    assert_eq!(sent["packages"].as_array().unwrap().len(), 1, "{sent}");
    assert_eq!(sent["pagination"]["nextRowIndex"], 1);
    let sent2 = demo
        .ok(Method::GET, "/package?rowIndex=1&pageSize=1", None)
        .await;
    assert_eq!(sent2["packages"].as_array().unwrap().len(), 1, "{sent2}");
    assert_ne!(
        sent["packages"][0]["packageId"],
        sent2["packages"][0]["packageId"]
    );
    let sent3 = demo
        .ok(Method::GET, "/package?rowIndex=2&pageSize=100", None)
        .await;
    assert_eq!(sent3["packages"], json!([]));
    let (_, bad) = demo
        .call(Method::GET, "/package?rowIndex=0&pageSize=101", None)
        .await;
    assert_eq!(bad["response"], "FAIL", "{bad}");
    let received = bob.ok(Method::GET, "/package/received/", None).await;
    let ids: Vec<&Value> = received["packages"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| &p["packageId"])
        .collect();
    assert_eq!(ids, [&json!(pid)]);
    let archived = bob.ok(Method::GET, "/package/archived", None).await;
    assert_eq!(archived["packages"], json!([]));

    // S9 refuses a finalized package; S8 deletes it; then UNKNOWN_PACKAGE.
    let (_, bad) = demo
        .call(Method::DELETE, &format!("/package/{pid}/temp/"), None)
        .await;
    assert_eq!(bad["response"], "FAIL", "{bad}");
    let (_, denied) = bob
        .call(Method::DELETE, &format!("/package/{pid}/"), None)
        .await;
    assert_eq!(denied["response"], "DENIED", "{denied}");
    demo.ok(Method::DELETE, &format!("/package/{pid}"), None)
        .await;
    let (_, gone) = demo
        .call(Method::GET, &format!("/package/{pid}"), None)
        .await;
    assert_eq!(gone["response"], "UNKNOWN_PACKAGE", "{gone}");
    let py_id = py["packageId"].as_str().unwrap();
    demo.ok(Method::DELETE, &format!("/package/{py_id}/temp"), None)
        .await;
    let sent = demo.ok(Method::GET, "/package", None).await;
    assert_eq!(sent["packages"], json!([]));
    // S4: revoke Bob's key.
    bob.ok(Method::DELETE, &format!("/public-key/{kid}"), None)
        .await;
    let (_, bad) = bob
        .call(Method::DELETE, &format!("/public-key/{kid}"), None)
        .await;
    assert_eq!(bad["response"], "FAIL", "{bad}");
}

#[tokio::test]
async fn strict_checksums_recipient_limits_and_deleted_states_are_configurable() {
    let dir = tempfile::tempdir().unwrap();
    let emu = start_with(
        dir.path(),
        "checksum_mode = \"strict\"\nrecipient_limit = 1\ndeleted_info = \"state\"\nallow_life_zero = true\nduplicate_email = true\nduplicate_file = true",
    );
    let demo = Ss::demo(&emu);
    let p = demo.create_package().await;
    let pid = p["packageId"].as_str().unwrap();
    demo.ok(
        Method::PUT,
        &format!("/package/{pid}/recipient"),
        Some(&json!({"email": "x@y.z"})),
    )
    .await;
    let (_, dup) = demo
        .json(
            Method::PUT,
            &format!("/package/{pid}/recipient"),
            &json!({"email": "x@y.z"}),
        )
        .await;
    assert_eq!(dup["response"], "DUPLICATE_EMAIL", "{dup}");
    let file = json!({"filename": "a.txt", "parts": 1, "filesize": 1});
    demo.ok(Method::PUT, &format!("/package/{pid}/file"), Some(&file))
        .await;
    let (_, dup) = demo
        .json(Method::PUT, &format!("/package/{pid}/file"), &file)
        .await;
    assert_eq!(dup["response"], "DUPLICATE_FILE", "{dup}");
    let (_, over) = demo
        .json(
            Method::PUT,
            &format!("/package/{pid}/recipient"),
            &json!({"email": "w@y.z"}),
        )
        .await;
    assert_eq!(over["response"], "LIMIT_EXCEEDED", "{over}");
    demo.ok(
        Method::POST,
        &format!("/package/{pid}"),
        Some(&json!({"life": 0})),
    )
    .await;
    let checksum = checksum_for(p["packageCode"].as_str().unwrap());
    let (_, refused) = demo
        .json(
            Method::POST,
            &format!("/package/{pid}/finalize"),
            &json!({"checksum": checksum}),
        )
        .await;
    assert_eq!(refused["response"], "FAIL", "{refused}");
    assert!(
        refused["errors"][0].as_str().unwrap().contains("strict"),
        "{refused}"
    );
    demo.ok(Method::DELETE, &format!("/package/{pid}"), None)
        .await;
    let info = demo.get_ok(&format!("/package/{pid}")).await;
    assert_eq!(info["state"], "PACKAGE_STATE_DELETED_INCOMPLETE");
    assert_eq!(info["packageState"], -3);
}
