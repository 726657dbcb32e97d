//! Creating a SafeBox: initialize (E1), upload attachments (E2), commit (E3), or all at once.

use crate::sendsecure::client::Client;
use crate::sendsecure::model::{Safebox, SafeboxResponse};
use crate::sendsecure::uploads::{not_uploaded, note_uploaded};
use crate::transport::error::{Error, Result, Text};
use crate::transport::retry::{
    no_retry_log, run_with_lookup, Failure, Fate, Idempotency, LookedUp, Lookup, Plan,
};
use crate::transport::transfer::{upload_all, ProgressFn};
use crate::transport::url_policy::segment;
use reqwest::Method;
use serde_json::Value;
use std::sync::atomic::{AtomicBool, Ordering};

/// Whether a commit was refused because the GUID was committed already.
fn already_committed(error: &Error) -> bool {
    matches!(error, Error::Http { status: 400, body, .. } if body.contains("already been committed"))
}

/// Rewrites the message of an error of the server or the connection, keeping its kind (and
/// HTTP status and body).
fn reword(error: Error, mut reword: impl FnMut(String) -> String) -> Error {
    let of_the_call = matches!(
        error,
        Error::Connect(_)
            | Error::Tls(_)
            | Error::Timeout(_)
            | Error::Decode(_)
            | Error::Http { .. }
    );
    if !of_the_call {
        return error;
    }
    error.map_texts(|text, m| if text == Text::Message { reword(m) } else { m })
}

/// The error of a commit whose outcome could not be learned.
fn outcome_unknown_error(guid: &str, commit: Error, check: &Error) -> Error {
    reword(commit, |m| {
        format!(
            "the outcome of the commit of SafeBox {guid} is unknown: {m}; checking whether it \
             was created failed too ({check}). It may exist: look it up by its GUID before \
             anything else; committing it again is safe (it is never created twice)"
        )
    })
}

/// The error of a commit whose outcome was unknown at some attempt, with no SafeBox found by
/// the last check.
fn not_found_error(guid: &str, commit: Error) -> Error {
    reword(commit, |m| {
        format!("{m}; SafeBox {guid} was not found on the server after the last attempt")
    })
}

/// What a commit's attempts came to: the server's answer, or the SafeBox's info found by its
/// GUID after an unknown outcome.
enum Commit {
    Made(Value),
    Found(Value),
}

/// What initializing a SafeBox (E1) gives: its GUID, upload URL and public encryption key.
pub(crate) struct Initialized {
    pub guid: String,
    pub upload_url: String,
    pub public_encryption_key: Option<String>,
}

/// Reads the initialize answer (E1).
pub(crate) fn initialize_answer(raw: &Value) -> Result<Initialized> {
    let text = |k: &str| raw.get(k).and_then(Value::as_str).map(str::to_string);
    let (Some(guid), Some(upload_url)) = (text("guid"), text("upload_url")) else {
        return Err(Error::Decode(
            "initialize answer without `guid` or `upload_url`".into(),
        ));
    };
    Ok(Initialized {
        guid,
        upload_url,
        public_encryption_key: text("public_encryption_key"),
    })
}

impl Client {
    /// Reserves a GUID, public encryption key and upload URL for `safebox` (E1).
    pub async fn initialize_safebox(&self, safebox: &mut Safebox) -> Result<()> {
        if safebox.user_email.is_empty() {
            return Err(Error::InvalidArgument(
                "SafeBox user email cannot be null".into(),
            ));
        }
        if safebox.guid.is_some() {
            return Err(Error::InvalidState(
                "SafeBox was already initialized".into(),
            ));
        }
        let raw = self
            .get(
                "api/v2/safeboxes/new.json",
                &[("user_email", &safebox.user_email)],
            )
            .await?;
        let answer = initialize_answer(&raw)?;
        safebox.guid = Some(answer.guid);
        safebox.upload_url = Some(answer.upload_url);
        safebox.public_encryption_key = answer.public_encryption_key;
        Ok(())
    }

    /// Uploads every attachment of an initialized SafeBox not uploaded yet (E2), reporting
    /// progress over all of them.
    pub async fn upload_attachments(
        &self,
        safebox: &mut Safebox,
        progress: Option<ProgressFn>,
    ) -> Result<()> {
        let upload_url = safebox.upload_url.clone().ok_or_else(|| {
            Error::InvalidState("SafeBox is not initialized: call initialize_safebox first".into())
        })?;
        self.http().check_transfer_url(&upload_url)?;
        upload_all(
            &self.http().transfer(),
            not_uploaded(&mut safebox.attachments),
            progress,
            self.upload_concurrency(),
            |_| {
                let url = upload_url.clone();
                async move { Ok(url) }
            },
            &note_uploaded,
        )
        .await
        .map_err(|e| self.http().redact(e))
    }

