//! Packages: a new package (S5), package information (S6) and the lists (S10).

use crate::sendsafely::model::{FileInfo, Recipient, Secret};
use crate::transport::error::Result;
use crate::transport::json_fields::{
    flag, int, object, opt_text, optional_int, optional_list, optional_object, required_id_text,
    required_text, text, Object,
};
use serde_json::Value;
use zeroize::Zeroizing;

/// A package just created: what sending files and finalizing need.
#[derive(Debug, Clone)]
pub struct Package {
    /// The package's id (`4B88-CV9G`).
    pub package_id: String,
    /// The package's code, part of the secure link.
    pub package_code: String,
    /// The server's half of the encryption passphrase.
    pub server_secret: Secret,
    /// The client's half (43 characters, base64url), made on this machine and never sent:
    /// it travels only in the link's fragment. Keep it to resume uploads.
    pub keycode: Secret,
}

impl Package {
    /// S5's answer, with a new keycode.
    pub(crate) fn from_answer(v: &Value, keycode: Zeroizing<String>) -> Result<Package> {
        let what = "the new package";
        let o = object(v, what)?;
        Ok(Package {
            package_id: required_id_text(o, "packageId", what)?,
            package_code: required_text(o, "packageCode", what)?,
            server_secret: Secret::new(Zeroizing::new(required_text(o, "serverSecret", what)?)),
            keycode: Secret::new(keycode),
        })
    }
}

/// A Workspace directory listed in package information.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackageDirectory {
    /// The directory's id.
    pub directory_id: String,
    /// Its name.
    pub name: String,
    /// Its parent's id, empty for a top directory.
    pub parent_id: String,
}

/// Everything the server says of a package (S6).
#[derive(Debug, Clone)]
pub struct PackageInfo {
    /// The package's id.
    pub package_id: String,
    /// The package's code.
    pub package_code: String,
    /// The server's half of the passphrase (with the link's keycode, it decrypts the files).
    pub server_secret: Secret,
    /// The recipients.
    pub recipients: Vec<Recipient>,
    /// The files.
    pub files: Vec<FileInfo>,
    /// The Workspace directories below the root.
    pub directories: Vec<PackageDirectory>,
    /// Whether the package waits for an approver.
    pub needs_approval: bool,
    /// The state by name, e.g. `PACKAGE_STATE_IN_PROGRESS` (spec SF-18).
    pub state: String,
    /// The state by number (0 in progress, 3 active and complete, ...), when the server says.
    pub state_number: Option<i64>,
    /// Days the package lives after finalize (0 = forever), when the server says.
    pub life: Option<i64>,
    /// The label (subject).
    pub label: String,
    /// The description, empty when none.
    pub description: String,
    /// Whether the package is a Workspace.
    pub is_vdr: bool,
    /// A Workspace's root directory, empty otherwise.
    pub root_directory_id: String,
    /// When the package was created, as the server writes it.
    pub package_timestamp: String,
    /// The sender's e-mail address.
    pub package_sender: String,
    /// The package this one replies to, empty when none.
    pub package_parent_id: String,
    /// Whether recipients may reply to all.
    pub allow_reply_all: bool,
    /// Whether a secure message was stored.
    pub contains_message: bool,
    /// The secure link without its keycode, once finalized.
    pub url: Option<String>,
    /// Whether the package is archived.
    pub is_archived: bool,
}

impl PackageInfo {
    pub(crate) fn from_json(v: &Value) -> Result<PackageInfo> {
        let what = "the package information";
        let o = object(v, what)?;
        let recipients = optional_list(o, "recipients", what, "recipient")?
            .into_iter()
            .map(|(place, v)| Recipient::from_json(v, &place))
            .collect::<Result<_>>()?;
        let files = optional_list(o, "files", what, "file")?
            .into_iter()
            .map(|(place, v)| FileInfo::from_json(v, &place))
            .collect::<Result<_>>()?;
        let directories = optional_list(o, "directories", what, "directory")?
            .into_iter()
            .map(|(place, v)| {
                let d = object(v, &place)?;
                Ok(PackageDirectory {
                    directory_id: required_id_text(d, "directoryId", &place)?,
                    name: text(d, "directoryName"),
                    parent_id: text(d, "parentId"),
                })
            })
            .collect::<Result<_>>()?;
        Ok(PackageInfo {
            package_id: required_id_text(o, "packageId", what)?,
            package_code: required_text(o, "packageCode", what)?,
            server_secret: Secret::from(text(o, "serverSecret")),
            recipients,
            files,
            directories,
            needs_approval: flag(o, "needsApproval"),
            state: text(o, "state"),
            state_number: optional_int(o, "packageState", what)?,
            life: optional_int(o, "life", what)?,
            label: text(o, "label"),
            description: text(o, "description"),
            is_vdr: flag(o, "isVDR"),
            root_directory_id: text(o, "rootDirectoryId"),
            package_timestamp: text(o, "packageTimestamp"),
            package_sender: text(o, "packageSender"),
            package_parent_id: text(o, "packageParentId"),
            allow_reply_all: flag(o, "allowReplyAll"),
            contains_message: flag(o, "packageContainsMessage"),
            url: opt_text(o, "url").filter(|u| !u.is_empty()),
            is_archived: flag(o, "isArchived"),
        })
    }
}

