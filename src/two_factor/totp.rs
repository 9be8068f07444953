//! RFC 6238 codes (SHA-1, six digits, 30-second steps: what every authenticator app
//! reads from a QR code), through `totp-rs`; the `otpauth://` URI and its QR code.

use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};
use qrcode::QrCode;
use qrcode::render::svg;
use secrecy::{ExposeSecret, SecretString};
use totp_rs::{Algorithm, TOTP};

const STEP_SECS: u64 = 30;
const DIGITS: usize = 6;
/// 160 bits, RFC 4226's recommended length.
const SECRET_BYTES: usize = 20;

/// A TOTP secret in base32, as apps take it.
pub struct TotpSecret(SecretString);

impl TotpSecret {
    /// A fresh secret from the operating system's random source.
    pub fn generate() -> Self {
        let mut bytes = [0u8; SECRET_BYTES];
        getrandom::fill(&mut bytes).expect("the operating system's random source failed");
        Self::from_base32(&totp_rs::Secret::Raw(bytes.to_vec()).to_encoded().to_string())
    }

    pub fn from_base32(base32: &str) -> Self {
        Self(SecretString::from(base32))
    }

    pub fn base32(&self) -> &str {
        self.0.expose_secret()
    }

    /// The `otpauth://` URI an app reads from the QR code, labelled `<issuer>:<email>`
    /// (the issuer is the product's name, which the app shows beside the codes).
    pub fn uri(&self, issuer: &str, email: &str) -> String {
        let label = utf8_percent_encode(&format!("{issuer}:{email}"), LABEL).to_string();
        let issuer = utf8_percent_encode(issuer, LABEL);
        format!(
            "otpauth://totp/{label}?secret={}&issuer={issuer}&algorithm=SHA1&digits={DIGITS}&period={STEP_SECS}",
            self.base32()
        )
    }

    /// The 30-second step `code` belongs to, among the one before `now`'s, `now`'s and the
    /// one after (clocks drift), compared in constant time. `None` when it is none of them.
    pub fn step_of(&self, code: &str, now: i64) -> Option<i64> {
        let totp = self.totp()?;
        let current = now.max(0) as u64 / STEP_SECS;
        let mut found = None;
        for step in [current.saturating_sub(1), current, current + 1] {
            let expected = totp.generate(step * STEP_SECS);
            if constant_time_eq(expected.as_bytes(), code.as_bytes()) {
                found = Some(step as i64);
            }
        }
        found
    }

    fn totp(&self) -> Option<TOTP> {
        let bytes = totp_rs::Secret::Encoded(self.base32().to_owned()).to_bytes().ok()?;
        TOTP::new(Algorithm::SHA1, DIGITS, 0, STEP_SECS, bytes).ok()
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    use subtle::ConstantTimeEq;
    a.len() == b.len() && bool::from(a.ct_eq(b))
}

/// What an `otpauth` label must escape: the URI's own delimiters and anything unprintable.
const LABEL: &AsciiSet =
    &CONTROLS.add(b' ').add(b'"').add(b'#').add(b'%').add(b'&').add(b'/').add(b'<').add(b'>').add(b'?').add(b'`');

/// The URI as a QR code, an SVG to put inline in the page (the page policy allows no
/// `data:` images and no scripts).
pub fn qr_svg(uri: &str) -> String {
    let Ok(code) = QrCode::new(uri.as_bytes()) else { return String::new() };
    let svg = code.render::<svg::Color>().min_dimensions(200, 200).build();
    // The XML declaration is for a file; inline in HTML it is noise.
    match svg.find("<svg") {
        Some(start) => svg[start..].to_owned(),
        None => svg,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// RFC 6238 appendix B, SHA-1 rows (the last six digits of its eight).
    #[test]
    fn codes_match_the_rfc_6238_test_vectors() {
        let secret =
            TotpSecret::from_base32(&totp_rs::Secret::Raw(b"12345678901234567890".to_vec()).to_encoded().to_string());
        for (time, code) in [(59, "287082"), (1111111109, "081804"), (1234567890, "005924"), (2000000000, "279037")] {
            assert_eq!(secret.step_of(code, time), Some(time / 30), "at {time}");
        }
    }

    #[test]
    fn only_the_neighbouring_steps_are_accepted() {
        let secret = TotpSecret::generate();
        let totp = secret.totp().unwrap();
        let now = 1_800_000_015;
        for offset in [-1i64, 0, 1] {
            let code = totp.generate((now + offset * 30) as u64);
            assert_eq!(secret.step_of(&code, now), Some(now / 30 + offset));
        }
        for offset in [-2i64, 2] {
            let code = totp.generate((now + offset * 30) as u64);
            assert_eq!(secret.step_of(&code, now), None, "{offset} steps away");
        }
    }

    #[test]
    fn a_secret_is_160_bits_of_base32() {
        let secret = TotpSecret::generate();
        assert_eq!(secret.base32().len(), 32);
        assert_ne!(secret.base32(), TotpSecret::generate().base32());
    }

    #[test]
    fn the_uri_names_every_parameter_apps_read() {
        let secret = TotpSecret::from_base32("JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP");
        assert_eq!(
            secret.uri("Gatehouse", "a+b@example.com"),
            "otpauth://totp/Gatehouse:a+b@example.com?secret=JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP&issuer=Gatehouse&algorithm=SHA1&digits=6&period=30"
        );
        assert!(secret.uri("Gatehouse", "we?ird#x@example.com").contains("we%3Fird%23x@example.com?"));
        assert!(secret.uri("Acme & Co", "a@example.com").contains("/Acme%20%26%20Co:a@example.com?"));
        assert!(secret.uri("Acme & Co", "a@example.com").contains("&issuer=Acme%20%26%20Co&"));
    }

    #[test]
    fn the_qr_code_is_bare_svg() {
        let svg = qr_svg("otpauth://totp/Gatehouse:a@example.com?secret=JBSWY3DPEHPK3PXP");
        assert!(svg.starts_with("<svg"));
        assert!(svg.ends_with("</svg>"));
    }
}
