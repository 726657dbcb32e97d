//! SendSafely's state: users (from the configuration and the control API) and the signatures
//! seen (replay detection, when configured).

use crate::sendsafely::config::{Config, User};
use chrono::{DateTime, Utc};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Everything the service keeps.
#[derive(Debug)]
pub struct Store {
    pub users: Vec<User>,
    /// Signatures accepted, with the time they were seen (host clock).
    pub seen_signatures: HashMap<String, DateTime<Utc>>,
    /// Where segments are written.
    pub dir: PathBuf,
}

impl Store {
    /// A fresh store for the configuration's users; segments go under `data_dir/sendsafely`.
    pub fn new(config: &Config, data_dir: &Path) -> Store {
        Store {
            users: config.users.clone(),
            seen_signatures: HashMap::new(),
            dir: data_dir.join("sendsafely"),
        }
    }

    /// Notes a signature; false if it was seen within `window_s` (a replay).
    pub fn note_signature(&mut self, signature: &str, now: DateTime<Utc>, window_s: i64) -> bool {
        self.seen_signatures
            .retain(|_, at| (now - *at).num_seconds() <= window_s.saturating_mul(2));
        self.seen_signatures
            .insert(signature.to_string(), now)
            .is_none()
    }
}
