//! Security of the transport and of the secrets, over real HTTP and TLS on loopback: mutual TLS
//! and certificate checks against the in-process emulator, TLS versions (a TLS 1.2-only
//! emulator, and a hand-made server that tries TLS 1.1), the plain-http policy, redirects (only
//! same-origin ones are followed; a second listener proves the token never leaves), the token
//! kept off capability URLs, secrets kept out of errors and `Debug`, ids and terms that stay
//! percent-encoded in their path segment or query value (checked against the request targets
//! the emulator recorded), and capped error bodies.

mod support;

use rcgen::{
    BasicConstraints, Certificate, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa,
    KeyPair, KeyUsagePurpose,
};
use sendsecure::{
    get_user_token, Attachment, Client, ClientOptions, DownloadSink, Error, Recipient, Safebox,
    TokenRequest, TransportOptions,
};
use sendsecure_emulator::ServerOptions;
use serde_json::{json, Value};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use support::{Emulator, ACCOUNT, EMAIL, PASSWORD, USER};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

// ------------------------------------------------------------------------------------------
// Certificates

/// A certificate authority: its certificate and key.
struct Ca {
    cert: Certificate,
    key: KeyPair,
}

impl Ca {
    fn new(name: &str) -> Ca {
        let mut params = CertificateParams::new(Vec::<String>::new()).expect("CA params");
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.distinguished_name.push(DnType::CommonName, name);
        params.key_usages = vec![
            KeyUsagePurpose::KeyCertSign,
            KeyUsagePurpose::CrlSign,
            KeyUsagePurpose::DigitalSignature,
        ];
        let key = KeyPair::generate().expect("CA key");
        let cert = params.self_signed(&key).expect("CA certificate");
        Ca { cert, key }
    }

    /// A certificate for `names` signed by this CA, for `usage`: (certificate PEM, key PEM).
    fn issue(&self, names: &[&str], usage: ExtendedKeyUsagePurpose) -> (String, String) {
        let names: Vec<String> = names.iter().map(|s| s.to_string()).collect();
        let mut params = CertificateParams::new(names.clone()).expect("params");
        params
            .distinguished_name
            .push(DnType::CommonName, &names[0]);
        params.extended_key_usages = vec![usage];
        let key = KeyPair::generate().expect("key");
        let cert = params
            .signed_by(&key, &self.cert, &self.key)
            .expect("certificate");
        (cert.pem(), key.serialize_pem())
    }

    fn write(&self, dir: &Path, name: &str) -> PathBuf {
        write(dir, name, &self.cert.pem())
    }
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).expect("write PEM");
    path
}

/// The files of a mutual-TLS setup: the server's CA and the clients' CA, the server's
/// certificate (for 127.0.0.1) and a client certificate signed by the clients' CA.
struct Pki {
    dir: tempfile::TempDir,
    server_ca: PathBuf,
    server_cert: PathBuf,
    server_key: PathBuf,
    client_ca: PathBuf,
    client_cert: PathBuf,
    client_key: PathBuf,
    /// The client certificate and key in one file.
    client_both: PathBuf,
    /// A client certificate signed by a CA the server does not trust.
    rogue_cert: PathBuf,
    rogue_key: PathBuf,
    /// A CA that signed nothing here.
    other_ca: PathBuf,
}

impl Pki {
    fn new() -> Pki {
        let dir = tempfile::tempdir().expect("temp dir");
        let d = dir.path();
        let server_ca = Ca::new("libsendsecure test server CA");
        let client_ca = Ca::new("libsendsecure test client CA");
        let rogue_ca = Ca::new("rogue CA");
        let (server_cert, server_key) =
            server_ca.issue(&["127.0.0.1"], ExtendedKeyUsagePurpose::ServerAuth);
        let (client_cert, client_key) =
            client_ca.issue(&["client.example"], ExtendedKeyUsagePurpose::ClientAuth);
        let (rogue_cert, rogue_key) =
            rogue_ca.issue(&["rogue.example"], ExtendedKeyUsagePurpose::ClientAuth);
        Pki {
            server_ca: server_ca.write(d, "server-ca.pem"),
            server_cert: write(d, "server.pem", &server_cert),
            server_key: write(d, "server-key.pem", &server_key),
            client_ca: client_ca.write(d, "client-ca.pem"),
            client_cert: write(d, "client.pem", &client_cert),
            client_key: write(d, "client-key.pem", &client_key),
            client_both: write(d, "client-both.pem", &format!("{client_cert}{client_key}")),
            rogue_cert: write(d, "rogue.pem", &rogue_cert),
            rogue_key: write(d, "rogue-key.pem", &rogue_key),
            other_ca: Ca::new("unrelated CA").write(d, "other-ca.pem"),
            dir,
        }
    }

    /// An HTTPS emulator with this PKI's server certificate; with `mutual`, it requires client
    /// certificates signed by the clients' CA.
    fn emulator(&self, mutual: bool, tls12_only: bool) -> Emulator {
        let mut options = ServerOptions::local_demo();
        options.core.tls = Some((self.server_cert.clone(), self.server_key.clone()));
        options.core.tls_client_ca = mutual.then(|| self.client_ca.clone());
        options.core.tls12_only = tls12_only;
        let emu = Emulator::with_options(options);
        assert!(emu.url.starts_with("https://127.0.0.1:"), "{}", emu.url);
        emu
    }

    /// A client of the emulator's control API that trusts the server and presents the client
    /// certificate.
    fn control(&self) -> reqwest::Client {
        let ca = std::fs::read(&self.server_ca).expect("server CA");
        let identity = std::fs::read(&self.client_both).expect("client identity");
        reqwest::Client::builder()
            .add_root_certificate(reqwest::Certificate::from_pem(&ca).expect("CA PEM"))
            .identity(reqwest::Identity::from_pem(&identity).expect("identity PEM"))
            .build()
            .expect("control client")
    }

    /// Options trusting the server's CA and presenting the client certificate.
    fn options(&self) -> ClientOptions {
        ClientOptions {
            transport: TransportOptions {
                ca_file: Some(self.server_ca.clone()),
                client_cert_file: Some(self.client_cert.clone()),
                client_key_file: Some(self.client_key.clone()),
                ..TransportOptions::default()
            },
            ..ClientOptions::default()
        }
    }
}

// ------------------------------------------------------------------------------------------
// Helpers

fn login_request(endpoint: &str) -> TokenRequest<'_> {
    TokenRequest {
        enterprise_account: ACCOUNT,
        username: USER,
        password: PASSWORD,
        device_id: "security-tests",
        device_name: "security tests",
        endpoint: Some(endpoint),
        ..TokenRequest::default()
    }
}

/// A logged-in client of a plain-HTTP emulator, and its token.
async fn logged_in(emu: &Emulator) -> (Client, String) {
    let token = get_user_token(&login_request(&emu.url), &ClientOptions::default())
        .await
        .expect("login");
    let client = Client::new(
        &token.token,
        ACCOUNT,
        Some(&emu.url),
        ClientOptions {
            user_id: Some(token.user_id),
            ..ClientOptions::default()
        },
    )
    .expect("client");
    (client, token.token.clone())
}

