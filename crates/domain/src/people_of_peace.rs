//! People of peace: neighbours and friends outside the group whom members know. The
//! relationship is tracked so the group can care well, never as a sales funnel, which is
//! why a stage may move back as freely as forward.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::community::text_enum;
use crate::person::{Email, phone};
use crate::{DomainError, DomainResult, text};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum RelationshipStage {
    Met,
    Engaged,
    Attended,
    Joined,
}
text_enum!(RelationshipStage {
    Met => "MET", Engaged => "ENGAGED", Attended => "ATTENDED", Joined => "JOINED"
});

/// Where the group stands with a ministry or organisation already at work nearby.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum PartnerStatus {
    Identified,
    Contacted,
    Partnering,
    Ended,
}
text_enum!(PartnerStatus {
    Identified => "IDENTIFIED", Contacted => "CONTACTED", Partnering => "PARTNERING",
    Ended => "ENDED"
});

/// Any stage may follow any other, except that JOINED is final: once the person became
/// a member, their story continues as a member, not as a guest.
pub fn change_stage(
    from: RelationshipStage,
    to: RelationshipStage,
) -> DomainResult<RelationshipStage> {
    if from == RelationshipStage::Joined && to != RelationshipStage::Joined {
        return Err(DomainError::conflict(
            "this person has joined the community; that step is final",
        ));
    }
    Ok(to)
}

/// A relationship starts before joining: someone who already joined is added as a
/// member, not as a person of peace.
pub fn initial_stage(stage: Option<RelationshipStage>) -> DomainResult<RelationshipStage> {
    match stage {
        None => Ok(RelationshipStage::Met),
        Some(RelationshipStage::Joined) => Err(DomainError::invalid(
            "stage",
            "a new person of peace cannot start as JOINED; record them, then change the stage \
             to JOINED to welcome them as a member",
        )),
        Some(stage) => Ok(stage),
    }
}

pub const HOW_MET_MAX_CHARS: usize = 500;
pub const NEIGHBOURHOOD_MAX_CHARS: usize = 120;

pub fn how_met(value: Option<&str>) -> DomainResult<Option<String>> {
    text::optional_text("howMet", value, HOW_MET_MAX_CHARS)
}

pub fn neighbourhood(value: Option<&str>) -> DomainResult<Option<String>> {
    text::optional_line("neighbourhood", value, NEIGHBOURHOOD_MAX_CHARS)
}

pub fn notes(value: Option<&str>) -> DomainResult<Option<String>> {
    text::optional_text("notes", value, text::LONG_TEXT_MAX_CHARS)
}

/// What a removed person of peace is called from then on: counts that referred to them
/// (guests at a gathering, needs met) stay, nothing says who they were.
pub const ERASED_DISPLAY_NAME: &str = "Removed person";

/// A person of peace as recorded. Their name and contact details live on their person
/// (`person_id`), so that JOINED makes them a member without retyping anything.
#[derive(Debug, Clone, PartialEq)]
pub struct PersonOfPeace {
    pub id: Uuid,
    pub community_id: Uuid,
    pub person_id: Uuid,
    /// The member who knows them.
    pub known_by_id: Option<Uuid>,
    pub how_met: Option<String>,
    pub neighbourhood: Option<String>,
    pub stage: RelationshipStage,
    pub notes: Option<String>,
    /// Set once they JOINED: the membership they were welcomed with.
    pub membership_id: Option<Uuid>,
    pub created_by: Option<Uuid>,
    pub erased_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl PersonOfPeace {
    /// A removed person of peace keeps their place in the counts and nothing else.
    pub fn ensure_not_erased(&self) -> DomainResult<()> {
        if self.erased_at.is_some() {
            return Err(DomainError::conflict(
                "this person of peace has been removed",
            ));
        }
        Ok(())
    }
}

/// Removing a person of peace erases their person. That is only theirs to lose while
/// they are a guest: once they joined, or hold an account of their own, their person
/// belongs to their membership or to them.
pub fn ensure_erasable(stage: RelationshipStage, has_account: bool) -> DomainResult<()> {
    if stage == RelationshipStage::Joined {
        return Err(DomainError::conflict(
            "this person has joined the community; remove their membership instead",
        ));
    }
    if has_account {
        return Err(DomainError::conflict(
            "this person has an account of their own; only they can remove it",
        ));
    }
    Ok(())
}

/// A partner as typed (creating) or as merged with the current values (updating).
#[derive(Debug, Clone, Default)]
pub struct PartnerDraft {
    pub name: String,
    pub description: Option<String>,
    pub contact_name: Option<String>,
    pub contact_email: Option<String>,
    pub contact_phone: Option<String>,
    pub status: Option<PartnerStatus>,
    pub notes: Option<String>,
}

/// A ministry or organisation already at work in the neighbourhood, validated.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PartnerContent {
    pub name: String,
    pub description: Option<String>,
    pub contact_name: Option<String>,
    pub contact_email: Option<String>,
    pub contact_phone: Option<String>,
    pub status: PartnerStatus,
    pub notes: Option<String>,
}

