//! Policies a network sets for its communities — rhythm targets, the healthy size range,
//! multiplication readiness thresholds — set on an organization (inherited by everything
//! below it) or on one community, the nearest setting winning knob by knob.

use crate::health::SizeRange;
use crate::readiness::{ReadinessThresholds, ReadinessThresholdsOverride, resolve_readiness};
use crate::rhythm::{RhythmTargets, RhythmTargetsOverride, resolve_targets};
use crate::{DomainError, DomainResult};

/// What one organization or community sets; `None` inherits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct PolicyOverride {
    pub targets: RhythmTargetsOverride,
    pub healthy_size_min: Option<u32>,
    pub healthy_size_max: Option<u32>,
    pub readiness: ReadinessThresholdsOverride,
}

/// The policy in force for one community.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Policy {
    pub targets: RhythmTargets,
    pub size_range: SizeRange,
    pub readiness: ReadinessThresholds,
}

/// Resolves a chain ordered nearest first (the community, its organization, that
/// organization's parent, … the top).
pub fn resolve(chain: &[PolicyOverride]) -> Policy {
    let targets: Vec<RhythmTargetsOverride> = chain.iter().map(|p| p.targets).collect();
    let readiness: Vec<ReadinessThresholdsOverride> = chain.iter().map(|p| p.readiness).collect();
    let default_size = SizeRange::default();
    let min = chain
        .iter()
        .find_map(|p| p.healthy_size_min)
        .unwrap_or(default_size.min);
    let max = chain
        .iter()
        .find_map(|p| p.healthy_size_max)
        .unwrap_or(default_size.max);
    Policy {
        targets: resolve_targets(&targets),
        // Inherited ends set at different levels could cross; keep the range usable.
        size_range: SizeRange {
            min: min.min(max),
            max: max.max(min),
        },
        readiness: resolve_readiness(&readiness),
    }
}

/// Validates a healthy size range being set: both ends, or one end against what the
/// other inherits.
pub fn size_override(
    min: Option<i64>,
    max: Option<i64>,
) -> DomainResult<(Option<u32>, Option<u32>)> {
    let check = |field: &str, v: Option<i64>| -> DomainResult<Option<u32>> {
        match v {
            None => Ok(None),
            Some(v) if (1..=500).contains(&v) => Ok(u32::try_from(v).ok()),
            Some(_) => Err(DomainError::invalid(
                field,
                format!("{field} must be between 1 and 500"),
            )),
        }
    };
    let (min, max) = (check("healthySizeMin", min)?, check("healthySizeMax", max)?);
    if let (Some(lo), Some(hi)) = (min, max)
        && lo > hi
    {
        return Err(DomainError::invalid(
            "healthySizeMin",
            "healthySizeMin must not be above healthySizeMax",
        ));
    }
    Ok((min, max))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_nearest_setting_wins_knob_by_knob() {
        let community = PolicyOverride {
            targets: RhythmTargetsOverride {
                communion: Some(4),
                ..Default::default()
            },
            ..Default::default()
        };
        let network = PolicyOverride {
            targets: RhythmTargetsOverride {
                communion: Some(3),
                mission: Some(2),
                ..Default::default()
            },
            healthy_size_max: Some(20),
            ..Default::default()
        };
        let policy = resolve(&[community, network]);
        assert_eq!(policy.targets.communion, 4);
        assert_eq!(policy.targets.mission, 2);
        assert_eq!(policy.targets.inclusion, RhythmTargets::default().inclusion);
        assert_eq!(policy.size_range.max, 20);
        assert_eq!(policy.size_range.min, SizeRange::default().min);
    }

    #[test]
    fn no_settings_means_the_basic_grid() {
        assert_eq!(resolve(&[]), Policy::default());
    }

    #[test]
    fn size_overrides_are_validated() {
        assert!(size_override(Some(0), None).is_err());
        assert!(size_override(Some(10), Some(5)).is_err());
        assert_eq!(
            size_override(Some(5), Some(10)).ok(),
            Some((Some(5), Some(10)))
        );
    }
}
