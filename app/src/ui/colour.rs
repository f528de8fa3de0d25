//! Text on a colour someone else chose (an agency's brand colour): black
//! or white, whichever contrasts more (WCAG relative luminance).

/// `#rrggbb` → its red, green and blue; anything else → `None`. The one
/// reader of colours typed into the settings (pages, PDFs, validation).
pub fn rgb(hex: &str) -> Option<[u8; 3]> {
    let hex = hex.strip_prefix('#')?;
    if hex.len() != 6 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    let channel = |i: usize| u8::from_str_radix(&hex[i..i + 2], 16).ok();
    Some([channel(0)?, channel(2)?, channel(4)?])
}

/// `#rrggbb` → its relative luminance, 0 (black) to 1 (white).
pub fn luminance(hex: &str) -> Option<f64> {
    let linear = |c: u8| {
        let v = f64::from(c) / 255.0;
        if v <= 0.04045 {
            v / 12.92
        } else {
            ((v + 0.055) / 1.055).powf(2.4)
        }
    };
    let [r, g, b] = rgb(hex)?;
    Some(0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b))
}

/// The contrast ratio of two luminances, 1 to 21.
pub fn contrast(a: f64, b: f64) -> f64 {
    let (hi, lo) = if a > b { (a, b) } else { (b, a) };
    (hi + 0.05) / (lo + 0.05)
}

/// Whether black text reads better than white on `background`; a colour
/// that cannot be read counts as dark.
pub fn dark_text_on(background: &str) -> bool {
    luminance(background).is_some_and(|l| contrast(l, 0.0) >= contrast(l, 1.0))
}

/// `#000000` or `#ffffff` for text on `background`.
pub fn ink_on(background: &str) -> &'static str {
    if dark_text_on(background) {
        "#000000"
    } else {
        "#ffffff"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_only_six_digit_hex_colours() {
        assert_eq!(rgb("#1d4ED8"), Some([0x1d, 0x4e, 0xd8]));
        assert_eq!(rgb("1d4ed8"), None);
        assert_eq!(rgb("#1d4ed"), None);
        assert_eq!(rgb("#1d4ed8;"), None);
        assert_eq!(rgb("#+d4ed8"), None);
        assert_eq!(rgb("#é4ed8"), None);
    }

    #[test]
    fn picks_the_readable_ink() {
        assert_eq!(ink_on("#1d4ed8"), "#ffffff");
        assert_eq!(ink_on("#0b6e4f"), "#ffffff");
        assert_eq!(ink_on("#ffd400"), "#000000");
        assert_eq!(ink_on("#ffffff"), "#000000");
        assert_eq!(ink_on("not a colour"), "#ffffff");
    }

    #[test]
    fn the_chosen_ink_meets_large_text_contrast_on_any_colour() {
        // Every grey and every primary and secondary colour: the better of
        // black and white always reaches 4.5:1 (the worst case is about 4.6).
        for v in (0..=255u32).step_by(5) {
            for hex in [
                format!("#{v:02x}{v:02x}{v:02x}"),
                format!("#{v:02x}0000"),
                format!("#00{v:02x}00"),
                format!("#0000{v:02x}"),
                format!("#{v:02x}{v:02x}00"),
            ] {
                let l = luminance(&hex).expect("valid");
                let ink = if dark_text_on(&hex) { 0.0 } else { 1.0 };
                assert!(contrast(l, ink) >= 4.5, "{hex}");
            }
        }
    }
}
