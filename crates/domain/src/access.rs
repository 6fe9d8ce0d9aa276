//! Who may do what. Authorization is decided here, in one table, from the facts of a
//! person's standing: their membership in a community and the organization roles they
//! hold on the community's organization or any organization above it.
//!
//! Adapters load the standing and ask [`CommunityStanding::allows`] or
//! [`OrgStanding::allows`]; they never test roles themselves.

use std::collections::BTreeSet;

use crate::membership::MemberRole;
use crate::organization::OrgRole;

/// What one person is to one community.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CommunityStanding {
    /// The person's current (not ended) membership role, if any.
    pub member_role: Option<MemberRole>,
    /// Roles held on the community's organization or an ancestor of it.
    pub org_roles: BTreeSet<OrgRole>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CommunityAction {
    /// Name, status, rhythm numbers, place in the family tree.
    ViewCommunity,
    /// Names of members and guests, attendance, serving roles.
    ViewPeople,
    /// Prayer requests, needs of named neighbours, discernment notes (each record's own
    /// visibility still applies).
    ViewPastoral,
    /// Leaders-only records: prayer and needs marked visible to leaders.
    ViewLeadersOnly,
    /// Log gatherings, RSVP, claim sign-ups and needs, post prayer requests.
    Participate,
    /// Change the profile, members, roles, targets; correct gatherings; close.
    Manage,
    /// Start a child community from this one.
    Multiply,
}

impl CommunityStanding {
    pub fn is_member(&self) -> bool {
        self.member_role.is_some()
    }

    pub fn is_leader(&self) -> bool {
        self.member_role == Some(MemberRole::Leader)
    }

    fn has(&self, role: OrgRole) -> bool {
        self.org_roles.contains(&role)
    }

    fn oversees(&self) -> bool {
        self.has(OrgRole::Admin) || self.has(OrgRole::Coach)
    }

    pub fn allows(&self, action: CommunityAction) -> bool {
        use CommunityAction as A;
        match action {
            A::ViewCommunity => self.is_member() || !self.org_roles.is_empty(),
            // REPORTER sees numbers, never people.
            A::ViewPeople | A::ViewPastoral => self.is_member() || self.oversees(),
            A::ViewLeadersOnly => self.is_leader() || self.oversees(),
            A::Participate => self.is_member(),
            A::Manage => self.is_leader() || self.has(OrgRole::Admin),
            A::Multiply => self.is_leader() || self.oversees(),
        }
    }
}

/// What one person is to one organization.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OrgStanding {
    /// Roles held on this organization or an ancestor of it.
    pub org_roles: BTreeSet<OrgRole>,
    /// Member of a community somewhere in this organization's subtree: such a person
    /// may see the organization's name and kind, nothing more.
    pub member_below: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum OrgAction {
    View,
    /// Aggregate numbers over the subtree: never names.
    ViewReports,
    /// Rename, move, create child organizations, grant roles, set rhythm targets.
    Manage,
    /// Plant a community here.
    PlantCommunity,
    /// See every community in the subtree with its people.
    Oversee,
}

impl OrgStanding {
    pub fn allows(&self, action: OrgAction) -> bool {
        let has = |role| self.org_roles.contains(&role);
        match action {
            OrgAction::View => self.member_below || !self.org_roles.is_empty(),
            OrgAction::ViewReports => !self.org_roles.is_empty(),
            OrgAction::Manage => has(OrgRole::Admin),
            OrgAction::PlantCommunity | OrgAction::Oversee => {
                has(OrgRole::Admin) || has(OrgRole::Coach)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use CommunityAction as A;

    fn member(role: MemberRole) -> CommunityStanding {
        CommunityStanding {
            member_role: Some(role),
            ..Default::default()
        }
    }

    fn org(role: OrgRole) -> CommunityStanding {
        CommunityStanding {
            member_role: None,
            org_roles: BTreeSet::from([role]),
        }
    }

    const ALL: [CommunityAction; 7] = [
        A::ViewCommunity,
        A::ViewPeople,
        A::ViewPastoral,
        A::ViewLeadersOnly,
        A::Participate,
        A::Manage,
        A::Multiply,
    ];

    fn allowed(standing: &CommunityStanding) -> Vec<CommunityAction> {
        ALL.into_iter().filter(|a| standing.allows(*a)).collect()
    }

    #[test]
    fn a_stranger_may_do_nothing() {
        assert!(allowed(&CommunityStanding::default()).is_empty());
    }

    #[test]
    fn a_member_sees_and_participates_but_does_not_manage() {
        assert_eq!(
            allowed(&member(MemberRole::Member)),
            [
                A::ViewCommunity,
                A::ViewPeople,
                A::ViewPastoral,
                A::Participate
            ]
        );
        assert_eq!(
            allowed(&member(MemberRole::Apprentice)),
            allowed(&member(MemberRole::Host))
        );
    }

    #[test]
    fn a_leader_may_do_everything() {
        assert_eq!(allowed(&member(MemberRole::Leader)), ALL);
    }

    #[test]
    fn a_reporter_sees_numbers_and_never_people() {
        assert_eq!(allowed(&org(OrgRole::Reporter)), [A::ViewCommunity]);
    }

    #[test]
    fn a_coach_oversees_and_may_multiply_but_not_manage() {
        assert_eq!(
            allowed(&org(OrgRole::Coach)),
            [
                A::ViewCommunity,
                A::ViewPeople,
                A::ViewPastoral,
                A::ViewLeadersOnly,
                A::Multiply
            ]
        );
    }

    #[test]
    fn an_admin_manages_without_taking_part() {
        let got = allowed(&org(OrgRole::Admin));
        assert!(got.contains(&A::Manage));
        assert!(!got.contains(&A::Participate));
    }

    #[test]
    fn organization_actions_follow_roles() {
        let stranger = OrgStanding::default();
        assert!(!stranger.allows(OrgAction::View));
        let member_below = OrgStanding {
            member_below: true,
            ..Default::default()
        };
        assert!(member_below.allows(OrgAction::View));
        assert!(!member_below.allows(OrgAction::ViewReports));
        let reporter = OrgStanding {
            org_roles: BTreeSet::from([OrgRole::Reporter]),
            member_below: false,
        };
        assert!(reporter.allows(OrgAction::ViewReports));
        assert!(!reporter.allows(OrgAction::Oversee));
        let coach = OrgStanding {
            org_roles: BTreeSet::from([OrgRole::Coach]),
            member_below: false,
        };
        assert!(coach.allows(OrgAction::PlantCommunity));
        assert!(!coach.allows(OrgAction::Manage));
    }
}
