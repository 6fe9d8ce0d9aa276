//! Leader development. An apprentice grows in each core skill of leading a missional
//! community along the same path: the leader models it, the apprentice assists, then
//! leads while the leader watches, and finally the leader leaves it to them.

use serde::{Deserialize, Serialize};

use crate::community::text_enum;

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
}
