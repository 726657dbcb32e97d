//! `POST api/v2/safeboxes` (E3): turns an initialized SafeBox into a real one, after checking
//! every field and resolving the security options against the chosen profile.

use crate::core::clock;
use crate::core::conn::{BaseUrl, PeerIp};
use crate::sendsecure::error::{ApiError, ApiResult};
use crate::sendsecure::json_input::{opt_array, opt_bool, opt_i64, opt_str, parse_body, resource};
use crate::sendsecure::routes::participants::read_guest;
use crate::sendsecure::routes::JsonResult;
use crate::sendsecure::state::Shared;
use crate::sendsecure::store::{
    check_documents, take_documents, Message, Participant, ParticipantId, Person, Profile, Safebox,
    Status, Store, UploadSlot,
};
use crate::sendsecure::time_units::{LONG_TIME_UNITS, TIME_UNITS};
use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::Json;
use chrono::{DateTime, FixedOffset, NaiveDate, NaiveTime, TimeZone, Utc};
use serde_json::{json, Map, Value};
use std::collections::BTreeSet;

/// Options copied from the profile as they are (the profile name -> the option name).
const FIXED_OPTIONS: [(&str, &str); 13] = [
    ("code_length", "security_code_length"),
    ("allowed_login_attempts", "allowed_login_attempts"),
    ("allow_remember_me", "allow_remember_me"),
    ("allow_sms", "allow_sms"),
    ("allow_voice", "allow_voice"),
    ("allow_email", "allow_email"),
    ("code_time_limit", "code_time_limit"),
    ("two_factor_required", "two_factor_required"),
    ("auto_extend_value", "auto_extend_value"),
    ("auto_extend_unit", "auto_extend_unit"),
    ("allow_manual_delete", "allow_manual_delete"),
    ("allow_manual_close", "allow_manual_close"),
    ("encrypt_attachments", "encrypt_attachments"),
];

/// How a writable option is read from the request.
#[derive(Clone, Copy)]
enum OptionType {
    Bool,
    Int,
    OneOf(&'static [&'static str]),
}

/// Options a commit may override, when the profile marks them modifiable (spec §7.2, E3).
const WRITABLE_OPTIONS: [(&str, OptionType); 11] = [
    ("reply_enabled", OptionType::Bool),
    ("group_replies", OptionType::Bool),
    ("encrypt_message", OptionType::Bool),
    ("double_encryption", OptionType::Bool),
    (
        "retention_period_type",
        OptionType::OneOf(&[
            "discard_at_expiration",
            "retain_at_expiration",
            "do_not_discard",
        ]),
    ),
    ("retention_period_value", OptionType::Int),
    ("retention_period_unit", OptionType::OneOf(&LONG_TIME_UNITS)),
    ("expiration_value", OptionType::Int),
    ("expiration_unit", OptionType::OneOf(&TIME_UNITS)),
    ("consent_group_id", OptionType::Int),
    ("encrypt_attachments", OptionType::Bool),
];

/// Reads one writable option from the request, `None` when absent.
fn read_option(
    input: &Map<String, Value>,
    key: &str,
    kind: OptionType,
) -> ApiResult<Option<Value>> {
    Ok(match kind {
        OptionType::Bool => opt_bool(input, key)?.map(Value::Bool),
        OptionType::Int => match opt_i64(input, key)? {
            Some(n) if n < 0 => {
                return Err(ApiError::invalid(key, "must be greater than or equal to 0"))
            }
            other => other.map(Value::from),
        },
        OptionType::OneOf(allowed) => match opt_str(input, key)? {
            Some(v) if !allowed.contains(&v.as_str()) => {
                return Err(ApiError::invalid(key, "is not included in the list"))
            }
            other => other.map(Value::String),
        },
    })
}

/// The security options of a new SafeBox: the profile's values with the request's overrides.
fn resolve_options(
    profile: &Profile,
    input: &Map<String, Value>,
    errors: &mut Vec<(String, String)>,
) -> Map<String, Value> {
    let mut options = Map::new();
    for (from, to) in FIXED_OPTIONS {
        options.insert(to.into(), profile.value(from).clone());
    }
    for (key, kind) in WRITABLE_OPTIONS {
        let default = profile.value(key).clone();
        let value = match read_option(input, key, kind) {
            Ok(Some(v)) if v != default && !profile.modifiable(key) => {
                errors.push((key.into(), "cannot be modified".into()));
                default
            }
            Ok(Some(v)) => v,
            Ok(None) => default,
            Err(ApiError::Validation(mut e)) => {
                errors.append(&mut e);
                default
            }
            Err(_) => default,
        };
        options.insert(key.into(), value);
    }
    options.insert("delete_content_on".into(), Value::Null);
    options
}

