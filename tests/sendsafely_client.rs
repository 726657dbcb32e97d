//! The SendSafely client against the emulator: signed requests accepted, refusals reported
//! with their code, HTTP status and body, the secret never in an error.

mod support;

use sendsecure::sendsafely::client::{Client, ClientOptions};
use sendsecure::{Error, ServiceCode};
use support::Emulator;

fn client(emu: &Emulator, key: &str, secret: &str) -> Client {
    Client::new(&emu.url, key, secret, ClientOptions::default()).unwrap()
}

#[tokio::test]
async fn signed_requests_read_the_user() {
    let emu = Emulator::sendsafely();
    let demo = client(&emu, "demo-api-key", "demo-api-secret");
    let user = demo.user_information().await.unwrap();
    assert_eq!(user.email, "demo@acme.example");
    assert!(!user.id.is_empty());
    assert_eq!(
        demo.verify_credentials().await.unwrap(),
        "demo@acme.example"
    );
    // A host with a trailing slash is the same origin.
    let slash = Client::new(
        &format!("{}/", emu.url),
        "bob-api-key",
        "bob-api-secret",
        ClientOptions::default(),
    )
    .unwrap();
    assert_eq!(
        slash.user_information().await.unwrap().email,
        "bob@acme.example"
    );
}

#[tokio::test]
async fn a_wrong_secret_is_a_refusal_of_the_credentials_without_the_secret() {
    let emu = Emulator::sendsafely();
    let wrong = client(&emu, "demo-api-key", "not-the-secret-3141");
    match wrong.user_information().await {
        Err(e @ Error::Service { .. }) => {
            let Error::Service {
                ref code,
                credentials,
                status,
                ref body,
                ..
            } = e
            else {
                unreachable!()
            };
            assert_eq!(*code, ServiceCode::Name("AUTHENTICATION_FAILED".into()));
            assert!(credentials);
            assert_eq!(status, 200);
            assert!(body.contains("AUTHENTICATION_FAILED"), "{body}");
            assert!(!format!("{e} {e:?}").contains("not-the-secret-3141"));
        }
        other => panic!("expected a refusal, got {other:?}"),
    }
    let unknown = client(&emu, "nobody-key", "demo-api-secret");
    assert!(matches!(
        unknown.user_information().await,
        Err(Error::Service {
            credentials: true,
            ..
        })
    ));
}

#[test]
fn hosts_with_a_path_and_empty_credentials_are_refused_before_sending() {
    let new = |host: &str, key: &str, secret: &str| {
        Client::new(host, key, secret, ClientOptions::default())
    };
    assert!(matches!(
        new("https://acme.example/app", "k", "s"),
        Err(Error::InvalidArgument(_))
    ));
    assert!(matches!(
        new("https://acme.example", "", "s"),
        Err(Error::InvalidArgument(_))
    ));
    assert!(matches!(
        new("https://acme.example", "k", ""),
        Err(Error::InvalidArgument(_))
    ));
    assert!(matches!(
        new("not a url", "k", "s"),
        Err(Error::InvalidArgument(_))
    ));
    assert!(matches!(
        new("http://acme.example", "k", "s"),
        Err(Error::InvalidArgument(_))
    ));
    assert!(new("https://acme.example/", "k", "s").is_ok());
}

/// A fault rule answering the next `method` request of `route` with `status`.
async fn answer_next_with(emu: &Emulator, method: &str, route: &str, status: u16) {
    emu.control(
        "POST",
        "faults",
        Some(serde_json::json!({
            "match": {"method": method, "route": route},
            "times": 1,
            "action": {"status": status, "body": "try later"},
        })),
    )
    .await;
}

#[tokio::test]
async fn reads_are_retried_after_408_and_500_creations_are_not() {
    let emu = Emulator::sendsafely();
    let options = ClientOptions {
        transport: sendsecure::TransportOptions {
            retry_base_delay: std::time::Duration::from_millis(10),
            ..Default::default()
        },
        ..ClientOptions::default()
    };
    let demo = Client::new(&emu.url, "demo-api-key", "demo-api-secret", options).unwrap();
    for status in [408, 500] {
        answer_next_with(&emu, "GET", "S1", status).await;
        let user = demo.user_information().await.unwrap();
        assert_eq!(user.email, "demo@acme.example", "after a {status}");
    }
    // Sending a creation again could make two packages: a 500 is reported.
    answer_next_with(&emu, "PUT", "S5", 500).await;
    match demo.create_package().await {
        Err(Error::Http { status: 500, .. }) => {}
        other => panic!("expected the 500, got {other:?}"),
    }
    let faults = emu.control("GET", "faults", None).await;
    // Every rule fired (a rule of one use is gone once used).
    assert_eq!(
        faults["faults"].as_array().map(Vec::len),
        Some(0),
        "{faults}"
    );
}
