//! Participants of a SafeBox: list (E16), create (E14), update and delete phones (E15).

use crate::sendsecure::client::Client;
use crate::sendsecure::model::check_participant_email;
use crate::sendsecure::model::{ContactEdit, Participant};
use crate::transport::error::{Error, Result};
use crate::transport::json_fields::{object, required_list};
use crate::transport::url_policy::segment;
use serde_json::{json, Value};

/// How the answers name a participant in errors.
const PARTICIPANT: &str = "the participant answer";

/// Checks a SafeBox GUID argument (spec §9 message).
pub(crate) fn check_guid(guid: &str) -> Result<String> {
    if guid.trim().is_empty() {
        return Err(Error::InvalidArgument("SafeBox GUID cannot be null".into()));
    }
    Ok(segment(guid))
}

/// Reads the participant list answer (E16).
pub(crate) fn participant_list_answer(raw: &Value) -> Result<Vec<Participant>> {
    const WHAT: &str = "the participant list answer";
    required_list(object(raw, WHAT)?, "participants", WHAT, "participant")?
        .into_iter()
        .map(|(place, p)| Participant::decode(p.clone(), &place, true))
        .collect()
}

/// Reads a participant answer (E14, E15).
pub(crate) fn participant_answer(raw: Value) -> Result<Participant> {
    Participant::decode(raw, PARTICIPANT, true)
}

impl Client {
    /// The SafeBox's participants, guests and owner (E16).
    pub async fn get_safebox_participants(&self, guid: &str) -> Result<Vec<Participant>> {
        let raw = self
            .get(
                &format!("api/v2/safeboxes/{}/participants.json", check_guid(guid)?),
                &[],
            )
            .await?;
        participant_list_answer(&raw)
    }

    /// Adds a guest to a SafeBox (E14); `edit.email` is required.
    pub async fn create_participant(&self, guid: &str, edit: &ContactEdit) -> Result<Participant> {
        let guid = check_guid(guid)?;
        check_participant_email(edit.email.as_deref().unwrap_or(""))?;
        let raw = self
            .post(
                &format!("api/v2/safeboxes/{guid}/participants.json"),
                &json!({"participant": edit.to_json()}),
            )
            .await?;
        participant_answer(raw)
    }

    /// Changes a guest (E15): the fields set in `edit`, phones added and removed.
    pub async fn update_participant(
        &self,
        guid: &str,
        participant_id: &str,
        edit: &ContactEdit,
    ) -> Result<Participant> {
        let guid = check_guid(guid)?;
        if participant_id.trim().is_empty() {
            return Err(Error::InvalidArgument(
                "Participant id cannot be null".into(),
            ));
        }
        let path = format!(
            "api/v2/safeboxes/{guid}/participants/{}.json",
            segment(participant_id)
        );
        let raw = self.patch_edit(&path, edit, "participant").await?;
        participant_answer(raw)
    }

    /// Removes phone numbers of a guest (E15 with `_destroy`).
    pub async fn delete_participant_contact_methods(
        &self,
        guid: &str,
        participant_id: &str,
        contact_ids: &[i64],
    ) -> Result<Participant> {
        let edit = ContactEdit {
            remove_contact_methods: contact_ids.to_vec(),
            ..ContactEdit::default()
        };
        self.update_participant(guid, participant_id, &edit).await
    }
}
