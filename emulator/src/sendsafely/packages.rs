//! Packages (S5-S10), recipients (S11-S15), trusted-device keys and wrapped keycodes (S3, S4,
//! S16-S18), the secure message (S28, S29), finalize (S30) and notify (S31): spec §6 and
//! §10.2/§10.4/§10.6.

use crate::sendsafely::api::Call;
use crate::sendsafely::config::ChecksumMode;
use crate::sendsafely::error::{crypto_reason, SsError, SsResult};
use crate::sendsafely::escrow;
use crate::sendsafely::store::{
    FileEntry, Package, PackageState, Phone, Recipient, Store, TrustedKey,
};
use sendsafely_crypto::keys;
use sendsafely_crypto::secrets::{checksum, is_checksum};
use serde_json::{json, Value};

/// The package named by `id_or_code`, refreshed, or `UNKNOWN_PACKAGE` (also once deleted);
/// resolving by packageCode lets the caller read it.
pub fn package<'s>(
    call: &Call<'_>,
    store: &'s mut Store,
    id_or_code: &str,
) -> Result<&'s mut Package, SsError> {
    let id = store
        .resolve(id_or_code)
        .ok_or_else(SsError::unknown_package)?;
    let now = call.state.core.clock.now();
    let by_code = id != id_or_code;
    store.refresh_all(now);
    let p = store.packages.get_mut(&id).expect("resolved");
    if p.state.is_deleted() {
        return Err(SsError::unknown_package());
    }
    if by_code {
        p.resolved_by.insert(call.user.email.clone());
    }
    Ok(p)
}

/// The package, readable by the caller, else `DENIED`.
pub fn readable<'s>(
    call: &Call<'_>,
    store: &'s mut Store,
    id: &str,
) -> Result<&'s mut Package, SsError> {
    allowed(call, store, id, |p, email| p.readable_by(email))
}

/// The package, owned by the caller, else `DENIED`.
pub fn owned<'s>(
    call: &Call<'_>,
    store: &'s mut Store,
    id: &str,
) -> Result<&'s mut Package, SsError> {
    allowed(call, store, id, |p, email| p.owner == email)
}

/// The package, if `may` lets the caller's email at it, else `DENIED`.
fn allowed<'s>(
    call: &Call<'_>,
    store: &'s mut Store,
    id: &str,
    may: impl Fn(&Package, &str) -> bool,
) -> Result<&'s mut Package, SsError> {
    let p = package(call, store, id)?;
    if !may(p, &call.user.email) {
        return Err(SsError::denied());
    }
    Ok(p)
}

/// The string field `name` of a request body, else `INVALID_INPUT` "`name` is required".
fn required<'b>(body: &'b Value, name: &str) -> Result<&'b str, SsError> {
    body.get(name)
        .and_then(Value::as_str)
        .ok_or_else(|| SsError::invalid(format!("{name} is required")))
}

fn phone_json(p: &Phone, most_recent: bool) -> Value {
    json!({"phonenumber": p.number, "countryCode": p.dial, "country": p.country,
           "wasUsedMostRecently": most_recent})
}

/// A recipient as the API shows it.
pub fn recipient_json(r: &Recipient, store: &Store) -> Value {
    let phones: Vec<Value> = r
        .phones
        .iter()
        .enumerate()
        .map(|(i, p)| phone_json(p, i + 1 == r.phones.len()))
        .collect();
    let full_name = store
        .users
        .iter()
        .find(|u| u.email.eq_ignore_ascii_case(&r.email))
        .map(|u| {
            format!("{} {}", u.first_name, u.last_name)
                .trim()
                .to_string()
        })
        .unwrap_or_default();
    json!({
        "recipientId": r.id,
        "email": r.email,
        "fullName": full_name,
        "approvalRequired": false,
        "needsApproval": false,
        "approvers": [],
        "phonenumbers": phones,
        "confirmations": [],
        "roleName": r.role.clone().unwrap_or_else(|| "VIEWER".into()),
        "smsAuth": !r.phones.is_empty(),
        "checkForPublicKeys": !store.keys_of(&r.email).is_empty(),
        "autoEnabledNumber": false,
    })
}

