//! Property tests of the C string arguments (issue 6): exported functions called with arbitrary
//! NUL-terminated byte strings for every string parameter (empty, huge, control characters,
//! unicode, invalid UTF-8 of every kind), the builders (SafeBox, recipients, attachments,
//! replies, contact edits), `ss_client_new` with its options, and calls that reach the
//! in-process emulator (login, SafeBox info, recipient search). For each call:
//! - it never panics, and returns `SS_OK` or one of the codes its documentation lists;
//! - when a string argument is not UTF-8 (and none is NULL), the result is
//!   `SS_ERR_INVALID_UTF8`, naming the argument;
//! - the thread's last error matches the result: its code, and after a failure a message that
//!   is readable (UTF-8, not empty, no control characters), so never the raw bytes of an
//!   argument that is not UTF-8; after a success, no message;
//! - what a builder keeps is what it was given: a SafeBox's commit JSON holds the strings as
//!   they were passed.
//!
//! Every handle made is freed. Bounded and deterministic: 256 cases per property
//! (`PROPTEST_CASES` overrides it; `ss_client_new` runs half as many, the calls to the
//! emulator a quarter: 64 real requests each) from a fixed seed (`PROPTEST_RNG_SEED` overrides
//! it).

mod support;

use proptest::prelude::*;
use proptest::test_runner::{Config, RngAlgorithm, RngSeed, TestCaseError, TestRunner};
use sendsecure::ffi::error::ss_result;
use sendsecure::ffi::last_error::{ss_last_error_body, ss_last_error_code, ss_last_error_message};
use sendsecure::ffi::options::*;
use sendsecure::ffi::strings::ss_string_free;
use sendsecure::sendsecure::ffi::client::*;
use sendsecure::sendsecure::ffi::contact_edit::*;
use sendsecure::sendsecure::ffi::recipient_search::*;
use sendsecure::sendsecure::ffi::reply::*;
use sendsecure::sendsecure::ffi::safebox::*;
use sendsecure::sendsecure::ffi::safebox_info::*;
use serde_json::Value;
use std::ffi::{c_char, CStr, CString};
use std::ptr::{null, null_mut};
use support::{Emulator, ACCOUNT, EMAIL, PASSWORD, USER};

use ss_result::*;

/// Cases per property unless `PROPTEST_CASES` says otherwise.
const CASES: u32 = 256;

/// A bounded, reproducible run: `cases` cases (or `PROPTEST_CASES` times `cases / CASES`), a
/// fixed seed (or `PROPTEST_RNG_SEED`), no failure persistence.
fn config(cases: u32) -> Config {
    let env = |name: &str| std::env::var(name).ok().and_then(|v| v.parse::<u64>().ok());
    let cases = match env("PROPTEST_CASES") {
        Some(n) => (n * u64::from(cases) / u64::from(CASES)).max(1) as u32,
        None => cases,
    };
    Config {
        cases,
        rng_algorithm: RngAlgorithm::ChaCha,
        rng_seed: RngSeed::Fixed(env("PROPTEST_RNG_SEED").unwrap_or(0x5e4d_5ec0_2e00_0006)),
        failure_persistence: None,
        max_shrink_iters: 1024,
        max_shrink_time: 30_000,
        ..Config::default()
    }
}

// ---------------------------------------------------------------------------------------------
// Arguments.

/// A string argument: NULL (for the parameters that take it), or NUL-terminated bytes.
#[derive(Clone)]
enum Arg {
    Null,
    Text(CString),
}

impl Arg {
    fn ptr(&self) -> *const c_char {
        match self {
            Arg::Null => null(),
            Arg::Text(c) => c.as_ptr(),
        }
    }

    /// The text, when it is UTF-8.
    fn utf8(&self) -> Option<&str> {
        match self {
            Arg::Null => None,
            Arg::Text(c) => c.to_str().ok(),
        }
    }

    fn is_invalid_utf8(&self) -> bool {
        matches!(self, Arg::Text(c) if c.to_str().is_err())
    }
}

impl std::fmt::Debug for Arg {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Arg::Null => f.write_str("NULL"),
            Arg::Text(c) if c.as_bytes().len() > 80 => write!(
                f,
                "{:?}… ({} bytes)",
                CString::new(&c.as_bytes()[..80]).expect("no NUL"),
                c.as_bytes().len()
            ),
            Arg::Text(c) => write!(f, "{c:?}"),
        }
    }
}

