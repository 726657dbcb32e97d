//! Replays the golden corpus of spec §14 (fixtures G-01…G-84) over real HTTP against the
//! emulator.
//!
//! The fixtures are the repository's copy of the spec's §14, `tests/golden/sendsecure.json`
//! (id, title, kind, status and the JSON blocks of each `#### G-NN.` entry). Every request fixture is sent (with
//! real GUIDs and ids substituted) and must be accepted; every response and object fixture is
//! compared with [`assert_shape`] against the matching real answer; every error fixture must come
//! back with its status and exactly its keys (and its text, where the emulator reproduces it).
//!
//! The tests are grouped by area, each with its own emulator; each area declares the fixtures it
//! covers and checks at its end that it exercised exactly those, and
//! `corpus_is_parsed_and_fully_assigned` checks that the areas together cover the whole corpus.

mod support;

use reqwest::{Method, StatusCode};
use serde::Deserialize;
use serde_json::{json, Value};
use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;
use support::{type_name, Api, Emulator};

// ---------------------------------------------------------------------------------------------
// The corpus
// ---------------------------------------------------------------------------------------------

/// What a fixture describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
enum Kind {
    /// A body an SDK sends.
    Request,
    /// A body the server answers, with its status.
    Response,
    /// An object the API returns inside some answer (no status).
    Object,
}

/// One fixture of spec §14 (`#### G-NN. Title`, its description line, its ```json blocks).
#[derive(Debug, Deserialize)]
struct Fixture {
    id: String,
    title: String,
    kind: Kind,
    /// The HTTP status of a response fixture (`None` for G-84, which lists several bodies).
    status: Option<u16>,
    /// The ```json blocks, in their order.
    blocks: Vec<Value>,
}

/// The corpus, read once per test binary from the repository's own copy.
fn corpus() -> &'static BTreeMap<String, Fixture> {
    static CORPUS: OnceLock<BTreeMap<String, Fixture>> = OnceLock::new();
    CORPUS.get_or_init(|| {
        let fixtures: Vec<Fixture> = serde_json::from_str(include_str!("golden/sendsecure.json"))
            .expect("tests/golden/sendsecure.json holds the fixtures");
        let mut corpus = BTreeMap::new();
        for f in fixtures {
            let id = f.id.clone();
            assert!(corpus.insert(id.clone(), f).is_none(), "{id} appears twice");
        }
        corpus
    })
}

/// `G-01`…`G-84` style ids for inclusive ranges of fixture numbers.
fn ids(ranges: &[(u32, u32)]) -> BTreeSet<String> {
    ranges
        .iter()
        .flat_map(|&(from, to)| from..=to)
        .map(|n| format!("G-{n:02}"))
        .collect()
}

const TOKEN_AREA: &[(u32, u32)] = &[(1, 4)];
const CREATION_AREA: &[(u32, u32)] = &[(5, 14), (83, 83)];
const ENTERPRISE_AREA: &[(u32, u32)] = &[(15, 29), (79, 80), (82, 82)];
const PARTICIPANTS_AREA: &[(u32, u32)] = &[(35, 46), (81, 81)];
const ACTIONS_AREA: &[(u32, u32)] = &[(30, 34), (47, 59), (71, 77), (84, 84)];
const READS_AREA: &[(u32, u32)] = &[(60, 70), (78, 78)];

/// The request fixtures of the spec (bodies SDKs send).
const REQUEST_FIXTURES: [u32; 20] = [
    3, 8, 9, 13, 21, 23, 25, 27, 30, 33, 35, 37, 39, 41, 42, 47, 71, 81, 82, 83,
];
/// The object fixtures (objects found inside answers).
const OBJECT_FIXTURES: [u32; 5] = [16, 19, 78, 79, 80];

// ---------------------------------------------------------------------------------------------
// The comparator
// ---------------------------------------------------------------------------------------------

fn short(v: &Value) -> String {
    let text = v.to_string();
    if text.chars().count() > 100 {
        format!("{}…", text.chars().take(100).collect::<String>())
    } else {
        text
    }
}

fn is_id_key(key: &str) -> bool {
    key == "id" || key.ends_with("_id")
}

/// Whether `actual` has the type of `fixture` under `key`, with the SDK quirks of spec §1.5 and
/// §13.6: a fixture `null` matches anything, an id may be a number or a string, and java's
/// string-typed scalars (`"true"`, `"10485"`) match booleans and numbers.
fn same_type(key: &str, fixture: &Value, actual: &Value) -> bool {
    match (fixture, actual) {
        (Value::Null, _)
        | (Value::Bool(_), Value::Bool(_))
        | (Value::Number(_), Value::Number(_))
        | (Value::String(_), Value::String(_))
        | (Value::Array(_), Value::Array(_))
        | (Value::Object(_), Value::Object(_)) => true,
        (Value::Number(_) | Value::String(_), Value::Number(_) | Value::String(_))
            if is_id_key(key) =>
        {
            true
        }
        (Value::String(s), Value::Bool(_)) => s == "true" || s == "false",
        (Value::String(s), Value::Number(_)) => s.trim().parse::<f64>().is_ok(),
        _ => false,
    }
}

fn type_tag(v: &Value) -> Option<&str> {
    v.get("type").and_then(Value::as_str)
}

/// The fixture element an actual array element is compared with: the one with the same `type`
/// (participants `guest`/`user`, search results `favorite`/`user`), else an untyped one, else
/// the first.
fn pick<'a>(fixture: &'a [Value], actual: &Value) -> &'a Value {
    if let Some(tag) = type_tag(actual) {
        if let Some(f) = fixture.iter().find(|f| type_tag(f) == Some(tag)) {
            return f;
        }
    }
    if fixture.iter().any(|f| type_tag(f).is_some()) {
        if let Some(f) = fixture
            .iter()
            .find(|f| f.is_object() && f.get("type").is_none())
        {
            return f;
        }
    }
    &fixture[0]
}