/// Parses `expiration_date` + `expiration_time` + `expiration_time_zone` (`±HHMM` or `±HH:MM`).
fn explicit_expiration(input: &Map<String, Value>) -> ApiResult<Option<DateTime<Utc>>> {
    let Some(date) = opt_str(input, "expiration_date")? else {
        return Ok(None);
    };
    let invalid = |field: &str| ApiError::invalid(field, "is invalid");
    let date =
        NaiveDate::parse_from_str(&date, "%Y-%m-%d").map_err(|_| invalid("expiration_date"))?;
    let time = match opt_str(input, "expiration_time")? {
        Some(t) => {
            NaiveTime::parse_from_str(&t, "%H:%M:%S").map_err(|_| invalid("expiration_time"))?
        }
        None => NaiveTime::MIN,
    };
    let zone = opt_str(input, "expiration_time_zone")?
        .unwrap_or_default()
        .replace(':', "");
    let offset_seconds = if zone.is_empty() || zone == "Z" || zone == "UTC" {
        0
    } else {
        let sign = match zone.as_bytes()[0] {
            b'+' => 1,
            b'-' => -1,
            _ => return Err(invalid("expiration_time_zone")),
        };
        let digits: u32 = zone[1..]
            .parse()
            .map_err(|_| invalid("expiration_time_zone"))?;
        if zone.len() != 5 || digits % 100 >= 60 {
            return Err(invalid("expiration_time_zone"));
        }
        sign * ((digits / 100) * 3600 + (digits % 100) * 60) as i32
    };
    let offset =
        FixedOffset::east_opt(offset_seconds).ok_or_else(|| invalid("expiration_time_zone"))?;
    let local = offset
        .from_local_datetime(&date.and_time(time))
        .single()
        .ok_or_else(|| invalid("expiration_date"))?;
    Ok(Some(local.with_timezone(&Utc)))
}

