//! Prayer requests are among the most personal things a group shares; each one says
//! explicitly who may read it.

use serde::{Deserialize, Serialize};

use crate::community::text_enum;

/// Who may read a prayer request. There is deliberately no network-wide level: prayer
/// requests never leave the community.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum PrayerVisibility {
    Leaders,
    Community,
}
text_enum!(PrayerVisibility { Leaders => "LEADERS", Community => "COMMUNITY" });

impl PrayerVisibility {
    /// Whether a member of the community may read a request shared this way.
    pub fn readable_by(self, viewer_is_leader: bool) -> bool {
        match self {
            Self::Community => true,
            Self::Leaders => viewer_is_leader,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prayer_visibility_round_trips_through_text() {
        for v in PrayerVisibility::ALL {
            assert_eq!(PrayerVisibility::parse(v.as_str()), Some(*v));
        }
        assert_eq!(PrayerVisibility::parse("NETWORK"), None);
    }

    #[test]
    fn a_request_for_leaders_is_hidden_from_other_members() {
        assert!(PrayerVisibility::Leaders.readable_by(true));
        assert!(!PrayerVisibility::Leaders.readable_by(false));
    }

    #[test]
    fn a_request_for_the_community_is_read_by_every_member() {
        assert!(PrayerVisibility::Community.readable_by(true));
        assert!(PrayerVisibility::Community.readable_by(false));
    }
}
