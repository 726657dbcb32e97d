//! Reading existing SafeBoxes: the list with filters and pages (E28), details with sections
//! (E29), messages (E30), security options (E31), download activity (E32), event history (E33).

use super::participants::check_guid;
use crate::sendsecure::client::Client;
use crate::sendsecure::model::{Event, Message, SafeboxFilter, SafeboxInfo, SafeboxPage, Section};
use crate::transport::error::{Error, Result};
use crate::transport::json_fields::{object, required_list, required_object};
use reqwest::Method;
use serde_json::Value;
use std::collections::HashSet;
use url::Url;

/// The `key` object of an answer (`what` names the answer in errors), moved out of it.
pub(crate) fn object_field(raw: Value, key: &str, what: &str) -> Result<Value> {
    required_object(object(&raw, what)?, key, what)?;
    match raw {
        Value::Object(mut map) => Ok(map.remove(key).unwrap_or_default()),
        _ => unreachable!("checked by `object` above"),
    }
}

/// Reads the SafeBox answer (E29).
pub(crate) fn safebox_info_answer(raw: Value) -> Result<SafeboxInfo> {
    const WHAT: &str = "the SafeBox answer";
    SafeboxInfo::decode(
        object_field(raw, "safebox", WHAT)?,
        "the `safebox` of the SafeBox answer",
    )
}

/// Reads the message list answer (E30).
pub(crate) fn message_list_answer(raw: &Value) -> Result<Vec<Message>> {
    const WHAT: &str = "the message list answer";
    required_list(object(raw, WHAT)?, "messages", WHAT, "message")?
        .into_iter()
        .map(|(place, m)| Message::decode(m.clone(), &place))
        .collect()
}

/// Reads the security options answer (E31).
pub(crate) fn security_options_answer(raw: Value) -> Result<Value> {
    object_field(raw, "security_options", "the `security_options` answer")
}

/// Reads the download activity answer (E32).
pub(crate) fn download_activity_answer(raw: Value) -> Result<Value> {
    object_field(raw, "download_activity", "the `download_activity` answer")
}

/// Reads the event history answer (E33).
pub(crate) fn event_history_answer(raw: &Value) -> Result<Vec<Event>> {
    const WHAT: &str = "the event history answer";
    required_list(object(raw, WHAT)?, "event_history", WHAT, "event")?
        .into_iter()
        .map(|(place, e)| Event::decode(e, &place))
        .collect()
}

/// The most pages a [`SafeboxPages`] walk reads when the server announced no `count`, and in
/// any case.
pub const MAX_SAFEBOX_PAGES: u64 = 10_000;

/// A walk through every page of the SafeBox list (E28), following the `next_page_url`s, that
/// always ends: it stops after an empty page (even if it names a next one), and fails with
/// [`Error::Decode`] rather than loop when the server's `next_page_url` repeats a page already
/// read, or leads past the pages the first page's `count` announced (with a margin of a tenth
/// plus two pages, for SafeBoxes created during the walk; never more than
/// [`MAX_SAFEBOX_PAGES`]). A failed step changes nothing: calling again retries it (and a
/// refused link is refused again, without sending anything).
#[derive(Debug, Clone)]
pub struct SafeboxPages {
    filter: SafeboxFilter,
    started: bool,
    /// The link to follow next; `None` once the walk is over.
    next: Option<String>,
    /// The links followed, normalized by `page_key`.
    followed: HashSet<String>,
    pages_read: u64,
    /// `(count, per_page, pages)` as the first page announced them.
    announced: Option<(i64, u64, u64)>,
}

/// What identifies a page's URL: origin, path without `.json`, and the query pairs but `locale`,
/// sorted.
fn page_key(url: &Url) -> String {
    let mut pairs: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(k, _)| k != "locale")
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    pairs.sort();
    let path = url.path();
    let path = path.strip_suffix(".json").unwrap_or(path);
    format!("{}{path}?{pairs:?}", url.origin().ascii_serialization())
}

impl SafeboxPages {
    /// A walk over the SafeBoxes matching `filter` (its `page`, if any, is the first page read).
    /// Nothing is sent until [`SafeboxPages::next_page`].
    pub fn new(filter: SafeboxFilter) -> SafeboxPages {
        SafeboxPages {
            filter,
            started: false,
            next: None,
            followed: HashSet::new(),
            pages_read: 0,
            announced: None,
        }
    }

    /// How many pages have been read.
    pub fn pages_read(&self) -> u64 {
        self.pages_read
    }

    /// The most pages this walk reads, as far as it knows.
    fn max_pages(&self) -> u64 {
        match self.announced {
            Some((_, _, pages)) => pages
                .saturating_add(pages / 10)
                .saturating_add(2)
                .min(MAX_SAFEBOX_PAGES),
            None => MAX_SAFEBOX_PAGES,
        }
    }

