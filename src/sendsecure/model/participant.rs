//! A participant of an existing SafeBox and its stored phone numbers (spec §7.4), as the server
//! returns them; `raw` keeps the JSON for fields not typed here. Field names are the wire names.
#![allow(missing_docs)]

use crate::transport::error::Result;
use crate::transport::json_fields::{
    fail, flag, int, object, opt_text, optional_int, optional_list, optional_object,
    required_id_text, required_text, text,
};
use serde_json::{Map, Value};

read_model! {
    /// A stored contact method (with its id).
    #[derive(Debug, Clone, PartialEq, Eq)]
    pub struct SavedContactMethod {
        id: i64 = id.unwrap_or(0),
        destination: String = destination.unwrap_or_default(),
        destination_type: String = text(obj, "destination_type"),
    }
    /// Reads a contact method object; `what` names it in errors. It needs an `id` or a
    /// `destination` (spec G-26 answers ids alone, G-78 destinations alone).
    pub(crate) fn decode(v: &Value, what: &str) {
        let obj = object(v, what)?;
        let id = optional_int(obj, "id", what)?;
        let destination = opt_text(obj, "destination");
        if id.is_none() && destination.is_none() {
            return Err(fail(format!("{what} has neither `id` nor `destination`")));
        }
    }
}

impl SavedContactMethod {
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

read_model! {
    /// A participant of a SafeBox (spec §7.4).
    #[derive(Debug, Clone)]
    pub struct Participant {
        /// 32-hex id for guests, the user id (as text) for the owner.
        id: String = id,
        email: String = email,
        first_name: String = text(obj, "first_name"),
        last_name: String = text(obj, "last_name"),
        /// `guest` or `user`.
        kind: String = text(obj, "type"),
        /// `guest` or `owner`.
        role: String = text(obj, "role"),
        company_name: String = company_name,
        locked: bool = locked,
        privileged: bool = flag(obj, "privileged"),
        contact_methods: Vec<SavedContactMethod> = contact_methods,
        message_read_count: i64 = int(obj, "message_read_count"),
        message_total_count: i64 = int(obj, "message_total_count"),
        raw: Value = raw,
    }
    /// Reads a participant object; `what` names it in errors. `with_email`: the `email` is
    /// required too (E14–E16 answers always have it; E29's participants may not, spec G-65).
    pub(crate) fn decode(raw: Value, what: &str, with_email: bool) {
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
    }
}

impl Participant {
    /// Reads a participant object: it must have an `id` (text or an integer); `Error::Decode`
    /// otherwise.
    pub fn from_json(raw: Value) -> Result<Participant> {
        Participant::decode(raw, "the participant", false)
    }
}
