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
#[graphql(remote = "oikos_domain::practice::Practice")]
pub enum Practice {
    Scripture,
    Prayer,
    Meal,
    Worship,
    Service,
    PrayerWalk,
    Party,
    Training,
    Other,
}

/// The three circles of life: up (communion with God), out (mission, blessing the
/// neighbourhood), in (inclusion, belonging).
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "oikos_domain::practice::Circle")]
pub enum Circle {
    Communion,
    Mission,
    Inclusion,
}

#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "oikos_domain::rhythm::GatheringOutcome")]
pub enum GatheringOutcome {
    Scheduled,
    Held,
    /// It did not take place: counted as a missed rhythm.
    DidNotMeet,
    /// Called off ahead: counts toward nothing.
    Cancelled,
}

#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "oikos_domain::rhythm::RhythmStatus")]
pub enum RhythmStatus {
    Met,
    Partial,
    Missed,
}

#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "oikos_domain::gathering::RsvpResponse")]
pub enum RsvpResponse {
    Yes,
    No,
    Maybe,
}

#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "oikos_domain::drift::DriftKind")]
pub enum DriftKind {
    CircleNeglected,
    SingleCircle,
    NoGuests,
    MissedGatherings,
    NoGatherings,
}

#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "oikos_domain::health::HealthIndicatorKind")]
pub enum HealthIndicatorKind {
    HasLeader,
    HasApprentice,
    KeptTheGrid,
    GuestsRecently,
    NeedsMetRecently,
    EveryoneServes,
    HealthySize,
}

#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "oikos_domain::need::NeedCategory")]
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

#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "oikos_domain::need::NeedUrgency")]
pub enum NeedUrgency {
    Low,
    Normal,
    High,
    Urgent,
}

/// Who may see a need.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "oikos_domain::need::Visibility")]
pub enum NeedVisibility {
    /// The community's leaders, and those who oversee it (ADMIN, COACH).
    Leaders,
    /// Every member, and those who oversee it.
    Community,
    /// Also members of communities at or below the community's organization, and those
    /// who oversee that organization.
    Network,
}

#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "oikos_domain::need::NeedStatus")]
pub enum NeedStatus {
    Open,
    /// Someone (one or more members) is on it.
    Claimed,
    Closed,
}

#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "oikos_domain::need::NeedOutcome")]
pub enum NeedOutcome {
    Met,
    /// Passed on to a partner of the community who can help.
    Referred,
    NoLongerNeeded,
    BeyondOurCapacity,
    NotAppropriate,
}

#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "oikos_domain::need::NeedAction")]
pub enum NeedAction {
    Opened,
    Claimed,
    Released,
    Closed,
    Reopened,
}

/// Who may read a prayer request (its author always may).
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "oikos_domain::prayer::PrayerVisibility")]
pub enum PrayerVisibility {
    /// The community's leaders, and those who oversee it.
    Leaders,
    /// Every member, and those who oversee it.
    Community,
}

/// Where a relationship with a person of peace stands.
#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "oikos_domain::people_of_peace::RelationshipStage")]
pub enum RelationshipStage {
    Met,
    Engaged,
    Attended,
    /// They became a member (final).
    Joined,
}

#[derive(Enum, Copy, Clone, Debug, Eq, PartialEq)]
#[graphql(remote = "oikos_domain::people_of_peace::PartnerStatus")]
pub enum PartnerStatus {
    Identified,
    Contacted,
    Partnering,
    Ended,
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
