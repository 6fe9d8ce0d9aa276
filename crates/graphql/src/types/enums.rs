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
