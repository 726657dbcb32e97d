//! The e-mail addresses SendSecure requires (spec §9): a blank one is refused before anything
//! is sent, with the vendor SDKs' messages, whether the call comes from Rust or from C.

use crate::transport::error::{Error, Result};

/// Refuses a blank e-mail for the user who owns a SafeBox.
pub fn check_user_email(email: &str) -> Result<()> {
    check(email, "SafeBox user email cannot be null")
}

/// Refuses a blank e-mail for a guest of a SafeBox.
pub fn check_participant_email(email: &str) -> Result<()> {
    check(email, "Participant email cannot be null")
}

fn check(email: &str, message: &str) -> Result<()> {
    if email.trim().is_empty() {
        return Err(Error::InvalidArgument(message.into()));
    }
    Ok(())
}
