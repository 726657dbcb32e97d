//! A message of an existing SafeBox and the documents attached to it (spec §7.7), as the server
//! returns them; `raw` keeps the JSON. Field names are the wire names.
#![allow(missing_docs)]

use crate::transport::error::Result;
use crate::transport::json_fields::{
    flag, int, lenient_id_text, object, optional_int, optional_list, required_id_text, text,
};
use serde_json::Value;

read_model! {
    /// A document attached to a message (spec §7.7).
    #[derive(Debug, Clone)]
    pub struct Document {
        id: String = required_id_text(obj, "id", what)?,
        name: String = text(obj, "name"),
        /// SHA-256, hex.
        sha: String = text(obj, "sha"),
        size: u64 = u64::try_from(int(obj, "size")).unwrap_or(0),
        url: String = text(obj, "url"),
    }
    /// Reads a document object; `what` names it in errors. It must have an `id`.
    pub(crate) fn decode(v: &Value, what: &str) {
        let obj = object(v, what)?;
    }
}

read_model! {
    /// A message of a SafeBox (spec §7.7).
    #[derive(Debug, Clone)]
    pub struct Message {
        id: i64 = optional_int(obj, "id", what)?.unwrap_or(0),
        note: String = text(obj, "note"),
        read: bool = flag(obj, "read"),
        author_id: String = lenient_id_text(obj, "author_id"),
        author_type: String = text(obj, "author_type"),
        created_at: String = text(obj, "created_at"),
        documents: Vec<Document> = documents,
        raw: Value = raw,
    }
    /// Reads a message object; `what` names it in errors.
    pub(crate) fn decode(raw: Value, what: &str) {
        let obj = object(&raw, what)?;
        let documents = optional_list(obj, "documents", what, "document")?
            .into_iter()
            .map(|(place, d)| Document::decode(d, &place))
            .collect::<Result<Vec<_>>>()?;
    }
}

impl Message {
    /// Reads a message object (its `id` is optional: the spec's list fixtures have none);
    /// `Error::Decode` when it is not an object or its documents are malformed.
    pub fn from_json(raw: Value) -> Result<Message> {
        Message::decode(raw, "the message")
    }
}
