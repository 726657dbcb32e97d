//! A message of an existing SafeBox and the documents attached to it (spec §7.7), as the server
//! returns them; `raw` keeps the JSON. Field names are the wire names.
#![allow(missing_docs)]

use super::decode::{
    flag, int, lenient_id_text, object, optional_int, optional_list, required_id_text, text,
};
use crate::transport::error::Result;
use serde_json::Value;

/// A document attached to a message (spec §7.7).
#[derive(Debug, Clone)]
pub struct Document {
    pub id: String,
    pub name: String,
    /// SHA-256, hex.
    pub sha: String,
    pub size: u64,
    pub url: String,
}

/// A message of a SafeBox (spec §7.7).
#[derive(Debug, Clone)]
pub struct Message {
    pub id: i64,
    pub note: String,
    pub read: bool,
    pub author_id: String,
    pub author_type: String,
    pub created_at: String,
    pub documents: Vec<Document>,
    pub raw: Value,
}

impl Document {
    /// Reads a document object; `what` names it in errors. It must have an `id`.
    pub(crate) fn decode(v: &Value, what: &str) -> Result<Document> {
        let obj = object(v, what)?;
        Ok(Document {
            id: required_id_text(obj, "id", what)?,
            name: text(obj, "name"),
            sha: text(obj, "sha"),
            size: u64::try_from(int(obj, "size")).unwrap_or(0),
            url: text(obj, "url"),
        })
    }
}

impl Message {
    /// Reads a message object (its `id` is optional: the spec's list fixtures have none);
    /// `Error::Decode` when it is not an object or its documents are malformed.
    pub fn from_json(raw: Value) -> Result<Message> {
        Message::decode(raw, "the message")
    }

    /// Reads a message object; `what` names it in errors.
    pub(crate) fn decode(raw: Value, what: &str) -> Result<Message> {
        let obj = object(&raw, what)?;
        let documents = optional_list(obj, "documents", what, "document")?
            .into_iter()
            .map(|(place, d)| Document::decode(d, &place))
            .collect::<Result<Vec<_>>>()?;
        Ok(Message {
            id: optional_int(obj, "id", what)?.unwrap_or(0),
            note: text(obj, "note"),
            read: flag(obj, "read"),
            author_id: lenient_id_text(obj, "author_id"),
            author_type: text(obj, "author_type"),
            created_at: text(obj, "created_at"),
            documents,
            raw,
        })
    }
}