fn c_string(bytes: Vec<u8>) -> CString {
    CString::new(bytes.into_iter().filter(|b| *b != 0).collect::<Vec<_>>()).expect("no NUL")
}

fn character() -> impl Strategy<Value = char> {
    prop_oneof![
        6 => (0x20u8..0x7f).prop_map(char::from),
        2 => (1u8..0x20).prop_map(char::from),
        3 => any::<char>().prop_filter("NUL", |c| *c != '\0'),
        1 => prop::sample::select(vec![
            '\u{7f}', '\u{85}', '\u{200b}', '\u{202e}', '\u{2028}', '\u{feff}', '\u{fffd}',
            '\u{10ffff}', '"', '\\', '/', '%', '.', ',', 'é', '日', '😀',
        ]),
    ]
}

fn text() -> impl Strategy<Value = String> {
    prop::collection::vec(character(), 0..32).prop_map(String::from_iter)
}

/// Byte sequences that are not UTF-8.
fn invalid_sequence() -> impl Strategy<Value = Vec<u8>> {
    prop::sample::select(vec![
        b"\xff".to_vec(),
        b"\xfe\xff".to_vec(),
        b"\x80".to_vec(),             // lone continuation byte
        b"\xc3".to_vec(),             // truncated sequence
        b"\xe2\x82".to_vec(),         // truncated sequence
        b"\xc0\xaf".to_vec(),         // overlong '/'
        b"\xe0\x80\xae".to_vec(),     // overlong '.'
        b"\xed\xa0\x80".to_vec(),     // UTF-16 surrogate
        b"\xf4\x90\x80\x80".to_vec(), // beyond U+10FFFF
        b"\xf8\x88\x80\x80\x80".to_vec(),
    ])
}

/// Any argument but NULL: text (odd characters, control ones included), raw bytes, text with
/// bytes that are not UTF-8 inside, huge text, or a value the function knows (to get past its
/// first checks).
fn text_arg(known: &'static [&'static str]) -> impl Strategy<Value = Arg> {
    let known = if known.is_empty() { &[""][..] } else { known };
    prop_oneof![
        6 => text().prop_map(|s| c_string(s.into_bytes())),
        2 => prop::collection::vec(any::<u8>(), 0..48).prop_map(c_string),
        3 => (text(), invalid_sequence(), text()).prop_map(|(a, bad, b)| {
            c_string([a.into_bytes(), bad, b.into_bytes()].concat())
        }),
        1 => (character(), 1usize..200_000).prop_map(|(c, n)| c_string(c.to_string().repeat(n).into_bytes())),
        1 => (invalid_sequence(), 1usize..50_000).prop_map(|(bad, n)| c_string(bad.repeat(n))),
        4 => prop::sample::select(known).prop_map(|s| c_string(s.as_bytes().to_vec())),
    ]
    .prop_map(Arg::Text)
}

/// A required string argument.
fn arg() -> impl Strategy<Value = Arg> {
    text_arg(&[])
}

/// A required argument with values the function knows.
fn known(values: &'static [&'static str]) -> impl Strategy<Value = Arg> {
    text_arg(values)
}

/// An optional string argument (NULL allowed).
fn opt_arg() -> impl Strategy<Value = Arg> {
    prop_oneof![1 => Just(Arg::Null), 5 => arg()]
}

fn opt_known(values: &'static [&'static str]) -> impl Strategy<Value = Arg> {
    prop_oneof![1 => Just(Arg::Null), 5 => known(values)]
}

// ---------------------------------------------------------------------------------------------
// Checks.

/// This thread's last error: code and message bytes.
fn last_error() -> (ss_result, Vec<u8>) {
    let code = ss_last_error_code();
    let len = ss_last_error_message(null_mut(), 0);
    let mut buf = vec![0u8; len + 1];
    let copied = ss_last_error_message(buf.as_mut_ptr().cast(), buf.len());
    buf.truncate(copied.min(len));
    (code, buf)
}

/// A message for a failure report: cut to a few hundred characters.
fn short(text: &str) -> String {
    match text.char_indices().nth(300) {
        Some((end, _)) => format!("{}… ({} bytes)", &text[..end], text.len()),
        None => text.to_string(),
    }
}

