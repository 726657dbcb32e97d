//! Recipients: add one (S11) or several (S12), phone and role (S13), get (S14), remove (S15).
//!
//! Contact groups: the spec lists no route for them (only the `contactGroups` field of package
//! information), so there is no call for them here.

use crate::sendsafely::client::Client;
use crate::sendsafely::model::{Recipient, RecipientOutcome};
use crate::transport::error::{Error, Result};
use crate::transport::json_fields::{object, required_list};
use crate::transport::retry::Idempotency;
use reqwest::Method;
use serde_json::{json, Value};

/// The roles a Workspace recipient may have (spec §6.4).
pub const RECIPIENT_ROLES: [&str; 4] = ["VIEWER", "CONTRIBUTOR", "MANAGER", "OWNER"];

fn recipient_path(package_id: &str, recipient_id: &str) -> Result<String> {
    Ok(format!(
        "package/{}/recipient/{}/",
        Client::id("package id", package_id)?,
        Client::id("recipient id", recipient_id)?
    ))
}

impl Client {
    /// Adds a recipient (S11); an address already there answers that recipient.
    pub async fn add_recipient(&self, package_id: &str, email: &str) -> Result<Recipient> {
        if email.trim().is_empty() {
            return Err(Error::InvalidArgument(
                "the e-mail address must be given".into(),
            ));
        }
        let path = format!(
            "package/{}/recipient/",
            Client::id("package id", package_id)?
        );
        let body = json!({"email": email});
        let answer = self
            .send_json(Method::PUT, &path, &body, Idempotency::NotIdempotent)
            .await?;
        Recipient::from_json(&answer, "the new recipient")
    }

    /// Adds several recipients at once (S12): one outcome per address, in the server's order,
    /// each with its own code (an invalid address does not refuse the others).
    pub async fn add_recipients(
        &self,
        package_id: &str,
        emails: &[&str],
    ) -> Result<Vec<RecipientOutcome>> {
        if emails.is_empty() {
            return Err(Error::InvalidArgument("no e-mail address given".into()));
        }
        let path = format!(
            "package/{}/recipients/",
            Client::id("package id", package_id)?
        );
        let body = json!({"emails": emails, "autoEnableSMS": false});
        let answer = self
            .send_json(Method::PUT, &path, &body, Idempotency::NotIdempotent)
            .await?;
        let what = "the new recipients";
        required_list(object(&answer, what)?, "recipients", what, "recipient")?
            .into_iter()
            .map(|(place, v)| RecipientOutcome::from_json(v, &place))
            .collect()
    }

    /// Sets the phone number a recipient verifies by SMS (S13): `country` is an ISO-2 code
    /// (`US`), or `OTHER` with a number starting with `+` and its dialing code.
    pub async fn update_recipient_phone(
        &self,
        package_id: &str,
        recipient_id: &str,
        number: &str,
        country: &str,
    ) -> Result<()> {
        if !number.chars().any(|c| c.is_ascii_digit()) {
            return Err(Error::InvalidArgument(
                "the phone number has no digit".into(),
            ));
        }
        let iso2 = country.len() == 2 && country.bytes().all(|b| b.is_ascii_uppercase());
        if !iso2 && country != "OTHER" {
            return Err(Error::InvalidArgument(format!(
                "the country must be an upper-case ISO-2 code or OTHER (not `{country}`)"
            )));
        }
        if country == "OTHER" && !number.trim_start().starts_with('+') {
            return Err(Error::InvalidArgument(
                "with the country OTHER the number must start with + and its dialing code".into(),
            ));
        }
        // The lower-case `countrycode` is the field's spelling on this call (spec SF-09).
        let body = json!({"phoneNumber": number, "countrycode": country});
        self.update_recipient(package_id, recipient_id, body).await
    }

    /// Sets a Workspace recipient's role (S13), one of [`RECIPIENT_ROLES`].
    pub async fn update_recipient_role(
        &self,
        package_id: &str,
        recipient_id: &str,
        role: &str,
    ) -> Result<()> {
        if !RECIPIENT_ROLES.contains(&role) {
            return Err(Error::InvalidArgument(format!(
                "the role must be one of {} (not `{role}`)",
                RECIPIENT_ROLES.join(", ")
            )));
        }
        self.update_recipient(package_id, recipient_id, json!({"roleName": role}))
            .await
    }

    async fn update_recipient(
        &self,
        package_id: &str,
        recipient_id: &str,
        body: Value,
    ) -> Result<()> {
        let path = recipient_path(package_id, recipient_id)?;
        self.send_json(Method::POST, &path, &body, Idempotency::Idempotent)
            .await
            .map(drop)
    }

    /// One recipient of a package (S14).
    pub async fn recipient(&self, package_id: &str, recipient_id: &str) -> Result<Recipient> {
        let path = recipient_path(package_id, recipient_id)?;
        Recipient::from_json(&self.get(&path, &[]).await?, "the recipient")
    }

    /// Removes a recipient (S15).
    pub async fn remove_recipient(&self, package_id: &str, recipient_id: &str) -> Result<()> {
        self.delete(&recipient_path(package_id, recipient_id)?)
            .await
    }
}
