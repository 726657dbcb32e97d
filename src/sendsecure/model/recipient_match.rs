//! A result of the recipient search (spec §7.13), as the server returns it. Field names are the
//! wire names.
#![allow(missing_docs)]

use super::decode::{object, required_int, required_text, text};
use crate::transport::error::Result;
use serde_json::Value;

/// A result of the recipient search (spec §7.13).
#[derive(Debug, Clone)]
pub struct RecipientMatch {
    pub id: i64,
    /// `favorite` or `user`.
    pub kind: String,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub company_name: String,
}

impl RecipientMatch {
    /// Reads a search result: it must have an `id` and an `email`; `Error::Decode` otherwise.
    pub fn from_json(v: &Value) -> Result<RecipientMatch> {
        RecipientMatch::decode(v, "the search result")
    }

    /// Reads a search result; `what` names it in errors.
    pub(crate) fn decode(v: &Value, what: &str) -> Result<RecipientMatch> {
        let obj = object(v, what)?;
        Ok(RecipientMatch {
            id: required_int(obj, "id", what)?,
            kind: text(obj, "type"),
            email: required_text(obj, "email", what)?,
            first_name: text(obj, "first_name"),
            last_name: text(obj, "last_name"),
            company_name: text(obj, "company_name"),
        })
    }
}