impl PartnerContent {
    pub fn parse(draft: PartnerDraft) -> DomainResult<Self> {
        let contact_email = match draft.contact_email.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(email) => Some(
                Email::parse(email)
                    .map_err(|e| e.at_field("contactEmail"))?
                    .as_str()
                    .to_owned(),
            ),
        };
        Ok(Self {
            name: text::name("name", &draft.name)?,
            description: text::optional_text(
                "description",
                draft.description.as_deref(),
                text::LONG_TEXT_MAX_CHARS,
            )?,
            contact_name: text::optional_line(
                "contactName",
                draft.contact_name.as_deref(),
                text::NAME_MAX_CHARS,
            )?,
            contact_email,
            contact_phone: phone(draft.contact_phone.as_deref())
                .map_err(|e| e.at_field("contactPhone"))?,
            status: draft.status.unwrap_or(PartnerStatus::Identified),
            notes: notes(draft.notes.as_deref())?,
        })
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Partner {
    pub id: Uuid,
    pub community_id: Uuid,
    pub content: PartnerContent,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stages_and_partner_statuses_round_trip_through_text() {
        for v in RelationshipStage::ALL {
            assert_eq!(RelationshipStage::parse(v.as_str()), Some(*v));
        }
        for v in PartnerStatus::ALL {
            assert_eq!(PartnerStatus::parse(v.as_str()), Some(*v));
        }
    }

    #[test]
    fn a_relationship_may_move_forward() {
        assert_eq!(
            change_stage(RelationshipStage::Met, RelationshipStage::Attended).ok(),
            Some(RelationshipStage::Attended)
        );
        assert_eq!(
            change_stage(RelationshipStage::Attended, RelationshipStage::Joined).ok(),
            Some(RelationshipStage::Joined)
        );
    }

    #[test]
    fn a_relationship_may_move_back_before_joining() {
        assert_eq!(
            change_stage(RelationshipStage::Attended, RelationshipStage::Met).ok(),
            Some(RelationshipStage::Met)
        );
        assert_eq!(
            change_stage(RelationshipStage::Engaged, RelationshipStage::Engaged).ok(),
            Some(RelationshipStage::Engaged)
        );
    }

    #[test]
    fn joined_is_final() {
        for to in [
            RelationshipStage::Met,
            RelationshipStage::Engaged,
            RelationshipStage::Attended,
        ] {
            let got = change_stage(RelationshipStage::Joined, to);
            assert!(matches!(got, Err(DomainError::Conflict { .. })), "{to:?}");
        }
        assert_eq!(
            change_stage(RelationshipStage::Joined, RelationshipStage::Joined).ok(),
            Some(RelationshipStage::Joined)
        );
    }

    #[test]
    fn a_new_person_of_peace_starts_as_met_unless_told_otherwise() {
        assert_eq!(initial_stage(None).ok(), Some(RelationshipStage::Met));
        assert_eq!(
            initial_stage(Some(RelationshipStage::Attended)).ok(),
            Some(RelationshipStage::Attended)
        );
    }

    #[test]
    fn a_new_person_of_peace_cannot_start_as_joined() {
        let got = initial_stage(Some(RelationshipStage::Joined));
        assert!(matches!(got, Err(DomainError::Invalid { ref field, .. }) if field == "stage"));
    }

    #[test]
    fn relationship_texts_are_bounded() {
        assert!(how_met(Some(&"x".repeat(HOW_MET_MAX_CHARS))).is_ok());
        assert!(how_met(Some(&"x".repeat(HOW_MET_MAX_CHARS + 1))).is_err());
        assert!(neighbourhood(Some("Old\nTown")).is_err());
        assert_eq!(notes(Some("  ")).ok(), Some(None));
    }

    #[test]
    fn only_a_guest_without_an_account_can_be_erased() {
        assert!(ensure_erasable(RelationshipStage::Attended, false).is_ok());
        assert!(matches!(
            ensure_erasable(RelationshipStage::Joined, false),
            Err(DomainError::Conflict { .. })
        ));
        assert!(matches!(
            ensure_erasable(RelationshipStage::Met, true),
            Err(DomainError::Conflict { .. })
        ));
    }

    #[test]
    fn a_partner_is_named_and_its_contact_checked() {
        let ok = PartnerContent::parse(PartnerDraft {
            name: " Food Bank North ".into(),
            contact_email: Some(" Info@FoodBank.org ".into()),
            contact_phone: Some("+49 30 1234567".into()),
            ..Default::default()
        })
        .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(ok.name, "Food Bank North");
        assert_eq!(ok.contact_email.as_deref(), Some("Info@FoodBank.org"));
        assert_eq!(ok.status, PartnerStatus::Identified);
        let bad_email = PartnerContent::parse(PartnerDraft {
            name: "x".into(),
            contact_email: Some("not an email".into()),
            ..Default::default()
        });
        assert!(
            matches!(bad_email, Err(DomainError::Invalid { ref field, .. }) if field == "contactEmail")
        );
        let bad_phone = PartnerContent::parse(PartnerDraft {
            name: "x".into(),
            contact_phone: Some("call us".into()),
            ..Default::default()
        });
        assert!(
            matches!(bad_phone, Err(DomainError::Invalid { ref field, .. }) if field == "contactPhone")
        );
        assert!(PartnerContent::parse(PartnerDraft::default()).is_err());
    }
}
