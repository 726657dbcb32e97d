//! What to set on a favorite or a participant when it is created or changed.
#![allow(missing_docs)]

use super::safebox::{ContactMethod, DestinationType};
use serde_json::{json, Map, Value};

/// What to set on a favorite or a participant: absent fields are left as they are on update.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContactEdit {
    /// Required on creation.
    pub email: Option<String>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    pub company_name: Option<String>,
    /// Participants only.
    pub locked: Option<bool>,
    /// Participants only.
    pub privileged: Option<bool>,
    /// Favorites only.
    pub order_number: Option<i64>,
    /// Favorites only: the favorite is made privileged whenever added to a SafeBox.
    pub always_promote: Option<bool>,
    /// Phone numbers to add.
    pub add_contact_methods: Vec<ContactMethod>,
    /// Ids of stored phone numbers to remove.
    pub remove_contact_methods: Vec<i64>,
}

impl ContactEdit {
    /// The request object (`favorite` or `participant` body), `_destroy` as the Python SDK
    /// sends it.
    pub fn to_json(&self) -> Map<String, Value> {
        let mut obj = Map::new();
        for (k, v) in [
            ("email", &self.email),
            ("first_name", &self.first_name),
            ("last_name", &self.last_name),
            ("company_name", &self.company_name),
        ] {
            if let Some(v) = v {
                obj.insert(k.into(), json!(v));
            }
        }
        for (k, v) in [
            ("locked", self.locked),
            ("privileged", self.privileged),
            ("always_promote", self.always_promote),
        ] {
            if let Some(v) = v {
                obj.insert(k.into(), json!(v));
            }
        }
        if let Some(n) = self.order_number {
            obj.insert("order_number".into(), json!(n));
        }
        let mut methods: Vec<Value> = self
            .add_contact_methods
            .iter()
            .map(|c| json!({"destination": c.destination, "destination_type": c.destination_type.as_str()}))
            .collect();
        methods.extend(
            self.remove_contact_methods
                .iter()
                .map(|id| json!({"id": id, "_destroy": true})),
        );
        if !methods.is_empty() {
            obj.insert("contact_methods".into(), Value::Array(methods));
        }
        obj
    }

    /// A phone number to add.
    pub fn add_phone(&mut self, destination: &str, destination_type: DestinationType) {
        self.add_contact_methods.push(ContactMethod {
            destination: destination.to_string(),
            destination_type,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits_add_and_destroy_contact_methods() {
        let mut edit = ContactEdit {
            email: Some("a@b.c".into()),
            ..ContactEdit::default()
        };
        edit.add_phone("+1555", DestinationType::Home);
        edit.remove_contact_methods.push(7);
        let v = Value::Object(edit.to_json());
        assert_eq!(v["contact_methods"][0]["destination_type"], "home_phone");
        assert_eq!(v["contact_methods"][1], json!({"id": 7, "_destroy": true}));
        assert!(v.get("first_name").is_none());
    }
}
