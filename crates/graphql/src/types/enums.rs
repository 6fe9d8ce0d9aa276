//! GraphQL mirrors of the domain's enums (the domain crate knows nothing of GraphQL).

use async_graphql::Enum;

#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "oikos_domain::organization::OrganizationKind")]
pub enum OrganizationKind {
    Denomination,
    Network,
    Church,
}

#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "oikos_domain::organization::OrgRole")]
pub enum OrganizationRole {
    /// Manages the organization and everything below it.
    Admin,
    /// Accompanies leaders; sees communities and people below the organization.
    Coach,
    /// Sees numbers only, never people.
    Reporter,
}

#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "oikos_domain::community::CommunityStatus")]
pub enum CommunityStatus {
    Forming,
    Active,
    Closed,
}

#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "oikos_domain::community::StartMode")]
pub enum StartMode {
    MissionFirst,
    CommunityFirst,
}

#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "oikos_domain::community::PlaceKind")]
pub enum PlaceKind {
    Home,
    Park,
    Cafe,
    ChurchBuilding,
    Other,
}

#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "oikos_domain::community::LocationPrivacy")]
pub enum LocationPrivacy {
    /// Only members see where the community meets.
    Hidden,
    /// Outsiders see the location rounded to about a kilometre.
    Approximate,
    Exact,
}

#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "oikos_domain::community::Weekday")]
pub enum Weekday {
    Monday,
    Tuesday,
    Wednesday,
    Thursday,
    Friday,
    Saturday,
    Sunday,
}

#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "oikos_domain::membership::MemberRole")]
pub enum MemberRole {
    Leader,
    /// A leader in training.
    Apprentice,
    Host,
    Member,
}

#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "oikos_domain::development::CoreSkill")]
pub enum CoreSkill {
    FacilitatingGathering,
    LeadingService,
    HostingParty,
    CoachingApprentice,
}

/// The path an apprentice walks in each core skill.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "oikos_domain::development::DevelopmentStage")]
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

#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "oikos_domain::readiness::ReadinessCriterionKind")]
pub enum ReadinessCriterionKind {
    MeetingLongEnough,
    BigEnough,
    ApprenticeReady,
    KeptRhythms,
    TurnedOutward,
    NeedsMet,
}
