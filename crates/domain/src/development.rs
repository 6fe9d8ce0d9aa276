//! Leader development. An apprentice grows in each core skill of leading a missional
//! community along the same path: the leader models it, the apprentice assists, then
//! leads while the leader watches, and finally the leader leaves it to them.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::community::text_enum;
use crate::membership::MemberRole;
use crate::text::optional_text;
use crate::{DomainError, DomainResult};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum CoreSkill {
    FacilitatingGathering,
    LeadingService,
    HostingParty,
    CoachingApprentice,
}
text_enum!(CoreSkill {
    FacilitatingGathering => "FACILITATING_GATHERING", LeadingService => "LEADING_SERVICE",
    HostingParty => "HOSTING_PARTY", CoachingApprentice => "COACHING_APPRENTICE"
});

impl CoreSkill {
    /// For sentences such as "still needs to grow in hosting a party".
    pub fn label(self) -> &'static str {
        match self {
            Self::FacilitatingGathering => "facilitating a gathering",
            Self::LeadingService => "leading service",
            Self::HostingParty => "hosting a party",
            Self::CoachingApprentice => "coaching an apprentice",
        }
    }
}

/// Ordered along the path: Model < Assist < Watch < Leave.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum DevelopmentStage {
    /// The leader does it; the apprentice watches.
    Model,
    /// The leader does it; the apprentice helps.
    Assist,
    /// The apprentice does it; the leader watches and debriefs.
    Watch,
    /// The apprentice does it; the leader is no longer needed.
    Leave,
}
text_enum!(DevelopmentStage {
    Model => "MODEL", Assist => "ASSIST", Watch => "WATCH", Leave => "LEAVE"
});

impl DevelopmentStage {
    /// The next step on the path, if any.
    pub fn next(self) -> Option<Self> {
        match self {
            Self::Model => Some(Self::Assist),
            Self::Assist => Some(Self::Watch),
            Self::Watch => Some(Self::Leave),
            Self::Leave => None,
        }
    }
}

/// An apprentice is ready to lead once they lead every core skill themselves, whether or
/// not the leader still watches.
pub const READY_STAGE: DevelopmentStage = DevelopmentStage::Watch;

/// How far an apprentice has come in one skill. A skill never recorded has not begun
/// (Model); if a skill is recorded twice, the furthest stage counts.
pub fn stage_in(stages: &[(CoreSkill, DevelopmentStage)], skill: CoreSkill) -> DevelopmentStage {
    stages
        .iter()
        .filter(|(s, _)| *s == skill)
        .map(|(_, stage)| *stage)
        .max()
        .unwrap_or(DevelopmentStage::Model)
}

/// The core skills an apprentice still needs to grow in, in [`CoreSkill::ALL`] order.
pub fn missing_skills(stages: &[(CoreSkill, DevelopmentStage)]) -> Vec<CoreSkill> {
    CoreSkill::ALL
        .iter()
        .copied()
        .filter(|skill| stage_in(stages, *skill) < READY_STAGE)
        .collect()
}

pub fn apprentice_ready(stages: &[(CoreSkill, DevelopmentStage)]) -> bool {
    missing_skills(stages).is_empty()
}

/// Stages are kept for the people on the way to leading or already leading: apprentices,
/// and leaders, who keep growing (not least in coaching an apprentice of their own).
pub fn ensure_on_the_path(current_role: Option<MemberRole>) -> DomainResult<()> {
    match current_role {
        Some(MemberRole::Apprentice | MemberRole::Leader) => Ok(()),
        Some(MemberRole::Host | MemberRole::Member) => Err(DomainError::invalid(
            "personId",
            "development stages are kept for apprentices and leaders; make this member an apprentice first",
        )),
        None => Err(DomainError::invalid(
            "personId",
            "this person is not a current member of the community",
        )),
    }
}

/// Who is setting a stage, as far as the rule cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Assessor {
    /// Leads the community the stage is set in.
    pub leads_the_community: bool,
    /// Is currently assigned to coach one of the community's leaders.
    pub coaches_one_of_its_leaders: bool,
    /// Is the person whose stage is being set.
    pub is_the_person: bool,
}

/// Stages are set by those who walk alongside: a leader of the community, or a coach
/// assigned to one of its leaders. Nobody assesses themselves, so a leader's own stages
/// come from a fellow leader or their coach.
pub fn may_assess(assessor: Assessor) -> bool {
    !assessor.is_the_person && (assessor.leads_the_community || assessor.coaches_one_of_its_leaders)
}

pub const STAGE_NOTE_MAX_CHARS: usize = 500;

/// An optional word on why a stage changed ("led the last two parties on her own").
pub fn stage_note(value: Option<&str>) -> DomainResult<Option<String>> {
    optional_text("note", value, STAGE_NOTE_MAX_CHARS)
}

/// Where one person stands in one skill in one community, and who last said so.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedStage {
    pub community_id: Uuid,
    pub person_id: Uuid,
    pub skill: CoreSkill,
    pub stage: DevelopmentStage,
    pub updated_at: DateTime<Utc>,
    pub updated_by: Uuid,
}