fn shape_errors(fixture: &Value, actual: &Value, path: &str, key: &str, errors: &mut Vec<String>) {
    if !same_type(key, fixture, actual) {
        errors.push(format!(
            "{path}: the fixture has {} {} but the emulator answered {} {}",
            type_name(fixture),
            short(fixture),
            type_name(actual),
            short(actual)
        ));
        return;
    }
    match (fixture, actual) {
        (Value::Object(f), Value::Object(a)) => {
            for (k, fv) in f {
                match a.get(k) {
                    Some(av) => shape_errors(fv, av, &format!("{path}.{k}"), k, errors),
                    None => errors.push(format!(
                        "{path}.{k}: missing (the fixture has {})",
                        short(fv)
                    )),
                }
            }
        }
        (Value::Array(f), Value::Array(a)) if !f.is_empty() => {
            if a.is_empty() {
                errors.push(format!(
                    "{path}: empty, but the fixture has {} element(s) like {}",
                    f.len(),
                    short(&f[0])
                ));
                return;
            }
            for (i, av) in a.iter().enumerate() {
                shape_errors(pick(f, av), av, &format!("{path}[{i}]"), key, errors);
            }
            for tag in f.iter().filter_map(type_tag) {
                if !a.iter().any(|av| type_tag(av) == Some(tag)) {
                    errors.push(format!(
                        "{path}: no element of type {tag:?}, which the fixture has"
                    ));
                }
            }
        }
        _ => {}
    }
}

/// Every key of every fixture object exists in `actual` with the fixture's type (see
/// [`same_type`]); arrays compare their elements with the fixture's first (or same-`type`)
/// element and must not be empty when the fixture's is not.
fn assert_shape(fixture: &Value, actual: &Value, path: &str) {
    let mut errors = vec![];
    shape_errors(fixture, actual, path, "", &mut errors);
    assert!(
        errors.is_empty(),
        "{path}: the answer does not have the fixture's shape:\n  {}\nfixture: {}\nactual:  {}",
        errors.join("\n  "),
        fixture,
        actual
    );
}

fn key_set_errors(fixture: &Value, actual: &Value, path: &str, errors: &mut Vec<String>) {
    match (fixture, actual) {
        (Value::Object(f), Value::Object(a)) => {
            let fk: BTreeSet<&String> = f.keys().collect();
            let ak: BTreeSet<&String> = a.keys().collect();
            if fk != ak {
                errors.push(format!("{path}: keys {ak:?}, the fixture has {fk:?}"));
            }
            for (k, fv) in f {
                if let Some(av) = a.get(k) {
                    key_set_errors(fv, av, &format!("{path}.{k}"), errors);
                }
            }
        }
        (Value::Array(f), Value::Array(a)) => {
            if let Some(first) = f.first() {
                for (i, av) in a.iter().enumerate() {
                    key_set_errors(first, av, &format!("{path}[{i}]"), errors);
                }
            }
        }
        _ => {}
    }
}

/// [`assert_shape`] plus: every object has exactly the fixture's keys (error bodies).
fn assert_exact_shape(fixture: &Value, actual: &Value, path: &str) {
    assert_shape(fixture, actual, path);
    let mut errors = vec![];
    key_set_errors(fixture, actual, path, &mut errors);
    assert!(
        errors.is_empty(),
        "{path}: the error body differs in keys:\n  {}\nfixture: {fixture}\nactual:  {actual}",
        errors.join("\n  ")
    );
}

// ---------------------------------------------------------------------------------------------
// The checklist
// ---------------------------------------------------------------------------------------------

/// Whether an error fixture's text is reproduced by the emulator (then the whole body is
/// compared), or differs between SDK fixtures (then only status and keys are).
#[derive(Clone, Copy, PartialEq, Eq)]
enum Text {
    Same,
    Differs,
}

/// What one area test has checked.
struct Check {
    area: &'static str,
    seen: BTreeSet<String>,
    comparisons: usize,
}

impl Check {
    fn new(area: &'static str) -> Check {
        Check {
            area,
            seen: BTreeSet::new(),
            comparisons: 0,
        }
    }

    fn fixture(&self, id: &str) -> &'static Fixture {
        corpus()
            .get(id)
            .unwrap_or_else(|| panic!("{id} is not in the spec's corpus"))
    }

    fn label(&self, id: &str) -> String {
        format!("{id} ({})", self.fixture(id).title)
    }

    fn mark(&mut self, id: &str) {
        self.seen.insert(id.to_string());
        self.comparisons += 1;
    }

    /// A copy of a request fixture's block, to adapt and send.
    fn request(&mut self, id: &str, block: usize) -> Value {
        let f = self.fixture(id);
        assert_eq!(f.kind, Kind::Request, "{id} is not a request fixture");
        f.blocks[block].clone()
    }

    /// A request fixture was sent: it must have been accepted.
    fn accepted(&mut self, id: &str, status: StatusCode, answer: &Value) {
        assert_eq!(
            self.fixture(id).kind,
            Kind::Request,
            "{id} is not a request fixture"
        );
        assert_eq!(
            status,
            StatusCode::OK,
            "{}: the request was refused: {answer}",
            self.label(id)
        );
        self.mark(id);
    }

    /// A response fixture: the fixture's status and shape.
    fn response(&mut self, id: &str, status: StatusCode, actual: &Value) {
        let f = self.fixture(id);
        assert_eq!(f.kind, Kind::Response, "{id} is not a response fixture");
        assert_eq!(
            Some(status.as_u16()),
            f.status,
            "{}: wrong status; body {actual}",
            self.label(id)
        );
        assert_shape(&f.blocks[0], actual, &self.label(id));
        self.mark(id);
    }

    /// A response fixture whose body the emulator reproduces word for word.
    fn response_equal(&mut self, id: &str, status: StatusCode, actual: &Value) {
        self.response(id, status, actual);
        assert_eq!(actual, &self.fixture(id).blocks[0], "{}", self.label(id));
    }

    /// The shape of a fixture compared with the answer of another, equivalent call.
    fn shape(&mut self, id: &str, actual: &Value) {
        assert_shape(&self.fixture(id).blocks[0], actual, &self.label(id));
        self.mark(id);
    }

    /// An object fixture against an object of a real answer.
    fn object(&mut self, id: &str, actual: &Value) {
        let f = self.fixture(id);
        assert_eq!(f.kind, Kind::Object, "{id} is not an object fixture");
        self.shape(id, actual);
    }

    /// An error fixture (block `block`): status, exact keys, and the text when reproduced.
    fn error(&mut self, id: &str, block: usize, status: StatusCode, actual: &Value, text: Text) {
        let f = self.fixture(id);
        assert_eq!(f.kind, Kind::Response, "{id} is not a response fixture");
        // G-84 collects rb error bodies without statuses; spec §4.1 gives them.
        let expected = f.status.unwrap_or(match (id, block) {
            ("G-84", 0) => 403,
            ("G-84", 1) => 404,
            _ => 400,
        });
        let label = format!("{} block {}", self.label(id), block + 1);
        assert_eq!(
            status.as_u16(),
            expected,
            "{label}: wrong status; body {actual}"
        );
        let fixture = &f.blocks[block];
        assert_exact_shape(fixture, actual, &label);
        if text == Text::Same {
            assert_eq!(actual, fixture, "{label}: the error text differs");
        }
        self.mark(id);
    }

    /// Checks that the area exercised exactly its fixtures, and prints a summary.
    fn finish(self, area: &[(u32, u32)]) {
        let expected = ids(area);
        let missing: Vec<_> = expected.difference(&self.seen).collect();
        let extra: Vec<_> = self.seen.difference(&expected).collect();
        assert!(
            missing.is_empty() && extra.is_empty(),
            "golden corpus [{}]: fixtures not exercised {missing:?}, \
             exercised but not declared {extra:?}",
            self.area
        );
        println!(
            "golden corpus [{}]: {} fixtures checked ({} checks)",
            self.area,
            self.seen.len(),
            self.comparisons
        );
    }
}

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

