//! Logging a gathering: when it was, who came, and who brings what. Mistakes here show
//! up later as a wrong monthly grid, so they are caught at the door.

use chrono::{DateTime, Duration, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::access::CommunityAction;
use crate::calendar::YearMonth;
use crate::community::{CommunityStatus, PlaceKind, text_enum};
use crate::practice::{Practice, practices};
use crate::rhythm::GatheringOutcome;
use crate::{DomainError, DomainResult, text};

/// A gathering may be logged ahead by this much: a leader logging tonight's meal in the
/// morning, or across a time-zone difference, is not a mistake.
pub const MAX_LOG_AHEAD: Duration = Duration::days(1);
/// A retreat may run through the night; anything longer is two gatherings.
pub const MAX_DURATION: Duration = Duration::hours(24);
/// More anonymous guests than this is a typing mistake, not a party.
pub const MAX_ANONYMOUS_GUESTS: u32 = 10_000;
pub const TITLE_MAX_CHARS: usize = 120;
pub const PLACE_DESCRIPTION_MAX_CHARS: usize = 200;
pub const DID_NOT_MEET_REASON_MAX_CHARS: usize = 500;

/// When, where and what: the part of a gathering that is planned ahead.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GatheringDetails {
    pub title: Option<String>,
    pub starts_at: DateTime<Utc>,
    pub ends_at: Option<DateTime<Utc>>,
    pub place_kind: PlaceKind,
    pub place_description: Option<String>,
    pub plan: Option<String>,
    /// At least one, each once, in [`Practice::ALL`] order: a gathering reads the same
    /// however its practices were entered.
    pub practices: Vec<Practice>,
}

/// The details as a client sends them, before validation.
#[derive(Debug, Clone)]
pub struct GatheringDetailsDraft {
    pub title: Option<String>,
    pub starts_at: DateTime<Utc>,
    pub ends_at: Option<DateTime<Utc>>,
    pub place_kind: Option<PlaceKind>,
    pub place_description: Option<String>,
    pub plan: Option<String>,
    pub practices: Vec<Practice>,
}

impl GatheringDetails {
    /// `usual_place` is where the community usually meets: a gathering that names no
    /// place is assumed to be there. Times are checked against the outcome separately,
    /// by [`validate_times`], because what is allowed depends on what is being logged.
    pub fn parse(draft: GatheringDetailsDraft, usual_place: PlaceKind) -> DomainResult<Self> {
        Ok(Self {
            title: text::optional_line("title", draft.title.as_deref(), TITLE_MAX_CHARS)?,
            starts_at: draft.starts_at,
            ends_at: draft.ends_at,
            place_kind: draft.place_kind.unwrap_or(usual_place),
            place_description: text::optional_line(
                "placeDescription",
                draft.place_description.as_deref(),
                PLACE_DESCRIPTION_MAX_CHARS,
            )?,
            plan: text::optional_text("plan", draft.plan.as_deref(), text::LONG_TEXT_MAX_CHARS)?,
            practices: {
                let mut practices = practices(&draft.practices)?;
                practices.sort_unstable();
                practices
            },
        })
    }
}

/// A gathering as recorded: planned, then logged as held or not.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Gathering {
    pub id: Uuid,
    pub community_id: Uuid,
    pub organization_id: Uuid,
    pub details: GatheringDetails,
    /// The month it counts in, on the community's own calendar, fixed when written.
    pub local_month: YearMonth,
    pub outcome: GatheringOutcome,
    pub did_not_meet_reason: Option<String>,
    pub notes: Option<String>,
    pub anonymous_guests: u32,
    pub created_by: Option<Uuid>,
    /// Deleted gatherings stay as tombstones so that synced systems learn of the deletion.
    pub deleted_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// Someone who was at a held gathering.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Attendee {
    pub gathering_id: Uuid,
    pub person_id: Uuid,
    pub kind: AttendanceKind,
}

/// A member's answer to a scheduled gathering; the latest answer counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Rsvp {
    pub gathering_id: Uuid,
    pub person_id: Uuid,
    pub response: RsvpResponse,
    pub updated_at: DateTime<Utc>,
}

/// Something to bring to a gathering, and who brings it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Signup {
    pub id: Uuid,
    pub gathering_id: Uuid,
    pub label: String,
    pub claimed_by: Option<Uuid>,
    pub claimed_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

