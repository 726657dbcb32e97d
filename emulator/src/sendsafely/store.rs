//! SendSafely's state (spec §10.2): users (from the configuration and the control API),
//! trusted-device keys, packages with their recipients, files, message, wrapped keycodes and
//! checksum, the storage URL tokens, and the signatures seen (replay detection). Segments are
//! written under the data directory; the store keeps their length and SHA-256.

use crate::sendsafely::config::{Config, User};
use chrono::{DateTime, Utc};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::path::{Path, PathBuf};

/// Days after a package's expiry when its files are deleted (spec §10.8, DOC-EXP).
pub const FILE_RETENTION_DAYS: i64 = 5;

/// A package's state (§6.3, SF-18).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PackageState {
    InProgress,
    ActiveComplete,
    ExpiredComplete,
    DeletedComplete,
    DeletedIncomplete,
}

impl PackageState {
    /// `PACKAGE_STATE_<NAME>`.
    pub fn name(self) -> &'static str {
        match self {
            PackageState::InProgress => "PACKAGE_STATE_IN_PROGRESS",
            PackageState::ActiveComplete => "PACKAGE_STATE_ACTIVE_COMPLETE",
            PackageState::ExpiredComplete => "PACKAGE_STATE_EXPIRED_COMPLETE",
            PackageState::DeletedComplete => "PACKAGE_STATE_DELETED_COMPLETE",
            PackageState::DeletedIncomplete => "PACKAGE_STATE_DELETED_INCOMPLETE",
        }
    }

    /// The numeric id of SF-18.
    pub fn number(self) -> i64 {
        match self {
            PackageState::InProgress => 0,
            PackageState::ActiveComplete => 3,
            PackageState::ExpiredComplete => 2,
            PackageState::DeletedComplete => -1,
            PackageState::DeletedIncomplete => -3,
        }
    }

    pub fn is_deleted(self) -> bool {
        matches!(
            self,
            PackageState::DeletedComplete | PackageState::DeletedIncomplete
        )
    }
}

/// A recipient's phone number (SMS verification).
#[derive(Debug, Clone, PartialEq)]
pub struct Phone {
    pub number: String,
    /// ISO-2 code or `OTHER`, as sent.
    pub country: String,
    /// The dialing code (`1` for US), 0 when unknown.
    pub dial: i64,
}

/// A recipient of a package.
#[derive(Debug, Clone, PartialEq)]
pub struct Recipient {
    pub id: String,
    pub email: String,
    pub phones: Vec<Phone>,
    pub role: Option<String>,
}

/// A stored segment.
#[derive(Debug, Clone, PartialEq)]
pub struct Segment {
    pub len: u64,
    pub sha256: String,
}

/// A file of a package.
#[derive(Debug, Clone, PartialEq)]
pub struct FileEntry {
    pub id: String,
    pub name: String,
    pub size: u64,
    pub parts: u32,
    pub directory_id: Option<String>,
    pub created_by: String,
    pub segments: BTreeMap<u32, Segment>,
    pub created: DateTime<Utc>,
    /// Whether its segments were deleted, [`FILE_RETENTION_DAYS`] after the package expired.
    pub discarded: bool,
}

impl FileEntry {
    /// Whether every part 1..=parts is stored.
    pub fn uploaded(&self) -> bool {
        (1..=self.parts).all(|p| self.segments.contains_key(&p))
    }
}

/// A workspace directory (§6.11).
#[derive(Debug, Clone, PartialEq)]
pub struct Directory {
    pub id: String,
    pub name: String,
    /// `None` for the root.
    pub parent: Option<String>,
    pub created: DateTime<Utc>,
}

/// One entry of a package's activity log (S36).
#[derive(Debug, Clone, PartialEq)]
pub struct Event {
    pub at: DateTime<Utc>,
    pub user: String,
    pub action: String,
    pub details: String,
}

/// A package (§10.2).
#[derive(Debug, Clone)]
pub struct Package {
    pub id: String,
    pub code: String,
    pub server_secret: String,
    pub owner: String,
    pub vdr: bool,
    pub label: String,
    pub life: i64,
    pub state: PackageState,
    pub created: DateTime<Utc>,
    pub finalized: Option<DateTime<Utc>>,
    pub recipients: Vec<Recipient>,
    pub files: Vec<FileEntry>,
    pub message: Option<String>,
    /// publicKeyId → armored wrapped keycode.
    pub links: BTreeMap<String, String>,
    pub checksum: Option<String>,
    pub expected_keycode: Option<String>,
    pub root_directory_id: String,
    /// Users who resolved the package by its packageCode (they may read it).
    pub resolved_by: BTreeSet<String>,
    /// Keycodes received through S31 (notify).
    pub notified: Vec<String>,
    /// Directories by id, the root included.
    pub directories: BTreeMap<String, Directory>,
    /// The activity log, oldest first.
    pub events: Vec<Event>,
}

