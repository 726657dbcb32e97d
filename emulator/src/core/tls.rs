//! The server side of TLS: certificate and key from PEM files, the offered versions, and the
//! verifier of client certificates (mutual TLS).

use std::path::PathBuf;
use std::sync::Arc;
use tokio_rustls::TlsAcceptor;

/// How to serve HTTPS.
#[derive(Debug, Clone)]
pub struct TlsOptions {
    /// PEM certificate chain.
    pub cert: PathBuf,
    /// PEM private key matching `cert`.
    pub key: PathBuf,
    /// A PEM file of certificate authorities; every client must then present a certificate
    /// signed by one of them (mutual TLS), else the handshake fails.
    pub client_ca: Option<PathBuf>,
    /// Offer TLS 1.2 only (TLS 1.3 otherwise preferred).
    pub tls12_only: bool,
}

/// The verifier of client certificates signed by the authorities of `ca` (mutual TLS).
fn client_verifier(
    ca: &PathBuf,
    provider: Arc<tokio_rustls::rustls::crypto::CryptoProvider>,
) -> Result<Arc<dyn tokio_rustls::rustls::server::danger::ClientCertVerifier>, String> {
    let pem = std::fs::read(ca).map_err(|e| format!("cannot read {}: {e}", ca.display()))?;
    let mut roots = tokio_rustls::rustls::RootCertStore::empty();
    for cert in rustls_pemfile::certs(&mut pem.as_slice()) {
        let cert = cert.map_err(|e| format!("bad certificate in {}: {e}", ca.display()))?;
        roots
            .add(cert)
            .map_err(|e| format!("bad CA certificate in {}: {e}", ca.display()))?;
    }
    if roots.is_empty() {
        return Err(format!("no certificate in {}", ca.display()));
    }
    tokio_rustls::rustls::server::WebPkiClientVerifier::builder_with_provider(
        Arc::new(roots),
        provider,
    )
    .build()
    .map_err(|e| format!("client CA {}: {e}", ca.display()))
}

/// The acceptor for these options (HTTP/2 and HTTP/1.1 offered by ALPN).
pub fn acceptor(options: &TlsOptions) -> Result<TlsAcceptor, String> {
    use rustls_pemfile::{certs, private_key};
    let (cert, key) = (&options.cert, &options.key);
    let cert_pem =
        std::fs::read(cert).map_err(|e| format!("cannot read {}: {e}", cert.display()))?;
    let key_pem = std::fs::read(key).map_err(|e| format!("cannot read {}: {e}", key.display()))?;
    let chain = certs(&mut cert_pem.as_slice())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| format!("bad certificate {}: {e}", cert.display()))?;
    if chain.is_empty() {
        return Err(format!("no certificate in {}", cert.display()));
    }
    let key = private_key(&mut key_pem.as_slice())
        .map_err(|e| format!("bad key {}: {e}", key.display()))?
        .ok_or_else(|| format!("no private key in {}", key.display()))?;
    let provider = Arc::new(tokio_rustls::rustls::crypto::ring::default_provider());
    use tokio_rustls::rustls::version::{TLS12, TLS13};
    let versions: &[&tokio_rustls::rustls::SupportedProtocolVersion] = if options.tls12_only {
        &[&TLS12]
    } else {
        &[&TLS13, &TLS12]
    };
    let builder = tokio_rustls::rustls::ServerConfig::builder_with_provider(provider.clone())
        .with_protocol_versions(versions)
        .map_err(|e| e.to_string())?;
    let builder = match &options.client_ca {
        Some(ca) => builder.with_client_cert_verifier(client_verifier(ca, provider)?),
        None => builder.with_no_client_auth(),
    };
    let mut config = builder
        .with_single_cert(chain, key)
        .map_err(|e| format!("certificate and key do not match: {e}"))?;
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(TlsAcceptor::from(Arc::new(config)))
}
