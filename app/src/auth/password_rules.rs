//! What a new password must be: long enough, not absurdly long, and not
//! guessable. No character-class rules by default: current NIST and OWASP
//! ASVS advice is length and a check against what attackers try first.
//! On the server that check is zxcvbn's estimate (its frequency lists hold
//! the common and breached passwords, names and words, and it sees through
//! `Password1!`-style variations); the browser only checks the short list
//! below, for a quick hint.

use crate::error::AppError;

pub const MIN_LENGTH: usize = 12;
pub const MAX_LENGTH: usize = 128;
/// The lowest minimum an organisation may set.
pub const LOWEST_MIN_LENGTH: usize = 8;

/// An organisation's password requirements (portal security settings).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PasswordRules {
    pub min_length: usize,
    /// Upper case, lower case and a digit. Off by default: ASVS 5.0 advises
    /// against composition rules; some agencies' policies demand them.
    pub require_classes: bool,
}

impl Default for PasswordRules {
    fn default() -> Self {
        PasswordRules {
            min_length: MIN_LENGTH,
            require_classes: false,
        }
    }
}

/// An organisation's rules as its administrators set them (the product's
/// defaults when it has no settings row).
#[cfg(feature = "ssr")]
pub async fn load(
    conn: &impl sea_orm::ConnectionTrait,
    organisation_id: i32,
) -> Result<PasswordRules, sea_orm::DbErr> {
    use sea_orm::EntityTrait;
    Ok(
        crate::entities::portal_setting::Entity::find_by_id(organisation_id)
            .one(conn)
            .await?
            .map(|s| PasswordRules {
                min_length: usize::try_from(s.password_min_length).unwrap_or(MIN_LENGTH),
                require_classes: s.password_require_classes,
            })
            .unwrap_or_default(),
    )
}

/// Common and breached passwords of at least the minimum length, compared
/// case-insensitively.
const COMMON: &str = include_str!("common_passwords.txt");

pub fn check_new_password(
    password: &str,
    email: &str,
    rules: PasswordRules,
) -> Result<(), AppError> {
    let n = password.chars().count();
    let min = rules.min_length.clamp(LOWEST_MIN_LENGTH, MAX_LENGTH);
    if n < min {
        return Err(AppError::invalid(
            "new",
            format!("Use at least {min} characters."),
        ));
    }
    if n > MAX_LENGTH {
        return Err(AppError::invalid(
            "new",
            format!("Use at most {MAX_LENGTH} characters."),
        ));
    }
    let classes = [
        password.chars().any(char::is_uppercase),
        password.chars().any(char::is_lowercase),
        password.chars().any(|c| c.is_ascii_digit()),
    ];
    if rules.require_classes && !classes.iter().all(|c| *c) {
        return Err(AppError::invalid(
            "new",
            "Use upper-case and lower-case letters and at least one digit.",
        ));
    }
    let lower = password.to_lowercase();
    if COMMON.lines().any(|c| c.trim() == lower) || too_guessable(password, email) {
        return Err(AppError::invalid(
            "new",
            "This password is too common or too easy to guess. Choose another: \
             a few unrelated words work well.",
        ));
    }
    let local = email.split('@').next().unwrap_or_default().to_lowercase();
    if local.len() >= 4 && lower.contains(&local) {
        return Err(AppError::invalid(
            "new",
            "Do not use your e-mail address in your password.",
        ));
    }
    Ok(())
}

/// zxcvbn's score below 3 ("safely unguessable" starts at 3: at least
/// 10^8 guesses, even with the e-mail address known to the attacker).
#[cfg(feature = "ssr")]
fn too_guessable(password: &str, email: &str) -> bool {
    let hints: Vec<&str> = email.split(['@', '.', '-', '_']).collect();
    zxcvbn::zxcvbn(password, &hints).score() < zxcvbn::Score::Three
}

/// The browser leaves the estimate to the server.
#[cfg(not(feature = "ssr"))]
fn too_guessable(_password: &str, _email: &str) -> bool {
    false
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_and_the_block_list_decide() {
        let rules = PasswordRules::default();
        assert!(check_new_password("short", "a@b.example", rules).is_err());
        assert!(check_new_password(&"x".repeat(129), "a@b.example", rules).is_err());
        assert!(
            check_new_password("Password1234", "a@b.example", rules).is_err(),
            "common, any case"
        );
        assert!(
            check_new_password("casey-is-great-2026", "casey@riverside.example", rules).is_err()
        );
        assert!(
            check_new_password("lantern orbit maple tide", "casey@riverside.example", rules)
                .is_ok()
        );
    }

    /// An organisation may lower the minimum to 8; the estimate still
    /// refuses what attackers try first, in any disguise.
    #[cfg(feature = "ssr")]
    #[test]
    fn guessable_passwords_fail_even_at_the_lowest_minimum() {
        let eight = PasswordRules {
            min_length: 8,
            require_classes: false,
        };
        for weak in [
            "password",
            "12345678",
            "P@ssw0rd1",
            "qwertyuiop",
            "iloveyou",
            "sunshine1",
            "football",
            "riverside2026",
            "abcd1234",
        ] {
            assert!(
                check_new_password(weak, "casey@riverside.example", eight).is_err(),
                "{weak} was accepted"
            );
        }
        for strong in [
            "harbour lights forty two",
            "tidal lantern orchard 42",
            "Vq7#mZ2!kw",
        ] {
            assert!(
                check_new_password(strong, "casey@riverside.example", eight).is_ok(),
                "{strong} was refused"
            );
        }
    }

    #[test]
    fn an_organisations_rules_apply_within_safe_bounds() {
        let longer = PasswordRules {
            min_length: 20,
            require_classes: false,
        };
        assert!(check_new_password("lantern orbit maple", "a@b.example", longer).is_err());
        assert!(check_new_password("lantern orbit maple tide", "a@b.example", longer).is_ok());
        let too_low = PasswordRules {
            min_length: 3,
            require_classes: false,
        };
        assert!(
            check_new_password("orbit7", "a@b.example", too_low).is_err(),
            "never below 8"
        );
        let classes = PasswordRules {
            min_length: 12,
            require_classes: true,
        };
        assert!(check_new_password("lantern orbit maple", "a@b.example", classes).is_err());
        assert!(check_new_password("Lantern orbit maple 7", "a@b.example", classes).is_ok());
    }
}
