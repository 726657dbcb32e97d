//! SendSafely files over real HTTP: registration with part counts, upload URLs served by the
//! emulator itself (batches of 25, expiring, verified), segments stored and served byte for
//! byte, completion, the multipart alternative (S23), file information and delete, and the
//! download side (package from the link's packageCode, download URLs, segments), against the
//! golden fixtures (spec §6.5-§6.7, §6.12, §10.5).

mod sendsafely_support;
mod support;

use reqwest::{Method, StatusCode};
use sendsafely_support::{
    assert_shape, checksum_for, fixture, now_timestamp, part_numbers, put_raw, segment, sign,
    start, Ss,
};
use serde_json::{json, Value};

#[tokio::test]
async fn upload_finalize_and_download_byte_for_byte() {
    let emu = start(&[]);
    let demo = Ss::demo(&emu);
    let bob = Ss::bob(&emu);
    let created = demo
        .ok(Method::PUT, "/package", Some(&json!({"vdr": "false"})))
        .await;
    let pid = created["packageId"].as_str().unwrap().to_string();
    let code = created["packageCode"].as_str().unwrap().to_string();
    demo.ok(
        Method::PUT,
        &format!("/package/{pid}/recipient"),
        Some(&json!({"email": "bob@acme.example"})),
    )
    .await;

    // S19 with SF-10's PY body (no uploadType).
    let sf10 = fixture("SF-10")["block"].clone();
    let reg = demo
        .call(
            Method::PUT,
            &format!("/package/{pid}/file"),
            Some(r#"{"filename": "report.bin", "parts": 4, "filesize": 6000000}"#),
        )
        .await
        .1;
    assert_shape(&sf10["response"], &reg, "SF-10 response");
    assert_eq!(reg["message"], reg["fileId"], "{reg}");
    let fid = reg["fileId"].as_str().unwrap().to_string();
    for bad in [
        json!({"filename": "", "parts": 1, "filesize": 0}),
        json!({"filename": "a", "parts": 0, "filesize": 0}),
        json!({"filename": "a", "parts": 1, "filesize": -1}),
        json!({"filename": "a", "parts": "x", "filesize": 1}),
    ] {
        let (_, answer) = demo
            .json(Method::PUT, &format!("/package/{pid}/file/"), &bad)
            .await;
        assert_eq!(answer["response"], "INVALID_INPUT", "{bad}: {answer}");
    }

    // S20, SF-11: exactly 4 URLs in part order, on the emulator's own origin.
    let urls = demo.upload_urls(&pid, &fid, 1).await;
    assert_shape(&fixture("SF-11")["block"]["response"], &urls, "SF-11");
    let urls: Vec<String> = urls["uploadUrls"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["url"].as_str().unwrap().to_string())
        .collect();
    assert!(
        urls.iter()
            .all(|u| u.starts_with(&format!("{}/_storage/", emu.url))),
        "{urls:?}"
    );
    for part in [0, 5] {
        let (_, bad) = demo
            .json(
                Method::POST,
                &format!("/package/{pid}/file/{fid}/upload-urls"),
                &json!({"part": part}),
            )
            .await;
        assert_eq!(bad["response"], "INVALID_INPUT", "part {part}: {bad}");
    }

    // S21: the PY plan of SF-17 for 6,000,000 bytes, the last part an empty segment (scaled
    // down: the emulator stores whatever it is sent).
    let sizes = [2621, 2621, 757, 0];
    let mut sent = vec![];
    for (i, (url, size)) in urls.iter().zip(sizes).enumerate() {
        let (_, done) = demo
            .ok(
                Method::POST,
                &format!("/package/{pid}/file/{fid}/upload-complete"),
                Some(&json!({"complete": true})),
            )
            .await
            .as_object()
            .map(|o| (StatusCode::OK, Value::Object(o.clone())))
            .unwrap();
        assert_eq!(done["message"], "false", "{i} parts stored: {done}");
        let bytes = segment(i as u8 + 1, size);
        let (status, body) = put_raw(url, segment(99, 10)).await;
        assert_eq!((status, body.as_str()), (StatusCode::OK, ""));
        // A retry overwrites.
        let (status, _) = put_raw(url, bytes.clone()).await;
        assert_eq!(status, StatusCode::OK);
        sent.push(bytes);
    }
    let done = demo.upload_complete(&pid, &fid).await;
    assert_shape(
        &fixture("SF-12")["block"]["uploadComplete"],
        &done,
        "SF-12 uploadComplete",
    );
    // Unknown tokens are refused, S3 style.
    let (status, body) = put_raw(&format!("{}/_storage/nope", emu.url), vec![1]).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(body.contains("<Code>AccessDenied</Code>"), "{body}");

    // S24, SF-16.
    let info = demo.get_ok(&format!("/package/{pid}/file/{fid}")).await;
    let mut sf16 = fixture("SF-16")["block"].clone();
    sf16["file"]["fileName"] = json!("report.bin");
    assert_shape(&sf16, &info, "SF-16");
    assert_eq!(info["file"]["fileUploaded"], true);

    // Finalize, then Bob downloads: package from the link's code, S26 with SF-15's body, S27.
    let keycode = "Xk3Zt9Qq1VYb7rJmW0cN2dF5gH8iL4oP6sT-uA_eR2w";
    let checksum = checksum_for(keycode, &code);
    demo.ok(
        Method::POST,
        &format!("/package/{pid}/finalize"),
        Some(&json!({"checksum": checksum})),
    )
    .await;
    let by_code = bob.get_ok(&format!("/package/{code}")).await;
    assert_eq!(by_code["packageId"], json!(pid));
    assert_eq!(by_code["serverSecret"], created["serverSecret"]);
    let body = format!(r#"{{"checksum": "{checksum}", "startSegment": 1, "endSegment": 25}}"#);
    let down = bob
        .call(
            Method::POST,
            &format!("/package/{pid}/file/{fid}/download-urls"),
            Some(&body),
        )
        .await
        .1;
    assert_shape(&fixture("SF-15")["block"]["response"], &down, "SF-15");
    for (i, u) in down["downloadUrls"].as_array().unwrap().iter().enumerate() {
        assert_eq!(u["part"], i + 1);
        let r = reqwest::get(u["url"].as_str().unwrap()).await.unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        assert_eq!(r.headers()["content-type"], "application/octet-stream");
        assert_eq!(r.bytes().await.unwrap().to_vec(), sent[i], "part {}", i + 1);
    }
    // A batch of one; a wrong checksum; a malformed one.
    let one = bob
        .ok(
            Method::POST,
            &format!("/package/{pid}/file/{fid}/download-urls/"),
            Some(&json!({"checksum": checksum, "startSegment": 3, "endSegment": 3})),
        )
        .await;
    assert_eq!(one["downloadUrls"].as_array().unwrap().len(), 1);
    assert_eq!(one["downloadUrls"][0]["part"], 3);
    for bad in ["0".repeat(64), "XYZ".into()] {
        let (_, answer) = bob
            .json(
                Method::POST,
                &format!("/package/{pid}/file/{fid}/download-urls"),
                &json!({"checksum": bad, "startSegment": 1, "endSegment": 25}),
            )
            .await;
        assert_eq!(answer["response"], "FAIL", "{answer}");
    }
    // An upload URL is not a download URL, and no upload after finalize.
    let r = reqwest::get(&urls[0]).await.unwrap();
    assert_eq!(r.status(), StatusCode::FORBIDDEN);
    let (status, _) = put_raw(&urls[0], vec![0]).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    let (_, closed) = demo
        .json(
            Method::PUT,
            &format!("/package/{pid}/file"),
            &json!({"filename": "b", "parts": 1, "filesize": 1}),
        )
        .await;
    assert_eq!(closed["response"], "FAIL", "{closed}");
}

#[tokio::test]
async fn batches_of_25_expiry_multipart_and_file_delete() {
    let emu = start(&[]);
    let demo = Ss::demo(&emu);
    let created = demo.create_package().await;
    let pid = created["packageId"].as_str().unwrap().to_string();
    let reg = demo
        .register_file(&pid, &json!({"filename": "big", "uploadType": "NODE_API", "parts": 30, "filesize": 78643200})).await;
    let fid = reg["message"].as_str().unwrap().to_string();
    let first = demo.upload_urls(&pid, &fid, 1).await;
    let parts: Vec<u64> = part_numbers(&first);
    assert_eq!(parts, (1..=25).collect::<Vec<u64>>());
    let second = demo.upload_urls(&pid, &fid, 26).await;
    let parts: Vec<u64> = part_numbers(&second);
    assert_eq!(parts, (26..=30).collect::<Vec<u64>>());
    // Finalize refuses an incomplete file, with errors.
    let refused = demo.finalize_with(&pid, &"a".repeat(64)).await;
    assert_eq!(refused["response"], "FAIL", "{refused}");
    assert!(refused["errors"].is_array(), "{refused}");

    // URLs expire with the emulated clock (default lifetime 1 h).
    let url = first["uploadUrls"][0]["url"].as_str().unwrap().to_string();
    let (status, _) = emu
        .control(
            Method::POST,
            "clock",
            Some(json!({"advance_seconds": 3601})),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    let (status, body) = put_raw(&url, vec![1, 2, 3]).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert!(body.contains("expired"), "{body}");

    // S23: multipart to the API, signed over requestData (filePart as a string, as JV sends).
    let small = demo
        .ok(
            Method::PUT,
            &format!("/package/{pid}/file"),
            Some(&json!({"filename": "s", "parts": 2, "filesize": 6})),
        )
        .await;
    let sid = small["fileId"].as_str().unwrap().to_string();
    for (part, bytes) in [("1", b"abc".to_vec()), ("2", vec![0xff, 0, 0x80])] {
        let data = format!(r#"{{"fileId":"{sid}","uploadType":"JAVA_API","filePart":"{part}"}}"#);
        let path = format!("/api/v2.0/package/{pid}/file/{sid}/");
        let ts = now_timestamp();
        let sig = sign(
            "demo-api-key",
            "demo-api-secret",
            &path,
            &ts,
            data.as_bytes(),
        );
        let form = reqwest::multipart::Form::new()
            .text("requestData", data.clone())
            .part(
                "textFile",
                reqwest::multipart::Part::bytes(bytes.clone())
                    .file_name("s")
                    .mime_str("text/plain; charset=UTF-8")
                    .unwrap(),
            );
        let send = |form: reqwest::multipart::Form, sig: String| {
            reqwest::Client::new()
                .post(format!("{}{path}", emu.url))
                .header("ss-api-key", "demo-api-key")
                .header("ss-request-timestamp", ts.clone())
                .header("ss-request-signature", sig)
                .multipart(form)
                .send()
        };
        let answer: Value = send(form, sig).await.unwrap().json().await.unwrap();
        assert_eq!(answer["response"], "SUCCESS", "{answer}");
        // Signed over the multipart bytes instead: refused.
        let form = reqwest::multipart::Form::new()
            .text("requestData", data)
            .part("textFile", reqwest::multipart::Part::bytes(bytes));
        let wrong = sign("demo-api-key", "demo-api-secret", &path, &ts, b"");
        let answer: Value = send(form, wrong).await.unwrap().json().await.unwrap();
        assert_eq!(answer["response"], "AUTHENTICATION_FAILED", "{answer}");
    }
    let info = demo.get_ok(&format!("/package/{pid}/file/{sid}/")).await;
    assert_eq!(info["file"]["fileUploaded"], true, "{info}");
    let done = demo
        .ok(
            Method::POST,
            &format!("/package/{pid}/file/{sid}/upload-complete"),
            Some(&json!({"complete": true})),
        )
        .await;
    assert_eq!(done["message"], "true");

    // S25: delete the big file; its info is gone.
    demo.ok(Method::DELETE, &format!("/package/{pid}/file/{fid}"), None)
        .await;
    let (_, gone) = demo
        .call(Method::GET, &format!("/package/{pid}/file/{fid}"), None)
        .await;
    assert_eq!(gone["response"], "INVALID_INPUT", "{gone}");
    let info = demo.get_ok(&format!("/package/{pid}")).await;
    assert_eq!(info["files"].as_array().unwrap().len(), 1, "{info}");
}
