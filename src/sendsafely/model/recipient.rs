//! A recipient of a package (S11-S15, and the `recipients` of package information).

use crate::transport::error::Result;
use crate::transport::json_fields::{
    flag, object, optional_int, optional_list, present, required_id_text, text, Object,
};
use serde_json::Value;

/// A phone number a recipient verifies by SMS.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhoneNumber {
    /// The number as entered.
    pub number: String,
    /// The dialing code (1 for the US), when the server says.
    pub country_code: Option<i64>,
    /// The ISO-2 country (or `OTHER`), empty when the server does not say.
    pub country: String,
    /// Whether this number was the one last used.
    pub used_most_recently: bool,
}

/// A recipient.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recipient {
    /// The recipient's id in the package.
    pub recipient_id: String,
    /// The recipient's e-mail address.
    pub email: String,
    /// The recipient's name when the server knows it, else empty.
    pub full_name: String,
    /// Whether sending to this recipient waits for an approver (`approvalRequired` or
    /// `needsApproval`).
    pub needs_approval: bool,
    /// The recipient's role in a Workspace (`VIEWER`, `CONTRIBUTOR`, `MANAGER`, `OWNER`), empty
    /// when the server does not say.
    pub role_name: String,
    /// Whether the recipient must confirm a code sent by SMS.
    pub sms_auth: bool,
    /// The recipient's phone numbers.
    pub phone_numbers: Vec<PhoneNumber>,
    /// Whether the recipient has trusted-device keys to wrap the keycode to, when the server
    /// says (`checkForPublicKeys`).
    pub check_for_public_keys: Option<bool>,
}

impl PhoneNumber {
    fn from_json(v: &Value, what: &str) -> Result<PhoneNumber> {
        let o = object(v, what)?;
        Ok(PhoneNumber {
            number: text(o, "phonenumber"),
            country_code: optional_int(o, "countryCode", what)?,
            country: text(o, "country"),
            used_most_recently: flag(o, "wasUsedMostRecently"),
        })
    }
}

impl Recipient {
    pub(crate) fn from_json(v: &Value, what: &str) -> Result<Recipient> {
        Recipient::from_object(object(v, what)?, what)
    }

    pub(crate) fn from_object(o: &Object, what: &str) -> Result<Recipient> {
        let phone_numbers = optional_list(o, "phonenumbers", what, "phone number")?
            .into_iter()
            .map(|(place, v)| PhoneNumber::from_json(v, &place))
            .collect::<Result<_>>()?;
        Ok(Recipient {
            recipient_id: required_id_text(o, "recipientId", what)?,
            email: text(o, "email"),
            full_name: text(o, "fullName"),
            needs_approval: flag(o, "approvalRequired") || flag(o, "needsApproval"),
            role_name: text(o, "roleName"),
            sms_auth: flag(o, "smsAuth"),
            phone_numbers,
            check_for_public_keys: present(o, "checkForPublicKeys")
                .map(|_| flag(o, "checkForPublicKeys")),
        })
    }
}

/// What adding one address of several (S12) gave: the recipient, or the server's refusal of
/// that address.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecipientOutcome {
    /// The address sent.
    pub email: String,
    /// The recipient when added (or already there).
    pub recipient: Option<Recipient>,
    /// The server's `response` for this address (`SUCCESS`, `INVALID_EMAIL`, ...).
    pub code: String,
    /// The server's `message` for this address, empty when none.
    pub message: String,
}

impl RecipientOutcome {
    pub(crate) fn from_json(v: &Value, what: &str) -> Result<RecipientOutcome> {
        let o = object(v, what)?;
        let code = match text(o, "response") {
            c if c.is_empty() => "SUCCESS".to_string(),
            c => c,
        };
        let recipient = if code == "SUCCESS" {
            Some(Recipient::from_object(o, what)?)
        } else {
            None
        };
        Ok(RecipientOutcome {
            email: text(o, "email"),
            recipient,
            code,
            message: text(o, "message"),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_recipient_reads_its_phones_and_flags() {
        let v = json!({"recipientId": "rcp-1", "email": "a@b.c", "approvalRequired": false,
            "needsApproval": "true", "roleName": "VIEWER", "smsAuth": true,
            "phonenumbers": [{"phonenumber": "(123) 456-7890", "countryCode": 1, "country": "US",
                              "wasUsedMostRecently": true}],
            "checkForPublicKeys": false});
        let r = Recipient::from_json(&v, "the recipient").unwrap();
        assert_eq!(r.recipient_id, "rcp-1");
        assert!(r.needs_approval);
        assert_eq!(r.check_for_public_keys, Some(false));
        assert_eq!(
            r.phone_numbers,
            vec![PhoneNumber {
                number: "(123) 456-7890".into(),
                country_code: Some(1),
                country: "US".into(),
                used_most_recently: true
            }]
        );
        let bare = Recipient::from_json(&json!({"recipientId": 7}), "r").unwrap();
        assert_eq!(
            (bare.recipient_id.as_str(), bare.check_for_public_keys),
            ("7", None)
        );
        assert!(Recipient::from_json(&json!({"email": "a@b.c"}), "r").is_err());
    }

    #[test]
    fn a_refused_address_keeps_its_code_and_message() {
        let v = json!({"response": "INVALID_EMAIL", "message": "Invalid email address: x", "email": "x"});
        let o = RecipientOutcome::from_json(&v, "recipient 1").unwrap();
        assert_eq!((o.code.as_str(), o.email.as_str()), ("INVALID_EMAIL", "x"));
        assert_eq!(o.message, "Invalid email address: x");
        assert!(o.recipient.is_none());
    }
}