    /// Creates the SafeBox on the server (E3) from an initialized SafeBox whose attachments are
    /// uploaded, exactly once.
    ///
    /// A commit is not idempotent, but its GUID makes it checkable: when its outcome is unknown
    /// (the connection broke after sending, no answer within the request timeout, a 5xx or 429
    /// answer, possibly from a proxy), the SafeBox is looked up by its GUID (E29) before
    /// anything else. Found, it was created: the call succeeds with what is known, marked
    /// [`SafeboxResponse::recovered`] (no `encryption_key`: a double encryption key exists only
    /// in the lost answer). Not found, the commit is sent again (with the retry policy's waits;
    /// a commit that could not connect at all is sent again without a check), and a retry
    /// answered "has already been committed" is resolved by the same check. So a SafeBox is
    /// never created twice, and a call never fails for a SafeBox that was created, unless the
    /// check itself failed: then the error says the outcome is unknown, with the GUID, and
    /// calling again is safe (that call checks first when told "already committed").
    ///
    /// Each attempt, and each check, has the request timeout; a commit may so take longer than
    /// one request timeout.
    pub async fn commit_safebox(&self, safebox: &Safebox) -> Result<SafeboxResponse> {
        safebox.validate_for_commit()?;
        let guid = safebox.guid.clone().unwrap_or_default();
        let body = safebox.commit_json();
        let url = self.api_url("api/v2/safeboxes.json", &[]).await?;
        let policy = self.http().retry_policy();
        let plan = Plan {
            policy: &policy,
            idempotency: Idempotency::Checked,
            deadline: None,
            log_retry: &no_retry_log,
        };
        let unresolved = &safebox.commit_unresolved;
        let guid = &guid;
        // Whether a commit of this SafeBox may have been handled without our learning it.
        let maybe_committed = &AtomicBool::new(unresolved.load(Ordering::Relaxed));
        // A refusal "already committed" after a commit that may have been handled leaves the
        // outcome as unknown as a lost answer.
        let unknown = |failure: &Failure| {
            failure.outcome_unknown()
                || (maybe_committed.load(Ordering::Relaxed)
                    && matches!(failure.fate, Fate::Answered { .. })
                    && already_committed(&failure.error))
        };
        let lookup = Lookup {
            unknown: &unknown,
            find: |failure: Failure| async move {
                maybe_committed.store(true, Ordering::Relaxed);
                match self.find_committed(guid).await {
                    Ok(Some(info)) => {
                        unresolved.store(false, Ordering::Relaxed);
                        LookedUp::Found(Commit::Found(info))
                    }
                    // Not there (yet): it may be sent again (at once, without counting the
                    // attempt, when a reused connection had been closed under it).
                    Ok(None) => LookedUp::NotFound(failure),
                    Err(check) => LookedUp::Failed(Failure::fatal(outcome_unknown_error(
                        guid,
                        failure.error,
                        &check,
                    ))),
                }
            },
        };
        let committed = run_with_lookup(&plan, Some(lookup), |_| async {
            // Set while the attempt is out: a call cancelled now leaves the question open.
            unresolved.store(true, Ordering::Relaxed);
            let attempt = self.http().attempt(Method::POST, url.clone(), Some(&body));
            let result = match self.http().request_timeout() {
                Some(limit) => tokio::time::timeout(limit, attempt)
                    .await
                    .unwrap_or_else(|_| {
                        Err(Failure::timeout(format!(
                            "no answer to the commit within the request timeout ({} ms)",
                            limit.as_millis()
                        )))
                    }),
                None => attempt.await,
            };
            match result {
                Ok(raw) => {
                    unresolved.store(false, Ordering::Relaxed);
                    Ok(Commit::Made(raw))
                }
                Err(failure) if !unknown(&failure) && failure.fate != Fate::NotSent => {
                    // A definite refusal (e.g. a validation error): nothing was created by it.
                    unresolved.store(false, Ordering::Relaxed);
                    Err(Failure::fatal(failure.error))
                }
                Err(failure) => Err(failure),
            }
        })
        .await;
        let failure = match committed {
            Ok(Commit::Made(raw)) => {
                return SafeboxResponse::from_json(self.http().redact_value(raw))
            }
            Ok(Commit::Found(info)) => return Ok(SafeboxResponse::recovered_from_info(guid, info)),
            Err(failure) => failure,
        };
        if failure.fate == Fate::Final {
            return Err(self.http().redact(failure.error));
        }
        // The retries are spent.
        let maybe_committed = maybe_committed.load(Ordering::Relaxed);
        unresolved.store(maybe_committed, Ordering::Relaxed);
        Err(self.http().redact(if maybe_committed {
            not_found_error(guid, failure.error)
        } else {
            failure.error
        }))
    }

    /// The `safebox` of the SafeBox's info when it exists (it was committed), `None` when the
    /// server does not know it (404).
    async fn find_committed(&self, guid: &str) -> Result<Option<Value>> {
        let path = format!("api/v2/safeboxes/{}.json", segment(guid));
        match self.get(&path, &[("sections", "security_options")]).await {
            Ok(raw) => Ok(Some(raw.get("safebox").cloned().unwrap_or(raw))),
            Err(Error::Http { status: 404, .. }) => Ok(None),
            Err(e) => Err(e),
        }
    }

    /// Initializes (when needed), uploads the attachments, picks the enterprise's default
    /// security profile when none is set, and commits: the vendor SDKs' `submit_safebox`.
    pub async fn submit_safebox(
        &self,
        safebox: &mut Safebox,
        progress: Option<ProgressFn>,
    ) -> Result<SafeboxResponse> {
        if safebox.recipients.is_empty() {
            return Err(Error::InvalidArgument(
                "Participants cannot be empty".into(),
            ));
        }
        if safebox.guid.is_none() {
            self.initialize_safebox(safebox).await?;
        }
        self.upload_attachments(safebox, progress).await?;
        if safebox.security_profile_id.is_none() {
            let profile = self
                .get_default_security_profile(&safebox.user_email)
                .await?
                .ok_or_else(|| Error::InvalidArgument("No Security Profile configured".into()))?;
            safebox.security_profile_id = Some(profile.id);
        }
        self.commit_safebox(safebox).await
    }
}
