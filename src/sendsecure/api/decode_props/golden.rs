//! The golden answers of spec §14, read from the corpus the emulator is tested against
//! (`emulator/tests/golden/sendsecure.json`: a list of `{id, title, kind, status, blocks}`),
//! so that the answers are written down once.

use serde_json::Value;
use std::sync::OnceLock;

/// The golden answers the properties use (those of the answers the library decodes), for the
/// raw byte edits.
pub(super) const GOLDEN: &[&str] = &[
    "G-01", "G-05", "G-07", "G-10", "G-11", "G-14", "G-15", "G-16", "G-17", "G-18", "G-19", "G-20",
    "G-22", "G-26", "G-28", "G-29", "G-31", "G-32", "G-34", "G-36", "G-38", "G-40", "G-44", "G-45",
    "G-46", "G-48", "G-50", "G-54", "G-60", "G-62", "G-63", "G-65", "G-66", "G-67", "G-68", "G-69",
    "G-70", "G-72", "G-76", "G-78", "G-79", "G-80",
];

/// The corpus, read once.
fn corpus() -> &'static [Value] {
    static CORPUS: OnceLock<Vec<Value>> = OnceLock::new();
    CORPUS.get_or_init(|| {
        let path = concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/emulator/tests/golden/sendsecure.json"
        );
        let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
        serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
    })
}

/// The answer of the golden entry `id` (`"G-01"`): its one block.
pub(super) fn golden(id: &str) -> Value {
    let entry = corpus()
        .iter()
        .find(|e| e["id"] == id)
        .unwrap_or_else(|| panic!("no golden entry {id}"));
    match entry["blocks"].as_array().map(Vec::as_slice) {
        Some([answer]) => answer.clone(),
        _ => panic!("golden entry {id} has not exactly one block"),
    }
}

/// The text of every answer of [`GOLDEN`].
pub(super) fn golden_texts() -> Vec<String> {
    GOLDEN.iter().map(|id| golden(id).to_string()).collect()
}
