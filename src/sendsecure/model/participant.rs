//! A participant of an existing SafeBox and its stored phone numbers (spec §7.4), as the server
//! returns them; `raw` keeps the JSON for fields not typed here. Field names are the wire names.
#![allow(missing_docs)]

use super::decode::{
    fail, flag, int, object, opt_text, optional_int, optional_list, optional_object,
    required_id_text, required_text, text,
};
use crate::transport::error::Result;
use serde_json::{Map, Value};

/// A stored contact method (with its id).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavedContactMethod {
    pub id: i64,
    pub destination: String,
    pub destination_type: String,
}

impl SavedContactMethod {
    /// Reads a contact method object; `what` names it in errors. It needs an `id` or a
    /// `destination` (spec G-26 answers ids alone, G-78 destinations alone).
    pub(crate) fn decode(v: &Value, what: &str) -> Result<SavedContactMethod> {
        let obj = object(v, what)?;
        let id = optional_int(obj, "id", what)?;
        let destination = opt_text(obj, "destination");
        if id.is_none() && destination.is_none() {
            return Err(fail(format!("{what} has neither `id` nor `destination`")));
        }
        Ok(SavedContactMethod {
            id: id.unwrap_or(0),
            destination: destination.unwrap_or_default(),
            destination_type: text(obj, "destination_type"),
        })
    }

    /// The contact methods of `list` in `obj` (missing or null: none).
    pub(super) fn decode_list(
        obj: &Map<String, Value>,
        what: &str,
    ) -> Result<Vec<SavedContactMethod>> {
        optional_list(obj, "contact_methods", what, "contact method")?
            .into_iter()
            .map(|(place, v)| SavedContactMethod::decode(v, &place))
            .collect()
    }
}

/// A participant of a SafeBox (spec §7.4).
#[derive(Debug, Clone)]
pub struct Participant {
    /// 32-hex id for guests, the user id (as text) for the owner.
    pub id: String,
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    /// `guest` or `user`.
    pub kind: String,
    /// `guest` or `owner`.
    pub role: String,
    pub company_name: String,
    pub locked: bool,
    pub privileged: bool,
    pub contact_methods: Vec<SavedContactMethod>,
    pub message_read_count: i64,
    pub message_total_count: i64,
    pub raw: Value,
}

impl Participant {
    /// Reads a participant object: it must have an `id` (text or an integer); `Error::Decode`
    /// otherwise.
    pub fn from_json(raw: Value) -> Result<Participant> {
        Participant::decode(raw, "the participant", false)
    }

    /// Reads a participant object; `what` names it in errors. `with_email`: the `email` is
    /// required too (E14–E16 answers always have it; E29's participants may not, spec G-65).
    pub(crate) fn decode(raw: Value, what: &str, with_email: bool) -> Result<Participant> {
        let obj = object(&raw, what)?;
        let id = required_id_text(obj, "id", what)?;
        let email = if with_email {
            required_text(obj, "email", what)?
        } else {
            text(obj, "email")
        };
        let guest_what = format!("the `guest_options` of {what}");
        let (company_name, locked, contact_methods) =
            match optional_object(obj, "guest_options", what)? {
                Some(guest) => (
                    text(guest, "company_name"),
                    flag(guest, "locked"),
                    SavedContactMethod::decode_list(guest, &guest_what)?,
                ),
                None => (String::new(), false, vec![]),
            };
        Ok(Participant {
            id,
            email,
            first_name: text(obj, "first_name"),
            last_name: text(obj, "last_name"),
            kind: text(obj, "type"),
            role: text(obj, "role"),
            company_name,
            locked,
            privileged: flag(obj, "privileged"),
            contact_methods,
            message_read_count: int(obj, "message_read_count"),
            message_total_count: int(obj, "message_total_count"),
            raw,
        })
    }
}
