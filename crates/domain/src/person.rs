//! People: members with accounts, and guests a leader adds who never signed up.

use chrono::{DateTime, Utc};
use uuid::Uuid;

use crate::{DomainError, DomainResult, text};

/// A person as recorded, with or without an account.
#[derive(Debug, Clone, PartialEq)]
pub struct Person {
    pub id: Uuid,
    pub display_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

pub const EMAIL_MAX_CHARS: usize = 254;
pub const PASSWORD_MIN_CHARS: usize = 10;
pub const PASSWORD_MAX_CHARS: usize = 256;

/// An email address, kept as typed for display and compared case-insensitively.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Email {
    display: String,
    normalized: String,
}

impl Email {
    /// A pragmatic check (one `@`, a dotted domain, no spaces): the only real proof of an
    /// address is mail reaching it.
    pub fn parse(value: &str) -> DomainResult<Self> {
        let trimmed = value.trim();
        let invalid =
            || DomainError::invalid("email", format!("'{trimmed}' is not an email address"));
        if trimmed.is_empty() || trimmed.chars().count() > EMAIL_MAX_CHARS {
            return Err(invalid());
        }
        let Some((local, domain)) = trimmed.split_once('@') else {
            return Err(invalid());
        };
        let domain_ok = domain.contains('.')
            && !domain.starts_with('.')
            && !domain.ends_with('.')
            && !domain.contains("..")
            && domain
                .chars()
                .all(|c| c.is_alphanumeric() || c == '-' || c == '.');
        let local_ok = !local.is_empty()
            && local.len() <= 64
            && !local
                .chars()
                .any(|c| c.is_whitespace() || c.is_control() || c == '@');
        if !domain_ok || !local_ok {
            return Err(invalid());
        }
        Ok(Self {
            display: trimmed.to_owned(),
            normalized: trimmed.to_lowercase(),
        })
    }

    pub fn as_str(&self) -> &str {
        &self.display
    }

    /// The form unique in storage.
    pub fn normalized(&self) -> &str {
        &self.normalized
    }
}

/// Long enough to resist guessing, not so long that hashing becomes a denial of service.
/// A password made of one repeated character or a run like "1234567890" is refused.
pub fn check_password_strength(password: &str, email: Option<&Email>) -> DomainResult<()> {
    let weak = |why: &str| DomainError::invalid("password", format!("password is too weak: {why}"));
    let chars: Vec<char> = password.chars().collect();
    if chars.len() < PASSWORD_MIN_CHARS {
        return Err(weak(&format!(
            "use at least {PASSWORD_MIN_CHARS} characters"
        )));
    }
    if chars.len() > PASSWORD_MAX_CHARS {
        return Err(DomainError::invalid(
            "password",
            format!("password must be at most {PASSWORD_MAX_CHARS} characters"),
        ));
    }
    let distinct = {
        let mut seen = chars.clone();
        seen.sort_unstable();
        seen.dedup();
        seen.len()
    };
    if distinct < 5 {
        return Err(weak("use more different characters"));
    }
    let sequential = chars
        .windows(2)
        .all(|w| (w[1] as i64 - w[0] as i64).abs() == 1);
    if sequential {
        return Err(weak("a run like 1234567890 is guessed first"));
    }
    let lower = password.to_lowercase();
    if COMMON_PASSWORDS.iter().any(|common| lower.contains(common)) {
        return Err(weak("it contains a commonly used password"));
    }
    if let Some(email) = email {
        let local = email.normalized().split('@').next().unwrap_or_default();
        if local.len() >= 4 && lower.contains(local) {
            return Err(weak("it contains your email address"));
        }
    }
    Ok(())
}

const COMMON_PASSWORDS: &[&str] = &[
    "password",
    "passwort",
    "qwertz",
    "qwerty",
    "letmein",
    "welcome",
    "iloveyou",
    "admin123",
    "123456789",
    "abc123",
];

pub fn display_name(value: &str) -> DomainResult<String> {
    text::name("displayName", value)
}

pub fn phone(value: Option<&str>) -> DomainResult<Option<String>> {
    let Some(phone) = text::optional_line("phone", value, 32)? else {
        return Ok(None);
    };
    let digits = phone.chars().filter(char::is_ascii_digit).count();
    let allowed = phone
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '+' | ' ' | '-' | '(' | ')' | '.' | '/'));
    if !allowed || !(5..=20).contains(&digits) {
        return Err(DomainError::invalid(
            "phone",
            format!("'{phone}' is not a phone number"),
        ));
    }
    Ok(Some(phone))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_compare_case_insensitively_but_display_as_typed() {
        let email = Email::parse(" Maria@Example.org ").unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(email.as_str(), "Maria@Example.org");
        assert_eq!(email.normalized(), "maria@example.org");
    }

    #[test]
    fn malformed_emails_are_refused() {
        for bad in [
            "",
            "maria",
            "maria@",
            "@example.org",
            "maria@example",
            "ma ria@example.org",
            "maria@exa mple.org",
            "maria@@example.org",
            "maria@.example.org",
            "maria@example..org",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad} should be refused");
        }
    }

    #[test]
    fn weak_passwords_are_refused() {
        for weak in [
            "short",
            "aaaaaaaaaaaa",
            "1234567890",
            "abcdefghijk",
            "mypassword1!",
            "ababababab12",
        ] {
            assert!(
                check_password_strength(weak, None).is_err(),
                "{weak} should be refused"
            );
        }
        assert!(check_password_strength("table lamp near the river", None).is_ok());
    }

    #[test]
    fn a_password_containing_the_email_name_is_refused() {
        let email = Email::parse("jonathan@example.org").unwrap_or_else(|e| panic!("{e}"));
        assert!(check_password_strength("jonathan-rides-7", Some(&email)).is_err());
    }

    #[test]
    fn phone_numbers_are_loosely_checked() {
        assert!(phone(Some("+49 30 1234567")).is_ok());
        assert!(phone(Some("call me")).is_err());
        assert_eq!(phone(Some("  ")).ok(), Some(None));
    }
}
