//! Property tests of the answer decoding (issue 6): every answer the library reads, through the
//! very function its API method calls, against
//! - arbitrary JSON values (deep, wide, with any text: control characters, unicode, huge
//!   strings; any number): no panic, and only [`Error::Decode`] (or the refusal the answer
//!   may carry: `result: false`, a refused login);
//! - the spec's golden answers (§14) mutated with their structure in mind (a field dropped,
//!   null, of another type, huge, nested in an object, arrays and objects swapped, anywhere):
//!   no panic, the same kinds of errors, never quoting a value the server sent (but for the
//!   two answers read with serde, the login and the enterprise settings, whose messages
//!   quote what has the wrong type); and where only
//!   fields that neither identify an object nor shape the answer change (or unknown fields are
//!   added), the answer still decodes to the same objects;
//! - raw bytes (random, or golden answers with bytes flipped, inserted, removed or cut) through
//!   the body reading every success answer goes through ([`json_body`]), the login answer and
//!   the error answers: no panic.
//!
//! Bounded and deterministic: [`config`] runs a fixed number of cases per property
//! (`PROPTEST_CASES` overrides it) from a fixed seed (`PROPTEST_RNG_SEED` overrides it), with
//! no failure files.

use super::documents::url_of;
use super::enterprise::{enterprise_settings_answer, security_profiles_answer};
use super::participants::{participant_answer, participant_list_answer};
use super::replies::upload_url_answer;
use super::safebox_actions::{action_result, add_time_answer};
use super::safebox_reads::{
    download_activity_answer, event_history_answer, message_list_answer, safebox_info_answer,
    security_options_answer,
};
use super::safeboxes::initialize_answer;
use super::users::{
    consent_group_answer, favorite_answer, favorite_list_answer, recipient_search_answer,
    user_settings_answer,
};
use crate::sendsecure::answers::decode_answer as json_body;
use crate::sendsecure::auth::token_answer;
use crate::sendsecure::model::{
    ConsentGroup, Event, Favorite, Message, Participant, RecipientMatch, SafeboxInfo, SafeboxPage,
    SafeboxResponse, SecurityProfile,
};
use crate::sendsecure::uploads::uploaded_document_guid;
use crate::transport::error::{Error, Result};
use proptest::prelude::*;
use proptest::sample::Index;
use proptest::test_runner::{Config, RngAlgorithm, RngSeed, TestCaseError};
use serde_json::{json, Value};
use std::panic::{catch_unwind, AssertUnwindSafe};

/// Cases per property unless `PROPTEST_CASES` says otherwise.
const CASES: u32 = 256;

/// The seed of every run unless `PROPTEST_RNG_SEED` says otherwise.
const SEED: u64 = 0x5e4d_5ec0_2e00_0006;

/// A bounded, reproducible run: `cases` cases (or `PROPTEST_CASES`), a fixed seed (or
/// `PROPTEST_RNG_SEED`), no failure persistence, shrinking bounded.
fn config(cases: u32) -> Config {
    let env = |name: &str| std::env::var(name).ok().and_then(|v| v.parse::<u64>().ok());
    Config {
        cases: env("PROPTEST_CASES").map_or(cases, |n| n as u32),
        rng_algorithm: RngAlgorithm::ChaCha,
        rng_seed: RngSeed::Fixed(env("PROPTEST_RNG_SEED").unwrap_or(SEED)),
        failure_persistence: None,
        max_shrink_iters: 2048,
        max_shrink_time: 30_000,
        ..Config::default()
    }
}

// ---------------------------------------------------------------------------------------------
// The answers.

/// What an answer may fail with besides `Error::Decode`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Also {
    Nothing,
    /// `{"result": false}` in a success status: `Error::Http` with status 200.
    Refusal,
    /// A refused login: `Error::Token`.
    Token,
}

/// An answer of the API and how it is read.
struct Answer {
    /// Its endpoint, for messages.
    name: &'static str,
    /// The function its API method reads it with; on success, what identifies the result.
    decode: fn(Value) -> Result<String>,
    /// Golden answers.
    fixtures: Vec<Value>,
    /// JSON pointers (`*` for any one segment) of the fields that identify an object or shape
    /// the answer: a change to one of them, or to an object or array holding one, may be
    /// refused. Every other field is free: any change to it leaves the answer decodable, to the
    /// same objects.
    strict: Vec<String>,
    /// Strict fields that may also be missing or null.
    optional: Vec<String>,
    also: Also,
    /// Whether its errors may quote a value of the answer (serde's messages do).
    quotes_values: bool,
    /// The places of each golden answer, once [`all`] has found them.
    places: Vec<Places>,
}

/// The places of a golden answer that the properties change.
struct Places {
    /// Its free fields.
    free: Vec<Path>,
    /// Its strict fields that may be missing or null.
    optional: Vec<Path>,
    /// Its objects, where unknown fields may be added.
    objects: Vec<Path>,
}

fn fixture(text: &str) -> Value {
    serde_json::from_str(text).unwrap_or_else(|e| panic!("bad fixture {e}: {text}"))
}

