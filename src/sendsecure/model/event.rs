//! An entry of a SafeBox's event history (spec §7.9), as the server returns it. Field names are
//! the wire names.
#![allow(missing_docs)]

use super::decode::{object, required_text, text};
use crate::transport::error::Result;
use serde_json::Value;

/// An entry of the event history (spec §7.9).
#[derive(Debug, Clone)]
pub struct Event {
    pub kind: String,
    pub date: String,
    pub message: String,
    pub metadata: Value,
}

impl Event {
    /// Reads an event object: it must have a `type`; `Error::Decode` otherwise.
    pub fn from_json(v: &Value) -> Result<Event> {
        Event::decode(v, "the event")
    }

    /// Reads an event object; `what` names it in errors. Only `type` is required: a malformed
    /// `date` reads as empty (spec §7.9).
    pub(crate) fn decode(v: &Value, what: &str) -> Result<Event> {
        let obj = object(v, what)?;
        Ok(Event {
            kind: required_text(obj, "type", what)?,
            date: text(obj, "date"),
            message: text(obj, "message"),
            metadata: obj.get("metadata").cloned().unwrap_or(Value::Null),
        })
    }
}
