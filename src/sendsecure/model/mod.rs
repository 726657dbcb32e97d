//! Typed models of the SendSecure objects (spec §7), with the serialization the API expects.

mod attachment;
pub(crate) mod decode;
mod email;
mod enterprise;
mod existing;
mod safebox;

pub use attachment::{Attachment, AttachmentReader, AttachmentSource, ReopenFn};
pub use email::{check_participant_email, check_user_email};
pub use enterprise::{EnterpriseSettings, ExtensionFilter, SecurityProfile, SecuritySetting};
pub use existing::{
    ConsentGroup, ContactEdit, Document, Event, Favorite, Message, Participant, RecipientMatch,
    SafeboxFilter, SafeboxInfo, SafeboxPage, SavedContactMethod, Section,
};
pub use safebox::{
    ContactMethod, DestinationType, LongTimeUnit, Recipient, RetentionPeriodType, Safebox,
    SafeboxResponse, SecurityOptions, TimeUnit,
};

/// What `get_user_token` returns (spec §3.2).
#[derive(Clone, PartialEq, Eq)]
pub struct UserToken {
    /// The API token (`USER|…`), a secret.
    pub token: String,
    /// The user's id, for the `users/{user_id}` routes.
    pub user_id: i64,
}

impl Drop for UserToken {
    fn drop(&mut self) {
        crate::transport::secret::wipe_string(&mut self.token);
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
