//! A workspace's activity log (S36), ten records per page.

use crate::transport::error::Result;
use crate::transport::json_fields::{object, optional_int, optional_list, text};
use serde_json::Value;

/// The records the server gives per call.
pub const ACTIVITY_PAGE_SIZE: usize = 10;

/// One event of a workspace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActivityRecord {
    /// When it happened, as the server writes it.
    pub timestamp: String,
    /// Who did it.
    pub user_email: String,
    /// What was done (e.g. `DIRECTORY_CREATED`).
    pub action: String,
    /// What it was done to (a name, an id).
    pub details: String,
}

/// One page of the activity log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActivityPage {
    /// The records, newest first.
    pub records: Vec<ActivityRecord>,
    /// The `row_index` of the next page; the log is read to its end when a page has fewer
    /// than [`ACTIVITY_PAGE_SIZE`] records.
    pub next_row_index: u64,
}

impl ActivityPage {
    pub(crate) fn from_json(v: &Value, row_index: u64) -> Result<ActivityPage> {
        let what = "the activity log";
        let o = object(v, what)?;
        let records = optional_list(o, "records", what, "record")?
            .into_iter()
            .map(|(place, record)| {
                let r = object(record, &place)?;
                Ok(ActivityRecord {
                    timestamp: text(r, "timestamp"),
                    user_email: text(r, "userEmail"),
                    action: text(r, "action"),
                    details: text(r, "details"),
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let next = optional_int(o, "nextRowIndex", what)?
            .map(|n| n.max(0) as u64)
            .unwrap_or(row_index + records.len() as u64);
        Ok(ActivityPage {
            records,
            next_row_index: next,
        })
    }
}
