//! The core client against the emulator: login, enterprise settings, security profiles, and
//! creating SafeBoxes step by step and in one call, with their refusals.

mod support;

use sendsecure::{
    get_user_token, Attachment, Client, ClientOptions, ContactMethod, DestinationType, Error,
    Progress, Recipient, Safebox, ServiceCode, TimeUnit, TokenRequest,
};
use sha2::{Digest, Sha256};
use std::sync::{Arc, Mutex};
use support::{Emulator, ACCOUNT, EMAIL, PASSWORD, USER};

fn login_request<'a>(endpoint: &'a str, username: &'a str, password: &'a str) -> TokenRequest<'a> {
    TokenRequest {
        enterprise_account: ACCOUNT,
        username,
        password,
        device_id: "device-1",
        device_name: "tests",
        endpoint: Some(endpoint),
        ..TokenRequest::default()
    }
}

async fn client(emu: &Emulator) -> Client {
    let token = get_user_token(
        &login_request(&emu.url, USER, PASSWORD),
        &ClientOptions::default(),
    )
    .await
    .expect("demo login");
    let options = ClientOptions {
        user_id: Some(token.user_id),
        ..ClientOptions::default()
    };
    Client::new(&token.token, ACCOUNT, Some(&emu.url), options).expect("client")
}

fn safebox_with_recipient() -> Safebox {
    let mut sb = Safebox::new(EMAIL);
    sb.subject = Some("Quarterly report".into());
    sb.message = Some("Please find the report attached.".into());
    let mut r = Recipient::new("guest@example.com");
    r.first_name = Some("Guest".into());
    r.contact_methods.push(ContactMethod {
        destination: "+15145550000".into(),
        destination_type: DestinationType::Cell,
    });
    sb.recipients.push(r);
    sb
}

#[tokio::test]
async fn login_gives_a_stable_token_and_refusals_carry_their_code() {
    let emu = Emulator::demo();
    let options = ClientOptions::default();
    let first = get_user_token(&login_request(&emu.url, USER, PASSWORD), &options)
        .await
        .unwrap();
    let second = get_user_token(&login_request(&emu.url, USER, PASSWORD), &options)
        .await
        .unwrap();
    assert_eq!(first, second);
    assert!(first.token.starts_with("USER|"));
    assert_eq!(first.user_id, 1);
    assert!(
        !format!("{first:?}").contains(&first.token),
        "Debug must not show the token"
    );

    let wrong = get_user_token(&login_request(&emu.url, USER, "nope"), &options)
        .await
        .unwrap_err();
    assert!(
        matches!(
            wrong,
            Error::Service {
                code: ServiceCode::Number(102),
                status: 401,
                ..
            }
        ),
        "{wrong:?}"
    );

    let otp = get_user_token(
        &login_request(&emu.url, "carol", "carol-password"),
        &options,
    )
    .await
    .unwrap_err();
    assert!(
        matches!(
            otp,
            Error::Service {
                code: ServiceCode::Number(106),
                ..
            }
        ),
        "{otp:?}"
    );
    let with_otp = TokenRequest {
        one_time_password: Some("123456"),
        ..login_request(&emu.url, "carol", "carol-password")
    };
    assert_eq!(
        get_user_token(&with_otp, &options).await.unwrap().user_id,
        3
    );

    let unknown = TokenRequest {
        enterprise_account: "nobody",
        ..login_request(&emu.url, USER, PASSWORD)
    };
    let err = get_user_token(&unknown, &options).await.unwrap_err();
    assert_eq!(err.http_status(), Some(404), "{err:?}");

    let no_device = TokenRequest {
        device_id: "",
        ..login_request(&emu.url, USER, PASSWORD)
    };
    assert!(matches!(
        get_user_token(&no_device, &options).await,
        Err(Error::Service {
            code: ServiceCode::Number(104),
            ..
        })
    ));
}

#[tokio::test]
async fn unreachable_portal_is_a_connection_error() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let err = get_user_token(
        &login_request(&url, USER, PASSWORD),
        &ClientOptions::default(),
    )
    .await
    .unwrap_err();
    assert!(matches!(err, Error::Connect(_)), "{err:?}");
}