fn strings(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

/// What identifies a list's items.
fn list<T>(items: &[T], id: impl Fn(&T) -> String) -> String {
    items.iter().map(id).collect::<Vec<_>>().join(",")
}

/// What identifies a SafeBox: its GUID and the ids of its participants, messages' documents
/// and events.
fn info_id(i: &SafeboxInfo) -> String {
    format!(
        "{} [{}] [{}] [{}] {} {}",
        i.guid,
        list(&i.participants, |p| p.id.clone()),
        list(&i.messages, |m| format!(
            "{}:{}",
            m.id,
            list(&m.documents, |d| d.id.clone())
        )),
        list(&i.event_history, |e| e.kind.clone()),
        i.security_options.is_some(),
        i.download_activity.is_some(),
    )
}

/// The strict and optional fields of a SafeBox object at `at`.
fn info_fields(at: &str) -> (Vec<String>, Vec<String>) {
    let strict = [
        "",
        "/guid",
        "/participants",
        "/participants/*/id",
        "/participants/*/guest_options",
        "/participants/*/guest_options/contact_methods",
        "/participants/*/guest_options/contact_methods/*/id",
        "/participants/*/guest_options/contact_methods/*/destination",
        "/messages",
        "/messages/*/id",
        "/messages/*/documents",
        "/messages/*/documents/*/id",
        "/event_history",
        "/event_history/*/type",
        "/security_options",
        "/download_activity",
    ];
    let optional = [
        "/participants",
        "/participants/*/guest_options",
        "/participants/*/guest_options/contact_methods",
        "/messages",
        "/messages/*/id",
        "/messages/*/documents",
        "/event_history",
        "/security_options",
        "/download_activity",
    ];
    let at = |list: &[&str]| list.iter().map(|p| format!("{at}{p}")).collect();
    (at(&strict), at(&optional))
}

/// The strict and optional fields of a participant at `at` (its e-mail is required).
fn participant_fields(at: &str) -> (Vec<String>, Vec<String>) {
    let strict = [
        "/id",
        "/email",
        "/guest_options",
        "/guest_options/contact_methods",
        "/guest_options/contact_methods/*/id",
        "/guest_options/contact_methods/*/destination",
    ];
    let optional = ["/guest_options", "/guest_options/contact_methods"];
    let at = |list: &[&str]| list.iter().map(|p| format!("{at}{p}")).collect();
    (at(&strict), at(&optional))
}

/// A SafeBox with every section, shaped as the emulator answers (its messages have ids): the
/// participants of G-44, the message of G-67, the sections of G-68 to G-70.
fn full_safebox() -> Value {
    let mut messages = fixture(G67)["messages"].clone();
    messages[0]["id"] = json!(7);
    json!({
        "guid": "73af62f766ee459e81f46e4f533085a4",
        "status": "in_progress",
        "participants": fixture(G44)["participants"],
        "messages": messages,
        "event_history": fixture(G70)["event_history"],
        "security_options": fixture(G68)["security_options"],
        "download_activity": fixture(G69)["download_activity"],
    })
}

/// Every answer the library decodes, with its golden answers.
fn answers() -> Vec<Answer> {
    let plain = |name, decode, fixtures, strict: &[&str], optional: &[&str]| Answer {
        name,
        decode,
        fixtures,
        strict: strings(strict),
        optional: strings(optional),
        also: Also::Nothing,
        quotes_values: false,
        places: vec![],
    };
    let (info_strict, info_optional) = info_fields("/safebox");
    let (page_strict, page_optional) = {
        // Items wrapped in `{"safebox": …}` (the spec's) or not (also accepted).
        let (mut strict, mut optional) = info_fields("/safeboxes/*/safebox");
        let (bare_strict, bare_optional) = info_fields("/safeboxes/*");
        strict.extend(bare_strict);
        optional.extend(bare_optional);
        strict.extend(strings(&[
            "/safeboxes",
            "/count",
            "/next_page_url",
            "/previous_page_url",
        ]));
        optional.extend(strings(&["/count", "/next_page_url", "/previous_page_url"]));
        (strict, optional)
    };
    let (participants_strict, participants_optional) = {
        let (mut strict, optional) = participant_fields("/participants/*");
        strict.push("/participants".into());
        (strict, optional)
    };
    let (participant_strict, participant_optional) = participant_fields("");
    vec![
        Answer {
            also: Also::Token,
            quotes_values: true,
            ..plain(
                "api/user_token",
                |v| {
                    let body = serde_json::to_vec(&v).expect("JSON");
                    token_answer(200, &body).map(|t| format!("{} {}", t.token, t.user_id))
                },
                vec![fixture(G01)],
                &["/result", "/token", "/user_id"],
                &[],
            )
        },
        plain(
            "E1 initialize",
            |v| initialize_answer(&v).map(|a| format!("{} {}", a.guid, a.upload_url)),
            vec![fixture(G05)],
            &["/guid", "/upload_url"],
            &[],
        ),
        plain(
            "E2 upload",
            |v| uploaded_document_guid(&v),
            vec![fixture(G07)],
            &["/temporary_document/document_guid"],
            &[],
        ),
        plain(
            "E3 commit",
            |v| SafeboxResponse::from_json(v).map(|r| r.guid),
            vec![fixture(G10), fixture(G11), fixture(G14)],
            &["/guid"],
            &[],
        ),
        plain(
            "E4 security profiles",
            |v| security_profiles_answer(&v).map(|l| list(&l, |p| p.id.to_string())),
            vec![fixture(G15), json!({"security_profiles": [fixture(G16)]})],
            &["/security_profiles", "/security_profiles/*/id"],
            &[],
        ),
        Answer {
            quotes_values: true,
            ..plain(
                "E5 enterprise settings",
                |v| {
                    enterprise_settings_answer(v)
                        .map(|s| format!("{:?}", s.default_security_profile_id))
                },
                vec![fixture(G17), fixture(G79)],
                &["/*", "/extension_filter/mode", "/extension_filter/list/*"],
                &["/*"],
            )
        },
        plain(
            "E6 user settings",
            |v| user_settings_answer(v).map(|_| String::new()),
            vec![fixture(G18), fixture(G19)],
            &[],
            &[],
        ),
        plain(
            "E7 favorites",
            |v| favorite_list_answer(&v).map(|l| list(&l, |f| format!("{}/{}", f.id, f.email))),
            vec![fixture(G20), json!({"favorites": [fixture(G80)]})],
            &[
                "/favorites",
                "/favorites/*/id",
                "/favorites/*/email",
                "/favorites/*/contact_methods",
                "/favorites/*/contact_methods/*/id",
                "/favorites/*/contact_methods/*/destination",
            ],
            &["/favorites/*/contact_methods"],
        ),
        plain(
            "E8-E9 favorite",
            |v| {
                favorite_answer(v).map(|f| {
                    format!(
                        "{} [{}]",
                        f.id,
                        list(&f.contact_methods, |c| c.id.to_string())
                    )
                })
            },
            vec![fixture(G22), fixture(G26), fixture(G28), fixture(G80)],
            &[
                "/id",
                "/contact_methods",
                "/contact_methods/*/id",
                "/contact_methods/*/destination",
            ],
            &["/contact_methods"],
        ),
        plain(
            "E11 consent group",
            |v| consent_group_answer(&v).map(|g| format!("{} {:?}", g.id, g.messages)),
            vec![fixture(G29)],
            &[
                "/consent_message_group",
                "/consent_message_group/id",
                "/consent_message_group/consent_messages",
                "/consent_message_group/consent_messages/*/locale",
                "/consent_message_group/consent_messages/*/value",
            ],
            &["/consent_message_group/consent_messages"],
        ),
        plain(
            "E12 new file",
            |v| upload_url_answer(&v),
            vec![fixture(G31), fixture(G32)],
            &["/upload_url"],
            &[],
        ),
        Answer {
            also: Also::Refusal,
            ..plain(
                "E13, E19-E24, E34-E37 actions",
                |v| action_result(v).map(|_| String::new()),
                vec![
                    fixture(G34),
                    fixture(G50),
                    fixture(G54),
                    fixture(G72),
                    fixture(G76),
                    Value::Null,
                ],
                &["/result"],
                &["/result"],
            )
        },
        Answer {
            strict: participant_strict,
            optional: participant_optional,
            ..plain(
                "E14-E15 participant",
                |v| participant_answer(v).map(|p| format!("{} {}", p.id, p.email)),
                vec![fixture(G36), fixture(G38), fixture(G40)],
                &[],
                &[],
            )
        },
        Answer {
            strict: participants_strict,
            optional: participants_optional,
            ..plain(
                "E16 participants",
                |v| participant_list_answer(&v).map(|l| list(&l, |p| p.id.clone())),
                vec![fixture(G44), fixture(G45)],
                &[],
                &[],
            )
        },
        plain(
            "E17 recipient search",
            |v| recipient_search_answer(&v).map(|l| list(&l, |r| format!("{}/{}", r.id, r.email))),
            vec![fixture(G46)],
            &["/results", "/results/*/id", "/results/*/email"],
            &[],
        ),
        Answer {
            also: Also::Refusal,
            ..plain(
                "E18 add time",
                add_time_answer,
                vec![fixture(G48)],
                &["/result", "/new_expiration"],
                &["/result"],
            )
        },
        plain(
            "E25-E26 URLs",
            |v| url_of(&v),
            vec![fixture(G60), fixture(G62)],
            &["/url"],
            &[],
        ),
        Answer {
            strict: page_strict,
            optional: page_optional,
            ..plain(
                "E28 SafeBox list",
                |v| {
                    SafeboxPage::from_json(&v).map(|p| {
                        format!(
                            "{} {:?} {:?} [{}]",
                            p.count,
                            p.next_page_url,
                            p.previous_page_url,
                            list(&p.safeboxes, info_id)
                        )
                    })
                },
                vec![
                    fixture(G63),
                    json!({
                        "count": 3,
                        "safeboxes": [
                            {"safebox": fixture(G78)},
                            {"safebox": full_safebox()},
                            full_safebox(),
                        ],
                    }),
                ],
                &[],
                &[],
            )
        },
        Answer {
            strict: info_strict,
            optional: info_optional,
            ..plain(
                "E29 SafeBox info",
                |v| safebox_info_answer(v).map(|i| info_id(&i)),
                vec![
                    fixture(G65),
                    fixture(G66),
                    json!({"safebox": fixture(G78)}),
                    json!({"safebox": full_safebox()}),
                ],
                &[],
                &[],
            )
        },
        plain(
            "E30 messages",
            |v| {
                message_list_answer(&v).map(|l| {
                    list(&l, |m| {
                        format!("{}:{}", m.id, list(&m.documents, |d| d.id.clone()))
                    })
                })
            },
            vec![
                fixture(G67),
                json!({"messages": full_safebox()["messages"]}),
            ],
            &[
                "/messages",
                "/messages/*/id",
                "/messages/*/documents",
                "/messages/*/documents/*/id",
            ],
            &["/messages/*/id", "/messages/*/documents"],
        ),
        plain(
            "E31 security options",
            |v| security_options_answer(v).map(|_| String::new()),
            vec![fixture(G68)],
            &["/security_options"],
            &[],
        ),
        plain(
            "E32 download activity",
            |v| download_activity_answer(v).map(|_| String::new()),
            vec![fixture(G69)],
            &["/download_activity"],
            &[],
        ),
        plain(
            "E33 event history",
            |v| event_history_answer(&v).map(|l| list(&l, |e| e.kind.clone())),
            vec![fixture(G70)],
            &["/event_history", "/event_history/*/type"],
            &[],
        ),
    ]
}

/// A decoder whose result does not matter, only its error.
type Decoder = fn(Value) -> Result<()>;

/// The public `from_json` of each model, for the arbitrary values.
fn model_decoders() -> Vec<(&'static str, Decoder)> {
    vec![
        ("Participant::from_json", |v| {
            Participant::from_json(v).map(drop)
        }),
        ("Message::from_json", |v| Message::from_json(v).map(drop)),
        ("Event::from_json", |v| Event::from_json(&v).map(drop)),
        ("SafeboxInfo::from_json", |v| {
            SafeboxInfo::from_json(v).map(drop)
        }),
        ("SafeboxPage::from_json", |v| {
            SafeboxPage::from_json(&v).map(drop)
        }),
        ("Favorite::from_json", |v| Favorite::from_json(v).map(drop)),
        ("RecipientMatch::from_json", |v| {
            RecipientMatch::from_json(&v).map(drop)
        }),
        ("ConsentGroup::from_json", |v| {
            ConsentGroup::from_json(v).map(drop)
        }),
        ("SecurityProfile::from_json", |v| {
            SecurityProfile::from_json(v).map(drop)
        }),
        ("SafeboxResponse::from_json", |v| {
            SafeboxResponse::from_json(v).map(drop)
        }),
    ]
}

// ---------------------------------------------------------------------------------------------
// Checks.

/// `x` for a message: its `Debug` form, cut to a few hundred characters.
fn short(x: &impl std::fmt::Debug) -> String {
    let text = format!("{x:?}");
    match text.char_indices().nth(300) {
        Some((end, _)) => format!("{}… ({} bytes)", &text[..end], text.len()),
        None => text,
    }
}

/// Runs `decode` on `value`; a panic fails the case.
fn run<T>(
    name: &str,
    decode: fn(Value) -> Result<T>,
    value: Value,
) -> std::result::Result<Result<T>, TestCaseError> {
    catch_unwind(AssertUnwindSafe(|| decode(value)))
        .map_err(|_| TestCaseError::fail(format!("{name}: the decoding panicked")))
}

/// The error is one `answer` may give, with a readable message that quotes no value marked
/// with [`MARK`] (unless its errors may quote values).
fn check_error(
    name: &str,
    also: Also,
    quotes_values: bool,
    e: &Error,
) -> std::result::Result<(), TestCaseError> {
    let allowed = match e {
        Error::Decode(_) => true,
        Error::Http { status: 200, .. } => also == Also::Refusal,
        Error::Token { .. } => also == Also::Token,
        _ => false,
    };
    prop_assert!(allowed, "{name}: unexpected kind of error {}", short(e));
    if let Error::Decode(message) = e {
        prop_assert!(!message.is_empty(), "{name}: empty message");
        prop_assert!(
            !message.chars().any(char::is_control),
            "{name}: control character in {}",
            short(message)
        );
        prop_assert!(
            quotes_values || !message.contains(MARK),
            "{name}: the message quotes a value of the answer: {}",
            short(message)
        );
    }
    Ok(())
}

/// Decodes `value` as `answer`: no panic, and any error is of an allowed kind.
fn check(answer: &Answer, value: Value) -> std::result::Result<Result<String>, TestCaseError> {
    let result = run(answer.name, answer.decode, value)?;
    if let Err(e) = &result {
        check_error(answer.name, answer.also, answer.quotes_values, e)?;
    }
    Ok(result)
}

// ---------------------------------------------------------------------------------------------
// Arbitrary JSON.

/// Marks the text this file generates, so that a message quoting it is seen.
const MARK: char = '\u{2603}';

/// Field names of the answers, so that arbitrary objects often look like answers.
const KEYS: &[&str] = &[
    "guid",
    "id",
    "email",
    "type",
    "role",
    "result",
    "message",
    "token",
    "user_id",
    "url",
    "upload_url",
    "new_expiration",
    "expiration",
    "count",
    "next_page_url",
    "previous_page_url",
    "safeboxes",
    "safebox",
    "participants",
    "messages",
    "documents",
    "event_history",
    "security_options",
    "download_activity",
    "guest_options",
    "contact_methods",
    "destination",
    "destination_type",
    "consent_message_group",
    "consent_messages",
    "locale",
    "value",
    "results",
    "favorites",
    "security_profiles",
    "temporary_document",
    "document_guid",
    "name",
    "size",
    "date",
    "metadata",
    "default_security_profile_id",
    "extension_filter",
    "mode",
    "list",
    "code",
    "privileged",
    "locked",
    "read",
    "author_id",
    "note",
    "order_number",
    "first_name",
    "status",
];

fn character() -> impl Strategy<Value = char> {
    prop_oneof![
        6 => (0x20u8..0x7f).prop_map(char::from),
        2 => (0u8..0x20).prop_map(char::from),
        3 => any::<char>(),
        1 => prop::sample::select(vec![
            '\u{7f}', '\u{85}', '\u{200b}', '\u{202e}', '\u{2028}', '\u{feff}', '\u{fffd}',
            '\u{10ffff}', '"', '\\', '/', 'é', '日', '😀',
        ]),
    ]
}

/// Text: short and odd, numeric (ids may be numeric text), blank, or (rarely: one value in a
/// few has one) huge.
fn text() -> impl Strategy<Value = String> {
    prop_oneof![
        100 => prop::collection::vec(character(), 0..24).prop_map(String::from_iter),
        20 => (any::<i64>(), prop::sample::select(vec!["", " ", "\t", "+", "0", "e3", ".5"]))
            .prop_map(|(n, affix)| format!("{affix}{n}{affix}")),
        10 => prop::sample::select(vec!["", " ", "\n", "true", "false", "null", "NaN", "1e400",
            "99999999999999999999999"]).prop_map(String::from),
        1 => (character(), 1_000..70_000usize).prop_map(|(c, n)| c.to_string().repeat(n)),
    ]
}

fn number() -> impl Strategy<Value = Value> {
    prop_oneof![
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        any::<f64>().prop_filter_map("not finite", |f| serde_json::Number::from_f64(f)
            .map(Value::Number)),
        prop::sample::select(vec![
            json!(0),
            json!(-1),
            json!(i64::MIN),
            json!(i64::MAX),
            json!(u64::MAX),
            json!(1e308),
            json!(-1e308),
            json!(-0.0),
            json!(0.5),
            json!(9_007_199_254_740_993_f64),
        ]),
    ]
}

fn key() -> impl Strategy<Value = String> {
    prop_oneof![
        3 => prop::sample::select(KEYS).prop_map(String::from),
        1 => text(),
    ]
}

/// Any JSON value, at most 5 levels deep and about 128 nodes.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        number(),
        text().prop_map(Value::String),
    ];
    leaf.prop_recursive(5, 128, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..8).prop_map(Value::Array),
            prop::collection::vec((key(), inner), 0..8)
                .prop_map(|fields| Value::Object(fields.into_iter().collect())),
        ]
    })
}

