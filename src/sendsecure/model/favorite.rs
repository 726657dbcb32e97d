//! A user's favorite contact (spec §7.6), as the server returns it. Field names are the wire
//! names.
#![allow(missing_docs)]

use super::*;
use crate::transport::error::Result;
use crate::transport::json_fields::{
    fail, flag, int, object, optional_int, required_int, required_text, text,
};
use serde_json::Value;

read_model! {
    /// A user's favorite contact (spec §7.6).
    #[derive(Debug, Clone)]
    pub struct Favorite {
        id: i64 = id.unwrap_or(0),
        email: String = email,
        first_name: String = text(obj, "first_name"),
        last_name: String = text(obj, "last_name"),
        company_name: String = text(obj, "company_name"),
        order_number: i64 = int(obj, "order_number"),
        /// Made a privileged participant whenever added to a SafeBox.
        always_promote: bool = flag(obj, "always_promote"),
        contact_methods: Vec<SavedContactMethod> = SavedContactMethod::decode_list(obj, what)?,
        raw: Value = raw,
    }
    /// Reads a favorite object; `what` names it in errors. `with_id`: the `id` is required
    /// (E8–E9 answers always have it); otherwise an `id` or an `email` is (the E7 list fixture,
    /// spec G-20, has e-mails without ids).
    pub(crate) fn decode(raw: Value, what: &str, with_id: bool) {
        let obj = object(&raw, what)?;
        let id = if with_id {
            Some(required_int(obj, "id", what)?)
        } else {
            optional_int(obj, "id", what)?
        };
        let email = if id.is_none() {
            required_text(obj, "email", what)
                .map_err(|_| fail(format!("{what} has neither `id` nor `email`")))?
        } else {
            text(obj, "email")
        };
    }
}

impl Favorite {
    /// Reads a favorite object: it must have an `id` or an `email`; `Error::Decode` otherwise.
    pub fn from_json(raw: Value) -> Result<Favorite> {
        Favorite::decode(raw, "the favorite", false)
    }
}
