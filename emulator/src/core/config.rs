//! Config file loading every service shares: TOML read from a file or text, then checked by
//! the service's own validation, with the file named in any error.

use serde::de::DeserializeOwned;
use std::path::Path;

/// Reads a config file, parses it as TOML and validates it with `validate`.
pub fn load<T: DeserializeOwned>(
    path: &Path,
    validate: impl Fn(&T) -> Result<(), String>,
) -> Result<T, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read config file {}: {e}", path.display()))?;
    parse(&text, validate).map_err(|e| format!("config file {}: {e}", path.display()))
}

/// Parses config text as TOML and validates it with `validate`.
pub fn parse<T: DeserializeOwned>(
    text: &str,
    validate: impl Fn(&T) -> Result<(), String>,
) -> Result<T, String> {
    let config: T = toml::from_str(text).map_err(|e| e.to_string())?;
    validate(&config)?;
    Ok(config)
}

/// A service's config file: TOML that its own `validate` checks; `load` and `parse` are shared.
pub trait ConfigFile: DeserializeOwned {
    /// The service's own checks of a parsed config.
    fn validate(&self) -> Result<(), String>;

    /// Reads and validates a config file.
    fn load(path: &Path) -> Result<Self, String> {
        load(path, Self::validate)
    }

    /// Parses and validates config text.
    fn parse(text: &str) -> Result<Self, String> {
        parse(text, Self::validate)
    }
}
