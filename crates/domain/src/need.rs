//! The needs board: real needs of neighbours and members, met with no strings attached.
//! A need is claimed by the people who will meet it, and closed with an honest outcome;
//! passing it on to a partner who can help is as good an outcome as meeting it ourselves.

use std::collections::BTreeSet;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::access::{CommunityAction, CommunityStanding, OrgAction, OrgStanding};
use crate::community::text_enum;
use crate::organization::OrgRole;
use crate::practice::Practice;
use crate::rhythm::GatheringOutcome;
use crate::tree_path::TreePath;
use crate::{DomainError, DomainResult, text};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum NeedCategory {
    Food,
    Tutoring,
    VisitSick,
    CleanUp,
    Transport,
    Financial,
    Housing,
    Childcare,
    Other,
}
text_enum!(NeedCategory {
    Food => "FOOD", Tutoring => "TUTORING", VisitSick => "VISIT_SICK", CleanUp => "CLEAN_UP",
    Transport => "TRANSPORT", Financial => "FINANCIAL", Housing => "HOUSING",
    Childcare => "CHILDCARE", Other => "OTHER"
});

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum NeedUrgency {
    Low,
    Normal,
    High,
    Urgent,
}
text_enum!(NeedUrgency { Low => "LOW", Normal => "NORMAL", High => "HIGH", Urgent => "URGENT" });

/// Who may see a need. The needs of named neighbours are sensitive, so the narrowest
/// circle comes first and is the natural default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Visibility {
    Leaders,
    Community,
    Network,
}
text_enum!(Visibility { Leaders => "LEADERS", Community => "COMMUNITY", Network => "NETWORK" });

impl Visibility {
    /// Whether someone may read a need shared this way. `standing` is what they are to the
    /// need's community; `in_network` whether the need's organization reaches them through
    /// the network (see [`NetworkReach::covers`]). Reporters see counts, never a need.
    pub fn visible_to(self, standing: &CommunityStanding, in_network: bool) -> bool {
        match self {
            Self::Leaders => standing.allows(CommunityAction::ViewLeadersOnly),
            Self::Community => standing.allows(CommunityAction::ViewPastoral),
            Self::Network => standing.allows(CommunityAction::ViewPastoral) || in_network,
        }
    }

    /// The levels someone may read within one community, for filtering lists.
    pub fn visible_levels(standing: &CommunityStanding, in_network: bool) -> Vec<Self> {
        Self::ALL
            .iter()
            .copied()
            .filter(|v| v.visible_to(standing, in_network))
            .collect()
    }
}

/// Who, beyond a community's own members and overseers, a need shared with the NETWORK
/// reaches: those who oversee (ADMIN, COACH) its organization from above, and members of
/// communities in its organization's subtree.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NetworkReach {
    overseen: Vec<TreePath>,
    member_orgs: Vec<TreePath>,
}

impl NetworkReach {
    /// From the viewer's organization roles (with the path of the organization each is on)
    /// and the organization paths of the communities they are a current member of.
    pub fn new(
        roles: impl IntoIterator<Item = (OrgRole, TreePath)>,
        member_orgs: impl IntoIterator<Item = TreePath>,
    ) -> Self {
        let overseen = roles
            .into_iter()
            .filter(|(role, _)| {
                OrgStanding {
                    org_roles: BTreeSet::from([*role]),
                    member_below: false,
                }
                .allows(OrgAction::Oversee)
            })
            .map(|(_, path)| path)
            .collect();
        Self {
            overseen,
            member_orgs: member_orgs.into_iter().collect(),
        }
    }

    /// Whether NETWORK needs of the organization at `need_org` reach this viewer.
    pub fn covers(&self, need_org: &TreePath) -> bool {
        self.overseen.iter().any(|p| p.contains(need_org))
            || self.member_orgs.iter().any(|m| need_org.contains(m))
    }

    /// Subtrees whose every organization's NETWORK needs reach the viewer.
    pub fn overseen_subtrees(&self) -> &[TreePath] {
        &self.overseen
    }

    /// Organizations whose NETWORK needs reach the viewer through membership: each
    /// organization of a community they belong to, and every organization above it.
    pub fn member_org_lineage(&self) -> BTreeSet<&str> {
        self.member_orgs
            .iter()
            .flat_map(TreePath::lineage)
            .collect()
    }