/// Checks the outcome `rc` of `name` called with the string arguments `args` (NULL ones
/// included): documented (`allowed`, `SS_OK` always allowed), never a panic,
/// `SS_ERR_INVALID_UTF8` when one of them is not UTF-8 (unless one is NULL: its check may come
/// first), and a last error that matches it.
fn outcome(
    name: &str,
    rc: ss_result,
    allowed: &[ss_result],
    args: &[&Arg],
) -> Result<(), TestCaseError> {
    let (code, message) = last_error();
    let text = String::from_utf8(message.clone());
    prop_assert!(
        text.is_ok(),
        "{name}: the last error message is not UTF-8: {:?}",
        String::from_utf8_lossy(&message)
    );
    let text = text.unwrap_or_default();
    prop_assert!(rc != SS_ERR_PANIC, "{name} panicked: {}", short(&text));
    prop_assert!(
        rc == SS_OK || allowed.contains(&rc),
        "{name}: undocumented result {rc:?}: {} (arguments {args:?})",
        short(&text)
    );
    prop_assert_eq!(code, rc, "{}: last error code", name);
    let invalid = args.iter().any(|a| a.is_invalid_utf8());
    let null = args.iter().any(|a| matches!(a, Arg::Null));
    if invalid && !null {
        prop_assert!(
            rc == SS_ERR_INVALID_UTF8,
            "{name}: {rc:?} ({}) for an argument that is not UTF-8 (arguments {args:?})",
            short(&text)
        );
    }
    if rc == SS_OK {
        prop_assert!(text.is_empty(), "{name}: a message after a success: {text}");
        return Ok(());
    }
    prop_assert!(!text.is_empty(), "{name}: {rc:?} without a message");
    prop_assert!(
        !text.chars().any(char::is_control),
        "{name}: control characters in the last error message {:?} (arguments {args:?})",
        short(&text)
    );
    if rc == SS_ERR_INVALID_UTF8 {
        prop_assert!(
            text.starts_with('`') && text.ends_with("` is not valid UTF-8"),
            "{name}: {text}"
        );
    }
    if rc != SS_ERR_HTTP_STATUS && rc != SS_ERR_AUTH {
        prop_assert_eq!(ss_last_error_body(null_mut(), 0), 0, "{}: a body", name);
    }
    Ok(())
}

/// An owned string from the library, freed here.
fn owned(p: *mut c_char) -> String {
    assert!(!p.is_null());
    let text = unsafe { CStr::from_ptr(p) }
        .to_str()
        .expect("UTF-8")
        .to_owned();
    ss_string_free(p);
    text
}

/// The codes of a setter that copies a string (`SS_ERR_NULL_ARGUMENT` for a NULL handle).
const SETTER: &[ss_result] = &[SS_ERR_NULL_ARGUMENT, SS_ERR_INVALID_UTF8];
/// The codes of a call that also checks what the string says.
const CHECKED: &[ss_result] = &[
    SS_ERR_NULL_ARGUMENT,
    SS_ERR_INVALID_UTF8,
    SS_ERR_INVALID_ARGUMENT,
];

const UNITS: &[&str] = &["hours", "days", "weeks", "months", "years"];
const RETENTIONS: &[&str] = &[
    "discard_at_expiration",
    "retain_at_expiration",
    "do_not_discard",
];
const EMAILS: &[&str] = &["guest@example.com", " ", "a@b"];
const TYPES: &[&str] = &[
    "text/plain",
    "application/pdf",
    "",
    "text/plain; charset=utf-8",
];
const NAMES: &[&str] = &["a.txt", "résumé.pdf", "", "..", "a\"b\r\nX-Evil: 1.txt"];

// ---------------------------------------------------------------------------------------------
// The properties without a server.

/// The strings of a SafeBox and its recipient.
#[derive(Debug, Clone)]
struct SafeboxStrings {
    user_email: Arg,
    subject: Arg,
    message: Arg,
    language: Arg,
    expiration_unit: Arg,
    expiration: i64,
    retention_type: Arg,
    retention_unit: Arg,
    recipient: Arg,
    first_name: Arg,
    last_name: Arg,
    company_name: Arg,
    destination: Arg,
    destination_type: u32,
}

