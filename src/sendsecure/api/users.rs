//! User-level calls: user settings (E6), favorites (E7–E10), recipient search (E17) and consent
//! message groups (E11).

use crate::sendsecure::client::Client;
use crate::sendsecure::model::{ConsentGroup, ContactEdit, Favorite, RecipientMatch};
use crate::transport::error::{Error, Result};
use crate::transport::json_fields::{object, required_list, required_object};
use crate::transport::url_policy::segment;
use serde_json::{json, Value};

/// How the answers name a favorite in errors.
const FAVORITE: &str = "the favorite answer";

/// Reads the user settings answer (E6): a JSON object, kept as it is.
pub(crate) fn user_settings_answer(raw: Value) -> Result<Value> {
    object(&raw, "the user settings answer")?;
    Ok(raw)
}

/// Reads the favorite list answer (E7).
pub(crate) fn favorite_list_answer(raw: &Value) -> Result<Vec<Favorite>> {
    const WHAT: &str = "the favorite list answer";
    required_list(object(raw, WHAT)?, "favorites", WHAT, "favorite")?
        .into_iter()
        .map(|(place, f)| Favorite::decode(f.clone(), &place, false))
        .collect()
}

/// Reads a favorite answer (E8, E9).
pub(crate) fn favorite_answer(raw: Value) -> Result<Favorite> {
    Favorite::decode(raw, FAVORITE, true)
}

/// Reads the recipient search answer (E17).
pub(crate) fn recipient_search_answer(raw: &Value) -> Result<Vec<RecipientMatch>> {
    const WHAT: &str = "the recipient search answer";
    required_list(object(raw, WHAT)?, "results", WHAT, "result")?
        .into_iter()
        .map(|(place, r)| RecipientMatch::decode(r, &place))
        .collect()
}

/// Reads the consent group answer (E11).
pub(crate) fn consent_group_answer(raw: &Value) -> Result<ConsentGroup> {
    const WHAT: &str = "the consent group answer";
    let group = required_object(object(raw, WHAT)?, "consent_message_group", WHAT)?;
    ConsentGroup::decode(
        Value::Object(group.clone()),
        "the `consent_message_group` of the consent group answer",
    )
}

impl Client {
    fn user_path(&self, rest: &str) -> Result<String> {
        let user_id = self.require_user_id()?;
        Ok(format!(
            "api/v2/enterprises/{}/users/{user_id}/{rest}",
            segment(self.enterprise_account())
        ))
    }

    /// The user's settings (E6), as the server sends them (a JSON object). Needs the client's
    /// user id.
    pub async fn get_user_settings(&self) -> Result<Value> {
        user_settings_answer(self.get(&self.user_path("settings.json")?, &[]).await?)
    }

    /// The user's favorites (E7). Needs the client's user id.
    pub async fn get_favorites(&self) -> Result<Vec<Favorite>> {
        favorite_list_answer(&self.get(&self.user_path("favorites.json")?, &[]).await?)
    }

    /// Creates a favorite (E8); `edit.email` is required.
    pub async fn create_favorite(&self, edit: &ContactEdit) -> Result<Favorite> {
        if edit
            .email
            .as_deref()
            .map(str::trim)
            .unwrap_or("")
            .is_empty()
        {
            return Err(Error::InvalidArgument(
                "Favorite email cannot be null".into(),
            ));
        }
        let raw = self
            .post(
                &self.user_path("favorites.json")?,
                &json!({"favorite": edit.to_json()}),
            )
            .await?;
        favorite_answer(raw)
    }

    /// Changes a favorite (E9): the fields set in `edit`, phones added and removed.
    pub async fn update_favorite(&self, favorite_id: i64, edit: &ContactEdit) -> Result<Favorite> {
        if favorite_id <= 0 {
            return Err(Error::InvalidArgument("Favorite id cannot be null".into()));
        }
        let path = self.user_path(&format!("favorites/{favorite_id}.json"))?;
        let raw = self.patch_edit(&path, edit, "favorite").await?;
        favorite_answer(raw)
    }

    /// Removes phone numbers of a favorite (E9 with `_destroy`).
    pub async fn delete_favorite_contact_methods(
        &self,
        favorite_id: i64,
        contact_ids: &[i64],
    ) -> Result<Favorite> {
        let edit = ContactEdit {
            remove_contact_methods: contact_ids.to_vec(),
            ..ContactEdit::default()
        };
        self.update_favorite(favorite_id, &edit).await
    }

    /// Deletes a favorite (E10).
    pub async fn delete_favorite(&self, favorite_id: i64) -> Result<()> {
        if favorite_id <= 0 {
            return Err(Error::InvalidArgument("Favorite id cannot be null".into()));
        }
        self.delete(&self.user_path(&format!("favorites/{favorite_id}.json"))?)
            .await?;
        Ok(())
    }

    /// Favorites and users whose name or e-mail contains `term` (E17).
    pub async fn search_recipient(&self, term: &str) -> Result<Vec<RecipientMatch>> {
        if term.trim().is_empty() {
            return Err(Error::InvalidArgument("Search term cannot be null".into()));
        }
        let raw = self
            .get("api/v2/recipients/autocomplete", &[("term", term)])
            .await?;
        recipient_search_answer(&raw)
    }

    /// The consent texts of a consent group (E11; the id comes from a SafeBox's security options
    /// or a profile's `consent_group_id`).
    pub async fn get_consent_group_messages(&self, consent_group_id: i64) -> Result<ConsentGroup> {
        let path = format!(
            "api/v2/enterprises/{}/consent_message_groups/{consent_group_id}",
            segment(self.enterprise_account())
        );
        consent_group_answer(&self.get(&path, &[]).await?)
    }
}
