//! Requests an SDK (or a broken client) may send that the server must refuse in the right shape,
//! or tolerate as the spec says; after each the server keeps serving.

mod support;

use reqwest::{header, Method, StatusCode};
use serde_json::{json, Value};
use support::{read_response, Api, Emulator};

const OWNER: &str = "demo@acme.example";

/// A well-formed request still answered normally.
async fn assert_alive(api: &Api) {
    let (status, body) = api.get("api/v2/enterprises/acme/settings.json").await;
    assert_eq!(status, StatusCode::OK, "the server stopped serving: {body}");
    assert_eq!(body["default_security_profile_id"], json!(1));
}

fn validation(attributes: Value) -> Value {
    json!({"error": "Some entered values are incorrect.", "attributes": attributes})
}

/// Sends `body` as raw bytes with a JSON content type.
async fn raw_json(
    api: &Api,
    method: Method,
    path: &str,
    body: &'static str,
) -> (StatusCode, Value) {
    let response = api
        .request(method, path)
        .header(header::CONTENT_TYPE, "application/json")
        .body(body)
        .send()
        .await
        .unwrap();
    read_response(response).await
}

async fn initialize(api: &Api) -> Value {
    let (status, init) = api
        .get(&format!("api/v2/safeboxes/new.json?user_email={OWNER}"))
        .await;
    assert_eq!(status, StatusCode::OK, "{init}");
    init
}

fn commit_body(guid: &Value, patch: Value) -> Value {
    let mut safebox = json!({
        "guid": guid, "user_email": OWNER, "message": "hello", "security_profile_id": 1,
        "notification_language": "en", "recipients": [{"email": "guest@example.com"}], "document_ids": [],
    });
    for (k, v) in patch.as_object().unwrap() {
        if v.is_null() {
            safebox.as_object_mut().unwrap().remove(k);
        } else {
            safebox[k] = v.clone();
        }
    }
    json!({ "safebox": safebox })
}

