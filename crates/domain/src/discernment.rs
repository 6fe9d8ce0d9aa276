//! Discernment notes: where the community sees God at work and its mission taking shape,
//! dated, so the vision's history can be read back. Members read them (`ViewPastoral`),
//! leaders write them (`Manage`).

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use crate::{DomainError, DomainResult, text};

#[derive(Debug, Clone, PartialEq)]
pub struct DiscernmentNote {
    pub id: Uuid,
    pub community_id: Uuid,
    pub noted_on: NaiveDate,
    pub body: String,
    pub author_id: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// A note records what was already discerned, so it is not dated after `today`.
/// Returns the body, trimmed.
pub fn note(noted_on: NaiveDate, today: NaiveDate, body: &str) -> DomainResult<String> {
    if noted_on > today {
        return Err(DomainError::invalid(
            "notedOn",
            "notedOn cannot be in the future",
        ));
    }
    text::required_text("body", body, text::LONG_TEXT_MAX_CHARS)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap_or_else(|e| panic!("{e}"))
    }

    #[test]
    fn a_note_is_dated_today_or_earlier_and_says_something() {
        let today = day("2025-03-01");
        assert_eq!(
            note(
                day("2025-02-01"),
                today,
                " We keep meeting the same families at the park "
            )
            .ok()
            .as_deref(),
            Some("We keep meeting the same families at the park")
        );
        let future = note(day("2025-03-02"), today, "later");
        assert!(
            matches!(future, Err(DomainError::Invalid { ref field, .. }) if field == "notedOn")
        );
        let empty = note(today, today, "   ");
        assert!(matches!(empty, Err(DomainError::Invalid { ref field, .. }) if field == "body"));
    }
}
