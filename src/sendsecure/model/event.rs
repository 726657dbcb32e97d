//! An entry of a SafeBox's event history (spec §7.9), as the server returns it. Field names are
//! the wire names.
#![allow(missing_docs)]

use crate::transport::error::Result;
use crate::transport::json_fields::{object, required_text, text};
use serde_json::Value;

read_model! {
    /// An entry of the event history (spec §7.9).
    #[derive(Debug, Clone)]
    pub struct Event {
        kind: String = required_text(obj, "type", what)?,
        date: String = text(obj, "date"),
        message: String = text(obj, "message"),
        metadata: Value = obj.get("metadata").cloned().unwrap_or(Value::Null),
    }
    /// Reads an event object; `what` names it in errors. Only `type` is required: a malformed
    /// `date` reads as empty (spec §7.9).
    pub(crate) fn decode(v: &Value, what: &str) {
        let obj = object(v, what)?;
    }
}

impl Event {
    /// Reads an event object: it must have a `type`; `Error::Decode` otherwise.
    pub fn from_json(v: &Value) -> Result<Event> {
        Event::decode(v, "the event")
    }
}
