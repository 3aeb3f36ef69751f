//! Times as the platform writes them: RFC 3339, UTC, milliseconds (`2026-11-23T15:04:05.123Z`).

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, NaiveDate, SecondsFormat, TimeDelta, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A UTC instant with millisecond precision. Its text form sorts as it compares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Timestamp(DateTime<Utc>);

impl Timestamp {
    /// Now, cut to milliseconds.
    pub fn now() -> Self {
        Self::from_millis(Utc::now().timestamp_millis())
    }

    /// From milliseconds since the Unix epoch (clamped to chrono's range).
    pub fn from_millis(ms: i64) -> Self {
        Self(DateTime::from_timestamp_millis(ms).unwrap_or_default())
    }

    /// Milliseconds since the Unix epoch.
    pub fn as_millis(&self) -> i64 {
        self.0.timestamp_millis()
    }

    /// This instant plus `seconds` (negative goes back).
    pub fn plus_seconds(&self, seconds: i64) -> Self {
        Self::from_millis(
            self.as_millis()
                .saturating_add(seconds.saturating_mul(1000)),
        )
    }

    /// Parses a `--since`/`--until` value relative to `now`: an RFC 3339 time
    /// (`2026-11-23T15:00:00Z`, any offset), a date (`2026-11-23`, midnight UTC), or a duration
    /// back from now (`90s`, `15m`, `2h`, `7d`).
    pub fn parse_relative(text: &str, now: Timestamp) -> Result<Self, String> {
        let t = text.trim();
        if let Some((n, unit)) = t
            .find(|c: char| !c.is_ascii_digit())
            .filter(|&i| i > 0 && i + 1 == t.len())
            .map(|i| (&t[..i], &t[i..]))
        {
            let n: i64 = n.parse().map_err(|_| format!("invalid duration \"{t}\""))?;
            let seconds = match unit {
                "s" => n,
                "m" => n.saturating_mul(60),
                "h" => n.saturating_mul(3600),
                "d" => n.saturating_mul(86_400),
                _ => return Err(format!("invalid duration \"{t}\": use s, m, h or d")),
            };
            return Ok(now.plus_seconds(-seconds));
        }
        if let Ok(d) = NaiveDate::parse_from_str(t, "%Y-%m-%d") {
            let midnight = d.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc();
            return Ok(Self::from_millis(midnight.timestamp_millis()));
        }
        t.parse()
    }

    /// The span from `self` to `later`, in whole seconds (negative when `later` is earlier).
    pub fn seconds_until(&self, later: &Timestamp) -> i64 {
        TimeDelta::milliseconds(later.as_millis() - self.as_millis()).num_seconds()
    }
}

impl fmt::Display for Timestamp {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0.to_rfc3339_opts(SecondsFormat::Millis, true))
    }
}

impl FromStr for Timestamp {
    type Err = String;

    /// Parses RFC 3339 (any offset, any fraction), cut to milliseconds in UTC.
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        DateTime::parse_from_rfc3339(s.trim())
            .map(|d| Self::from_millis(d.timestamp_millis()))
            .map_err(|e| {
                format!("invalid time \"{s}\": {e} (expected RFC 3339 such as 2026-11-23T15:04:05.123Z, a date, or 15m/2h/7d)")
            })
    }
}

impl Serialize for Timestamp {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Timestamp {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let s = String::deserialize(d)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_utc_millis() {
        let t: Timestamp = "2026-11-23T16:04:05.123456+01:00".parse().unwrap();
        assert_eq!(t.to_string(), "2026-11-23T15:04:05.123Z");
        assert_eq!(
            Timestamp::from_millis(0).to_string(),
            "1970-01-01T00:00:00.000Z"
        );
        let now: Timestamp = "2026-11-23T15:00:00Z".parse().unwrap();
        assert_eq!(
            Timestamp::parse_relative("2h", now).unwrap().to_string(),
            "2026-11-23T13:00:00.000Z"
        );
        assert_eq!(
            Timestamp::parse_relative("2026-11-20", now)
                .unwrap()
                .to_string(),
            "2026-11-20T00:00:00.000Z"
        );
        assert!(Timestamp::parse_relative("yesterday", now).is_err());
        assert!(Timestamp::parse_relative("5w", now).is_err());
    }
}
