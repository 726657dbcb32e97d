//! A SafeBox being created: recipients, message, attachments, security options; and what the
//! server answers at commit.

use super::Attachment;
use crate::transport::error::{Error, Result};
use serde_json::{json, Map, Value};

/// The kind of a phone contact method (spec §8).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DestinationType {
    /// `home_phone`
    Home,
    /// `cell_phone`
    Cell,
    /// `office_phone`
    Office,
    /// `other_phone`
    Other,
}

impl DestinationType {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            DestinationType::Home => "home_phone",
            DestinationType::Cell => "cell_phone",
            DestinationType::Office => "office_phone",
            DestinationType::Other => "other_phone",
        }
    }

    /// Parses a wire name.
    pub fn parse(s: &str) -> Option<DestinationType> {
        [Self::Home, Self::Cell, Self::Office, Self::Other]
            .into_iter()
            .find(|t| t.as_str() == s)
    }
}

/// A phone number of a recipient.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactMethod {
    /// The phone number, free form (`+15145550000`, `514-555-0001`).
    pub destination: String,
    /// What kind of phone it is.
    pub destination_type: DestinationType,
}

/// A guest recipient of a new SafeBox.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Recipient {
    /// The recipient's e-mail address (required).
    pub email: String,
    /// First name.
    pub first_name: Option<String>,
    /// Last name.
    pub last_name: Option<String>,
    /// Company name.
    pub company_name: Option<String>,
    /// Whether the guest is locked out.
    pub locked: Option<bool>,
    /// Whether the guest is privileged (Python SDK extension).
    pub privileged: Option<bool>,
    /// Phone numbers for security codes.
    pub contact_methods: Vec<ContactMethod>,
}

impl Recipient {
    /// A recipient with only an e-mail address.
    pub fn new(email: impl Into<String>) -> Recipient {
        Recipient {
            email: email.into(),
            ..Recipient::default()
        }
    }

    /// The `recipients[]` element of a commit (guest options flattened).
    pub fn to_json(&self) -> Value {
        let mut obj = Map::new();
        obj.insert("email".into(), json!(self.email));
        for (key, value) in [
            ("first_name", &self.first_name),
            ("last_name", &self.last_name),
            ("company_name", &self.company_name),
        ] {
            if let Some(v) = value {
                obj.insert(key.into(), json!(v));
            }
        }
        for (key, value) in [("locked", self.locked), ("privileged", self.privileged)] {
            if let Some(v) = value {
                obj.insert(key.into(), json!(v));
            }
        }
        let methods: Vec<Value> = self
            .contact_methods
            .iter()
            .map(|c| json!({"destination": c.destination, "destination_type": c.destination_type.as_str()}))
            .collect();
        obj.insert("contact_methods".into(), Value::Array(methods));
        Value::Object(obj)
    }
}

macro_rules! wire_enum {
    ($(#[$doc:meta])* $name:ident { $($variant:ident = $wire:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum $name { $(#[doc = $wire] $variant),+ }

        impl $name {
            /// The wire name.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $wire),+ }
            }

            /// Parses a wire name.
            pub fn parse(s: &str) -> Option<$name> {
                match s { $($wire => Some($name::$variant),)+ _ => None }
            }
        }
    };
}

wire_enum!(
    /// Units of expiration and added time (spec §8).
    TimeUnit { Hours = "hours", Days = "days", Weeks = "weeks", Months = "months" }
);
wire_enum!(
    /// Units of retention periods (spec §8).
    LongTimeUnit { Hours = "hours", Days = "days", Weeks = "weeks", Months = "months", Years = "years" }
);
wire_enum!(
    /// What happens to the content at expiration (spec §8).
    RetentionPeriodType {
        DiscardAtExpiration = "discard_at_expiration",
        RetainAtExpiration = "retain_at_expiration",
        DoNotDiscard = "do_not_discard",
    }
);

/// Security options a new SafeBox may override (when the profile marks them modifiable).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SecurityOptions {
    /// Whether guests may reply.
    pub reply_enabled: Option<bool>,
    /// Whether guests see each other's replies.
    pub group_replies: Option<bool>,
    /// Whether the message is encrypted.
    pub encrypt_message: Option<bool>,
    /// Whether double encryption is on (a key given once at commit).
    pub double_encryption: Option<bool>,
    /// Lifetime, with `expiration_unit`.
    pub expiration_value: Option<i64>,
    /// Unit of `expiration_value`.
    pub expiration_unit: Option<TimeUnit>,
    /// `YYYY-MM-DD`, with `expiration_time` (`HH:MM:SS`) and `expiration_time_zone` (`±HH:MM`).
    pub expiration_date: Option<String>,
    /// `HH:MM:SS`, with `expiration_date`.
    pub expiration_time: Option<String>,
    /// `±HH:MM`, with `expiration_date`.
    pub expiration_time_zone: Option<String>,
    /// What happens to the content at expiration.
    pub retention_period_type: Option<RetentionPeriodType>,
    /// Retention period, with `retention_period_unit`.
    pub retention_period_value: Option<i64>,
    /// Unit of `retention_period_value`.
    pub retention_period_unit: Option<LongTimeUnit>,
}

