//! The language of pages and mail: the account's choice, else the browser's
//! `Accept-Language`, else English. The words come from Fluent resources, one folder per
//! language under `templates/locales` (compiled in: adding a language is adding a folder
//! and rebuilding). Routes, fields, status codes and JSON never change with the language.

use std::borrow::Cow;
use std::collections::HashMap;

use fluent_templates::fluent_bundle::FluentValue;
use fluent_templates::{LanguageIdentifier, Loader};

use crate::domain::password::{MAX_LENGTH, PasswordError};
use crate::domain::{EmailError, ProfileError};

fluent_templates::static_loader! {
    static LOCALES = {
        locales: "./templates/locales",
        fallback_language: "en",
        // No Unicode isolation marks around arguments: pages and mail are left-to-right,
        // and the marks would end up inside addresses and links.
        customise: |bundle| bundle.set_use_isolating(false),
    };
}

/// One of the languages in `templates/locales`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Language(&'static LanguageIdentifier);

impl Default for Language {
    fn default() -> Self {
        Self::english()
    }
}

impl Language {
    /// "Firefox on Linux" from a User-Agent, good enough to recognise one's own devices, in
    /// the reader's language.
    pub fn describe_device(self, user_agent: &str) -> String {
        let browser = [
            ("Edg/", "Edge"),
            ("OPR/", "Opera"),
            ("Firefox/", "Firefox"),
            ("Chrome/", "Chrome"),
            ("Safari/", "Safari"),
            ("curl/", "curl"),
        ]
        .iter()
        .find(|(marker, _)| user_agent.contains(marker))
        .map(|(_, name)| *name);
        let system = [
            ("Android", "Android"),
            ("iPhone", "iPhone"),
            ("iPad", "iPad"),
            ("Windows", "Windows"),
            ("Mac OS X", "macOS"),
            ("Linux", "Linux"),
        ]
        .iter()
        .find(|(marker, _)| user_agent.contains(marker))
        .map(|(_, name)| *name);
        match (browser, system) {
            (Some(browser), Some(system)) => self.t_args("device-on", &[("browser", browser), ("system", system)]),
            (Some(name), None) | (None, Some(name)) => name.to_owned(),
            (None, None) if user_agent.is_empty() => self.t("device-unknown"),
            (None, None) => user_agent.chars().take(40).collect(),
        }
    }

    pub fn english() -> Self {
        Self(LOCALES.fallback())
    }

    /// Every language there are words for, English first, then by code.
    pub fn all() -> Vec<Self> {
        let mut all: Vec<Self> = LOCALES.locales().map(Self).collect();
        all.sort_by_key(|language| (*language != Self::english(), language.code()));
        all
    }

    /// The language a code names (`de`, `de-AT` and `DE` all name German), if there are
    /// words for it.
    pub fn from_code(code: &str) -> Option<Self> {
        let wanted: LanguageIdentifier = code.trim().parse().ok()?;
        LOCALES.locales().find(|available| available.language == wanted.language).map(Self)
    }

    /// The browser's first choice there are words for, by `q` and then by order; English
    /// when there is none. Anything unreadable in the header is skipped, never an error.
    pub fn negotiate(accept_language: &str) -> Self {
        let mut ranges: Vec<(u16, usize, &str)> = accept_language
            .split(',')
            .take(32)
            .enumerate()
            .filter_map(|(position, item)| {
                let mut parts = item.split(';');
                let tag = parts.next()?.trim();
                let quality = match parts.find_map(|param| param.trim().strip_prefix("q=")) {
                    Some(text) => quality(text)?,
                    None => 1000,
                };
                (quality > 0 && !tag.is_empty()).then_some((quality, position, tag))
            })
            .collect();
        ranges.sort_by_key(|&(quality, position, _)| (std::cmp::Reverse(quality), position));
        ranges.into_iter().find_map(|(_, _, tag)| Self::from_code(tag)).unwrap_or_default()
    }