#[tokio::test]
async fn enterprise_settings_and_security_profiles() {
    let emu = Emulator::demo();
    let c = client(&emu).await;
    let settings = c.get_enterprise_settings().await.unwrap();
    assert_eq!(settings.default_security_profile_id, Some(1));
    let filter = settings.extension_filter.clone().unwrap();
    assert_eq!(filter.mode, "forbid");
    assert!(filter.list.contains(&"exe".to_string()));
    assert_eq!(settings.raw["pdf_language"], "en");

    let profiles = c.get_security_profiles(EMAIL).await.unwrap();
    let ids: Vec<i64> = profiles.iter().map(|p| p.id).collect();
    assert_eq!(ids, vec![1, 10, 20]);
    let email_only = profiles.iter().find(|p| p.id == 10).unwrap();
    assert_eq!(email_only.name, "email-only");
    let setting = email_only.setting("allow_sms").unwrap();
    assert_eq!(
        (setting.value.as_bool(), setting.modifiable),
        (Some(false), false)
    );

    let default = c
        .get_default_security_profile(EMAIL)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(default.id, 1);

    let denied = c
        .get_security_profiles("stranger@example.com")
        .await
        .unwrap_err();
    assert_eq!(denied.http_status(), Some(403));
    assert!(matches!(
        c.get_security_profiles("").await,
        Err(Error::InvalidArgument(_))
    ));

    let other = Client::new(
        "USER|not-a-token",
        ACCOUNT,
        Some(&emu.url),
        ClientOptions::default(),
    )
    .unwrap();
    let err = other.get_enterprise_settings().await.unwrap_err();
    assert_eq!(err.http_status(), Some(403));
    assert!(err.to_string().contains("Access denied"), "{err}");
}

#[tokio::test]
async fn step_by_step_creation_uploads_and_commits() {
    let emu = Emulator::demo();
    let c = client(&emu).await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("report.txt");
    let content: Vec<u8> = (0..700_000u32).map(|i| (i % 251) as u8).collect();
    std::fs::write(&path, &content).unwrap();

    let mut sb = safebox_with_recipient();
    sb.security_profile_id = Some(1);
    sb.security_options.expiration_value = Some(3);
    sb.security_options.expiration_unit = Some(TimeUnit::Days);
    sb.attachments
        .push(Attachment::from_path(&path, None, None).unwrap());
    sb.attachments
        .push(Attachment::from_bytes(b"hello".to_vec(), "hello.txt", Some("text/plain")).unwrap());

    assert!(matches!(
        c.upload_attachments(&mut sb, None).await,
        Err(Error::InvalidState(_))
    ));
    assert!(
        matches!(c.commit_safebox(&sb).await, Err(Error::InvalidArgument(m)) if m == "SafeBox GUID cannot be null")
    );

    c.initialize_safebox(&mut sb).await.unwrap();
    let guid = sb.guid.clone().unwrap();
    assert_eq!(guid.len(), 32);
    assert!(matches!(
        c.initialize_safebox(&mut sb).await,
        Err(Error::InvalidState(_))
    ));
    c.upload_attachments(&mut sb, None).await.unwrap();
    assert!(sb.attachments.iter().all(|a| a.guid.is_some()));
    let response = c.commit_safebox(&sb).await.unwrap();
    assert_eq!(response.guid, guid);
    assert!(response.preview_url.contains(&guid));
    assert_eq!(response.raw["status"], "in_progress");

    let state = emu.control("GET", &format!("safeboxes/{guid}"), None).await;
    let docs = state["documents"].as_array().unwrap();
    assert_eq!(docs.len(), 2);
    assert_eq!(docs[0]["sha256"], hex::encode(Sha256::digest(&content)));
    assert_eq!(docs[0]["size"], content.len());
    assert_eq!(docs[1]["name"], "hello.txt");

    let again = c.commit_safebox(&sb).await.unwrap_err();
    assert_eq!(
        again.http_status(),
        Some(400),
        "committing twice is refused: {again:?}"
    );
}

#[tokio::test]
async fn submit_uses_the_default_profile_and_reports_progress() {
    let emu = Emulator::demo();
    let c = client(&emu).await;
    let mut sb = safebox_with_recipient();
    let first: Vec<u8> = vec![7u8; 600 * 1024];
    let second: Vec<u8> = vec![9u8; 10];
    sb.attachments
        .push(Attachment::from_bytes(first.clone(), "a.dat", None).unwrap());
    let reader = std::io::Cursor::new(second.clone());
    sb.attachments
        .push(Attachment::from_reader(Box::new(reader), 10, "b.dat", None).unwrap());
    let reports: Arc<Mutex<Vec<Progress>>> = Arc::default();
    let sink = reports.clone();
    let response = c
        .submit_safebox(
            &mut sb,
            Some(Arc::new(move |p| sink.lock().unwrap().push(p))),
        )
        .await
        .unwrap();
    assert_eq!(
        sb.security_profile_id,
        Some(1),
        "the enterprise default was chosen"
    );
    let reports = reports.lock().unwrap().clone();
    let total = (first.len() + second.len()) as u64;
    assert!(reports
        .iter()
        .all(|p| p.bytes_total == total && p.attachment_count == 2));
    assert!(
        reports
            .windows(2)
            .all(|w| w[0].bytes_sent <= w[1].bytes_sent),
        "monotonic"
    );
    let last = reports.last().unwrap();
    assert_eq!(
        (
            last.attachment_index,
            last.bytes_sent,
            last.attachment_bytes_sent
        ),
        (1, total, 10)
    );
    assert!(reports
        .iter()
        .any(|p| p.attachment_index == 0 && p.attachment_bytes_sent == first.len() as u64));
    let state = emu
        .control("GET", &format!("safeboxes/{}", response.guid), None)
        .await;
    assert_eq!(
        state["documents"][1]["sha256"],
        hex::encode(Sha256::digest(&second))
    );
}