impl SecurityOptions {
    fn write(&self, obj: &mut Map<String, Value>) {
        let mut put = |k: &str, v: Option<Value>| {
            if let Some(v) = v {
                obj.insert(k.to_string(), v);
            }
        };
        put("reply_enabled", self.reply_enabled.map(Value::from));
        put("group_replies", self.group_replies.map(Value::from));
        put("encrypt_message", self.encrypt_message.map(Value::from));
        put("double_encryption", self.double_encryption.map(Value::from));
        put("expiration_value", self.expiration_value.map(Value::from));
        put(
            "expiration_unit",
            self.expiration_unit.map(|u| json!(u.as_str())),
        );
        put(
            "expiration_date",
            self.expiration_date.clone().map(Value::from),
        );
        put(
            "expiration_time",
            self.expiration_time.clone().map(Value::from),
        );
        put(
            "expiration_time_zone",
            self.expiration_time_zone.clone().map(Value::from),
        );
        put(
            "retention_period_type",
            self.retention_period_type.map(|u| json!(u.as_str())),
        );
        put(
            "retention_period_value",
            self.retention_period_value.map(Value::from),
        );
        put(
            "retention_period_unit",
            self.retention_period_unit.map(|u| json!(u.as_str())),
        );
    }
}

/// A SafeBox being created.
#[derive(Debug, Default)]
pub struct Safebox {
    /// The owner's e-mail (a user of the enterprise account).
    pub user_email: String,
    /// Set by initialization (E1).
    pub guid: Option<String>,
    /// Set by initialization (E1).
    pub public_encryption_key: Option<String>,
    /// Set by initialization (E1): where the attachments go.
    pub upload_url: Option<String>,
    /// The subject.
    pub subject: Option<String>,
    /// The message (a message or an attachment is required).
    pub message: Option<String>,
    /// Language of the notifications sent to recipients; `en` by default.
    pub notification_language: String,
    /// The profile to use; the enterprise default when `None` at submit.
    pub security_profile_id: Option<i64>,
    /// Whether the owner gets e-mail notifications (server default: yes).
    pub email_notification_enabled: Option<bool>,
    /// The guests.
    pub recipients: Vec<Recipient>,
    /// The files.
    pub attachments: Vec<Attachment>,
    /// Overrides of the profile's options.
    pub security_options: SecurityOptions,
    /// Set while a commit of this SafeBox was sent and its outcome is not known (the answer
    /// was lost and the SafeBox could not be checked): a later commit answered "has already
    /// been committed" is then checked instead of reported as a failure.
    pub(crate) commit_unresolved: std::sync::atomic::AtomicBool,
}

impl Safebox {
    /// A new SafeBox owned by `user_email`.
    pub fn new(user_email: impl Into<String>) -> Safebox {
        Safebox {
            user_email: user_email.into(),
            notification_language: "en".into(),
            ..Safebox::default()
        }
    }

    /// The checks the vendor SDKs make before a commit (spec §9), with their messages.
    pub fn validate_for_commit(&self) -> Result<()> {
        if self.guid.is_none() {
            return Err(Error::InvalidArgument("SafeBox GUID cannot be null".into()));
        }
        if self.recipients.is_empty() {
            return Err(Error::InvalidArgument(
                "Participants cannot be empty".into(),
            ));
        }
        if self.security_profile_id.is_none() {
            return Err(Error::InvalidArgument(
                "No Security Profile configured".into(),
            ));
        }
        if let Some(a) = self.attachments.iter().find(|a| a.guid.is_none()) {
            return Err(Error::InvalidState(format!(
                "attachment `{}` has not been uploaded",
                a.file_name
            )));
        }
        Ok(())
    }