impl Package {
    /// Moves an active package to expired once `life` days have passed (emulated clock), and
    /// forgets its segments [`FILE_RETENTION_DAYS`] later. Returns whether it just forgot them
    /// (the caller deletes them on disk: [`Store::refresh_all`]).
    pub fn refresh(&mut self, now: DateTime<Utc>) -> bool {
        let Some(expires) = self
            .finalized
            .filter(|_| self.life > 0)
            .map(|at| at + chrono::Duration::days(self.life))
        else {
            return false;
        };
        if self.state == PackageState::ActiveComplete && now >= expires {
            self.state = PackageState::ExpiredComplete;
        }
        let deleted = expires + chrono::Duration::days(FILE_RETENTION_DAYS);
        if self.state != PackageState::ExpiredComplete
            || now < deleted
            || self.files.iter().all(|f| f.discarded)
        {
            return false;
        }
        for file in &mut self.files {
            file.segments.clear();
            file.discarded = true;
        }
        true
    }

    /// Whether `email` may read the package: its owner, a recipient, or a user who resolved
    /// it by packageCode.
    pub fn readable_by(&self, email: &str) -> bool {
        self.owner == email
            || self
                .recipients
                .iter()
                .any(|r| r.email.eq_ignore_ascii_case(email))
            || self.resolved_by.contains(email)
    }

    pub fn file_mut(&mut self, id: &str) -> Option<&mut FileEntry> {
        self.files.iter_mut().find(|f| f.id == id)
    }

    /// Records an activity-log entry.
    pub fn log(&mut self, at: DateTime<Utc>, user: &str, action: &str, details: String) {
        self.events.push(Event {
            at,
            user: user.to_string(),
            action: action.to_string(),
            details,
        });
    }

    /// Whether `dir` is `ancestor` or below it.
    pub fn is_within(&self, dir: &str, ancestor: &str) -> bool {
        let mut current = Some(dir.to_string());
        while let Some(d) = current {
            if d == ancestor {
                return true;
            }
            current = self.directories.get(&d).and_then(|x| x.parent.clone());
        }
        false
    }
}

/// A trusted-device public key.
#[derive(Debug, Clone, PartialEq)]
pub struct TrustedKey {
    pub id: String,
    pub owner: String,
    pub key: String,
    pub description: String,
}

/// Which way a storage URL goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Upload,
    Download,
}

/// What a storage URL token is bound to (§10.5).
#[derive(Debug, Clone, PartialEq)]
pub struct StorageToken {
    pub package_id: String,
    pub file_id: String,
    pub part: u32,
    pub direction: Direction,
    pub expires: DateTime<Utc>,
}

/// Everything the service keeps.
#[derive(Debug)]
pub struct Store {
    pub users: Vec<User>,
    pub keys: Vec<TrustedKey>,
    pub packages: BTreeMap<String, Package>,
    pub tokens: HashMap<String, StorageToken>,
    /// Signatures accepted, with the time they were seen (host clock).
    pub seen_signatures: HashMap<String, DateTime<Utc>>,
    /// Where segments are written.
    pub dir: PathBuf,
    next_id: u64,
}

/// `n` random bytes (from v4 UUIDs: the OS generator).
pub fn random_bytes(n: usize) -> Vec<u8> {
    let mut out = Vec::with_capacity(n + 16);
    while out.len() < n {
        out.extend_from_slice(uuid::Uuid::new_v4().as_bytes());
    }
    out.truncate(n);
    out
}

/// Base64url without padding.
pub fn base64url(bytes: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..=chunk.len() {
            out.push(A[((n >> (18 - 6 * i)) & 63) as usize] as char);
        }
    }
    out
}

/// `n` characters of `alphabet`, at random.
fn random_string(alphabet: &[u8], n: usize) -> String {
    random_bytes(n * 2)
        .chunks(2)
        .map(|c| {
            let v = (usize::from(c[0]) << 8) | usize::from(c[1]);
            alphabet[v % alphabet.len()] as char
        })
        .collect()
}

const UPPER_ALNUM: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";
const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

impl Store {
    /// A fresh store for the configuration's users; segments go under `data_dir/sendsafely`.
    pub fn new(config: &Config, data_dir: &Path) -> Store {
        Store {
            users: config.users.clone(),
            keys: vec![],
            packages: BTreeMap::new(),
            tokens: HashMap::new(),
            seen_signatures: HashMap::new(),
            dir: data_dir.join("sendsafely"),
            next_id: 1,
        }
    }

