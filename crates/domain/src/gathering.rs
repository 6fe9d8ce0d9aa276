//! Logging a gathering: when it was, who came, and who brings what. Mistakes here show
//! up later as a wrong monthly grid, so they are caught at the door.

use chrono::{DateTime, Duration, Utc};
use uuid::Uuid;

use crate::rhythm::GatheringOutcome;
use crate::{DomainError, DomainResult, text};

/// A gathering may be logged ahead by this much: a leader logging tonight's meal in the
/// morning, or across a time-zone difference, is not a mistake.
pub const MAX_LOG_AHEAD: Duration = Duration::days(1);
/// A retreat may run through the night; anything longer is two gatherings.
pub const MAX_DURATION: Duration = Duration::hours(24);
/// More anonymous guests than this is a typing mistake, not a party.
pub const MAX_ANONYMOUS_GUESTS: u32 = 10_000;

pub fn validate_times(
    starts_at: DateTime<Utc>,
    ends_at: Option<DateTime<Utc>>,
    outcome: GatheringOutcome,
    now: DateTime<Utc>,
) -> DomainResult<()> {
    if let Some(ends_at) = ends_at {
        if ends_at <= starts_at {
            return Err(DomainError::invalid(
                "endsAt",
                "a gathering must end after it starts",
            ));
        }
        if ends_at - starts_at > MAX_DURATION {
            return Err(DomainError::invalid(
                "endsAt",
                "a gathering cannot last longer than 24 hours",
            ));
        }
    }
    // Only what happened can be logged as having happened.
    let logged_as_past = matches!(
        outcome,
        GatheringOutcome::Held | GatheringOutcome::DidNotMeet
    );
    if logged_as_past && starts_at > now + MAX_LOG_AHEAD {
        return Err(DomainError::invalid(
            "startsAt",
            "a gathering cannot be logged more than a day ahead",
        ));
    }
    Ok(())
}

/// Guests who came but are not named (a neighbourhood cook-out has many).
pub fn guest_count(value: i64) -> DomainResult<u32> {
    if value < 0 {
        return Err(DomainError::invalid(
            "anonymousGuests",
            "the number of guests cannot be negative",
        ));
    }
    match u32::try_from(value) {
        Ok(n) if n <= MAX_ANONYMOUS_GUESTS => Ok(n),
        _ => Err(DomainError::invalid(
            "anonymousGuests",
            format!("the number of guests can be at most {MAX_ANONYMOUS_GUESTS}"),
        )),
    }
}

/// The members present, each once and each a member of the community.
pub fn attendance(
    member_ids: &[Uuid],
    is_member: impl Fn(Uuid) -> bool,
) -> DomainResult<Vec<Uuid>> {
    let mut present: Vec<Uuid> = Vec::with_capacity(member_ids.len());
    for id in member_ids {
        if present.contains(id) {
            return Err(DomainError::invalid(
                "presentMemberIds",
                format!("person {id} is listed twice"),
            ));
        }
        if !is_member(*id) {
            return Err(DomainError::invalid(
                "presentMemberIds",
                format!(
                    "person {id} is not a member of this community; add them as a guest instead"
                ),
            ));
        }
        present.push(*id);
    }
    Ok(present)
}

/// Something to bring ("salad", "chairs", "music").
pub fn signup_item(label: &str) -> DomainResult<String> {
    text::required_line("label", label, text::LABEL_MAX_CHARS)
}

