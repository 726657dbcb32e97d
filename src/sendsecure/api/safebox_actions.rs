//! Changing an existing SafeBox: add time (E18), close (E19), delete content (E20), mark read
//! or unread (E21–E24), archive (E34–E35), follow (E36–E37).

use super::participants::check_guid;
use crate::sendsecure::client::Client;
use crate::sendsecure::model::check_user_email;
use crate::sendsecure::model::TimeUnit;
use crate::transport::error::{Error, Result};
use crate::transport::json_fields::object;
use serde_json::{json, Value};

/// The answer of an action: `{"result": true, "message": …}` (an empty answer counts as `{}`);
/// a `result: false` (or `"false"`) in a success status is turned into an error, an answer that
/// is not an object into [`Error::Decode`].
pub(crate) fn action_result(raw: Value) -> Result<Option<String>> {
    if !raw.is_null() {
        object(&raw, "the action's answer")?;
    }
    let refused = match raw.get("result") {
        Some(Value::Bool(b)) => !*b,
        Some(Value::String(s)) => s == "false",
        _ => false,
    };
    if refused {
        let message = raw
            .get("message")
            .and_then(Value::as_str)
            .unwrap_or("the server refused the action");
        return Err(Error::Http {
            status: 200,
            message: message.to_string(),
            body: raw.to_string(),
        });
    }
    Ok(raw
        .get("message")
        .and_then(Value::as_str)
        .map(str::to_string))
}

/// Reads the add time answer (E18): the new expiration.
pub(crate) fn add_time_answer(raw: Value) -> Result<String> {
    object(&raw, "the add time answer")?;
    let expiration = raw
        .get("new_expiration")
        .or_else(|| raw.get("expiration"))
        .and_then(Value::as_str)
        .map(str::to_string);
    action_result(raw)?;
    expiration.ok_or_else(|| Error::Decode("add time answer without `new_expiration`".into()))
}

impl Client {
    async fn safebox_action(&self, guid: &str, action: &str) -> Result<Option<String>> {
        let path = format!("api/v2/safeboxes/{}/{action}", check_guid(guid)?);
        // Setting a state (closed, read, followed...): retried like a GET. A retry after a lost
        // answer may be refused ("Unable to close the SafeBox.") if the first attempt did it.
        action_result(self.patch_idempotent(&path, None).await?)
    }

    /// Extends the SafeBox's life (E18); answers the new expiration (ISO-8601).
    pub async fn add_time(&self, guid: &str, value: i64, unit: TimeUnit) -> Result<String> {
        let guid = check_guid(guid)?;
        if value < 1 {
            return Err(Error::InvalidArgument(
                "Time value must be at least 1".into(),
            ));
        }
        let body = json!({"safebox": {"add_time_value": value, "add_time_unit": unit.as_str()}});
        let raw = self
            .patch(
                &format!("api/v2/safeboxes/{guid}/add_time.json"),
                Some(&body),
            )
            .await?;
        add_time_answer(raw)
    }

    /// Closes the SafeBox (E19): only an open one, if its options allow it.
    pub async fn close_safebox(&self, guid: &str) -> Result<()> {
        self.safebox_action(guid, "close.json").await.map(drop)
    }

    /// Deletes the content of a closed SafeBox (E20), if its options allow it.
    pub async fn delete_safebox_content(&self, guid: &str) -> Result<()> {
        self.safebox_action(guid, "delete_content.json")
            .await
            .map(drop)
    }

    /// Marks every message read (E21).
    pub async fn mark_as_read(&self, guid: &str) -> Result<()> {
        self.safebox_action(guid, "mark_as_read.json")
            .await
            .map(drop)
    }

    /// Marks every message unread (E22).
    pub async fn mark_as_unread(&self, guid: &str) -> Result<()> {
        self.safebox_action(guid, "mark_as_unread.json")
            .await
            .map(drop)
    }

    /// Marks one message read (E23).
    pub async fn mark_message_read(&self, guid: &str, message_id: i64) -> Result<()> {
        if message_id <= 0 {
            return Err(Error::InvalidArgument("Message Id cannot be null".into()));
        }
        self.safebox_action(guid, &format!("messages/{message_id}/read"))
            .await
            .map(drop)
    }

    /// Marks one message unread (E24).
    pub async fn mark_message_unread(&self, guid: &str, message_id: i64) -> Result<()> {
        if message_id <= 0 {
            return Err(Error::InvalidArgument("Message Id cannot be null".into()));
        }
        self.safebox_action(guid, &format!("messages/{message_id}/unread"))
            .await
            .map(drop)
    }

    async fn set_archived(&self, guid: &str, user_email: &str, archived: bool) -> Result<()> {
        let guid = check_guid(guid)?;
        check_user_email(user_email)?;
        let verb = if archived { "tag" } else { "untag" };
        let raw = self
            .post(
                &format!("api/v2/safeboxes/{guid}/{verb}/archive"),
                &json!({"user_email": user_email}),
            )
            .await?;
        action_result(raw).map(drop)
    }

    /// Moves the SafeBox to the owner's archive (E34).
    pub async fn archive_safebox(&self, guid: &str, user_email: &str) -> Result<()> {
        self.set_archived(guid, user_email, true).await
    }

    /// Takes the SafeBox out of the archive (E35).
    pub async fn unarchive_safebox(&self, guid: &str, user_email: &str) -> Result<()> {
        self.set_archived(guid, user_email, false).await
    }

    /// Follows the SafeBox (E37; new SafeBoxes are followed).
    pub async fn follow_safebox(&self, guid: &str) -> Result<()> {
        self.safebox_action(guid, "follow").await.map(drop)
    }

    /// Stops following the SafeBox (E36).
    pub async fn unfollow_safebox(&self, guid: &str) -> Result<()> {
        self.safebox_action(guid, "unfollow").await.map(drop)
    }
}