fn safebox_strings() -> impl Strategy<Value = SafeboxStrings> {
    (
        (
            known(EMAILS),
            opt_arg(),
            opt_arg(),
            known(&["en", "fr", ""]),
        ),
        (known(UNITS), -2i64..10, known(RETENTIONS), opt_known(UNITS)),
        (known(EMAILS), opt_arg(), opt_arg(), opt_arg()),
        (known(&["+15145550000", " "]), 0u32..6),
    )
        .prop_map(
            |(
                (user_email, subject, message, language),
                (expiration_unit, expiration, retention_type, retention_unit),
                (recipient, first_name, last_name, company_name),
                (destination, destination_type),
            )| SafeboxStrings {
                user_email,
                subject,
                message,
                language,
                expiration_unit,
                expiration,
                retention_type,
                retention_unit,
                recipient,
                first_name,
                last_name,
                company_name,
                destination,
                destination_type,
            },
        )
}

/// The attachment arguments: bytes, file name, content type, and a path.
fn attachment_strings() -> impl Strategy<Value = (Vec<u8>, Arg, Arg, Arg, Arg)> {
    (
        prop::collection::vec(any::<u8>(), 0..64),
        known(NAMES),
        opt_known(TYPES),
        known(&["", ".", "/", "/nonexistent/file", "Cargo.toml"]),
        opt_known(NAMES),
    )
}