/// `value` with [`MARK`] before every text (keys excepted).
fn marked(value: Value) -> Value {
    match value {
        Value::String(s) => Value::String(format!("{MARK}{s}")),
        Value::Array(items) => Value::Array(items.into_iter().map(marked).collect()),
        Value::Object(fields) => {
            Value::Object(fields.into_iter().map(|(k, v)| (k, marked(v))).collect())
        }
        other => other,
    }
}

// ---------------------------------------------------------------------------------------------
// Mutations.

/// A step of a path in a JSON value.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Step {
    Key(String),
    At(usize),
}

type Path = Vec<Step>;

/// The JSON pointer of a path.
fn pointer(path: &[Step]) -> String {
    path.iter()
        .map(|s| match s {
            Step::Key(k) => format!("/{k}"),
            Step::At(i) => format!("/{i}"),
        })
        .collect()
}

/// Every path in `value`, the root's included, parents before children.
fn paths(value: &Value) -> Vec<Path> {
    fn walk(v: &Value, at: &mut Path, out: &mut Vec<Path>) {
        out.push(at.clone());
        match v {
            Value::Object(fields) => {
                for (k, child) in fields {
                    at.push(Step::Key(k.clone()));
                    walk(child, at, out);
                    at.pop();
                }
            }
            Value::Array(items) => {
                for (i, child) in items.iter().enumerate() {
                    at.push(Step::At(i));
                    walk(child, at, out);
                    at.pop();
                }
            }
            _ => {}
        }
    }
    let mut out = vec![];
    walk(value, &mut vec![], &mut out);
    out
}