/// A file as the API shows it.
pub fn file_json(f: &FileEntry) -> Value {
    json!({
        "fileId": f.id,
        "fileName": f.name,
        "fileSize": f.size,
        "parts": f.parts,
        "fileParts": f.parts,
        "createdByEmail": f.created_by,
        "fileUploaded": f.uploaded(),
        "fileDeleted": f.discarded,
        "fileUploadedStr": crate::sendsafely::auth::format_timestamp(f.created),
        "directoryId": f.directory_id,
    })
}

/// The secure link of a finalized package (§3.4, without the fragment).
pub fn link(call: &Call<'_>, p: &Package) -> String {
    let base = if call.state.config.base_url.is_empty() {
        call.base.clone()
    } else {
        call.state.config.base_url.trim_end_matches('/').to_string()
    };
    format!("{base}/receive/?thread={}&packageCode={}", p.id, p.code)
}

fn info_json(call: &Call<'_>, p: &Package, store: &Store) -> Value {
    let recipients: Vec<Value> = p
        .recipients
        .iter()
        .map(|r| recipient_json(r, store))
        .collect();
    let files: Vec<Value> = p.files.iter().map(file_json).collect();
    json!({
        "packageId": p.id,
        "packageCode": p.code,
        "serverSecret": p.server_secret,
        "recipients": recipients,
        "files": files,
        "directories": crate::sendsafely::workspaces::directories_json(p),
        "contactGroups": [],
        "approverList": [],
        "needsApproval": false,
        "state": p.state.name(),
        "packageState": p.state.number(),
        "life": p.life,
        "label": p.label,
        "description": p.label,
        "isVDR": p.vdr,
        "rootDirectoryId": p.root_directory_id,
        "packageTimestamp": crate::sendsafely::auth::format_timestamp(p.created),
        "packageSender": p.owner,
        "packageOwner": p.owner,
        "packageParentId": "",
        "allowReplyAll": false,
        "packageContainsMessage": p.message.is_some(),
        "url": if p.finalized.is_some() { json!(link(call, p)) } else { Value::Null },
        "isArchived": false,
    })
}

/// S5: create a package.
pub fn create(call: &Call<'_>) -> SsResult {
    let body = call.json()?;
    let vdr = match body.get("vdr") {
        None | Some(Value::Null) => false,
        Some(Value::Bool(b)) => *b,
        Some(Value::String(s)) if s == "true" => true,
        Some(Value::String(s)) if s == "false" => false,
        Some(_) => return Err(SsError::invalid("vdr must be true or false")),
    };
    let now = call.state.core.clock.now();
    let life = call.state.config.default_life;
    let mut store = call.state.store();
    if let Some(quota) = call.state.config.package_quota {
        if store.packages_owned(&call.user.email) >= quota {
            return Err(SsError::new(
                "LIMIT_EXCEEDED",
                format!("The package quota ({quota}) is reached"),
            ));
        }
    }
    let p = store.create_package(&call.user.email, vdr, life, now);
    Ok(json!({"packageId": p.id, "packageCode": p.code, "serverSecret": p.server_secret}))
}

/// S6: package information, by packageId or packageCode.
pub fn info(call: &Call<'_>, id: &str) -> SsResult {
    let mut store = call.state.store();
    let deleted_state = store
        .resolve(id)
        .and_then(|pid| store.packages.get(&pid))
        .filter(|p| p.state.is_deleted())
        .cloned();
    if let Some(p) = deleted_state {
        if call.state.config.deleted_info == crate::sendsafely::config::DeletedInfo::State
            && p.owner == call.user.email
        {
            return Ok(info_json(call, &p, &store));
        }
        return Err(SsError::unknown_package());
    }
    let p = readable(call, &mut store, id)?.clone();
    Ok(info_json(call, &p, &store))
}