/// The demo owner's e-mail, substituted for the fixtures' `user@example.com`.
const OWNER: &str = "demo@acme.example";

/// Replaces the value at a JSON pointer, which the fixture must have.
fn put(v: &mut Value, pointer: &str, new: Value) {
    let text = v.to_string();
    *v.pointer_mut(pointer)
        .unwrap_or_else(|| panic!("the fixture has no {pointer}: {text}")) = new;
}

/// Adds a key the fixture does not have.
fn add(v: &mut Value, pointer: &str, new: Value) {
    let (parent, key) = pointer.rsplit_once('/').expect("a pointer with a key");
    let obj = v
        .pointer_mut(parent)
        .and_then(Value::as_object_mut)
        .unwrap_or_else(|| panic!("the fixture has no object at {parent:?}"));
    assert!(!obj.contains_key(key), "the fixture already has {pointer}");
    obj.insert(key.to_string(), new);
}

/// Removes a key the fixture has.
fn remove(v: &mut Value, pointer: &str) {
    let (parent, key) = pointer.rsplit_once('/').expect("a pointer with a key");
    let obj = v
        .pointer_mut(parent)
        .and_then(Value::as_object_mut)
        .unwrap_or_else(|| panic!("the fixture has no object at {parent:?}"));
    assert!(obj.remove(key).is_some(), "the fixture has no {pointer}");
}

fn text(v: &Value, pointer: &str) -> String {
    v.pointer(pointer)
        .and_then(Value::as_str)
        .unwrap_or_else(|| panic!("no string at {pointer} in {v}"))
        .to_string()
}

fn int(v: &Value, pointer: &str) -> i64 {
    v.pointer(pointer)
        .and_then(Value::as_i64)
        .unwrap_or_else(|| panic!("no integer at {pointer} in {v}"))
}

/// E1 for the demo owner; the answer (guid, public_encryption_key, upload_url).
async fn initialize(api: &Api) -> Value {
    let (status, body) = api
        .get(&format!("api/v2/safeboxes/new.json?user_email={OWNER}"))
        .await;
    assert_eq!(status, StatusCode::OK, "E1 failed: {body}");
    body
}

/// E2: a multipart upload (part `file`); the status and JSON answer.
async fn upload(api: &Api, url: &str, name: &str, bytes: &[u8]) -> (StatusCode, Value) {
    let part = reqwest::multipart::Part::bytes(bytes.to_vec())
        .file_name(name.to_string())
        .mime_str("text/plain")
        .expect("a valid mime type");
    let form = reqwest::multipart::Form::new().part("file", part);
    let response = api
        .client
        .post(url)
        .multipart(form)
        .send()
        .await
        .expect("upload sent");
    let status = response.status();
    let body = response.json().await.expect("the upload answer is JSON");
    (status, body)
}

