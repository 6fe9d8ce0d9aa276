//! What a community does when it gathers, and which of the three circles of life each
//! practice feeds. The mapping from practice to circle lives here and nowhere else, so
//! that the monthly grid, the drift warnings and the reports can never disagree.

use serde::{Deserialize, Serialize};

use crate::community::text_enum;
use crate::{DomainError, DomainResult};

/// A practice a gathering carries. One gathering may carry several (a meal with
/// Scripture and prayer is common).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
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
text_enum!(Practice {
    Scripture => "SCRIPTURE", Prayer => "PRAYER", Meal => "MEAL", Worship => "WORSHIP",
    Service => "SERVICE", PrayerWalk => "PRAYER_WALK", Party => "PARTY", Training => "TRAINING",
    Other => "OTHER"
});

/// The three circles of life a group is coached to keep in balance: up (communion with
/// God), out (mission, blessing the neighbourhood) and in (inclusion, belonging).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Circle {
    Communion,
    Mission,
    Inclusion,
}
text_enum!(Circle { Communion => "COMMUNION", Mission => "MISSION", Inclusion => "INCLUSION" });

impl Practice {
    /// Training and "other" are real parts of a group's life but belong to no circle:
    /// they must not make a month look balanced when it is not.
    pub fn circle(self) -> Option<Circle> {
        match self {
            Self::Scripture | Self::Prayer | Self::Meal | Self::Worship => Some(Circle::Communion),
            Self::Service | Self::PrayerWalk => Some(Circle::Mission),
            Self::Party => Some(Circle::Inclusion),
            Self::Training | Self::Other => None,
        }
    }

    /// The word a leader would use in a sentence ("no service together", "only Scripture
    /// gatherings"). Lower case except Scripture, which is a proper noun.
    pub fn label(self) -> &'static str {
        match self {
            Self::Scripture => "Scripture",
            Self::Prayer => "prayer",
            Self::Meal => "meal",
            Self::Worship => "worship",
            Self::Service => "service",
            Self::PrayerWalk => "prayer walk",
            Self::Party => "party",
            Self::Training => "training",
            Self::Other => "other",
        }
    }

    /// The word used when listing what a group has been doing ("Scripture, prayer, meals").
    pub fn plural_label(self) -> &'static str {
        match self {
            Self::Meal => "meals",
            Self::PrayerWalk => "prayer walks",
            Self::Party => "parties",
            other => other.label(),
        }
    }
}

impl Circle {
    /// The circle's name as it appears in sentences ("only communion gatherings").
    pub fn label(self) -> &'static str {
        match self {
            Self::Communion => "communion",
            Self::Mission => "mission",
            Self::Inclusion => "inclusion",
        }
    }

    /// Every practice that feeds this circle, in [`Practice::ALL`] order.
    pub fn practices(self) -> Vec<Practice> {
        Practice::ALL
            .iter()
            .copied()
            .filter(|p| p.circle() == Some(self))
            .collect()
    }
}

/// The practices of one gathering: at least one, each once, in the order first given.
pub fn practices(values: &[Practice]) -> DomainResult<Vec<Practice>> {
    if values.is_empty() {
        return Err(DomainError::invalid(
            "practices",
            "choose at least one practice for the gathering",
        ));
    }
    let mut out: Vec<Practice> = Vec::with_capacity(values.len());
    for value in values {
        if !out.contains(value) {
            out.push(*value);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripture_prayer_meal_and_worship_feed_communion() {
        for p in [
            Practice::Scripture,
            Practice::Prayer,
            Practice::Meal,
            Practice::Worship,
        ] {
            assert_eq!(p.circle(), Some(Circle::Communion), "{p:?}");
        }
    }

    #[test]
    fn service_and_prayer_walks_feed_mission() {
        assert_eq!(Practice::Service.circle(), Some(Circle::Mission));
        assert_eq!(Practice::PrayerWalk.circle(), Some(Circle::Mission));
    }

    #[test]
    fn a_party_feeds_inclusion() {
        assert_eq!(Practice::Party.circle(), Some(Circle::Inclusion));
    }

    #[test]
    fn training_and_other_feed_no_circle() {
        assert_eq!(Practice::Training.circle(), None);
        assert_eq!(Practice::Other.circle(), None);
    }

    #[test]
    fn each_circle_lists_exactly_the_practices_that_feed_it() {
        assert_eq!(
            Circle::Communion.practices(),
            vec![
                Practice::Scripture,
                Practice::Prayer,
                Practice::Meal,
                Practice::Worship
            ]
        );
        assert_eq!(
            Circle::Mission.practices(),
            vec![Practice::Service, Practice::PrayerWalk]
        );
        assert_eq!(Circle::Inclusion.practices(), vec![Practice::Party]);
    }

    #[test]
    fn practices_and_circles_round_trip_through_text() {
        for p in Practice::ALL {
            assert_eq!(Practice::parse(p.as_str()), Some(*p));
        }
        for c in Circle::ALL {
            assert_eq!(Circle::parse(c.as_str()), Some(*c));
        }
        assert_eq!(Practice::parse("PRAYER_WALK"), Some(Practice::PrayerWalk));
        assert_eq!(Practice::parse("prayer_walk"), None);
        assert_eq!(Circle::parse("UP"), None);
    }

    #[test]
    fn labels_read_well_in_a_sentence() {
        assert_eq!(Practice::Scripture.label(), "Scripture");
        assert_eq!(Practice::Service.label(), "service");
        assert_eq!(Practice::PrayerWalk.label(), "prayer walk");
        assert_eq!(Practice::Meal.plural_label(), "meals");
        assert_eq!(Practice::Party.plural_label(), "parties");
        assert_eq!(Practice::Prayer.plural_label(), "prayer");
        assert_eq!(Circle::Communion.label(), "communion");
        assert_eq!(Circle::Mission.label(), "mission");
        assert_eq!(Circle::Inclusion.label(), "inclusion");
    }

    #[test]
    fn a_gathering_needs_at_least_one_practice() {
        let err = practices(&[]);
        assert!(matches!(err, Err(DomainError::Invalid { ref field, .. }) if field == "practices"));
    }

    #[test]
    fn repeated_practices_are_kept_once_in_the_order_first_given() {
        let got = practices(&[
            Practice::Meal,
            Practice::Scripture,
            Practice::Meal,
            Practice::Scripture,
        ]);
        assert_eq!(got.ok(), Some(vec![Practice::Meal, Practice::Scripture]));
    }
}
