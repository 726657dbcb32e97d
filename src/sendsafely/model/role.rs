//! A collaborator's role in a workspace (S13 `roleName`).

/// What a workspace recipient may do.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// Reads files.
    Viewer,
    /// Reads and adds files.
    Contributor,
    /// Manages files, directories and collaborators.
    Manager,
    /// Owns the workspace.
    Owner,
}

impl Role {
    /// The name the API takes.
    pub fn name(self) -> &'static str {
        match self {
            Role::Viewer => "VIEWER",
            Role::Contributor => "CONTRIBUTOR",
            Role::Manager => "MANAGER",
            Role::Owner => "OWNER",
        }
    }
}
