//! Multiplication: a strong community shares itself. A few members go out with a leader
//! (often the apprentice) and begin something new. This is sharing, not splitting, so the
//! parent must be left able to carry on.
//!
//! Also the bounds of the family-tree queries that follow a lineage.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::community::CommunityStatus;
use crate::membership::MemberRole;
use crate::{DomainError, DomainResult};

/// What a leader proposes in the multiplication wizard.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MultiplyPlan {
    pub parent_status: CommunityStatus,
    /// The parent's current members and their roles.
    pub parent_members: Vec<(Uuid, MemberRole)>,
    /// Who will lead the new community.
    pub child_leaders: Vec<Uuid>,
    /// Who else goes with them.
    pub going_members: Vec<Uuid>,
}

/// One person leaving the parent for the new community.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct MemberMove {
    pub person_id: Uuid,
    pub parent_role: MemberRole,
    pub child_role: MemberRole,
}

/// Everyone who moves, child leaders first, each in the order given.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct MultiplyMoves {
    pub moves: Vec<MemberMove>,
}

impl MultiplyMoves {
    /// The people who leave the parent.
    pub fn leaving(&self) -> Vec<Uuid> {
        self.moves.iter().map(|m| m.person_id).collect()
    }

    /// The people who lead the new community.
    pub fn child_leaders(&self) -> Vec<Uuid> {
        self.moves
            .iter()
            .filter(|m| m.child_role == MemberRole::Leader)
            .map(|m| m.person_id)
            .collect()
    }
}

/// A going member keeps their role, except that leading is not carried over: the new
/// community's leaders are the ones named for it.
fn child_role(parent_role: MemberRole) -> MemberRole {
    match parent_role {
        MemberRole::Leader => MemberRole::Member,
        other => other,
    }
}

pub fn validate_multiply(plan: &MultiplyPlan) -> DomainResult<MultiplyMoves> {
    match plan.parent_status {
        CommunityStatus::Active => {}
        CommunityStatus::Forming => {
            return Err(DomainError::invalid(
                "parentId",
                "a community that is still forming cannot multiply yet",
            ));
        }
        CommunityStatus::Closed => {
            return Err(DomainError::invalid(
                "parentId",
                "a closed community cannot multiply",
            ));
        }
    }
    if plan.child_leaders.is_empty() {
        return Err(DomainError::invalid(
            "leaderIds",
            "name at least one leader for the new community",
        ));
    }

    let listed = plan.child_leaders.iter().chain(&plan.going_members);
    let mut seen: Vec<Uuid> = Vec::new();
    for id in listed {
        if seen.contains(id) {
            return Err(DomainError::invalid(
                "memberIds",
                format!("person {id} is listed twice; list each person once"),
            ));
        }
        seen.push(*id);
    }

    let role_in_parent = |id: &Uuid| {
        plan.parent_members
            .iter()
            .find(|(person, _)| person == id)
            .map(|(_, role)| *role)
    };
    let mut moves = Vec::with_capacity(seen.len());
    for (ids, field, is_leader) in [
        (&plan.child_leaders, "leaderIds", true),
        (&plan.going_members, "memberIds", false),
    ] {
        for id in ids {
            let Some(parent_role) = role_in_parent(id) else {
                return Err(DomainError::invalid(
                    field,
                    format!("person {id} is not a member of the community that is multiplying"),
                ));
            };
            moves.push(MemberMove {
                person_id: *id,
                parent_role,
                child_role: if is_leader {
                    MemberRole::Leader
                } else {
                    child_role(parent_role)
                },
            });
        }
    }

    let parent_keeps_a_leader = plan
        .parent_members
        .iter()
        .any(|(person, role)| *role == MemberRole::Leader && !seen.contains(person));
    if !parent_keeps_a_leader {
        return Err(DomainError::invalid(
            "leaderIds",
            "the parent must keep at least one leader who is not moving",
        ));
    }
    Ok(MultiplyMoves { moves })
}