/// S7: change life or label.
pub fn update(call: &Call<'_>, id: &str) -> SsResult {
    let body = call.json()?;
    let config = &call.state.config;
    let mut store = call.state.store();
    let p = owned(call, &mut store, id)?;
    let mut changed = false;
    if let Some(life) = body.get("life") {
        let life = life
            .as_i64()
            .or_else(|| life.as_str().and_then(|s| s.parse().ok()))
            .ok_or_else(|| SsError::fail("life must be a whole number of days"))?;
        let allowed = if p.vdr {
            life >= 0
        } else {
            config.life_allowed(life)
        };
        if !allowed {
            return Err(SsError::fail(format!(
                "life must be between {} and {} days",
                config.life_min, config.life_max
            )));
        }
        p.life = life;
        changed = true;
    }
    if let Some(label) = body.get("label") {
        let label = label
            .as_str()
            .ok_or_else(|| SsError::invalid("label must be a string"))?;
        p.label = label.to_string();
        changed = true;
    }
    if !changed {
        return Err(SsError::invalid("nothing to update (life or label)"));
    }
    Ok(json!({"message": "Package updated"}))
}

/// S8 (any state) and S9 (`temp`: only while in progress): delete, segments discarded.
pub fn delete(call: &Call<'_>, id: &str, temp: bool) -> SsResult {
    let mut store = call.state.store();
    let p = owned(call, &mut store, id)?;
    if temp && p.state != PackageState::InProgress {
        return Err(SsError::fail("The package is not a temporary package"));
    }
    p.state = if p.finalized.is_some() {
        PackageState::DeletedComplete
    } else {
        PackageState::DeletedIncomplete
    };
    for f in &mut p.files {
        f.segments.clear();
    }
    let pid = p.id.clone();
    let dir = store.package_dir(&pid);
    let _ = std::fs::remove_dir_all(dir);
    store.tokens.retain(|_, t| t.package_id != pid);
    Ok(json!({"message": "Package deleted"}))
}

/// S10: sent, received or archived packages, paged.
pub fn list(call: &Call<'_>, which: &str) -> SsResult {
    let max = call.state.config.max_page_size;
    let number = |name: &str, default: usize| -> Result<usize, SsError> {
        match call.query.get(name) {
            None => Ok(default),
            Some(v) => v
                .parse::<usize>()
                .map_err(|_| SsError::fail(format!("{name} must be a non-negative integer"))),
        }
    };
    let row = number("rowIndex", 0)?;
    let size = number("pageSize", max)?;
    if size == 0 || size > max {
        return Err(SsError::fail(format!(
            "pageSize must be between 1 and {max}"
        )));
    }
    let now = call.state.core.clock.now();
    let me = &call.user.email;
    let mut store = call.state.store();
    store.refresh_all(now);
    let mut all: Vec<Value> = vec![];
    let mut packages: Vec<&mut Package> = store.packages.values_mut().collect();
    packages.sort_by(|a, b| b.created.cmp(&a.created).then(a.id.cmp(&b.id)));
    for p in packages {
        let keep = !p.state.is_deleted()
            && match which {
                "sent" => &p.owner == me,
                "received" => {
                    p.finalized.is_some()
                        && p.recipients
                            .iter()
                            .any(|r| r.email.eq_ignore_ascii_case(me))
                }
                _ => false,
            };
        if keep {
            all.push(json!({
                "packageId": p.id,
                "packageCode": p.code,
                "packageSender": p.owner,
                "packageState": p.state.number(),
                "state": p.state.name(),
                "packageStateStr": p.state.name(),
                "packageTimestamp": crate::sendsafely::auth::format_timestamp(p.created),
                "packageUpdateTimestamp": crate::sendsafely::auth::format_timestamp(p.created),
                "recipients": p.recipients.iter().map(|r| r.email.clone()).collect::<Vec<_>>(),
                "filenames": p.files.iter().map(|f| f.name.clone()).collect::<Vec<_>>(),
                "label": p.label,
                "isVDR": p.vdr,
                "life": p.life,
            }));
        }
    }
    let total = all.len();
    let page: Vec<Value> = all.into_iter().skip(row).take(size).collect();
    let next = row + page.len();
    Ok(json!({
        "packages": page,
        "pagination": {"rowIndex": row, "pageSize": size, "nextRowIndex": next,
                       "totalRows": total, "hasMore": next < total},
    }))
}

