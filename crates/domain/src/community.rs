//! A missional community: how it started, where it meets, where it is on the map (and
//! who may see that), and its life from FORMING to CLOSED.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::tree_path::TreePath;
use chrono::{NaiveDate, NaiveTime, Timelike};
use serde::{Deserialize, Serialize};

use crate::{DomainError, DomainResult, text};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum CommunityStatus {
    Forming,
    Active,
    Closed,
}

/// Mission-first groups gather around a vision; community-first groups gather as
/// friends or neighbours and discern a mission together. Both are legitimate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum StartMode {
    MissionFirst,
    CommunityFirst,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum PlaceKind {
    Home,
    Park,
    Cafe,
    ChurchBuilding,
    Other,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum LocationPrivacy {
    Hidden,
    Approximate,
    Exact,
}

macro_rules! text_enum {
    ($ty:ty { $($variant:ident => $text:literal),+ $(,)? }) => {
        impl $ty {
            pub const ALL: &'static [$ty] = &[$(<$ty>::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $(<$ty>::$variant => $text),+ }
            }

            pub fn parse(value: &str) -> Option<Self> {
                match value { $($text => Some(<$ty>::$variant),)+ _ => None }
            }
        }
    };
}
pub(crate) use text_enum;

text_enum!(CommunityStatus { Forming => "FORMING", Active => "ACTIVE", Closed => "CLOSED" });
text_enum!(StartMode { MissionFirst => "MISSION_FIRST", CommunityFirst => "COMMUNITY_FIRST" });
text_enum!(PlaceKind {
    Home => "HOME", Park => "PARK", Cafe => "CAFE", ChurchBuilding => "CHURCH_BUILDING", Other => "OTHER"
});
text_enum!(LocationPrivacy { Hidden => "HIDDEN", Approximate => "APPROXIMATE", Exact => "EXACT" });

/// A point on the map, validated.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct GeoPoint {
    latitude: f64,
    longitude: f64,
}

impl GeoPoint {
    pub fn new(latitude: f64, longitude: f64) -> DomainResult<Self> {
        if !latitude.is_finite() || !(-90.0..=90.0).contains(&latitude) {
            return Err(DomainError::invalid(
                "latitude",
                "latitude must be between -90 and 90",
            ));
        }
        if !longitude.is_finite() || !(-180.0..=180.0).contains(&longitude) {
            return Err(DomainError::invalid(
                "longitude",
                "longitude must be between -180 and 180",
            ));
        }
        Ok(Self {
            latitude,
            longitude,
        })
    }

    pub fn latitude(self) -> f64 {
        self.latitude
    }

    pub fn longitude(self) -> f64 {
        self.longitude
    }

    /// Two decimals of a degree is about 1.1 km of latitude: near enough to say which
    /// neighbourhood, far enough not to point at a front door.
    pub fn approximate(self) -> Self {
        let round = |v: f64| (v * 100.0).round() / 100.0;
        Self {
            latitude: round(self.latitude),
            longitude: round(self.longitude),
        }
    }

    /// Where this point may be shown to a viewer: members see what was recorded, anyone
    /// else sees it as the community's privacy level allows.
    pub fn as_seen(self, privacy: LocationPrivacy, viewer_is_member: bool) -> Option<Self> {
        match (viewer_is_member, privacy) {
            (true, _) | (false, LocationPrivacy::Exact) => Some(self),
            (false, LocationPrivacy::Approximate) => Some(self.approximate()),
            (false, LocationPrivacy::Hidden) => None,
        }
    }
}

/// Both or neither: a latitude without a longitude is a mistake, not half a location.
pub fn geo_point(latitude: Option<f64>, longitude: Option<f64>) -> DomainResult<Option<GeoPoint>> {
    match (latitude, longitude) {
        (None, None) => Ok(None),
        (Some(lat), Some(lng)) => GeoPoint::new(lat, lng).map(Some),
        (Some(_), None) => Err(DomainError::invalid(
            "longitude",
            "longitude is required when latitude is given",
        )),
        (None, Some(_)) => Err(DomainError::invalid(
            "latitude",
            "latitude is required when longitude is given",
        )),
    }
}