/// The day a community multiplied: not in the future, not before the parent launched,
/// and not before anyone who goes had joined it (their time there ends that day).
pub fn multiplied_on(
    on: NaiveDate,
    today: NaiveDate,
    parent_launched_on: Option<NaiveDate>,
    movers_joined_on: &[NaiveDate],
) -> DomainResult<NaiveDate> {
    if on > today {
        return Err(DomainError::invalid(
            "multipliedOn",
            "a multiplication cannot be recorded in the future",
        ));
    }
    if let Some(launched) = parent_launched_on.filter(|l| on < *l) {
        return Err(DomainError::invalid(
            "multipliedOn",
            format!("the community that is multiplying launched on {launched}, after that day"),
        ));
    }
    if let Some(joined) = movers_joined_on.iter().filter(|j| on < **j).max() {
        return Err(DomainError::invalid(
            "multipliedOn",
            format!("someone who goes joined the community only on {joined}, after that day"),
        ));
    }
    Ok(on)
}

/// Deeper than this, a lineage query is a mistake rather than a question.
pub const MAX_DEPTH: u32 = 100;
pub const DEFAULT_PAGE_SIZE: u64 = 50;
pub const MAX_PAGE_SIZE: u64 = 500;

/// How many generations a family-tree query follows. Absent means "all", which the
/// caller decides.
pub fn depth_limit(depth: i64) -> DomainResult<u32> {
    match u32::try_from(depth) {
        Ok(d) if d <= MAX_DEPTH => Ok(d),
        Ok(_) => Err(DomainError::invalid(
            "depth",
            format!("depth can be at most {MAX_DEPTH} generations"),
        )),
        Err(_) if depth < 0 => Err(DomainError::invalid("depth", "depth cannot be negative")),
        Err(_) => Err(DomainError::invalid(
            "depth",
            format!("depth can be at most {MAX_DEPTH} generations"),
        )),
    }
}