/// Which packages a list shows (S10).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PackageList {
    /// Packages the user sent.
    Sent,
    /// Packages sent to the user.
    Received,
    /// Packages the user archived.
    Archived,
}

/// A package as the lists show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackageSummary {
    /// The package's id.
    pub package_id: String,
    /// The package's code, empty when the list does not show it.
    pub package_code: String,
    /// The sender's e-mail address.
    pub package_sender: String,
    /// The state by name, empty when the list does not say.
    pub state: String,
    /// The state by number, when the list says.
    pub state_number: Option<i64>,
    /// When the package was created, as the server writes it.
    pub package_timestamp: String,
    /// The recipients' addresses.
    pub recipients: Vec<String>,
    /// The files' names.
    pub file_names: Vec<String>,
    /// The label.
    pub label: String,
    /// Whether the package is a Workspace.
    pub is_vdr: bool,
}

/// One page of a list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PackagePage {
    /// The packages of this page.
    pub packages: Vec<PackageSummary>,
    /// The `row_index` of the next page; `None` when this page is the last.
    pub next_row_index: Option<u64>,
}

/// The texts of a list field, ignoring items that are not text.
fn texts(o: &Object, key: &str) -> Vec<String> {
    o.get(key)
        .and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

impl PackagePage {
    /// S10's answer for a page asked from `row_index` with `page_size`. The next page is the
    /// `pagination`'s `nextRowIndex` when it says there is more (`hasMore`, or fewer rows than
    /// `totalRows`); without `pagination`, a full page means there may be more (as PY reads
    /// it).
    pub(crate) fn from_json(v: &Value, row_index: u64, page_size: u64) -> Result<PackagePage> {
        let what = "the package list";
        let o = object(v, what)?;
        let packages: Vec<PackageSummary> = optional_list(o, "packages", what, "package")?
            .into_iter()
            .map(|(place, v)| {
                let p = object(v, &place)?;
                Ok(PackageSummary {
                    package_id: required_id_text(p, "packageId", &place)?,
                    package_code: text(p, "packageCode"),
                    package_sender: text(p, "packageSender"),
                    state: text(p, "state"),
                    state_number: optional_int(p, "packageState", &place)?,
                    package_timestamp: text(p, "packageTimestamp"),
                    recipients: texts(p, "recipients"),
                    file_names: texts(p, "filenames"),
                    label: text(p, "label"),
                    is_vdr: flag(p, "isVDR"),
                })
            })
            .collect::<Result<_>>()?;
        let after = row_index + packages.len() as u64;
        let next_row_index = match optional_object(o, "pagination", what)? {
            Some(pg) => {
                let next = match int(pg, "nextRowIndex") {
                    n if n > row_index as i64 => n as u64,
                    _ => after,
                };
                let more = if pg.contains_key("hasMore") {
                    flag(pg, "hasMore")
                } else if pg.contains_key("totalRows") {
                    (next as i64) < int(pg, "totalRows")
                } else {
                    packages.len() as u64 >= page_size
                };
                (more && !packages.is_empty()).then_some(next)
            }
            None => (!packages.is_empty() && packages.len() as u64 >= page_size).then_some(after),
        };
        Ok(PackagePage {
            packages,
            next_row_index,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn package_information_reads_recipients_files_and_state() {
        let v = json!({"response": "SUCCESS", "packageId": "4B88-CV9G",
            "packageCode": "E8FfOCwV4His4tlezIGi07qi0bQhxGQHcqVKYcqPcgg",
            "serverSecret": "ACbuj9OpJ7JWMqfYlGxfwH1Yjt39NYL1bQ",
            "recipients": [{"recipientId": "rcp-1", "email": "bob@acme.example", "phonenumbers": []}],
            "files": [{"fileId": "f-1", "fileName": "a.txt", "fileSize": 3, "fileParts": 1,
                       "fileUploaded": true}],
            "directories": [{"directoryId": "dir-2", "directoryName": "docs", "parentId": "dir-1"}],
            "contactGroups": [], "needsApproval": false, "state": "PACKAGE_STATE_IN_PROGRESS",
            "packageState": 0, "life": 10, "label": "Q3", "description": "Q3", "isVDR": true,
            "rootDirectoryId": "dir-1", "packageTimestamp": "2026-01-02T03:04:05+0000",
            "packageSender": "demo@acme.example", "packageParentId": "", "allowReplyAll": false,
            "packageContainsMessage": true, "url": null, "isArchived": false});
        let p = PackageInfo::from_json(&v).unwrap();
        assert_eq!(p.package_id, "4B88-CV9G");
        assert_eq!(&*p.server_secret, "ACbuj9OpJ7JWMqfYlGxfwH1Yjt39NYL1bQ");
        assert_eq!(p.recipients[0].email, "bob@acme.example");
        assert_eq!((p.files[0].file_id.as_str(), p.files[0].parts), ("f-1", 1));
        assert_eq!(p.directories[0].parent_id, "dir-1");
        assert_eq!(
            (p.state.as_str(), p.state_number, p.life),
            ("PACKAGE_STATE_IN_PROGRESS", Some(0), Some(10))
        );
        assert!(p.is_vdr && p.contains_message && !p.is_archived);
        assert_eq!(p.url, None);
        assert!(
            !format!("{p:?}").contains("ACbuj9"),
            "the server secret is shown"
        );
        let broken = json!({"packageId": "X", "packageCode": "C", "files": [{"fileName": "a"}]});
        match PackageInfo::from_json(&broken) {
            Err(crate::transport::error::Error::Decode(m)) => {
                assert_eq!(m, "file 1 of the package information has no `fileId`")
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn pages_say_where_the_next_one_starts() {
        let row =
            |id: &str| json!({"packageId": id, "recipients": ["a@b.c", 3], "packageState": "3"});
        let v = json!({"packages": [row("A"), row("B")],
            "pagination": {"rowIndex": 0, "pageSize": 2, "nextRowIndex": 2, "totalRows": 3, "hasMore": true}});
        let page = PackagePage::from_json(&v, 0, 2).unwrap();
        assert_eq!(page.next_row_index, Some(2));
        assert_eq!(page.packages[0].recipients, vec!["a@b.c".to_string()]);
        assert_eq!(page.packages[1].state_number, Some(3));
        let last =
            json!({"packages": [row("C")], "pagination": {"nextRowIndex": 3, "totalRows": 3}});
        assert_eq!(
            PackagePage::from_json(&last, 2, 2).unwrap().next_row_index,
            None
        );
        let bare = json!({"packages": [row("A"), row("B")]});
        assert_eq!(
            PackagePage::from_json(&bare, 4, 2).unwrap().next_row_index,
            Some(6)
        );
        assert_eq!(
            PackagePage::from_json(&json!({"packages": []}), 0, 2)
                .unwrap()
                .next_row_index,
            None
        );
    }

    #[test]
    fn a_new_package_keeps_its_secrets_out_of_debug() {
        let v = json!({"response": "SUCCESS", "packageId": "4B88-CV9G", "packageCode": "CODE",
                       "serverSecret": "SERVERSECRET"});
        let p = Package::from_answer(&v, Zeroizing::new("KEYCODE".into())).unwrap();
        assert_eq!(
            (&*p.server_secret, &*p.keycode),
            ("SERVERSECRET", "KEYCODE")
        );
        let shown = format!("{p:?}");
        assert!(
            !shown.contains("SERVERSECRET") && !shown.contains("KEYCODE"),
            "{shown}"
        );
        assert!(Package::from_answer(
            &json!({"packageId": "X", "packageCode": "C"}),
            Zeroizing::new(String::new())
        )
        .is_err());
    }
}