proptest! {
    #![proptest_config(config(CASES))]

    /// The SafeBox builder: `ss_safebox_new`, its setters, a recipient and its setters, and
    /// `ss_safebox_to_json`, which keeps every string as it was given.
    #[test]
    fn safebox_builder_takes_any_string(s in safebox_strings()) {
        // ss_safebox_new with any e-mail.
        let mut made = null_mut();
        let rc = ss_safebox_new(s.user_email.ptr(), &mut made);
        outcome("ss_safebox_new", rc, CHECKED, &[&s.user_email])?;
        prop_assert_eq!(rc == SS_OK, !made.is_null());
        ss_safebox_free(made);

        let owner = CString::new(EMAIL).expect("no NUL");
        let mut sb = null_mut();
        prop_assert_eq!(ss_safebox_new(owner.as_ptr(), &mut sb), SS_OK);
        let rc = ss_safebox_set_subject(sb, s.subject.ptr());
        outcome("ss_safebox_set_subject", rc, SETTER, &[&s.subject])?;
        let subject_set = rc == SS_OK;
        let rc = ss_safebox_set_message(sb, s.message.ptr());
        outcome("ss_safebox_set_message", rc, SETTER, &[&s.message])?;
        let message_set = rc == SS_OK;
        let rc = ss_safebox_set_notification_language(sb, s.language.ptr());
        outcome("ss_safebox_set_notification_language", rc, SETTER, &[&s.language])?;
        let language_set = rc == SS_OK;
        let rc = ss_safebox_set_expiration(sb, s.expiration, s.expiration_unit.ptr());
        outcome("ss_safebox_set_expiration", rc, CHECKED, &[&s.expiration_unit])?;
        let rc = ss_safebox_set_retention(
            sb,
            s.retention_type.ptr(),
            s.expiration,
            s.retention_unit.ptr(),
        );
        outcome(
            "ss_safebox_set_retention",
            rc,
            CHECKED,
            &[&s.retention_type, &s.retention_unit],
        )?;

        // A recipient with any e-mail; then one with a good e-mail for the setters.
        let mut recipient = null_mut();
        let rc = ss_safebox_add_recipient(sb, s.recipient.ptr(), &mut recipient);
        outcome("ss_safebox_add_recipient", rc, CHECKED, &[&s.recipient])?;
        let recipient_email = if rc == SS_OK {
            s.recipient.utf8().map(str::to_string)
        } else {
            let good = CString::new("guest@example.com").expect("no NUL");
            prop_assert_eq!(ss_safebox_add_recipient(sb, good.as_ptr(), &mut recipient), SS_OK);
            Some("guest@example.com".to_string())
        };
        let mut names = vec![];
        for (name, f, value) in [
            ("ss_recipient_set_first_name", ss_recipient_set_first_name as extern "C" fn(_, _) -> _, &s.first_name),
            ("ss_recipient_set_last_name", ss_recipient_set_last_name, &s.last_name),
            ("ss_recipient_set_company_name", ss_recipient_set_company_name, &s.company_name),
        ] {
            let rc = f(recipient, value.ptr());
            outcome(name, rc, SETTER, &[value])?;
            names.push((rc == SS_OK).then(|| value.utf8().map(str::to_string)).flatten());
        }
        let rc = ss_recipient_add_contact_method(recipient, s.destination.ptr(), s.destination_type);
        outcome("ss_recipient_add_contact_method", rc, CHECKED, &[&s.destination])?;
        let destination = (rc == SS_OK).then(|| s.destination.utf8().map(str::to_string)).flatten();

        // The commit JSON holds the strings as given.
        let mut json = null_mut();
        prop_assert_eq!(ss_safebox_to_json(sb, &mut json), SS_OK);
        let json: Value = serde_json::from_str(&owned(json)).expect("JSON");
        let body = &json["safebox"];
        let expect = |given: bool, arg: &Arg| if given { arg.utf8().map(str::to_string) } else { None };
        prop_assert_eq!(body["user_email"].as_str(), Some(EMAIL));
        if subject_set {
            prop_assert_eq!(body["subject"].as_str().map(str::to_string), expect(true, &s.subject));
        }
        if message_set {
            prop_assert_eq!(body["message"].as_str().map(str::to_string), expect(true, &s.message));
        }
        if language_set {
            prop_assert_eq!(
                body["notification_language"].as_str().map(str::to_string),
                expect(true, &s.language)
            );
        }
        let r = &body["recipients"][0];
        prop_assert_eq!(r["email"].as_str().map(str::to_string), recipient_email);
        for (key, value) in ["first_name", "last_name", "company_name"].into_iter().zip(&names) {
            if value.is_some() {
                prop_assert_eq!(&r[key].as_str().map(str::to_string), value, "{}", key);
            }
        }
        if destination.is_some() {
            prop_assert_eq!(
                r["contact_methods"][0]["destination"].as_str().map(str::to_string),
                destination
            );
        }
        ss_safebox_free(sb);
    }

    /// Attachments of a SafeBox and of a reply: bytes with any file name and content type, a
    /// file with any path; and the reply's message.
    #[test]
    fn attachments_and_replies_take_any_string(
        (data, file_name, content_type, path, name_for_path) in attachment_strings(),
        reply_message in opt_arg(),
    ) {
        let owner = CString::new(EMAIL).expect("no NUL");
        let mut sb = null_mut();
        prop_assert_eq!(ss_safebox_new(owner.as_ptr(), &mut sb), SS_OK);
        let rc = ss_safebox_add_attachment_bytes(
            sb,
            data.as_ptr(),
            data.len(),
            file_name.ptr(),
            content_type.ptr(),
        );
        outcome(
            "ss_safebox_add_attachment_bytes",
            rc,
            CHECKED,
            &[&file_name, &content_type],
        )?;
        let rc = ss_safebox_add_attachment_file(
            sb,
            path.ptr(),
            content_type.ptr(),
            name_for_path.ptr(),
        );
        outcome(
            "ss_safebox_add_attachment_file",
            rc,
            &[SS_ERR_NULL_ARGUMENT, SS_ERR_INVALID_UTF8, SS_ERR_IO],
            &[&path, &content_type, &name_for_path],
        )?;
        ss_safebox_free(sb);

        let mut reply = null_mut();
        prop_assert_eq!(ss_reply_new(&mut reply), SS_OK);
        let rc = ss_reply_set_message(reply, reply_message.ptr());
        outcome("ss_reply_set_message", rc, SETTER, &[&reply_message])?;
        let rc = ss_reply_add_attachment_bytes(
            reply,
            data.as_ptr(),
            data.len(),
            file_name.ptr(),
            content_type.ptr(),
        );
        outcome(
            "ss_reply_add_attachment_bytes",
            rc,
            CHECKED,
            &[&file_name, &content_type],
        )?;
        prop_assert_eq!(ss_reply_attachment_count(reply), usize::from(rc == SS_OK));
        ss_reply_free(reply);
    }

    /// A contact edit (participants, favorites): every setter and a phone number.
    #[test]
    fn contact_edits_take_any_string(
        email in opt_known(EMAILS),
        first_name in opt_arg(),
        last_name in opt_arg(),
        company_name in opt_arg(),
        destination in known(&["+15145550000", ""]),
        destination_type in 0u32..6,
    ) {
        let mut edit = null_mut();
        prop_assert_eq!(ss_contact_edit_new(&mut edit), SS_OK);
        for (name, f, value) in [
            ("ss_contact_edit_set_email", ss_contact_edit_set_email as extern "C" fn(_, _) -> _, &email),
            ("ss_contact_edit_set_first_name", ss_contact_edit_set_first_name, &first_name),
            ("ss_contact_edit_set_last_name", ss_contact_edit_set_last_name, &last_name),
            ("ss_contact_edit_set_company_name", ss_contact_edit_set_company_name, &company_name),
        ] {
            outcome(name, f(edit, value.ptr()), SETTER, &[value])?;
        }
        let rc = ss_contact_edit_add_contact_method(edit, destination.ptr(), destination_type);
        outcome("ss_contact_edit_add_contact_method", rc, CHECKED, &[&destination])?;
        ss_contact_edit_free(edit);
    }
}

