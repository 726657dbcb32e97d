//! The emulator's TLS options, through the binary: `--tls-client-ca` (mutual TLS: a client
//! without a certificate signed by that CA cannot connect) and `--tls12-only`, as the request
//! log of the control API reports them.

mod support;

use rcgen::{
    BasicConstraints, Certificate, CertificateParams, DnType, ExtendedKeyUsagePurpose, IsCa,
    KeyPair, KeyUsagePurpose,
};
use reqwest::StatusCode;
use serde_json::Value;
use std::path::{Path, PathBuf};
use support::Emulator;

struct Ca {
    cert: Certificate,
    key: KeyPair,
}

fn ca(name: &str) -> Ca {
    let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.distinguished_name.push(DnType::CommonName, name);
    params.key_usages = vec![
        KeyUsagePurpose::KeyCertSign,
        KeyUsagePurpose::DigitalSignature,
    ];
    let key = KeyPair::generate().unwrap();
    let cert = params.self_signed(&key).unwrap();
    Ca { cert, key }
}

/// A certificate and key (PEM) for `name`, signed by `ca`.
fn issue(ca: &Ca, name: &str, usage: ExtendedKeyUsagePurpose) -> (String, String) {
    let mut params = CertificateParams::new(vec![name.to_string()]).unwrap();
    params.distinguished_name.push(DnType::CommonName, name);
    params.extended_key_usages = vec![usage];
    let key = KeyPair::generate().unwrap();
    let cert = params.signed_by(&key, &ca.cert, &ca.key).unwrap();
    (cert.pem(), key.serialize_pem())
}

fn write(dir: &Path, name: &str, text: &str) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

fn client(server_ca: &str, identity: Option<&str>) -> reqwest::Client {
    let mut builder = reqwest::Client::builder()
        .add_root_certificate(reqwest::Certificate::from_pem(server_ca.as_bytes()).unwrap());
    if let Some(identity) = identity {
        builder = builder.identity(reqwest::Identity::from_pem(identity.as_bytes()).unwrap());
    }
    builder.build().unwrap()
}

async fn log(client: &reqwest::Client, emu: &Emulator) -> Vec<Value> {
    let log: Value = client
        .get(format!("{}/_emulator/requests", emu.url))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    log["requests"].as_array().unwrap().clone()
}

#[tokio::test]
async fn tls_client_ca_requires_client_certificates_of_that_ca() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let (server_ca, client_ca, rogue_ca) = (ca("server CA"), ca("client CA"), ca("rogue CA"));
    let (server_cert, server_key) =
        issue(&server_ca, "127.0.0.1", ExtendedKeyUsagePurpose::ServerAuth);
    let (client_cert, client_key) =
        issue(&client_ca, "client", ExtendedKeyUsagePurpose::ClientAuth);
    let (rogue_cert, rogue_key) = issue(&rogue_ca, "rogue", ExtendedKeyUsagePurpose::ClientAuth);
    let emu = Emulator::start(&[
        "--tls-cert",
        write(d, "server.pem", &server_cert).to_str().unwrap(),
        "--tls-key",
        write(d, "server-key.pem", &server_key).to_str().unwrap(),
        "--tls-client-ca",
        write(d, "client-ca.pem", &client_ca.cert.pem())
            .to_str()
            .unwrap(),
    ]);
    assert!(emu.url.starts_with("https://127.0.0.1:"), "{}", emu.url);
    let server_ca = server_ca.cert.pem();
    let discovery = format!("{}/services/acme/sendsecure/server/url", emu.url);

    let trusted = client(&server_ca, Some(&format!("{client_cert}{client_key}")));
    let response = trusted.get(&discovery).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    assert_eq!(response.text().await.unwrap(), format!("{}/", emu.url));

    for (name, refused) in [
        ("no certificate", client(&server_ca, None)),
        (
            "another CA's certificate",
            client(&server_ca, Some(&format!("{rogue_cert}{rogue_key}"))),
        ),
    ] {
        let result = refused.get(&discovery).send().await;
        assert!(result.is_err(), "{name}: {result:?}");
    }

    let requests = log(&trusted, &emu).await;
    assert_eq!(
        requests.len(),
        1,
        "only the trusted client got through: {requests:?}"
    );
    assert_eq!(requests[0]["client_certificate"], true);
    assert_eq!(requests[0]["tls_version"], "TLSv1_3");
    assert_eq!(requests[0]["token"], false);
    assert_eq!(
        requests[0]["target"],
        "/services/acme/sendsecure/server/url"
    );
}

#[tokio::test]
async fn tls12_only_offers_tls_1_2() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let server_ca = ca("server CA");
    let (cert, key) = issue(&server_ca, "127.0.0.1", ExtendedKeyUsagePurpose::ServerAuth);
    let emu = Emulator::start(&[
        "--tls-cert",
        write(d, "server.pem", &cert).to_str().unwrap(),
        "--tls-key",
        write(d, "server-key.pem", &key).to_str().unwrap(),
        "--tls12-only",
    ]);
    let client = client(&server_ca.cert.pem(), None);
    let response = client
        .get(format!("{}/services/acme/portal/host", emu.url))
        .header("Authorization-Token", "USER|x")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let requests = log(&client, &emu).await;
    assert_eq!(requests[0]["tls_version"], "TLSv1_2");
    assert_eq!(requests[0]["client_certificate"], false);
    assert_eq!(requests[0]["token"], true);
    // Clearing the log.
    let cleared = client
        .delete(format!("{}/_emulator/requests", emu.url))
        .send()
        .await
        .unwrap();
    assert_eq!(cleared.status(), StatusCode::NO_CONTENT);
    assert!(log(&client, &emu).await.is_empty());
}

#[test]
fn tls_options_need_a_certificate() {
    for flag in [&["--tls-client-ca", "ca.pem"][..], &["--tls12-only"][..]] {
        let output = std::process::Command::new(Emulator::binary())
            .args(["--listen", "127.0.0.1:0"])
            .args(flag)
            .output()
            .unwrap();
        assert!(
            !output.status.success(),
            "{flag:?} accepted without --tls-cert"
        );
        assert!(output.stdout.is_empty());
        assert!(!output.stderr.is_empty());
    }
}
