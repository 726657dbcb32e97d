//! The emulator's state: accounts, tokens, SafeBoxes, uploaded files and download links.
//!
//! Everything lives behind one mutex (`SendSecureState::store`); handlers take it for the few
//! microseconds a state change needs and never hold it across an await or a file transfer.

mod contact;
mod favorite;
mod safebox;

pub use contact::{apply_contact_methods, ContactMethod, Person};
pub use favorite::Favorite;
pub use safebox::{
    Document, DownloadRecord, Event, GuestOptions, Message, Participant, ParticipantId, Safebox,
    Status, SECTIONS,
};

use crate::sendsecure::config::{resolve_profile_settings, AccountConfig, Config, UserConfig};
use crate::sendsecure::error::{ApiError, ApiResult};
use axum::http::HeaderMap;
use chrono::{DateTime, Utc};
use serde_json::{json, Map, Value};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::path::PathBuf;

/// The header names that carry the API token (spec §1.3); lookups are case-insensitive.
pub const TOKEN_HEADERS: [&str; 2] = ["authorization-token", "xm-token-authorization"];

/// Who is calling: the account index and the user id behind a token.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Caller {
    pub account: usize,
    pub user_id: i64,
}

/// A security profile with its resolved settings (`name -> {value, modifiable}`).
#[derive(Debug, Clone)]
pub struct Profile {
    pub id: i64,
    pub name: String,
    pub description: String,
    pub settings: Map<String, Value>,
}

impl Profile {
    /// The value of a setting (`Null` if unknown).
    pub fn value(&self, name: &str) -> &Value {
        self.settings
            .get(name)
            .and_then(|s| s.get("value"))
            .unwrap_or(&Value::Null)
    }

    /// Whether a setting may be overridden at commit.
    pub fn modifiable(&self, name: &str) -> bool {
        self.settings
            .get(name)
            .and_then(|s| s.get("modifiable"))
            .and_then(Value::as_bool)
            .unwrap_or(false)
    }

    /// The E4 representation.
    pub fn to_json(&self, created_at: &str) -> Value {
        let mut obj = Map::new();
        obj.insert("id".into(), json!(self.id));
        obj.insert("name".into(), json!(self.name));
        obj.insert("description".into(), json!(self.description));
        obj.insert("created_at".into(), json!(created_at));
        obj.insert("updated_at".into(), json!(created_at));
        for (k, v) in &self.settings {
            obj.insert(k.clone(), v.clone());
        }
        Value::Object(obj)
    }
}

/// One enterprise account and what belongs to it.
#[derive(Debug)]
pub struct Account {
    pub config: AccountConfig,
    pub profiles: Vec<Profile>,
    pub favorites: HashMap<i64, Vec<Favorite>>,
    pub created_at: String,
}

impl Account {
    /// The user with this id.
    pub fn user(&self, id: i64) -> Option<&UserConfig> {
        self.config.users.iter().find(|u| u.id == id)
    }

    /// The user with this e-mail (case-insensitive).
    pub fn user_by_email(&self, email: &str) -> Option<&UserConfig> {
        self.config
            .users
            .iter()
            .find(|u| u.email.eq_ignore_ascii_case(email))
    }

    /// The profile with this id.
    pub fn profile(&self, id: i64) -> Option<&Profile> {
        self.profiles.iter().find(|p| p.id == id)
    }

    /// The id of the default security profile.
    pub fn default_profile_id(&self) -> Option<i64> {
        self.config
            .settings
            .default_security_profile_id
            .or_else(|| self.profiles.first().map(|p| p.id))
    }

    /// The E5 representation.
    pub fn settings_json(&self) -> Value {
        let s = &self.config.settings;
        json!({
            "created_at": self.created_at,
            "updated_at": self.created_at,
            "default_security_profile_id": self.default_profile_id(),
            "pdf_language": s.pdf_language,
            "use_pdfa_audit_records": s.use_pdfa_audit_records,
            "international_dialing_plan": s.international_dialing_plan,
            "extension_filter": {"mode": s.extension_filter.mode, "list": s.extension_filter.list},
            "virus_scan_enabled": s.virus_scan_enabled,
            "max_file_size_value": s.max_file_size_value,
            "max_file_size_unit": s.max_file_size_unit,
            "include_users_in_autocomplete": s.include_users_in_autocomplete,
            "include_favorites_in_autocomplete": s.include_favorites_in_autocomplete,
            "users_public_url": s.users_public_url,
        })
    }
}