fn valid_email(email: &str) -> bool {
    let Some((local, domain)) = email.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains('@')
        && !email.chars().any(|c| c.is_whitespace() || c.is_control())
}

/// Adds `email` to the package (or finds it there).
fn add_recipient(
    call: &Call<'_>,
    store: &mut Store,
    id: &str,
    email: &str,
) -> Result<Recipient, SsError> {
    if !valid_email(email) {
        return Err(SsError::new(
            "INVALID_EMAIL",
            format!("Invalid email address: {email}"),
        ));
    }
    let limit = call.state.config.recipient_limit;
    let rid = store.new_id("rcp-");
    let p = owned(call, store, id)?;
    if let Some(r) = p
        .recipients
        .iter()
        .find(|r| r.email.eq_ignore_ascii_case(email))
    {
        if call.state.config.duplicate_email {
            return Err(SsError::new(
                "DUPLICATE_EMAIL",
                format!("{email} is already a recipient"),
            ));
        }
        return Ok(r.clone());
    }
    if p.recipients.len() >= limit {
        return Err(SsError::new("LIMIT_EXCEEDED", "Too many recipients"));
    }
    let r = Recipient {
        id: rid,
        email: email.to_string(),
        phones: vec![],
        role: None,
    };
    p.recipients.push(r.clone());
    Ok(r)
}

/// S11: add one recipient (JS may add a phone number with `countryCode`).
pub fn add_one(call: &Call<'_>, id: &str) -> SsResult {
    let body = call.json()?;
    let email = required(&body, "email")?;
    let mut store = call.state.store();
    let r = add_recipient(call, &mut store, id, email)?;
    if body.get("phoneNumber").is_some() {
        let phone = parse_phone(&body)?;
        let p = owned(call, &mut store, id)?;
        if let Some(r) = p.recipients.iter_mut().find(|x| x.id == r.id) {
            r.phones.push(phone);
        }
    }
    let p = owned(call, &mut store, id)?.clone();
    let r = p
        .recipients
        .iter()
        .find(|x| x.id == r.id)
        .expect("just added");
    Ok(recipient_json(r, &store))
}

/// S12: add several recipients.
pub fn add_many(call: &Call<'_>, id: &str) -> SsResult {
    let body = call.json()?;
    let emails = body
        .get("emails")
        .and_then(Value::as_array)
        .ok_or_else(|| SsError::invalid("emails must be a list"))?;
    let mut store = call.state.store();
    owned(call, &mut store, id)?;
    let mut out = vec![];
    for e in emails {
        let Some(email) = e.as_str() else {
            return Err(SsError::invalid("emails must be strings"));
        };
        match add_recipient(call, &mut store, id, email) {
            Ok(r) => {
                let mut v = recipient_json(&r, &store);
                v["response"] = json!("SUCCESS");
                v["message"] = json!("");
                out.push(v);
            }
            Err(e) => out.push(json!({"response": e.code, "message": e.message, "email": email})),
        }
    }
    Ok(json!({"recipients": out, "approvalRequired": false, "approvers": []}))
}

/// A dialing code for an ISO-2 country, or from a `+NN` prefix with `OTHER`.
fn dial_code(country: &str, number: &str) -> Option<i64> {
    if let Some(rest) = number.trim().strip_prefix('+') {
        let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
        return digits.get(..digits.len().min(3))?.parse().ok();
    }
    let code = match country {
        "US" | "CA" => 1,
        "GB" => 44,
        "FR" => 33,
        "DE" => 49,
        "BE" => 32,
        "CH" => 41,
        "NL" => 31,
        "ES" => 34,
        "IT" => 39,
        "AU" => 61,
        "IN" => 91,
        "JP" => 81,
        "BR" => 55,
        "MX" => 52,
        _ if country.len() == 2 && country.bytes().all(|b| b.is_ascii_uppercase()) => 0,
        _ => return None,
    };
    Some(code)
}

