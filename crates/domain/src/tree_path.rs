//! Materialized paths for the two trees Oikos keeps: organizations (denomination →
//! network → church) and community lineage (stream root → child → grandchild …).
//!
//! A path is the concatenation of fixed-width base-36 segments, one per generation, each
//! the node's ordinal among its siblings. Fixed width makes three things cheap on both
//! SQLite and PostgreSQL with a plain B-tree index under byte-wise ("C") collation:
//! - a subtree is one index range `(path, path + '~')`;
//! - sorting by path is a depth-first walk of the tree, so pages of descendants are stable;
//! - depth (generation) is `len / SEGMENT_WIDTH`.

use crate::{DomainError, DomainResult};

pub const SEGMENT_WIDTH: usize = 4;
const DIGITS: &[u8; 36] = b"0123456789abcdefghijklmnopqrstuvwxyz";
/// 36^4 - 1: the most siblings one parent (or the forest of roots) can hold.
pub const MAX_ORDINAL: u64 = 36u64.pow(SEGMENT_WIDTH as u32) - 1;
/// Greater than every segment digit: `path + UPPER_SENTINEL` bounds a subtree's range.
pub const UPPER_SENTINEL: char = '~';
/// Paths are stored in 400 characters: a tree holds at most this many levels.
pub const MAX_LEVELS: u32 = 100;

#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TreePath(String);

impl TreePath {
    /// A path read back from storage. Malformed paths are a storage fault, not user input.
    pub fn from_stored(value: String) -> Option<Self> {
        let well_formed = !value.is_empty()
            && value.len().is_multiple_of(SEGMENT_WIDTH)
            && value.bytes().all(|b| DIGITS.contains(&b));
        well_formed.then_some(Self(value))
    }

    pub fn root(ordinal: u64) -> DomainResult<Self> {
        Ok(Self(segment(ordinal)?))
    }