pub fn page_size(first: Option<i64>) -> DomainResult<u64> {
    let Some(first) = first else {
        return Ok(DEFAULT_PAGE_SIZE);
    };
    match u64::try_from(first) {
        Ok(n) if (1..=MAX_PAGE_SIZE).contains(&n) => Ok(n),
        _ => Err(DomainError::invalid(
            "first",
            format!("first must be between 1 and {MAX_PAGE_SIZE}"),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    use MemberRole::{Apprentice, Host, Leader, Member};

    fn id(n: u128) -> Uuid {
        Uuid::from_u128(n)
    }

    /// 1 and 2 lead, 3 is the apprentice, 4 hosts, 5 and 6 are members.
    fn plan(child_leaders: &[u128], going: &[u128]) -> MultiplyPlan {
        MultiplyPlan {
            parent_status: CommunityStatus::Active,
            parent_members: vec![
                (id(1), Leader),
                (id(2), Leader),
                (id(3), Apprentice),
                (id(4), Host),
                (id(5), Member),
                (id(6), Member),
            ],
            child_leaders: child_leaders.iter().map(|n| id(*n)).collect(),
            going_members: going.iter().map(|n| id(*n)).collect(),
        }
    }

    fn refusal(p: &MultiplyPlan) -> (String, String) {
        match validate_multiply(p) {
            Err(DomainError::Invalid { field, message }) => (field, message),
            other => panic!("expected invalid input, got {other:?}"),
        }
    }

    fn field_of<T: std::fmt::Debug>(r: DomainResult<T>) -> String {
        match r {
            Err(DomainError::Invalid { field, .. }) => field,
            other => panic!("expected invalid input, got {other:?}"),
        }
    }

    #[test]
    fn the_apprentice_leads_the_new_community_and_members_go_with_their_roles() {
        let moves = validate_multiply(&plan(&[3], &[4, 5])).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            moves.moves,
            vec![
                MemberMove {
                    person_id: id(3),
                    parent_role: Apprentice,
                    child_role: Leader
                },
                MemberMove {
                    person_id: id(4),
                    parent_role: Host,
                    child_role: Host
                },
                MemberMove {
                    person_id: id(5),
                    parent_role: Member,
                    child_role: Member
                },
            ]
        );
        assert_eq!(moves.leaving(), vec![id(3), id(4), id(5)]);
        assert_eq!(moves.child_leaders(), vec![id(3)]);
    }

    #[test]
    fn a_leader_going_without_being_named_to_lead_becomes_a_member() {
        let moves = validate_multiply(&plan(&[3], &[2])).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(
            moves.moves.get(1),
            Some(&MemberMove {
                person_id: id(2),
                parent_role: Leader,
                child_role: Member
            })
        );
    }

    #[test]
    fn an_apprentice_going_along_stays_an_apprentice() {
        let moves = validate_multiply(&plan(&[2], &[3])).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(moves.moves.get(1).map(|m| m.child_role), Some(Apprentice));
        assert_eq!(moves.child_leaders(), vec![id(2)]);
    }

    #[test]
    fn a_leader_may_go_alone_to_plant() {
        let moves = validate_multiply(&plan(&[2], &[])).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(moves.leaving(), vec![id(2)]);
    }

    #[test]
    fn only_an_active_community_can_multiply() {
        for status in [CommunityStatus::Forming, CommunityStatus::Closed] {
            let p = MultiplyPlan {
                parent_status: status,
                ..plan(&[3], &[])
            };
            assert_eq!(refusal(&p).0, "parentId", "{status:?}");
        }
    }

    #[test]
    fn the_new_community_needs_a_leader() {
        assert_eq!(refusal(&plan(&[], &[5])).0, "leaderIds");
    }

    #[test]
    fn a_person_listed_twice_is_refused() {
        assert_eq!(refusal(&plan(&[3, 3], &[])).0, "memberIds");
        assert_eq!(refusal(&plan(&[3], &[5, 5])).0, "memberIds");
        let (field, message) = refusal(&plan(&[3], &[5, 3]));
        assert_eq!(field, "memberIds");
        assert!(message.contains("listed twice"), "{message}");
    }

    #[test]
    fn a_leader_who_is_not_a_member_of_the_parent_is_refused_on_leader_ids() {
        let (field, message) = refusal(&plan(&[9], &[]));
        assert_eq!(field, "leaderIds");
        assert!(message.contains("is not a member"), "{message}");
    }

    #[test]
    fn a_going_member_who_is_not_a_member_of_the_parent_is_refused_on_member_ids() {
        assert_eq!(refusal(&plan(&[3], &[9])).0, "memberIds");
    }

    #[test]
    fn the_parent_must_keep_a_leader_who_stays() {
        let (field, message) = refusal(&plan(&[1], &[2]));
        assert_eq!(field, "leaderIds");
        assert!(
            message.contains("the parent must keep at least one leader"),
            "{message}"
        );
        assert_eq!(refusal(&plan(&[1, 2], &[])).0, "leaderIds");
    }

    #[test]
    fn a_parent_without_any_leader_cannot_multiply() {
        let p = MultiplyPlan {
            parent_members: vec![(id(3), Apprentice), (id(5), Member)],
            ..plan(&[3], &[])
        };
        assert_eq!(refusal(&p).0, "leaderIds");
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    #[test]
    fn a_multiplication_is_dated_today_or_in_the_past() {
        let today = day(2026, 3, 1);
        assert_eq!(multiplied_on(today, today, None, &[]).ok(), Some(today));
        assert_eq!(
            field_of(multiplied_on(day(2026, 3, 2), today, None, &[])),
            "multipliedOn"
        );
    }

    #[test]
    fn a_multiplication_cannot_predate_the_parent_or_the_people_who_go() {
        let today = day(2026, 3, 1);
        let on = day(2025, 1, 10);
        assert!(multiplied_on(on, today, Some(day(2024, 1, 1)), &[day(2025, 1, 10)]).is_ok());
        assert_eq!(
            field_of(multiplied_on(on, today, Some(day(2025, 2, 1)), &[])),
            "multipliedOn"
        );
        assert_eq!(
            field_of(multiplied_on(
                on,
                today,
                None,
                &[day(2024, 5, 1), day(2025, 1, 11)]
            )),
            "multipliedOn"
        );
    }

    #[test]
    fn depth_is_bounded_between_0_and_100() {
        assert_eq!(depth_limit(0).ok(), Some(0));
        assert_eq!(depth_limit(100).ok(), Some(100));
        assert_eq!(field_of(depth_limit(-1)), "depth");
        assert_eq!(field_of(depth_limit(101)), "depth");
        assert_eq!(field_of(depth_limit(i64::MAX)), "depth");
        assert_eq!(field_of(depth_limit(i64::MIN)), "depth");
    }

    #[test]
    fn page_size_defaults_to_50_and_is_bounded() {
        assert_eq!(page_size(None).ok(), Some(50));
        assert_eq!(page_size(Some(1)).ok(), Some(1));
        assert_eq!(page_size(Some(500)).ok(), Some(500));
        assert_eq!(field_of(page_size(Some(0))), "first");
        assert_eq!(field_of(page_size(Some(501))), "first");
        assert_eq!(field_of(page_size(Some(-5))), "first");
    }
}