    pub fn is_empty(&self) -> bool {
        self.overseen.is_empty() && self.member_orgs.is_empty()
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum NeedStatus {
    Open,
    Claimed,
    Closed,
}
text_enum!(NeedStatus { Open => "OPEN", Claimed => "CLAIMED", Closed => "CLOSED" });

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum NeedOutcome {
    Met,
    Referred,
    NoLongerNeeded,
    BeyondOurCapacity,
    NotAppropriate,
}
text_enum!(NeedOutcome {
    Met => "MET", Referred => "REFERRED", NoLongerNeeded => "NO_LONGER_NEEDED",
    BeyondOurCapacity => "BEYOND_OUR_CAPACITY", NotAppropriate => "NOT_APPROPRIATE"
});

/// A step in a need's history; every transition is recorded with who took it and when.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum NeedAction {
    Opened,
    Claimed,
    Released,
    Closed,
    Reopened,
}
text_enum!(NeedAction {
    Opened => "OPENED", Claimed => "CLAIMED", Released => "RELEASED", Closed => "CLOSED",
    Reopened => "REOPENED"
});

pub const FOR_WHOM_MAX_CHARS: usize = 120;
pub const NEIGHBOURHOOD_MAX_CHARS: usize = 120;
pub const NOTE_MAX_CHARS: usize = 500;

/// What a need says, as typed. Visibility has no default: who may read about a
/// neighbour's need is always a deliberate choice.
#[derive(Debug, Clone)]
pub struct NeedDraft {
    pub title: String,
    pub description: Option<String>,
    pub category: Option<NeedCategory>,
    pub person_of_peace_id: Option<Uuid>,
    pub for_whom: Option<String>,
    pub neighbourhood: Option<String>,
    pub urgency: Option<NeedUrgency>,
    pub visibility: Visibility,
}

/// What a need says, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NeedContent {
    pub title: String,
    pub description: Option<String>,
    pub category: NeedCategory,
    /// The person of peace the need is for, when it is one the community knows…
    pub person_of_peace_id: Option<Uuid>,
    /// …or a few words saying for whom, when it is not.
    pub for_whom: Option<String>,
    pub neighbourhood: Option<String>,
    pub urgency: NeedUrgency,
    pub visibility: Visibility,
}

impl NeedContent {
    pub fn parse(draft: NeedDraft) -> DomainResult<Self> {
        let title = text::name("title", &draft.title)?;
        let description = text::optional_text(
            "description",
            draft.description.as_deref(),
            text::LONG_TEXT_MAX_CHARS,
        )?;
        let for_whom =
            text::optional_line("forWhom", draft.for_whom.as_deref(), FOR_WHOM_MAX_CHARS)?;
        if draft.person_of_peace_id.is_some() && for_whom.is_some() {
            return Err(DomainError::invalid(
                "forWhom",
                "say for whom either by choosing a person of peace or in words, not both",
            ));
        }
        Ok(Self {
            title,
            description,
            category: draft.category.unwrap_or(NeedCategory::Other),
            person_of_peace_id: draft.person_of_peace_id,
            for_whom,
            neighbourhood: text::optional_line(
                "neighbourhood",
                draft.neighbourhood.as_deref(),
                NEIGHBOURHOOD_MAX_CHARS,
            )?,
            urgency: draft.urgency.unwrap_or(NeedUrgency::Normal),
            visibility: draft.visibility,
        })
    }
}

/// A note on a transition (why it was closed, what was done).
pub fn note(value: Option<&str>) -> DomainResult<Option<String>> {
    text::optional_text("note", value, NOTE_MAX_CHARS)
}

/// A need as recorded.
#[derive(Debug, Clone, PartialEq)]
pub struct Need {
    pub id: Uuid,
    pub community_id: Uuid,
    pub organization_id: Uuid,
    pub content: NeedContent,
    pub status: NeedStatus,
    pub outcome: Option<NeedOutcome>,
    pub outcome_note: Option<String>,
    pub referred_partner_id: Option<Uuid>,
    pub met_by_gathering_id: Option<Uuid>,
    pub opened_by: Option<Uuid>,
    pub closed_at: Option<DateTime<Utc>>,
    pub closed_by: Option<Uuid>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// One recorded transition.
#[derive(Debug, Clone, PartialEq)]
pub struct NeedEvent {
    pub id: Uuid,
    pub need_id: Uuid,
    pub action: NeedAction,
    pub from_status: Option<NeedStatus>,
    pub to_status: NeedStatus,
    pub actor_id: Option<Uuid>,
    pub note: Option<String>,
    pub at: DateTime<Utc>,
}

/// How many needs a community has open, and how many it met in a window: numbers that
/// reporters may see, since they name nobody.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct NeedCounts {
    /// OPEN or CLAIMED.
    pub open: u32,
    pub claimed: u32,
    /// Closed as MET within the window asked for.
    pub met: u32,
}