/// The options' strings of `ss_client_new`.
#[derive(Debug, Clone)]
struct ClientStrings {
    token: Arg,
    account: Arg,
    endpoint: Arg,
    locale: Arg,
    ca_file: Arg,
    cert_file: Arg,
    key_file: Arg,
}

proptest! {
    #![proptest_config(config(CASES / 2))]

    /// `ss_client_new` with any token, account, endpoint and option strings (locale, CA file,
    /// client certificate and key files). Nothing is sent: a client is only made, then freed.
    #[test]
    fn client_new_takes_any_string(
        s in (
            known(&["USER|1-2-3", " "]),
            known(&["acme", ""]),
            opt_known(&[
                "https://portal.example.com",
                "http://127.0.0.1:1",
                "http://example.com",
                "ftp://example.com",
                "https://user:secret@example.com",
                "https://[::1",
            ]),
            opt_known(&["en", "fr-CA"]),
            opt_known(&["/nonexistent/ca.pem", "Cargo.toml", ""]),
            opt_known(&["/nonexistent/cert.pem", "Cargo.toml"]),
            opt_known(&["/nonexistent/key.pem"]),
        ).prop_map(|(token, account, endpoint, locale, ca_file, cert_file, key_file)| {
            ClientStrings { token, account, endpoint, locale, ca_file, cert_file, key_file }
        }),
    ) {
        let mut options: ss_client_options = unsafe { std::mem::zeroed() };
        ss_client_options_init(&mut options);
        options.locale = s.locale.ptr();
        options.ca_file = s.ca_file.ptr();
        options.client_cert_file = s.cert_file.ptr();
        options.client_key_file = s.key_file.ptr();
        let mut client = null_mut();
        let rc = ss_client_new(s.token.ptr(), s.account.ptr(), s.endpoint.ptr(), &options, &mut client);
        outcome(
            "ss_client_new",
            rc,
            &[
                SS_ERR_NULL_ARGUMENT,
                SS_ERR_INVALID_UTF8,
                SS_ERR_INVALID_ARGUMENT,
                SS_ERR_IO,
                SS_ERR_RUNTIME,
            ],
            &[&s.token, &s.account, &s.endpoint, &s.locale, &s.ca_file, &s.cert_file, &s.key_file],
        )?;
        prop_assert_eq!(rc == SS_OK, !client.is_null());
        ss_client_free(client);
    }
}

// ---------------------------------------------------------------------------------------------
// The properties with the emulator.

/// An emulator and a client logged in on it, freed when dropped.
struct Server {
    emulator: Emulator,
    client: *mut ss_client,
}

impl Server {
    fn start() -> Server {
        let emulator = Emulator::demo();
        let c = |s: &str| CString::new(s).expect("no NUL");
        let (account, user, password, device, endpoint) =
            (c(ACCOUNT), c(USER), c(PASSWORD), c("dev"), c(&emulator.url));
        let mut token = null_mut();
        assert_eq!(
            ss_get_user_token(
                account.as_ptr(),
                user.as_ptr(),
                password.as_ptr(),
                device.as_ptr(),
                device.as_ptr(),
                null(),
                endpoint.as_ptr(),
                null(),
                null(),
                &mut token,
            ),
            SS_OK
        );
        let mut options: ss_client_options = unsafe { std::mem::zeroed() };
        ss_client_options_init(&mut options);
        options.user_id = ss_user_token_user_id(token);
        options.max_retries = 0;
        let mut client = null_mut();
        assert_eq!(
            ss_client_new(
                ss_user_token_token(token),
                account.as_ptr(),
                endpoint.as_ptr(),
                &options,
                &mut client,
            ),
            SS_OK
        );
        ss_user_token_free(token);
        Server { emulator, client }
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        ss_client_free(self.client);
    }
}