/// An IANA time zone such as `Europe/Berlin`; gatherings are counted in the month of the
/// community's own calendar.
pub fn time_zone(value: &str) -> DomainResult<chrono_tz::Tz> {
    value.trim().parse::<chrono_tz::Tz>().map_err(|_| {
        DomainError::invalid(
            "timeZone",
            format!("'{value}' is not an IANA time zone such as Europe/Berlin"),
        )
    })
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Weekday {
    Monday,
    Tuesday,
    Wednesday,
    Thursday,
    Friday,
    Saturday,
    Sunday,
}
text_enum!(Weekday {
    Monday => "MONDAY", Tuesday => "TUESDAY", Wednesday => "WEDNESDAY", Thursday => "THURSDAY",
    Friday => "FRIDAY", Saturday => "SATURDAY", Sunday => "SUNDAY"
});

/// The everyday facts of a community, validated. Status and lineage are not here: they
/// change only through their own rules.
#[derive(Debug, Clone, PartialEq)]
pub struct CommunityProfile {
    pub name: String,
    pub vision: Option<String>,
    pub start_mode: StartMode,
    pub place_kind: PlaceKind,
    pub place_description: Option<String>,
    pub neighbourhood: Option<String>,
    pub location: Option<GeoPoint>,
    pub location_privacy: LocationPrivacy,
    pub meeting_day: Option<Weekday>,
    pub meeting_time: Option<NaiveTime>,
    pub time_zone: chrono_tz::Tz,
    pub launched_on: Option<NaiveDate>,
}

/// What a client sends to describe a community, before validation.
#[derive(Debug, Clone, Default)]
pub struct CommunityProfileDraft {
    pub name: String,
    pub vision: Option<String>,
    pub start_mode: Option<StartMode>,
    pub place_kind: Option<PlaceKind>,
    pub place_description: Option<String>,
    pub neighbourhood: Option<String>,
    pub latitude: Option<f64>,
    pub longitude: Option<f64>,
    pub location_privacy: Option<LocationPrivacy>,
    pub meeting_day: Option<Weekday>,
    pub meeting_time: Option<NaiveTime>,
    pub time_zone: Option<String>,
    pub launched_on: Option<NaiveDate>,
}

pub const DEFAULT_TIME_ZONE: chrono_tz::Tz = chrono_tz::UTC;

impl CommunityProfile {
    pub fn parse(draft: CommunityProfileDraft) -> DomainResult<Self> {
        Ok(Self {
            name: text::name("name", &draft.name)?,
            vision: text::optional_text(
                "vision",
                draft.vision.as_deref(),
                text::LONG_TEXT_MAX_CHARS,
            )?,
            start_mode: draft.start_mode.unwrap_or(StartMode::CommunityFirst),
            place_kind: draft.place_kind.unwrap_or(PlaceKind::Home),
            place_description: text::optional_line(
                "placeDescription",
                draft.place_description.as_deref(),
                200,
            )?,
            neighbourhood: text::optional_line(
                "neighbourhood",
                draft.neighbourhood.as_deref(),
                text::NAME_MAX_CHARS,
            )?,
            location: geo_point(draft.latitude, draft.longitude)?,
            // Nobody's home is published by default.
            location_privacy: draft.location_privacy.unwrap_or(LocationPrivacy::Hidden),
            meeting_day: draft.meeting_day,
            meeting_time: draft.meeting_time.map(to_the_minute),
            time_zone: match draft.time_zone.as_deref() {
                Some(tz) => time_zone(tz)?,
                None => DEFAULT_TIME_ZONE,
            },
            launched_on: draft.launched_on,
        })
    }
}

/// Meeting times are stored to the minute. Dropping seconds here rather than in storage
/// keeps a retried create (same id, same content) equal to what was recorded, instead of
/// a CONFLICT against its own first attempt.
fn to_the_minute(time: NaiveTime) -> NaiveTime {
    NaiveTime::from_hms_opt(time.hour(), time.minute(), 0).unwrap_or(time)
}

/// Why and when a community closed. Closing keeps its place in the family tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Closure {
    pub reason: String,
    pub closed_on: NaiveDate,
}

/// Closing is allowed once, from FORMING or ACTIVE, on a date not before its launch and
/// not in the future.
pub fn close(
    status: CommunityStatus,
    launched_on: Option<NaiveDate>,
    reason: &str,
    closed_on: NaiveDate,
    today: NaiveDate,
) -> DomainResult<Closure> {
    if status == CommunityStatus::Closed {
        return Err(DomainError::conflict("the community is already closed"));
    }
    let reason = text::required_line("reason", reason, 500)?;
    if closed_on > today {
        return Err(DomainError::invalid(
            "closedOn",
            "a community cannot be closed in the future",
        ));
    }
    if launched_on.is_some_and(|launched| closed_on < launched) {
        return Err(DomainError::invalid(
            "closedOn",
            "a community cannot close before it was launched",
        ));
    }
    Ok(Closure { reason, closed_on })
}

/// A community may be ACTIVE only with a leader; CLOSED is reached through [`close`].
pub fn change_status(
    from: CommunityStatus,
    to: CommunityStatus,
    leader_count: usize,
) -> DomainResult<CommunityStatus> {
    match (from, to) {
        (CommunityStatus::Closed, _) => Err(DomainError::conflict(
            "a closed community cannot change status; plant a new one instead",
        )),
        (_, CommunityStatus::Closed) => Err(DomainError::invalid(
            "status",
            "use closeCommunity to close a community, with a reason",
        )),
        (_, CommunityStatus::Active) if leader_count == 0 => Err(DomainError::invalid(
            "status",
            "a community needs at least one leader to be active",
        )),
        (CommunityStatus::Active, CommunityStatus::Forming) => Err(DomainError::invalid(
            "status",
            "an active community cannot go back to forming",
        )),
        (_, to) => Ok(to),
    }
}