#[tokio::test]
async fn malformed_and_mistyped_bodies_are_refused_in_the_validation_shape() {
    let emu = Emulator::demo();
    let api = emu.demo_user().await;
    let init = initialize(&api).await;
    let guid = init["guid"].as_str().unwrap().to_string();

    let (status, body) = raw_json(
        &api,
        Method::POST,
        "api/v2/safeboxes.json",
        "{\"safebox\": {oops",
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body, validation(json!({"body": ["is not valid JSON"]})));
    assert_alive(&api).await;

    let (status, body) = raw_json(&api, Method::POST, "api/v2/safeboxes.json", "[1, 2, 3]").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body, validation(json!({"body": ["must be a JSON object"]})));
    assert_alive(&api).await;

    let (status, body) = raw_json(&api, Method::POST, "api/v2/safeboxes.json", "").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body, validation(json!({"safebox": ["cannot be blank"]})));

    let (status, body) = api
        .post("api/v2/safeboxes.json", json!({"safebox": "not an object"}))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body, validation(json!({"safebox": ["is invalid"]})));
    assert_alive(&api).await;

    let (status, body) = api
        .post(
            "api/v2/safeboxes.json",
            commit_body(&json!(guid), json!({"security_profile_id": "abc"})),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        body,
        validation(json!({"security_profile_id": ["is not a number"]}))
    );
    assert_alive(&api).await;

    let (status, body) = api
        .post(
            "api/v2/safeboxes.json",
            commit_body(&json!(guid), json!({"recipients": "guest@example.com"})),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body, validation(json!({"recipients": ["is invalid"]})));
    assert_alive(&api).await;

    let (status, body) = api
        .post(
            "api/v2/safeboxes.json",
            commit_body(&json!(guid), json!({"document_ids": {"a": 1}})),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body, validation(json!({"document_ids": ["is invalid"]})));

    let (status, body) = api
        .post(
            "api/v2/safeboxes.json",
            commit_body(&json!(guid), json!({"reply_enabled": "perhaps"})),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body, validation(json!({"reply_enabled": ["is invalid"]})));

    let (status, body) = api
        .post(
            "api/v2/safeboxes.json",
            commit_body(&json!(guid), json!({"expiration_unit": "fortnights"})),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(
        body,
        validation(json!({"expiration_unit": ["is not included in the list"]}))
    );

    // The string-typed scalars some SDKs send are fine (java fixtures).
    let (status, body) = api
        .post(
            "api/v2/safeboxes.json",
            commit_body(
                &json!(guid),
                json!({"security_profile_id": "1", "reply_enabled": "true", "subject": null}),
            ),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["reply_enabled"], json!(true));

    // E12 with a string size is fine too; a negative or mistyped one is not.
    let (status, body) = api
        .post(
            &format!("api/v2/safeboxes/{guid}/uploads"),
            json!({"temporary_document": {"document_file_size": "10485"}, "multipart": "false"}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = api
        .post(
            &format!("api/v2/safeboxes/{guid}/uploads"),
            json!({"temporary_document": {"document_file_size": "lots"}, "multipart": false}),
        )
        .await;
    assert_eq!(
        (status, body),
        (
            StatusCode::BAD_REQUEST,
            validation(json!({"document_file_size": ["is not a number"]}))
        )
    );
    let (status, body) = api
        .post(
            &format!("api/v2/safeboxes/{guid}/uploads"),
            json!({"temporary_document": {"document_file_size": 10}, "multipart": true}),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(body["error"].is_string(), "{body}");

    // Participant and favorite bodies.
    let (status, body) = api
        .post(
            &format!("api/v2/safeboxes/{guid}/participants.json"),
            json!({"participant": {"first_name": "X"}}),
        )
        .await;
    assert_eq!(
        (status, body),
        (
            StatusCode::BAD_REQUEST,
            validation(json!({"email": ["cannot be blank"]}))
        )
    );
    let (status, body) = api
        .post(
            &format!("api/v2/safeboxes/{guid}/participants.json"),
            json!({"participant": {"email": "x@example.com", "contact_methods": [{"destination": "1", "destination_type": "fax"}]}}),
        )
        .await;
    assert_eq!(
        (status, body),
        (
            StatusCode::BAD_REQUEST,
            validation(json!({"contact_methods.destination_type": ["is invalid"]}))
        )
    );
    let (status, body) = api
        .post(
            "api/v2/enterprises/acme/users/1/favorites.json",
            json!({"favorite": {"email": "not-an-email"}}),
        )
        .await;
    assert_eq!(
        (status, body),
        (
            StatusCode::BAD_REQUEST,
            validation(json!({"email": ["is invalid"]}))
        )
    );
    let (status, body) = raw_json(
        &api,
        Method::PATCH,
        &format!("api/v2/safeboxes/{guid}/add_time.json"),
        "{",
    )
    .await;
    assert_eq!(
        (status, body),
        (
            StatusCode::BAD_REQUEST,
            validation(json!({"body": ["is not valid JSON"]}))
        )
    );

    // Body-less PATCH actions accept an empty body with a JSON content type.
    let (status, body) = raw_json(
        &api,
        Method::PATCH,
        &format!("api/v2/safeboxes/{guid}/mark_as_read"),
        "",
    )
    .await;
    assert_eq!((status, body), (StatusCode::OK, json!({"result": true})));
    assert_alive(&api).await;
}

#[tokio::test]
async fn routes_tokens_suffixes_and_query_encodings() {
    let emu = Emulator::demo();
    let api = emu.demo_user().await;
    let token = api.token.clone().unwrap();
    let rails_404 = json!({"status": "404", "error": "Not Found"});
    let denied = json!({"message": "Access denied"});

    // Unknown routes: Rails' own 404 shape, with or without a token, whatever the method.
    for (method, path) in [
        (Method::GET, "api/v2/nothing"),
        (Method::GET, "api/v2/safeboxes/abc/nothing.json"),
        (Method::POST, "api/v3/safeboxes.json"),
        (Method::GET, "favicon.ico"),
        (Method::DELETE, "api/v2/safeboxes.json"),
        (Method::PUT, "api/v2/safeboxes/new"),
    ] {
        for client in [&api, &api.without_token()] {
            let (status, body) = client.send(method.clone(), path, None).await;
            assert_eq!(
                (status, &body),
                (StatusCode::NOT_FOUND, &rails_404),
                "{method} {path}"
            );
        }
    }
    assert_alive(&api).await;

    // Missing or bad token.
    let (status, body) = api.without_token().get("api/v2/safeboxes.json").await;
    assert_eq!((status, body), (StatusCode::FORBIDDEN, denied.clone()));
    for bad in [
        "USER|00000000-0000-0000-0000-000000000000",
        "",
        "Bearer x",
        &format!("{token}x"),
    ] {
        let response = api
            .client
            .get(api.url("api/v2/safeboxes.json"))
            .header("Authorization-Token", bad)
            .send()
            .await
            .unwrap();
        let (status, body) = read_response(response).await;
        assert_eq!(
            (status, &body),
            (StatusCode::FORBIDDEN, &denied),
            "token {bad:?}"
        );
    }
    let (status, body) = api
        .without_token()
        .get(&format!("api/v2/safeboxes/new.json?user_email={OWNER}"))
        .await;
    assert_eq!((status, body), (StatusCode::FORBIDDEN, denied.clone()));
    assert_alive(&api).await;

    // Both header names, any case.
    for name in [
        "Authorization-Token",
        "authorization-token",
        "XM-Token-Authorization",
        "xm-token-authorization",
    ] {
        let response = api
            .client
            .get(api.url("api/v2/safeboxes.json"))
            .header(name, &token)
            .send()
            .await
            .unwrap();
        let (status, body) = read_response(response).await;
        assert_eq!(status, StatusCode::OK, "{name}: {body}");
        assert_eq!(body["count"], json!(0));
    }

    // `.json` is optional; cs's `safeboxes.json&locale=en` works; `locale` and `rand` anywhere.
    let guid = api.create_safebox("Suffixes", &[]).await;
    let mut answers = vec![];
    for path in [
        "api/v2/safeboxes.json".to_string(),
        "api/v2/safeboxes".to_string(),
        "api/v2/safeboxes.json&locale=en".to_string(),
        "api/v2/safeboxes.json?locale=en&rand=1700000000000".to_string(),
        "api/v2/safeboxes?per_page=10&locale=fr".to_string(),
    ] {
        let (status, body) = api.get(&path).await;
        assert_eq!(status, StatusCode::OK, "{path}: {body}");
        assert_eq!(body["count"], json!(1), "{path}");
        answers.push(body["safeboxes"][0]["safebox"]["guid"].clone());
    }
    assert!(answers.iter().all(|g| *g == json!(guid)), "{answers:?}");
    for path in [
        format!("api/v2/safeboxes/{guid}.json"),
        format!("api/v2/safeboxes/{guid}"),
        format!("api/v2/safeboxes/{guid}.json&locale=en"),
        format!("api/v2/safeboxes/{guid}.json?locale=en"),
    ] {
        let (status, body) = api.get(&path).await;
        assert_eq!(status, StatusCode::OK, "{path}: {body}");
        assert_eq!(body["safebox"]["guid"], json!(guid), "{path}");
        assert!(
            body["safebox"]["event_history"].is_array(),
            "all sections: {path}"
        );
    }
    for path in [
        format!("api/v2/safeboxes/{guid}/messages"),
        format!("api/v2/safeboxes/{guid}/messages.json"),
        format!("api/v2/safeboxes/{guid}/security_options"),
        format!("api/v2/safeboxes/{guid}/security_options.json?locale=en"),
    ] {
        let (status, body) = api.get(&path).await;
        assert_eq!(status, StatusCode::OK, "{path}: {body}");
    }

    // Raw `@` and `,`, percent-encoded `%40` and `%2C`, locale first or last.
    for query in [
        "user_email=demo@acme.example",
        "user_email=demo%40acme.example",
        "locale=en&user_email=demo%40acme.example",
        "user_email=demo@acme.example&locale=en",
        "user_email=DEMO@acme.example",
    ] {
        let (status, body) = api.get(&format!("api/v2/safeboxes/new.json?{query}")).await;
        assert_eq!(status, StatusCode::OK, "{query}: {body}");
        assert!(body["guid"].is_string());
    }
    let (status, body) = api
        .get("api/v2/safeboxes/new.json?user_email=other%40acme.example")
        .await;
    assert_eq!((status, body), (StatusCode::FORBIDDEN, denied.clone()));
    for query in [
        "sections=messages,participants",
        "sections=messages%2Cparticipants",
        "locale=en&sections=messages,%20participants",
    ] {
        let (status, body) = api
            .get(&format!("api/v2/safeboxes/{guid}.json?{query}"))
            .await;
        assert_eq!(status, StatusCode::OK, "{query}: {body}");
        assert!(
            body["safebox"]["messages"].is_array() && body["safebox"]["participants"].is_array(),
            "{query}"
        );
        assert!(body["safebox"].get("security_options").is_none(), "{query}");
    }
    let (status, body) = api
        .get(&format!("api/v2/safeboxes/{guid}.json?sections=bogus"))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(body["error"].is_string());
    for search in [
        "suffixes",
        "Suff%69xes",
        "guest%40example.com",
        "guest@example.com",
    ] {
        let (status, body) = api
            .get(&format!("api/v2/safeboxes.json?search={search}"))
            .await;
        assert_eq!(status, StatusCode::OK, "{search}");
        assert_eq!(body["count"], json!(1), "{search}");
    }
    let (status, body) = api.get("api/v2/safeboxes.json?per_page=1001").await;
    assert_eq!(
        (status, body),
        (
            StatusCode::BAD_REQUEST,
            json!({"error": "Invalid per_page parameter value (1001)"})
        )
    );
    let (status, body) = api.get("api/v2/safeboxes.json?status=bogus").await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    let (status, body) = api.get("api/v2/participants/autocomplete?term=").await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_alive(&api).await;
}

/// The user_token fields for demo, with `device_id` and overrides (`None` removes a field).
fn token_fields(overrides: &[(&str, Option<&str>)]) -> Vec<(String, String)> {
    let mut fields: Vec<(String, String)> = [
        ("permalink", "acme"),
        ("username", "demo"),
        ("password", "demo-password"),
        ("application_type", "SendSecure Java"),
        ("device_id", "device-1"),
        ("device_name", "laptop"),
        ("otp", ""),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    for (key, value) in overrides {
        fields.retain(|(k, _)| k != key);
        if let Some(v) = value {
            fields.push((key.to_string(), v.to_string()));
        }
    }
    fields
}

#[derive(Clone, Copy, Debug)]
enum Encoding {
    Json,
    Form,
    Multipart,
}

async fn user_token(
    api: &Api,
    encoding: Encoding,
    fields: &[(String, String)],
) -> (StatusCode, Value) {
    let request = api.client.post(api.url("api/user_token"));
    let request = match encoding {
        Encoding::Json => {
            let object: serde_json::Map<String, Value> =
                fields.iter().map(|(k, v)| (k.clone(), json!(v))).collect();
            request.json(&object)
        }
        Encoding::Form => request.form(fields),
        Encoding::Multipart => {
            let mut form = reqwest::multipart::Form::new();
            for (k, v) in fields {
                form = form.text(k.clone(), v.clone());
            }
            request.multipart(form)
        }
    };
    read_response(request.send().await.unwrap()).await
}

/// Field overrides, and the expected status, error code and message.
type TokenCase = (
    Vec<(&'static str, Option<&'static str>)>,
    StatusCode,
    i64,
    &'static str,
);

#[tokio::test]
async fn user_token_errors_in_every_body_encoding() {
    let emu = Emulator::demo();
    let api = emu.anonymous();
    let cases: Vec<TokenCase> = vec![
        (
            vec![("permalink", Some("nope"))],
            StatusCode::BAD_REQUEST,
            101,
            "invalid permalink",
        ),
        (
            vec![("permalink", None)],
            StatusCode::BAD_REQUEST,
            101,
            "invalid permalink",
        ),
        (
            vec![("password", Some("wrong"))],
            StatusCode::UNAUTHORIZED,
            102,
            "invalid credentials",
        ),
        (
            vec![("username", Some("nobody"))],
            StatusCode::UNAUTHORIZED,
            102,
            "invalid credentials",
        ),
        (
            vec![("application_type", None)],
            StatusCode::BAD_REQUEST,
            103,
            "missing application_type parameter",
        ),
        (
            vec![("device_id", Some(""))],
            StatusCode::BAD_REQUEST,
            104,
            "missing device_id parameter",
        ),
        (
            vec![("device_name", None)],
            StatusCode::BAD_REQUEST,
            105,
            "missing device_name parameter",
        ),
        (
            vec![
                ("username", Some("carol")),
                ("password", Some("carol-password")),
            ],
            StatusCode::UNAUTHORIZED,
            106,
            "otp needed",
        ),
        (
            vec![
                ("username", Some("carol")),
                ("password", Some("carol-password")),
                ("otp", Some("000000")),
            ],
            StatusCode::UNAUTHORIZED,
            102,
            "invalid credentials",
        ),
    ];
    let mut tokens = vec![];
    for encoding in [Encoding::Json, Encoding::Form, Encoding::Multipart] {
        for (overrides, status, code, message) in &cases {
            let (got, body) = user_token(&api, encoding, &token_fields(overrides)).await;
            assert_eq!(
                (got, &body),
                (
                    *status,
                    &json!({"result": false, "code": code, "message": message})
                ),
                "{encoding:?} {overrides:?}"
            );
        }
        let (status, body) = user_token(&api, encoding, &token_fields(&[])).await;
        assert_eq!(status, StatusCode::OK, "{encoding:?}: {body}");
        assert_eq!(body["result"], json!(true));
        assert_eq!(body["user_id"], json!(1));
        tokens.push(body["token"].as_str().unwrap().to_string());
        let (status, carol) = user_token(
            &api,
            encoding,
            &token_fields(&[
                ("username", Some("carol")),
                ("password", Some("carol-password")),
                ("otp", Some("123456")),
            ]),
        )
        .await;
        assert_eq!(status, StatusCode::OK, "{encoding:?}: {carol}");
        assert_eq!(carol["user_id"], json!(3));
    }
    // Same credentials and device: same token, whatever the encoding; another device: another.
    assert!(tokens.iter().all(|t| *t == tokens[0]), "{tokens:?}");
    let (_, again) = user_token(&api, Encoding::Json, &token_fields(&[])).await;
    assert_eq!(again["token"], json!(tokens[0]));
    let (_, other) = user_token(
        &api,
        Encoding::Json,
        &token_fields(&[("device_id", Some("device-2"))]),
    )
    .await;
    assert!(other["token"].is_string());
    assert_ne!(other["token"], json!(tokens[0]));
    // Logging in by e-mail works too, and gives the same token.
    let (status, by_email) = user_token(
        &api,
        Encoding::Form,
        &token_fields(&[("username", Some(OWNER))]),
    )
    .await;
    assert_eq!(status, StatusCode::OK, "{by_email}");
    assert_eq!(by_email["token"], json!(tokens[0]));

    // Not even JSON.
    let response = api
        .client
        .post(api.url("api/user_token"))
        .header(header::CONTENT_TYPE, "application/json")
        .body("{permalink")
        .send()
        .await
        .unwrap();
    let (status, body) = read_response(response).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["result"], json!(false));
    assert_eq!(body["code"], json!(100));

    // Every one of those tokens works.
    let authed = Api {
        token: Some(tokens[0].clone()),
        ..api.clone()
    };
    assert_alive(&authed).await;
    let authed = Api {
        token: Some(other["token"].as_str().unwrap().to_string()),
        ..api.clone()
    };
    assert_alive(&authed).await;
}

/// The demo config with a 1 KiB upload limit, written to a temporary directory.
fn small_limit_config() -> (tempfile::TempDir, String) {
    let demo = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/demo.toml")).unwrap();
    let marker = "[accounts.settings]\n";
    assert!(demo.contains(marker));
    let config = demo.replacen(
        marker,
        &format!("{marker}max_file_size_value = 1\nmax_file_size_unit = \"KB\"\n"),
        1,
    );
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("limited.toml");
    std::fs::write(&path, config).unwrap();
    (dir, path.to_str().unwrap().to_string())
}

async fn multipart_upload(api: &Api, url: &str, name: &str, bytes: Vec<u8>) -> (StatusCode, Value) {
    let part = reqwest::multipart::Part::bytes(bytes).file_name(name.to_string());
    let form = reqwest::multipart::Form::new().part("file", part);
    read_response(api.client.post(url).multipart(form).send().await.unwrap()).await
}

async fn raw_upload(api: &Api, url: &str, name: &str, bytes: Vec<u8>) -> (StatusCode, Value) {
    let response = api
        .client
        .post(url)
        .header(header::CONTENT_TYPE, "application/octet-stream")
        .header(
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{name}\""),
        )
        .body(bytes)
        .send()
        .await
        .unwrap();
    read_response(response).await
}

#[tokio::test]
async fn oversize_and_forbidden_uploads_are_refused() {
    let (_dir, config) = small_limit_config();
    let emu = Emulator::start(&["--config", &config]);
    let api = emu.demo_user().await;
    let (status, settings) = api.get("api/v2/enterprises/acme/settings.json").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(settings["max_file_size_value"], json!(1));
    assert_eq!(settings["max_file_size_unit"], json!("KB"));
    let init = initialize(&api).await;
    let guid = init["guid"].as_str().unwrap().to_string();
    let upload_url = init["upload_url"].as_str().unwrap().to_string();

    // Over the limit: 413 {"error": ...}, whichever way the file comes.
    for (status, body) in [
        multipart_upload(&api, &upload_url, "big.txt", vec![b'x'; 2048]).await,
        raw_upload(&api, &upload_url, "big.txt", vec![b'x'; 2048]).await,
        raw_upload(&api, &upload_url, "big.txt", vec![b'x'; 1025]).await,
    ] {
        assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{body}");
        assert!(
            body["error"].as_str().is_some_and(|e| !e.is_empty()),
            "{body}"
        );
        assert_eq!(body.as_object().unwrap().len(), 1, "{body}");
    }
    assert_alive(&api).await;
    // Exactly at the limit is fine.
    let (status, ok) = multipart_upload(&api, &upload_url, "fits.txt", vec![b'y'; 1024]).await;
    assert_eq!(status, StatusCode::OK, "{ok}");
    let fits = ok["temporary_document"]["document_guid"].clone();

    // Forbidden extensions (bat, bin, exe; any case): 400 validation on `file`.
    for name in ["setup.exe", "RUN.BAT", "firmware.Bin"] {
        for (status, body) in [
            multipart_upload(&api, &upload_url, name, b"MZ".to_vec()).await,
            raw_upload(&api, &upload_url, name, b"MZ".to_vec()).await,
        ] {
            assert_eq!(status, StatusCode::BAD_REQUEST, "{name}: {body}");
            assert_eq!(
                body["error"],
                json!("Some entered values are incorrect."),
                "{name}"
            );
            assert!(body["attributes"]["file"].is_array(), "{name}: {body}");
        }
    }
    let (status, ok) = raw_upload(&api, &upload_url, "notes.exe.txt", b"fine".to_vec()).await;
    assert_eq!(status, StatusCode::OK, "{ok}");
    // A raw body without a file name, and a multipart body without a file.
    let response = api
        .client
        .post(&upload_url)
        .body("nameless")
        .send()
        .await
        .unwrap();
    let (status, body) = read_response(response).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body["attributes"]["file"].is_array(), "{body}");
    let form = reqwest::multipart::Form::new().text("type", "text/plain");
    let (status, body) = read_response(
        api.client
            .post(&upload_url)
            .multipart(form)
            .send()
            .await
            .unwrap(),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(body["attributes"]["file"].is_array(), "{body}");
    // An unknown upload URL.
    let (status, _) = raw_upload(
        &api,
        &format!("{}/xmss/nothing-here", emu.url),
        "a.txt",
        b"a".to_vec(),
    )
    .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_alive(&api).await;

    // Only the good files were kept: commit with both of them.
    let (status, body) = api
        .post(
            "api/v2/safeboxes.json",
            commit_body(
                &json!(guid),
                json!({"document_ids": [fits, ok["temporary_document"]["document_guid"]]}),
            ),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (_, inspected) = emu
        .control(Method::GET, &format!("safeboxes/{guid}"), None)
        .await;
    let sizes: Vec<&Value> = inspected["documents"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| &d["size"])
        .collect();
    assert_eq!(sizes, vec![&json!(1024), &json!(4)]);

    // E12 announcing a file over the limit: 400 validation.
    let (status, body) = api
        .post(
            &format!("api/v2/safeboxes/{guid}/uploads.json"),
            json!({"temporary_document": {"document_file_size": 2048}, "multipart": false}),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"], json!("Some entered values are incorrect."));
    assert!(
        body["attributes"]["document_file_size"].is_array(),
        "{body}"
    );
    // And a reply upload that lies about its size is still stopped at the limit.
    let (status, body) = api
        .post(
            &format!("api/v2/safeboxes/{guid}/uploads.json"),
            json!({"temporary_document": {"document_file_size": 100}, "multipart": false}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = raw_upload(
        &api,
        body["upload_url"].as_str().unwrap(),
        "liar.txt",
        vec![0; 4096],
    )
    .await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE, "{body}");
    assert_alive(&api).await;
}

#[tokio::test]
async fn commit_errors() {
    let emu = Emulator::demo();
    let api = emu.demo_user().await;
    let init = initialize(&api).await;
    let guid = init["guid"].clone();

    let cases = [
        (
            json!({"recipients": null}),
            json!({"recipients": ["cannot be blank"]}),
        ),
        (
            json!({"recipients": []}),
            json!({"recipients": ["cannot be blank"]}),
        ),
        (
            json!({"notification_language": ""}),
            json!({"language": ["cannot be blank"]}),
        ),
        (
            json!({"notification_language": "  "}),
            json!({"language": ["cannot be blank"]}),
        ),
        (
            json!({"document_ids": ["0123456789abcdef0123456789abcdef"]}),
            json!({"document_ids": ["is invalid"]}),
        ),
        (
            json!({"security_profile_id": null}),
            json!({"security_profile_id": ["cannot be blank"]}),
        ),
        (
            json!({"security_profile_id": 999}),
            json!({"security_profile_id": ["is invalid"]}),
        ),
        (
            json!({"message": null}),
            json!({"message": ["cannot be blank"]}),
        ),
        (
            json!({"recipients": [{"email": ""}]}),
            json!({"email": ["cannot be blank"]}),
        ),
        (
            json!({"recipients": [{"email": "nope"}]}),
            json!({"email": ["is invalid"]}),
        ),
        (
            json!({"user_email": "bob@acme.example"}),
            json!({"user_email": ["is invalid"]}),
        ),
        (
            json!({"security_profile_id": 10, "reply_enabled": false}),
            json!({"reply_enabled": ["cannot be modified"]}),
        ),
        (
            json!({"security_profile_id": 20}),
            json!({"contact_methods": ["cannot be blank"]}),
        ),
        (
            json!({"expiration_date": "2001-01-01", "expiration_time": "00:00:00"}),
            json!({"expiration": ["must be in the future"]}),
        ),
        (
            json!({"recipients": [], "notification_language": ""}),
            json!({"language": ["cannot be blank"], "recipients": ["cannot be blank"]}),
        ),
    ];
    for (patch, attributes) in cases {
        let (status, body) = api
            .post("api/v2/safeboxes.json", commit_body(&guid, patch.clone()))
            .await;
        assert_eq!(
            (status, &body),
            (StatusCode::BAD_REQUEST, &validation(attributes)),
            "{patch}"
        );
        assert_alive(&api).await;
    }
    // An unknown GUID, and another user's.
    let (status, body) = api
        .post(
            "api/v2/safeboxes.json",
            commit_body(&json!("0123456789abcdef0123456789abcdef"), json!({})),
        )
        .await;
    assert_eq!(
        (status, body),
        (
            StatusCode::BAD_REQUEST,
            validation(json!({"guid": ["is invalid"]}))
        )
    );
    let bob = emu.login("bob", "bob-password").await;
    let (status, body) = bob
        .post(
            "api/v2/safeboxes.json",
            commit_body(&guid, json!({"user_email": "bob@acme.example"})),
        )
        .await;
    assert_eq!(
        (status, body),
        (StatusCode::FORBIDDEN, json!({"message": "Access denied"}))
    );
    // A document uploaded for another SafeBox cannot be attached here.
    let other = initialize(&api).await;
    let foreign = api
        .upload(
            other["upload_url"].as_str().unwrap(),
            "other.txt",
            b"other".to_vec(),
        )
        .await;
    let (status, body) = api
        .post(
            "api/v2/safeboxes.json",
            commit_body(&guid, json!({"document_ids": [foreign]})),
        )
        .await;
    assert_eq!(
        (status, body),
        (
            StatusCode::BAD_REQUEST,
            validation(json!({"document_ids": ["is invalid"]}))
        )
    );

    // None of those refusals used up the GUID: it commits now, once.
    let (status, body) = api
        .post("api/v2/safeboxes.json", commit_body(&guid, json!({})))
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let (status, body) = api
        .post("api/v2/safeboxes.json", commit_body(&guid, json!({})))
        .await;
    assert_eq!(
        (status, body),
        (
            StatusCode::BAD_REQUEST,
            validation(json!({"guid": ["has already been committed"]}))
        )
    );
    let (status, body) = bob
        .post(
            "api/v2/safeboxes.json",
            commit_body(&guid, json!({"user_email": "bob@acme.example"})),
        )
        .await;
    assert_eq!(
        (status, body),
        (StatusCode::FORBIDDEN, json!({"message": "Access denied"}))
    );
    let (_, all) = emu.control(Method::GET, "safeboxes", None).await;
    let committed: Vec<&Value> = all["safeboxes"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["guid"] == guid)
        .collect();
    assert_eq!(committed.len(), 1);
    assert_eq!(api.get("api/v2/safeboxes.json").await.1["count"], json!(1));
    assert_alive(&api).await;
}