#[tokio::test]
async fn refusals_are_reported_with_the_server_message() {
    let emu = Emulator::demo();
    let c = client(&emu).await;

    let mut none = Safebox::new(EMAIL);
    none.message = Some("x".into());
    assert!(
        matches!(c.submit_safebox(&mut none, None).await, Err(Error::InvalidArgument(m)) if m == "Participants cannot be empty")
    );

    let mut forbidden = safebox_with_recipient();
    forbidden
        .attachments
        .push(Attachment::from_bytes(b"MZ".to_vec(), "setup.exe", None).unwrap());
    let err = c.submit_safebox(&mut forbidden, None).await.unwrap_err();
    assert_eq!(err.http_status(), Some(400));
    assert!(err.to_string().contains("file"), "{err}");

    let mut locked = safebox_with_recipient();
    locked.security_profile_id = Some(10);
    locked.security_options.reply_enabled = Some(false);
    let err = c.submit_safebox(&mut locked, None).await.unwrap_err();
    assert!(err.to_string().contains("reply_enabled"), "{err}");
    assert!(err.body().unwrap().contains("cannot be modified"));

    let mut not_mine = Safebox::new("bob@acme.example");
    not_mine.recipients.push(Recipient::new("x@example.com"));
    not_mine.message = Some("hi".into());
    let err = c.submit_safebox(&mut not_mine, None).await.unwrap_err();
    assert_eq!(err.http_status(), Some(403));

    let mut short = safebox_with_recipient();
    let reader = std::io::Cursor::new(vec![1u8; 5]);
    short
        .attachments
        .push(Attachment::from_reader(Box::new(reader), 50, "short.dat", None).unwrap());
    let err = c.submit_safebox(&mut short, None).await.unwrap_err();
    assert!(
        matches!(err, Error::Connect(_) | Error::Io { .. }),
        "{err:?}"
    );
}

#[tokio::test]
async fn parallel_uploads_report_one_coherent_progress() {
    let emu = Emulator::demo();
    let token = get_user_token(
        &login_request(&emu.url, USER, PASSWORD),
        &ClientOptions::default(),
    )
    .await
    .unwrap();
    for concurrency in [1, 4] {
        let options = ClientOptions {
            upload_concurrency: concurrency,
            ..ClientOptions::default()
        };
        let c = Client::new(&token.token, ACCOUNT, Some(&emu.url), options).unwrap();
        let mut sb = safebox_with_recipient();
        let files: Vec<Vec<u8>> = (0..8u8)
            .map(|i| vec![i; 300_000 + usize::from(i) * 4096])
            .collect();
        for (i, f) in files.iter().enumerate() {
            sb.attachments
                .push(Attachment::from_bytes(f.clone(), &format!("part{i}.dat"), None).unwrap());
        }
        let reports: Arc<Mutex<Vec<Progress>>> = Arc::default();
        let sink = reports.clone();
        let response = c
            .submit_safebox(
                &mut sb,
                Some(Arc::new(move |p| sink.lock().unwrap().push(p))),
            )
            .await
            .unwrap();
        let reports = reports.lock().unwrap().clone();
        let total: u64 = files.iter().map(|f| f.len() as u64).sum();
        assert!(
            reports
                .windows(2)
                .all(|w| w[0].bytes_sent <= w[1].bytes_sent),
            "overall bytes never go back"
        );
        assert_eq!(reports.last().unwrap().bytes_sent, total);
        for (i, file) in files.iter().enumerate() {
            let last = reports
                .iter()
                .filter(|p| p.attachment_index == i)
                .map(|p| p.attachment_bytes_sent)
                .max();
            assert_eq!(
                last,
                Some(file.len() as u64),
                "attachment {i} reported complete"
            );
        }
        let state = emu
            .control("GET", &format!("safeboxes/{}", response.guid), None)
            .await;
        let stored: Vec<String> = state["documents"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["sha256"].as_str().unwrap().to_string())
            .collect();
        let expected: Vec<String> = files
            .iter()
            .map(|f| hex::encode(Sha256::digest(f)))
            .collect();
        assert_eq!(
            stored, expected,
            "every attachment stored once, in the SafeBox's order (concurrency {concurrency})"
        );
    }
}