/// A community's place in its family tree. Generation 1 is a stream's root (a plant).
#[derive(Debug, Clone, PartialEq)]
pub struct Lineage {
    pub parent_id: Option<Uuid>,
    pub generation: u32,
    pub stream_root_id: Uuid,
    pub path: TreePath,
}

/// A community as recorded.
#[derive(Debug, Clone, PartialEq)]
pub struct Community {
    pub id: Uuid,
    pub organization_id: Uuid,
    pub profile: CommunityProfile,
    pub status: CommunityStatus,
    pub closure: Option<Closure>,
    pub lineage: Lineage,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    #[test]
    fn approximate_location_rounds_to_about_a_kilometre() {
        let p = GeoPoint::new(52.520_008, 13.404_954).unwrap_or_else(|_| unreachable!());
        let a = p.approximate();
        assert!((a.latitude() - 52.52).abs() < 1e-9);
        assert!((a.longitude() - 13.40).abs() < 1e-9);
    }

    #[test]
    fn outsiders_see_location_only_as_privacy_allows() {
        let p = GeoPoint::new(1.23456, 2.34567).unwrap_or_else(|_| unreachable!());
        assert_eq!(p.as_seen(LocationPrivacy::Hidden, false), None);
        assert_eq!(p.as_seen(LocationPrivacy::Hidden, true), Some(p));
        assert_eq!(p.as_seen(LocationPrivacy::Exact, false), Some(p));
        assert_eq!(
            p.as_seen(LocationPrivacy::Approximate, false),
            Some(p.approximate())
        );
    }

    #[test]
    fn coordinates_must_be_on_earth_and_come_in_pairs() {
        assert!(GeoPoint::new(91.0, 0.0).is_err());
        assert!(GeoPoint::new(0.0, -181.0).is_err());
        assert!(GeoPoint::new(f64::NAN, 0.0).is_err());
        assert!(geo_point(Some(1.0), None).is_err());
        assert!(geo_point(None, Some(1.0)).is_err());
        assert_eq!(geo_point(None, None).ok(), Some(None));
    }

    #[test]
    fn time_zones_must_be_iana_names() {
        assert!(time_zone("Europe/Berlin").is_ok());
        assert!(time_zone("Mars/Olympus").is_err());
    }

    #[test]
    fn profile_defaults_hide_the_location() {
        let profile = CommunityProfile::parse(CommunityProfileDraft {
            name: "Elm Street".into(),
            ..Default::default()
        });
        assert_eq!(
            profile.map(|p| p.location_privacy).ok(),
            Some(LocationPrivacy::Hidden)
        );
    }

    #[test]
    fn meeting_times_are_kept_to_the_minute() {
        let profile = CommunityProfile::parse(CommunityProfileDraft {
            name: "Elm Street".into(),
            meeting_time: NaiveTime::from_hms_milli_opt(19, 30, 15, 500),
            ..Default::default()
        });
        assert_eq!(
            profile.map(|p| p.meeting_time).ok().flatten(),
            NaiveTime::from_hms_opt(19, 30, 0)
        );
    }

    #[test]
    fn closing_twice_is_a_conflict() {
        let got = close(
            CommunityStatus::Closed,
            None,
            "moved",
            day(2026, 1, 1),
            day(2026, 2, 1),
        );
        assert!(matches!(got, Err(DomainError::Conflict { .. })));
    }

    #[test]
    fn closing_needs_a_reason_and_a_plausible_date() {
        let today = day(2026, 2, 1);
        assert!(close(CommunityStatus::Active, None, " ", today, today).is_err());
        assert!(
            close(
                CommunityStatus::Active,
                None,
                "moved",
                day(2026, 3, 1),
                today
            )
            .is_err()
        );
        assert!(
            close(
                CommunityStatus::Active,
                Some(day(2026, 1, 10)),
                "moved",
                day(2026, 1, 1),
                today
            )
            .is_err()
        );
        assert!(close(CommunityStatus::Forming, None, "moved", today, today).is_ok());
    }

    #[test]
    fn active_needs_a_leader() {
        assert!(change_status(CommunityStatus::Forming, CommunityStatus::Active, 0).is_err());
        assert!(change_status(CommunityStatus::Forming, CommunityStatus::Active, 1).is_ok());
        assert!(change_status(CommunityStatus::Active, CommunityStatus::Forming, 1).is_err());
        assert!(change_status(CommunityStatus::Closed, CommunityStatus::Active, 1).is_err());
    }
}