    /// The account's choice if it made one (and there are still words for it), else the
    /// browser's.
    pub fn choose(account: Option<&str>, accept_language: Option<&str>) -> Self {
        account.and_then(Self::from_code).unwrap_or_else(|| accept_language.map(Self::negotiate).unwrap_or_default())
    }

    /// The code for `<html lang>` and the account's setting.
    pub fn code(self) -> String {
        self.0.to_string()
    }

    /// The language's name in itself, for the setting's menu.
    pub fn name(self) -> String {
        self.t("language-name")
    }

    /// The words for `key`.
    pub fn t(self, key: &str) -> String {
        LOCALES.lookup(self.0, key)
    }

    /// The words for `key`, with `$name` filled in.
    pub fn t1(self, key: &str, name: &'static str, value: impl std::fmt::Display) -> String {
        let args = HashMap::from([(Cow::Borrowed(name), FluentValue::from(value.to_string()))]);
        LOCALES.lookup_with_args(self.0, key, &args)
    }

    /// The words for `key`, with each `$name` filled in.
    pub fn t_args(self, key: &str, args: &[(&'static str, &str)]) -> String {
        let args: HashMap<Cow<'static, str>, FluentValue> =
            args.iter().map(|&(name, value)| (Cow::Borrowed(name), FluentValue::from(value.to_owned()))).collect();
        LOCALES.lookup_with_args(self.0, key, &args)
    }

    /// Whether there are words for `key` (in English, which every language has).
    pub fn knows(key: &str) -> bool {
        LOCALES.try_lookup(Self::english().0, key).is_some()
    }

    /// The words for `key`, with the number `$name` filled in (and its plural chosen).
    pub fn count(self, key: &str, name: &'static str, n: i64) -> String {
        let args = HashMap::from([(Cow::Borrowed(name), FluentValue::from(n))]);
        LOCALES.lookup_with_args(self.0, key, &args)
    }

    /// A stored Unix time's date as people who speak the language write it.
    pub fn date(self, unix: i64) -> String {
        let Ok(at) = time::OffsetDateTime::from_unix_timestamp(unix) else { return String::new() };
        let month = self.t(&format!("month-{}", u8::from(at.month())));
        let args = HashMap::from([
            (Cow::Borrowed("day"), FluentValue::from(at.day().to_string())),
            (Cow::Borrowed("month"), FluentValue::from(month)),
            (Cow::Borrowed("year"), FluentValue::from(at.year().to_string())),
        ]);
        LOCALES.lookup_with_args(self.0, "date", &args)
    }

    /// A stored Unix time with the hour: "7. Dezember 2026, 14:05 UTC".
    pub fn date_time(self, unix: i64) -> String {
        let Ok(at) = time::OffsetDateTime::from_unix_timestamp(unix) else { return String::new() };
        format!("{}, {:02}:{:02} UTC", self.date(unix), at.hour(), at.minute())
    }
}

impl Language {
    /// What is wrong with a typed address, in words for the field.
    pub fn email_error(self, error: EmailError) -> String {
        self.t(match error {
            EmailError::Empty => "error-email-empty",
            EmailError::TooLong => "error-email-too-long",
            EmailError::Invalid => "error-email-invalid",
        })
    }

    /// What is wrong with a display name or username, in words for the field.
    pub fn profile_error(self, error: ProfileError) -> String {
        self.t(match error {
            ProfileError::BadName => "error-bad-name",
            ProfileError::BadUsername => "error-bad-username",
        })
    }

    /// What is wrong with a new password, in words for the field.
    pub fn password_error(self, error: PasswordError) -> String {
        match error {
            PasswordError::TooShort(min) => self.t1("error-password-too-short", "min", min),
            PasswordError::TooLong => self.t1("error-password-too-long", "max", MAX_LENGTH),
            PasswordError::Common => self.t("error-password-common"),
            PasswordError::ControlCharacter => self.t("error-password-control"),
        }
    }
}

/// `q=` as thousandths; `None` for a value that is not one.
fn quality(text: &str) -> Option<u16> {
    let value: f32 = text.trim().parse().ok()?;
    (0.0..=1.0).contains(&value).then(|| (value * 1000.0).round() as u16)
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn code(header: &str) -> String {
        Language::negotiate(header).code()
    }

    #[test]
    fn the_browsers_first_choice_with_words_wins() {
        assert_eq!(code("de-DE,de;q=0.9,en;q=0.8"), "de");
        assert_eq!(code("fr-CA"), "fr");
        assert_eq!(code("ja,fr;q=0.5,de;q=0.7"), "de");
        assert_eq!(code("en;q=0.1, fr"), "fr");
        assert_eq!(code("ja, zh"), "en", "none we have: English");
        assert_eq!(code("de;q=0, fr;q=0.2"), "fr", "q=0 means not this one");
        assert_eq!(code("de;q=2, fr;q=0.2"), "fr", "a q past 1 is unreadable");
        assert_eq!(code(""), "en");
        assert_eq!(code("*"), "en");
    }

    #[test]
    fn the_accounts_choice_wins_over_the_browser() {
        assert_eq!(Language::choose(Some("fr"), Some("de")).code(), "fr");
        assert_eq!(Language::choose(None, Some("de")).code(), "de");
        assert_eq!(Language::choose(Some("tlh"), Some("de")).code(), "de", "a choice with no words left");
        assert_eq!(Language::choose(None, None).code(), "en");
    }

    #[test]
    fn english_german_and_french_are_there_english_first() {
        let codes: Vec<String> = Language::all().into_iter().map(Language::code).collect();
        assert_eq!(codes[0], "en");
        assert!(codes.contains(&"de".into()) && codes.contains(&"fr".into()), "{codes:?}");
    }

    #[test]
    fn dates_are_written_the_languages_way() {
        let at = time::macros::datetime!(2026-12-07 14:05 UTC).unix_timestamp();
        assert_eq!(Language::english().date(at), "7 December 2026");
        assert_eq!(Language::from_code("de").unwrap().date_time(at), "7. Dezember 2026, 14:05 UTC");
        assert_eq!(Language::from_code("fr").unwrap().date(at), "7 décembre 2026");
    }

    #[test]
    fn counts_choose_their_plural() {
        let german = Language::from_code("de").unwrap();
        assert_eq!(german.count("overview-devices", "count", 1), "1 Gerät");
        assert_eq!(german.count("overview-devices", "count", 3), "3 Geräten");
        assert_eq!(Language::english().count("overview-devices", "count", 2), "2 devices");
    }

    proptest! {
        #[test]
        fn any_header_gives_a_language_there_are_words_for(header in "\\PC{0,200}") {
            let chosen = Language::negotiate(&header);
            prop_assert!(Language::all().contains(&chosen));
        }

        #[test]
        fn a_listed_language_is_found_among_languages_without_words(
            others in proptest::collection::vec("(ja|zh|ko|pt|es|it)(-[A-Z]{2})?(;q=0\\.[1-9])?", 0..4),
            position in 0usize..4,
        ) {
            let mut items = others;
            items.insert(position.min(items.len()), "de;q=0.5".into());
            prop_assert_eq!(Language::negotiate(&items.join(", ")).code(), "de");
        }
    }

    #[test]
    fn devices_are_named_by_browser_and_system() {
        let firefox = "Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0";
        let english = Language::english();
        assert_eq!(english.describe_device(firefox), "Firefox on Linux");
        assert_eq!(Language::from_code("de").unwrap().describe_device(firefox), "Firefox unter Linux");
        assert_eq!(english.describe_device("curl/8.5.0"), "curl");
        assert_eq!(english.describe_device(""), "Unknown device");
    }
}
