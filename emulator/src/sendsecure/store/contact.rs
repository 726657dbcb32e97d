//! What favorites and guest participants share: a person's name and e-mail, and phone contact
//! methods edited with Rails nested-attribute semantics (`id` to update, `_destroy` to remove).

use crate::sendsecure::error::{ApiError, ApiResult};
use crate::sendsecure::json_input::{opt_str, truthy};
use serde_json::{json, Map, Value};

/// The destination types of spec §8.
pub const DESTINATION_TYPES: [&str; 4] =
    ["home_phone", "cell_phone", "office_phone", "other_phone"];

/// A phone number of a favorite or a guest.
#[derive(Debug, Clone)]
pub struct ContactMethod {
    pub id: i64,
    pub destination: String,
    pub destination_type: String,
    pub created_at: String,
    pub updated_at: String,
}

impl ContactMethod {
    /// The wire representation; guests' methods carry `verified`.
    pub fn to_json(&self, with_verified: bool) -> Value {
        let mut v = json!({
            "id": self.id,
            "destination": self.destination,
            "destination_type": self.destination_type,
            "created_at": self.created_at,
            "updated_at": self.updated_at,
        });
        if with_verified {
            v["verified"] = json!(false);
        }
        v
    }
}

/// Name, company and e-mail of a favorite or a guest.
#[derive(Debug, Clone, Default)]
pub struct Person {
    pub email: String,
    pub first_name: String,
    pub last_name: String,
    pub company_name: String,
}

impl Person {
    /// Reads a person from a request object; on update, absent fields keep `base`'s values.
    pub fn read(obj: &Map<String, Value>, base: Option<&Person>) -> ApiResult<Person> {
        let base = base.cloned().unwrap_or_default();
        let person = Person {
            email: opt_str(obj, "email")?
                .unwrap_or(base.email)
                .trim()
                .to_string(),
            first_name: opt_str(obj, "first_name")?.unwrap_or(base.first_name),
            last_name: opt_str(obj, "last_name")?.unwrap_or(base.last_name),
            company_name: opt_str(obj, "company_name")?.unwrap_or(base.company_name),
        };
        validate_email(&person.email, "email")?;
        Ok(person)
    }
}

/// Refuses a blank or malformed e-mail address, naming `attribute`.
pub fn validate_email(email: &str, attribute: &str) -> ApiResult<()> {
    if email.trim().is_empty() {
        return Err(ApiError::invalid(attribute, "cannot be blank"));
    }
    let valid = email
        .split_once('@')
        .map(|(local, domain)| !local.is_empty() && domain.contains('.') && !domain.ends_with('.'))
        .unwrap_or(false);
    if valid && !email.chars().any(char::is_whitespace) {
        Ok(())
    } else {
        Err(ApiError::invalid(attribute, "is invalid"))
    }
}

/// Applies a request's `contact_methods` array to a list: entries with an `id` update (or, with
/// a truthy `_destroy`, remove) that method; entries without one are added. Methods the request
/// does not mention are kept. `next_id` hands out ids for new methods.
pub fn apply_contact_methods(
    list: &mut Vec<ContactMethod>,
    input: &[Value],
    now: &str,
    next_id: &mut dyn FnMut() -> i64,
) -> ApiResult<()> {
    let invalid = || ApiError::invalid("contact_methods", "is invalid");
    let mut result = list.clone();
    for entry in input {
        let obj = entry.as_object().ok_or_else(invalid)?;
        let destination = opt_str(obj, "destination").map_err(|_| invalid())?;
        let destination_type = opt_str(obj, "destination_type").map_err(|_| invalid())?;
        if let Some(t) = &destination_type {
            if !DESTINATION_TYPES.contains(&t.as_str()) {
                return Err(ApiError::invalid(
                    "contact_methods.destination_type",
                    "is invalid",
                ));
            }
        }
        let destroy = obj.get("_destroy").and_then(truthy).unwrap_or(false);
        match obj.get("id").filter(|v| !v.is_null()) {
            Some(id) => {
                let id = crate::sendsecure::json_input::as_i64(id).ok_or_else(invalid)?;
                let pos = result.iter().position(|c| c.id == id).ok_or_else(invalid)?;
                if destroy {
                    result.remove(pos);
                } else {
                    let method = &mut result[pos];
                    if let Some(d) = destination {
                        if d.trim().is_empty() {
                            return Err(ApiError::invalid(
                                "contact_methods.destination",
                                "cannot be blank",
                            ));
                        }
                        method.destination = d;
                    }
                    if let Some(t) = destination_type {
                        method.destination_type = t;
                    }
                    method.updated_at = now.to_string();
                }
            }
            None if destroy => {}
            None => {
                let destination =
                    destination
                        .filter(|d| !d.trim().is_empty())
                        .ok_or_else(|| {
                            ApiError::invalid("contact_methods.destination", "cannot be blank")
                        })?;
                let destination_type = destination_type.ok_or_else(|| {
                    ApiError::invalid("contact_methods.destination_type", "cannot be blank")
                })?;
                result.push(ContactMethod {
                    id: next_id(),
                    destination,
                    destination_type,
                    created_at: now.to_string(),
                    updated_at: now.to_string(),
                });
            }
        }
    }
    *list = result;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn method(id: i64) -> ContactMethod {
        ContactMethod {
            id,
            destination: format!("514-555-000{id}"),
            destination_type: "cell_phone".into(),
            created_at: "t".into(),
            updated_at: "t".into(),
        }
    }

    #[test]
    fn nested_attributes_add_update_and_destroy() {
        let mut list = vec![method(1), method(2)];
        let mut id = 10;
        let input = json!([
            {"id": 1, "_destroy": "1", "destination": "x", "destination_type": "cell_phone"},
            {"id": 2, "destination": "+1555"},
            {"destination": "+1666", "destination_type": "office_phone"}
        ]);
        apply_contact_methods(&mut list, input.as_array().unwrap(), "now", &mut || {
            id += 1;
            id
        })
        .unwrap();
        let ids: Vec<i64> = list.iter().map(|c| c.id).collect();
        assert_eq!(ids, vec![2, 11]);
        assert_eq!(list[0].destination, "+1555");
        assert_eq!(list[1].destination_type, "office_phone");
    }

    #[test]
    fn bad_entries_change_nothing() {
        let mut list = vec![method(1)];
        let bad_type = json!([{"destination": "1", "destination_type": "fax"}]);
        let unknown_id = json!([{"id": 99, "destination": "1"}]);
        for input in [bad_type, unknown_id] {
            let err = apply_contact_methods(&mut list, input.as_array().unwrap(), "now", &mut || 5);
            assert!(err.is_err());
            assert_eq!(list.len(), 1);
        }
    }

    #[test]
    fn emails_are_checked() {
        assert!(validate_email("a@b.co", "email").is_ok());
        assert_eq!(
            validate_email(" ", "email").unwrap_err(),
            ApiError::invalid("email", "cannot be blank")
        );
        assert!(validate_email("nobody", "email").is_err());
        assert!(validate_email("a b@c.d", "email").is_err());
    }
}
