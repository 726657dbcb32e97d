//! Typed models of the SendSecure objects (spec §7), with the serialization the API expects.

#[macro_use]
mod read_model;

mod attachment;
mod consent_group;
mod contact_edit;
mod email;
mod enterprise;
mod event;
mod favorite;
mod message;
mod participant;
#[cfg(test)]
mod read_model_tests;
mod recipient_match;
mod safebox;
mod safebox_info;

pub use attachment::{Attachment, AttachmentReader, AttachmentSource, ReopenFn};
pub use consent_group::ConsentGroup;
pub use contact_edit::ContactEdit;
pub use email::{check_participant_email, check_user_email};
pub use enterprise::{EnterpriseSettings, ExtensionFilter, SecurityProfile, SecuritySetting};
pub use event::Event;
pub use favorite::Favorite;
pub use message::{Document, Message};
pub use participant::{Participant, SavedContactMethod};
pub use recipient_match::RecipientMatch;
pub use safebox::{
    ContactMethod, DestinationType, LongTimeUnit, Recipient, RetentionPeriodType, Safebox,
    SafeboxResponse, SecurityOptions, TimeUnit,
};
pub use safebox_info::{SafeboxFilter, SafeboxInfo, SafeboxPage, Section};

/// What `get_user_token` returns (spec §3.2).
#[derive(Clone, PartialEq, Eq)]
pub struct UserToken {
    /// The API token (`USER|…`), a secret.
    pub token: String,
    /// The user's id, for the `users/{user_id}` routes.
    pub user_id: i64,
}

impl Drop for UserToken {
    /// Overwrites the token with zeros (the compiler may not skip it): a field of type
    /// `Zeroizing<String>` would do the same but change the public field's type.
    fn drop(&mut self) {
        zeroize::Zeroize::zeroize(&mut self.token);
    }
}

impl std::fmt::Debug for UserToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("UserToken")
            .field("token", &"<redacted>")
            .field("user_id", &self.user_id)
            .finish()
    }
}
