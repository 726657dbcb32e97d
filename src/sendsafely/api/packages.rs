//! Packages: create (S5), information (S6), life and label (S7), delete (S8, S9) and the
//! lists (S10).

use crate::sendsafely::client::Client;
use crate::sendsafely::model::{Package, PackageInfo, PackageList, PackagePage, Secret};
use crate::transport::error::{Error, Result, ServiceCode};
use crate::transport::retry::{with_retries, Failure, Idempotency};
use reqwest::Method;
use serde_json::{json, Value};

/// The longest life a package may be given, in days (spec §6.3).
pub const MAX_PACKAGE_LIFE: i64 = 365;

/// The largest page a list may be asked for (spec §6.3).
pub const MAX_PAGE_SIZE: u64 = 100;

impl Client {
    /// A new package (S5), with a new keycode made here and never sent.
    pub async fn create_package(&self) -> Result<Package> {
        self.create(false).await
    }

    /// A new Workspace (S5 with `vdr`); its root directory is in its information
    /// ([`PackageInfo::root_directory_id`]).
    pub async fn create_workspace(&self) -> Result<Package> {
        self.create(true).await
    }

    async fn create(&self, vdr: bool) -> Result<Package> {
        // Made before the call so that a failure to make it sends nothing.
        let keycode = sendsafely_crypto::secrets::new_keycode();
        let body = json!({"vdr": vdr});
        // A second creation would leave a stray package: sent again only when nothing was.
        let answer = self
            .send_json(Method::PUT, "package/", &body, Idempotency::NotIdempotent)
            .await?;
        Package::from_answer(&answer, keycode)
    }

    /// Everything the server says of a package (S6), by its id or its package code.
    pub async fn package_information(&self, package_id_or_code: &str) -> Result<PackageInfo> {
        let path = format!("package/{}/", Client::id("package id", package_id_or_code)?);
        PackageInfo::from_json(&self.get(&path, &[]).await?)
    }

    /// A package of this user made earlier (maybe by another process), from its id and the
    /// keycode kept since: its code and server secret are read from its information (S6), so
    /// that files, a message or finalize can follow. The keycode cannot be checked before
    /// finalize (whose checksum the server verifies): a wrong one encrypts files nobody can
    /// read.
    pub async fn reopen_package(&self, package_id: &str, keycode: &str) -> Result<Package> {
        if keycode.trim().is_empty() {
            return Err(Error::InvalidArgument("the keycode must be given".into()));
        }
        let info = self.package_information(package_id).await?;
        if info.server_secret.is_empty() {
            return Err(Error::InvalidState(format!(
                "the server gave no server secret for package {}: only its sender can add to it",
                info.package_id
            )));
        }
        Ok(Package {
            package_id: info.package_id,
            package_code: info.package_code,
            server_secret: info.server_secret,
            keycode: Secret::from(keycode.to_string()),
        })
    }

    /// Sets the days a package lives after it is finalized (S7), 1 to [`MAX_PACKAGE_LIFE`];
    /// other values are refused here.
    pub async fn update_package_life(&self, package_id: &str, days: i64) -> Result<()> {
        if !(1..=MAX_PACKAGE_LIFE).contains(&days) {
            return Err(Error::InvalidArgument(format!(
                "a package's life must be 1 to {MAX_PACKAGE_LIFE} days (not {days})"
            )));
        }
        self.update_package(package_id, json!({"life": days})).await
    }

    /// Sets a package's label (S7).
    pub async fn update_package_label(&self, package_id: &str, label: &str) -> Result<()> {
        self.update_package(package_id, json!({"label": label}))
            .await
    }

    async fn update_package(&self, package_id: &str, body: serde_json::Value) -> Result<()> {
        let path = format!("package/{}/", Client::id("package id", package_id)?);
        self.send_json(Method::POST, &path, &body, Idempotency::Idempotent)
            .await
            .map(drop)
    }

    /// Deletes a package, finalized or not (S8).
    pub async fn delete_package(&self, package_id: &str) -> Result<()> {
        let path = format!("package/{}/", Client::id("package id", package_id)?);
        self.delete(&path).await
    }

    /// Deletes a package that was never finalized (S9); refused for a finalized one.
    pub async fn delete_temporary_package(&self, package_id: &str) -> Result<()> {
        let path = format!("package/{}/temp/", Client::id("package id", package_id)?);
        self.delete(&path).await
    }

    /// A signed DELETE, sent again after a failure like any overwrite; `UNKNOWN_PACKAGE` to
    /// a retry means an earlier attempt did it (spec §11.6), so it counts as done.
    pub(crate) async fn delete(&self, path: &str) -> Result<()> {
        let url = self.api_url(path, &[])?;
        let http = self.http();
        // Counted here: free re-sends after a stale connection are not numbered as retries.
        let mut sent = 0u32;
        with_retries(
            &http.retry_policy(),
            Idempotency::Idempotent,
            http.request_timeout(),
            |_| {
                sent += 1;
                let again = sent > 1;
                let attempt = http.attempt(Method::DELETE, url.clone(), None);
                async move {
                    match attempt.await {
                        Err(Failure {
                            error:
                                Error::Service {
                                    code: ServiceCode::Name(code),
                                    ..
                                },
                            ..
                        }) if again && &*code == "UNKNOWN_PACKAGE" => Ok(Value::Null),
                        other => other,
                    }
                }
            },
        )
        .await
        .map(drop)
        .map_err(|failure| http.redact(failure.error))
    }

    /// One page of the packages sent, received or archived (S10): `page_size` (1 to
    /// [`MAX_PAGE_SIZE`]) packages from `row_index` (0 first). The next page starts at the
    /// answer's [`PackagePage::next_row_index`].
    pub async fn list_packages(
        &self,
        list: PackageList,
        row_index: u64,
        page_size: u64,
    ) -> Result<PackagePage> {
        if !(1..=MAX_PAGE_SIZE).contains(&page_size) {
            return Err(Error::InvalidArgument(format!(
                "a page holds 1 to {MAX_PAGE_SIZE} packages (not {page_size})"
            )));
        }
        let path = match list {
            PackageList::Sent => "package/",
            PackageList::Received => "package/received/",
            PackageList::Archived => "package/archived/",
        };
        let (row, size) = (row_index.to_string(), page_size.to_string());
        let answer = self
            .get(path, &[("rowIndex", &row), ("pageSize", &size)])
            .await?;
        PackagePage::from_json(&answer, row_index, page_size)
    }
}