/// What happened at a held gathering, besides who came.
pub fn notes(value: Option<&str>) -> DomainResult<Option<String>> {
    text::optional_text("notes", value, text::LONG_TEXT_MAX_CHARS)
}

/// Why a gathering did not take place ("half of us had the flu"): a missed rhythm is
/// still part of the story, and the reason is what a coach asks about.
pub fn did_not_meet_reason(value: &str) -> DomainResult<String> {
    text::required_line("reason", value, DID_NOT_MEET_REASON_MAX_CHARS)
}

/// New gatherings belong to a living community; a closed one keeps its history.
pub fn ensure_open_for_gatherings(status: CommunityStatus) -> DomainResult<()> {
    if status == CommunityStatus::Closed {
        return Err(DomainError::conflict(
            "the community is closed; its gatherings are history",
        ));
    }
    Ok(())
}

/// What someone does to a gathering that already exists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum GatheringChange {
    /// Record that it was held, and who came.
    Log,
    MarkDidNotMeet,
    Cancel,
    /// Change its time, place, plan, practices or notes.
    Edit,
    Delete,
}

/// Which community action a change needs. Telling what became of a scheduled gathering
/// is every member's part (whoever hosted logs it); a member may also move, cancel or
/// withdraw a gathering they planned themselves. Changing someone else's plans, or any
/// record of what already happened, is a correction, and corrections are for leaders.
pub fn required_action(
    change: GatheringChange,
    current: GatheringOutcome,
    by_its_creator: bool,
) -> CommunityAction {
    use GatheringChange as C;
    let scheduled = current == GatheringOutcome::Scheduled;
    match change {
        C::Log | C::MarkDidNotMeet if scheduled => CommunityAction::Participate,
        C::Cancel | C::Edit | C::Delete if scheduled && by_its_creator => {
            CommunityAction::Participate
        }
        _ => CommunityAction::Manage,
    }
}

/// Moves a gathering to a new outcome. What happened may be corrected either way (held
/// after all, or did not meet after all, even after a cancellation), but a gathering
/// whose outcome was recorded cannot be cancelled or put back in the plan: that would
/// silently remove a month's rhythm. Delete it if it was logged by mistake.
pub fn change_outcome(
    from: GatheringOutcome,
    to: GatheringOutcome,
) -> DomainResult<GatheringOutcome> {
    use GatheringOutcome as O;
    match (from, to) {
        (_, O::Held | O::DidNotMeet)
        | (O::Scheduled | O::Cancelled, O::Scheduled | O::Cancelled) => Ok(to),
        (O::Held | O::DidNotMeet, O::Scheduled | O::Cancelled) => Err(DomainError::conflict(
            "this gathering has already been logged; correct it, or delete it if it was logged by mistake",
        )),
    }
}

/// RSVPs and sign-ups plan ahead: they only make sense while a gathering is scheduled.
pub fn ensure_still_planned(outcome: GatheringOutcome) -> DomainResult<()> {
    if outcome != GatheringOutcome::Scheduled {
        return Err(DomainError::conflict(
            "this gathering is no longer scheduled; RSVPs and sign-ups are closed",
        ));
    }
    Ok(())
}

/// A member's answer to a scheduled gathering.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum RsvpResponse {
    Yes,
    No,
    Maybe,
}
text_enum!(RsvpResponse { Yes => "YES", No => "NO", Maybe => "MAYBE" });

/// Whether a person was at a gathering as a member or as a guest.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum AttendanceKind {
    Member,
    Guest,
}
text_enum!(AttendanceKind { Member => "MEMBER", Guest => "GUEST" });

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