/// A SafeBox between initialization (E1) and commit (E3).
#[derive(Debug, Clone)]
pub struct PendingSafebox {
    pub account: usize,
    pub owner_id: i64,
    pub public_encryption_key: String,
    pub upload_capability: String,
}

/// Where an upload capability URL puts its file.
#[derive(Debug, Clone)]
pub enum UploadSlot {
    /// The SafeBox's own `upload_url` (E1), usable for every initial attachment.
    Safebox { guid: String },
    /// A per-file `upload_url` from E12, usable once; the upload answers with this document GUID.
    Temporary {
        safebox_guid: String,
        document_guid: String,
        /// The key the E12 request carried, recorded with the file.
        public_encryption_key: Option<String>,
    },
}

/// A file received on an upload URL and not yet attached to a message.
#[derive(Debug, Clone)]
pub struct StoredFile {
    pub safebox_guid: String,
    pub name: String,
    pub content_type: String,
    pub size: u64,
    pub sha256: String,
    pub path: PathBuf,
    /// The upload's shape, for the control API: how many parts its multipart body had (0 for
    /// a raw body) and the header names of its file part, in order (lower-case).
    pub parts: usize,
    pub part_headers: Vec<String>,
    /// The `public_encryption_key` its E12 request carried (reply uploads only).
    pub public_encryption_key: Option<String>,
}

/// A download capability issued by E25.
#[derive(Debug, Clone)]
pub struct DownloadLink {
    pub safebox_guid: String,
    pub document_id: String,
    pub participant_id: String,
}

/// The whole mutable state of the emulator.
#[derive(Debug)]
pub struct Store {
    pub accounts: Vec<Account>,
    pub tokens: HashMap<String, Caller>,
    pub pending: HashMap<String, PendingSafebox>,
    pub safeboxes: HashMap<String, Safebox>,
    pub upload_slots: HashMap<String, UploadSlot>,
    pub temporary_files: HashMap<String, StoredFile>,
    pub download_links: HashMap<String, DownloadLink>,
    /// Hands out the integer ids (messages, contact methods, favorites).
    pub ids: Ids,
}

/// A counter for integer ids, kept apart from the rest of the store so it can be borrowed
/// alongside an account or a SafeBox.
#[derive(Debug)]
pub struct Ids(i64);

impl Ids {
    /// The next unused id.
    pub fn fresh(&mut self) -> i64 {
        self.0 += 1;
        self.0
    }
}

/// [`Store::safebox_mut`] on the SafeBox map alone, for handlers that also borrow `ids`.
pub fn owned_safebox<'a>(
    safeboxes: &'a mut HashMap<String, Safebox>,
    caller: Caller,
    guid: &str,
    now: DateTime<Utc>,
) -> ApiResult<&'a mut Safebox> {
    let sb = safeboxes.get_mut(guid).ok_or(ApiError::NotFound)?;
    if sb.account != caller.account || sb.owner_id != caller.user_id {
        return Err(ApiError::AccessDenied);
    }
    sb.refresh(now);
    Ok(sb)
}

/// Checks that every id names a file uploaded for this SafeBox and not yet attached.
pub fn check_documents(
    files: &HashMap<String, StoredFile>,
    safebox_guid: &str,
    ids: &[Value],
) -> ApiResult<Vec<String>> {
    ids.iter()
        .map(|id| {
            id.as_str()
                .filter(|id| {
                    files
                        .get(*id)
                        .map(|f| f.safebox_guid == safebox_guid)
                        .unwrap_or(false)
                })
                .map(str::to_string)
                .ok_or_else(|| ApiError::invalid("document_ids", "is invalid"))
        })
        .collect()
}

/// Moves checked uploaded files into documents of a message.
pub fn take_documents(files: &mut HashMap<String, StoredFile>, ids: &[String]) -> Vec<Document> {
    ids.iter()
        .filter_map(|id| {
            files.remove(id).map(|f| Document {
                id: id.clone(),
                name: f.name,
                content_type: f.content_type,
                size: f.size,
                sha256: f.sha256,
                path: Some(f.path),
                parts: f.parts,
                part_headers: f.part_headers,
                public_encryption_key: f.public_encryption_key,
            })
        })
        .collect()
}

/// A fresh 32-hex-character identifier, the form of every GUID in the API.
pub fn new_guid() -> String {
    uuid::Uuid::new_v4().simple().to_string()
}

