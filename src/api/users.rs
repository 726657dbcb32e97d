//! User-level calls: user settings (E6), favorites (E7–E10), recipient search (E17) and consent
//! message groups (E11).

use crate::client::{segment, Client};
use crate::error::{Error, Result};
use crate::model::decode::{object, required_list, required_object};
use crate::model::{ConsentGroup, ContactEdit, Favorite, RecipientMatch};
use serde_json::{json, Value};

/// How the answers name a favorite in errors.
const FAVORITE: &str = "the favorite answer";

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
        let raw = self.get(&self.user_path("settings.json")?, &[]).await?;
        object(&raw, "the user settings answer")?;
        Ok(raw)
    }

    /// The user's favorites (E7). Needs the client's user id.
    pub async fn get_favorites(&self) -> Result<Vec<Favorite>> {
        let raw = self.get(&self.user_path("favorites.json")?, &[]).await?;
        const WHAT: &str = "the favorite list answer";
        required_list(object(&raw, WHAT)?, "favorites", WHAT, "favorite")?
            .into_iter()
            .map(|(place, f)| Favorite::decode(f.clone(), &place, false))
            .collect()
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
        Favorite::decode(raw, FAVORITE, true)
    }

    /// Changes a favorite (E9): the fields set in `edit`, phones added and removed.
    pub async fn update_favorite(&self, favorite_id: i64, edit: &ContactEdit) -> Result<Favorite> {
        if favorite_id <= 0 {
            return Err(Error::InvalidArgument("Favorite id cannot be null".into()));
        }
        let path = self.user_path(&format!("favorites/{favorite_id}.json"))?;
        let raw = self.patch_edit(&path, edit, "favorite").await?;
        Favorite::decode(raw, FAVORITE, true)
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
        const WHAT: &str = "the recipient search answer";
        required_list(object(&raw, WHAT)?, "results", WHAT, "result")?
            .into_iter()
            .map(|(place, r)| RecipientMatch::decode(r, &place))
            .collect()
    }

    /// The consent texts of a consent group (E11; the id comes from a SafeBox's security options
    /// or a profile's `consent_group_id`).
    pub async fn get_consent_group_messages(&self, consent_group_id: i64) -> Result<ConsentGroup> {
        let path = format!(
            "api/v2/enterprises/{}/consent_message_groups/{consent_group_id}",
            segment(self.enterprise_account())
        );
        let raw = self.get(&path, &[]).await?;
        const WHAT: &str = "the consent group answer";
        let group = required_object(object(&raw, WHAT)?, "consent_message_group", WHAT)?;
        ConsentGroup::decode(
            Value::Object(group.clone()),
            "the `consent_message_group` of the consent group answer",
        )
    }
}
