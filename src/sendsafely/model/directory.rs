//! A workspace directory (S33): its name, parent, subdirectories and files.

use crate::sendsafely::model::FileInfo;
use crate::transport::error::Result;
use crate::transport::json_fields::{
    object, optional_id_text, optional_list, required_id_text, text,
};
use serde_json::Value;

/// A subdirectory, as its parent lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subdirectory {
    /// Its id.
    pub directory_id: String,
    /// Its name.
    pub name: String,
}

/// A directory of a workspace.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Directory {
    /// Its id.
    pub directory_id: String,
    /// Its name.
    pub name: String,
    /// Its parent's id (`None` for the root).
    pub parent_id: Option<String>,
    /// When it was created, as the server writes it.
    pub created: String,
    /// The directories in it.
    pub subdirectories: Vec<Subdirectory>,
    /// The files in it.
    pub files: Vec<FileInfo>,
}

/// `directoryName`, else `name`.
fn name_of(o: &crate::transport::json_fields::Object) -> String {
    let name = text(o, "directoryName");
    if name.is_empty() {
        text(o, "name")
    } else {
        name
    }
}

impl Directory {
    pub(crate) fn from_json(v: &Value) -> Result<Directory> {
        let what = "the directory";
        let o = object(v, what)?;
        let subdirectories = optional_list(o, "subDirectories", what, "subdirectory")?
            .into_iter()
            .map(|(place, sub)| {
                let s = object(sub, &place)?;
                Ok(Subdirectory {
                    directory_id: required_id_text(s, "directoryId", &place)?,
                    name: name_of(s),
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let files = optional_list(o, "files", what, "file")?
            .into_iter()
            .map(|(place, file)| FileInfo::from_json(file, &place))
            .collect::<Result<Vec<_>>>()?;
        Ok(Directory {
            directory_id: required_id_text(o, "directoryId", what)?,
            name: name_of(o),
            parent_id: optional_id_text(o, "parentId", what)?,
            created: text(o, "created"),
            subdirectories,
            files,
        })
    }
}