impl Store {
    /// Builds the initial state from a configuration.
    pub fn new(config: &Config, now: DateTime<Utc>) -> Store {
        let created_at = crate::core::clock::format(now);
        let mut next_id = 1000;
        let accounts = config
            .accounts
            .iter()
            .map(|ac| {
                let mut profiles: Vec<Profile> = ac
                    .security_profiles
                    .iter()
                    .map(|p| Profile {
                        id: p.id,
                        name: p.name.clone(),
                        description: p.description.clone(),
                        settings: resolve_profile_settings(&p.settings).unwrap_or_default(),
                    })
                    .collect();
                if profiles.is_empty() {
                    profiles.push(Profile {
                        id: 1,
                        name: "Default".into(),
                        description: String::new(),
                        settings: resolve_profile_settings(&toml::Table::new()).unwrap_or_default(),
                    });
                }
                let mut favorites = HashMap::new();
                for user in &ac.users {
                    let list = user
                        .favorites
                        .iter()
                        .enumerate()
                        .map(|(i, f)| {
                            let contact_methods = f
                                .contact_methods
                                .iter()
                                .map(|c| {
                                    next_id += 1;
                                    ContactMethod {
                                        id: next_id,
                                        destination: c.destination.clone(),
                                        destination_type: c.destination_type.clone(),
                                        created_at: created_at.clone(),
                                        updated_at: created_at.clone(),
                                    }
                                })
                                .collect();
                            next_id += 1;
                            Favorite {
                                id: next_id,
                                person: Person {
                                    email: f.email.clone(),
                                    first_name: f.first_name.clone(),
                                    last_name: f.last_name.clone(),
                                    company_name: f.company_name.clone(),
                                },
                                order_number: i as i64 + 1,
                                always_promote: false,
                                created_at: created_at.clone(),
                                updated_at: created_at.clone(),
                                contact_methods,
                            }
                        })
                        .collect();
                    favorites.insert(user.id, list);
                }
                Account {
                    config: ac.clone(),
                    profiles,
                    favorites,
                    created_at: created_at.clone(),
                }
            })
            .collect();
        Store {
            accounts,
            tokens: HashMap::new(),
            pending: HashMap::new(),
            safeboxes: HashMap::new(),
            upload_slots: HashMap::new(),
            temporary_files: HashMap::new(),
            download_links: HashMap::new(),
            ids: Ids(next_id),
        }
    }

    /// The index of the account with this permalink.
    pub fn account_index(&self, permalink: &str) -> Option<usize> {
        self.accounts
            .iter()
            .position(|a| a.config.permalink == permalink)
    }

    /// The token for these credentials and device: the same inputs always give the same token.
    pub fn issue_token(&mut self, account: usize, user_id: i64, device_id: &str) -> String {
        let permalink = &self.accounts[account].config.permalink;
        let digest = Sha256::digest(format!("{permalink}\n{user_id}\n{device_id}").as_bytes());
        let h = hex::encode(&digest[..16]);
        let token = format!(
            "USER|{}-{}-{}-{}-{}",
            &h[0..8],
            &h[8..12],
            &h[12..16],
            &h[16..20],
            &h[20..32]
        );
        self.tokens
            .insert(token.clone(), Caller { account, user_id });
        token
    }

    /// The caller behind the request's token header, or 403 `Access denied`.
    pub fn authenticate(&self, headers: &HeaderMap) -> ApiResult<Caller> {
        TOKEN_HEADERS
            .iter()
            .filter_map(|name| headers.get(*name))
            .filter_map(|v| v.to_str().ok())
            .find_map(|token| self.tokens.get(token.trim()).copied())
            .ok_or(ApiError::AccessDenied)
    }

    /// Checks that `{acct}` in a path is the caller's account.
    pub fn check_account(&self, caller: Caller, permalink: &str) -> ApiResult<&Account> {
        let account = &self.accounts[caller.account];
        if account.config.permalink == permalink {
            Ok(account)
        } else {
            Err(ApiError::AccessDenied)
        }
    }

    /// The caller's committed SafeBox, brought up to date with the clock.
    ///
    /// Unknown GUIDs are 404; SafeBoxes of other users are 403.
    pub fn safebox_mut(
        &mut self,
        caller: Caller,
        guid: &str,
        now: DateTime<Utc>,
    ) -> ApiResult<&mut Safebox> {
        owned_safebox(&mut self.safeboxes, caller, guid, now)
    }

    /// The e-mail of a user of an account.
    pub fn user_email(&self, account: usize, user_id: i64) -> String {
        self.accounts[account]
            .user(user_id)
            .map(|u| u.email.clone())
            .unwrap_or_default()
    }
}
