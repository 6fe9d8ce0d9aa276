//! Coaching: coaches accompany leaders. An organization's admins assign a coach to a
//! leader; the coach meets the leader now and then and writes down what they talked about
//! and what comes next. Those notes are between the two of them: nobody else reads them,
//! whatever role they hold.

use std::collections::BTreeSet;

use chrono::{DateTime, NaiveDate, Utc};
use uuid::Uuid;

use crate::organization::OrgRole;
use crate::text::{LONG_TEXT_MAX_CHARS, optional_text};
use crate::{DomainError, DomainResult};

/// A coach accompanying a leader, on behalf of an organization, from one day to another.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CoachingAssignment {
    pub id: Uuid,
    /// Whose admins made the assignment; the coach holds COACH here or above, and the
    /// leader leads a community somewhere below.
    pub organization_id: Uuid,
    pub coach_id: Uuid,
    pub leader_id: Uuid,
    pub started_on: NaiveDate,
    pub ended_on: Option<NaiveDate>,
    pub assigned_by: Uuid,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl CoachingAssignment {
    pub fn is_current(&self) -> bool {
        self.ended_on.is_none()
    }

    /// Whether the coach was accompanying the leader on `day`.
    pub fn covers(&self, day: NaiveDate) -> bool {
        day >= self.started_on && self.ended_on.is_none_or(|end| day <= end)
    }
}

/// What the adapters know when an admin assigns a coach.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssignmentRequest {
    pub coach_id: Uuid,
    pub leader_id: Uuid,
    /// Roles the coach holds on the assignment's organization or any organization above it.
    pub coach_roles: BTreeSet<OrgRole>,
    /// Whether the leader currently leads a community of the organization or below it.
    pub leader_leads_below: bool,
    pub started_on: NaiveDate,
    pub today: NaiveDate,
}

/// A coach must hold COACH where the assignment is made (or above), must not coach
/// themselves, and must be given someone who actually leads a community there.
pub fn validate_assignment(request: &AssignmentRequest) -> DomainResult<()> {
    if request.coach_id == request.leader_id {
        return Err(DomainError::invalid(
            "leaderId",
            "a leader cannot be their own coach",
        ));
    }
    if !request.coach_roles.contains(&OrgRole::Coach) {
        return Err(DomainError::invalid(
            "coachId",
            "the coach must hold the COACH role on this organization or one above it",
        ));
    }
    if !request.leader_leads_below {
        return Err(DomainError::invalid(
            "leaderId",
            "the leader must currently lead a community in this organization or one below it",
        ));
    }
    not_in_the_future("startedOn", request.started_on, request.today)
}

/// The day an assignment ends on: not before it began, not in the future, and only once.
pub fn end_assignment(
    assignment: &CoachingAssignment,
    ended_on: NaiveDate,
    today: NaiveDate,
) -> DomainResult<NaiveDate> {
    if !assignment.is_current() {
        return Err(DomainError::conflict(
            "this coaching assignment has already ended",
        ));
    }
    not_in_the_future("endedOn", ended_on, today)?;
    if ended_on < assignment.started_on {
        return Err(DomainError::invalid(
            "endedOn",
            format!(
                "the assignment cannot end before it began on {}",
                assignment.started_on
            ),
        ));
    }
    Ok(ended_on)
}

fn not_in_the_future(field: &str, day: NaiveDate, today: NaiveDate) -> DomainResult<()> {
    if day > today {
        return Err(DomainError::invalid(
            field,
            format!("{field} cannot be in the future"),
        ));
    }
    Ok(())
}

/// One conversation between a coach and a leader.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckIn {
    pub id: Uuid,
    pub assignment_id: Uuid,
    pub coach_id: Uuid,
    pub leader_id: Uuid,
    pub content: CheckInContent,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// What a coach writes down after meeting a leader.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CheckInContent {
    pub met_on: NaiveDate,
    pub notes: String,
    pub next_steps: Option<String>,
}

impl CheckInContent {
    pub fn parse(
        met_on: NaiveDate,
        notes: &str,
        next_steps: Option<&str>,
        today: NaiveDate,
    ) -> DomainResult<Self> {
        not_in_the_future("metOn", met_on, today)?;
        let notes = optional_text("notes", Some(notes), LONG_TEXT_MAX_CHARS)?
            .ok_or_else(|| DomainError::invalid("notes", "notes must not be empty"))?;
        Ok(Self {
            met_on,
            notes,
            next_steps: optional_text("nextSteps", next_steps, LONG_TEXT_MAX_CHARS)?,
        })
    }
}

/// Of the assignments between one coach and one leader, the one a check-in on `met_on`
/// belongs to. A coach may write up a conversation after the assignment ended, as long
/// as it took place while it ran.
pub fn assignment_for_check_in(
    assignments: &[CoachingAssignment],
    met_on: NaiveDate,
) -> DomainResult<&CoachingAssignment> {
    assignments
        .iter()
        .find(|a| a.covers(met_on))
        .ok_or_else(|| {
            DomainError::invalid("metOn", "you were not coaching this leader on that day")
        })
}