    /// Refreshes every package (expiry, file deletion) and deletes on disk the segments of
    /// those whose files were just deleted.
    pub fn refresh_all(&mut self, now: DateTime<Utc>) {
        let discarded: Vec<String> = self
            .packages
            .values_mut()
            .filter_map(|p| p.refresh(now).then(|| p.id.clone()))
            .collect();
        for id in discarded {
            let _ = std::fs::remove_dir_all(self.package_dir(&id));
        }
    }

    /// How many packages `owner` has that are not deleted (the package quota).
    pub fn packages_owned(&self, owner: &str) -> usize {
        self.packages
            .values()
            .filter(|p| p.owner == owner && !p.state.is_deleted())
            .count()
    }

    /// Notes a signature; false if it was seen within `window_s` (a replay).
    pub fn note_signature(&mut self, signature: &str, now: DateTime<Utc>, window_s: i64) -> bool {
        self.seen_signatures
            .retain(|_, at| (now - *at).num_seconds() <= window_s.saturating_mul(2));
        self.seen_signatures
            .insert(signature.to_string(), now)
            .is_none()
    }

    /// A fresh id with a prefix, unique in this store.
    pub fn new_id(&mut self, prefix: &str) -> String {
        let n = self.next_id;
        self.next_id += 1;
        format!("{prefix}{n:04}-{}", random_string(UPPER_ALNUM, 4))
    }

    /// A new package owned by `owner`.
    pub fn create_package(
        &mut self,
        owner: &str,
        vdr: bool,
        life: i64,
        now: DateTime<Utc>,
    ) -> &Package {
        let id = loop {
            let id = format!(
                "{}-{}",
                random_string(UPPER_ALNUM, 4),
                random_string(UPPER_ALNUM, 4)
            );
            if !self.packages.contains_key(&id) {
                break id;
            }
        };
        let root = self.new_id("dir-");
        let package = Package {
            id: id.clone(),
            code: base64url(&random_bytes(32)),
            server_secret: random_string(ALNUM, 34),
            owner: owner.to_string(),
            vdr,
            label: String::new(),
            life,
            state: PackageState::InProgress,
            created: now,
            finalized: None,
            recipients: vec![],
            files: vec![],
            message: None,
            links: BTreeMap::new(),
            checksum: None,
            expected_keycode: None,
            root_directory_id: root,
            resolved_by: BTreeSet::new(),
            notified: vec![],
            directories: BTreeMap::new(),
            events: vec![],
        };
        let mut package = package;
        package.directories.insert(
            package.root_directory_id.clone(),
            Directory {
                id: package.root_directory_id.clone(),
                name: "root".into(),
                parent: None,
                created: now,
            },
        );
        self.packages.insert(id.clone(), package);
        &self.packages[&id]
    }

    /// The id of the package named by `id_or_code` (packageId or packageCode).
    pub fn resolve(&self, id_or_code: &str) -> Option<String> {
        if self.packages.contains_key(id_or_code) {
            return Some(id_or_code.to_string());
        }
        self.packages
            .values()
            .find(|p| p.code == id_or_code)
            .map(|p| p.id.clone())
    }

    /// The directory of a package's segments.
    pub fn package_dir(&self, package_id: &str) -> PathBuf {
        self.dir.join(package_id)
    }

    /// The file of one stored segment.
    pub fn segment_path(&self, package_id: &str, file_id: &str, part: u32) -> PathBuf {
        self.dir
            .join(package_id)
            .join(file_id)
            .join(part.to_string())
    }

    /// The trusted-device keys of `email`.
    pub fn keys_of(&self, email: &str) -> Vec<&TrustedKey> {
        self.keys
            .iter()
            .filter(|k| k.owner.eq_ignore_ascii_case(email))
            .collect()
    }

    /// A new storage token.
    pub fn new_token(&mut self, token: StorageToken) -> String {
        let id = hex::encode(random_bytes(24));
        self.tokens.insert(id.clone(), token);
        id
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issued_values_have_the_spec_forms() {
        assert_eq!(base64url(b""), "");
        assert_eq!(base64url(b"f"), "Zg");
        assert_eq!(base64url(b"fo"), "Zm8");
        assert_eq!(base64url(b"foo"), "Zm9v");
        assert_eq!(base64url(&[0xfb, 0xff]), "-_8");
        let code = base64url(&random_bytes(32));
        assert_eq!(code.len(), 43);
        let mut store = Store::new(&Config::demo(), Path::new("/nonexistent"));
        let p = store
            .create_package("demo@acme.example", false, 10, Utc::now())
            .clone();
        assert_eq!(p.id.len(), 9);
        assert_eq!(&p.id[4..5], "-");
        assert_eq!(p.server_secret.len(), 34);
        assert!(p.server_secret.bytes().all(|b| b.is_ascii_alphanumeric()));
        assert!(p
            .code
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
        assert_eq!(store.resolve(&p.code), Some(p.id.clone()));
    }
}