/// The requests the emulator recorded, through `control` (any client that can reach it).
async fn recorded(control: &reqwest::Client, emu: &Emulator) -> Vec<Value> {
    let log: Value = control
        .get(format!("{}/_emulator/requests", emu.url))
        .send()
        .await
        .expect("request log")
        .json()
        .await
        .expect("request log JSON");
    log["requests"].as_array().expect("requests").clone()
}

async fn clear_recorded(emu: &Emulator) {
    emu.control("DELETE", "requests", None).await;
}

async fn add_fault(emu: &Emulator, rule: Value) {
    let answer = emu.control("POST", "faults", Some(rule.clone())).await;
    assert_eq!(answer["result"], true, "fault {rule} refused: {answer}");
}

/// The error of the enterprise settings once the emulator answers them `status` with `body`.
async fn settings_failing_with(emu: &Emulator, client: &Client, status: u16, body: &str) -> Error {
    add_fault(
        emu,
        json!({"kind": "respond", "path": SETTINGS, "status": status, "body_text": body}),
    )
    .await;
    client.get_enterprise_settings().await.unwrap_err()
}

/// The error of a login with `password` once the emulator answers it `answer` (a `respond`
/// rule's status and body).
async fn login_failing_with(emu: &Emulator, answer: Value, password: &str) -> Error {
    let mut rule = answer;
    rule["kind"] = json!("respond");
    rule["path"] = json!("/api/user_token");
    add_fault(emu, rule).await;
    let request = TokenRequest {
        password,
        ..login_request(&emu.url)
    };
    get_user_token(&request, &ClientOptions::default())
        .await
        .unwrap_err()
}

fn targets(requests: &[Value]) -> Vec<String> {
    requests
        .iter()
        .map(|r| r["target"].as_str().expect("target").to_string())
        .collect()
}

/// Every way an error can be shown.
fn shown(e: &Error) -> String {
    format!("{e} | {e:?} | {}", e.body().unwrap_or_default())
}

/// A TCP listener that records everything it receives and answers `200 {}` to each request:
/// a stand-in for "another host" that must never see the token.
struct Recorder {
    url: String,
    connections: Arc<AtomicUsize>,
    received: Arc<Mutex<Vec<u8>>>,
}

impl Recorder {
    async fn start() -> Recorder {
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let url = format!("http://{}", listener.local_addr().expect("address"));
        let connections = Arc::new(AtomicUsize::new(0));
        let received = Arc::new(Mutex::new(Vec::new()));
        let (count, log) = (connections.clone(), received.clone());
        tokio::spawn(async move {
            while let Ok((mut tcp, _)) = listener.accept().await {
                count.fetch_add(1, Ordering::SeqCst);
                let log = log.clone();
                tokio::spawn(async move {
                    let mut buf = vec![0u8; 64 << 10];
                    let mut seen = Vec::new();
                    while !seen.windows(4).any(|w| w == b"\r\n\r\n") {
                        match tokio::time::timeout(Duration::from_secs(5), tcp.read(&mut buf)).await
                        {
                            Ok(Ok(n)) if n > 0 => seen.extend_from_slice(&buf[..n]),
                            _ => break,
                        }
                    }
                    log.lock().unwrap().extend_from_slice(&seen);
                    let _ = tcp
                        .write_all(
                            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n\
                              Content-Length: 2\r\nConnection: close\r\n\r\n{}",
                        )
                        .await;
                });
            }
        });
        Recorder {
            url,
            connections,
            received,
        }
    }

    fn connections(&self) -> usize {
        self.connections.load(Ordering::SeqCst)
    }

    fn received(&self) -> String {
        String::from_utf8_lossy(&self.received.lock().unwrap()).into_owned()
    }
}

// ------------------------------------------------------------------------------------------
// TLS

#[tokio::test]
async fn mutual_tls_with_a_client_certificate_works() {
    let pki = Pki::new();
    let emu = pki.emulator(true, false);
    // Login and API calls, with the key in its own file.
    let token = get_user_token(&login_request(&emu.url), &pki.options())
        .await
        .expect("login with a client certificate");
    let client = Client::new(&token.token, ACCOUNT, Some(&emu.url), pki.options())
        .expect("client with a client certificate");
    let settings = client
        .get_enterprise_settings()
        .await
        .expect("settings over mutual TLS");
    assert_eq!(settings.default_security_profile_id, Some(1));

    // The certificate and its key in one file.
    let both = ClientOptions {
        transport: TransportOptions {
            ca_file: Some(pki.server_ca.clone()),
            client_cert_file: Some(pki.client_both.clone()),
            ..TransportOptions::default()
        },
        ..ClientOptions::default()
    };
    let client = Client::new(&token.token, ACCOUNT, Some(&emu.url), both).expect("client");
    client
        .get_enterprise_settings()
        .await
        .expect("settings with certificate and key in one file");

    let requests = recorded(&pki.control(), &emu).await;
    assert!(requests.len() >= 4, "{requests:?}");
    for r in &requests {
        assert_eq!(r["client_certificate"], true, "{r}");
        assert_eq!(r["tls_version"], "TLSv1_3", "TLS 1.3 is preferred: {r}");
    }
}

/// Checks an error of a client the server refused for its certificate (see the caller): a TLS
/// error naming the client certificate, never retried, or a connection error; 1 for the former.
fn refused_client(name: &str, e: &Error) -> u32 {
    match e {
        Error::Tls(m) => {
            assert!(m.contains("client certificate"), "{name}: {m}");
            // Not retried: the message does not count attempts.
            assert!(!m.contains("attempts"), "{name}: {m}");
            1
        }
        Error::Connect(_) => 0,
        other => panic!("{name}: {other:?}"),
    }
}

#[tokio::test]
async fn mutual_tls_refuses_clients_without_a_certificate_of_the_trusted_ca() {
    let pki = Pki::new();
    let emu = pki.emulator(true, false);
    let without = ClientOptions {
        transport: TransportOptions {
            ca_file: Some(pki.server_ca.clone()),
            ..TransportOptions::default()
        },
        ..ClientOptions::default()
    };
    let rogue = ClientOptions {
        transport: TransportOptions {
            client_cert_file: Some(pki.rogue_cert.clone()),
            client_key_file: Some(pki.rogue_key.clone()),
            ..without.transport.clone()
        },
        ..without.clone()
    };
    // With TLS 1.3 the server refuses the client after the handshake; the library reads the
    // refusal back with a probe handshake (`Error::Tls`), unless the server closed before its
    // alert could be read (`Error::Connect`, seen now and then on a loaded machine). Most of the
    // refusals must be read back.
    let mut read_back = 0;
    for (name, options) in [("no certificate", without), ("another CA's", rogue)] {
        let e = get_user_token(&login_request(&emu.url), &options)
            .await
            .expect_err(name);
        read_back += refused_client(name, &e);
        let client = Client::new("USER|x", ACCOUNT, Some(&emu.url), options).expect("client");
        let e = client.get_enterprise_settings().await.expect_err(name);
        read_back += refused_client(name, &e);
        println!("{name}: {e}");
    }
    assert!(
        read_back >= 2,
        "only {read_back} of 4 refusals were read back as TLS errors"
    );
    // None of them got a request through.
    assert!(recorded(&pki.control(), &emu).await.is_empty());
}

