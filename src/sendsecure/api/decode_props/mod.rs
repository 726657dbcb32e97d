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
//!   the body reading every success answer goes through ([`decode_answer`]), the login answer and
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
use crate::sendsecure::answers::decode_answer;
use crate::sendsecure::auth::token_answer;
use crate::sendsecure::model::{
    ConsentGroup, Event, Favorite, Message, Participant, RecipientMatch, SafeboxInfo, SafeboxPage,
    SafeboxResponse, SecurityProfile,
};
use crate::sendsecure::uploads::uploaded_document_guid;
use crate::transport::error::{Error, Result};
mod golden;
mod json_mutation;

use golden::{golden, golden_texts};
use json_mutation::*;
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
    /// A refused login: `Error::Service`.
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
    let mut messages = golden("G-67")["messages"].clone();
    messages[0]["id"] = json!(7);
    json!({
        "guid": "73af62f766ee459e81f46e4f533085a4",
        "status": "in_progress",
        "participants": golden("G-44")["participants"],
        "messages": messages,
        "event_history": golden("G-70")["event_history"],
        "security_options": golden("G-68")["security_options"],
        "download_activity": golden("G-69")["download_activity"],
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
                vec![golden("G-01")],
                &["/result", "/token", "/user_id"],
                &[],
            )
        },
        plain(
            "E1 initialize",
            |v| initialize_answer(&v).map(|a| format!("{} {}", a.guid, a.upload_url)),
            vec![golden("G-05")],
            &["/guid", "/upload_url"],
            &[],
        ),
        plain(
            "E2 upload",
            |v| uploaded_document_guid(&v),
            vec![golden("G-07")],
            &["/temporary_document/document_guid"],
            &[],
        ),
        plain(
            "E3 commit",
            |v| SafeboxResponse::from_json(v).map(|r| r.guid),
            vec![golden("G-10"), golden("G-11"), golden("G-14")],
            &["/guid"],
            &[],
        ),
        plain(
            "E4 security profiles",
            |v| security_profiles_answer(&v).map(|l| list(&l, |p| p.id.to_string())),
            vec![
                golden("G-15"),
                json!({"security_profiles": [golden("G-16")]}),
            ],
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
                vec![golden("G-17"), golden("G-79")],
                &["/*", "/extension_filter/mode", "/extension_filter/list/*"],
                &["/*"],
            )
        },
        plain(
            "E6 user settings",
            |v| user_settings_answer(v).map(|_| String::new()),
            vec![golden("G-18"), golden("G-19")],
            &[],
            &[],
        ),
        plain(
            "E7 favorites",
            |v| favorite_list_answer(&v).map(|l| list(&l, |f| format!("{}/{}", f.id, f.email))),
            vec![golden("G-20"), json!({"favorites": [golden("G-80")]})],
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
            vec![
                golden("G-22"),
                golden("G-26"),
                golden("G-28"),
                golden("G-80"),
            ],
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
            vec![golden("G-29")],
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
            vec![golden("G-31"), golden("G-32")],
            &["/upload_url"],
            &[],
        ),
        Answer {
            also: Also::Refusal,
            ..plain(
                "E13, E19-E24, E34-E37 actions",
                |v| action_result(v).map(|_| String::new()),
                vec![
                    golden("G-34"),
                    golden("G-50"),
                    golden("G-54"),
                    golden("G-72"),
                    golden("G-76"),
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
                vec![golden("G-36"), golden("G-38"), golden("G-40")],
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
                vec![golden("G-44"), golden("G-45")],
                &[],
                &[],
            )
        },
        plain(
            "E17 recipient search",
            |v| recipient_search_answer(&v).map(|l| list(&l, |r| format!("{}/{}", r.id, r.email))),
            vec![golden("G-46")],
            &["/results", "/results/*/id", "/results/*/email"],
            &[],
        ),
        Answer {
            also: Also::Refusal,
            ..plain(
                "E18 add time",
                add_time_answer,
                vec![golden("G-48")],
                &["/result", "/new_expiration"],
                &["/result"],
            )
        },
        plain(
            "E25-E26 URLs",
            |v| url_of(&v),
            vec![golden("G-60"), golden("G-62")],
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
                    golden("G-63"),
                    json!({
                        "count": 3,
                        "safeboxes": [
                            {"safebox": golden("G-78")},
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
                    golden("G-65"),
                    golden("G-66"),
                    json!({"safebox": golden("G-78")}),
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
                golden("G-67"),
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
            vec![golden("G-68")],
            &["/security_options"],
            &[],
        ),
        plain(
            "E32 download activity",
            |v| download_activity_answer(v).map(|_| String::new()),
            vec![golden("G-69")],
            &["/download_activity"],
            &[],
        ),
        plain(
            "E33 event history",
            |v| event_history_answer(&v).map(|l| list(&l, |e| e.kind.clone())),
            vec![golden("G-70")],
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
        Error::Service { .. } => also == Also::Token,
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
// Arbitrary JSON and mutations: the engine is json_mutation.rs.

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

/// Any JSON value, its objects' keys often the answers' field names.
fn json_value() -> impl Strategy<Value = Value> {
    json_mutation::json_value(KEYS)
}

/// A change to one place of an answer, its new values' keys often the answers' field names.
fn change() -> impl Strategy<Value = Change> {
    json_mutation::change(KEYS)
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
            prop::sample::select(golden_texts()),
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
        let body = catch_unwind(AssertUnwindSafe(|| decode_answer(&bytes)))
            .map_err(|_| TestCaseError::fail("decode_answer panicked"))?;
        match body {
            Ok(v) => {
                for answer in all() {
                    let _decoded = check(answer, v.clone())?;
                }
            }
            Err(e) => check_error("decode_answer", Also::Nothing, false, &e)?,
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
