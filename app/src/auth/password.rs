//! Password hashing with argon2id at OWASP's parameters, always on a
//! blocking thread so a sign-in storm cannot stall the async runtime, and
//! never more at once than the memory budget allows.

use std::sync::LazyLock;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use argon2::password_hash::{Output, ParamsString, PasswordHash, SaltString};
use argon2::{Algorithm, Argon2, Block, Params, Version};
use secrecy::{ExposeSecret, SecretString};
use tokio::sync::Semaphore;

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
    let failed = |e: &dyn std::fmt::Display| {
        tracing::error!(error = %e, "password hashing failed");
        AppError::Internal
    };
    let salt = SaltString::generate(&mut rand::rngs::OsRng);
    let mut salt_bytes = [0u8; 64];
    let salt_bytes = salt.decode_b64(&mut salt_bytes).map_err(|e| failed(&e))?;
    let argon = hasher();
    let mut out = [0u8; Params::DEFAULT_OUTPUT_LEN];
    with_memory(argon.params().block_count(), |blocks| {
        argon.hash_password_into_with_memory(
            password.expose_secret().as_bytes(),
            salt_bytes,
            &mut out,
            blocks,
        )
    })
    .map_err(|e| failed(&e))?;
    let hash = PasswordHash {
        algorithm: argon2::ARGON2ID_IDENT,
        version: Some(Version::V0x13.into()),
        params: ParamsString::try_from(argon.params()).map_err(|e| failed(&e))?,
        salt: Some(salt.as_salt()),
        hash: Some(Output::new(&out).map_err(|e| failed(&e))?),
    };
    Ok(hash.to_string())
}

/// Whether `password` gives `stored`'s hash, computed in a reused buffer.
/// The comparison is constant-time (`Output`'s equality).
fn matches_blocking(password: &[u8], stored: &PasswordHash<'_>) -> bool {
    let (Ok(params), Some(expected), Some(salt)) =
        (Params::try_from(stored), stored.hash, stored.salt)
    else {
        return false;
    };
    let mut salt_bytes = [0u8; 64];
    let Ok(salt_bytes) = salt.decode_b64(&mut salt_bytes) else {
        return false;
    };
    let algorithm = Algorithm::try_from(stored.algorithm).unwrap_or(Algorithm::Argon2id);
    let version = stored
        .version
        .and_then(|v| Version::try_from(v).ok())
        .unwrap_or(Version::V0x13);
    let blocks_needed = params.block_count();
    let argon = Argon2::new(algorithm, version, params);
    let mut out = vec![0u8; expected.len()];
    with_memory(blocks_needed, |blocks| {
        argon.hash_password_into_with_memory(password, salt_bytes, &mut out, blocks)
    })
    .is_ok()
        && Output::new(&out).is_ok_and(|computed| computed == expected)
}

/// Argon2's working memory (19 MiB a run), kept and reused: a burst of
/// checks then takes slots × 19 MiB once, instead of a fresh allocation
/// per check that the allocator keeps long after (a burst of 300 wrong
/// sign-ins grew the process past 1 GiB that way, bounded or not).
static MEMORY: std::sync::Mutex<Vec<Vec<Block>>> = std::sync::Mutex::new(Vec::new());

fn with_memory<T>(blocks: usize, work: impl FnOnce(&mut [Block]) -> T) -> T {
    let mut memory = MEMORY
        .lock()
        .ok()
        .and_then(|mut pool| pool.pop())
        .unwrap_or_default();
    if memory.len() < blocks {
        memory.resize(blocks, Block::default());
    }
    let result = work(&mut memory[..blocks]);
    if let Ok(mut pool) = MEMORY.lock() {
        pool.push(memory);
    }
    result
}

/// Hashes and checks that may run at once. Each takes about 19 MiB for its
/// few tens of milliseconds, so this bounds the memory a sign-in burst can
/// take (the default, twice the cores, is 76 MiB on two cores); the rest
/// wait their turn. `CASEPORT_PASSWORD_HASHES` overrides it.
static SLOTS: LazyLock<Semaphore> = LazyLock::new(|| Semaphore::new(slot_count()));

fn slot_count() -> usize {
    std::env::var("CASEPORT_PASSWORD_HASHES")
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
        .filter(|n| *n > 0)
        .unwrap_or_else(|| {
            2 * std::thread::available_parallelism().map_or(2, std::num::NonZeroUsize::get)
        })
}

