//! Secrets the server must read back (TOTP keys) are stored sealed with
//! XChaCha20-Poly1305: a random 192-bit nonce per value, and the value's
//! purpose and owner as associated data, so a sealed value copied to
//! another user's row does not open. A sealed value names the key that
//! sealed it (`enc:v1:<key id>:<nonce and ciphertext>`), so keys can be
//! rotated: the new key seals, old keys still open, and `caseport secrets
//! rotate` reseals every stored value under the new key.
//!
//! The key ring is process configuration, installed once at start-up like
//! the database pool's settings.

use std::sync::OnceLock;

use chacha20poly1305::aead::{Aead, KeyInit, Payload};
use chacha20poly1305::{Key, XChaCha20Poly1305, XNonce};
use data_encoding::{BASE64, BASE64URL_NOPAD};
use sha2::{Digest, Sha256};

const PREFIX: &str = "enc:v1:";

#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SecretError {
    #[error("a secret key must be 32 bytes, base64-encoded (caseport secrets generate-key)")]
    BadKey,
    #[error("no secret key is configured")]
    NoKeyRing,
    #[error("this value was sealed with key {0}, which is not configured")]
    UnknownKey(String),
    #[error("this value does not open with its key: it was changed or moved")]
    Tampered,
}

/// One 256-bit key and its id (derived from the key, so an id can never
/// name a different key).
#[derive(Clone)]
struct SecretKey {
    id: String,
    cipher: XChaCha20Poly1305,
}

impl SecretKey {
    fn parse(text: &str) -> Result<Self, SecretError> {
        let bytes = BASE64
            .decode(text.trim().as_bytes())
            .map_err(|_| SecretError::BadKey)?;
        if bytes.len() != 32 {
            return Err(SecretError::BadKey);
        }
        let id =
            hex::encode(&Sha256::digest([b"caseport key id:".as_slice(), &bytes].concat())[..4]);
        Ok(SecretKey {
            id,
            cipher: XChaCha20Poly1305::new(Key::from_slice(&bytes)),
        })
    }
}

/// The key that seals, and the older ones that may still open.
#[derive(Clone)]
pub struct KeyRing {
    current: SecretKey,
    previous: Vec<SecretKey>,
}

impl std::fmt::Debug for KeyRing {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeyRing")
            .field("current", &self.current.id)
            .field(
                "previous",
                &self.previous.iter().map(|k| &k.id).collect::<Vec<_>>(),
            )
            .finish()
    }
}

impl KeyRing {
    /// The current key and any older ones, each base64 of 32 bytes.
    pub fn new(current: &str, previous: &[&str]) -> Result<Self, SecretError> {
        Ok(KeyRing {
            current: SecretKey::parse(current)?,
            previous: previous
                .iter()
                .filter(|k| !k.trim().is_empty())
                .map(|k| SecretKey::parse(k))
                .collect::<Result<_, _>>()?,
        })
    }

    /// A new random key, base64-encoded.
    pub fn generate_key() -> String {
        BASE64.encode(&rand::random::<[u8; 32]>())
    }

    pub fn current_id(&self) -> &str {
        &self.current.id
    }

    /// Seals `plain` for `context` (what it is and whose, e.g. `totp:42`).
    pub fn seal(&self, plain: &str, context: &str) -> String {
        let nonce: [u8; 24] = rand::random();
        // Encryption with a valid key and nonce cannot fail; an empty
        // ciphertext would only fail to open later, never leak.
        let sealed = self
            .current
            .cipher
            .encrypt(
                XNonce::from_slice(&nonce),
                Payload {
                    msg: plain.as_bytes(),
                    aad: context.as_bytes(),
                },
            )
            .unwrap_or_default();
        let mut body = nonce.to_vec();
        body.extend_from_slice(&sealed);
        format!(
            "{PREFIX}{}:{}",
            self.current.id,
            BASE64URL_NOPAD.encode(&body)
        )
    }