/// Check-ins are read by the coach who wrote them and the leader they were with, and by
/// nobody else: not the organization's admins, not its reporters, not other coaches.
pub fn may_read_check_in(viewer: Uuid, check_in_coach: Uuid, check_in_leader: Uuid) -> bool {
    viewer == check_in_coach || viewer == check_in_leader
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_else(|| panic!("bad test date"))
    }

    fn field_of<T: std::fmt::Debug>(r: DomainResult<T>) -> String {
        match r {
            Err(DomainError::Invalid { field, .. }) => field,
            other => panic!("expected invalid input, got {other:?}"),
        }
    }

    fn request() -> AssignmentRequest {
        AssignmentRequest {
            coach_id: Uuid::from_u128(1),
            leader_id: Uuid::from_u128(2),
            coach_roles: BTreeSet::from([OrgRole::Coach]),
            leader_leads_below: true,
            started_on: day(2026, 3, 1),
            today: day(2026, 3, 10),
        }
    }

    fn assignment(started_on: NaiveDate, ended_on: Option<NaiveDate>) -> CoachingAssignment {
        let at = DateTime::<Utc>::from_timestamp(0, 0).unwrap_or_default();
        CoachingAssignment {
            id: Uuid::from_u128(10),
            organization_id: Uuid::from_u128(20),
            coach_id: Uuid::from_u128(1),
            leader_id: Uuid::from_u128(2),
            started_on,
            ended_on,
            assigned_by: Uuid::from_u128(3),
            created_at: at,
            updated_at: at,
        }
    }

    #[test]
    fn a_coach_holding_the_role_may_be_assigned_to_a_leader_below() {
        assert_eq!(validate_assignment(&request()), Ok(()));
    }

    #[test]
    fn someone_without_the_coach_role_cannot_be_assigned_as_coach() {
        let admin_only = AssignmentRequest {
            coach_roles: BTreeSet::from([OrgRole::Admin, OrgRole::Reporter]),
            ..request()
        };
        assert_eq!(field_of(validate_assignment(&admin_only)), "coachId");
    }

    #[test]
    fn a_person_who_leads_nothing_below_the_organization_cannot_be_coached_there() {
        let not_leading = AssignmentRequest {
            leader_leads_below: false,
            ..request()
        };
        assert_eq!(field_of(validate_assignment(&not_leading)), "leaderId");
    }

    #[test]
    fn nobody_coaches_themselves() {
        let same = AssignmentRequest {
            leader_id: Uuid::from_u128(1),
            ..request()
        };
        assert_eq!(field_of(validate_assignment(&same)), "leaderId");
    }

    #[test]
    fn an_assignment_cannot_start_in_the_future() {
        let later = AssignmentRequest {
            started_on: day(2026, 4, 1),
            ..request()
        };
        assert_eq!(field_of(validate_assignment(&later)), "startedOn");
    }

    #[test]
    fn an_assignment_ends_once_between_its_start_and_today() {
        let current = assignment(day(2026, 1, 1), None);
        let today = day(2026, 3, 10);
        assert_eq!(
            end_assignment(&current, day(2026, 3, 1), today),
            Ok(day(2026, 3, 1))
        );
        assert_eq!(
            field_of(end_assignment(&current, day(2025, 12, 31), today)),
            "endedOn"
        );
        assert_eq!(
            field_of(end_assignment(&current, day(2026, 3, 11), today)),
            "endedOn"
        );
        let ended = assignment(day(2026, 1, 1), Some(day(2026, 2, 1)));
        assert!(matches!(
            end_assignment(&ended, day(2026, 3, 1), today),
            Err(DomainError::Conflict { .. })
        ));
    }

    #[test]
    fn an_assignment_covers_the_days_from_its_start_to_its_end() {
        let ended = assignment(day(2026, 1, 10), Some(day(2026, 2, 10)));
        assert!(!ended.covers(day(2026, 1, 9)));
        assert!(ended.covers(day(2026, 1, 10)));
        assert!(ended.covers(day(2026, 2, 10)));
        assert!(!ended.covers(day(2026, 2, 11)));
        assert!(assignment(day(2026, 1, 10), None).covers(day(2030, 1, 1)));
    }

    #[test]
    fn a_check_in_belongs_to_the_assignment_running_on_its_day() {
        let earlier = assignment(day(2025, 1, 1), Some(day(2025, 6, 30)));
        let current = CoachingAssignment {
            id: Uuid::from_u128(11),
            ..assignment(day(2026, 1, 1), None)
        };
        let both = [earlier.clone(), current.clone()];
        assert_eq!(
            assignment_for_check_in(&both, day(2025, 3, 1)).ok(),
            Some(&earlier)
        );
        assert_eq!(
            assignment_for_check_in(&both, day(2026, 3, 1)).ok(),
            Some(&current)
        );
        assert_eq!(
            field_of(assignment_for_check_in(&both, day(2025, 9, 1))),
            "metOn"
        );
    }

    #[test]
    fn check_in_notes_are_required_and_dates_are_not_in_the_future() {
        let today = day(2026, 3, 10);
        let ok = CheckInContent::parse(day(2026, 3, 9), "  talked  ", Some("  "), today);
        assert_eq!(
            ok,
            Ok(CheckInContent {
                met_on: day(2026, 3, 9),
                notes: "talked".into(),
                next_steps: None,
            })
        );
        assert_eq!(
            field_of(CheckInContent::parse(day(2026, 3, 9), " ", None, today)),
            "notes"
        );
        assert_eq!(
            field_of(CheckInContent::parse(
                day(2026, 3, 11),
                "talked",
                None,
                today
            )),
            "metOn"
        );
        let long = "x".repeat(LONG_TEXT_MAX_CHARS + 1);
        assert_eq!(
            field_of(CheckInContent::parse(
                day(2026, 3, 9),
                "talked",
                Some(&long),
                today
            )),
            "nextSteps"
        );
    }

    #[test]
    fn only_the_coach_and_the_leader_read_a_check_in() {
        let (coach, leader) = (Uuid::from_u128(1), Uuid::from_u128(2));
        assert!(may_read_check_in(coach, coach, leader));
        assert!(may_read_check_in(leader, coach, leader));
        assert!(!may_read_check_in(Uuid::from_u128(3), coach, leader));
    }
}