/// `POST api/v2/safeboxes`.
pub async fn commit(
    State(state): State<Shared>,
    headers: HeaderMap,
    base: BaseUrl,
    peer: PeerIp,
    body: Bytes,
) -> JsonResult {
    let now = state.core.clock.now();
    let now_text = clock::format(now);
    let body = parse_body(&body)?;
    let input = resource(&body, "safebox")?;
    let mut store = state.store();
    let caller = store.authenticate(&headers)?;
    let guid =
        opt_str(input, "guid")?.ok_or_else(|| ApiError::invalid("guid", "cannot be blank"))?;
    if let Some(existing) = store.safeboxes.get(&guid) {
        if existing.account != caller.account || existing.owner_id != caller.user_id {
            return Err(ApiError::AccessDenied);
        }
        return Err(ApiError::invalid("guid", "has already been committed"));
    }
    let pending = store
        .pending
        .get(&guid)
        .cloned()
        .ok_or_else(|| ApiError::invalid("guid", "is invalid"))?;
    if pending.account != caller.account || pending.owner_id != caller.user_id {
        return Err(ApiError::AccessDenied);
    }
    let owner = store.accounts[caller.account]
        .user(caller.user_id)
        .cloned()
        .ok_or(ApiError::AccessDenied)?;
    let mut errors: Vec<(String, String)> = vec![];
    let mut check = |result: ApiResult<()>| {
        if let Err(ApiError::Validation(mut e)) = result {
            errors.append(&mut e);
        }
    };

    let user_email = opt_str(input, "user_email")?.or(opt_str(&body, "user_email")?);
    if user_email
        .map(|e| !e.eq_ignore_ascii_case(&owner.email))
        .unwrap_or(false)
    {
        check(Err(ApiError::invalid("user_email", "is invalid")));
    }
    let language = opt_str(input, "notification_language")?.unwrap_or_else(|| "en".into());
    if language.trim().is_empty() {
        check(Err(ApiError::invalid("language", "cannot be blank")));
    }
    let account = &store.accounts[caller.account];
    let profile = match opt_i64(input, "security_profile_id")? {
        None => {
            check(Err(ApiError::invalid(
                "security_profile_id",
                "cannot be blank",
            )));
            None
        }
        Some(id) => {
            let found = account.profile(id).cloned();
            if found.is_none() {
                check(Err(ApiError::invalid("security_profile_id", "is invalid")));
            }
            found
        }
    };
    let options = profile
        .as_ref()
        .map(|p| resolve_options(p, input, &mut errors))
        .unwrap_or_default();
    let mut check = |result: ApiResult<()>| {
        if let Err(ApiError::Validation(mut e)) = result {
            errors.append(&mut e);
        }
    };
    let allow_email = options
        .get("allow_email")
        .and_then(Value::as_bool)
        .unwrap_or(true);

    let Store {
        ids,
        temporary_files,
        ..
    } = &mut *store;
    let mut participants = vec![];
    match opt_array(input, "recipients")? {
        Some(list) if !list.is_empty() => {
            for recipient in list {
                match recipient.as_object() {
                    Some(obj) => {
                        match read_guest(obj, &now_text, &mut || ids.fresh(), allow_email) {
                            Ok(p) => participants.push(p),
                            Err(e) => check(Err(e)),
                        }
                    }
                    None => check(Err(ApiError::invalid("recipients", "is invalid"))),
                }
            }
        }
        _ => check(Err(ApiError::invalid("recipients", "cannot be blank"))),
    }

    let message = opt_str(input, "message")?.unwrap_or_default();
    let document_ids = opt_array(input, "document_ids")?
        .map(Vec::as_slice)
        .unwrap_or(&[]);
    let document_ids = check_documents(temporary_files, &guid, document_ids).unwrap_or_else(|e| {
        check(Err(e));
        vec![]
    });
    if message.trim().is_empty() && document_ids.is_empty() {
        check(Err(ApiError::invalid("message", "cannot be blank")));
    }

    let expiration = match explicit_expiration(input) {
        Ok(Some(at)) => {
            if profile
                .as_ref()
                .map(|p| !p.modifiable("expiration_value"))
                .unwrap_or(false)
            {
                check(Err(ApiError::invalid(
                    "expiration_date",
                    "cannot be modified",
                )));
            }
            Some(at)
        }
        Ok(None) => {
            let value = options
                .get("expiration_value")
                .and_then(Value::as_i64)
                .unwrap_or(7);
            let unit = options
                .get("expiration_unit")
                .and_then(Value::as_str)
                .unwrap_or("days");
            clock::add(now, value, unit)
        }
        Err(e) => {
            check(Err(e));
            None
        }
    };
    if let Some(at) = expiration {
        if at <= now {
            check(Err(ApiError::invalid(
                "expiration",
                "must be in the future",
            )));
        }
    }
    let (Some(profile), Some(expiration), true) = (profile, expiration, errors.is_empty()) else {
        return Err(ApiError::Validation(errors));
    };

    let mut options = options;
    for key in ["expiration_date", "expiration_time", "expiration_time_zone"] {
        if let Some(v) = opt_str(input, key)? {
            options.insert(key.into(), json!(v));
        }
    }
    let documents = take_documents(temporary_files, &document_ids);
    let attachment_count = documents.len();
    let double_encryption = options
        .get("double_encryption")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    participants.push(Participant {
        id: ParticipantId::Owner(owner.id),
        person: Person {
            email: owner.email.clone(),
            first_name: owner.first_name.clone(),
            last_name: owner.last_name.clone(),
            company_name: String::new(),
        },
        privileged: true,
        guest: None,
    });
    let mut sb = Safebox {
        guid: guid.clone(),
        account: caller.account,
        enterprise_id: account_enterprise_id(&store, caller.account),
        owner_id: owner.id,
        owner_email: owner.email.clone(),
        subject: opt_str(input, "subject")?,
        notification_language: language,
        status: Status::InProgress,
        security_profile_id: profile.id,
        security_profile_name: profile.name.clone(),
        options,
        email_notification_enabled: opt_bool(input, "email_notification_enabled")?.unwrap_or(true),
        public_encryption_key: Some(pending.public_encryption_key.clone()),
        encryption_key: double_encryption.then(|| {
            format!(
                "{}{}",
                crate::sendsecure::store::new_guid(),
                crate::sendsecure::store::new_guid()
            )
        }),
        participants,
        messages: vec![],
        events: vec![],
        downloads: vec![],
        created_at: now,
        updated_at: now,
        latest_activity: now,
        expiration,
        closed_at: None,
        content_deleted_at: None,
        delete_content_on: None,
        followed: true,
        tags: BTreeSet::new(),
    };
    sb.messages.push(Message {
        id: store.ids.fresh(),
        note: message,
        author_id: owner.id.to_string(),
        author_type: "user".into(),
        created_at: now_text,
        read: true,
        documents,
    });
    let emails = sb.guest_emails();
    sb.event(
        "safebox_created_owner",
        now,
        json!({"emails": emails, "attachment_count": attachment_count}),
        format!(
            "SafeBox created by {} with {attachment_count} attachment(s) from {} for {}",
            owner.email,
            peer.0,
            emails.join(", ")
        ),
    );
    store.pending.remove(&guid);
    store.upload_slots.remove(&pending.upload_capability);
    store
        .upload_slots
        .retain(|_, slot| !matches!(slot, UploadSlot::Safebox { guid: g } if *g == guid));
    let response = sb.creation_json(&base.0);
    store.safeboxes.insert(guid, sb);
    Ok(Json(response))
}

fn account_enterprise_id(store: &Store, account: usize) -> i64 {
    store.accounts[account].config.enterprise_id
}