fn parse_phone(body: &Value) -> Result<Phone, SsError> {
    let number = body
        .get("phoneNumber")
        .and_then(Value::as_str)
        .filter(|n| n.chars().any(|c| c.is_ascii_digit()))
        .ok_or_else(|| SsError::invalid("phoneNumber must be a phone number"))?;
    let country = body
        .get("countrycode")
        .or_else(|| body.get("countryCode"))
        .and_then(Value::as_str)
        .unwrap_or("US");
    let dial = if country == "OTHER" {
        dial_code("", number).ok_or_else(|| {
            SsError::invalid("with countrycode OTHER the number must start with +NN")
        })?
    } else {
        dial_code(country, "").ok_or_else(|| SsError::invalid("unknown countrycode"))?
    };
    Ok(Phone {
        number: number.to_string(),
        country: country.to_string(),
        dial,
    })
}

const ROLES: [&str; 4] = ["VIEWER", "CONTRIBUTOR", "MANAGER", "OWNER"];

/// S13: set a recipient's phone number or role.
pub fn update_recipient(call: &Call<'_>, id: &str, rid: &str) -> SsResult {
    let body = call.json()?;
    let mut store = call.state.store();
    let p = owned(call, &mut store, id)?;
    let r = p
        .recipients
        .iter_mut()
        .find(|r| r.id == rid)
        .ok_or_else(|| SsError::new("INVALID_RECIPIENT", "Unknown recipient"))?;
    if let Some(role) = body.get("roleName") {
        let role = role.as_str().filter(|r| ROLES.contains(r)).ok_or_else(|| {
            SsError::invalid("roleName must be VIEWER, CONTRIBUTOR, MANAGER or OWNER")
        })?;
        r.role = Some(role.to_string());
    } else if body.get("phoneNumber").is_some() {
        let phone = parse_phone(&body)?;
        r.phones.retain(|p| p.number != phone.number);
        r.phones.push(phone);
    } else {
        return Err(SsError::invalid("phoneNumber or roleName is required"));
    }
    let r = r.clone();
    Ok(
        json!({"recipientId": r.id, "email": r.email, "needsApproval": false,
              "approvalRequired": false}),
    )
}

/// S14: one recipient.
pub fn get_recipient(call: &Call<'_>, id: &str, rid: &str) -> SsResult {
    let mut store = call.state.store();
    let p = readable(call, &mut store, id)?.clone();
    let r = p
        .recipients
        .iter()
        .find(|r| r.id == rid)
        .ok_or_else(|| SsError::new("INVALID_RECIPIENT", "Unknown recipient"))?;
    Ok(recipient_json(r, &store))
}

/// S15: remove a recipient.
pub fn remove_recipient(call: &Call<'_>, id: &str, rid: &str) -> SsResult {
    let mut store = call.state.store();
    let p = owned(call, &mut store, id)?;
    let before = p.recipients.len();
    p.recipients.retain(|r| r.id != rid);
    if p.recipients.len() == before {
        return Err(SsError::new("INVALID_RECIPIENT", "Unknown recipient"));
    }
    Ok(json!({"message": "Recipient removed"}))
}

/// S3: add a trusted-device key of the caller: an armored OpenPGP public key with a user ID
/// and an encryption subkey, since clients wrap keycodes to it (§4.6).
pub fn add_key(call: &Call<'_>) -> SsResult {
    let body = call.json()?;
    let key = required(&body, "publicKey")?;
    keys::check_public_key(key).map_err(|e| {
        SsError::invalid(format!(
            "publicKey must be an armored OpenPGP public key with a user ID and an encryption subkey ({})",
            crypto_reason(&e)
        ))
    })?;
    let description = body
        .get("description")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let mut store = call.state.store();
    let id = store.new_id("key-");
    store.keys.push(TrustedKey {
        id: id.clone(),
        owner: call.user.email.clone(),
        key: key.to_string(),
        description: description.to_string(),
    });
    Ok(json!({"id": id, "message": id}))
}