/// Members claim needs for themselves.
pub fn may_claim(standing: &CommunityStanding) -> bool {
    standing.allows(CommunityAction::Participate)
}

/// A member steps back from their own claim; leaders may release anyone's.
pub fn may_release(standing: &CommunityStanding, own_claim: bool) -> bool {
    (own_claim && standing.allows(CommunityAction::Participate))
        || standing.allows(CommunityAction::Manage)
}

/// Those who claimed a need close it when it is done; leaders may close any need.
pub fn may_close(standing: &CommunityStanding, is_claimer: bool) -> bool {
    (is_claimer && standing.allows(CommunityAction::Participate))
        || standing.allows(CommunityAction::Manage)
}

/// Reopening corrects a mistake, so it is for leaders.
pub fn may_reopen(standing: &CommunityStanding) -> bool {
    standing.allows(CommunityAction::Manage)
}

fn already_closed() -> DomainError {
    DomainError::conflict("the need is already closed")
}

/// Several people may claim the same need (a meal rota, a moving day); each only once.
pub fn claim(status: NeedStatus, already_claimed_by_this_person: bool) -> DomainResult<NeedStatus> {
    match status {
        NeedStatus::Closed => Err(already_closed()),
        _ if already_claimed_by_this_person => {
            Err(DomainError::conflict("you have already claimed this need"))
        }
        NeedStatus::Open | NeedStatus::Claimed => Ok(NeedStatus::Claimed),
    }
}

/// Someone steps back from a need; it is open again once nobody is claiming it.
/// `remaining_claimers` counts the others still claiming it.
pub fn release(
    status: NeedStatus,
    claimed_by_this_person: bool,
    remaining_claimers: usize,
) -> DomainResult<NeedStatus> {
    match status {
        NeedStatus::Closed => Err(already_closed()),
        _ if !claimed_by_this_person => Err(DomainError::conflict(
            "this person has not claimed the need",
        )),
        NeedStatus::Open | NeedStatus::Claimed if remaining_claimers == 0 => Ok(NeedStatus::Open),
        NeedStatus::Open | NeedStatus::Claimed => Ok(NeedStatus::Claimed),
    }
}

/// How a need is being closed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Closing {
    pub outcome: NeedOutcome,
    pub partner_given: bool,
    pub gathering_given: bool,
}

/// A need may be closed whether or not anyone claimed it (it may simply no longer be
/// needed). A referral must say to whom, so the follow-up is not lost; only a referral
/// names a partner, and only a need that was met names the gathering that met it.
pub fn close(status: NeedStatus, closing: Closing) -> DomainResult<NeedStatus> {
    if status == NeedStatus::Closed {
        return Err(already_closed());
    }
    let referred = closing.outcome == NeedOutcome::Referred;
    if referred && !closing.partner_given {
        return Err(DomainError::invalid(
            "partnerId",
            "say which partner the need was referred to",
        ));
    }
    if !referred && closing.partner_given {
        return Err(DomainError::invalid(
            "partnerId",
            "only a need referred to a partner names one",
        ));
    }
    if closing.gathering_given && closing.outcome != NeedOutcome::Met {
        return Err(DomainError::invalid(
            "metByGatheringId",
            "only a need that was met links to the gathering that met it",
        ));
    }
    Ok(NeedStatus::Closed)
}

/// A need is linked to the gathering that met it: a SERVICE gathering of the same
/// community that was held. `gathering` is `None` when no such gathering of the
/// community exists.
pub fn ensure_met_by_service(
    gathering: Option<(GatheringOutcome, &[Practice])>,
) -> DomainResult<()> {
    match gathering {
        Some((GatheringOutcome::Held, practices)) if practices.contains(&Practice::Service) => {
            Ok(())
        }
        _ => Err(DomainError::invalid(
            "metByGatheringId",
            "link the SERVICE gathering of this community, once held, that met the need",
        )),
    }
}