/// Whether `pattern` (a pointer whose `*` segments match any one segment) names `path`.
fn matches(pattern: &str, path: &str) -> bool {
    let (p, q): (Vec<_>, Vec<_>) = (pattern.split('/').collect(), path.split('/').collect());
    p.len() == q.len() && p.iter().zip(&q).all(|(a, b)| *a == "*" || a == b)
}

/// The path `at` picks in `list` (not empty).
fn pick<'a>(at: &Index, list: &'a [Path]) -> &'a Path {
    at.get(list)
}

fn get_mut<'a>(value: &'a mut Value, path: &[Step]) -> Option<&'a mut Value> {
    path.iter().try_fold(value, |v, step| match (v, step) {
        (Value::Object(fields), Step::Key(k)) => fields.get_mut(k),
        (Value::Array(items), Step::At(i)) => items.get_mut(*i),
        _ => None,
    })
}

/// A change to one place of an answer.
#[derive(Debug, Clone)]
enum Change {
    /// Removed from its object or array (the root becomes null).
    Drop,
    Null,
    /// Of another type, keeping what can be kept (text and numbers swap, arrays and objects
    /// swap, ...).
    Retype,
    /// A huge text.
    Huge,
    /// Nested one level down in an object.
    Nest,
    /// Arrays become objects (keys "0", "1", ...) and objects arrays of their values; a scalar
    /// becomes a one-item array.
    Swap,
    /// Replaced by any value.
    Set(Value),
}

fn change() -> impl Strategy<Value = Change> {
    prop_oneof![
        2 => Just(Change::Drop),
        2 => Just(Change::Null),
        2 => Just(Change::Retype),
        1 => Just(Change::Huge),
        1 => Just(Change::Nest),
        1 => Just(Change::Swap),
        3 => json_value().prop_map(|v| Change::Set(marked(v))),
    ]
}

fn retype(v: Value) -> Value {
    match v {
        Value::Null => Value::Bool(true),
        Value::Bool(b) => Value::from(u8::from(b)),
        Value::Number(n) => Value::String(format!("{MARK}{n}")),
        Value::String(s) => Value::from(s.len()),
        Value::Array(items) => Value::Object(
            items
                .into_iter()
                .enumerate()
                .map(|(i, v)| (i.to_string(), v))
                .collect(),
        ),
        Value::Object(fields) => Value::Array(fields.into_iter().map(|(_, v)| v).collect()),
    }
}

fn swap(v: Value) -> Value {
    match v {
        Value::Array(items) => Value::Object(
            items
                .into_iter()
                .enumerate()
                .map(|(i, v)| (i.to_string(), v))
                .collect(),
        ),
        Value::Object(fields) => Value::Array(fields.into_iter().map(|(_, v)| v).collect()),
        scalar => Value::Array(vec![scalar]),
    }
}

/// Applies `change` at `path` (nothing when the path is gone).
fn apply(root: &mut Value, path: &[Step], change: &Change) {
    if let Change::Drop = change {
        match path.split_last() {
            None => *root = Value::Null,
            Some((last, parent)) => match (get_mut(root, parent), last) {
                (Some(Value::Object(fields)), Step::Key(k)) => {
                    fields.shift_remove(k);
                }
                (Some(Value::Array(items)), Step::At(i)) if *i < items.len() => {
                    items.remove(*i);
                }
                _ => {}
            },
        }
        return;
    }
    let Some(target) = get_mut(root, path) else {
        return;
    };
    let old = target.take();
    *target = match change {
        Change::Drop | Change::Null => Value::Null,
        Change::Retype => retype(old),
        Change::Huge => Value::String(MARK.to_string().repeat(100_000)),
        Change::Nest => json!({ "nested": old }),
        Change::Swap => swap(old),
        Change::Set(v) => v.clone(),
    };
}

/// The paths of `fixture` that `answer` leaves free: neither a strict field nor an object or
/// array holding one (the root is never free).
fn free_paths(answer: &Answer, fixture: &Value) -> Vec<Path> {
    let all = paths(fixture);
    let strict: Vec<String> = all
        .iter()
        .map(|p| pointer(p))
        .filter(|p| answer.strict.iter().any(|s| matches(s, p)))
        .collect();
    all.into_iter()
        .filter(|p| {
            let at = pointer(p);
            !at.is_empty()
                && !strict
                    .iter()
                    .any(|s| *s == at || s.starts_with(&format!("{at}/")))
        })
        .collect()
}

/// The paths of `fixture` that `answer` allows to be missing or null.
fn optional_paths(answer: &Answer, fixture: &Value) -> Vec<Path> {
    paths(fixture)
        .into_iter()
        .filter(|p| {
            let at = pointer(p);
            answer.optional.iter().any(|o| matches(o, &at))
        })
        .collect()
}

/// The paths of the objects in `value`.
fn object_paths(value: &Value) -> Vec<Path> {
    let mut out = paths(value);
    out.retain(|p| matches!(get_ref(value, p), Some(Value::Object(_))));
    out
}

fn get_ref<'a>(value: &'a Value, path: &[Step]) -> Option<&'a Value> {
    path.iter().try_fold(value, |v, step| match (v, step) {
        (Value::Object(fields), Step::Key(k)) => fields.get(k),
        (Value::Array(items), Step::At(i)) => items.get(*i),
        _ => None,
    })
}

/// Edits of raw bytes.
#[derive(Debug, Clone)]
enum ByteEdit {
    Flip(Index, u8),
    Insert(Index, u8),
    Remove(Index),
    Cut(Index),
}

fn byte_edit() -> impl Strategy<Value = ByteEdit> {
    prop_oneof![
        (any::<Index>(), any::<u8>()).prop_map(|(i, b)| ByteEdit::Flip(i, b)),
        (
            any::<Index>(),
            prop::sample::select(b"{}[]\",:\\0-e.tfn \x00\xff\xc3".to_vec())
        )
            .prop_map(|(i, b)| ByteEdit::Insert(i, b)),
        any::<Index>().prop_map(ByteEdit::Remove),
        any::<Index>().prop_map(ByteEdit::Cut),
    ]
}

fn edit_bytes(bytes: &mut Vec<u8>, edit: &ByteEdit) {
    if bytes.is_empty() {
        return;
    }
    match edit {
        ByteEdit::Flip(i, b) => {
            let i = i.index(bytes.len());
            bytes[i] ^= b | 1;
        }
        ByteEdit::Insert(i, b) => bytes.insert(i.index(bytes.len() + 1), *b),
        ByteEdit::Remove(i) => {
            bytes.remove(i.index(bytes.len()));
        }
        ByteEdit::Cut(i) => bytes.truncate(i.index(bytes.len())),
    }
}

// ---------------------------------------------------------------------------------------------
// The properties.

/// The golden answers decode, and the field patterns name fields of them.
#[test]
fn every_golden_answer_decodes() {
    for answer in answers() {
        for f in &answer.fixtures {
            let result = (answer.decode)(f.clone());
            assert!(result.is_ok(), "{}: {result:?} for {f}", answer.name);
        }
        // Every pattern names something in some golden answer (no typo).
        for pattern in answer.strict.iter().chain(&answer.optional) {
            let named = answer
                .fixtures
                .iter()
                .any(|f| paths(f).iter().any(|p| matches(pattern, &pointer(p))));
            assert!(named, "{}: `{pattern}` names nothing", answer.name);
        }
    }
}

/// The mutations change what they say, where they say.
#[test]
fn mutations_apply_where_they_say() {
    let mut v = json!({"a": [1, {"b": "x"}], "c": {"d": null}});
    apply(&mut v, &[Step::Key("a".into()), Step::At(0)], &Change::Drop);
    assert_eq!(v, json!({"a": [{"b": "x"}], "c": {"d": null}}));
    apply(&mut v, &[Step::Key("c".into())], &Change::Swap);
    assert_eq!(v, json!({"a": [{"b": "x"}], "c": [null]}));
    apply(&mut v, &[Step::Key("a".into())], &Change::Nest);
    assert_eq!(v, json!({"a": {"nested": [{"b": "x"}]}, "c": [null]}));
    let a = &answers()[3]; // E3 commit: only the GUID is strict
    assert_eq!(a.name, "E3 commit");
    let free = free_paths(a, &a.fixtures[0]);
    assert!(free.iter().all(|p| pointer(p) != "/guid" && !p.is_empty()));
    assert!(free.iter().any(|p| pointer(p) == "/preview_url"));
    assert!(matches("/x/*/y", "/x/12/y") && !matches("/x/*", "/x/1/y"));
}

