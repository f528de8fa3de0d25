//! Password hashing with argon2id at OWASP's parameters, always on a
//! blocking thread so a sign-in storm cannot stall the async runtime.

use std::sync::LazyLock;

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use secrecy::{ExposeSecret, SecretString};

use crate::error::AppError;

/// m = 19 MiB, t = 2, p = 1 (OWASP password storage cheat sheet).
fn hasher() -> Argon2<'static> {
    #[expect(clippy::unwrap_used, reason = "constant, valid parameters")]
    let params = Params::new(19 * 1024, 2, 1, None).unwrap();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Verified when the e-mail is unknown, so a miss costs the same time as a
/// wrong password and timing does not reveal which accounts exist.
static DUMMY_HASH: LazyLock<String> = LazyLock::new(|| {
    hash_blocking(&SecretString::from("not a real password, only for timing")).unwrap_or_default()
});

fn hash_blocking(password: &SecretString) -> Result<String, AppError> {
    let salt = SaltString::generate(&mut rand::rngs::OsRng);
    hasher()
        .hash_password(password.expose_secret().as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| {
            tracing::error!(error = %e, "password hashing failed");
            AppError::Internal
        })
}

pub async fn hash_password(password: SecretString) -> Result<String, AppError> {
    tokio::task::spawn_blocking(move || hash_blocking(&password))
        .await
        .map_err(|_| AppError::Internal)?
}

/// True when `password` matches `stored`. With `stored = None` it checks a
/// dummy hash and returns false, taking the same time.
pub async fn verify_password(password: SecretString, stored: Option<String>) -> bool {
    tokio::task::spawn_blocking(move || {
        // No password yet (an invited case manager who has not accepted) is
        // checked against the dummy hash too: same time, same answer.
        let stored = stored.filter(|h| PasswordHash::new(h).is_ok());
        let known = stored.is_some();
        let hash = stored.unwrap_or_else(|| DUMMY_HASH.clone());
        let Ok(parsed) = PasswordHash::new(&hash) else {
            return false;
        };
        let ok = hasher()
            .verify_password(password.expose_secret().as_bytes(), &parsed)
            .is_ok();
        ok && known
    })
    .await
    .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_hashed_password_verifies_and_a_wrong_one_does_not() {
        let hash = hash_password(SecretString::from("correct horse battery"))
            .await
            .expect("hash");
        assert!(hash.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(
            verify_password(
                SecretString::from("correct horse battery"),
                Some(hash.clone())
            )
            .await
        );
        assert!(!verify_password(SecretString::from("wrong"), Some(hash)).await);
    }

    #[tokio::test]
    async fn an_unknown_account_never_verifies() {
        assert!(
            !verify_password(
                SecretString::from("not a real password, only for timing"),
                None
            )
            .await
        );
    }
}
