//! A user's favorite contacts (E7–E10).

use super::contact::{ContactMethod, Person};
use serde_json::{json, Value};

/// One favorite of a user.
#[derive(Debug, Clone)]
pub struct Favorite {
    pub id: i64,
    pub person: Person,
    pub order_number: i64,
    pub always_promote: bool,
    pub created_at: String,
    pub updated_at: String,
    pub contact_methods: Vec<ContactMethod>,
}

impl Favorite {
    /// The wire representation (spec §7.6).
    pub fn to_json(&self) -> Value {
        json!({
            "id": self.id,
            "email": self.person.email,
            "first_name": self.person.first_name,
            "last_name": self.person.last_name,
            "company_name": self.person.company_name,
            "order_number": self.order_number,
            "always_promote": self.always_promote,
            "created_at": self.created_at,
            "updated_at": self.updated_at,
            "contact_methods": self.contact_methods.iter().map(|c| c.to_json(true)).collect::<Vec<_>>(),
        })
    }
}
