//! Segments and secure messages: symmetric OpenPGP messages under the package's passphrase
//! (§4.2, §4.5, §5).
//!
//! Written as §11.3 says: SKESK v4 (S2K iterated and salted, SHA-256, count byte 96), SEIPD v1
//! with MDC, AES-256, no compression, binary; segments as literal `b`, messages as `u`. Read in
//! any of the forms other clients write (SHA-1 or SHA-256 S2K, any count, compressed or not,
//! `t`/`u`/`b`, partial lengths), always with the integrity check (MDC), which rPGP verifies
//! before it releases any plaintext.

use std::io::Read;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use bytes::Bytes;
use pgp::composed::{Message, MessageBuilder};
use pgp::crypto::hash::HashAlgorithm;
use pgp::crypto::sym::SymmetricKeyAlgorithm;
use pgp::packet::DataMode;
use pgp::types::{Password, StringToKey};
use rand::rngs::OsRng;
use zeroize::Zeroizing;

use crate::Error;

/// The plaintext size of every segment but the last (2.5 MiB).
pub const SEGMENT_SIZE: usize = 2_621_440;

/// The S2K count byte the library writes (65,536 bytes hashed), as openpgp.js does.
pub const S2K_COUNT: u8 = 96;

/// The largest plaintext one segment may decrypt to: JV's segments are 10 MiB; anything far
/// beyond is refused rather than held in memory.
pub const MAX_SEGMENT_PLAINTEXT: usize = 64 << 20;

/// The number of parts a file of `size` bytes is declared with: `max(1, ceil(size / SEGMENT_SIZE))`.
pub fn parts_for(size: u64) -> u64 {
    size.div_ceil(SEGMENT_SIZE as u64).max(1)
}

/// The literal data format of a decrypted message, as its writer chose it (§4.4).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LiteralFormat {
    Binary,
    Text,
    Utf8,
    Other(u8),
}

/// A decrypted segment or message; the plaintext is wiped when dropped.
pub struct Decrypted {
    pub plaintext: Zeroizing<Vec<u8>>,
    pub format: LiteralFormat,
    /// Whether the literal data was inside a compressed packet.
    pub compressed: bool,
}

/// More than the bytes OpenPGP adds to a message of ours (SKESK, packet headers, the CFB prefix,
/// the literal header, the MDC: about 80), so that the output is written into one allocation.
pub const MESSAGE_OVERHEAD: usize = 256;

fn encrypt(passphrase: &str, plaintext: Vec<u8>, mode: DataMode) -> Result<Vec<u8>, Error> {
    let mut out = Vec::with_capacity(plaintext.len() + MESSAGE_OVERHEAD);
    encrypt_to(passphrase, Bytes::from(plaintext), mode, &mut out)?;
    Ok(out)
}

/// Encrypts `plaintext` (its bytes shared with rPGP's builder, not copied), appending the
/// message to `out`.
fn encrypt_to(
    passphrase: &str,
    plaintext: Bytes,
    mode: DataMode,
    out: &mut Vec<u8>,
) -> Result<(), Error> {
    let failed = |e: pgp::errors::Error| Error::Encrypt(e.to_string());
    out.reserve(plaintext.len() + MESSAGE_OVERHEAD);
    let mut builder =
        MessageBuilder::from_bytes("", plaintext).seipd_v1(OsRng, SymmetricKeyAlgorithm::AES256);
    builder.data_mode(mode).map_err(failed)?;
    builder
        .encrypt_with_password(
            StringToKey::new_iterated(OsRng, HashAlgorithm::Sha256, S2K_COUNT),
            &Password::from(passphrase),
        )
        .map_err(failed)?;
    builder.to_writer(OsRng, out).map_err(failed)?;
    Ok(())
}

/// Encrypts one file segment (literal `b`, filename "").
pub fn encrypt_segment(passphrase: &str, plaintext: &[u8]) -> Result<Vec<u8>, Error> {
    encrypt_segment_owned(passphrase, plaintext.to_vec())
}

/// [`encrypt_segment`] of a buffer the caller gives up: no copy of the plaintext is made.
pub fn encrypt_segment_owned(passphrase: &str, plaintext: Vec<u8>) -> Result<Vec<u8>, Error> {
    encrypt(passphrase, plaintext, DataMode::Binary)
}

