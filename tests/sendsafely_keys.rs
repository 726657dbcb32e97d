//! Trusted-device keys against the emulator: a key generated and registered, a package's
//! keycode wrapped to it by another user's finalize and unwrapped, a key that does not open it, revocation.

mod support;

use sendsecure::sendsafely::client::{Client, ClientOptions};
use sendsecure::sendsafely::model::TrustedDeviceKey;
use sendsecure::{Error, ServiceCode};
use support::Emulator;

#[tokio::test]
async fn a_keycode_wrapped_to_a_registered_key_unwraps_until_the_key_is_revoked() {
    let emu = Emulator::sendsafely();
    let demo = Client::new(
        &emu.url,
        "demo-api-key",
        "demo-api-secret",
        ClientOptions::default(),
    )
    .unwrap();
    let key = demo.add_trusted_device_key("laptop").await.unwrap();
    assert!(!key.id.is_empty());
    sendsafely_crypto::keys::check_public_key(&key.public_armored).unwrap();
    assert!(key.secret_armored.contains("BEGIN PGP PRIVATE KEY BLOCK"));
    let shown = format!("{key:?}");
    assert!(!shown.contains("PRIVATE KEY"), "{shown}");

    // Bob sends a package to demo; finalize wraps its keycode to the keys it lists: demo's.
    let bob = Client::new(
        &emu.url,
        "bob-api-key",
        "bob-api-secret",
        ClientOptions::default(),
    )
    .unwrap();
    let package = bob.create_package().await.unwrap();
    bob.add_recipient(&package.package_id, "demo@acme.example")
        .await
        .unwrap();
    let finalized = bob.finalize_package(&package).await.unwrap();
    assert_eq!(finalized.wrapped_keys, vec![key.id.clone()]);
    let keycode = package.keycode.as_str();

    let unwrapped = demo
        .package_keycode(&package.package_id, &key)
        .await
        .unwrap();
    assert_eq!(unwrapped.as_str(), keycode);
    // With the keycode, demo opens the package like any recipient.
    let opened = demo
        .open_package(&package.package_id, &unwrapped)
        .await
        .unwrap();
    assert_eq!(opened.info.package_code, package.package_code);

    // Another secret half under the same id does not open it.
    let other = sendsafely_crypto::keys::generate("Trusted Browser <demo@acme.example>").unwrap();
    let impostor = TrustedDeviceKey {
        id: key.id.clone(),
        public_armored: other.public_armored,
        secret_armored: other.secret_armored,
    };
    assert!(matches!(
        demo.package_keycode(&package.package_id, &impostor).await,
        Err(Error::Crypto(_))
    ));

    demo.revoke_trusted_device_key(&key.id).await.unwrap();
    match demo.package_keycode(&package.package_id, &key).await {
        Err(Error::Service { code, .. }) => assert_eq!(code, ServiceCode::Name("FAIL".into())),
        other => panic!("expected a refusal after revocation, got {other:?}"),
    }
    match demo.revoke_trusted_device_key(&key.id).await {
        Err(Error::Service { code, .. }) => assert_eq!(code, ServiceCode::Name("FAIL".into())),
        other => panic!("expected the unknown key refused, got {other:?}"),
    }
    assert!(matches!(
        demo.revoke_trusted_device_key("").await,
        Err(Error::InvalidArgument(_))
    ));
}
