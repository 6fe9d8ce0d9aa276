//! Validated free text: names, descriptions and labels get the same treatment everywhere
//! (trimmed, non-empty where required, bounded in length, no control characters).

use crate::{DomainError, DomainResult};

pub const NAME_MAX_CHARS: usize = 120;
pub const LABEL_MAX_CHARS: usize = 60;
pub const LONG_TEXT_MAX_CHARS: usize = 4_000;

/// A required, trimmed, single-line text of at most `max` characters.
pub fn required_line(field: &str, value: &str, max: usize) -> DomainResult<String> {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return Err(DomainError::invalid(
            field,
            format!("{field} must not be empty"),
        ));
    }
    check_len(field, trimmed, max)?;
    if trimmed.chars().any(char::is_control) {
        return Err(DomainError::invalid(
            field,
            format!("{field} must be a single line without control characters"),
        ));
    }
    Ok(trimmed.to_owned())
}

/// An optional text (may span lines) of at most `max` characters; blank becomes `None`.
pub fn optional_text(field: &str, value: Option<&str>, max: usize) -> DomainResult<Option<String>> {
    let Some(trimmed) = value.map(str::trim).filter(|v| !v.is_empty()) else {
        return Ok(None);
    };
    check_len(field, trimmed, max)?;
    if trimmed
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
    {
        return Err(DomainError::invalid(
            field,
            format!("{field} must not contain control characters"),
        ));
    }
    Ok(Some(trimmed.to_owned()))
}

/// A required text (may span lines) of at most `max` characters: a prayer request, a
/// discernment note.
pub fn required_text(field: &str, value: &str, max: usize) -> DomainResult<String> {
    optional_text(field, Some(value), max)?
        .ok_or_else(|| DomainError::invalid(field, format!("{field} must not be empty")))
}

/// An optional single-line text; blank becomes `None`.
pub fn optional_line(field: &str, value: Option<&str>, max: usize) -> DomainResult<Option<String>> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) => required_line(field, v, max).map(Some),
    }
}

/// A name of a person, community, organization or partner.
pub fn name(field: &str, value: &str) -> DomainResult<String> {
    required_line(field, value, NAME_MAX_CHARS)
}

fn check_len(field: &str, value: &str, max: usize) -> DomainResult<()> {
    if value.chars().count() > max {
        return Err(DomainError::invalid(
            field,
            format!("{field} must be at most {max} characters"),
        ));
    }
    Ok(())
}

/// A set of short labels (serving roles, sign-up items): each trimmed and bounded,
/// duplicates (ignoring case) removed, order kept.
pub fn labels(field: &str, values: &[String], max_count: usize) -> DomainResult<Vec<String>> {
    if values.len() > max_count {
        return Err(DomainError::invalid(
            field,
            format!("{field} may hold at most {max_count} entries"),
        ));
    }
    let mut out: Vec<String> = Vec::with_capacity(values.len());
    for value in values {
        let label = required_line(field, value, LABEL_MAX_CHARS)?;
        // Full Unicode case folding: "Küche" and "KÜCHE" are one role, which
        // `eq_ignore_ascii_case` would miss.
        let folded = label.to_lowercase();
        if !out.iter().any(|l| l.to_lowercase() == folded) {
            out.push(label);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_trimmed() {
        assert_eq!(
            name("name", "  Elm Street  ").ok(),
            Some("Elm Street".to_owned())
        );
    }

    #[test]
    fn empty_and_blank_names_are_refused() {
        assert!(name("name", "").is_err());
        assert!(name("name", "   ").is_err());
    }

    #[test]
    fn over_long_names_are_refused_at_the_limit() {
        assert!(name("name", &"a".repeat(NAME_MAX_CHARS)).is_ok());
        let err = name("name", &"a".repeat(NAME_MAX_CHARS + 1));
        assert!(matches!(err, Err(DomainError::Invalid { ref field, .. }) if field == "name"));
    }

    #[test]
    fn control_characters_are_refused_in_names() {
        assert!(name("name", "a\u{0}b").is_err());
        assert!(name("name", "a\nb").is_err());
    }

    #[test]
    fn optional_text_keeps_newlines_and_drops_blank() {
        assert_eq!(
            optional_text("v", Some("a\nb"), 10)
                .ok()
                .flatten()
                .as_deref(),
            Some("a\nb")
        );
        assert_eq!(optional_text("v", Some("  "), 10).ok(), Some(None));
    }

    #[test]
    fn required_text_keeps_lines_but_refuses_blank_and_over_long() {
        assert_eq!(
            required_text("body", " pray\nfor us ", 20).ok().as_deref(),
            Some("pray\nfor us")
        );
        assert!(required_text("body", " \n ", 20).is_err());
        let err = required_text("body", &"a".repeat(21), 20);
        assert!(matches!(err, Err(DomainError::Invalid { ref field, .. }) if field == "body"));
    }

    #[test]
    fn labels_drop_case_insensitive_duplicates() {
        let got = labels(
            "servingRoles",
            &["Cooking".into(), "cooking".into(), "music".into()],
            10,
        );
        assert_eq!(
            got.ok(),
            Some(vec!["Cooking".to_owned(), "music".to_owned()])
        );
    }

    #[test]
    fn labels_compare_case_beyond_ascii() {
        let got = labels("servingRoles", &["Küche".into(), "KÜCHE".into()], 10);
        assert_eq!(got.ok(), Some(vec!["Küche".to_owned()]));
    }
}