/// S4: revoke one of the caller's keys.
pub fn revoke_key(call: &Call<'_>, kid: &str) -> SsResult {
    let mut store = call.state.store();
    let before = store.keys.len();
    let me = call.user.email.clone();
    store.keys.retain(|k| !(k.id == kid && k.owner == me));
    if store.keys.len() == before {
        return Err(SsError::fail("Unknown public key"));
    }
    Ok(json!({"message": "Public key revoked"}))
}

/// The keys a package lists (S16): its owner's and its recipients'.
fn package_keys(store: &Store, p: &Package, recipient: Option<&str>) -> Vec<TrustedKey> {
    let mut emails: Vec<String> = match recipient {
        Some(rid) => p
            .recipients
            .iter()
            .filter(|r| r.id == rid)
            .map(|r| r.email.clone())
            .collect(),
        None => std::iter::once(p.owner.clone())
            .chain(p.recipients.iter().map(|r| r.email.clone()))
            .collect(),
    };
    emails.dedup();
    emails
        .iter()
        .flat_map(|e| store.keys_of(e))
        .cloned()
        .collect()
}

/// S16: the public keys to wrap the keycode to (all, the escrow key included when on, or one
/// recipient's).
pub fn public_keys(call: &Call<'_>, id: &str, recipient: Option<&str>) -> SsResult {
    // Generated (once) before the store is locked: it takes a moment.
    let escrow = match recipient {
        None if call.state.config.escrow_key => Some(escrow::public_key()?),
        _ => None,
    };
    let mut store = call.state.store();
    let p = readable(call, &mut store, id)?.clone();
    if let Some(rid) = recipient {
        if !p.recipients.iter().any(|r| r.id == rid) {
            return Err(SsError::new("INVALID_RECIPIENT", "Unknown recipient"));
        }
    }
    let keys: Vec<Value> = package_keys(&store, &p, recipient)
        .iter()
        .map(|k| json!({"id": k.id, "key": k.key}))
        .chain(escrow.map(|key| json!({"id": escrow::KEY_ID, "key": key})))
        .collect();
    Ok(json!({"publicKeys": keys}))
}

/// S17: store a keycode wrapped to one of the package's keys; wrapped to the escrow key, the
/// emulator unwraps it and knows the keycode from then on (§10.6 b).
pub fn put_link(call: &Call<'_>, id: &str, kid: &str) -> SsResult {
    let body = call.json()?;
    let wrapped = required(&body, "keycode")?.to_string();
    let to_escrow = call.state.config.escrow_key && kid == escrow::KEY_ID;
    {
        let mut store = call.state.store();
        let p = owned(call, &mut store, id)?.clone();
        if !to_escrow && !package_keys(&store, &p, None).iter().any(|k| k.id == kid) {
            return Err(SsError::fail("Unknown public key for this package"));
        }
    }
    // Unwrapped without the store locked: an RSA decryption.
    let keycode = if to_escrow {
        Some(escrow::unwrap(&wrapped)?)
    } else {
        None
    };
    let mut store = call.state.store();
    let p = owned(call, &mut store, id)?;
    p.links.insert(kid.to_string(), wrapped);
    if let Some(keycode) = keycode {
        p.expected_keycode = Some(keycode.to_string());
    }
    Ok(json!({"message": "Keycode uploaded"}))
}

/// S18: the keycode wrapped to one of the caller's keys.
pub fn get_link(call: &Call<'_>, id: &str, kid: &str) -> SsResult {
    let mut store = call.state.store();
    let mine = store.keys_of(&call.user.email).iter().any(|k| k.id == kid);
    let p = readable(call, &mut store, id)?;
    match p.links.get(kid) {
        Some(armored) if mine => Ok(json!({"message": armored})),
        _ => Err(SsError::fail("No keycode for this key")),
    }
}