/// Commits a SafeBox on the given profile with one guest who has a phone; returns its GUID.
async fn commit_with_profile(api: &Api, profile: i64, guest: &str) -> String {
    let init = initialize(api).await;
    let guid = text(&init, "/guid");
    let (status, body) = api
        .post(
            "api/v2/safeboxes.json",
            json!({"safebox": {
                "guid": guid, "user_email": OWNER, "subject": "Profile test",
                "message": "Hello", "security_profile_id": profile, "notification_language": "en",
                "recipients": [{"email": guest, "contact_methods": [
                    {"destination": "+15145550002", "destination_type": "cell_phone"}]}],
            }}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "commit failed: {body}");
    guid
}

fn contact_id(participant_or_favorite: &Value, index: usize) -> i64 {
    let methods = participant_or_favorite
        .pointer("/guest_options/contact_methods")
        .or_else(|| participant_or_favorite.get("contact_methods"))
        .and_then(Value::as_array)
        .unwrap_or_else(|| panic!("no contact methods in {participant_or_favorite}"));
    methods[index]["id"]
        .as_i64()
        .unwrap_or_else(|| panic!("no contact id in {}", methods[index]))
}

fn contact_count(participant_or_favorite: &Value) -> usize {
    participant_or_favorite
        .pointer("/guest_options/contact_methods")
        .or_else(|| participant_or_favorite.get("contact_methods"))
        .and_then(Value::as_array)
        .map(Vec::len)
        .unwrap_or_else(|| panic!("no contact methods in {participant_or_favorite}"))
}

// ---------------------------------------------------------------------------------------------
// The tests
// ---------------------------------------------------------------------------------------------

#[test]
fn corpus_is_parsed_and_fully_assigned() {
    let corpus = corpus();
    let parsed: BTreeSet<String> = corpus.keys().cloned().collect();
    assert_eq!(
        parsed,
        ids(&[(1, 84)]),
        "the corpus must hold exactly the fixtures G-01…G-84"
    );
    for f in corpus.values() {
        assert!(!f.blocks.is_empty(), "{} has no ```json block", f.id);
        assert!(!f.title.is_empty(), "{} has no title", f.id);
    }
    let kind_ids = |kind: Kind| -> BTreeSet<String> {
        corpus
            .values()
            .filter(|f| f.kind == kind)
            .map(|f| f.id.clone())
            .collect()
    };
    let listed = |numbers: &[u32]| -> BTreeSet<String> {
        numbers.iter().map(|n| format!("G-{n:02}")).collect()
    };
    assert_eq!(kind_ids(Kind::Request), listed(&REQUEST_FIXTURES));
    assert_eq!(kind_ids(Kind::Object), listed(&OBJECT_FIXTURES));
    for f in corpus.values().filter(|f| f.kind == Kind::Response) {
        assert_eq!(
            f.status.is_none(),
            f.id == "G-84",
            "{}: status {:?} (only G-84 lists bodies without a status)",
            f.id,
            f.status
        );
    }
    assert_eq!(corpus["G-02"].status, Some(401));
    assert_eq!(corpus["G-84"].blocks.len(), 4);
    assert_eq!(corpus["G-81"].blocks.len(), 3);
    assert_eq!(corpus["G-82"].blocks.len(), 3);
    assert_eq!(
        corpus["G-15"].blocks[0]["default"],
        json!(1),
        "G-15 has a tab"
    );

    let mut assigned = BTreeSet::new();
    for area in [
        TOKEN_AREA,
        CREATION_AREA,
        ENTERPRISE_AREA,
        PARTICIPANTS_AREA,
        ACTIONS_AREA,
        READS_AREA,
    ] {
        for id in ids(area) {
            assert!(assigned.insert(id.clone()), "{id} is in two areas");
        }
    }
    assert_eq!(
        assigned, parsed,
        "every fixture must be exercised by an area test"
    );
    println!(
        "golden corpus: {} fixtures parsed and assigned",
        parsed.len()
    );
}

#[test]
fn comparator_applies_the_documented_quirks_only() {
    let ok = |f: Value, a: Value| {
        let mut e = vec![];
        shape_errors(&f, &a, "$", "", &mut e);
        e.is_empty()
    };
    assert!(ok(
        json!({"a": 1, "b": null}),
        json!({"a": 2, "b": "x", "c": true})
    ));
    assert!(ok(json!({"id": "1"}), json!({"id": 1})));
    assert!(ok(json!({"user_id": 3}), json!({"user_id": "3"})));
    assert!(ok(
        json!({"privileged": "true"}),
        json!({"privileged": true})
    ));
    assert!(ok(json!({"size": "10485"}), json!({"size": 10485})));
    assert!(!ok(json!({"a": 1}), json!({"a": "1"})));
    assert!(!ok(json!({"a": true}), json!({"a": null})));
    assert!(!ok(json!({"a": 1}), json!({})));
    assert!(!ok(json!({"l": [{"x": 1}]}), json!({"l": []})));
    assert!(!ok(
        json!({"l": [{"x": 1}]}),
        json!({"l": [{"x": 1}, {"y": 1}]})
    ));
    assert!(ok(json!({"l": []}), json!({"l": [1]})));
    let participants = json!([
        {"id": "g", "type": "guest", "guest_options": {}},
        {"id": 1, "type": "user"}
    ]);
    assert!(ok(
        participants.clone(),
        json!([{"id": "h", "type": "guest", "guest_options": {}}, {"id": 2, "type": "user"}])
    ));
    assert!(!ok(participants, json!([{"id": 2, "type": "user"}])));
}

/// G-01…G-04: discovery, login and its errors.
#[tokio::test]
async fn golden_token_and_discovery() {
    let mut check = Check::new("token/discovery");
    let emu = Emulator::demo();
    let anon = emu.anonymous();

    let (status, portal) = anon.get("services/acme/portal/host").await;
    assert_eq!(status, StatusCode::OK, "{portal}");
    let portal = portal.as_str().expect("text/plain URL").to_string();
    assert_eq!(
        portal, anon.base,
        "the portal host is our base URL with a trailing slash"
    );
    let (status, server) = anon.get("services/acme/sendsecure/server/url").await;
    assert_eq!(status, StatusCode::OK, "{server}");
    let server = server.as_str().expect("text/plain URL").to_string();
    assert!(
        server.ends_with('/') && !server.ends_with("\n"),
        "{server:?}"
    );

    // G-03 sent to {portal_host}api/user_token with the demo credentials; answers G-01.
    let mut body = check.request("G-03", 0);
    put(&mut body, "/permalink", json!("acme"));
    put(&mut body, "/username", json!("demo"));
    put(&mut body, "/password", json!("demo-password"));
    let token_url = format!("{portal}api/user_token");
    let (status, token) = anon
        .send(Method::POST, &token_url, Some(body.clone()))
        .await;
    check.accepted("G-03", status, &token);
    check.response("G-01", status, &token);
    assert_eq!(token["result"], json!(true));
    assert_eq!(token["user_id"], json!(1));
    let (_, again) = anon
        .send(Method::POST, &token_url, Some(body.clone()))
        .await;
    assert_eq!(
        again["token"], token["token"],
        "same credentials, same token"
    );

    // The token works against the discovered server URL.
    let api = Api {
        client: reqwest::Client::new(),
        base: server,
        token: token["token"].as_str().map(str::to_string),
    };
    let (status, settings) = api.get("api/v2/enterprises/acme/settings.json").await;
    assert_eq!(status, StatusCode::OK, "{settings}");

    // G-02: wrong password.
    put(&mut body, "/password", json!("wrong-password"));
    let (status, refused) = anon
        .send(Method::POST, &token_url, Some(body.clone()))
        .await;
    check.error("G-02", 0, status, &refused, Text::Same);

    // G-04: an unknown account has no portal host and no token URL (Rails 404).
    let (status, missing) = anon.get("services/no-such-account/portal/host").await;
    check.error("G-04", 0, status, &missing, Text::Same);
    let (status, missing) = anon
        .send(Method::POST, "no-such-account/api/user_token", Some(body))
        .await;
    check.error("G-04", 0, status, &missing, Text::Same);

    check.finish(TOKEN_AREA);
}

/// G-05…G-14, G-83: initialize, upload, commit (three SDK serializations) and its answers.
#[tokio::test]
async fn golden_creation() {
    let mut check = Check::new("creation");
    let emu = Emulator::demo();
    let api = emu.demo_user().await;

    // G-05 (java, percent-encoded query, locale first) and G-06 (py, raw @).
    let (status, java_init) = api
        .get("api/v2/safeboxes/new.json?locale=en&user_email=demo%40acme.example")
        .await;
    check.response("G-05", status, &java_init);
    let (status, py_init) = api
        .get(&format!("api/v2/safeboxes/new.json?user_email={OWNER}"))
        .await;
    check.response("G-06", status, &py_init);

    // G-07: an upload on the SafeBox's upload URL.
    let upload_url = text(&java_init, "/upload_url");
    let (status, uploaded) = upload(&api, &upload_url, "a.txt", b"alpha").await;
    check.response("G-07", status, &uploaded);
    let java_doc = text(&uploaded, "/temporary_document/document_guid");

    // G-09 (java): guid, owner, recipient kept; java sends no message, so the SafeBox gets an
    // attachment (document_ids adapted) to be valid.
    let mut body = check.request("G-09", 0);
    put(&mut body, "/safebox/guid", java_init["guid"].clone());
    put(&mut body, "/safebox/user_email", json!(OWNER));
    put(&mut body, "/safebox/document_ids", json!([java_doc]));
    let (status, committed) = api.post("api/v2/safeboxes.json?locale=en", body).await;
    check.accepted("G-09", status, &committed);
    assert_eq!(committed["guid"], java_init["guid"]);
    // G-10 is java's answer to G-09; G-09 has no subject, so the fixture's subject is null here.
    let mut g10 = check.fixture("G-10").blocks[0].clone();
    put(&mut g10, "/subject", Value::Null);
    assert_shape(&g10, &committed, "G-10 against the G-09 answer");
    assert_eq!(committed["email_notification_enabled"], json!(false));

    // G-08 (py) as given: notification_language "" gives the G-12 validation error.
    let mut body = check.request("G-08", 0);
    put(&mut body, "/safebox/guid", py_init["guid"].clone());
    let (status, refused) = api.post("api/v2/safeboxes.json", body.clone()).await;
    check.error("G-12", 0, status, &refused, Text::Same);
    // The same body with a language is accepted and answers like G-11 (py, profile email-only).
    put(&mut body, "/safebox/notification_language", json!("en"));
    let (status, committed) = api.post("api/v2/safeboxes.json", body).await;
    check.accepted("G-08", status, &committed);
    check.response("G-11", status, &committed);
    assert_eq!(committed["security_profile_name"], json!("email-only"));

    // G-13 (py Safebox.to_json): the fixture has no security_profile_id (commit_safebox would
    // refuse it), so the default profile is added.
    let init = initialize(&api).await;
    let mut body = check.request("G-13", 0);
    put(&mut body, "/safebox/guid", init["guid"].clone());
    put(&mut body, "/safebox/user_email", json!(OWNER));
    add(&mut body, "/safebox/security_profile_id", json!(1));
    let (status, committed) = api.post("api/v2/safeboxes.json", body).await;
    check.accepted("G-13", status, &committed);
    check.response("G-14", status, &committed);
    check.shape("G-10", &committed);
    assert_eq!(committed["retention_period_type"], json!("do_not_discard"));
    assert_eq!(committed["group_replies"], json!(false));
    assert!(
        committed["encryption_key"].is_string(),
        "double encryption gives a key"
    );

    // G-83 (cs): the fixture's dashed document id becomes a real upload.
    let init = initialize(&api).await;
    let (status, uploaded) = upload(&api, &text(&init, "/upload_url"), "b.txt", b"beta").await;
    assert_eq!(status, StatusCode::OK, "{uploaded}");
    let mut body = check.request("G-83", 0);
    put(&mut body, "/safebox/guid", init["guid"].clone());
    put(&mut body, "/safebox/user_email", json!(OWNER));
    put(
        &mut body,
        "/safebox/document_ids/0",
        uploaded["temporary_document"]["document_guid"].clone(),
    );
    let (status, committed) = api.post("api/v2/safeboxes.json?locale=en", body).await;
    check.accepted("G-83", status, &committed);
    check.shape("G-10", &committed);
    check.shape("G-14", &committed);

    check.finish(CREATION_AREA);
}

/// G-15…G-29, G-79, G-80, G-82: enterprise reads and favorites.
#[tokio::test]
async fn golden_enterprise_and_favorites() {
    let mut check = Check::new("enterprise/favorites");
    let emu = Emulator::demo();
    let api = emu.demo_user().await;
    let enterprise = "api/v2/enterprises/acme";
    let favorites = format!("{enterprise}/users/1/favorites");

    let (status, profiles) = api
        .get(&format!(
            "{enterprise}/security_profiles.json?locale=en&user_email=demo%40acme.example"
        ))
        .await;
    check.response("G-15", status, &profiles);
    for profile in profiles["security_profiles"].as_array().expect("profiles") {
        check.object("G-16", profile);
    }
    let email_only = profiles["security_profiles"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == json!(10))
        .expect("profile 10");
    assert_eq!(email_only["name"], json!("email-only"));
    assert_eq!(
        email_only["allow_email"],
        json!({"value": true, "modifiable": false})
    );

    let (status, settings) = api
        .get(&format!("{enterprise}/settings.json?locale=en"))
        .await;
    check.response("G-17", status, &settings);
    check.object("G-79", &settings);

    let (status, user_settings) = api
        .get(&format!("{enterprise}/users/1/settings.json?locale=en"))
        .await;
    check.response("G-18", status, &user_settings);
    check.object("G-19", &user_settings);

    let (status, group) = api
        .get(&format!("{enterprise}/consent_message_groups/1"))
        .await;
    check.response("G-29", status, &group);

    // G-21 (java) and G-23 (py) creations, both answered like G-22.
    let body = check.request("G-21", 0);
    let (status, java_favorite) = api.post(&format!("{favorites}.json?locale=en"), body).await;
    check.accepted("G-21", status, &java_favorite);
    check.response("G-22", status, &java_favorite);
    let body = check.request("G-23", 0);
    let (status, py_favorite) = api.post(&format!("{favorites}.json"), body).await;
    check.accepted("G-23", status, &py_favorite);
    check.response("G-22", status, &py_favorite);
    assert_eq!(contact_count(&py_favorite), 2);

    // Every favorite has contact methods at this point.
    let (status, list) = api.get(&format!("{favorites}.json?locale=en")).await;
    check.response("G-20", status, &list);
    assert_eq!(list["favorites"].as_array().map(Vec::len), Some(3));
    for favorite in list["favorites"].as_array().unwrap() {
        check.object("G-80", favorite);
    }

    // G-24: no e-mail.
    let mut body = check.fixture("G-23").blocks[0].clone();
    remove(&mut body, "/favorite/email");
    let (status, refused) = api.post(&format!("{favorites}.json"), body).await;
    check.error("G-24", 0, status, &refused, Text::Same);

    // G-25: update the py favorite (its id and first contact id substituted), answered like G-26.
    let py_id = int(&py_favorite, "/id");
    let mut body = check.request("G-25", 0);
    put(&mut body, "/favorite/id", json!(py_id));
    put(
        &mut body,
        "/favorite/contact_methods/0/id",
        json!(contact_id(&py_favorite, 0)),
    );
    let (status, updated) = api
        .patch(&format!("{favorites}/{py_id}.json"), Some(body))
        .await;
    check.accepted("G-25", status, &updated);
    check.response("G-26", status, &updated);
    assert_eq!(updated["order_number"], json!(10));
    assert_eq!(contact_count(&updated), 3);

    // G-27: delete the java favorite's only contact method, answered like G-28.
    let java_id = int(&java_favorite, "/id");
    let mut body = check.request("G-27", 0);
    put(
        &mut body,
        "/favorite/contact_methods/0/id",
        json!(contact_id(&java_favorite, 0)),
    );
    let (status, emptied) = api
        .patch(&format!("{favorites}/{java_id}.json"), Some(body))
        .await;
    check.accepted("G-27", status, &emptied);
    check.response("G-28", status, &emptied);
    assert_eq!(emptied["contact_methods"], json!([]));
    assert_eq!(emptied["always_promote"], json!(true));

    // G-82 (js): create, edit (ids 1 and 2 substituted), delete one contact.
    let body = check.request("G-82", 0);
    let (status, js_favorite) = api.post(&favorites, body).await;
    check.accepted("G-82", status, &js_favorite);
    check.shape("G-22", &js_favorite);
    let js_id = int(&js_favorite, "/id");
    let (first, second) = (contact_id(&js_favorite, 0), contact_id(&js_favorite, 1));
    for block in [1, 2] {
        let mut body = check.request("G-82", block);
        put(&mut body, "/favorite/contact_methods/0/id", json!(first));
        put(&mut body, "/favorite/contact_methods/1/id", json!(second));
        let (status, edited) = api.patch(&format!("{favorites}/{js_id}"), Some(body)).await;
        check.accepted("G-82", status, &edited);
        check.shape("G-26", &edited);
        check.shape("G-28", &edited);
        assert_eq!(contact_count(&edited), if block == 1 { 2 } else { 1 });
    }

    // E10 (no fixture body): 204 and empty.
    let (status, deleted) = api.delete(&format!("{favorites}/{js_id}.json")).await;
    assert_eq!((status, deleted), (StatusCode::NO_CONTENT, Value::Null));

    check.finish(ENTERPRISE_AREA);
}

/// G-35…G-46, G-81: participants and recipient search.
#[tokio::test]
async fn golden_participants() {
    let mut check = Check::new("participants");
    let emu = Emulator::demo();
    let api = emu.demo_user().await;
    let guid = api.create_safebox("Participants", &[]).await;
    let participants = format!("api/v2/safeboxes/{guid}/participants");

    // G-35 (py) answered like G-36.
    let body = check.request("G-35", 0);
    let (status, johny) = api.post(&format!("{participants}.json"), body).await;
    check.accepted("G-35", status, &johny);
    check.response("G-36", status, &johny);
    let johny_id = text(&johny, "/id");

    // G-43: no e-mail.
    let mut body = check.fixture("G-35").blocks[0].clone();
    remove(&mut body, "/participant/email");
    let (status, refused) = api.post(&format!("{participants}.json"), body).await;
    check.error("G-43", 0, status, &refused, Text::Same);

    // G-39 (participant and contact ids substituted) answered like G-40.
    let mut body = check.request("G-39", 0);
    put(
        &mut body,
        "/participant/contact_methods/0/id",
        json!(contact_id(&johny, 0)),
    );
    let (status, updated) = api
        .patch(&format!("{participants}/{johny_id}.json"), Some(body))
        .await;
    check.accepted("G-39", status, &updated);
    check.response("G-40", status, &updated);
    assert_eq!(updated["guest_options"]["company_name"], json!("XMedius"));

    // G-44 / G-45: the guests (each with a phone) and the owner.
    let (status, list) = api.get(&format!("{participants}.json")).await;
    check.response("G-44", status, &list);
    let (status, list) = api.get(&format!("{participants}.json?locale=en")).await;
    check.response("G-45", status, &list);
    assert_eq!(list["participants"].as_array().map(Vec::len), Some(3));

    // G-41 / G-42 (py Participant.to_json) on a guest participant@example.com with one phone.
    let (status, guest) = api
        .post(
            &format!("{participants}.json"),
            json!({"participant": {"email": "participant@example.com", "contact_methods": [
                {"destination": "514-555-0001", "destination_type": "cell_phone"}]}}),
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{guest}");
    let guest_id = text(&guest, "/id");
    for id in ["G-41", "G-42"] {
        let mut body = check.request(id, 0);
        put(
            &mut body,
            "/participant/contact_methods/0/id",
            json!(contact_id(&guest, 0)),
        );
        let (status, updated) = api
            .patch(&format!("{participants}/{guest_id}.json"), Some(body))
            .await;
        check.accepted(id, status, &updated);
        let mut g40 = check.fixture("G-40").blocks[0].clone();
        if id == "G-42" {
            // The contact method is deleted, so the list is empty (as G-28 shows for favorites).
            put(&mut g40, "/guest_options/contact_methods", json!([]));
        }
        assert_shape(&g40, &updated, &format!("G-40 against the {id} answer"));
        assert_eq!(updated["privileged"], json!(true));
        assert_eq!(contact_count(&updated), if id == "G-41" { 1 } else { 0 });
    }

    // G-37 (java, with locked) on a second SafeBox (the e-mail is G-35's), answered like G-38.
    let other = api.create_safebox("Participants 2", &[]).await;
    let other_participants = format!("api/v2/safeboxes/{other}/participants");
    let body = check.request("G-37", 0);
    let (status, created) = api
        .post(&format!("{other_participants}.json?locale=en"), body)
        .await;
    check.accepted("G-37", status, &created);
    check.response("G-38", status, &created);

    // G-81 (js): create, edit, delete one contact ("_destroy": "1").
    let body = check.request("G-81", 0);
    let (status, john) = api.post(&other_participants, body).await;
    check.accepted("G-81", status, &john);
    check.shape("G-36", &john);
    let john_id = text(&john, "/id");
    let (first, second) = (contact_id(&john, 0), contact_id(&john, 1));
    for block in [1, 2] {
        let mut body = check.request("G-81", block);
        put(&mut body, "/participant/contact_methods/0/id", json!(first));
        put(
            &mut body,
            "/participant/contact_methods/1/id",
            json!(second),
        );
        let (status, edited) = api
            .patch(&format!("{other_participants}/{john_id}"), Some(body))
            .await;
        check.accepted("G-81", status, &edited);
        check.shape("G-40", &edited);
        assert_eq!(contact_count(&edited), if block == 1 { 2 } else { 1 });
    }

    // G-46 on both paths; "example" finds the demo favorite and the account's users.
    for path in ["recipients", "participants"] {
        let (status, results) = api
            .get(&format!("api/v2/{path}/autocomplete?term=example"))
            .await;
        check.response("G-46", status, &results);
    }

    check.finish(PARTICIPANTS_AREA);
}

/// G-30…G-34, G-47…G-59, G-71…G-77, G-84: replies, the state machine and error bodies.
#[tokio::test]
async fn golden_actions() {
    let mut check = Check::new("actions");
    let emu = Emulator::demo();
    let api = emu.demo_user().await;
    let guid = api
        .create_safebox("Actions", &[("a.txt", b"alpha".to_vec())])
        .await;
    let sb = format!("api/v2/safeboxes/{guid}");

    // G-30 answered like G-31 / G-32, then the file and G-33 (its document id substituted).
    let body = check.request("G-30", 0);
    let (status, slot) = api.post(&format!("{sb}/uploads.json"), body).await;
    check.accepted("G-30", status, &slot);
    check.response("G-31", status, &slot);
    check.response("G-32", status, &slot);
    let (status, uploaded) = upload(&api, &text(&slot, "/upload_url"), "reply.txt", b"reply").await;
    assert_eq!(status, StatusCode::OK, "{uploaded}");
    assert_eq!(
        uploaded["temporary_document"]["document_guid"],
        slot["temporary_document_guid"]
    );
    let mut body = check.request("G-33", 0);
    put(
        &mut body,
        "/safebox/document_ids/0",
        slot["temporary_document_guid"].clone(),
    );
    let (status, replied) = api.post(&format!("{sb}/messages.json"), body).await;
    check.accepted("G-33", status, &replied);
    check.response_equal("G-34", status, &replied);

    // G-47 answered like G-48.
    let body = check.request("G-47", 0);
    let (status, extended) = api.patch(&format!("{sb}/add_time.json"), Some(body)).await;
    check.accepted("G-47", status, &extended);
    check.response("G-48", status, &extended);
    assert_eq!(
        extended["message"],
        check.fixture("G-48").blocks[0]["message"]
    );

    // Mark read / unread, whole SafeBox and one message.
    let (status, marked) = api.patch(&format!("{sb}/mark_as_read.json"), None).await;
    check.response_equal("G-54", status, &marked);
    let (status, marked) = api.patch(&format!("{sb}/mark_as_unread.json"), None).await;
    assert_eq!((status, marked), (StatusCode::OK, json!({"result": true})));
    let (status, messages) = api.get(&format!("{sb}/messages.json")).await;
    assert_eq!(status, StatusCode::OK, "{messages}");
    let message_id = int(&messages, "/messages/0/id");
    let (status, marked) = api
        .patch(&format!("{sb}/messages/{message_id}/read"), None)
        .await;
    check.response_equal("G-57", status, &marked);
    let (status, refused) = api.patch(&format!("{sb}/messages/1234/read"), None).await;
    check.error("G-58", 0, status, &refused, Text::Same);
    let (status, refused) = api.patch(&format!("{sb}/messages/1234/unread"), None).await;
    check.error("G-59", 0, status, &refused, Text::Same);
    // rb's text says "unread" where py's (G-59) says "Unread": only the shape can match both.
    check.error("G-84", 3, status, &refused, Text::Differs);

    // Archive (G-71 with the owner's e-mail) and follow.
    let mut body = check.request("G-71", 0);
    put(&mut body, "/user_email", json!(OWNER));
    let (status, archived) = api.post(&format!("{sb}/tag/archive"), body.clone()).await;
    check.accepted("G-71", status, &archived);
    check.response_equal("G-72", status, &archived);
    let (status, refused) = api.post(&format!("{sb}/tag/archive"), body.clone()).await;
    check.error("G-73", 0, status, &refused, Text::Same);
    let (status, unarchived) = api.post(&format!("{sb}/untag/archive"), body.clone()).await;
    check.response_equal("G-74", status, &unarchived);
    let (status, refused) = api.post(&format!("{sb}/untag/archive"), body).await;
    check.error("G-75", 0, status, &refused, Text::Same);
    let (status, unfollowed) = api.patch(&format!("{sb}/unfollow"), None).await;
    check.response_equal("G-76", status, &unfollowed);
    let (status, followed) = api.patch(&format!("{sb}/follow"), None).await;
    check.response_equal("G-77", status, &followed);

    // Close, then everything a closed SafeBox refuses; delete content, then mark refuses.
    let (status, closed) = api.patch(&format!("{sb}/close.json"), None).await;
    check.response_equal("G-50", status, &closed);
    let (status, refused) = api.patch(&format!("{sb}/close.json"), None).await;
    check.error("G-51", 0, status, &refused, Text::Same);
    let body = check.fixture("G-47").blocks[0].clone();
    let (status, refused) = api.patch(&format!("{sb}/add_time.json"), Some(body)).await;
    check.error("G-49", 0, status, &refused, Text::Same);
    let (status, deleted) = api.patch(&format!("{sb}/delete_content.json"), None).await;
    check.response_equal("G-52", status, &deleted);
    let (status, refused) = api.patch(&format!("{sb}/delete_content.json"), None).await;
    check.error("G-53", 0, status, &refused, Text::Same);
    let (status, refused) = api.patch(&format!("{sb}/mark_as_read.json"), None).await;
    check.error("G-55", 0, status, &refused, Text::Same);
    let (status, refused) = api.patch(&format!("{sb}/mark_as_unread.json"), None).await;
    check.error("G-56", 0, status, &refused, Text::Same);

    // The locked-down profile: no manual close; a guest must keep a phone (G-84 block 3).
    let locked = commit_with_profile(&api, 20, "locked@example.com").await;
    let (status, refused) = api
        .patch(&format!("api/v2/safeboxes/{locked}/close.json"), None)
        .await;
    check.error("G-51", 0, status, &refused, Text::Same);
    let (status, list) = api
        .get(&format!("api/v2/safeboxes/{locked}/participants.json"))
        .await;
    assert_eq!(status, StatusCode::OK, "{list}");
    let guest = list["participants"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["type"] == json!("guest"))
        .expect("a guest")
        .clone();
    let (status, refused) = api
        .patch(
            &format!(
                "api/v2/safeboxes/{locked}/participants/{}.json",
                text(&guest, "/id")
            ),
            Some(json!({"participant": {"contact_methods": [
                {"id": contact_id(&guest, 0), "_destroy": true}]}})),
        )
        .await;
    check.error("G-84", 2, status, &refused, Text::Same);

    // G-84 blocks 1 and 2: access denied, and unknown ids.
    let (status, refused) = api
        .get("api/v2/enterprises/acme/security_profiles.json?user_email=nobody@example.com")
        .await;
    check.error("G-84", 0, status, &refused, Text::Same);
    let (status, refused) = api
        .get("api/v2/safeboxes/new.json?user_email=bob@acme.example")
        .await;
    check.error("G-84", 0, status, &refused, Text::Same);
    let (status, missing) = api
        .get("api/v2/enterprises/acme/consent_message_groups/999")
        .await;
    check.error("G-84", 1, status, &missing, Text::Same);
    let (status, missing) = api
        .patch(
            "api/v2/safeboxes/this-safebox-does-not-exist/unfollow",
            None,
        )
        .await;
    check.error("G-84", 1, status, &missing, Text::Same);

    check.finish(ACTIONS_AREA);
}

/// G-60…G-70, G-78: SafeBox reads.
#[tokio::test]
async fn golden_reads() {
    let mut check = Check::new("reads");
    let emu = Emulator::demo();
    let api = emu.demo_user().await;
    let content = b"golden corpus report".to_vec();
    let guid = api
        .create_safebox("Reads", &[("report.txt", content.clone())])
        .await;
    api.create_safebox("Second", &[("other.txt", b"other".to_vec())])
        .await;
    let sb = format!("api/v2/safeboxes/{guid}");

    // E29 with every section (nothing has happened since the creation).
    let (status, info) = api.get(&format!("{sb}.json")).await;
    check.object("G-78", &info["safebox"]);
    check.response("G-65", status, &info);
    check.response("G-66", status, &info);
    let (status, info) = api
        .get(&format!("{sb}?sections=participants,messages"))
        .await;
    assert_eq!(status, StatusCode::OK, "{info}");
    assert!(info["safebox"].get("event_history").is_none(), "{info}");

    let (status, messages) = api.get(&format!("{sb}/messages.json?locale=en")).await;
    check.response("G-67", status, &messages);
    let (status, options) = api
        .get(&format!("{sb}/security_options.json?locale=en"))
        .await;
    check.response("G-68", status, &options);
    let (status, activity) = api
        .get(&format!("{sb}/download_activity.json?locale=en"))
        .await;
    check.response("G-69", status, &activity);
    let (status, events) = api.get(&format!("{sb}/event_history.json?locale=en")).await;
    check.response("G-70", status, &events);
    let (status, audit) = api.get(&format!("{sb}/audit_record_pdf.json")).await;
    check.response("G-62", status, &audit);

    // G-60: the document URL for the owner, which serves the file; G-61: an unknown e-mail.
    let document = text(&messages, "/messages/0/documents/0/id");
    let (status, url) = api
        .get(&format!(
            "{sb}/documents/{document}/url.json?user_email={OWNER}"
        ))
        .await;
    check.response("G-60", status, &url);
    let file = api
        .client
        .get(text(&url, "/url"))
        .send()
        .await
        .expect("download sent");
    assert_eq!(file.status(), StatusCode::OK);
    assert_eq!(file.bytes().await.expect("file read").to_vec(), content);
    let (status, refused) = api
        .get(&format!(
            "{sb}/documents/{document}/url.json?user_email=nobody@example.com"
        ))
        .await;
    check.error("G-61", 0, status, &refused, Text::Same);

    // G-63: one per page, so there is a relative next page; G-64: the fixture's bad query.
    let (status, list) = api.get("api/v2/safeboxes.json?per_page=1").await;
    check.response("G-63", status, &list);
    assert_eq!(list["count"], json!(2));
    let next = text(&list, "/next_page_url");
    assert!(next.starts_with("api/v2/safeboxes?"), "{next}");
    let (status, page2) = api.get(&next).await;
    assert_eq!(status, StatusCode::OK, "{page2}");
    assert_eq!(
        page2["safeboxes"].as_array().map(Vec::len),
        Some(1),
        "{page2}"
    );
    assert!(page2["previous_page_url"].is_string(), "{page2}");
    let (status, refused) = api
        .get("api/v2/safeboxes.json?status=unread&search_term=test&per_page=1001&page=2")
        .await;
    check.error("G-64", 0, status, &refused, Text::Same);

    check.finish(READS_AREA);
}