/// [`encrypt_segment_owned`] into buffers the caller reuses: `plaintext` is lent to the
/// encryption (no copy) and given back with its content once the builder is done with it (an
/// empty buffer if it could not be recovered); `out` is cleared and receives the ciphertext in
/// its capacity (grown only if too small).
pub fn encrypt_segment_into(
    passphrase: &str,
    plaintext: &mut Vec<u8>,
    out: &mut Vec<u8>,
) -> Result<(), Error> {
    out.clear();
    let shared = Bytes::from(std::mem::take(plaintext));
    let done = encrypt_to(passphrase, shared.clone(), DataMode::Binary, out);
    // The builder is dropped: `shared` is the buffer's only owner again.
    if let Ok(buffer) = shared.try_into_mut() {
        *plaintext = Vec::from(buffer);
    }
    done
}

/// Decrypts a segment or message written by any SendSafely client; wrong passphrase, missing
/// MDC, altered ciphertext or more than [`MAX_SEGMENT_PLAINTEXT`] bytes are errors.
pub fn decrypt(passphrase: &str, ciphertext: &[u8]) -> Result<Decrypted, Error> {
    // The plaintext is a little shorter than the ciphertext (of an uncompressed message):
    // one allocation, no copies while it grows.
    let mut plaintext = Zeroizing::new(Vec::with_capacity(
        ciphertext.len().min(MAX_SEGMENT_PLAINTEXT + 1),
    ));
    let (format, compressed) = decrypt_into(passphrase, ciphertext, &mut plaintext)?;
    Ok(Decrypted {
        plaintext,
        format,
        compressed,
    })
}

/// [`decrypt`] into a buffer the caller reuses: `plaintext` is cleared and receives the
/// plaintext in its capacity (grown only if too small); answers the literal format and whether
/// it was compressed. On an error `plaintext` may hold part of a plaintext not verified: the
/// caller wipes it.
pub fn decrypt_into(
    passphrase: &str,
    ciphertext: &[u8],
    plaintext: &mut Vec<u8>,
) -> Result<(LiteralFormat, bool), Error> {
    plaintext.clear();
    let failed = |e: pgp::errors::Error| Error::Decrypt(e.to_string());
    let message = Message::from_bytes(ciphertext).map_err(failed)?;
    if !message.is_encrypted() {
        return Err(Error::Decrypt("not an encrypted OpenPGP message".into()));
    }
    let mut message = message
        .decrypt_with_password(&Password::from(passphrase))
        .map_err(failed)?;
    let compressed = message.is_compressed();
    if compressed {
        message = message.decompress().map_err(failed)?;
    }
    let format = match message.literal_data_header().map(|h| h.mode()) {
        Some(DataMode::Binary) => LiteralFormat::Binary,
        Some(DataMode::Text) => LiteralFormat::Text,
        Some(DataMode::Utf8) => LiteralFormat::Utf8,
        Some(DataMode::Mime) => LiteralFormat::Other(b'm'),
        Some(DataMode::Other(b)) => LiteralFormat::Other(b),
        None => return Err(Error::Decrypt("no literal data inside".into())),
    };
    (&mut message)
        .take(MAX_SEGMENT_PLAINTEXT as u64 + 1)
        .read_to_end(plaintext)
        .map_err(|e| Error::Decrypt(e.to_string()))?;
    if plaintext.len() > MAX_SEGMENT_PLAINTEXT {
        return Err(Error::Decrypt(format!(
            "more than {MAX_SEGMENT_PLAINTEXT} bytes of plaintext in one segment"
        )));
    }
    Ok((format, compressed))
}

/// Encrypts a secure message (literal `u`, line ends normalised to CRLF) and encodes it in
/// standard base64, as `PUT /package/{pid}/message/` takes it.
pub fn encrypt_message(passphrase: &str, text: &str) -> Result<String, Error> {
    let mut crlf = Vec::with_capacity(text.len() + text.len() / 32);
    let mut previous = 0u8;
    for &b in text.as_bytes() {
        if b == b'\n' && previous != b'\r' {
            crlf.push(b'\r');
        }
        crlf.push(b);
        previous = b;
    }
    Ok(STANDARD.encode(encrypt(passphrase, crlf, DataMode::Utf8)?))
}

