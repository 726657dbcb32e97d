//! SendSafely Workspaces against the emulator: directories created, read, renamed, moved and
//! deleted, a file moved between directories and downloaded from there, a collaborator's role,
//! the activity log read page by page.

#[allow(dead_code)] // the send tests' helpers, not all used here
#[path = "support/sendsafely_send.rs"]
mod sendsafely_send;
mod sendsafely_sender;
mod support;

use sendsafely_crypto::secrets::{new_keycode, passphrase};
use sendsafely_send::pattern as content;
use sendsafely_sender::{encrypt_segments, Sender, SharedBuffer};
use sendsecure::sendsafely::client::{Client, ClientOptions};
use sendsecure::sendsafely::model::ACTIVITY_PAGE_SIZE;
use sendsecure::{DownloadSink, Error, ServiceCode};
use support::Emulator;

#[tokio::test]
async fn directories_files_roles_and_the_activity_log() {
    let emu = Emulator::sendsafely();
    let sender = Sender::new(&emu.url, "demo-api-key", "demo-api-secret");
    let client = Client::new(
        &emu.url,
        "demo-api-key",
        "demo-api-secret",
        ClientOptions::default(),
    )
    .unwrap();
    let keycode = new_keycode();
    let workspace = sender.create_package(true).await;
    let opened = client.open_package(&workspace.id, &keycode).await.unwrap();
    assert!(opened.info.is_vdr);
    let root = opened.info.root_directory_id.clone();
    assert!(!root.is_empty());

    let reports = client
        .create_directory(&workspace.id, &root, "Reports")
        .await
        .unwrap();
    let year = client
        .create_directory(&workspace.id, &reports, "2026")
        .await
        .unwrap();
    let listed = client.directory(&workspace.id, &root).await.unwrap();
    assert_eq!(listed.directory_id, root);
    assert_eq!(listed.subdirectories.len(), 1);
    assert_eq!(listed.subdirectories[0].directory_id, reports);
    assert_eq!(listed.subdirectories[0].name, "Reports");

    client
        .rename_directory(&workspace.id, &reports, "Finance")
        .await
        .unwrap();
    let finance = client.directory(&workspace.id, &reports).await.unwrap();
    assert_eq!(finance.name, "Finance");
    assert_eq!(finance.parent_id.as_deref(), Some(root.as_str()));
    assert_eq!(finance.subdirectories[0].directory_id, year);

    client
        .move_directory(&workspace.id, &year, &root)
        .await
        .unwrap();
    let mut under_root: Vec<String> = client
        .directory(&workspace.id, &root)
        .await
        .unwrap()
        .subdirectories
        .into_iter()
        .map(|d| d.directory_id)
        .collect();
    under_root.sort();
    let mut expected = vec![reports.clone(), year.clone()];
    expected.sort();
    assert_eq!(under_root, expected);

    // A file added in Finance, moved to 2026, read from there.
    let data = content(5000, 11);
    let segments = encrypt_segments(&passphrase(&workspace.server_secret, &keycode), &data, 2000);
    let fid = sender
        .add_file(
            &workspace.id,
            "q1.xlsx",
            data.len() as u64,
            &segments,
            Some(&reports),
        )
        .await;
    assert_eq!(
        client
            .directory(&workspace.id, &reports)
            .await
            .unwrap()
            .files[0]
            .file_id,
        fid
    );
    client.move_file(&workspace.id, &fid, &year).await.unwrap();
    let moved = client.directory(&workspace.id, &year).await.unwrap();
    assert_eq!(moved.files.len(), 1);
    assert_eq!(moved.files[0].file_name, "q1.xlsx");
    assert_eq!(moved.files[0].directory_id.as_deref(), Some(year.as_str()));
    assert!(client
        .directory(&workspace.id, &reports)
        .await
        .unwrap()
        .files
        .is_empty());
    let opened = client.open_package(&workspace.id, &keycode).await.unwrap();
    let buffer = SharedBuffer::default();
    client
        .download_file(
            &opened,
            &fid,
            DownloadSink::Writer(Box::new(buffer.clone())),
            None,
        )
        .await
        .unwrap();
    assert_eq!(buffer.bytes(), data);

    // A collaborator's role.
    let bob = sender
        .add_recipient(&workspace.id, "bob@acme.example")
        .await;
    client
        .update_recipient_role(&workspace.id, &bob, "MANAGER")
        .await
        .unwrap();
    let shown = sender
        .call(
            "GET",
            &format!("package/{}/recipient/{bob}/", workspace.id),
            None,
        )
        .await;
    assert_eq!(shown["roleName"], "MANAGER");

    client
        .delete_directory(&workspace.id, &reports)
        .await
        .unwrap();
    match client.directory(&workspace.id, &reports).await {
        Err(Error::Service { code, .. }) => {
            assert_eq!(code, ServiceCode::Name("INVALID_INPUT".into()))
        }
        other => panic!("expected the deleted directory refused, got {other:?}"),
    }
    assert!(matches!(
        client.create_directory(&workspace.id, &root, "a/b").await,
        Err(Error::InvalidArgument(_))
    ));
    assert!(matches!(
        client.create_directory(&workspace.id, &root, "  ").await,
        Err(Error::InvalidArgument(_))
    ));

    // Enough events for three pages: 12 more directories.
    for n in 0..12 {
        client
            .create_directory(&workspace.id, &root, &format!("d{n}"))
            .await
            .unwrap();
    }
    // Events so far: 2 created, renamed, moved, file added, file moved, deleted, 12 created.
    let total = 2 + 1 + 1 + 1 + 1 + 1 + 12;
    let mut records = vec![];
    let mut row = 0;
    loop {
        let page = client.activity_log(&workspace.id, row).await.unwrap();
        assert!(page.records.len() <= ACTIVITY_PAGE_SIZE);
        let count = page.records.len();
        assert_eq!(page.next_row_index, row + count as u64);
        records.extend(page.records);
        row = page.next_row_index;
        if count < ACTIVITY_PAGE_SIZE {
            break;
        }
    }
    assert_eq!(records.len(), total);
    assert_eq!(records[0].action, "DIRECTORY_CREATED");
    assert_eq!(records[0].details, "d11");
    assert_eq!(records[0].user_email, "demo@acme.example");
    assert_eq!(records[total - 1].details, "Reports");
    let actions: Vec<&str> = records.iter().map(|r| r.action.as_str()).collect();
    for action in [
        "DIRECTORY_RENAMED",
        "DIRECTORY_MOVED",
        "FILE_ADDED",
        "FILE_MOVED",
        "DIRECTORY_DELETED",
    ] {
        assert!(actions.contains(&action), "{action} in {actions:?}");
    }
}
