//! The time units SendSecure accepts (spec §8), for [`crate::core::clock::add`].

/// The time units accepted for expiration and `add_time` (spec §8).
pub const TIME_UNITS: [&str; 4] = ["hours", "days", "weeks", "months"];
/// The long time units accepted for retention periods (spec §8).
pub const LONG_TIME_UNITS: [&str; 5] = ["hours", "days", "weeks", "months", "years"];