/// The answers with the places of their golden answers, found once.
fn all() -> &'static [Answer] {
    static ANSWERS: std::sync::OnceLock<Vec<Answer>> = std::sync::OnceLock::new();
    ANSWERS.get_or_init(|| {
        let mut list = answers();
        for answer in &mut list {
            let places = answer
                .fixtures
                .iter()
                .map(|f| Places {
                    free: free_paths(answer, f),
                    optional: optional_paths(answer, f),
                    objects: object_paths(f),
                })
                .collect();
            answer.places = places;
        }
        list
    })
}

/// Envelopes of the answers, to carry an arbitrary value where the decoders look.
const ENVELOPES: &[&str] = &[
    "safebox",
    "safeboxes",
    "participants",
    "messages",
    "event_history",
    "favorites",
    "results",
    "security_profiles",
    "consent_message_group",
    "security_options",
    "download_activity",
    "temporary_document",
    "extension_filter",
];

fn raw_bytes() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        prop::collection::vec(any::<u8>(), 0..256),
        (
            prop::sample::select(GOLDEN),
            prop::collection::vec(byte_edit(), 1..6)
        )
            .prop_map(|(text, edits)| {
                let mut bytes = text.as_bytes().to_vec();
                edits.iter().for_each(|e| edit_bytes(&mut bytes, e));
                bytes
            }),
        (json_value(), prop::collection::vec(byte_edit(), 0..4)).prop_map(|(v, edits)| {
            let mut bytes = serde_json::to_vec(&v).expect("JSON");
            edits.iter().for_each(|e| edit_bytes(&mut bytes, e));
            bytes
        }),
    ]
}

proptest! {
    #![proptest_config(config(CASES))]

    /// Any JSON value, bare or in an answer's envelope: every answer and every model decodes
    /// it or refuses it with an error of an allowed kind, never panics, never quotes it.
    #[test]
    fn arbitrary_json_is_decoded_or_refused(value in json_value()) {
        let value = marked(value);
        let mut shapes = vec![value.clone()];
        for key in ENVELOPES {
            shapes.push(json!({ *key: value.clone() }));
            shapes.push(json!({ *key: [value.clone()] }));
        }
        for answer in all() {
            for shape in &shapes {
                let _decoded = check(answer, shape.clone())?;
            }
        }
        for (name, decode) in model_decoders() {
            if let Err(e) = run(name, decode, value.clone())? {
                check_error(name, Also::Nothing, false, &e)?;
            }
        }
    }

    /// Golden answers changed anywhere (1 to 3 changes): decoded or refused with an error of
    /// an allowed kind, never a panic, never quoting a value.
    #[test]
    fn mutated_golden_answers_are_decoded_or_refused(
        changes in prop::collection::vec((any::<Index>(), change()), 1..4),
    ) {
        for answer in all() {
            for golden in &answer.fixtures {
                let mut v = golden.clone();
                for (at, change) in &changes {
                    let places = paths(&v);
                    apply(&mut v, pick(at, &places), change);
                }
                let _decoded = check(answer, v)?;
            }
        }
    }

    /// Golden answers whose free fields changed (1 to 3 changes) and with unknown fields added
    /// anywhere: they still decode, to the same objects.
    #[test]
    fn free_fields_change_nothing(
        changes in prop::collection::vec((any::<Index>(), change()), 1..4),
        added in prop::collection::vec((any::<Index>(), text(), json_value()), 0..3),
    ) {
        for answer in all() {
            for (n, (golden, places)) in answer.fixtures.iter().zip(&answer.places).enumerate() {
                let expected = (answer.decode)(golden.clone()).ok();
                let (free, objects) = (&places.free, &places.objects);
                let mut v = golden.clone();
                for (at, name, value) in &added {
                    if objects.is_empty() {
                        break;
                    }
                    if let Some(Value::Object(fields)) = get_mut(&mut v, pick(at, objects)) {
                        fields.insert(format!("x_{name}"), marked(value.clone()));
                    }
                }
                if !free.is_empty() {
                    for (at, change) in &changes {
                        apply(&mut v, pick(at, free), change);
                    }
                }
                let got = check(answer, v)?;
                prop_assert!(
                    got.as_ref().ok() == expected.as_ref(),
                    "{} (golden answer {n}): {} instead of {}",
                    answer.name,
                    short(&got),
                    short(&expected)
                );
            }
        }
    }

    /// Golden answers without some of the strict fields that may be missing, or with them
    /// null: they still decode.
    #[test]
    fn optional_fields_may_be_missing_or_null(
        picks in prop::collection::vec((any::<Index>(), any::<bool>()), 1..3),
    ) {
        for answer in all() {
            for (golden, places) in answer.fixtures.iter().zip(&answer.places) {
                let optional = &places.optional;
                if optional.is_empty() {
                    continue;
                }
                let mut v = golden.clone();
                for (at, drop) in &picks {
                    let change = if *drop { Change::Drop } else { Change::Null };
                    apply(&mut v, pick(at, optional), &change);
                }
                let got = check(answer, v.clone())?;
                prop_assert!(got.is_ok(), "{}: {} for {}", answer.name, short(&got), short(&v));
            }
        }
    }

    /// Raw bytes as a success answer's body, a login answer and an error answer's body: read
    /// or refused with an error of an allowed kind, never a panic.
    #[test]
    fn raw_bytes_are_read_or_refused(bytes in raw_bytes(), status in 100u16..600) {
        let body = catch_unwind(AssertUnwindSafe(|| json_body(&bytes)))
            .map_err(|_| TestCaseError::fail("json_body panicked"))?;
        match body {
            Ok(v) => {
                for answer in all() {
                    let _decoded = check(answer, v.clone())?;
                }
            }
            Err(e) => check_error("json_body", Also::Nothing, false, &e)?,
        }
        let login = catch_unwind(AssertUnwindSafe(|| token_answer(200, &bytes)))
            .map_err(|_| TestCaseError::fail("token_answer panicked"))?;
        if let Err(e) = login {
            check_error("api/user_token", Also::Token, true, &e)?;
        }
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let error = catch_unwind(AssertUnwindSafe(|| Error::from_status(status, text)))
            .map_err(|_| TestCaseError::fail("Error::from_status panicked"))?;
        prop_assert!(
            matches!(error, Error::Http { status: s, .. } if s == status),
            "{:?}",
            error
        );
    }
}

// ---------------------------------------------------------------------------------------------
// The golden answers of spec §14, verbatim.

/// Every golden answer, for the raw byte edits.
const GOLDEN: &[&str] = &[
    G01, G05, G07, G10, G11, G14, G15, G16, G17, G18, G19, G20, G22, G26, G28, G29, G31, G32, G34,
    G36, G38, G40, G44, G45, G46, G48, G50, G54, G60, G62, G63, G65, G66, G67, G68, G69, G70, G72,
    G76, G78, G79, G80,
];

/// G-01: User token — success
const G01: &str =
    r#"{"result":true,"token":"USER|489b3b1f-b411-428e-be5b-2abbace87689","user_id":123}"#;
/// G-05: Initialize SafeBox — response
const G05: &str = r#"{"guid":"dc6f21e0f02c4112874f8b5653b795e4","public_encryption_key":"RBQISzMk9KwkdBKDVw8sQK0gQe4MOTBGaM7hLdVOmJJ56nCZ8N7h2J0Zhy9rb9ax","upload_url": "https://upload_url"}"#;
/// G-07: Upload file — response
const G07: &str =
    r#"{"temporary_document": {"document_guid": "5d4d6a8158b04915a532622983eb4493"}}"#;