#[tokio::test]
async fn a_server_certificate_from_an_untrusted_ca_is_refused() {
    let pki = Pki::new();
    let emu = pki.emulator(false, false);
    for (name, ca_file) in [
        ("the built-in roots only", None),
        ("another CA", Some(pki.other_ca.clone())),
    ] {
        let options = ClientOptions {
            transport: TransportOptions {
                ca_file,
                ..TransportOptions::default()
            },
            ..ClientOptions::default()
        };
        let client = Client::new("USER|x", ACCOUNT, Some(&emu.url), options.clone()).unwrap();
        let e = client.get_enterprise_settings().await.expect_err(name);
        match &e {
            Error::Tls(m) => assert!(
                m.contains("not signed by a trusted authority") && m.contains("UnknownIssuer"),
                "{name}: {m}"
            ),
            other => panic!("{name}: {other:?}"),
        }
        assert!(!e.to_string().contains("attempts"), "not retried: {e}");
        let e = get_user_token(&login_request(&emu.url), &options)
            .await
            .expect_err(name);
        assert!(matches!(e, Error::Tls(_)), "{name}: {e:?}");
    }
    // Trusting the right CA works.
    let client = Client::new(
        "USER|x",
        ACCOUNT,
        Some(&emu.url),
        ClientOptions {
            transport: TransportOptions {
                ca_file: Some(pki.server_ca.clone()),
                ..TransportOptions::default()
            },
            ..ClientOptions::default()
        },
    )
    .unwrap();
    let e = client.get_enterprise_settings().await.unwrap_err();
    assert_eq!(e.http_status(), Some(403), "TLS works, the token does not");
}

#[tokio::test]
async fn client_certificate_options_are_checked_when_the_client_is_made() {
    let pki = Pki::new();
    let d = pki.dir.path();
    let base = ClientOptions {
        transport: TransportOptions {
            ca_file: Some(pki.server_ca.clone()),
            ..TransportOptions::default()
        },
        ..ClientOptions::default()
    };
    let with = |cert: Option<&Path>, key: Option<&Path>| ClientOptions {
        transport: TransportOptions {
            client_cert_file: cert.map(Path::to_path_buf),
            client_key_file: key.map(Path::to_path_buf),
            ..base.transport.clone()
        },
        ..base.clone()
    };
    let new = |options: ClientOptions| {
        Client::new("USER|x", ACCOUNT, Some("https://127.0.0.1:1"), options).map(drop)
    };
    let missing = d.join("missing.pem");
    let not_pem = write(d, "not.pem", "hello");
    let key_only = pki.client_key.clone();

    // Missing files: SS_ERR_IO's error, naming the file.
    for options in [
        with(Some(&missing), None),
        with(Some(&pki.client_cert), Some(&missing)),
    ] {
        match new(options) {
            Err(Error::Io { path, .. }) => assert!(path.ends_with("missing.pem"), "{path}"),
            other => panic!("{other:?}"),
        }
    }
    // Files without what they should hold, a key without its certificate, a key that does not
    // belong to the certificate.
    let cases: Vec<(ClientOptions, &str)> = vec![
        (with(Some(&not_pem), Some(&key_only)), "no PEM certificate"),
        (with(Some(&key_only), Some(&key_only)), "no PEM certificate"),
        (
            with(Some(&pki.client_cert), None),
            "no unencrypted PEM private key",
        ),
        (
            with(Some(&pki.client_cert), Some(&not_pem)),
            "no unencrypted PEM private key",
        ),
        (
            with(None, Some(&key_only)),
            "without its client certificate",
        ),
        (with(Some(&pki.client_cert), Some(&pki.rogue_key)), ""),
    ];
    for (options, needle) in cases {
        let described = format!("{options:?}");
        match new(options.clone()) {
            Err(Error::InvalidArgument(m)) => {
                assert!(m.contains(needle), "{described}: {m}");
                // The key's bytes never show in a message.
                assert!(!m.contains("PRIVATE KEY-----\n"), "{m}");
            }
            other => panic!("{described}: {other:?}"),
        }
        // The login checks its options the same way.
        let e = get_user_token(&login_request("https://127.0.0.1:1"), &options)
            .await
            .unwrap_err();
        assert!(matches!(e, Error::InvalidArgument(_)), "{e:?}");
    }
    // A CA file that is not PEM, and one that is missing.
    let e = new(ClientOptions {
        transport: TransportOptions {
            ca_file: Some(not_pem.clone()),
            ..TransportOptions::default()
        },
        ..ClientOptions::default()
    });
    assert!(
        matches!(&e, Err(Error::InvalidArgument(m)) if m.contains("no PEM certificate")),
        "{e:?}"
    );
    let e = new(ClientOptions {
        transport: TransportOptions {
            ca_file: Some(missing.clone()),
            ..TransportOptions::default()
        },
        ..ClientOptions::default()
    });
    assert!(matches!(e, Err(Error::Io { .. })), "{e:?}");
}

#[tokio::test]
async fn a_tls_1_2_only_server_works() {
    let pki = Pki::new();
    let emu = pki.emulator(false, true);
    let options = ClientOptions {
        transport: TransportOptions {
            ca_file: Some(pki.server_ca.clone()),
            ..TransportOptions::default()
        },
        ..ClientOptions::default()
    };
    let token = get_user_token(&login_request(&emu.url), &options)
        .await
        .expect("login over TLS 1.2");
    let client = Client::new(&token.token, ACCOUNT, Some(&emu.url), options).unwrap();
    client
        .get_enterprise_settings()
        .await
        .expect("settings over TLS 1.2");
    let ca = std::fs::read(&pki.server_ca).unwrap();
    let control = reqwest::Client::builder()
        .add_root_certificate(reqwest::Certificate::from_pem(&ca).unwrap())
        .build()
        .unwrap();
    let requests = recorded(&control, &emu).await;
    assert!(requests.len() >= 4, "{requests:?}");
    for r in &requests {
        assert_eq!(r["tls_version"], "TLSv1_2", "{r}");
        assert_eq!(r["client_certificate"], false, "{r}");
    }
}

/// Reads one TLS record (header and body), or `None` when the peer closed first.
async fn read_record(tcp: &mut tokio::net::TcpStream) -> Option<Vec<u8>> {
    let mut header = [0u8; 5];
    tokio::time::timeout(Duration::from_secs(10), tcp.read_exact(&mut header))
        .await
        .ok()?
        .ok()?;
    let len = usize::from(u16::from_be_bytes([header[3], header[4]]));
    let mut record = header.to_vec();
    record.resize(5 + len, 0);
    tokio::time::timeout(Duration::from_secs(10), tcp.read_exact(&mut record[5..]))
        .await
        .ok()?
        .ok()?;
    Some(record)
}