/// Decodes and decrypts a secure message as the server returns it; CRLF becomes LF again.
pub fn decrypt_message(passphrase: &str, base64: &str) -> Result<Zeroizing<String>, Error> {
    let ciphertext = STANDARD
        .decode(base64.trim())
        .map_err(|e| Error::Decrypt(format!("the message is not base64: {e}")))?;
    let decrypted = decrypt(passphrase, &ciphertext)?;
    let text = std::str::from_utf8(&decrypted.plaintext)
        .map_err(|_| Error::Decrypt("the message is not UTF-8 text".into()))?;
    Ok(Zeroizing::new(text.replace("\r\n", "\n")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_follow_the_segment_size() {
        assert_eq!(parts_for(0), 1);
        assert_eq!(parts_for(1), 1);
        assert_eq!(parts_for(SEGMENT_SIZE as u64), 1);
        assert_eq!(parts_for(SEGMENT_SIZE as u64 + 1), 2);
        assert_eq!(parts_for(6_000_000), 3);
    }

    #[test]
    fn a_segment_round_trips_and_a_wrong_passphrase_or_a_flipped_byte_fails() {
        let data: Vec<u8> = (0..100_000u32).map(|i| (i * 7) as u8).collect();
        let sealed = encrypt_segment("pass", &data).unwrap();
        let opened = decrypt("pass", &sealed).unwrap();
        assert_eq!(*opened.plaintext, data);
        assert_eq!(opened.format, LiteralFormat::Binary);
        assert!(!opened.compressed);
        assert!(matches!(decrypt("wrong", &sealed), Err(Error::Decrypt(_))));
        let mut altered = sealed.clone();
        let at = altered.len() - 30;
        altered[at] ^= 1;
        assert!(matches!(decrypt("pass", &altered), Err(Error::Decrypt(_))));
        assert!(matches!(
            decrypt("pass", b"not pgp"),
            Err(Error::Decrypt(_))
        ));
    }

    #[test]
    fn the_owned_form_writes_what_the_borrowed_one_does() {
        let data: Vec<u8> = (0..70_000u32).map(|i| (i * 13) as u8).collect();
        let sealed = encrypt_segment_owned("pass", data.clone()).unwrap();
        assert_eq!(*decrypt("pass", &sealed).unwrap().plaintext, data);
        let borrowed = encrypt_segment("pass", &data).unwrap();
        assert_eq!(
            sealed.len(),
            borrowed.len(),
            "same packets, other salt and prefix"
        );
    }

    #[test]
    fn reused_buffers_round_trip_and_the_plaintext_buffer_comes_back() {
        let data: Vec<u8> = (0..90_000u32).map(|i| (i * 11) as u8).collect();
        let mut plaintext = Vec::with_capacity(100_000);
        plaintext.extend_from_slice(&data);
        let address = plaintext.as_ptr();
        let mut sealed = Vec::with_capacity(100_000 + MESSAGE_OVERHEAD);
        let sealed_address = sealed.as_ptr();
        encrypt_segment_into("pass", &mut plaintext, &mut sealed).unwrap();
        assert_eq!(plaintext, data, "given back with its content");
        assert_eq!(plaintext.as_ptr(), address, "the same allocation");
        assert_eq!(sealed.as_ptr(), sealed_address, "written in its capacity");
        let mut opened = vec![1u8; 7];
        let (format, compressed) = decrypt_into("pass", &sealed, &mut opened).unwrap();
        assert_eq!(opened, data, "emptied first");
        assert_eq!(format, LiteralFormat::Binary);
        assert!(!compressed);
        assert!(matches!(
            decrypt_into("wrong", &sealed, &mut opened),
            Err(Error::Decrypt(_))
        ));
    }

    #[test]
    fn an_empty_segment_round_trips() {
        let sealed = encrypt_segment("pass", b"").unwrap();
        assert!(decrypt("pass", &sealed).unwrap().plaintext.is_empty());
    }

    #[test]
    fn messages_keep_their_text_and_travel_as_standard_base64() {
        let text = "line one\nline two\r\nünïcödé\n";
        let b64 = encrypt_message("pass", text).unwrap();
        assert!(STANDARD.decode(&b64).is_ok());
        assert_eq!(
            *decrypt_message("pass", &b64).unwrap(),
            "line one\nline two\nünïcödé\n"
        );
        let raw = STANDARD.decode(&b64).unwrap();
        assert_eq!(decrypt("pass", &raw).unwrap().format, LiteralFormat::Utf8);
    }
}
