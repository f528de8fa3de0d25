//! What a new password must be: long enough, not absurdly long, and not on
//! the list of passwords attackers try first. No character-class rules:
//! current NIST and OWASP ASVS advice is length and a block list.

use crate::error::AppError;

pub const MIN_LENGTH: usize = 12;
pub const MAX_LENGTH: usize = 128;

/// Common and breached passwords of at least the minimum length, compared
/// case-insensitively.
const COMMON: &str = include_str!("common_passwords.txt");

pub fn check_new_password(password: &str, email: &str) -> Result<(), AppError> {
    let n = password.chars().count();
    if n < MIN_LENGTH {
        return Err(AppError::invalid(
            "new",
            format!("Use at least {MIN_LENGTH} characters."),
        ));
    }
    if n > MAX_LENGTH {
        return Err(AppError::invalid(
            "new",
            format!("Use at most {MAX_LENGTH} characters."),
        ));
    }
    let lower = password.to_lowercase();
    if COMMON.lines().any(|c| c.trim() == lower) {
        return Err(AppError::invalid(
            "new",
            "This password is too common. Choose another.",
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn length_and_the_block_list_decide() {
        assert!(check_new_password("short", "a@b.example").is_err());
        assert!(check_new_password(&"x".repeat(129), "a@b.example").is_err());
        assert!(
            check_new_password("Password1234", "a@b.example").is_err(),
            "common, any case"
        );
        assert!(check_new_password("casey-is-great-2026", "casey@riverside.example").is_err());
        assert!(check_new_password("lantern orbit maple tide", "casey@riverside.example").is_ok());
    }
}
