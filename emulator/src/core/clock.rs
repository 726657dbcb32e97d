//! Time as the emulator sees it: wall clock plus an offset that tests can advance, the
//! timestamp format of the APIs (ISO-8601 UTC with milliseconds and `Z`), and calendar sums.

use chrono::{DateTime, Duration, Months, SecondsFormat, Utc};
use std::sync::atomic::{AtomicI64, Ordering};

/// A clock that the control API moves forward, sets, or ties back to the host clock.
#[derive(Debug, Default)]
pub struct Clock {
    offset_ms: AtomicI64,
}

impl Clock {
    /// The current emulated time.
    pub fn now(&self) -> DateTime<Utc> {
        Utc::now() + Duration::milliseconds(self.offset_ms.load(Ordering::Relaxed))
    }

    /// Moves the clock forward by `seconds`.
    pub fn advance(&self, seconds: i64) {
        self.offset_ms
            .fetch_add(seconds.max(0).saturating_mul(1000), Ordering::Relaxed);
    }

    /// Sets the emulated time to `t` (which may be before the current one).
    pub fn set(&self, t: DateTime<Utc>) {
        let offset = (t - Utc::now()).num_milliseconds();
        self.offset_ms.store(offset, Ordering::Relaxed);
    }

    /// Ties the clock back to the host clock.
    pub fn follow_host(&self) {
        self.offset_ms.store(0, Ordering::Relaxed);
    }
}

/// Formats a timestamp as the API does: `2017-05-24T14:45:35.062Z`.
pub fn format(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

/// Adds `value` units (`hours`, `days`, `weeks`, `months`, `years`) to a time.
///
/// Returns `None` for an unknown unit or an overflow.
pub fn add(t: DateTime<Utc>, value: i64, unit: &str) -> Option<DateTime<Utc>> {
    match unit {
        "hours" => t.checked_add_signed(Duration::try_hours(value)?),
        "days" => t.checked_add_signed(Duration::try_days(value)?),
        "weeks" => t.checked_add_signed(Duration::try_weeks(value)?),
        "months" => add_months(t, value),
        "years" => add_months(t, value.checked_mul(12)?),
        _ => None,
    }
}

fn add_months(t: DateTime<Utc>, months: i64) -> Option<DateTime<Utc>> {
    let m = Months::new(u32::try_from(months.unsigned_abs()).ok()?);
    if months >= 0 {
        t.checked_add_months(m)
    } else {
        t.checked_sub_months(m)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn formats_with_millis_and_z() {
        let t = Utc.with_ymd_and_hms(2017, 5, 24, 14, 45, 35).unwrap() + Duration::milliseconds(62);
        assert_eq!(format(t), "2017-05-24T14:45:35.062Z");
    }

    #[test]
    fn adds_calendar_months_and_rejects_unknown_units() {
        let t = Utc.with_ymd_and_hms(2020, 1, 31, 0, 0, 0).unwrap();
        assert_eq!(
            format(add(t, 1, "months").unwrap()),
            "2020-02-29T00:00:00.000Z"
        );
        assert_eq!(
            format(add(t, 2, "weeks").unwrap()),
            "2020-02-14T00:00:00.000Z"
        );
        assert!(add(t, 1, "fortnights").is_none());
    }
}