    fn read(&mut self, page: &SafeboxPage) {
        self.pages_read += 1;
        // An empty page ends the walk even if it names a next one, so that a server sending
        // empty pages cannot keep the caller going.
        self.next = if page.safeboxes.is_empty() {
            None
        } else {
            page.next_page_url.clone()
        };
    }

    /// The next page: the first one on the first call, then the one the last page's
    /// `next_page_url` names; `None` once the walk is over.
    pub async fn next_page(&mut self, client: &Client) -> Result<Option<SafeboxPage>> {
        if !self.started {
            let page = client.get_safeboxes(&self.filter).await?;
            self.started = true;
            let per_page = self
                .filter
                .per_page
                .map(u64::from)
                .unwrap_or(page.safeboxes.len() as u64)
                .max(1);
            if page.count > 0 {
                let pages = (page.count as u64).div_ceil(per_page);
                self.announced = Some((page.count, per_page, pages));
            }
            self.read(&page);
            return Ok(Some(page));
        }
        let Some(link) = self.next.clone() else {
            return Ok(None);
        };
        let url = client.safebox_page_url(&link).await?;
        let key = page_key(&url);
        if self.followed.contains(&key) {
            return Err(Error::Decode(format!(
                "the server's next_page_url repeats a page already read: {link}"
            )));
        }
        if self.pages_read >= self.max_pages() {
            let why = match self.announced {
                Some((count, per_page, pages)) => {
                    format!("its count announced {count} SafeBoxes, {pages} pages of {per_page}")
                }
                None => format!("the most a walk reads without a count is {MAX_SAFEBOX_PAGES}"),
            };
            return Err(Error::Decode(format!(
                "the server's next_page_url leads past page {} ({why}): {link}",
                self.pages_read
            )));
        }
        let page = client.safebox_page_at(url).await?;
        self.followed.insert(key);
        self.read(&page);
        Ok(Some(page))
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
        SafeboxPage::from_json(&raw)
    }

    /// The URL of a page link from the server, on the server's host, with the locale.
    async fn safebox_page_url(&self, link: &str) -> Result<Url> {
        let mut url = self.server_link(link).await?;
        if !url.query_pairs().any(|(k, _)| k == "locale") {
            url.query_pairs_mut().append_pair("locale", self.locale());
        }
        Ok(url)
    }

    async fn safebox_page_at(&self, url: Url) -> Result<SafeboxPage> {
        let raw = self.http().call(Method::GET, url, None).await?;
        SafeboxPage::from_json(&raw)
    }

    /// The page after `page`, following its `next_page_url`; `None` on the last page. This
    /// follows the link as the server gave it, with no memory of the pages before: to walk
    /// every page, use [`SafeboxPages`] (or [`Client::get_all_safeboxes`]), which stops when
    /// the server's links go round in circles.
    pub async fn next_safebox_page(&self, page: &SafeboxPage) -> Result<Option<SafeboxPage>> {
        let Some(link) = page.next_page_url.as_deref() else {
            return Ok(None);
        };
        let url = self.safebox_page_url(link).await?;
        self.safebox_page_at(url).await.map(Some)
    }

    /// Every SafeBox matching `filter`, following the pages to the end with a
    /// [`SafeboxPages`] walk (so a server whose `next_page_url`s repeat gives
    /// [`Error::Decode`], not an endless loop).
    pub async fn get_all_safeboxes(&self, filter: &SafeboxFilter) -> Result<Vec<SafeboxInfo>> {
        let mut walk = SafeboxPages::new(filter.clone());
        let mut all = vec![];
        while let Some(mut page) = walk.next_page(self).await? {
            all.append(&mut page.safeboxes);
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
        safebox_info_answer(raw)
    }

    /// The SafeBox's messages (E30).
    pub async fn get_safebox_messages(&self, guid: &str) -> Result<Vec<Message>> {
        let raw = self
            .get(
                &format!("api/v2/safeboxes/{}/messages.json", check_guid(guid)?),
                &[],
            )
            .await?;
        message_list_answer(&raw)
    }

    /// The SafeBox's security options (E31), as the server sends them (a JSON object).
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
        security_options_answer(raw)
    }

    /// Who downloaded which document, how much and when (E32), as the server sends it (a JSON
    /// object).
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
        download_activity_answer(raw)
    }

    /// The SafeBox's event history (E33).
    pub async fn get_safebox_event_history(&self, guid: &str) -> Result<Vec<Event>> {
        let raw = self
            .get(
                &format!("api/v2/safeboxes/{}/event_history.json", check_guid(guid)?),
                &[],
            )
            .await?;
        event_history_answer(&raw)
    }
}