/// Leaders correct a need closed by mistake; it comes back open, unclaimed.
pub fn reopen(status: NeedStatus) -> DomainResult<NeedStatus> {
    match status {
        NeedStatus::Closed => Ok(NeedStatus::Open),
        NeedStatus::Open | NeedStatus::Claimed => {
            Err(DomainError::conflict("the need is not closed"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::membership::MemberRole;

    fn is_conflict<T: std::fmt::Debug>(r: &DomainResult<T>) -> bool {
        matches!(r, Err(DomainError::Conflict { .. }))
    }

    #[test]
    fn every_need_enum_round_trips_through_text() {
        for v in NeedCategory::ALL {
            assert_eq!(NeedCategory::parse(v.as_str()), Some(*v));
        }
        for v in NeedUrgency::ALL {
            assert_eq!(NeedUrgency::parse(v.as_str()), Some(*v));
        }
        for v in Visibility::ALL {
            assert_eq!(Visibility::parse(v.as_str()), Some(*v));
        }
        for v in NeedStatus::ALL {
            assert_eq!(NeedStatus::parse(v.as_str()), Some(*v));
        }
        for v in NeedOutcome::ALL {
            assert_eq!(NeedOutcome::parse(v.as_str()), Some(*v));
        }
        assert_eq!(
            NeedCategory::parse("VISIT_SICK"),
            Some(NeedCategory::VisitSick)
        );
        assert_eq!(
            NeedOutcome::parse("BEYOND_OUR_CAPACITY"),
            Some(NeedOutcome::BeyondOurCapacity)
        );
        assert_eq!(NeedStatus::parse("open"), None);
    }

    #[test]
    fn urgency_and_visibility_are_ordered_from_least_to_most() {
        assert!(NeedUrgency::Low < NeedUrgency::Normal);
        assert!(NeedUrgency::High < NeedUrgency::Urgent);
        assert!(Visibility::Leaders < Visibility::Community);
        assert!(Visibility::Community < Visibility::Network);
    }

    #[test]
    fn an_open_need_can_be_claimed() {
        assert_eq!(
            claim(NeedStatus::Open, false).ok(),
            Some(NeedStatus::Claimed)
        );
    }

    #[test]
    fn a_claimed_need_can_be_claimed_by_someone_else_too() {
        assert_eq!(
            claim(NeedStatus::Claimed, false).ok(),
            Some(NeedStatus::Claimed)
        );
    }

    #[test]
    fn claiming_the_same_need_twice_is_a_conflict() {
        assert!(is_conflict(&claim(NeedStatus::Claimed, true)));
    }

    #[test]
    fn a_closed_need_cannot_be_claimed() {
        let got = claim(NeedStatus::Closed, false);
        assert_eq!(
            got,
            Err(DomainError::conflict("the need is already closed"))
        );
    }

    #[test]
    fn releasing_the_last_claim_opens_the_need_again() {
        assert_eq!(
            release(NeedStatus::Claimed, true, 0).ok(),
            Some(NeedStatus::Open)
        );
    }

    #[test]
    fn releasing_one_of_several_claims_keeps_it_claimed() {
        assert_eq!(
            release(NeedStatus::Claimed, true, 2).ok(),
            Some(NeedStatus::Claimed)
        );
    }

    #[test]
    fn releasing_a_claim_never_made_is_a_conflict() {
        assert!(is_conflict(&release(NeedStatus::Open, false, 0)));
        assert!(is_conflict(&release(NeedStatus::Claimed, false, 1)));
    }

    #[test]
    fn a_closed_need_cannot_be_released() {
        assert!(is_conflict(&release(NeedStatus::Closed, true, 0)));
    }

    fn closing(outcome: NeedOutcome) -> Closing {
        Closing {
            outcome,
            partner_given: false,
            gathering_given: false,
        }
    }

    #[test]
    fn a_need_can_be_closed_claimed_or_not() {
        assert_eq!(
            close(NeedStatus::Claimed, closing(NeedOutcome::Met)).ok(),
            Some(NeedStatus::Closed)
        );
        assert_eq!(
            close(NeedStatus::Open, closing(NeedOutcome::NoLongerNeeded)).ok(),
            Some(NeedStatus::Closed)
        );
        for outcome in [NeedOutcome::BeyondOurCapacity, NeedOutcome::NotAppropriate] {
            assert!(close(NeedStatus::Open, closing(outcome)).is_ok());
        }
    }

    #[test]
    fn a_referral_must_name_the_partner() {
        let got = close(NeedStatus::Claimed, closing(NeedOutcome::Referred));
        assert!(matches!(got, Err(DomainError::Invalid { ref field, .. }) if field == "partnerId"));
        let referred = Closing {
            partner_given: true,
            ..closing(NeedOutcome::Referred)
        };
        assert_eq!(
            close(NeedStatus::Claimed, referred).ok(),
            Some(NeedStatus::Closed)
        );
    }

    #[test]
    fn only_a_referral_names_a_partner() {
        let met_with_partner = Closing {
            partner_given: true,
            ..closing(NeedOutcome::Met)
        };
        let got = close(NeedStatus::Open, met_with_partner);
        assert!(matches!(got, Err(DomainError::Invalid { ref field, .. }) if field == "partnerId"));
    }

    #[test]
    fn only_a_need_that_was_met_links_to_a_gathering() {
        let met = Closing {
            gathering_given: true,
            ..closing(NeedOutcome::Met)
        };
        assert!(close(NeedStatus::Claimed, met).is_ok());
        let not_needed = Closing {
            gathering_given: true,
            ..closing(NeedOutcome::NoLongerNeeded)
        };
        let got = close(NeedStatus::Claimed, not_needed);
        assert!(
            matches!(got, Err(DomainError::Invalid { ref field, .. }) if field == "metByGatheringId")
        );
    }

    #[test]
    fn closing_twice_is_a_conflict() {
        assert!(is_conflict(&close(
            NeedStatus::Closed,
            closing(NeedOutcome::Met)
        )));
        assert!(is_conflict(&close(
            NeedStatus::Closed,
            closing(NeedOutcome::Referred)
        )));
    }

    #[test]
    fn a_closed_need_can_be_reopened_for_a_correction() {
        assert_eq!(reopen(NeedStatus::Closed).ok(), Some(NeedStatus::Open));
    }

    #[test]
    fn only_a_closed_need_can_be_reopened() {
        assert!(is_conflict(&reopen(NeedStatus::Open)));
        assert!(is_conflict(&reopen(NeedStatus::Claimed)));
    }

    fn draft() -> NeedDraft {
        NeedDraft {
            title: "  Meals after surgery ".into(),
            description: None,
            category: None,
            person_of_peace_id: None,
            for_whom: None,
            neighbourhood: None,
            urgency: None,
            visibility: Visibility::Community,
        }
    }

    #[test]
    fn a_need_is_trimmed_and_gets_sensible_defaults() {
        let got = NeedContent::parse(draft()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(got.title, "Meals after surgery");
        assert_eq!(got.category, NeedCategory::Other);
        assert_eq!(got.urgency, NeedUrgency::Normal);
        assert_eq!(got.for_whom, None);
    }

    #[test]
    fn a_need_has_a_title_of_bounded_length() {
        for title in ["", "   ", &"x".repeat(121)] {
            let got = NeedContent::parse(NeedDraft {
                title: title.to_owned(),
                ..draft()
            });
            assert!(matches!(got, Err(DomainError::Invalid { ref field, .. }) if field == "title"));
        }
    }

    #[test]
    fn a_need_is_for_a_person_of_peace_or_for_someone_in_words_not_both() {
        let both = NeedContent::parse(NeedDraft {
            person_of_peace_id: Some(Uuid::nil()),
            for_whom: Some("the neighbour at no. 4".into()),
            ..draft()
        });
        assert!(matches!(both, Err(DomainError::Invalid { ref field, .. }) if field == "forWhom"));
        let words = NeedContent::parse(NeedDraft {
            for_whom: Some(" the neighbour at no. 4 ".into()),
            ..draft()
        });
        assert_eq!(
            words.ok().and_then(|c| c.for_whom).as_deref(),
            Some("the neighbour at no. 4")
        );
    }

    fn member(role: MemberRole) -> CommunityStanding {
        CommunityStanding {
            member_role: Some(role),
            org_roles: BTreeSet::new(),
        }
    }

    fn holder(role: OrgRole) -> CommunityStanding {
        CommunityStanding {
            member_role: None,
            org_roles: BTreeSet::from([role]),
        }
    }

    #[test]
    fn leaders_only_needs_are_seen_by_leaders_and_overseers_alone() {
        let v = Visibility::Leaders;
        assert!(v.visible_to(&member(MemberRole::Leader), false));
        assert!(v.visible_to(&holder(OrgRole::Coach), false));
        assert!(v.visible_to(&holder(OrgRole::Admin), false));
        assert!(!v.visible_to(&member(MemberRole::Member), false));
        assert!(!v.visible_to(&member(MemberRole::Apprentice), true));
        assert!(!v.visible_to(&holder(OrgRole::Reporter), true));
        assert!(!v.visible_to(&CommunityStanding::default(), true));
    }

    #[test]
    fn community_needs_are_seen_by_members_and_overseers() {
        let v = Visibility::Community;
        assert!(v.visible_to(&member(MemberRole::Member), false));
        assert!(v.visible_to(&holder(OrgRole::Coach), false));
        assert!(!v.visible_to(&holder(OrgRole::Reporter), false));
        assert!(!v.visible_to(&CommunityStanding::default(), true));
    }

    #[test]
    fn network_needs_also_reach_the_network_but_never_a_reporter_as_such() {
        let v = Visibility::Network;
        assert!(v.visible_to(&member(MemberRole::Member), false));
        assert!(v.visible_to(&CommunityStanding::default(), true));
        assert!(!v.visible_to(&CommunityStanding::default(), false));
        assert!(!v.visible_to(&holder(OrgRole::Reporter), false));
    }

    #[test]
    fn the_levels_a_viewer_may_read_follow_the_rule() {
        assert_eq!(
            Visibility::visible_levels(&member(MemberRole::Member), false),
            [Visibility::Community, Visibility::Network]
        );
        assert_eq!(
            Visibility::visible_levels(&member(MemberRole::Leader), false),
            Visibility::ALL
        );
        assert!(Visibility::visible_levels(&holder(OrgRole::Reporter), false).is_empty());
    }

    fn path(s: &str) -> TreePath {
        TreePath::from_stored(s.to_owned()).unwrap_or_else(|| panic!("bad path {s}"))
    }

    #[test]
    fn the_network_reaches_members_of_communities_at_or_below_the_needs_organization() {
        let reach = NetworkReach::new([], [path("00010001")]);
        assert!(reach.covers(&path("00010001")));
        assert!(reach.covers(&path("0001")));
        assert!(!reach.covers(&path("00010002")));
        assert!(!reach.covers(&path("000100010001")));
        assert_eq!(
            reach.member_org_lineage(),
            BTreeSet::from(["0001", "00010001"])
        );
    }

    #[test]
    fn the_network_reaches_admins_and_coaches_above_but_not_reporters() {
        let reach = NetworkReach::new(
            [
                (OrgRole::Coach, path("0001")),
                (OrgRole::Reporter, path("0002")),
            ],
            [],
        );
        assert!(reach.covers(&path("00010003")));
        assert!(!reach.covers(&path("0002")));
        assert_eq!(reach.overseen_subtrees(), [path("0001")]);
        assert!(NetworkReach::new([(OrgRole::Reporter, path("0002"))], []).is_empty());
    }

    #[test]
    fn members_claim_and_close_their_claims_and_leaders_correct() {
        let m = member(MemberRole::Member);
        let leader = member(MemberRole::Leader);
        let coach = holder(OrgRole::Coach);
        assert!(may_claim(&m));
        assert!(!may_claim(&coach));
        assert!(may_release(&m, true));
        assert!(!may_release(&m, false));
        assert!(may_release(&leader, false));
        assert!(may_close(&m, true));
        assert!(!may_close(&m, false));
        assert!(may_close(&leader, false));
        assert!(may_reopen(&leader));
        assert!(may_reopen(&holder(OrgRole::Admin)));
        assert!(!may_reopen(&m));
        assert!(!may_reopen(&coach));
    }

    #[test]
    fn need_actions_round_trip_through_text() {
        for v in NeedAction::ALL {
            assert_eq!(NeedAction::parse(v.as_str()), Some(*v));
        }
    }

    #[test]
    fn a_need_is_met_by_a_held_service_gathering_of_its_community() {
        let service = [Practice::Meal, Practice::Service];
        assert!(ensure_met_by_service(Some((GatheringOutcome::Held, &service))).is_ok());
        for refused in [
            Some((GatheringOutcome::Held, &[Practice::Party][..])),
            Some((GatheringOutcome::Scheduled, &service[..])),
            Some((GatheringOutcome::Cancelled, &service[..])),
            None,
        ] {
            let got = ensure_met_by_service(refused);
            assert!(
                matches!(got, Err(DomainError::Invalid { ref field, .. }) if field == "metByGatheringId")
            );
        }
    }
}