/// One person brings each item; a second claim would mean two salads and no bread.
pub fn claim_signup(already_claimed_by: Option<Uuid>, claimer: Uuid) -> DomainResult<()> {
    match already_claimed_by {
        None => Ok(()),
        Some(by) if by == claimer => {
            Err(DomainError::conflict("you have already claimed this item"))
        }
        Some(_) => Err(DomainError::conflict(
            "this item is already claimed by someone else",
        )),
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    fn at(d: u32, h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, d, h, 0, 0)
            .single()
            .unwrap_or_else(|| panic!("bad test instant"))
    }

    fn field_of<T: std::fmt::Debug>(r: DomainResult<T>) -> String {
        match r {
            Err(DomainError::Invalid { field, .. }) => field,
            other => panic!("expected invalid input, got {other:?}"),
        }
    }

    fn id(n: u128) -> Uuid {
        Uuid::from_u128(n)
    }

    #[test]
    fn a_gathering_that_ends_after_it_starts_is_fine() {
        assert!(
            validate_times(
                at(10, 18),
                Some(at(10, 21)),
                GatheringOutcome::Held,
                at(11, 9)
            )
            .is_ok()
        );
        assert!(validate_times(at(10, 18), None, GatheringOutcome::Held, at(11, 9)).is_ok());
    }

    #[test]
    fn a_gathering_that_ends_before_or_when_it_starts_is_refused_on_ends_at() {
        assert_eq!(
            field_of(validate_times(
                at(10, 18),
                Some(at(10, 17)),
                GatheringOutcome::Scheduled,
                at(1, 0)
            )),
            "endsAt"
        );
        assert_eq!(
            field_of(validate_times(
                at(10, 18),
                Some(at(10, 18)),
                GatheringOutcome::Scheduled,
                at(1, 0)
            )),
            "endsAt"
        );
    }

    #[test]
    fn a_gathering_longer_than_a_day_is_refused_on_ends_at() {
        assert!(
            validate_times(
                at(10, 18),
                Some(at(11, 18)),
                GatheringOutcome::Scheduled,
                at(1, 0)
            )
            .is_ok()
        );
        let err = validate_times(
            at(10, 18),
            Some(at(11, 18) + Duration::minutes(1)),
            GatheringOutcome::Scheduled,
            at(1, 0),
        );
        assert_eq!(field_of(err), "endsAt");
    }

    #[test]
    fn a_held_gathering_cannot_be_logged_more_than_a_day_ahead() {
        let now = at(10, 12);
        for outcome in [GatheringOutcome::Held, GatheringOutcome::DidNotMeet] {
            assert!(validate_times(at(11, 12), None, outcome, now).is_ok());
            let err = validate_times(at(11, 13), None, outcome, now);
            assert_eq!(
                err,
                Err(DomainError::invalid(
                    "startsAt",
                    "a gathering cannot be logged more than a day ahead"
                ))
            );
        }
    }

    #[test]
    fn a_scheduled_or_cancelled_gathering_may_be_far_ahead() {
        let now = at(1, 12);
        assert!(validate_times(at(30, 18), None, GatheringOutcome::Scheduled, now).is_ok());
        assert!(validate_times(at(30, 18), None, GatheringOutcome::Cancelled, now).is_ok());
    }

    #[test]
    fn anonymous_guests_are_counted_within_reason() {
        assert_eq!(guest_count(0).ok(), Some(0));
        assert_eq!(guest_count(10_000).ok(), Some(10_000));
        assert_eq!(field_of(guest_count(-1)), "anonymousGuests");
        assert_eq!(field_of(guest_count(10_001)), "anonymousGuests");
        assert_eq!(field_of(guest_count(i64::MAX)), "anonymousGuests");
    }

    #[test]
    fn attendance_keeps_members_in_the_order_given() {
        let got = attendance(&[id(2), id(1)], |_| true);
        assert_eq!(got.ok(), Some(vec![id(2), id(1)]));
        assert_eq!(attendance(&[], |_| false).ok(), Some(vec![]));
    }

    #[test]
    fn a_person_listed_twice_in_attendance_is_refused() {
        let err = attendance(&[id(1), id(2), id(1)], |_| true);
        assert_eq!(field_of(err), "presentMemberIds");
    }

    #[test]
    fn someone_who_is_not_a_member_cannot_be_marked_present() {
        let err = attendance(&[id(1), id(9)], |p| p == id(1));
        let Err(DomainError::Invalid { field, message }) = err else {
            panic!("expected invalid input, got {err:?}");
        };
        assert_eq!(field, "presentMemberIds");
        assert!(message.contains("is not a member"), "{message}");
        assert!(message.contains(&id(9).to_string()), "{message}");
    }

    #[test]
    fn signup_items_are_short_trimmed_labels() {
        assert_eq!(signup_item("  salad ").ok(), Some("salad".to_owned()));
        assert!(signup_item(&"x".repeat(60)).is_ok());
        assert_eq!(field_of(signup_item(&"x".repeat(61))), "label");
        assert_eq!(field_of(signup_item("  ")), "label");
    }

    #[test]
    fn an_unclaimed_item_can_be_claimed() {
        assert!(claim_signup(None, id(1)).is_ok());
    }

    #[test]
    fn an_item_claimed_by_someone_else_is_a_conflict() {
        let got = claim_signup(Some(id(2)), id(1));
        assert!(
            matches!(got, Err(DomainError::Conflict { ref message }) if message.contains("already claimed"))
        );
    }

    #[test]
    fn claiming_the_same_item_twice_is_a_conflict_too() {
        let got = claim_signup(Some(id(1)), id(1));
        assert!(
            matches!(got, Err(DomainError::Conflict { ref message }) if message.contains("already claimed"))
        );
    }
}