/// Checks a checksum presented to read the package (S26, S29): it must be the finalize one;
/// before finalize (workspaces), the expected keycode's, else the first one seen is pinned.
pub fn check_checksum(p: &mut Package, given: Option<&str>) -> Result<(), SsError> {
    let given = given
        .filter(|c| is_checksum(c))
        .ok_or_else(|| SsError::fail("checksum must be 64 lowercase hexadecimal characters"))?;
    if let Some(expected) = &p.checksum {
        return if expected == given {
            Ok(())
        } else {
            Err(SsError::fail("Invalid checksum"))
        };
    }
    if let Some(keycode) = &p.expected_keycode {
        return if checksum(keycode, &p.code) == given {
            Ok(())
        } else {
            Err(SsError::fail("Invalid checksum"))
        };
    }
    p.checksum = Some(given.to_string());
    Ok(())
}

/// S28: store the secure message as received.
pub fn put_message(call: &Call<'_>, id: &str) -> SsResult {
    let body = call.json()?;
    let message = required(&body, "message")?.to_string();
    let mut store = call.state.store();
    let p = owned(call, &mut store, id)?;
    if p.state != PackageState::InProgress && !p.vdr {
        return Err(SsError::fail("The package is finalized"));
    }
    p.message = Some(message);
    Ok(json!({"message": "Message saved"}))
}

/// S29: the secure message, for the right checksum.
pub fn get_message(call: &Call<'_>, id: &str, given: &str) -> SsResult {
    let mut store = call.state.store();
    let p = readable(call, &mut store, id)?;
    check_checksum(p, Some(given))?;
    let message = p.message.clone().unwrap_or_default();
    Ok(json!({"message": message}))
}

/// S30: finalize with the link checksum (§10.6).
pub fn finalize(call: &Call<'_>, id: &str) -> SsResult {
    let body = call.json().map_err(|e| SsError::finalize(e.message))?;
    let given = body
        .get("checksum")
        .and_then(Value::as_str)
        .filter(|c| is_checksum(c))
        .ok_or_else(|| SsError::finalize("checksum must be 64 lowercase hexadecimal characters"))?
        .to_string();
    let mode = call.state.config.checksum_mode;
    let now = call.state.core.clock.now();
    let mut store = call.state.store();
    let p = owned(call, &mut store, id).map_err(|e| SsError {
        errors: Some(vec![e.message.clone()]),
        ..e
    })?;
    if p.state != PackageState::InProgress {
        return Err(SsError::finalize("The package is not in progress"));
    }
    match &p.expected_keycode {
        Some(keycode) if checksum(keycode, &p.code) != given => {
            return Err(SsError::finalize("Invalid checksum for this package"));
        }
        None if mode == ChecksumMode::Strict => {
            return Err(SsError::finalize(
                "The keycode is unknown to the emulator (strict checksum mode)",
            ));
        }
        _ => {}
    }
    if let Some(f) = p.files.iter().find(|f| !f.uploaded()) {
        return Err(SsError::finalize(format!(
            "File {} is not completely uploaded",
            f.name
        )));
    }
    p.checksum = Some(given);
    p.state = PackageState::ActiveComplete;
    p.finalized = Some(now);
    let p = p.clone();
    let recipients: Vec<Value> = p
        .recipients
        .iter()
        .map(|r| recipient_json(r, &store))
        .collect();
    Ok(json!({
        "message": link(call, &p),
        "recipients": recipients,
        "approvers": [],
        "needsLink": false,
    }))
}

/// S31: notify recipients with the keycode (recorded; nothing is sent).
pub fn notify(call: &Call<'_>, id: &str) -> SsResult {
    let body = call.json()?;
    let keycode = required(&body, "keycode")?.to_string();
    let mut store = call.state.store();
    let p = owned(call, &mut store, id)?;
    p.notified.push(keycode);
    Ok(json!({"message": "Recipients notified"}))
}