/// One step of a person's history in a skill: kept forever, never rewritten.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StageChange {
    pub id: Uuid,
    pub community_id: Uuid,
    pub person_id: Uuid,
    pub skill: CoreSkill,
    /// `None` for the first stage ever recorded in the skill.
    pub from: Option<DevelopmentStage>,
    pub to: DevelopmentStage,
    pub note: Option<String>,
    pub changed_by: Uuid,
    pub changed_at: DateTime<Utc>,
}

/// Every core skill with its stage: recorded ones as recorded, the others at Model.
pub fn stages_of(recorded: &[(CoreSkill, DevelopmentStage)]) -> Vec<(CoreSkill, DevelopmentStage)> {
    CoreSkill::ALL
        .iter()
        .map(|skill| (*skill, stage_in(recorded, *skill)))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    use CoreSkill::{CoachingApprentice, FacilitatingGathering, HostingParty, LeadingService};
    use DevelopmentStage::{Assist, Leave, Model, Watch};

    #[test]
    fn skills_and_stages_round_trip_through_text() {
        for v in CoreSkill::ALL {
            assert_eq!(CoreSkill::parse(v.as_str()), Some(*v));
        }
        for v in DevelopmentStage::ALL {
            assert_eq!(DevelopmentStage::parse(v.as_str()), Some(*v));
        }
    }

    #[test]
    fn the_path_runs_model_assist_watch_leave() {
        assert!(Model < Assist && Assist < Watch && Watch < Leave);
        assert_eq!(Model.next(), Some(Assist));
        assert_eq!(Assist.next(), Some(Watch));
        assert_eq!(Watch.next(), Some(Leave));
        assert_eq!(Leave.next(), None);
    }

    #[test]
    fn an_apprentice_watched_or_released_in_every_skill_is_ready() {
        let stages = [
            (FacilitatingGathering, Leave),
            (LeadingService, Watch),
            (HostingParty, Watch),
            (CoachingApprentice, Leave),
        ];
        assert!(apprentice_ready(&stages));
        assert_eq!(missing_skills(&stages), vec![]);
    }

    #[test]
    fn an_apprentice_still_assisting_in_one_skill_is_not_ready() {
        let stages = [
            (FacilitatingGathering, Leave),
            (LeadingService, Watch),
            (HostingParty, Assist),
            (CoachingApprentice, Watch),
        ];
        assert!(!apprentice_ready(&stages));
        assert_eq!(missing_skills(&stages), vec![HostingParty]);
    }

    #[test]
    fn a_skill_never_recorded_counts_as_not_begun() {
        let stages = [(FacilitatingGathering, Watch), (LeadingService, Watch)];
        assert!(!apprentice_ready(&stages));
        assert_eq!(
            missing_skills(&stages),
            vec![HostingParty, CoachingApprentice]
        );
        assert_eq!(stage_in(&stages, HostingParty), Model);
        assert_eq!(missing_skills(&[]), CoreSkill::ALL.to_vec());
    }

    #[test]
    fn a_skill_recorded_twice_counts_at_its_furthest_stage() {
        let stages = [(HostingParty, Watch), (HostingParty, Model)];
        assert_eq!(stage_in(&stages, HostingParty), Watch);
    }

    #[test]
    fn skills_read_well_in_a_sentence() {
        assert_eq!(HostingParty.label(), "hosting a party");
        assert_eq!(CoachingApprentice.label(), "coaching an apprentice");
        assert_eq!(FacilitatingGathering.label(), "facilitating a gathering");
        assert_eq!(LeadingService.label(), "leading service");
    }

    #[test]
    fn stages_are_kept_for_apprentices_and_leaders_only() {
        assert_eq!(ensure_on_the_path(Some(MemberRole::Apprentice)), Ok(()));
        assert_eq!(ensure_on_the_path(Some(MemberRole::Leader)), Ok(()));
        for role in [Some(MemberRole::Host), Some(MemberRole::Member), None] {
            assert!(
                matches!(ensure_on_the_path(role), Err(DomainError::Invalid { ref field, .. }) if field == "personId"),
                "{role:?}"
            );
        }
    }

    #[test]
    fn a_leader_or_an_assigned_coach_sets_stages_but_nobody_assesses_themselves() {
        let leader = Assessor {
            leads_the_community: true,
            ..Default::default()
        };
        let coach = Assessor {
            coaches_one_of_its_leaders: true,
            ..Default::default()
        };
        assert!(may_assess(leader));
        assert!(may_assess(coach));
        assert!(!may_assess(Assessor::default()));
        assert!(!may_assess(Assessor {
            is_the_person: true,
            ..leader
        }));
        assert!(!may_assess(Assessor {
            is_the_person: true,
            ..coach
        }));
    }

    #[test]
    fn a_stage_note_is_optional_and_bounded() {
        assert_eq!(stage_note(Some("  ")), Ok(None));
        assert_eq!(stage_note(Some(" led it ")), Ok(Some("led it".into())));
        assert!(stage_note(Some(&"x".repeat(STAGE_NOTE_MAX_CHARS + 1))).is_err());
    }

    #[test]
    fn every_skill_is_listed_with_unrecorded_ones_at_model() {
        assert_eq!(
            stages_of(&[(HostingParty, Watch)]),
            vec![
                (FacilitatingGathering, Model),
                (LeadingService, Model),
                (HostingParty, Watch),
                (CoachingApprentice, Model),
            ]
        );
    }
}
