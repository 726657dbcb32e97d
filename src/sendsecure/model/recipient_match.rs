//! A result of the recipient search (spec §7.13), as the server returns it. Field names are the
//! wire names.
#![allow(missing_docs)]

use crate::transport::error::Result;
use crate::transport::json_fields::{object, required_int, required_text, text};
use serde_json::Value;

read_model! {
    /// A result of the recipient search (spec §7.13).
    #[derive(Debug, Clone)]
    pub struct RecipientMatch {
        id: i64 = required_int(obj, "id", what)?,
        /// `favorite` or `user`.
        kind: String = text(obj, "type"),
        email: String = required_text(obj, "email", what)?,
        first_name: String = text(obj, "first_name"),
        last_name: String = text(obj, "last_name"),
        company_name: String = text(obj, "company_name"),
    }
    /// Reads a search result; `what` names it in errors.
    pub(crate) fn decode(v: &Value, what: &str) {
        let obj = object(v, what)?;
    }
}

impl RecipientMatch {
    /// Reads a search result: it must have an `id` and an `email`; `Error::Decode` otherwise.
    pub fn from_json(v: &Value) -> Result<RecipientMatch> {
        RecipientMatch::decode(v, "the search result")
    }
}