    pub fn child(&self, ordinal: u64) -> DomainResult<Self> {
        if self.depth() >= MAX_LEVELS {
            return Err(DomainError::invalid(
                "parentId",
                format!("a tree can be at most {MAX_LEVELS} levels deep"),
            ));
        }
        Ok(Self(format!("{}{}", self.0, segment(ordinal)?)))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// 1 for a root.
    pub fn depth(&self) -> u32 {
        u32::try_from(self.0.len() / SEGMENT_WIDTH).unwrap_or(u32::MAX)
    }

    /// This node's ordinal among its siblings.
    pub fn last_ordinal(&self) -> u64 {
        let start = self.0.len().saturating_sub(SEGMENT_WIDTH);
        decode(&self.0[start..])
    }

    pub fn parent(&self) -> Option<Self> {
        (self.0.len() > SEGMENT_WIDTH)
            .then(|| Self(self.0[..self.0.len() - SEGMENT_WIDTH].to_owned()))
    }

    /// True for the node itself and every node below it.
    pub fn contains(&self, other: &TreePath) -> bool {
        other.0.starts_with(&self.0)
    }

    /// Exclusive bounds of the strict descendants: `lower < path < upper`.
    pub fn descendant_bounds(&self) -> (String, String) {
        (self.0.clone(), format!("{}{UPPER_SENTINEL}", self.0))
    }

    /// The path of a node in this subtree once the subtree's root moves to `new_root`.
    pub fn rebased(&self, old_root: &TreePath, new_root: &TreePath) -> Option<TreePath> {
        self.0
            .strip_prefix(&old_root.0)
            .map(|rest| TreePath(format!("{}{rest}", new_root.0)))
    }

    /// Every ancestor path from the root down, this node included.
    pub fn lineage(&self) -> impl Iterator<Item = &str> {
        (1..=self.0.len() / SEGMENT_WIDTH).map(|n| &self.0[..n * SEGMENT_WIDTH])
    }
}

impl std::fmt::Display for TreePath {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// The ordinal after the largest sibling's, or 1 for the first child.
pub fn next_ordinal(last_sibling: Option<&TreePath>) -> u64 {
    last_sibling.map_or(1, |p| p.last_ordinal() + 1)
}

fn segment(ordinal: u64) -> DomainResult<String> {
    if ordinal == 0 || ordinal > MAX_ORDINAL {
        return Err(DomainError::conflict(format!(
            "a parent can hold at most {MAX_ORDINAL} children"
        )));
    }
    let mut digits = [b'0'; SEGMENT_WIDTH];
    let mut rest = ordinal;
    for slot in digits.iter_mut().rev() {
        let digit = usize::try_from(rest % 36).unwrap_or(0);
        *slot = DIGITS[digit];
        rest /= 36;
    }
    Ok(digits.iter().map(|&b| char::from(b)).collect())
}

fn decode(segment: &str) -> u64 {
    segment.bytes().fold(0, |acc, b| {
        let digit = DIGITS.iter().position(|&d| d == b).unwrap_or(0);
        acc * 36 + digit as u64
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(s: &str) -> TreePath {
        TreePath::from_stored(s.to_owned()).unwrap_or_else(|| panic!("bad path {s}"))
    }

    #[test]
    fn segments_are_fixed_width_base36() {
        assert_eq!(TreePath::root(1).map(|p| p.0).ok().as_deref(), Some("0001"));
        assert_eq!(
            TreePath::root(36).map(|p| p.0).ok().as_deref(),
            Some("0010")
        );
        assert_eq!(
            TreePath::root(MAX_ORDINAL).map(|p| p.0).ok().as_deref(),
            Some("zzzz")
        );
        assert!(TreePath::root(0).is_err());
        assert!(TreePath::root(MAX_ORDINAL + 1).is_err());
    }

    #[test]
    fn depth_counts_generations_from_one() {
        let child = path("0001").child(2).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(child.as_str(), "00010002");
        assert_eq!(child.depth(), 2);
        assert_eq!(child.parent(), Some(path("0001")));
        assert_eq!(path("0001").parent(), None);
    }

    #[test]
    fn a_tree_cannot_grow_deeper_than_its_stored_paths_allow() {
        let deepest = path(&"0001".repeat(MAX_LEVELS as usize));
        assert!(deepest.child(1).is_err());
        let almost = path(&"0001".repeat(MAX_LEVELS as usize - 1));
        assert_eq!(almost.child(1).map(|p| p.depth()).ok(), Some(MAX_LEVELS));
    }

    #[test]
    fn next_ordinal_follows_the_largest_sibling() {
        assert_eq!(next_ordinal(None), 1);
        assert_eq!(next_ordinal(Some(&path("0001000z"))), 36);
    }

    #[test]
    fn descendant_bounds_hold_exactly_the_strict_descendants() {
        let (lower, upper) = path("0001").descendant_bounds();
        let inside = |p: &str| p > lower.as_str() && p < upper.as_str();
        assert!(!inside("0001"));
        assert!(inside("00010001"));
        assert!(inside("0001zzzzzzzz"));
        assert!(!inside("0002"));
        assert!(!inside("0000zzzz"));
    }

    #[test]
    fn lexical_order_is_depth_first_order() {
        let mut paths = vec!["0002", "00010002", "0001", "000100010001", "00010001"];
        paths.sort_unstable();
        assert_eq!(
            paths,
            ["0001", "00010001", "000100010001", "00010002", "0002"]
        );
    }

    #[test]
    fn a_moved_subtree_is_rebased_onto_its_new_root() {
        let moved = path("000100020003").rebased(&path("00010002"), &path("00050001"));
        assert_eq!(moved, Some(path("000500010003")));
        assert_eq!(path("0009").rebased(&path("0001"), &path("0002")), None);
    }

    #[test]
    fn containment_is_prefix_containment() {
        assert!(path("0001").contains(&path("0001")));
        assert!(path("0001").contains(&path("00010004")));
        assert!(!path("00010004").contains(&path("0001")));
    }

    #[test]
    fn malformed_stored_paths_are_rejected() {
        assert!(TreePath::from_stored(String::new()).is_none());
        assert!(TreePath::from_stored("001".into()).is_none());
        assert!(TreePath::from_stored("00A1".into()).is_none());
    }

    #[test]
    fn lineage_lists_every_ancestor_from_the_root() {
        let p = path("000100020003");
        assert_eq!(
            p.lineage().collect::<Vec<_>>(),
            ["0001", "00010002", "000100020003"]
        );
    }
}