    /// The commit body (E3), omitting absent values like the Python SDK.
    pub fn commit_json(&self) -> Value {
        let mut obj = Map::new();
        obj.insert("guid".into(), json!(self.guid));
        obj.insert("user_email".into(), json!(self.user_email));
        if let Some(s) = &self.subject {
            obj.insert("subject".into(), json!(s));
        }
        if let Some(m) = &self.message {
            obj.insert("message".into(), json!(m));
        }
        obj.insert(
            "notification_language".into(),
            json!(self.notification_language),
        );
        obj.insert(
            "security_profile_id".into(),
            json!(self.security_profile_id),
        );
        if let Some(k) = &self.public_encryption_key {
            obj.insert("public_encryption_key".into(), json!(k));
        }
        if let Some(e) = self.email_notification_enabled {
            obj.insert("email_notification_enabled".into(), json!(e));
        }
        obj.insert(
            "recipients".into(),
            Value::Array(self.recipients.iter().map(Recipient::to_json).collect()),
        );
        obj.insert(
            "document_ids".into(),
            Value::Array(
                self.attachments
                    .iter()
                    .filter_map(|a| a.guid.clone())
                    .map(Value::from)
                    .collect(),
            ),
        );
        self.security_options.write(&mut obj);
        json!({ "safebox": obj })
    }
}

/// What a commit returns: the new SafeBox's GUID, preview URL and (with double encryption) the
/// participants' key, plus the whole answer.
#[derive(Debug, Clone)]
pub struct SafeboxResponse {
    /// The SafeBox's GUID.
    pub guid: String,
    /// The SafeBox's URL in the web application.
    pub preview_url: String,
    /// The participants' key with double encryption (given only once, in the commit's
    /// answer: `None` when `recovered`).
    pub encryption_key: Option<String>,
    /// The commit answer as the server sent it; when `recovered`, the `safebox` object of the
    /// SafeBox's info (E29) instead.
    pub raw: Value,
    /// The commit's answer was lost (connection broken, timeout, proxy error) and the SafeBox
    /// was found on the server by its GUID: it was created. What is known comes from its info:
    /// the GUID, `preview_url` only if the info has one, and never `encryption_key` (a double
    /// encryption key exists only in the lost answer).
    pub recovered: bool,
}

impl SafeboxResponse {
    /// Reads a commit answer.
    pub fn from_json(raw: Value) -> Result<SafeboxResponse> {
        let text = |k: &str| raw.get(k).and_then(Value::as_str).map(str::to_string);
        let guid =
            text("guid").ok_or_else(|| Error::Decode("commit answer without `guid`".into()))?;
        Ok(SafeboxResponse {
            guid,
            preview_url: text("preview_url").unwrap_or_default(),
            encryption_key: text("encryption_key"),
            raw,
            recovered: false,
        })
    }

    /// What is known of a SafeBox whose commit's answer was lost, from its info (`safebox`
    /// object of E29).
    pub(crate) fn recovered_from_info(guid: &str, info: Value) -> SafeboxResponse {
        SafeboxResponse {
            guid: guid.to_string(),
            preview_url: info
                .get("preview_url")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_string(),
            encryption_key: None,
            raw: info,
            recovered: true,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commit_body_omits_absent_values_and_flattens_recipients() {
        let mut sb = Safebox::new("user@example.com");
        sb.guid = Some("b4d898ada15f42f293e31905c514607f".into());
        sb.subject = Some("Test Subject".into());
        sb.security_profile_id = Some(10);
        sb.security_options.expiration_value = Some(5);
        sb.security_options.expiration_unit = Some(TimeUnit::Days);
        let mut r = Recipient::new("participant@example.com");
        r.company_name = Some("Test Company".into());
        r.contact_methods.push(ContactMethod {
            destination: "+15145550000".into(),
            destination_type: DestinationType::Office,
        });
        sb.recipients.push(r);
        let body = sb.commit_json();
        let s = &body["safebox"];
        assert_eq!(s["expiration_unit"], "days");
        assert_eq!(s["recipients"][0]["company_name"], "Test Company");
        assert_eq!(
            s["recipients"][0]["contact_methods"][0]["destination_type"],
            "office_phone"
        );
        assert!(s.get("message").is_none());
        assert!(s.get("reply_enabled").is_none());
        assert_eq!(s["document_ids"], json!([]));
    }

    #[test]
    fn commit_checks_use_the_sdk_messages() {
        let mut sb = Safebox::new("u@example.com");
        let msg = |sb: &Safebox| sb.validate_for_commit().unwrap_err().to_string();
        assert_eq!(msg(&sb), "SafeBox GUID cannot be null");
        sb.guid = Some("g".into());
        assert_eq!(msg(&sb), "Participants cannot be empty");
        sb.recipients.push(Recipient::new("r@example.com"));
        assert_eq!(msg(&sb), "No Security Profile configured");
        sb.security_profile_id = Some(1);
        assert!(sb.validate_for_commit().is_ok());
    }
}