/// The guests named at a gathering: each a person of peace of this community (someone a
/// member knows), each once, and none also counted among the members present.
pub fn named_guests(
    guest_ids: &[Uuid],
    present_members: &[Uuid],
    is_person_of_peace: impl Fn(Uuid) -> bool,
) -> DomainResult<Vec<Uuid>> {
    let mut guests: Vec<Uuid> = Vec::with_capacity(guest_ids.len());
    for id in guest_ids {
        if guests.contains(id) {
            return Err(DomainError::invalid(
                "guestIds",
                format!("person {id} is listed twice"),
            ));
        }
        if present_members.contains(id) {
            return Err(DomainError::invalid(
                "guestIds",
                format!("person {id} is already counted among the members present"),
            ));
        }
        if !is_person_of_peace(*id) {
            return Err(DomainError::invalid(
                "guestIds",
                format!(
                    "person {id} is not a person of peace of this community; add them first, or count them as an anonymous guest"
                ),
            ));
        }
        guests.push(*id);
    }
    Ok(guests)
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

/// Which action giving back a claimed item needs: your own claim is yours to give back;
/// someone else's is a leader's correction.
pub fn unclaim_signup(
    already_claimed_by: Option<Uuid>,
    actor: Uuid,
) -> DomainResult<CommunityAction> {
    match already_claimed_by {
        None => Err(DomainError::conflict("nobody has claimed this item")),
        Some(by) if by == actor => Ok(CommunityAction::Participate),
        Some(_) => Ok(CommunityAction::Manage),
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

    fn draft() -> GatheringDetailsDraft {
        GatheringDetailsDraft {
            title: Some("  Soup night ".into()),
            starts_at: at(10, 18),
            ends_at: Some(at(10, 21)),
            place_kind: None,
            place_description: Some(" at Ana's ".into()),
            plan: Some("  ".into()),
            practices: vec![Practice::Meal, Practice::Scripture, Practice::Meal],
        }
    }

    #[test]
    fn details_are_trimmed_and_take_the_usual_place_when_none_is_named() {
        let got =
            GatheringDetails::parse(draft(), PlaceKind::Park).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(got.title.as_deref(), Some("Soup night"));
        assert_eq!(got.place_kind, PlaceKind::Park);
        assert_eq!(got.place_description.as_deref(), Some("at Ana's"));
        assert_eq!(got.plan, None);
        assert_eq!(got.practices, vec![Practice::Scripture, Practice::Meal]);
        let cafe = GatheringDetails::parse(
            GatheringDetailsDraft {
                place_kind: Some(PlaceKind::Cafe),
                ..draft()
            },
            PlaceKind::Park,
        );
        assert_eq!(cafe.map(|d| d.place_kind).ok(), Some(PlaceKind::Cafe));
    }

    #[test]
    fn details_without_practices_or_with_an_overlong_title_are_refused() {
        let none = GatheringDetails::parse(
            GatheringDetailsDraft {
                practices: vec![],
                ..draft()
            },
            PlaceKind::Home,
        );
        assert_eq!(field_of(none), "practices");
        let long = GatheringDetails::parse(
            GatheringDetailsDraft {
                title: Some("x".repeat(TITLE_MAX_CHARS + 1)),
                ..draft()
            },
            PlaceKind::Home,
        );
        assert_eq!(field_of(long), "title");
    }

    #[test]
    fn a_did_not_meet_reason_is_required() {
        assert_eq!(field_of(did_not_meet_reason("  ")), "reason");
        assert_eq!(did_not_meet_reason(" flu ").ok(), Some("flu".to_owned()));
        assert_eq!(notes(Some(" ")).ok(), Some(None));
    }

    #[test]
    fn a_closed_community_schedules_no_new_gatherings() {
        assert!(ensure_open_for_gatherings(CommunityStatus::Active).is_ok());
        assert!(ensure_open_for_gatherings(CommunityStatus::Forming).is_ok());
        assert!(matches!(
            ensure_open_for_gatherings(CommunityStatus::Closed),
            Err(DomainError::Conflict { .. })
        ));
    }

    #[test]
    fn any_member_may_log_what_became_of_a_scheduled_gathering() {
        for change in [GatheringChange::Log, GatheringChange::MarkDidNotMeet] {
            assert_eq!(
                required_action(change, GatheringOutcome::Scheduled, false),
                CommunityAction::Participate
            );
        }
    }

    #[test]
    fn a_member_may_move_cancel_or_withdraw_only_the_gatherings_they_planned() {
        for change in [
            GatheringChange::Cancel,
            GatheringChange::Edit,
            GatheringChange::Delete,
        ] {
            assert_eq!(
                required_action(change, GatheringOutcome::Scheduled, true),
                CommunityAction::Participate
            );
            assert_eq!(
                required_action(change, GatheringOutcome::Scheduled, false),
                CommunityAction::Manage
            );
        }
    }

    #[test]
    fn correcting_a_logged_gathering_is_for_leaders_even_for_its_creator() {
        for outcome in [
            GatheringOutcome::Held,
            GatheringOutcome::DidNotMeet,
            GatheringOutcome::Cancelled,
        ] {
            for change in [
                GatheringChange::Log,
                GatheringChange::MarkDidNotMeet,
                GatheringChange::Cancel,
                GatheringChange::Edit,
                GatheringChange::Delete,
            ] {
                assert_eq!(
                    required_action(change, outcome, true),
                    CommunityAction::Manage,
                    "{change:?} on {outcome:?}"
                );
            }
        }
    }

    #[test]
    fn what_happened_may_be_corrected_either_way() {
        use GatheringOutcome as O;
        for from in O::ALL {
            assert_eq!(change_outcome(*from, O::Held).ok(), Some(O::Held));
            assert_eq!(
                change_outcome(*from, O::DidNotMeet).ok(),
                Some(O::DidNotMeet)
            );
        }
        assert_eq!(
            change_outcome(O::Scheduled, O::Cancelled).ok(),
            Some(O::Cancelled)
        );
        assert_eq!(
            change_outcome(O::Cancelled, O::Scheduled).ok(),
            Some(O::Scheduled)
        );
    }

    #[test]
    fn a_logged_gathering_cannot_be_cancelled_or_planned_again() {
        use GatheringOutcome as O;
        for from in [O::Held, O::DidNotMeet] {
            for to in [O::Cancelled, O::Scheduled] {
                assert!(
                    matches!(change_outcome(from, to), Err(DomainError::Conflict { .. })),
                    "{from:?} -> {to:?}"
                );
            }
        }
    }

    #[test]
    fn rsvps_and_signups_are_only_for_scheduled_gatherings() {
        assert!(ensure_still_planned(GatheringOutcome::Scheduled).is_ok());
        for outcome in [
            GatheringOutcome::Held,
            GatheringOutcome::DidNotMeet,
            GatheringOutcome::Cancelled,
        ] {
            assert!(matches!(
                ensure_still_planned(outcome),
                Err(DomainError::Conflict { .. })
            ));
        }
    }

    #[test]
    fn rsvp_responses_and_attendance_kinds_round_trip_through_text() {
        for r in RsvpResponse::ALL {
            assert_eq!(RsvpResponse::parse(r.as_str()), Some(*r));
        }
        for k in AttendanceKind::ALL {
            assert_eq!(AttendanceKind::parse(k.as_str()), Some(*k));
        }
        assert_eq!(RsvpResponse::parse("yes"), None);
    }

    #[test]
    fn named_guests_are_people_of_peace_each_listed_once() {
        let got = named_guests(&[id(5), id(6)], &[id(1)], |p| p == id(5) || p == id(6));
        assert_eq!(got.ok(), Some(vec![id(5), id(6)]));
        assert_eq!(
            field_of(named_guests(&[id(5), id(5)], &[], |_| true)),
            "guestIds"
        );
    }

    #[test]
    fn someone_who_is_not_a_person_of_peace_cannot_be_a_named_guest() {
        let err = named_guests(&[id(7)], &[], |p| p == id(5));
        let Err(DomainError::Invalid { field, message }) = err else {
            panic!("expected invalid input, got {err:?}");
        };
        assert_eq!(field, "guestIds");
        assert!(message.contains("not a person of peace"), "{message}");
    }

    #[test]
    fn a_member_present_cannot_also_be_counted_as_a_guest() {
        let err = named_guests(&[id(1)], &[id(1)], |_| true);
        assert_eq!(field_of(err), "guestIds");
    }

    #[test]
    fn your_own_claim_is_yours_to_give_back_and_others_are_for_leaders() {
        assert_eq!(
            unclaim_signup(Some(id(1)), id(1)).ok(),
            Some(CommunityAction::Participate)
        );
        assert_eq!(
            unclaim_signup(Some(id(2)), id(1)).ok(),
            Some(CommunityAction::Manage)
        );
        assert!(matches!(
            unclaim_signup(None, id(1)),
            Err(DomainError::Conflict { .. })
        ));
    }
}
