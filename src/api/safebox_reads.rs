//! Reading existing SafeBoxes: the list with filters and pages (E28), details with sections
//! (E29), messages (E30), security options (E31), download activity (E32), event history (E33).

use super::participants::check_guid;
use crate::client::Client;
use crate::error::{Error, Result};
use crate::model::{Event, Message, SafeboxFilter, SafeboxInfo, SafeboxPage, Section};
use reqwest::Method;
use serde_json::Value;

fn field(raw: Value, key: &str) -> Result<Value> {
    match raw {
        Value::Object(mut map) => map
            .remove(key)
            .ok_or_else(|| Error::Decode(format!("answer without `{key}`"))),
        _ => Err(Error::Decode(format!("answer without `{key}`"))),
    }
}

impl Client {
    /// One page of the caller's SafeBoxes (E28).
    pub async fn get_safeboxes(&self, filter: &SafeboxFilter) -> Result<SafeboxPage> {
        if let Some(n) = filter.per_page {
            if !(1..=1000).contains(&n) {
                return Err(Error::InvalidArgument(format!(
                    "per_page must be between 1 and 1000, not {n}"
                )));
            }
        }
        let per_page = filter.per_page.map(|n| n.to_string());
        let page = filter.page.map(|n| n.to_string());
        let mut query: Vec<(&str, &str)> = vec![];
        if let Some(s) = filter.status.as_deref() {
            query.push(("status", s));
        }
        if let Some(s) = filter.search.as_deref() {
            query.push(("search", s));
        }
        if let Some(s) = per_page.as_deref() {
            query.push(("per_page", s));
        }
        if let Some(s) = page.as_deref() {
            query.push(("page", s));
        }
        let raw = self.get("api/v2/safeboxes.json", &query).await?;
        Ok(SafeboxPage::from_json(&raw))
    }

    /// The page after `page`, following its `next_page_url`; `None` on the last page.
    pub async fn next_safebox_page(&self, page: &SafeboxPage) -> Result<Option<SafeboxPage>> {
        let Some(link) = page.next_page_url.as_deref() else {
            return Ok(None);
        };
        let mut url = self.server_link(link).await?;
        if !url.query_pairs().any(|(k, _)| k == "locale") {
            url.query_pairs_mut().append_pair("locale", self.locale());
        }
        let raw = self.call(Method::GET, url, None).await?;
        Ok(Some(SafeboxPage::from_json(&raw)))
    }

    /// Every SafeBox matching `filter`, following the pages to the end.
    pub async fn get_all_safeboxes(&self, filter: &SafeboxFilter) -> Result<Vec<SafeboxInfo>> {
        let mut page = self.get_safeboxes(filter).await?;
        let mut all = std::mem::take(&mut page.safeboxes);
        while let Some(mut next) = self.next_safebox_page(&page).await? {
            all.append(&mut next.safeboxes);
            page = next;
        }
        Ok(all)
    }

    /// A SafeBox with the sections asked for (E29); an empty slice asks for all of them.
    pub async fn get_safebox_info(&self, guid: &str, sections: &[Section]) -> Result<SafeboxInfo> {
        let guid = check_guid(guid)?;
        let sections: Vec<&str> = if sections.is_empty() {
            Section::ALL.to_vec()
        } else {
            sections.to_vec()
        }
        .into_iter()
        .map(Section::as_str)
        .collect();
        let joined = sections.join(",");
        let raw = self
            .get(
                &format!("api/v2/safeboxes/{guid}.json"),
                &[("sections", &joined)],
            )
            .await?;
        Ok(SafeboxInfo::from_json(field(raw, "safebox")?))
    }

    /// The SafeBox's messages (E30).
    pub async fn get_safebox_messages(&self, guid: &str) -> Result<Vec<Message>> {
        let raw = self
            .get(
                &format!("api/v2/safeboxes/{}/messages.json", check_guid(guid)?),
                &[],
            )
            .await?;
        match field(raw, "messages")? {
            Value::Array(list) => Ok(list.into_iter().map(Message::from_json).collect()),
            _ => Err(Error::Decode("`messages` is not a list".into())),
        }
    }

    /// The SafeBox's security options (E31), as the server sends them.
    pub async fn get_safebox_security_options(&self, guid: &str) -> Result<Value> {
        let raw = self
            .get(
                &format!(
                    "api/v2/safeboxes/{}/security_options.json",
                    check_guid(guid)?
                ),
                &[],
            )
            .await?;
        field(raw, "security_options")
    }

    /// Who downloaded which document, how much and when (E32), as the server sends it.
    pub async fn get_safebox_download_activity(&self, guid: &str) -> Result<Value> {
        let raw = self
            .get(
                &format!(
                    "api/v2/safeboxes/{}/download_activity.json",
                    check_guid(guid)?
                ),
                &[],
            )
            .await?;
        field(raw, "download_activity")
    }

    /// The SafeBox's event history (E33).
    pub async fn get_safebox_event_history(&self, guid: &str) -> Result<Vec<Event>> {
        let raw = self
            .get(
                &format!("api/v2/safeboxes/{}/event_history.json", check_guid(guid)?),
                &[],
            )
            .await?;
        match field(raw, "event_history")? {
            Value::Array(list) => Ok(list.iter().map(Event::from_json).collect()),
            _ => Err(Error::Decode("`event_history` is not a list".into())),
        }
    }
}
