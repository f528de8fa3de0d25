//! Time-based one-time passwords (RFC 6238 over RFC 4226's HOTP): the
//! codes an authenticator app shows. HMAC-SHA-1, six digits, 30-second
//! steps: what every common authenticator app expects by default.

use hmac::{Hmac, Mac};
use rand::RngCore;
use sha1::Sha1;

pub const STEP_SECONDS: i64 = 30;
pub const DIGITS: u32 = 6;
/// Steps either side of "now" a code may come from: one, so a clock off
/// by up to 30 seconds still works and no more.
pub const SKEW_STEPS: i64 = 1;

/// The time step a Unix time falls in.
pub fn step_at(unix_seconds: i64) -> i64 {
    unix_seconds.div_euclid(STEP_SECONDS)
}

/// HOTP (RFC 4226 §5.3): HMAC the big-endian counter, take four bytes at
/// the offset the last nibble names, keep 31 bits, reduce to `digits`.
pub fn hotp(secret: &[u8], counter: u64, digits: u32) -> u32 {
    let Ok(mut mac) = Hmac::<Sha1>::new_from_slice(secret) else {
        // HMAC takes keys of any length; this branch cannot run.
        return u32::MAX;
    };
    mac.update(&counter.to_be_bytes());
    let digest = mac.finalize().into_bytes();
    let offset = usize::from(digest[digest.len() - 1] & 0x0f);
    let bits = u32::from_be_bytes([
        digest[offset] & 0x7f,
        digest[offset + 1],
        digest[offset + 2],
        digest[offset + 3],
    ]);
    bits % 10u32.pow(digits)
}

/// The six-digit code for a time step, zero-padded.
pub fn code_for_step(secret: &[u8], step: i64) -> String {
    format!(
        "{:0width$}",
        hotp(secret, step.max(0) as u64, DIGITS),
        width = DIGITS as usize
    )
}

/// The step (within the allowed skew of `now`) whose code is `code`, if
/// any. Spaces are ignored, as apps often show "123 456".
pub fn matching_step(secret: &[u8], code: &str, unix_now: i64) -> Option<i64> {
    let code: String = code.chars().filter(|c| !c.is_whitespace()).collect();
    if code.len() != DIGITS as usize || !code.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let now = step_at(unix_now);
    // Check every candidate, so timing does not tell which step matched.
    let mut found = None;
    for step in (now - SKEW_STEPS)..=(now + SKEW_STEPS) {
        if constant_time_eq(code_for_step(secret, step).as_bytes(), code.as_bytes()) {
            found = Some(step);
        }
    }
    found
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// A new secret: 160 random bits, as RFC 4226 recommends for SHA-1.
pub fn new_secret() -> Vec<u8> {
    let mut bytes = vec![0u8; 20];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    bytes
}

pub fn encode_secret(secret: &[u8]) -> String {
    data_encoding::BASE32_NOPAD.encode(secret)
}

pub fn decode_secret(text: &str) -> Option<Vec<u8>> {
    data_encoding::BASE32_NOPAD
        .decode(text.trim_end_matches('=').as_bytes())
        .ok()
}

/// The `otpauth://` address an authenticator app reads from the QR code.
pub fn otpauth_uri(issuer: &str, account: &str, secret_base32: &str) -> String {
    let label = format!("{}:{}", percent(issuer), percent(account));
    format!(
        "otpauth://totp/{label}?secret={secret_base32}&issuer={}&algorithm=SHA1&digits={DIGITS}&period={STEP_SECONDS}",
        percent(issuer)
    )
}

/// Percent-encodes everything but unreserved characters (RFC 3986).
fn percent(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The QR code of an address, as an SVG element.
pub fn qr_svg(text: &str) -> Option<String> {
    let code = qrcode::QrCode::new(text.as_bytes()).ok()?;
    let svg = code
        .render::<qrcode::render::svg::Color>()
        .min_dimensions(200, 200)
        .build();
    // Without the XML prolog, so it can sit inside an HTML page.
    let start = svg.find("<svg")?;
    Some(svg[start..].to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    // RFC 6238 Appendix B, SHA-1 rows: the 20-byte ASCII key and 8 digits.
    const RFC_KEY: &[u8] = b"12345678901234567890";

    #[test]
    fn matches_the_rfc_6238_test_vectors() {
        for (time, expected) in [
            (59_i64, 94287082_u32),
            (1111111109, 7081804),
            (1111111111, 14050471),
            (1234567890, 89005924),
            (2000000000, 69279037),
            (20000000000, 65353130),
        ] {
            assert_eq!(
                hotp(RFC_KEY, step_at(time) as u64, 8),
                expected,
                "time {time}"
            );
        }
    }

    #[test]
    fn matches_the_rfc_4226_hotp_vectors() {
        let expected = [
            755224, 287082, 359152, 969429, 338314, 254676, 287922, 162583, 399871, 520489,
        ];
        for (counter, code) in expected.into_iter().enumerate() {
            assert_eq!(hotp(RFC_KEY, counter as u64, 6), code);
        }
    }

    #[test]
    fn accepts_one_step_of_skew_and_no_more() {
        let secret = new_secret();
        let now = 1_800_000_015;
        let step = step_at(now);
        for offset in -1..=1 {
            let code = code_for_step(&secret, step + offset);
            assert_eq!(matching_step(&secret, &code, now), Some(step + offset));
        }
        for offset in [-3, -2, 2, 3] {
            let code = code_for_step(&secret, step + offset);
            // A far step's code may collide with a near one by chance
            // (one in a million per step); the step found is never the far one.
            assert_ne!(matching_step(&secret, &code, now), Some(step + offset));
        }
    }

    #[test]
    fn refuses_malformed_codes() {
        let secret = new_secret();
        for code in ["", "12345", "1234567", "abcdef", "12 34 5x", "１２３４５６"] {
            assert_eq!(matching_step(&secret, code, 1_800_000_000), None, "{code}");
        }
        let code = code_for_step(&secret, step_at(1_800_000_000));
        let spaced = format!("{} {}", &code[..3], &code[3..]);
        assert!(matching_step(&secret, &spaced, 1_800_000_000).is_some());
    }

    #[test]
    fn secrets_round_trip_through_base32_and_the_qr_code_renders() {
        let secret = new_secret();
        let text = encode_secret(&secret);
        assert_eq!(text.len(), 32);
        assert_eq!(decode_secret(&text), Some(secret));
        let uri = otpauth_uri("Harbour Care", "erin@example.org", &text);
        assert!(uri.starts_with("otpauth://totp/Harbour%20Care:erin%40example.org?secret="));
        assert!(qr_svg(&uri).is_some_and(|svg| svg.starts_with("<svg")));
    }
}
