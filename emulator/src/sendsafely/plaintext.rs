//! A stored file decrypted (spec §10.6): once the emulator knows a package's keycode, every
//! stored segment of a file is decrypted in part order with passphrase(serverSecret, keycode),
//! whichever form its writer chose (sendsafely-crypto's `segment::decrypt`, MDC required).
//!
//! One segment is in memory at a time: the digest reads them one by one, and the body is a
//! stream that decrypts the next segment only when the previous one is sent. A file is read
//! twice, once for its digest and length (which the answer's headers need before any byte of
//! it) and once for the body.

use crate::sendsafely::error::crypto_reason;
use crate::sendsafely::store::{Package, Store};
use axum::body::Bytes;
use futures_util::Stream;
use sendsafely_crypto::secrets::passphrase;
use sendsafely_crypto::segment;
use sha2::{Digest, Sha256};
use std::path::PathBuf;
use std::sync::Arc;
use zeroize::Zeroizing;

/// Why a file cannot be decrypted yet.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NotReady {
    /// Neither the control API nor the escrow key gave the keycode.
    KeycodeUnknown,
    /// These parts (of `parts`) are not stored.
    MissingParts { missing: Vec<u32>, parts: u32 },
}

impl std::fmt::Display for NotReady {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NotReady::KeycodeUnknown => write!(f, "the keycode of this package is unknown"),
            NotReady::MissingParts { missing, parts } => {
                let list: Vec<String> = missing.iter().map(u32::to_string).collect();
                write!(f, "parts {} of {parts} are not stored", list.join(", "))
            }
        }
    }
}

/// Why a stored segment gave no plaintext.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PartError {
    /// The segment's file could not be read (an emulator fault, not the client's).
    Unreadable { part: u32, reason: String },
    /// The segment is not a message under the package's passphrase (wrong keycode or
    /// passphrase, altered bytes, no integrity check, not OpenPGP).
    Undecryptable { part: u32, reason: String },
}

impl std::fmt::Display for PartError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PartError::Unreadable { part, reason } => {
                write!(f, "part {part} cannot be read: {reason}")
            }
            PartError::Undecryptable { part, reason } => {
                write!(f, "part {part} does not decrypt: {reason}")
            }
        }
    }
}

impl std::error::Error for PartError {}

/// What decrypting one file takes: its passphrase and its segments' files in part order.
pub struct StoredFile {
    passphrase: Zeroizing<String>,
    segments: Vec<(u32, PathBuf)>,
}

/// The plaintext's SHA-256 (hex) and length.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlaintextDigest {
    pub sha256: String,
    pub length: u64,
}

impl StoredFile {
    /// File `fid` of `p` (which must hold it), ready to decrypt, or why not yet.
    pub fn of(store: &Store, p: &Package, fid: &str) -> Result<Option<StoredFile>, NotReady> {
        let Some(file) = p.files.iter().find(|f| f.id == fid) else {
            return Ok(None);
        };
        let keycode = p
            .expected_keycode
            .as_deref()
            .ok_or(NotReady::KeycodeUnknown)?;
        let missing: Vec<u32> = (1..=file.parts)
            .filter(|n| !file.segments.contains_key(n))
            .collect();
        if !missing.is_empty() {
            return Err(NotReady::MissingParts {
                missing,
                parts: file.parts,
            });
        }
        Ok(Some(StoredFile {
            passphrase: passphrase(&p.server_secret, keycode),
            segments: (1..=file.parts)
                .map(|n| (n, store.segment_path(&p.id, fid, n)))
                .collect(),
        }))
    }

    /// The plaintext of the `index`-th segment (blocking: reads and decrypts).
    fn decrypt(&self, index: usize) -> Result<Zeroizing<Vec<u8>>, PartError> {
        let (part, path) = &self.segments[index];
        let part = *part;
        let sealed = std::fs::read(path).map_err(|e| PartError::Unreadable {
            part,
            reason: e.to_string(),
        })?;
        segment::decrypt(&self.passphrase, &sealed)
            .map(|d| d.plaintext)
            .map_err(|e| PartError::Undecryptable {
                part,
                reason: crypto_reason(&e),
            })
    }

    /// The SHA-256 and length of the whole plaintext (blocking).
    pub fn digest(&self) -> Result<PlaintextDigest, PartError> {
        let mut hash = Sha256::new();
        let mut length = 0u64;
        for index in 0..self.segments.len() {
            let plaintext = self.decrypt(index)?;
            hash.update(&plaintext[..]);
            length += plaintext.len() as u64;
        }
        Ok(PlaintextDigest {
            sha256: hex::encode(hash.finalize()),
            length,
        })
    }

    /// The plaintext, segment after segment, each decrypted on the blocking pool when the
    /// previous one has been taken.
    pub fn into_stream(self) -> impl Stream<Item = Result<Bytes, PartError>> + Send {
        let file = Arc::new(self);
        futures_util::stream::unfold(0usize, move |index| {
            let file = file.clone();
            async move {
                if index >= file.segments.len() {
                    return None;
                }
                let decrypted = tokio::task::spawn_blocking(move || file.decrypt(index))
                    .await
                    .unwrap_or_else(|e| {
                        Err(PartError::Unreadable {
                            part: index as u32 + 1,
                            reason: e.to_string(),
                        })
                    });
                // Handed to the connection, the bytes are no longer wiped.
                let chunk =
                    decrypted.map(|mut plaintext| Bytes::from(std::mem::take(&mut *plaintext)));
                // After an error the body ends there.
                let next = if chunk.is_ok() { index + 1 } else { usize::MAX };
                Some((chunk, next))
            }
        })
    }
}
