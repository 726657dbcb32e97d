//! A consent message group (spec §7.12): the consent text a guest accepts, per locale.
#![allow(missing_docs)]

use crate::transport::error::Result;
use crate::transport::json_fields::{
    object, optional_list, required_int, required_string, required_text, text,
};
use serde_json::Value;

read_model! {
    /// A consent message group (spec §7.12): the consent text per locale.
    #[derive(Debug, Clone)]
    pub struct ConsentGroup {
        id: i64 = id,
        name: String = text(obj, "name"),
        /// `(locale, text)` pairs.
        messages: Vec<(String, String)> = messages,
        raw: Value = raw,
    }
    /// Reads a consent group object; `what` names it in errors.
    pub(crate) fn decode(raw: Value, what: &str) {
        let obj = object(&raw, what)?;
        let id = required_int(obj, "id", what)?;
        let messages = optional_list(obj, "consent_messages", what, "consent message")?
            .into_iter()
            .map(|(place, m)| {
                let m = object(m, &place)?;
                Ok((
                    required_text(m, "locale", &place)?,
                    required_string(m, "value", &place)?,
                ))
            })
            .collect::<Result<Vec<_>>>()?;
    }
}

impl ConsentGroup {
    /// Reads the `consent_message_group` object: it must have an `id`, and each of its consent
    /// messages a `locale` and a `value`; `Error::Decode` otherwise.
    pub fn from_json(raw: Value) -> Result<ConsentGroup> {
        ConsentGroup::decode(raw, "the consent group")
    }
}
