//! Trusted-device keys and the keycode wrapped to them (§4.6).
//!
//! Keys are v4 RSA-2048 with a user ID, a Sign|Certify primary and an RSA encryption subkey,
//! like the SDKs' own trusted-device keys, so that every SDK can wrap a keycode to them.

use pgp::composed::{
    ArmorOptions, Deserializable, EncryptionCaps, KeyType, Message, MessageBuilder,
    SecretKeyParamsBuilder, SignedPublicKey, SignedPublicSubKey, SignedSecretKey,
    SubkeyParamsBuilder,
};
use pgp::crypto::hash::HashAlgorithm;
use pgp::crypto::sym::SymmetricKeyAlgorithm;
use pgp::packet::DataMode;
use pgp::types::{KeyDetails, Password};
use rand::rngs::OsRng;
use smallvec::smallvec;
use zeroize::Zeroizing;

use crate::Error;

/// A generated key pair, both halves ASCII-armored; the secret half is wiped when dropped.
pub struct KeyPair {
    pub public_armored: String,
    pub secret_armored: Zeroizing<String>,
}

fn key_error(e: impl std::fmt::Display) -> Error {
    Error::Key(e.to_string())
}

/// Generates a trusted-device key pair for `user_id` (e.g. `Trusted Browser <a@b.example>`);
/// the secret key is not protected by a password (the caller stores it securely).
pub fn generate(user_id: &str) -> Result<KeyPair, Error> {
    let mut subkey = SubkeyParamsBuilder::default();
    subkey
        .key_type(KeyType::Rsa(2048))
        .can_sign(false)
        .can_encrypt(EncryptionCaps::All)
        .can_authenticate(false);
    let mut params = SecretKeyParamsBuilder::default();
    params
        .key_type(KeyType::Rsa(2048))
        .can_certify(true)
        .can_sign(true)
        .can_encrypt(EncryptionCaps::None)
        .primary_user_id(user_id.into())
        .preferred_symmetric_algorithms(smallvec![SymmetricKeyAlgorithm::AES256])
        .preferred_hash_algorithms(smallvec![HashAlgorithm::Sha256])
        .subkeys(vec![subkey.build().map_err(key_error)?]);
    let secret = params
        .build()
        .map_err(key_error)?
        .generate(OsRng)
        .map_err(key_error)?;
    let public = SignedPublicKey::from(secret.clone());
    Ok(KeyPair {
        public_armored: public
            .to_armored_string(ArmorOptions::default())
            .map_err(key_error)?,
        secret_armored: Zeroizing::new(
            secret
                .to_armored_string(ArmorOptions::default())
                .map_err(key_error)?,
        ),
    })
}

fn encryption_subkey(key: &SignedPublicKey) -> Option<&SignedPublicSubKey> {
    key.public_subkeys.iter().find(|sub| {
        sub.algorithm().can_encrypt()
            && sub.signatures.iter().any(|sig| {
                let flags = sig.key_flags();
                flags.encrypt_comms() || flags.encrypt_storage()
            })
    })
}

/// Reads an armored public key and checks that it has a user ID and a usable encryption subkey;
/// answers its fingerprint (hex).
pub fn check_public_key(armored: &str) -> Result<String, Error> {
    let (key, _) = SignedPublicKey::from_string(armored).map_err(key_error)?;
    key.verify_bindings().map_err(key_error)?;
    if key.details.users.is_empty() {
        return Err(Error::Key("the key has no user ID".into()));
    }
    if encryption_subkey(&key).is_none() {
        return Err(Error::Key("the key has no encryption subkey".into()));
    }
    Ok(hex::encode(key.fingerprint().as_bytes()))
}

/// The armored public half of an armored secret key, checked as [`check_public_key`] does (a
/// stored trusted-device key read back).
pub fn public_key_of(secret_armored: &str) -> Result<String, Error> {
    let (secret, _) = SignedSecretKey::from_string(secret_armored).map_err(key_error)?;
    let public = SignedPublicKey::from(secret)
        .to_armored_string(ArmorOptions::default())
        .map_err(key_error)?;
    check_public_key(&public)?;
    Ok(public)
}

