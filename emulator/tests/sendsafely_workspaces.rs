//! SendSafely workspaces (`vdr` packages) over real HTTP (spec §6.11, S32-S36): directories
//! under the root, rename (also JV's GET with a body), files registered in and moved between
//! directories, directory moves, deletes, and the activity log 10 entries at a time.

mod sendsafely_support;
mod support;

use reqwest::Method;
use sendsafely_support::{start, Ss};
use serde_json::{json, Value};

#[tokio::test]
async fn directories_files_moves_and_activity_log() {
    let emu = start(&[]);
    let demo = Ss::demo(&emu);
    let ws = demo
        .ok(Method::PUT, "/package/", Some(&json!({"vdr": true})))
        .await;
    let pid = ws["packageId"].as_str().unwrap().to_string();
    let info = demo.get_ok(&format!("/package/{pid}/")).await;
    assert_eq!(info["isVDR"], true);
    let root = info["rootDirectoryId"].as_str().unwrap().to_string();

    // S32 (PY's slash form), twice, one below the other.
    let a = demo.new_directory(&pid, &root, "Contracts").await;
    let b = demo.new_directory(&pid, &a, "2026").await;
    for bad in [
        json!({"directoryName": ""}),
        json!({}),
        json!({"directoryName": "a/b"}),
    ] {
        let (_, answer) = demo.subdirectory(&pid, &root, &bad).await;
        assert_eq!(answer["response"], "INVALID_INPUT", "{bad}: {answer}");
    }
    let (_, answer) = demo
        .subdirectory(&pid, "dir-none", &json!({"directoryName": "x"}))
        .await;
    assert_eq!(answer["response"], "INVALID_INPUT", "{answer}");

    // A file registered in a directory, listed there, moved to the root (S34, PY: no body).
    let fid = demo
        .register_file(
            &pid,
            &json!({"filename": "nda.pdf", "parts": 1, "filesize": 3, "directoryId": b}),
        )
        .await["fileId"]
        .as_str()
        .unwrap()
        .to_string();
    let dir = demo.get_ok(&format!("/package/{pid}/directory/{b}")).await;
    assert_eq!(dir["directoryName"], "2026");
    assert_eq!(dir["files"][0]["fileId"], json!(fid));
    let f = demo
        .get_ok(&format!("/package/{pid}/directory/{b}/file/{fid}"))
        .await;
    assert_eq!(f["file"]["fileName"], "nda.pdf");
    demo.ok(
        Method::POST,
        &format!("/package/{pid}/directory/{root}/file/{fid}"),
        None,
    )
    .await;
    let dir = demo.get_ok(&format!("/package/{pid}/directory/{b}/")).await;
    assert_eq!(dir["files"], json!([]));
    let top = demo
        .get_ok(&format!("/package/{pid}/directory/{root}"))
        .await;
    assert_eq!(top["files"][0]["fileId"], json!(fid));
    assert_eq!(top["subDirectories"][0]["directoryId"], json!(a));

    // S33 rename by POST and by JV's GET with a body.
    demo.ok(
        Method::POST,
        &format!("/package/{pid}/directory/{a}"),
        Some(&json!({"directoryName": "Legal"})),
    )
    .await;
    demo.ok(
        Method::GET,
        &format!("/package/{pid}/directory/{b}/"),
        Some(&json!({"directoryName": "Y2026"})),
    )
    .await;
    let info = demo.get_ok(&format!("/package/{pid}")).await;
    let mut names: Vec<&str> = info["directories"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["directoryName"].as_str().unwrap())
        .collect();
    names.sort();
    assert_eq!(names, ["Legal", "Y2026"]);

    // S35: b to the root; a into b's subtree is refused after moving b back under a.
    demo.ok(
        Method::POST,
        &format!("/package/{pid}/move/{b}/{root}/"),
        None,
    )
    .await;
    let top = demo
        .get_ok(&format!("/package/{pid}/directory/{root}"))
        .await;
    assert_eq!(top["subDirectories"].as_array().unwrap().len(), 2, "{top}");
    demo.ok(Method::POST, &format!("/package/{pid}/move/{b}/{a}"), None)
        .await;
    // A cycle and a root move are refused; S33 DELETE: the root cannot go.
    for (method, endpoint) in [
        (Method::POST, format!("/package/{pid}/move/{a}/{b}")),
        (Method::POST, format!("/package/{pid}/move/{root}/{a}")),
        (Method::DELETE, format!("/package/{pid}/directory/{root}/")),
    ] {
        demo.refused(method, &endpoint, "FAIL").await;
    }
    // S33 DELETE: a and b below it go.
    demo.ok(
        Method::DELETE,
        &format!("/package/{pid}/directory/{a}"),
        None,
    )
    .await;
    demo.refused(
        Method::GET,
        &format!("/package/{pid}/directory/{b}"),
        "INVALID_INPUT",
    )
    .await;

    // S36: 10 entries per call, newest first, as POST (JS) and GET with a body (JV).
    for i in 0..9 {
        demo.ok(
            Method::POST,
            &format!("/package/{pid}/directory/{root}"),
            Some(&json!({"directoryName": format!("root{i}")})),
        )
        .await;
    }
    let first = demo
        .ok(
            Method::POST,
            &format!("/package/{pid}/activityLog/"),
            Some(&json!({"rowIndex": 0})),
        )
        .await;
    let records = first["records"].as_array().unwrap();
    assert_eq!(records.len(), 10, "{first}");
    assert_eq!(records[0]["details"], "root8");
    let rest = demo
        .ok(
            Method::GET,
            &format!("/package/{pid}/activityLog/"),
            Some(&json!({"rowIndex": 10})),
        )
        .await;
    let actions: Vec<&Value> = rest["records"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| &r["action"])
        .collect();
    assert!(!actions.is_empty() && actions.len() <= 10, "{rest}");
    assert_eq!(actions.last().unwrap().as_str(), Some("DIRECTORY_CREATED"));

    // A package that is not a workspace has no directory operations; Bob may not change one.
    let plain = demo.create_package().await;
    let ppid = plain["packageId"].as_str().unwrap();
    let proot = demo.get_ok(&format!("/package/{ppid}")).await["rootDirectoryId"].clone();
    let (_, refused) = demo
        .subdirectory(
            ppid,
            proot.as_str().unwrap(),
            &json!({"directoryName": "x"}),
        )
        .await;
    assert_eq!(refused["response"], "FAIL", "{refused}");
    let (_, denied) = Ss::bob(&emu)
        .subdirectory(&pid, &root, &json!({"directoryName": "x"}))
        .await;
    assert_eq!(denied["response"], "DENIED", "{denied}");
}
