//! Packages sent before a C, C++ or Python receive test runs (those languages have no send API
//! yet in this library's tests): sent by demo over the wire protocol (tests/sendsafely_sender),
//! with contents the test programs compute themselves, and handed to them in environment
//! variables. Included with `#[path]` next to `mod sendsafely_sender;`.
#![allow(dead_code)] // not every runner uses every item

use crate::sendsafely_sender::{encrypt_segments, NewPackage, Sender};
use sendsafely_crypto::secrets::{new_keycode, passphrase};

/// The secure message of the full package (`SS_TEST_SS_MESSAGE`).
pub const MESSAGE: &str = "Bonjour,\nvoici les pièces — 2 fichiers.\n";

/// Byte `i` of a seeded file made with `seed`; the test programs compute the same
/// (`(uint8_t)(i * 7 + (i >> 8) + seed * 13)` over 32-bit unsigned integers).
pub fn content_byte(i: usize, seed: u32) -> u8 {
    (i as u32)
        .wrapping_mul(7)
        .wrapping_add((i as u32) >> 8)
        .wrapping_add(seed.wrapping_mul(13)) as u8
}

/// `size` bytes of a seeded file.
pub fn content(size: usize, seed: u32) -> Vec<u8> {
    (0..size).map(|i| content_byte(i, seed)).collect()
}

/// The files of the full package: name, size, seed; segments of [`SEGMENT`] bytes.
pub const FULL_FILES: [(&str, usize, u32); 2] =
    [("report.pdf", 2500, 1), ("../notes:1.txt", 10, 2)];

/// The segment size of the seeded files: several segments (and progress reports) per file.
pub const SEGMENT: usize = 1000;

/// The packages, as environment variables for the test program:
/// - `SS_TEST_SS_LINK`, `SS_TEST_SS_PACKAGE_ID`, `SS_TEST_SS_MESSAGE`: demo's finalized package
///   to bob@acme.example with [`FULL_FILES`] and [`MESSAGE`];
/// - `SS_TEST_SS_TAMPERED_LINK`: finalized, one file `tampered.bin` (2000 bytes, seed 3) whose
///   second segment was altered after encryption;
/// - `SS_TEST_SS_OPEN_ID`: not finalized (the emulator pins the first checksum it sees, so a
///   wrong keycode gets segments that do not decrypt), one file `open.bin` (1500 bytes, seed 4);
/// - `SS_TEST_SS_BADSIZE_LINK`: finalized, one file `badsize.bin` of 2500 bytes (seed 5)
///   registered as 2501.
pub fn seed_packages(url: &str) -> Vec<(&'static str, String)> {
    let runtime = tokio::runtime::Runtime::new().expect("a runtime for the seeding");
    runtime.block_on(async {
        let sender = Sender::new(url, "demo-api-key", "demo-api-secret");
        let mut env = vec![];

        let (full, keycode) = package(&sender).await;
        let pass = passphrase(&full.server_secret, &keycode);
        for (name, size, seed) in FULL_FILES {
            let data = content(size, seed);
            let segments = encrypt_segments(&pass, &data, SEGMENT);
            sender
                .add_file(&full.id, name, size as u64, &segments, None)
                .await;
        }
        let message = sendsafely_crypto::segment::encrypt_message(&pass, MESSAGE).unwrap();
        sender
            .call(
                "PUT",
                &format!("package/{}/message/", full.id),
                Some(serde_json::json!({ "message": message })),
            )
            .await;
        sender.add_recipient(&full.id, "bob@acme.example").await;
        sender.wrap_keycode_to_keys(&full.id, &keycode).await;
        env.push(("SS_TEST_SS_LINK", sender.finalize(&full, &keycode).await));
        env.push(("SS_TEST_SS_PACKAGE_ID", full.id.clone()));
        env.push(("SS_TEST_SS_MESSAGE", MESSAGE.to_string()));

        let (tampered, keycode) = package(&sender).await;
        let pass = passphrase(&tampered.server_secret, &keycode);
        let mut segments = encrypt_segments(&pass, &content(2000, 3), SEGMENT);
        let at = segments[1].len() - 5;
        segments[1][at] ^= 0x40;
        sender
            .add_file(&tampered.id, "tampered.bin", 2000, &segments, None)
            .await;
        let link = sender.finalize(&tampered, &keycode).await;
        env.push(("SS_TEST_SS_TAMPERED_LINK", link));

        let (open, keycode) = package(&sender).await;
        let pass = passphrase(&open.server_secret, &keycode);
        let segments = encrypt_segments(&pass, &content(1500, 4), SEGMENT);
        sender
            .add_file(&open.id, "open.bin", 1500, &segments, None)
            .await;
        env.push(("SS_TEST_SS_OPEN_ID", open.id.clone()));

        let (badsize, keycode) = package(&sender).await;
        let pass = passphrase(&badsize.server_secret, &keycode);
        let segments = encrypt_segments(&pass, &content(2500, 5), SEGMENT);
        sender
            .add_file(&badsize.id, "badsize.bin", 2501, &segments, None)
            .await;
        let link = sender.finalize(&badsize, &keycode).await;
        env.push(("SS_TEST_SS_BADSIZE_LINK", link));
        env
    })
}

/// A new package of the sender and its keycode.
async fn package(sender: &Sender) -> (NewPackage, String) {
    (
        sender.create_package(false).await,
        new_keycode().to_string(),
    )
}