/// How long a request waits for a slot before it is told to come back.
const QUEUE_WAIT: Duration = Duration::from_secs(10);

/// Runs one hash or check in a slot, on a blocking thread.
async fn in_slot<T: Send + 'static>(
    work: impl FnOnce() -> T + Send + 'static,
) -> Result<T, AppError> {
    let permit = tokio::time::timeout(QUEUE_WAIT, SLOTS.acquire())
        .await
        .map_err(|_| {
            tracing::warn!("password check queue full; asking the client to retry");
            AppError::Busy
        })?
        .map_err(|_| AppError::Internal)?;
    let result = tokio::task::spawn_blocking(move || {
        let _busy = InFlight::enter();
        work()
    })
    .await
    .map_err(|_| AppError::Internal);
    drop(permit);
    result
}

/// Counts the checks running at this moment, and the most ever seen, so a
/// test can prove the bound holds.
static IN_FLIGHT: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

struct InFlight;

impl InFlight {
    fn enter() -> Self {
        let now = IN_FLIGHT.fetch_add(1, Ordering::SeqCst) + 1;
        PEAK.fetch_max(now, Ordering::SeqCst);
        InFlight
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        IN_FLIGHT.fetch_sub(1, Ordering::SeqCst);
    }
}

/// The most hashes or checks that ever ran at once in this process.
pub fn peak_in_flight() -> usize {
    PEAK.load(Ordering::SeqCst)
}

/// The bound [`peak_in_flight`] must stay under.
pub fn slots() -> usize {
    slot_count()
}

pub async fn hash_password(password: SecretString) -> Result<String, AppError> {
    in_slot(move || hash_blocking(&password)).await?
}

/// True when `password` matches `stored`. With `stored = None` it checks a
/// dummy hash and returns false, taking the same time. `Busy` when the
/// server has too many checks queued already.
pub async fn verify_password(
    password: SecretString,
    stored: Option<String>,
) -> Result<bool, AppError> {
    in_slot(move || {
        // No password yet (an invited case manager who has not accepted) is
        // checked against the dummy hash too: same time, same answer.
        let stored = stored.filter(|h| PasswordHash::new(h).is_ok());
        let known = stored.is_some();
        let hash = stored.unwrap_or_else(|| DUMMY_HASH.clone());
        let Ok(parsed) = PasswordHash::new(&hash) else {
            return false;
        };
        matches_blocking(password.expose_secret().as_bytes(), &parsed) && known
    })
    .await
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
            .expect("checked")
        );
        assert!(
            !verify_password(SecretString::from("wrong"), Some(hash))
                .await
                .expect("checked")
        );
    }

    /// Hashes stored before the buffers were reused (made by the argon2
    /// crate's own hasher) still verify, and only with their password.
    #[test]
    fn hashes_made_by_the_library_hasher_still_verify() {
        use argon2::password_hash::PasswordHasher;
        let salt = SaltString::generate(&mut rand::rngs::OsRng);
        let stored = hasher()
            .hash_password(b"an older password 42", &salt)
            .expect("hash")
            .to_string();
        let parsed = PasswordHash::new(&stored).expect("parse");
        assert!(matches_blocking(b"an older password 42", &parsed));
        assert!(!matches_blocking(b"an older password 43", &parsed));
        let ours = hash_blocking(&SecretString::from("an older password 42")).expect("hash");
        assert_eq!(ours.len(), stored.len(), "{ours} / {stored}");
    }

    #[tokio::test]
    async fn an_unknown_account_never_verifies() {
        assert!(
            !verify_password(
                SecretString::from("not a real password, only for timing"),
                None
            )
            .await
            .expect("checked")
        );
    }

    /// A burst of checks far larger than the slots never runs more than
    /// the slots at once (each would take 19 MiB), and every one finishes.
    #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
    async fn a_burst_of_checks_runs_at_most_the_slots_at_once() {
        let burst = 8 * slots();
        let checks: Vec<_> = (0..burst)
            .map(|i| {
                tokio::spawn(verify_password(
                    SecretString::from(format!("guess {i}")),
                    None,
                ))
            })
            .collect();
        for check in checks {
            assert_eq!(check.await.expect("joined"), Ok(false));
        }
        assert!(
            peak_in_flight() <= slots(),
            "{} checks ran at once, {} allowed",
            peak_in_flight(),
            slots()
        );
        assert!(peak_in_flight() >= 1);
    }
}