/// The TLS versions a ClientHello record offers: its `supported_versions` extension, else its
/// legacy version.
fn offered_versions(record: &[u8]) -> (u16, Vec<u16>) {
    let u16_at = |b: &[u8], i: usize| u16::from_be_bytes([b[i], b[i + 1]]);
    assert_eq!(record[0], 0x16, "a handshake record");
    let handshake = &record[5..];
    assert_eq!(handshake[0], 1, "a ClientHello");
    let body = &handshake[4..];
    let legacy = u16_at(body, 0);
    let mut i = 2 + 32;
    i += 1 + usize::from(body[i]); // session id
    i += 2 + usize::from(u16_at(body, i)); // cipher suites
    i += 1 + usize::from(body[i]); // compression methods
    let end = i + 2 + usize::from(u16_at(body, i));
    i += 2;
    while i + 4 <= end {
        let (kind, len) = (u16_at(body, i), usize::from(u16_at(body, i + 2)));
        let data = &body[i + 4..i + 4 + len];
        if kind == 0x002b {
            let n = usize::from(data[0]);
            return (
                legacy,
                data[1..1 + n].chunks(2).map(|v| u16_at(v, 0)).collect(),
            );
        }
        i += 4 + len;
    }
    (legacy, vec![legacy])
}

/// TLS 1.0 and 1.1 cannot happen: rustls implements only TLS 1.2 and 1.3 (and the client sets
/// 1.2 as its minimum). A hand-made server checks what the client offers, then answers with a
/// TLS 1.1 ServerHello, which the client refuses with a `protocol_version` alert.
#[tokio::test]
async fn tls_before_1_2_is_neither_offered_nor_accepted() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    tokio::spawn(async move {
        // Every connection (a retrying client makes several) gets the same treatment.
        while let Ok((mut tcp, _)) = listener.accept().await {
            let tx = tx.clone();
            tokio::spawn(async move {
                let Some(hello) = read_record(&mut tcp).await else {
                    return;
                };
                let mut server_hello = vec![0x02, 0, 0, 38, 0x03, 0x02];
                server_hello.extend_from_slice(&[0x42; 32]); // random
                server_hello.extend_from_slice(&[0x00]); // no session id
                server_hello.extend_from_slice(&[0x00, 0x2f]); // TLS_RSA_WITH_AES_128_CBC_SHA
                server_hello.extend_from_slice(&[0x00]); // no compression
                let mut record = vec![0x16, 0x03, 0x02, 0, server_hello.len() as u8];
                record.extend_from_slice(&server_hello);
                let _ = tcp.write_all(&record).await;
                let alert = read_record(&mut tcp).await;
                let _ = tx.send((hello, alert));
            });
        }
    });
    let url = format!("https://127.0.0.1:{port}");
    let client = Client::new("USER|x", ACCOUNT, Some(&url), ClientOptions::default()).unwrap();
    let e = client.get_enterprise_settings().await.unwrap_err();
    match &e {
        Error::Tls(m) => assert!(
            m.contains("ServerDoesNotSupportTls12Or13") || m.contains("incompatible"),
            "{m}"
        ),
        other => panic!("{other:?}"),
    }
    let (hello, alert) = rx.recv().await.expect("the server saw a ClientHello");
    let (legacy, mut versions) = offered_versions(&hello);
    assert_eq!(legacy, 0x0303, "the legacy version field says TLS 1.2");
    versions.sort_unstable();
    assert_eq!(
        versions,
        vec![0x0303, 0x0304],
        "only TLS 1.2 and 1.3 offered"
    );
    let alert = alert.expect("the client answered with an alert");
    assert_eq!(alert[0], 0x15, "an alert record: {alert:?}");
    assert_eq!(&alert[5..], &[2, 70], "fatal protocol_version: {alert:?}");
}

/// A connection closed by an https server that accepted the handshake (and the client
/// certificate) is a connection failure, retried as usual: the check for a TLS refusal (one
/// more handshake, see src/transport/tls_probe.rs) finds none.
#[tokio::test]
async fn a_connection_dropped_over_https_is_not_a_tls_failure() {
    let pki = Pki::new();
    let emu = pki.emulator(true, false);
    let token = get_user_token(&login_request(&emu.url), &pki.options())
        .await
        .expect("login");
    let options = ClientOptions {
        transport: TransportOptions {
            retry_base_delay: Duration::from_millis(10),
            ..pki.options().transport
        },
        ..pki.options()
    };
    let client = Client::new(&token.token, ACCOUNT, Some(&emu.url), options).unwrap();
    client.get_enterprise_settings().await.expect("settings");
    let control = pki.control();
    let add = |rule: Value| {
        let control = control.clone();
        let url = format!("{}/_emulator/faults", emu.url);
        async move {
            let answer: Value = control
                .post(url)
                .json(&rule)
                .send()
                .await
                .unwrap()
                .json()
                .await
                .unwrap();
            assert_eq!(answer["result"], true, "{answer}");
        }
    };
    // Dropped twice, then answered: the retries get through.
    add(json!({"kind": "drop_connection", "path": "/api/v2/enterprises", "count": 2})).await;
    let started = std::time::Instant::now();
    client
        .get_enterprise_settings()
        .await
        .expect("settings after two dropped connections");
    println!(
        "two dropped connections, checked and retried: {:?}",
        started.elapsed()
    );
    // Dropped every time: the connection failure, after the retries.
    add(json!({"kind": "drop_connection", "path": "/api/v2/enterprises", "count": 0})).await;
    let e = client.get_enterprise_settings().await.unwrap_err();
    match &e {
        Error::Connect(m) => assert!(m.contains("4 attempts"), "{m}"),
        other => panic!("{other:?}"),
    }
}

/// A server that does not speak TLS on an https URL: a TLS failure, not retried.
#[tokio::test]
async fn a_plain_http_server_on_an_https_url_is_a_tls_failure() {
    let emu = Emulator::demo();
    let https = emu.url.replace("http://", "https://");
    let options = ClientOptions {
        transport: TransportOptions {
            retry_base_delay: Duration::from_millis(10),
            ..TransportOptions::default()
        },
        ..ClientOptions::default()
    };
    let client = Client::new("USER|x", ACCOUNT, Some(&https), options.clone()).unwrap();
    let e = client.get_enterprise_settings().await.unwrap_err();
    match &e {
        Error::Tls(m) => assert!(m.contains("did not answer in TLS"), "{m}"),
        other => panic!("{other:?}"),
    }
    assert!(!e.to_string().contains("attempts"), "not retried: {e}");
    let e = get_user_token(&login_request(&https), &options)
        .await
        .unwrap_err();
    assert!(matches!(e, Error::Tls(_)), "{e:?}");
    // One connection per call, and the one of this stats call: no retry.
    let stats = emu.control("GET", "stats", None).await;
    assert_eq!(stats["connections"], 3, "{stats}");
}

// ------------------------------------------------------------------------------------------
// Plain HTTP

