//! The one rustls configuration of a client, made once from its options: the built-in roots
//! plus `ca_file`, TLS 1.2 and 1.3, the client certificate (mutual TLS), HTTP/2 and HTTP/1.1
//! by ALPN, as reqwest would make it. Every connection of the pool and every probe handshake
//! (`tls_probe`) use it.

use crate::transport::error::{Error, Result};
use crate::transport::options::TransportOptions;
use rustls::pki_types::pem::{PemObject, SectionKind};
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use std::path::Path;
use std::sync::Arc;
use zeroize::Zeroizing;

/// The rustls configuration of these options; an error names the file that is missing or
/// holds no usable certificate or key.
pub(crate) fn tls_config(options: &TransportOptions) -> Result<Arc<rustls::ClientConfig>> {
    let identity = client_identity(options)?;
    let mut roots = rustls::RootCertStore::empty();
    roots.extend(webpki_roots::TLS_SERVER_ROOTS.iter().cloned());
    if let Some(path) = &options.ca_file {
        for cert in ca_certificates(path)? {
            roots.add(cert).map_err(|e| {
                Error::InvalidArgument(format!(
                    "{}: not a usable certificate authority: {e}",
                    path.display()
                ))
            })?;
        }
    }
    let provider = rustls::crypto::CryptoProvider::get_default()
        .cloned()
        .unwrap_or_else(|| Arc::new(rustls::crypto::ring::default_provider()));
    let builder = rustls::ClientConfig::builder_with_provider(provider)
        .with_protocol_versions(&[&rustls::version::TLS13, &rustls::version::TLS12])
        .map_err(|e| Error::InvalidArgument(format!("invalid TLS versions: {e}")))?
        .with_root_certificates(roots);
    let mut config = match identity {
        Some(Identity { name, chain, key }) => {
            builder.with_client_auth_cert(chain, key).map_err(|e| {
                Error::InvalidArgument(format!(
                    "{name}: not a usable client certificate and key: {e}"
                ))
            })?
        }
        None => builder.with_no_client_auth(),
    };
    config.alpn_protocols = vec![b"h2".to_vec(), b"http/1.1".to_vec()];
    Ok(Arc::new(config))
}

/// The certificates of a CA file.
fn ca_certificates(path: &Path) -> Result<Vec<CertificateDer<'static>>> {
    let pem = std::fs::read(path).map_err(|source| Error::Io {
        path: path.display().to_string(),
        source,
    })?;
    let certs = CertificateDer::pem_slice_iter(&pem)
        .collect::<std::result::Result<Vec<_>, _>>()
        .map_err(|e| {
            Error::InvalidArgument(format!(
                "{}: not a PEM certificate bundle: {e}",
                path.display()
            ))
        })?;
    if certs.is_empty() {
        return Err(Error::InvalidArgument(format!(
            "{}: no PEM certificate (-----BEGIN CERTIFICATE-----) in the CA file",
            path.display()
        )));
    }
    Ok(certs)
}

/// A client certificate chain and its key, and the certificate file's name for errors.
struct Identity {
    name: String,
    chain: Vec<CertificateDer<'static>>,
    key: PrivateKeyDer<'static>,
}

/// A file of secret or configuration material, or the error naming it.
fn read_file(path: &Path) -> Result<Zeroizing<Vec<u8>>> {
    // `fs::read` sizes its buffer from the file's length, so the bytes are not copied around
    // by reallocations before `Zeroizing` can wipe them.
    std::fs::read(path)
        .map(Zeroizing::new)
        .map_err(|source| Error::Io {
            path: path.display().to_string(),
            source,
        })
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// The client certificate and key of these options, for mutual TLS.
fn client_identity(options: &TransportOptions) -> Result<Option<Identity>> {
    let (cert_path, key_path) = match (&options.client_cert_file, &options.client_key_file) {
        (None, None) => return Ok(None),
        (None, Some(_)) => {
            return Err(Error::InvalidArgument(
                "a client key file was given without its client certificate file".into(),
            ))
        }
        (Some(cert), key) => (cert, key),
    };
    let cert = read_file(cert_path)?;
    if !contains(&cert, b"-----BEGIN CERTIFICATE-----") {
        return Err(Error::InvalidArgument(format!(
            "{}: no PEM certificate (-----BEGIN CERTIFICATE-----) in the client certificate file",
            cert_path.display()
        )));
    }
    let key = match key_path {
        Some(path) => Some(read_file(path)?),
        None => None,
    };
    let (key_bytes, key_name) = match (&key, key_path) {
        (Some(key), Some(path)) => (&key[..], path),
        _ => (&cert[..], cert_path),
    };
    let has_key = [
        &b"-----BEGIN PRIVATE KEY-----"[..],
        b"-----BEGIN RSA PRIVATE KEY-----",
        b"-----BEGIN EC PRIVATE KEY-----",
    ]
    .iter()
    .any(|label| contains(key_bytes, label));
    if !has_key {
        return Err(Error::InvalidArgument(format!(
            "{}: no unencrypted PEM private key (PRIVATE KEY, RSA PRIVATE KEY or EC PRIVATE KEY) \
             for the client certificate",
            key_name.display()
        )));
    }
    // One buffer of key and certificates, sized once so that it is never reallocated.
    let mut pem = Zeroizing::new(Vec::with_capacity(cert.len() + key_bytes.len() + 1));
    if key.is_some() {
        pem.extend_from_slice(key_bytes);
        pem.push(b'\n');
    }
    pem.extend_from_slice(&cert);
    let (chain, key) = chain_and_key(&pem).map_err(|reason| {
        Error::InvalidArgument(format!(
            "{}: not a usable client certificate and key: {reason}",
            cert_path.display()
        ))
    })?;
    Ok(Some(Identity {
        name: cert_path.display().to_string(),
        chain,
        key,
    }))
}

/// The certificates and the (last) private key of a PEM buffer, read as reqwest reads an
/// identity: any other kind of section is refused.
fn chain_and_key(
    pem: &[u8],
) -> std::result::Result<(Vec<CertificateDer<'static>>, PrivateKeyDer<'static>), &'static str> {
    let mut reader = std::io::Cursor::new(pem);
    let (mut chain, mut keys) = (Vec::new(), Vec::new());
    while let Some((kind, der)) =
        rustls::pki_types::pem::from_buf(&mut reader).map_err(|_| "invalid identity PEM file")?
    {
        match kind {
            SectionKind::Certificate => chain.push(CertificateDer::from(der)),
            SectionKind::PrivateKey => keys.push(PrivateKeyDer::Pkcs8(der.into())),
            SectionKind::RsaPrivateKey => keys.push(PrivateKeyDer::Pkcs1(der.into())),
            SectionKind::EcPrivateKey => keys.push(PrivateKeyDer::Sec1(der.into())),
            _ => return Err("no valid certificate was found"),
        }
    }
    match (keys.pop(), chain.is_empty()) {
        (Some(key), false) => Ok((chain, key)),
        _ => Err("private key or certificate not found"),
    }
}