/// G-10: Commit SafeBox — response (java)
const G10: &str = r#"{"guid":"845459484b674055bec4ddf2ba5ab60e","user_id":1,"enterprise_id":4,"subject":"Donec rutrum congue leo eget malesuada. ","expiration":"2017-05-31T14:42:27.258Z","notification_language":"fr","status":"in_progress","security_profile_name":"All Contact Method Allowed!","force_expiry_date":null,"security_code_length":6,"allowed_login_attempts":10,"allow_remember_me":true,"allow_sms":true,"allow_voice":true,"allow_email":true,"reply_enabled":true,"group_replies":true,"code_time_limit":5,"encrypt_message":true,"two_factor_required":true,"auto_extend_value":6,"auto_extend_unit":"hours","retention_period_type":"discard_at_expiration","retention_period_value":null,"retention_period_unit":"hours","delete_content_on": null,"allow_manual_delete":true,"allow_manual_close":true,"email_notification_enabled":true,"preview_url":"https://preview","encryption_key":null,"created_at":"2017-05-24T14:42:27.289Z","updated_at":"2017-05-24T14:42:27.526Z","latest_activity":"2017-05-24T14:42:27.463Z"}"#;
/// G-11: Commit SafeBox — response (py, with preview_url ?k= and encryption_key)
const G11: &str = r#"{"guid": "1c820789a50747df8746aa5d71922a3f", "user_id": 3, "enterprise_id": 1, "subject": null, "expiration": "2016-12-06T05:38:09.951Z", "notification_language": "en", "status": "in_progress", "security_profile_name": "email-only", "force_expiry_date": null, "security_code_length": 4, "allowed_login_attempts": 3, "allow_remember_me": false, "allow_sms": false, "allow_voice": false, "allow_email": true, "reply_enabled": true, "group_replies": false, "code_time_limit": 5, "encrypt_message": false, "two_factor_required": true, "auto_extend_value": 3, "auto_extend_unit": "days", "retention_period_type": "discard_at_expiration", "retention_period_value": null, "retention_period_unit": null, "delete_content_on": null, "preview_url": "http://sendsecure.lvh.me:3001/s/5b8e88acc9c44b229ba64256298f9388/preview?k=AyOmyAawJXKepb9LuJAOyiJXvkpEQcdSweS2-It3jaRntO9rRyCaciv7QBt5Dqoz", "encryption_key": "AyOmyAawJXKepb9LuJAOyiJXvkpEQcdSweS2-It3jaRntO9rRyCaciv7QBt5Dqoz", "created_at": "2016-12-05T22:38:09.965Z", "updated_at": "2016-12-05T22:38:09.965Z", "latest_activity": "2016-12-05T22:38:10.068Z"}"#;
/// G-14: Commit response as consumed by Safebox.update_attributes(is_creation)
const G14: &str = r#"{"guid": "b4d898ada15f42f293e31905c514607f", "user_id": 1, "enterprise_id": 1, "subject": "Test Subject", "expiration": "2017-05-31T14:42:27.258Z", "notification_language": "en", "status": "in_progress", "security_profile_name": "security profile", "force_expiry_date": null, "security_code_length": 4, "allowed_login_attempts": 3, "allow_remember_me": true, "allow_sms": true, "allow_voice": true, "allow_email": false, "reply_enabled": true, "group_replies": false, "code_time_limit": 5, "encrypt_message": true, "two_factor_required": true, "auto_extend_value": 3, "auto_extend_unit": "days", "retention_period_type": "do_not_discard", "retention_period_value": null, "retention_period_unit": "hours", "delete_content_on": null, "allow_manual_delete": true, "allow_manual_close": false, "email_notification_enabled": true, "preview_url": "https://sendsecure.integration.xmedius.com/s/845459484b674055bec4ddf2ba5ab60e/preview", "encryption_key": null, "created_at": "2017-05-24T14:42:27.289Z", "updated_at": "2017-05-24T14:42:27.526Z", "latest_activity": "2017-05-24T14:42:27.463Z"}"#;
/// G-15: Security profiles — response (java)
const G15: &str = r#"{	"default": 1,"security_profiles": [{"name": "test profile","id": 1,"description": "test description","created_at": "2017-04-28T17:18:30.850Z","updated_at": "2017-04-28T17:18:30.850Z","allowed_login_attempts": {"value": 3, "modifiable": true }},{"name": "test profile 2","id": 2,"description": "test description 2","created_at": "2017-04-28T17:18:30.850Z","updated_at": "2017-04-28T17:18:30.850Z","allowed_login_attempts": {"value": 5, "modifiable": false }}]}"#;
/// G-16: Security profile object (full, py)
const G16: &str = r#"{"id": 10, "name": "email-only", "description": "", "created_at": "2016-04-27T21:08:29.457Z", "updated_at": "2016-07-27T19:03:05.883Z", "allowed_login_attempts": {"value": 3, "modifiable": false}, "allow_remember_me": {"value": false, "modifiable": false}, "allow_sms": {"value": false, "modifiable": false}, "allow_voice": {"value": false, "modifiable": false}, "allow_email": {"value": true, "modifiable": false}, "code_time_limit": {"value": 5, "modifiable": false}, "code_length": {"value": 4, "modifiable": false}, "auto_extend_value": {"value": 3, "modifiable": false}, "auto_extend_unit": {"value": "days", "modifiable": false}, "two_factor_required": {"value": true, "modifiable": false}, "encrypt_attachments": {"value": true, "modifiable": false}, "encrypt_message": {"value": false, "modifiable": false}, "expiration_value": {"value": 7, "modifiable": false}, "expiration_unit": {"value": "hours", "modifiable": false}, "reply_enabled": {"value": true, "modifiable": false}, "group_replies": {"value": false, "modifiable": false}, "double_encryption": {"value": true, "modifiable": false}, "retention_period_type": {"value": "discard_at_expiration", "modifiable": false}, "retention_period_value": {"value": null, "modifiable": false}, "retention_period_unit": {"value": null, "modifiable": false}}"#;
/// G-17: Enterprise settings — response
const G17: &str = r#"{ "created_at": "2016-09-08T18:54:43.018Z","updated_at": "2017-03-23T16:12:09.411Z","default_security_profile_id": 1,"pdf_language": "en","use_pdfa_audit_records": false,"international_dialing_plan": "ca","extension_filter": {"mode": "forbid","list": ["bat","bin"]},"virus_scan_enabled": false,"max_file_size_value": null,"max_file_size_unit": null,"include_users_in_autocomplete": true,"include_favorites_in_autocomplete": true,"users_public_url": true}"#;
/// G-18: User settings — response (java)
const G18: &str = r#"{"created_at": "2016-08-15T21:56:45.798Z","updated_at": "2017-04-10T18:58:59.356Z","mask_note": false,"open_first_transaction": false,"mark_as_read": true,"mark_as_read_delay": 5,"remember_key": true,"default_filter": "everything","recipient_language": "en","secure_link": {"enabled": true,"url": "https://sendsecure.integration.xmedius.com/r/612328d944b842c68418375ffdc87b3f","security_profile_id": 13 }}"#;
/// G-19: User settings object (py, incl. always_promote_as_privileged)
const G19: &str = r#"{"created_at": "2016-08-15T21:56:45.798Z", "updated_at": "2017-04-10T18:58:59.356Z", "mask_note": false, "open_first_transaction": false, "mark_as_read": true, "mark_as_read_delay": 5, "remember_key": true, "default_filter": "everything", "recipient_language": null, "secure_link": {"enabled": true, "url": "https://sendsecure.integration.xmedius.com/r/6125b3f", "security_profile_id": 1}, "always_promote_as_privileged": true}"#;
/// G-20: Favorites — list response
const G20: &str = r#"{"favorites":[{"email":"favorite1@example.com","contact_methods":[{"destination_type":"cell_phone","destination":"514-555-0001","id":1},{"destination_type":"office_phone","destination":"514-555-0002","id":2}]},{"email":"favorite2@example.com","contact_methods":[{"destination_type":"home_phone","destination":"514-555-0003","id":3}]}]}"#;
/// G-22: Create favorite — response (java)
const G22: &str = r#"{"id":123,"email":"favorite@example.com","first_name":"Test","last_name":"User","company_name":"Test enterprise","order_number":1,"created_at":"2017-05-26T19:27:27.798Z","updated_at":"2017-05-24T14:45:35.062Z","contact_methods":[{"id":1,"destination_type":"office_phone","destination":"514-555-5555","verified":false,"created_at":"2017-05-26T19:27:27.798Z","updated_at":"2017-05-24T14:45:35.062Z"}]}"#;
/// G-26: Update favorite — response (py)
const G26: &str = r#"{"id": 456, "created_at": "2017-04-28T17:18:30.850Z", "updated_at": "2017-04-28T17:20:54.320Z", "contact_methods": [{"id": 1, "created_at": "2017-04-28T17:14:55.304Z", "updated_at": "2017-04-28T17:20:54.320Z"}, {"id": 2, "created_at": "2017-04-28T18:14:55.304Z", "updated_at": "2017-04-28T17:20:54.320Z"}]}"#;
/// G-28: Delete favorite contact methods — response (contact list emptied)
const G28: &str = r#"{"email": "john.smith@example.com", "id": 456, "first_name": "", "last_name": "Smith", "company_name": "Acme", "order_number": 10, "created_at": "2016-04-19T16:26:18.277Z", "updated_at": "2017-09-07T19:33:51.192Z", "contact_methods": []}"#;
/// G-29: Consent message group — response
const G29: &str = r#"{"consent_message_group": {"id": 1, "name": "Default", "created_at": "2016-08-29T14:52:26.085Z", "updated_at": "2016-08-29T14:52:26.085Z", "consent_messages": [{"locale": "en", "value": "Lorem ipsum", "created_at": "2016-08-29T14:52:26.085Z", "updated_at": "2016-08-29T14:52:26.085Z"}]}}"#;
/// G-31: New file (uploads) — response
const G31: &str = r#"{"temporary_document_guid": "1c820789a50747df8746aa5d71922a3f", "upload_url": "http://upload_url/"}"#;
/// G-32: New file (uploads) — response (java)
const G32: &str = r#"{"temporary_document_guid":"6c58a1335a3142d6b140c06003c45d58","upload_url":"http://fileserver.lvh.me/xmss/DOcWbl96EVtI"}"#;
/// G-34: Reply — response
const G34: &str = r#"{"result": true, "message": "SafeBox successfully updated."}"#;
/// G-36: Create participant — response
const G36: &str = r#"{"id": "23a3c8ec897548dc82f50a9a1550e52c", "first_name": "John", "last_name": "Smith", "email": "johny.smith@example.com", "type": "guest", "role": "guest", "guest_options": {"company_name": "ACME", "locked": false, "bounced_email": false, "failed_login_attempts": 0, "verified": false, "created_at": "2017-05-26T19:27:27.798Z", "updated_at": "2017-05-26T19:27:27.798Z", "contact_methods": [{"id": 35105, "destination": "+15145550000", "destination_type": "office_phone", "verified": false, "created_at": "2017-05-26T19:27:27.864Z", "updated_at": "2017-05-26T19:27:27.864Z"}]}}"#;
/// G-38: Create participant — response (java, with privileged)
const G38: &str = r#"{ "id": "23a3c8ec897548dc82f50a9a1550e52c","first_name": "John","last_name": "Smith","email": "johny.smith@example.com","type": "guest","role": "guest","privileged": "true","guest_options": {"company_name": "Test enterprise","locked": false,"bounced_email": false,"failed_login_attempts": 0,"verified": false,"created_at": "2017-05-26T19:27:27.798Z","updated_at": "2017-05-26T19:27:27.798Z","contact_methods": [{"id": 35105,"destination": "514-555-5555","destination_type": "cell_phone","verified": false,"created_at": "2017-05-26T19:27:27.864Z","updated_at": "2017-05-26T19:27:27.864Z" }]}}"#;
/// G-40: Update participant — response
const G40: &str = r#"{"id": "23a3c8ec897548dc82f50a9a1550e52c", "first_name": "John", "last_name": "Smith", "email": "johny.smith@example.com", "type": "guest", "role": "guest", "guest_options": {"company_name": "XMedius", "locked": false, "bounced_email": false, "failed_login_attempts": 0, "verified": false, "created_at": "2017-05-26T19:27:27.798Z", "updated_at": "2017-05-26T19:27:27.798Z", "contact_methods": [{"id": 32, "destination": "+15145550000", "destination_type": "office_phone", "verified": false, "created_at": "2017-05-26T19:27:27.864Z", "updated_at": "2017-05-26T19:27:27.864Z"}]}}"#;
/// G-44: List participants — response
const G44: &str = r#"{"participants": [{"id": "7a3c51e00a004917a8f5db807180fcc5", "first_name": "", "last_name": "", "email": "john.smith@example.com", "type": "guest", "role": "guest", "guest_options": {"company_name": "", "locked": false, "bounced_email": false, "failed_login_attempts": 0, "verified": false, "contact_methods": [{"id": 35016, "destination": "+15145550000", "destination_type": "cell_phone", "verified": false, "created_at": "2017-05-24T14:45:35.453Z", "updated_at": "2017-05-24T14:45:35.453Z"}]}}, {"id": 34208, "first_name": "Jane", "last_name": "Doe", "email": "jane.doe@example.com", "type": "user", "role": "owner"}]}"#;
/// G-45: List participants — response (java, 2 contact methods)
const G45: &str = r#"{"participants": [{"id": "7a3c51e00a004917a8f5db807180fcc5","first_name": "","last_name": "","email": "john.smith@example.com","type": "guest","role": "guest","guest_options": {"company_name": "","locked": false,"bounced_email": false,"failed_login_attempts": 0,"verified": false,"contact_methods": [{"id": 35016,"destination": "+15145550000","destination_type": "cell_phone","verified": false,"created_at": "2017-05-24T14:45:35.453Z","updated_at": "2017-05-24T14:45:35.453Z" },{"id": 35017,"destination": "+15145551111","destination_type": "office_phone","verified": false,"created_at": "2017-05-24T14:45:35.537Z","updated_at": "2017-05-24T14:45:35.537Z" }]}},{"id": 34208,"first_name": "Jane","last_name": "Doe","email": "jane.doe@example.com","type": "user","role": "owner" }]}"#;
/// G-46: Search recipients — response
const G46: &str = r#"{"results": [{"id": 1, "type": "favorite", "first_name": "John", "last_name": "Doe", "email": "john@xmedius.com", "company_name": ""}, {"id": 4, "type": "favorite", "first_name": "", "last_name": "", "email": "john@xmedius.com", "company_name": ""}, {"id": 3, "type": "user", "first_name": "", "last_name": "john", "email": "john.doe@sagemcom.com", "company_name": ""}]}"#;
/// G-48: Add time — response (java, canonical key new_expiration)
const G48: &str = r#"{"result": true,"message": "SafeBox duration successfully extended.","new_expiration": "2017-05-14T18:09:05.662Z"}"#;
/// G-50: Close — response
const G50: &str = r#"{"result": true, "message": "SafeBox successfully closed."}"#;
/// G-54: Mark as read — response
const G54: &str = r#"{"result": true}"#;
/// G-60: Document URL — response
const G60: &str = r#"{"url": "https://fileserver.integration.xmedius.com/xmss/DteeDmb-2zfN5WtCbgpJfSENaNjvbHi_nt"}"#;
/// G-62: Audit record URL — response
const G62: &str = r#"{"url": "http://sendsecure.integration.xmedius.com/s/73af62f766ee459e81f46e4f533085a4.pdf"}"#;
/// G-63: SafeBox list — response (wrapped items, relative next_page_url)
const G63: &str = r#"{"count": 2, "previous_page_url": null, "next_page_url": "api/v2/safeboxes?status=unread&search=test&page=2", "safeboxes": [{"safebox": {"guid": "73af62f766ee459e81f46e4f533085a4", "user_id": 1, "enterprise_id": 1, "subject": "Donec rutrum congue leo eget malesuada. ", "notification_language": "de", "status": "in_progress", "security_profile_name": "All Contact Method Allowed!", "unread_count": 0, "double_encryption_status": "disabled", "audit_record_pdf": null, "secure_link": null, "secure_link_title": null, "email_notification_enabled": true, "created_at": "2017-05-24T14:45:35.062Z", "updated_at": "2017-05-24T14:45:35.589Z", "assigned_at": "2017-05-24T14:45:35.040Z", "latest_activity": "2017-05-24T14:45:35.544Z", "expiration": "2017-05-31T14:45:35.038Z", "closed_at": null, "content_deleted_at": null}}, {"safebox": {"guid": "73af62f7ruwehdfjwweg85eore853085a4", "user_id": 1, "enterprise_id": 1, "subject": "Donec rutrum congue leo eget malesuada. ", "notification_language": "de", "status": "in_progress", "security_profile_name": "All Contact Method Allowed!", "unread_count": 0, "double_encryption_status": "disabled", "audit_record_pdf": null, "secure_link": null, "secure_link_title": null, "email_notification_enabled": true, "created_at": "2017-05-24T14:45:35.062Z", "updated_at": "2017-05-24T14:45:35.589Z", "assigned_at": "2017-05-24T14:45:35.040Z", "latest_activity": "2017-05-24T14:45:35.544Z", "expiration": "2017-05-31T14:45:35.038Z", "closed_at": null, "content_deleted_at": null}}]}"#;
/// G-65: SafeBox info — response with all sections
const G65: &str = r#"{"safebox": {"guid": "1c820789a50747df8746aa5d71922a3f", "user_id": 1, "enterprise_id": 1, "participants": [{"id": "7a3c51e00a004917a8f5db807180fcc5", "guest_options": {}, "message_read_count": 0, "message_total_count": 1}, {"id": "1", "first_name": "Jane", "last_name": "Doe", "email": "jane.doe@example.com", "type": "user", "role": "owner", "message_read_count": 0, "message_total_count": 1}], "security_options": {"security_code_length": 4}, "messages": [{"note": "Lorem Ipsum...", "note_size": 123, "documents": []}], "download_activity": {"guests": [{"id": "42220c777c30486e80cd3bbfa7f8e82f", "documents": []}], "owner": {"id": 1, "documents": []}}, "event_history": [{"type": "safebox_created_owner", "date": "2017-03-30T18:09:05.966Z", "metadata": {}, "message": "SafeBox created by user@example.com with 0 attachment(s) from 0.0.0.0 for john.smith@example.com"}]}}"#;
/// G-66: SafeBox info — empty sections
const G66: &str = r#"{"safebox": {"guid": "73af62f766ee459e81f46e4f533085a4", "security_options": {}, "participants": [], "messages": [], "download_activity": {}, "event_history": []}}"#;
/// G-67: Messages — response
const G67: &str = r#"{"messages": [{"note": "Lorem Ipsum...","note_size": 148,"read": true,"author_id": "3","author_type": "guest","created_at": "2017-04-05T14:49:35.198Z","documents": [{"id": "5a3df276aaa24e43af5aca9b2204a535","name": "Axient-soapui-project.xml","sha": "724ae04430315c60ca17f4dbee775a37f5b18c91fde6eef24f77a605aee99c9c","size": 129961,"url": "url"}]}]}"#;
/// G-68: Security options — response
const G68: &str = r#"{"security_options": {"security_code_length": 4,"allowed_login_attempts": 3,"allow_remember_me": true,"allow_sms": true,"allow_voice": true,"allow_email": false,"reply_enabled": true,"group_replies": false,"code_time_limit": 5,"encrypt_message": true,"two_factor_required": true,"auto_extend_value": 3,"auto_extend_unit": "days","retention_period_type": "do_not_discard","retention_period_value": null,"retention_period_unit": "hours","delete_content_on": null,"allow_manual_delete": true,"allow_manual_close": false }}"#;
/// G-69: Download activity — response
const G69: &str = r#"{"download_activity": {"guests": [{"id": "42220c777c30486e80cd3bbfa7f8e82f","documents": [{"id": "5a3df276aaa24e43af5aca9b2204a535","downloaded_bytes": 0,"download_date": null }]}],"owner": {"id": 72,"documents": [] }}}"#;
/// G-70: Event history — response
const G70: &str = r#"{"event_history": [{"type": "safebox_created_owner","date": "2017-03-30T18:09:05.966Z","metadata": {"emails": ["john44@example.com"],"attachment_count": 0 },"message":"message"}]}"#;
/// G-72: Archive — response
const G72: &str = r#"{"result": true, "message": "SafeBox successfully archived"}"#;
/// G-76: Unfollow — response
const G76: &str = r#"{"result": true, "message": "The SafeBox is now unfollowed."}"#;
/// G-78: Full SafeBox object with every section (py helper fixture)
const G78: &str = r#"{"guid": "b4d898ada15f42f293e31905c514607f", "user_id": 1, "enterprise_id": 1, "subject": "Test Subject", "message": "Test Message", "notification_language": "en", "status": "in_progress", "security_profile_name": "security profile", "unread_count": 0, "double_encryption_status": "disabled", "audit_record_pdf": null, "secure_link": null, "secure_link_title": null, "email_notification_enabled": true, "created_at": "2017-05-24T14:45:35.062Z", "updated_at": "2017-05-24T14:45:35.589Z", "assigned_at": "2017-05-24T14:45:35.040Z", "latest_activity": "2017-05-24T14:45:35.544Z", "expiration": "2017-05-31T14:45:35.038Z", "closed_at": null, "content_deleted_at": null, "user_email": "user@example.com", "public_encryption_key": "RBQISzMk9KwkdBKDVw8sQK0gQe4MOTBGaM7hLdVOmJJ56nCZ8N7h2J0Zhy9rb9ax", "security_options": {"security_code_length": 4, "code_time_limit": 5, "allowed_login_attempts": 3, "allow_remember_me": true, "allow_sms": true, "allow_voice": true, "allow_email": false, "reply_enabled": true, "group_replies": false, "expiration_value": 5, "expiration_unit": "days", "retention_period_type": "do_not_discard", "retention_period_value": null, "retention_period_unit": null, "encrypt_message": true, "double_encryption": true, "two_factor_required": true, "auto_extend_value": 3, "auto_extend_unit": "days", "delete_content_on": null, "allow_manual_delete": true, "allow_manual_close": false}, "participants": [{"id": "7a3c51e00a004917a8f5db807180fcc5", "first_name": "Test", "last_name": "Participant", "email": "participant@example.com", "guest_options": {"company_name": "Test Company", "bounced_email": false, "failed_login_attempts": 0, "verified": false, "contact_methods": [{"destination": "+15145550000", "destination_type": "office_phone", "verified": false, "created_at": "2017-04-28T17:14:55.304Z", "updated_at": "2017-04-28T17:14:55.304Z"}]}}, {"id": "1", "first_name": "Jane", "last_name": "Doe", "email": "jane.doe@example.com", "type": "user", "role": "owner"}], "messages": [{"note": "Lorem Ipsum...", "note_size": 123, "read": true, "author_id": "1", "author_type": "guest", "created_at": "2017-04-05T14:49:35.198Z", "documents": [{"id": "5a3df276aaa24e43af5aca9b2204a535", "name": "Axient-soapui-project.xml", "sha": "724ae04430315c60ca17f4dbee775a37f5b18c91fde6eef24f77a605aee99c9c", "size": 12345, "url": "https://sendsecure.integration.xmedius.com/api/v2/safeboxes/b4d898ada15f42f293e31905c514607f/documents/5a3df276aaa24e43af5aca9b2204a535/url"}]}], "download_activity": {"guests": [{"id": "42220c777c30486e80cd3bbfa7f8e82f", "documents": [{"id": "5a3df276aaa24e43af5aca9b2204a535", "downloaded_bytes": 0, "download_date": null}]}], "owner": {"id": 1, "documents": []}}, "event_history": [{"type": "safebox_created_owner", "date": "2017-03-30T18:09:05.966Z", "metadata": {"emails": ["john44@example.com"], "attachment_count": 0}, "message": "message"}]}"#;
/// G-79: Enterprise settings object (py)
const G79: &str = r#"{"created_at": "2016-04-27T21:08:29.457Z", "updated_at": "2016-07-27T19:03:05.883Z", "default_security_profile_id": 1, "pdf_language": "en", "use_pdfa_audit_records": false, "international_dialing_plan": "ca", "extension_filter": {"mode": "forbid", "list": ["bin", "bat"]}, "virus_scan_enabled": false, "max_file_size_value": null, "max_file_size_unit": null, "include_users_in_autocomplete": true, "include_favorites_in_autocomplete": true, "users_public_url": true}"#;
/// G-80: Favorite object (py, incl. always_promote)
const G80: &str = r#"{"email": "favorite@example.com", "id": 1, "first_name": "Test", "last_name": "Favorite", "company_name": "Test Company", "order_number": 1, "created_at": "2017-04-12T15:41:39.767Z", "updated_at": "2017-04-12T15:41:47.144Z", "always_promote": true, "contact_methods": [{"id": 1, "destination": "514-555-0001", "destination_type": "cell_phone", "created_at": "2017-04-28T17:14:55.304Z", "updated_at": "2017-04-28T17:14:55.304Z"}]}"#;