#[tokio::test]
async fn plain_http_is_only_for_loopback_hosts_unless_allowed() {
    let client = |endpoint: &str, allow: bool| {
        Client::new(
            "USER|x",
            ACCOUNT,
            Some(endpoint),
            ClientOptions {
                transport: TransportOptions {
                    allow_insecure_http: allow,
                    ..TransportOptions::default()
                },
                ..ClientOptions::default()
            },
        )
        .map(drop)
    };
    for endpoint in [
        "http://127.0.0.1:1",
        "http://127.8.9.10:1/",
        "http://[::1]:1",
        "http://localhost:1",
        "http://LOCALHOST.:1",
        "https://example.invalid",
    ] {
        assert!(client(endpoint, false).is_ok(), "{endpoint}");
    }
    for endpoint in [
        "http://example.invalid",
        "http://10.0.0.1:8080",
        "http://[::2]",
        "http://localhost.example.invalid",
        "http://127.0.0.1.example.invalid",
        "http://portal.xmedius.com",
    ] {
        match client(endpoint, false) {
            Err(Error::InvalidArgument(m)) => {
                assert!(m.contains("plain http://"), "{endpoint}: {m}");
                assert!(m.contains("allow_insecure_http"), "{endpoint}: {m}");
            }
            other => panic!("{endpoint}: {other:?}"),
        }
        assert!(client(endpoint, true).is_ok(), "{endpoint} allowed");
        // The login refuses it before connecting (nothing resolves example.invalid).
        let e = get_user_token(&login_request(endpoint), &ClientOptions::default())
            .await
            .unwrap_err();
        assert!(
            matches!(&e, Error::InvalidArgument(m) if m.contains("plain http://")),
            "{endpoint}: {e:?}"
        );
    }
    // Opted in, the login does try (and fails to resolve the name).
    let e = get_user_token(
        &login_request("http://example.invalid"),
        &ClientOptions {
            transport: TransportOptions {
                allow_insecure_http: true,
                connect_timeout: Duration::from_secs(5),
                request_timeout: Some(Duration::from_secs(10)),
                ..TransportOptions::default()
            },
            ..ClientOptions::default()
        },
    )
    .await
    .unwrap_err();
    assert!(matches!(e, Error::Connect(_) | Error::Timeout(_)), "{e:?}");
    // Credentials in the endpoint are refused without being echoed.
    match client("https://user:hunter2@example.invalid", false) {
        Err(Error::InvalidArgument(m)) => assert!(!m.contains("hunter2"), "{m}"),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn plain_http_urls_from_the_server_are_refused() {
    let emu = Emulator::demo();
    let (client, _) = logged_in(&emu).await;
    // An upload URL to another host over plain http.
    add_fault(
        &emu,
        json!({"kind": "respond", "method": "GET", "path": "/api/v2/safeboxes/new", "status": 200,
               "body": {"guid": "0123456789abcdef0123456789abcdef", "public_encryption_key": "k",
                        "upload_url": "http://example.invalid/xmss/abc"}}),
    )
    .await;
    let mut safebox = Safebox::new(EMAIL);
    safebox.recipients.push(Recipient::new("guest@example.com"));
    safebox
        .attachments
        .push(Attachment::from_bytes(vec![1u8; 10], "a.txt", None).unwrap());
    let e = client.submit_safebox(&mut safebox, None).await.unwrap_err();
    assert!(
        matches!(&e, Error::Decode(m) if m.contains("plain http://") && m.contains("example.invalid")),
        "{e:?}"
    );
    // A download URL.
    let e = client
        .download_url(
            "http://example.invalid/files/abc",
            DownloadSink::Writer(Box::new(tokio::io::sink())),
            None,
        )
        .await
        .unwrap_err();
    assert!(
        matches!(&e, Error::Decode(m) if m.contains("plain http://")),
        "{e:?}"
    );

    // Service discovery pointing at a plain http host: a fresh client discovers.
    let fresh = Client::new("USER|x", ACCOUNT, Some(&emu.url), ClientOptions::default()).unwrap();
    add_fault(
        &emu,
        json!({"kind": "respond", "path": "/services/acme/sendsecure/server/url", "status": 200,
               "body_text": "http://example.invalid/"}),
    )
    .await;
    let e = fresh.get_enterprise_settings().await.unwrap_err();
    assert!(
        matches!(&e, Error::Decode(m) if m.contains("plain http://")),
        "{e:?}"
    );
    // So does the login's portal discovery.
    add_fault(
        &emu,
        json!({"kind": "respond", "path": "/services/acme/portal/host", "status": 200,
               "body_text": "http://example.invalid/"}),
    )
    .await;
    let e = get_user_token(&login_request(&emu.url), &ClientOptions::default())
        .await
        .unwrap_err();
    assert!(
        matches!(&e, Error::Decode(m) if m.contains("plain http://")),
        "{e:?}"
    );
}

// ------------------------------------------------------------------------------------------
// Redirects

#[tokio::test]
async fn a_redirect_to_another_origin_is_not_followed_and_the_token_never_leaves() {
    let emu = Emulator::demo();
    let other = Recorder::start().await;
    let (client, token) = logged_in(&emu).await;
    let port = emu.url.rsplit(':').next().unwrap().to_string();
    let settings = "/api/v2/enterprises/acme/settings";
    for (status, location) in [
        (302, format!("{}{settings}.json?locale=en", other.url)),
        (307, format!("{}/steal", other.url)),
        (308, format!("https://127.0.0.1:{port}{settings}.json")),
        // The same server under another name is another origin too.
        (301, format!("http://localhost:{port}{settings}.json")),
    ] {
        add_fault(
            &emu,
            json!({"kind": "respond", "path": settings, "status": status,
                   "body_text": "moved", "headers": {"Location": location}}),
        )
        .await;
        let e = client.get_enterprise_settings().await.unwrap_err();
        match &e {
            Error::Http {
                status: got,
                message,
                ..
            } => {
                assert_eq!(*got, status);
                assert!(message.contains("redirect not followed"), "{message}");
                assert!(message.contains(&location), "{message}");
            }
            other => panic!("{status}: {other:?}"),
        }
        assert!(!shown(&e).contains(&token));
    }
    // The login's password does not follow a redirect either.
    add_fault(
        &emu,
        json!({"kind": "respond", "method": "POST", "path": "/api/user_token", "status": 307,
               "headers": {"Location": format!("{}/api/user_token", other.url)}}),
    )
    .await;
    let e = get_user_token(&login_request(&emu.url), &ClientOptions::default())
        .await
        .unwrap_err();
    assert_eq!(e.http_status(), Some(307), "{e:?}");
    // Nor does a download (no token there, but the capability stays home too).
    add_fault(
        &emu,
        json!({"kind": "respond", "method": "GET", "path": "/files/", "status": 302,
               "headers": {"Location": format!("{}/files/x", other.url)}}),
    )
    .await;
    let e = client
        .download_url(
            &format!("{}/files/anything", emu.url),
            DownloadSink::Writer(Box::new(tokio::io::sink())),
            None,
        )
        .await
        .unwrap_err();
    assert_eq!(e.http_status(), Some(302), "{e:?}");

    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(other.connections(), 0, "the other host was contacted");
    assert!(!other.received().contains(&token));
    assert!(!other.received().contains(PASSWORD));
}

/// The enterprise settings' path.
const SETTINGS: &str = "/api/v2/enterprises/acme/settings";

/// An emulator whose settings answer `status` redirecting to themselves (with `query`), `count`
/// times (0: always), and a logged-in client of it.
async fn settings_redirected_to_themselves(
    status: u16,
    query: &str,
    count: u32,
) -> (Emulator, Client) {
    let emu = Emulator::demo();
    let (client, _) = logged_in(&emu).await;
    add_fault(
        &emu,
        json!({"kind": "respond", "path": SETTINGS, "status": status, "count": count,
               "headers": {"Location": format!("{}{SETTINGS}.json?{query}", emu.url)}}),
    )
    .await;
    (emu, client)
}

#[tokio::test]
async fn a_same_origin_redirect_is_followed_with_the_token() {
    let (emu, client) = settings_redirected_to_themselves(307, "locale=en&moved=1", 1).await;
    let settings = SETTINGS;
    clear_recorded(&emu).await;
    let got = client
        .get_enterprise_settings()
        .await
        .expect("redirect followed");
    assert_eq!(got.default_security_profile_id, Some(1));
    let requests = recorded(&reqwest::Client::new(), &emu).await;
    let to_settings: Vec<&Value> = requests
        .iter()
        .filter(|r| r["target"].as_str().unwrap().starts_with(settings))
        .collect();
    assert_eq!(to_settings.len(), 2, "{requests:?}");
    assert!(to_settings[1]["target"]
        .as_str()
        .unwrap()
        .ends_with("moved=1"));
    assert!(to_settings.iter().all(|r| r["token"] == true));
    assert!(
        to_settings[1]["headers"]
            .as_array()
            .unwrap()
            .iter()
            .all(|h| h != "referer"),
        "no Referer: {requests:?}"
    );
}

#[tokio::test]
async fn a_same_origin_redirect_loop_is_an_http_status_error_that_says_so() {
    let (_emu, client) = settings_redirected_to_themselves(302, "locale=en", 0).await;
    let e = client.get_enterprise_settings().await.unwrap_err();
    assert_eq!(e.http_status(), Some(302), "{e:?}");
    let message = e.to_string();
    assert!(message.contains("redirect loop"), "{message}");
    assert!(message.contains(SETTINGS), "the last Location: {message}");
}

// ------------------------------------------------------------------------------------------
// The token's destinations

#[tokio::test]
async fn the_token_goes_to_api_calls_only_never_to_capability_urls() {
    let emu = Emulator::demo();
    let (client, _) = logged_in(&emu).await;
    clear_recorded(&emu).await;
    let mut safebox = Safebox::new(EMAIL);
    safebox.recipients.push(Recipient::new("guest@example.com"));
    safebox
        .attachments
        .push(Attachment::from_bytes(vec![7u8; 1000], "a.dat", None).unwrap());
    safebox
        .attachments
        .push(Attachment::from_bytes(vec![8u8; 2000], "b.dat", None).unwrap());
    let response = client.submit_safebox(&mut safebox, None).await.unwrap();
    let messages = client.get_safebox_messages(&response.guid).await.unwrap();
    let document = &messages[0].documents[0];
    let n = client
        .download_document(
            &response.guid,
            &document.id,
            EMAIL,
            DownloadSink::Writer(Box::new(tokio::io::sink())),
            None,
        )
        .await
        .unwrap();
    assert_eq!(n, document.size);
    client
        .download_audit_record(
            &response.guid,
            DownloadSink::Writer(Box::new(tokio::io::sink())),
            None,
        )
        .await
        .unwrap();

    let requests = recorded(&reqwest::Client::new(), &emu).await;
    let mut capability = 0;
    for r in &requests {
        let target = r["target"].as_str().unwrap();
        if target.starts_with("/xmss/")
            || target.starts_with("/files/")
            || target.starts_with("/s/")
        {
            capability += 1;
            assert_eq!(r["token"], false, "token sent to a capability URL: {r}");
        } else if target.starts_with("/api/v2/") {
            assert_eq!(r["token"], true, "{r}");
        } else {
            assert!(target.starts_with("/services/"), "{r}");
            assert_eq!(r["token"], false, "no token for discovery: {r}");
        }
    }
    assert_eq!(capability, 4, "two uploads, two downloads: {requests:?}");
}

// ------------------------------------------------------------------------------------------
// Secrets in errors

#[tokio::test]
async fn the_token_and_password_never_appear_in_errors_or_debug_output() {
    let emu = Emulator::demo();
    let (client, token) = logged_in(&emu).await;
    let percent = |lower: bool| -> String {
        token
            .bytes()
            .map(|b| match (b.is_ascii_alphanumeric(), lower) {
                (true, _) => char::from(b).to_string(),
                (false, false) => format!("%{b:02X}"),
                (false, true) => format!("%{b:02x}"),
            })
            .collect()
    };
    let (encoded, encoded_lower) = (percent(false), percent(true));
    assert_ne!(encoded, token, "the token has characters to encode");

    // Debug output.
    let options = ClientOptions::default();
    let request = login_request(&emu.url);
    let user_token = get_user_token(&request, &options).await.unwrap();
    for text in [
        format!("{client:?}"),
        format!("{options:?}"),
        format!("{request:?}"),
        format!("{user_token:?}"),
    ] {
        assert!(!text.contains(&token) && !text.contains(PASSWORD), "{text}");
    }

    let mut errors: Vec<(String, Error)> = Vec::new();
    // Connection refused.
    let closed = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let unreachable = Client::new(
        &token,
        ACCOUNT,
        Some(&format!("http://127.0.0.1:{closed}")),
        ClientOptions::default(),
    )
    .unwrap();
    errors.push((
        "connection refused".into(),
        unreachable.get_enterprise_settings().await.unwrap_err(),
    ));
    // Answers that echo the token: 401 and 500 bodies, JSON and text, as is and encoded.
    let settings = "/api/v2/enterprises/acme/settings";
    let answers = [
        json!({"status": 401, "body": {"error": format!("invalid token {token}")}}),
        json!({"status": 500, "body_text": format!(
            "GET {settings}?token={encoded} HTTP/1.1 Authorization-Token: {token}")}),
        json!({"status": 200, "body_text": format!("{token} is not JSON")}),
        json!({"status": 200, "body": {"default_security_profile_id": token,
                                        "extension_filter": token}}),
        json!({"status": 200, "body": [token]}),
        json!({"status": 403, "body": {"message": format!("token={encoded_lower}")}}),
    ];
    for answer in answers {
        let mut rule = answer.clone();
        rule["kind"] = json!("respond");
        rule["path"] = json!(settings);
        add_fault(&emu, rule).await;
        let result = client.get_enterprise_settings().await;
        if let Err(e) = result {
            errors.push((answer.to_string(), e));
        }
    }
    // The login: wrong password echoed back, refused and server error.
    let password = "pa\"ss wörd/&=";
    let escaped = serde_json::to_string(password).unwrap();
    let escaped = &escaped[1..escaped.len() - 1];
    for answer in [
        json!({"status": 401, "body": {"result": false, "code": 102,
                                        "message": format!("bad password {password}")}}),
        json!({"status": 500, "body_text": format!("{{\"password\":\"{escaped}\"}}")}),
        json!({"status": 200, "body_text": format!("password={password}")}),
    ] {
        let e = login_failing_with(&emu, answer.clone(), password).await;
        errors.push((answer.to_string(), e));
    }
    let e = get_user_token(
        &TokenRequest {
            password,
            ..login_request(&format!("http://127.0.0.1:{closed}"))
        },
        &ClientOptions::default(),
    )
    .await
    .unwrap_err();
    errors.push(("login connection refused".into(), e));

    assert!(errors.len() >= 10, "{errors:?}");
    for (case, e) in &errors {
        let text = shown(e);
        println!("{case}\n  -> {text}");
        for secret in [
            token.as_str(),
            encoded.as_str(),
            encoded_lower.as_str(),
            password,
            escaped,
        ] {
            assert!(!text.contains(secret), "{case}: `{secret}` in {text}");
        }
    }
}

#[tokio::test]
async fn secrets_are_redacted_from_error_bodies_in_every_escaped_form() {
    let emu = Emulator::demo();
    let (client, token) = logged_in(&emu).await;
    let escaped = |with: &str| token.replace('|', with).replace('-', "\\u002d");
    let forms = [
        escaped("\\u007c"),
        escaped("\\u007C"),
        escaped("&#124;"),
        escaped("&#x7C;"),
        token.replace('|', "%7c"),
    ];
    let body = format!(
        "{{\"error\":\"invalid token\",\"echo\":[\"{}\"]}}",
        forms.join("\",\"")
    );
    let e = settings_failing_with(&emu, &client, 401, &body).await;
    let rest = token.rsplit('-').next().unwrap();
    assert!(!shown(&e).contains(rest), "{}", shown(&e));
    assert_eq!(e.body().unwrap().matches("<redacted>").count(), forms.len());

    // The password as Rails renders it in JSON, and as HTML.
    let password = "S3cret&Passw0rd<x>";
    for body_text in [
        "{\"password\":\"S3cret\\u0026Passw0rd\\u003cx\\u003e\"}",
        "<p>S3cret&amp;Passw0rd&lt;x&gt;</p>",
    ] {
        let answer = json!({"status": 500, "body_text": body_text});
        let e = login_failing_with(&emu, answer, password).await;
        assert!(!shown(&e).contains("Passw0rd"), "{}", shown(&e));
        assert!(e.body().unwrap().contains("<redacted>"), "{:?}", e.body());
    }
}

#[tokio::test]
async fn the_token_echoed_as_a_json_key_is_redacted_too() {
    let emu = Emulator::demo();
    let (client, token) = logged_in(&emu).await;
    add_fault(
        &emu,
        json!({"kind": "respond", "path": "/api/v2/enterprises/acme/settings", "status": 200,
               "body": {"default_security_profile_id": 1, token.clone(): "echoed",
                        "nested": [{format!("x-{token}"): {token.clone(): 2}}]}}),
    )
    .await;
    let settings = client.get_enterprise_settings().await.expect("settings");
    let text = settings.raw.to_string();
    assert!(!text.contains(&token), "{text}");
    // Nothing lost: the values are there, under redacted keys.
    assert_eq!(settings.raw["<redacted>"], "echoed", "{text}");
    assert_eq!(settings.raw["nested"][0]["x-<redacted>"]["<redacted>"], 2);

    // The commit's answer (ss_safebox_response_to_json), in a key and in a value.
    add_fault(
        &emu,
        json!({"kind": "respond", "method": "POST", "path": "/api/v2/safeboxes", "status": 200,
               "body": {"guid": "g1", "preview_url": format!("https://x/{token}"),
                        token.clone(): true}}),
    )
    .await;
    let mut safebox = Safebox::new(EMAIL);
    safebox.recipients.push(Recipient::new("guest@example.com"));
    safebox.security_profile_id = Some(1);
    let response = client.submit_safebox(&mut safebox, None).await.unwrap();
    let text = response.raw.to_string();
    assert!(!text.contains(&token), "{text}");
    assert!(!response.preview_url.contains(&token));
    assert_eq!(response.raw["<redacted>"], true, "{text}");
}

#[tokio::test]
async fn body_less_patches_carry_content_length_zero() {
    let emu = Emulator::demo();
    let (client, _) = logged_in(&emu).await;
    let mut safebox = Safebox::new(EMAIL);
    safebox.recipients.push(Recipient::new("guest@example.com"));
    safebox.message = Some("hello".into());
    let guid = client
        .submit_safebox(&mut safebox, None)
        .await
        .unwrap()
        .guid;
    clear_recorded(&emu).await;
    client.mark_as_read(&guid).await.unwrap();
    client.follow_safebox(&guid).await.unwrap();
    client.close_safebox(&guid).await.unwrap();
    let requests = recorded(&reqwest::Client::new(), &emu).await;
    let patches: Vec<&Value> = requests.iter().filter(|r| r["method"] == "PATCH").collect();
    assert_eq!(patches.len(), 3, "{requests:?}");
    for r in patches {
        let headers = r["headers"].as_array().unwrap();
        assert!(
            headers.iter().any(|h| h == "content-length"),
            "RFC 9110: a body-less PATCH should say Content-Length: 0: {r}"
        );
    }
}

// ------------------------------------------------------------------------------------------
// Hostile ids, terms and bodies

#[tokio::test]
async fn ids_and_terms_stay_inside_their_path_segment_or_query_value() {
    let emu = Emulator::demo();
    let (client, _) = logged_in(&emu).await;
    client.get_enterprise_settings().await.unwrap(); // discovery done
    let control = reqwest::Client::new();
    for (id, encoded) in [
        ("../x", "..%2Fx"),
        ("../../api/v2/safeboxes", "..%2F..%2Fapi%2Fv2%2Fsafeboxes"),
        ("a/b", "a%2Fb"),
        ("a?b#c", "a%3Fb%23c"),
        ("%2e%2e", "%252e%252e"),
        ("a b&c=d;e", "a%20b%26c%3Dd%3Be"),
        ("é\\x", "%C3%A9%5Cx"),
    ] {
        clear_recorded(&emu).await;
        let e = client.get_safebox_participants(id).await.unwrap_err();
        assert_eq!(e.http_status(), Some(404), "{id}: {e:?}");
        let e = client
            .get_document_url("0123456789abcdef0123456789abcdef", id, EMAIL)
            .await
            .unwrap_err();
        assert!(e.http_status().is_some(), "{id}: {e:?}");
        let seen = targets(&recorded(&control, &emu).await);
        assert_eq!(
            seen,
            vec![
                format!("/api/v2/safeboxes/{encoded}/participants.json?locale=en"),
                format!(
                    "/api/v2/safeboxes/0123456789abcdef0123456789abcdef/documents/{encoded}/url.json?locale=en&user_email=demo%40acme.example"
                ),
            ],
            "{id}"
        );
    }
    // `.` and `..` cannot be sent as a segment at all (every encoding of them is a dot
    // segment to URL parsers): refused before sending.
    clear_recorded(&emu).await;
    for id in ["..", ".", "%2E%2E"] {
        let result = client.get_safebox_participants(id).await;
        if id.starts_with('%') {
            assert_eq!(result.unwrap_err().http_status(), Some(404));
            continue;
        }
        match result {
            Err(Error::InvalidArgument(m)) => assert!(m.contains("`.` or `..`"), "{m}"),
            other => panic!("{id}: {other:?}"),
        }
        let e = client
            .update_participant(id, "x", &Default::default())
            .await
            .unwrap_err();
        assert!(matches!(e, Error::InvalidArgument(_)), "{e:?}");
    }
    let seen = targets(&recorded(&control, &emu).await);
    assert_eq!(
        seen,
        vec!["/api/v2/safeboxes/%252E%252E/participants.json?locale=en"]
    );

    // A search term stays one query value.
    clear_recorded(&emu).await;
    client
        .search_recipient("a&term=b#c d+e")
        .await
        .expect("search");
    assert_eq!(
        targets(&recorded(&control, &emu).await),
        vec!["/api/v2/recipients/autocomplete?locale=en&term=a%26term%3Db%23c+d%2Be"]
    );
}

/// A file name with `"`, CR and LF (and `%` sequences) is uploaded intact and adds no header
/// or part: the library escapes `%`, `"`, CR and LF as `%25`, `%22`, `%0D`, `%0A` (as browsers
/// do, `%` aside), and the server decodes the escapes of a form's file name as Rails does (see
/// the emulator's `form_filename`), so the name read back through the API is the original.
#[tokio::test]
async fn file_names_cannot_inject_multipart_headers() {
    let emu = Emulator::demo();
    let (client, _) = logged_in(&emu).await;
    let names = [
        "evil\"; name=\"other\r\nContent-Type: text/html\r\n\r\nX.txt",
        "quote\".txt",
        "line\r\nbreak\n.txt",
        "100% sure, %22 is a quote, %41 %zz.txt",
        // Only valid escapes: the server would decode them, had `%` not been escaped too.
        "50%25 off %41.txt",
        "say \"%41\".txt",
        "tail\\\"\r\n--boundary-ish.txt",
        "résumé \"final\".pdf",
    ];
    let mut safebox = Safebox::new(EMAIL);
    safebox.recipients.push(Recipient::new("guest@example.com"));
    for (i, name) in names.iter().enumerate() {
        let content = format!("content {i}").into_bytes();
        safebox
            .attachments
            .push(Attachment::from_bytes(content, name, Some("text/plain")).unwrap());
    }
    let response = client.submit_safebox(&mut safebox, None).await.unwrap();

    // Read back through the API: every name intact, every content in its own document.
    let messages = client.get_safebox_messages(&response.guid).await.unwrap();
    let documents: Vec<_> = messages.iter().flat_map(|m| m.documents.iter()).collect();
    assert_eq!(documents.len(), names.len(), "{documents:?}");
    for (i, name) in names.iter().enumerate() {
        let document = documents
            .iter()
            .find(|d| d.name == *name)
            .unwrap_or_else(|| panic!("no document named {name:?} in {documents:?}"));
        assert_eq!(
            document.size,
            format!("content {i}").len() as u64,
            "{name:?}"
        );
    }

    // What the server's multipart parser saw: one part per upload, with exactly the two headers
    // the library writes; nothing the names hold became a header or a part.
    let state = emu
        .control("GET", &format!("safeboxes/{}", response.guid), None)
        .await;
    let stored = state["documents"].as_array().unwrap();
    assert_eq!(stored.len(), names.len(), "{state}");
    for document in stored {
        assert_eq!(document["parts"], 1, "{document}");
        assert_eq!(
            document["part_headers"],
            json!(["content-disposition", "content-type"]),
            "{document}"
        );
    }
    // And the request log: only the uploads' own requests, with the usual headers.
    let uploads: Vec<Value> = recorded(&reqwest::Client::new(), &emu)
        .await
        .into_iter()
        .filter(|r| {
            r["target"]
                .as_str()
                .is_some_and(|t| t.starts_with("/xmss/"))
        })
        .collect();
    assert_eq!(uploads.len(), names.len());
    for upload in &uploads {
        let headers: Vec<&str> = upload["headers"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(Value::as_str)
            .collect();
        assert!(
            !headers
                .iter()
                .any(|h| h.contains("content-disposition") || h.contains("x-")),
            "{headers:?}"
        );
    }

    // A content type with a line break is refused.
    let mut safebox = Safebox::new(EMAIL);
    safebox.recipients.push(Recipient::new("guest@example.com"));
    let bad = Attachment::from_bytes(b"x".to_vec(), "a.txt", Some("text/plain\r\nX-Evil: 1"));
    if let Ok(bad) = bad {
        safebox.attachments.push(bad);
        let e = client.submit_safebox(&mut safebox, None).await.unwrap_err();
        assert!(matches!(e, Error::InvalidArgument(_)), "{e:?}");
    }
}

#[tokio::test]
async fn over_long_url_parts_are_refused_before_sending_with_a_short_message() {
    let emu = Emulator::demo();
    let (client, _) = logged_in(&emu).await;
    client.get_enterprise_settings().await.unwrap(); // discovery done
    let before = emu.control("GET", "stats", None).await["requests"].as_u64();
    let short_refusal = |e: Error| {
        let message = e.to_string();
        assert!(matches!(e, Error::InvalidArgument(_)), "{message:.300}");
        assert!(message.len() < 1000, "{message:.300}");
    };
    short_refusal(
        client
            .search_recipient(&"x".repeat(10 << 20))
            .await
            .unwrap_err(),
    );
    short_refusal(
        client
            .get_safebox_messages(&"y".repeat(1 << 20))
            .await
            .unwrap_err(),
    );
    let after = emu.control("GET", "stats", None).await["requests"].as_u64();
    assert_eq!(before, after, "nothing was sent");
    // A long term that fits is sent.
    client.search_recipient(&"z".repeat(4000)).await.unwrap();
}

#[tokio::test]
async fn error_bodies_are_capped() {
    let emu = Emulator::demo();
    let (client, _) = logged_in(&emu).await;
    let big = "x".repeat(1 << 20);
    let e = settings_failing_with(&emu, &client, 500, &big).await;
    assert_eq!(e.http_status(), Some(500));
    let body = e.body().unwrap();
    assert_eq!(
        body.len(),
        sendsecure::transport::http::MAX_ERROR_BODY,
        "kept up to the cap"
    );
    assert!(e.to_string().len() < 1000, "the message is short");
}