/// Runs `test` on `cases` cases of `strategy` with a server, freed at the end.
fn with_server<S: Strategy>(
    cases: u32,
    strategy: S,
    test: impl Fn(&Server, S::Value) -> Result<(), TestCaseError>,
) {
    let server = Server::start();
    let result = TestRunner::new(config(cases)).run(&strategy, |value| test(&server, value));
    drop(server);
    if let Err(e) = result {
        panic!("{e}");
    }
}

/// What the calls to a server may answer besides `SS_OK`.
const REMOTE: &[ss_result] = &[
    SS_ERR_NULL_ARGUMENT,
    SS_ERR_INVALID_UTF8,
    SS_ERR_INVALID_ARGUMENT,
    SS_ERR_HTTP_STATUS,
    SS_ERR_CONNECT,
    SS_ERR_TIMEOUT,
    SS_ERR_DECODE,
];

/// `ss_get_safebox_info` with any GUID and sections list, against the emulator: each case is a
/// real request (or a refusal before it).
#[test]
fn safebox_info_takes_any_guid() {
    let guid = known(&[
        "0123456789abcdef0123456789abcdef",
        "",
        ".",
        "..",
        "a/b",
        "%2e%2e",
        "?x=1#y",
    ]);
    let sections = opt_known(&[
        "participants",
        "messages,event_history",
        "",
        "participants,",
        " messages ",
    ]);
    with_server(CASES / 4, (guid, sections), |server, (guid, sections)| {
        let mut info = null_mut();
        let rc = ss_get_safebox_info(server.client, guid.ptr(), sections.ptr(), &mut info);
        outcome("ss_get_safebox_info", rc, REMOTE, &[&guid, &sections])?;
        prop_assert_eq!(rc == SS_OK, !info.is_null());
        ss_safebox_info_free(info);
        Ok(())
    });
}

/// `ss_search_recipient` with any term, against the emulator.
#[test]
fn recipient_search_takes_any_term() {
    let term = known(&["john", "", " ", "%", "&term=x", "a+b"]);
    with_server(CASES / 4, term, |server, term| {
        let mut list = null_mut();
        let rc = ss_search_recipient(server.client, term.ptr(), &mut list);
        outcome("ss_search_recipient", rc, REMOTE, &[&term])?;
        prop_assert_eq!(rc == SS_OK, !list.is_null());
        ss_recipient_match_list_free(list);
        Ok(())
    });
}

/// `ss_get_user_token` with any account, user, password, device, application type and
/// one-time password, against the emulator: discovery with any account, logins with any
/// credentials.
#[test]
fn login_takes_any_string() {
    let strings = (
        known(&[ACCOUNT, ACCOUNT, ACCOUNT, "", "..", "unknown"]),
        known(&[USER, ""]),
        known(&[PASSWORD, ""]),
        known(&["dev"]),
        known(&["tests"]),
        opt_known(&["libsendsecure"]),
        opt_known(&["123456"]),
    );
    with_server(CASES / 4, strings, |server, strings| {
        let (account, username, password, device_id, device_name, application_type, otp) = strings;
        let endpoint = CString::new(server.emulator.url.as_str()).expect("no NUL");
        let mut options: ss_client_options = unsafe { std::mem::zeroed() };
        ss_client_options_init(&mut options);
        options.max_retries = 0;
        let mut token = null_mut();
        let rc = ss_get_user_token(
            account.ptr(),
            username.ptr(),
            password.ptr(),
            device_id.ptr(),
            device_name.ptr(),
            application_type.ptr(),
            endpoint.as_ptr(),
            otp.ptr(),
            &options,
            &mut token,
        );
        let mut allowed = REMOTE.to_vec();
        allowed.push(SS_ERR_AUTH);
        outcome(
            "ss_get_user_token",
            rc,
            &allowed,
            &[
                &account,
                &username,
                &password,
                &device_id,
                &device_name,
                &application_type,
                &otp,
            ],
        )?;
        prop_assert_eq!(rc == SS_OK, !token.is_null());
        if rc != SS_OK {
            // The password never shows in the message (when it could not be there by chance).
            let (_, message) = last_error();
            if let Some(p) = password.utf8().filter(|p| p.len() >= 6 && *p != PASSWORD) {
                prop_assert!(!String::from_utf8_lossy(&message).contains(p));
            }
        }
        ss_user_token_free(token);
        Ok(())
    });
}
