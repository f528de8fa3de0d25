//! An e-mail address, checked once. Every way in (sign-in, a new practice
//! member, an invited case manager, a changed address, a reset request, the
//! command line) goes through [`Email::parse`], so an address one form takes
//! is an address every other form finds.

use std::fmt;

use crate::error::AppError;

/// A trimmed, lower-cased address of a plausible shape: one `@`, a local
/// part, a dotted domain, no spaces and none of the characters that would
/// let it smuggle a second recipient or header into a mail.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct Email(String);

/// The longest address SMTP can carry (RFC 5321's path limit less `<>`).
pub const MAX_LENGTH: usize = 254;

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("Enter a valid e-mail address.")]
pub struct InvalidEmail;

impl Email {
    pub fn parse(raw: &str) -> Result<Email, InvalidEmail> {
        let email = normalise(raw);
        let shaped = email.len() <= MAX_LENGTH
            && email.matches('@').count() == 1
            && email.split_once('@').is_some_and(|(local, domain)| {
                !local.is_empty()
                    && domain.contains('.')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.')
                    && !domain.contains("..")
            })
            && !email.chars().any(|c| c.is_whitespace() || c.is_control())
            && !email.contains(['<', '>', '"', ',', ';', '\\']);
        if shaped {
            Ok(Email(email))
        } else {
            Err(InvalidEmail)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn into_string(self) -> String {
        self.0
    }
}

/// The form stored and compared: trimmed and lower-cased. Sign-in uses it
/// alone, so a malformed address is answered like an unknown one.
pub fn normalise(raw: &str) -> String {
    raw.trim().to_lowercase()
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl AsRef<str> for Email {
    fn as_ref(&self) -> &str {
        &self.0
    }
}

impl From<InvalidEmail> for AppError {
    fn from(e: InvalidEmail) -> Self {
        AppError::invalid("email", e.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_is_trimmed_and_lower_cased() {
        let e = Email::parse("  Erin.Case@Example.ORG ").expect("a valid address");
        assert_eq!(e.as_str(), "erin.case@example.org");
    }

    #[test]
    fn malformed_addresses_are_refused() {
        for bad in [
            "",
            "erin",
            "@example.org",
            "erin@",
            "erin@example",
            "erin@.example.org",
            "erin@example.org.",
            "erin@example..org",
            "erin@@example.org",
            "erin@a@example.org",
            "erin case@example.org",
            "erin@example.org\r\nBcc: x@y.z",
            "<erin@example.org>",
            "erin@example.org, eve@example.org",
            "\"erin\"@example.org",
        ] {
            assert_eq!(Email::parse(bad), Err(InvalidEmail), "{bad:?}");
        }
    }

    #[test]
    fn the_longest_deliverable_address_is_taken_and_one_more_is_not() {
        let domain = "@example.org";
        let fits = format!("{}{domain}", "a".repeat(MAX_LENGTH - domain.len()));
        assert!(Email::parse(&fits).is_ok());
        let too_long = format!("a{fits}");
        assert_eq!(Email::parse(&too_long), Err(InvalidEmail));
    }
}