/// Wraps a keycode to a public key's encryption subkey: PKESK v3, SEIPD v1 AES-256, literal `u`,
/// ASCII-armored.
pub fn wrap_keycode(public_armored: &str, keycode: &str) -> Result<String, Error> {
    let (key, _) = SignedPublicKey::from_string(public_armored).map_err(key_error)?;
    let subkey = encryption_subkey(&key)
        .ok_or_else(|| Error::Key("the key has no encryption subkey".into()))?;
    let failed = |e: pgp::errors::Error| Error::Encrypt(e.to_string());
    let mut builder = MessageBuilder::from_bytes("", keycode.as_bytes().to_vec())
        .seipd_v1(OsRng, SymmetricKeyAlgorithm::AES256);
    builder.data_mode(DataMode::Utf8).map_err(failed)?;
    builder.encrypt_to_key(OsRng, subkey).map_err(failed)?;
    builder
        .to_armored_string(OsRng, ArmorOptions::default())
        .map_err(failed)
}

/// Unwraps a keycode wrapped to the key pair whose armored secret key is given (literal
/// `t`, `u` or `b` are all read as text).
pub fn unwrap_keycode(
    secret_armored: &str,
    wrapped_armored: &str,
) -> Result<Zeroizing<String>, Error> {
    let (secret, _) = SignedSecretKey::from_string(secret_armored).map_err(key_error)?;
    let failed = |e: pgp::errors::Error| Error::Decrypt(e.to_string());
    let (message, _) = Message::from_string(wrapped_armored).map_err(failed)?;
    let mut message = message
        .decrypt(&Password::empty(), &secret)
        .map_err(failed)?;
    if message.is_compressed() {
        message = message.decompress().map_err(failed)?;
    }
    let mut text = Zeroizing::new(Vec::new());
    std::io::Read::read_to_end(&mut std::io::Read::take(&mut message, 4096), &mut text)
        .map_err(|e| Error::Decrypt(e.to_string()))?;
    let text = String::from_utf8(std::mem::take(&mut *text))
        .map_err(|_| Error::Decrypt("the wrapped keycode is not text".into()))?;
    Ok(Zeroizing::new(text.trim().to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_public_half_is_read_back_from_the_secret_half() {
        let pair = generate("Trusted Browser <a@acme.example>").unwrap();
        let public = public_key_of(&pair.secret_armored).unwrap();
        assert_eq!(
            check_public_key(&public).unwrap(),
            check_public_key(&pair.public_armored).unwrap()
        );
        assert!(public_key_of(&pair.public_armored).is_err());
        assert!(public_key_of("not a key").is_err());
    }

    #[test]
    fn a_keycode_wrapped_to_a_generated_key_unwraps_with_its_secret_half_only() {
        let pair = generate("Trusted Browser <a@acme.example>").unwrap();
        let fingerprint = check_public_key(&pair.public_armored).unwrap();
        assert_eq!(fingerprint.len(), 40);
        let wrapped = wrap_keycode(&pair.public_armored, "the-keycode").unwrap();
        assert!(wrapped.starts_with("-----BEGIN PGP MESSAGE-----"));
        assert_eq!(
            *unwrap_keycode(&pair.secret_armored, &wrapped).unwrap(),
            "the-keycode"
        );
        let other = generate("Trusted Browser <b@acme.example>").unwrap();
        assert!(unwrap_keycode(&other.secret_armored, &wrapped).is_err());
    }

    #[test]
    fn not_a_key_is_refused() {
        assert!(check_public_key("hello").is_err());
        assert!(wrap_keycode(
            "-----BEGIN PGP PUBLIC KEY BLOCK-----\n\n=abcd\n-----END PGP PUBLIC KEY BLOCK-----\n",
            "k"
        )
        .is_err());
    }
}