    /// Opens a sealed value. A value stored before sealing existed (no
    /// prefix) comes back as it is, until `secrets rotate` seals it.
    pub fn open(&self, stored: &str, context: &str) -> Result<String, SecretError> {
        let Some(rest) = stored.strip_prefix(PREFIX) else {
            return Ok(stored.to_string());
        };
        let (id, body) = rest.split_once(':').ok_or(SecretError::Tampered)?;
        let key = std::iter::once(&self.current)
            .chain(&self.previous)
            .find(|k| k.id == id)
            .ok_or_else(|| SecretError::UnknownKey(id.to_string()))?;
        let body = BASE64URL_NOPAD
            .decode(body.as_bytes())
            .map_err(|_| SecretError::Tampered)?;
        if body.len() < 24 {
            return Err(SecretError::Tampered);
        }
        let (nonce, sealed) = body.split_at(24);
        let plain = key
            .cipher
            .decrypt(
                XNonce::from_slice(nonce),
                Payload {
                    msg: sealed,
                    aad: context.as_bytes(),
                },
            )
            .map_err(|_| SecretError::Tampered)?;
        String::from_utf8(plain).map_err(|_| SecretError::Tampered)
    }

    /// Whether `stored` is sealed with the current key already.
    pub fn is_current(&self, stored: &str) -> bool {
        stored
            .strip_prefix(PREFIX)
            .and_then(|rest| rest.split_once(':'))
            .is_some_and(|(id, _)| id == self.current.id)
    }
}

static KEY_RING: OnceLock<KeyRing> = OnceLock::new();

/// Installs the process's key ring; the first call wins (tests share one).
pub fn install(ring: KeyRing) -> &'static KeyRing {
    KEY_RING.get_or_init(|| ring)
}

/// The installed key ring; without one, secrets can be neither stored nor
/// read (never stored in the clear by accident).
pub fn key_ring() -> Result<&'static KeyRing, SecretError> {
    KEY_RING.get().ok_or(SecretError::NoKeyRing)
}

/// The associated data of a user's TOTP key.
pub fn totp_context(user_id: i32) -> String {
    format!("totp:{user_id}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ring() -> KeyRing {
        KeyRing::new(&KeyRing::generate_key(), &[]).expect("key")
    }

    #[test]
    fn a_sealed_value_opens_only_with_its_key_and_context() {
        let r = ring();
        let sealed = r.seal("JBSWY3DPEHPK3PXP", "totp:7");
        assert!(sealed.starts_with("enc:v1:"), "{sealed}");
        assert!(!sealed.contains("JBSWY3DPEHPK3PXP"));
        assert_eq!(r.open(&sealed, "totp:7").as_deref(), Ok("JBSWY3DPEHPK3PXP"));
        assert_eq!(r.open(&sealed, "totp:8"), Err(SecretError::Tampered));
        assert_ne!(
            sealed,
            r.seal("JBSWY3DPEHPK3PXP", "totp:7"),
            "nonces repeat"
        );
        let other = ring();
        assert!(matches!(
            other.open(&sealed, "totp:7"),
            Err(SecretError::UnknownKey(_))
        ));
        let mut flipped = sealed.clone();
        flipped.pop();
        flipped.push(if sealed.ends_with('A') { 'B' } else { 'A' });
        assert_eq!(r.open(&flipped, "totp:7"), Err(SecretError::Tampered));
    }

    #[test]
    fn after_rotation_old_values_open_and_new_ones_use_the_new_key() {
        let old_key = KeyRing::generate_key();
        let old = KeyRing::new(&old_key, &[]).expect("old");
        let sealed = old.seal("secret", "totp:1");
        let new = KeyRing::new(&KeyRing::generate_key(), &[&old_key]).expect("new");
        assert_eq!(new.open(&sealed, "totp:1").as_deref(), Ok("secret"));
        assert!(!new.is_current(&sealed));
        assert!(new.is_current(&new.seal("secret", "totp:1")));
    }

    #[test]
    fn keys_must_be_32_bytes_of_base64() {
        assert_eq!(KeyRing::new("short", &[]).err(), Some(SecretError::BadKey));
        assert_eq!(
            KeyRing::new(&BASE64.encode(&[1u8; 16]), &[]).err(),
            Some(SecretError::BadKey)
        );
        let legacy = ring().open("JBSWY3DPEHPK3PXP", "totp:1");
        assert_eq!(legacy.as_deref(), Ok("JBSWY3DPEHPK3PXP"));
    }
}
