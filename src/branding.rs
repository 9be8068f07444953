//! The operator's brand: the product name, logo, favicon, accent colour, support address,
//! footer links and an extra stylesheet, from `[branding]` in `gatehouse.toml` (the short
//! ones also from `BRAND_NAME`, `BRAND_ACCENT_COLOR` and `BRAND_SUPPORT_EMAIL`). Read and
//! checked once at start; files are read then too, so a broken logo stops the start, not a
//! page. Unset, everything looks as Gatehouse always did.

use std::path::{Path, PathBuf};

use crate::domain::Email;

/// The `gatehouse.toml` table this module reads.
pub const KEY: &str = "branding";

const DEFAULT_NAME: &str = "Gatehouse";
pub const LOGO_ROUTE: &str = "/assets/brand/logo";
pub const FAVICON_ROUTE: &str = "/assets/brand/favicon";
pub const STYLESHEET_ROUTE: &str = "/assets/brand.css";
/// Larger images slow every page; a logo is a few KiB.
const MAX_IMAGE_BYTES: usize = 512 * 1024;
const MAX_STYLESHEET_BYTES: usize = 256 * 1024;
const MAX_NAME_CHARS: usize = 60;
/// WCAG 2.1 AA for normal text: buttons put white text on the accent colour.
const MIN_CONTRAST_WITH_WHITE: f64 = 4.5;

#[derive(Debug, Clone)]
pub struct Branding {
    name: String,
    logo: Option<Image>,
    favicon: Option<Image>,
    accent: Option<Accent>,
    support_email: Option<Email>,
    footer_links: Vec<FooterLink>,
    /// The operator's stylesheet, served after the built-in one.
    stylesheet: Option<String>,
}

impl Default for Branding {
    fn default() -> Self {
        Self {
            name: DEFAULT_NAME.into(),
            logo: None,
            favicon: None,
            accent: None,
            support_email: None,
            footer_links: Vec::new(),
            stylesheet: None,
        }
    }
}

/// An image file, read at start.
#[derive(Debug, Clone)]
pub struct Image {
    pub bytes: Vec<u8>,
    pub content_type: &'static str,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FooterLink {
    pub label: String,
    pub url: String,
}

/// An accent colour that white text can be read on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Accent {
    rgb: [u8; 3],
}

impl Accent {
    /// `#rrggbb` or `#rgb`, refused (with the reason) when white text on it fails WCAG AA.
    pub fn parse(text: &str) -> Result<Self, String> {
        let hex = text.trim().strip_prefix('#').ok_or_else(|| format!("{text:?} is not a colour like #2f5bd3"))?;
        let expanded: String = match hex.len() {
            3 => hex.chars().flat_map(|c| [c, c]).collect(),
            6 => hex.to_owned(),
            _ => return Err(format!("{text:?} is not a colour like #2f5bd3")),
        };
        let channel = |i: usize| u8::from_str_radix(&expanded[i..i + 2], 16);
        let (Ok(r), Ok(g), Ok(b)) = (channel(0), channel(2), channel(4)) else {
            return Err(format!("{text:?} is not a colour like #2f5bd3"));
        };
        let accent = Self { rgb: [r, g, b] };
        let contrast = accent.contrast_with_white();
        if contrast < MIN_CONTRAST_WITH_WHITE {
            return Err(format!(
                "{text:?} is too light: white text on it has a contrast of {contrast:.2}:1, and WCAG AA needs \
                 {MIN_CONTRAST_WITH_WHITE}:1 (try a darker shade)"
            ));
        }
        Ok(accent)
    }

    /// WCAG 2.1's contrast ratio between this colour and white.
    pub fn contrast_with_white(self) -> f64 {
        let linear = |channel: u8| {
            let c = f64::from(channel) / 255.0;
            if c <= 0.03928 { c / 12.92 } else { ((c + 0.055) / 1.055).powf(2.4) }
        };
        let [r, g, b] = self.rgb.map(linear);
        let luminance = 0.2126 * r + 0.7152 * g + 0.0722 * b;
        1.05 / (luminance + 0.05)
    }

    pub fn css(self) -> String {
        let [r, g, b] = self.rgb;
        format!("#{r:02x}{g:02x}{b:02x}")
    }

    /// The shade links take on hover: a fifth darker.
    fn darker(self) -> Self {
        Self { rgb: self.rgb.map(|channel| (u16::from(channel) * 4 / 5) as u8) }
    }
}

impl Branding {
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Whether the operator named the product: mail subjects then carry the name.
    pub fn is_named(&self) -> bool {
        self.name != DEFAULT_NAME
    }

    /// The icon browsers show in the tab, and its type.
    pub fn favicon_link(&self) -> (&'static str, &'static str) {
        match &self.favicon {
            Some(image) => (FAVICON_ROUTE, image.content_type),
            None => ("/assets/mark.svg", "image/svg+xml"),
        }
    }

    /// The mark in every page's header.
    pub fn logo_link(&self) -> &'static str {
        if self.logo.is_some() { LOGO_ROUTE } else { "/assets/mark.svg" }
    }

    /// Whether the pages link [`STYLESHEET_ROUTE`].
    pub fn has_extra_stylesheet(&self) -> bool {
        self.accent.is_some() || self.stylesheet.is_some()
    }

    pub fn logo(&self) -> Option<&Image> {
        self.logo.as_ref()
    }

    pub fn favicon(&self) -> Option<&Image> {
        self.favicon.as_ref()
    }

    pub fn accent(&self) -> Option<Accent> {
        self.accent
    }

    pub fn support_email(&self) -> Option<&str> {
        self.support_email.as_ref().map(Email::as_str)
    }

    pub fn footer_links(&self) -> &[FooterLink] {
        &self.footer_links
    }

    /// The stylesheet served after the built-in one (the accent colour, then the
    /// operator's file), if there is anything to say.
    pub fn extra_stylesheet(&self) -> Option<String> {
        if !self.has_extra_stylesheet() {
            return None;
        }
        let mut css = String::new();
        if let Some(accent) = self.accent {
            css.push_str(&format!(":root {{ --brand: {}; --brand-dark: {}; }}\n", accent.css(), accent.darker().css()));
        }
        if let Some(sheet) = &self.stylesheet {
            css.push_str(sheet);
        }
        Some(css)
    }

    /// The brand from the `[branding]` table, the variables overriding it; one line per
    /// mistake. Files are named relative to `directory` (the configuration file's).
    pub fn from_toml(
        tables: &toml::Table,
        directory: &Path,
        variable: impl Fn(&str) -> Option<String>,
    ) -> Result<Self, Vec<String>> {
        let empty = toml::Table::new();
        let table = match tables.get(KEY) {
            None => &empty,
            Some(toml::Value::Table(table)) => table,
            Some(_) => return Err(vec!["[branding] must be a table".into()]),
        };
        let mut problems = Vec::new();
        let mut reading = Reading { table, directory, problems: &mut problems };
        for key in table.keys() {
            if !FIELDS.contains(&key.as_str()) {
                reading.problems.push(format!("[branding] has no setting {key:?} (it knows {})", FIELDS.join(", ")));
            }
        }
        let text = |reading: &mut Reading, key: &str, variable_name: &str| {
            variable(variable_name).or_else(|| reading.text(key))
        };
        let name = text(&mut reading, "name", "BRAND_NAME").map(|name| name.trim().to_owned());
        let name = match name {
            None => DEFAULT_NAME.to_owned(),
            Some(name) if name.is_empty() || name.chars().count() > MAX_NAME_CHARS => {
                reading.problems.push(format!("[branding] name must be 1 to {MAX_NAME_CHARS} characters"));
                DEFAULT_NAME.to_owned()
            }
            Some(name) if name.chars().any(char::is_control) => {
                reading.problems.push("[branding] name must be one line of text".into());
                DEFAULT_NAME.to_owned()
            }
            Some(name) => name,
        };
        let accent = text(&mut reading, "accent_color", "BRAND_ACCENT_COLOR").and_then(|colour| {
            Accent::parse(&colour).map_err(|why| reading.problems.push(format!("[branding] accent_color: {why}"))).ok()
        });
        let support_email = text(&mut reading, "support_email", "BRAND_SUPPORT_EMAIL").and_then(|address| {
            Email::parse(&address)
                .map_err(|_| reading.problems.push(format!("[branding] support_email {address:?} is not an address")))
                .ok()
        });
        let logo = reading.image("logo");
        let favicon = reading.image("favicon");
        let stylesheet = reading.stylesheet();
        let footer_links = reading.footer_links();
        if !problems.is_empty() {
            return Err(problems);
        }
        Ok(Self { name, logo, favicon, accent, support_email, footer_links, stylesheet })
    }
}

const FIELDS: [&str; 7] = ["name", "logo", "favicon", "accent_color", "support_email", "footer_links", "stylesheet"];

/// The `[branding]` table being read, and what was wrong in it so far.
struct Reading<'a> {
    table: &'a toml::Table,
    directory: &'a Path,
    problems: &'a mut Vec<String>,
}

impl Reading<'_> {
    fn text(&mut self, key: &str) -> Option<String> {
        match self.table.get(key)? {
            toml::Value::String(text) => Some(text.clone()),
            _ => {
                self.problems.push(format!("[branding] {key} must be a string"));
                None
            }
        }
    }

    fn file(&mut self, key: &str, limit: usize) -> Option<(PathBuf, Vec<u8>)> {
        let path = self.directory.join(self.text(key)?);
        match std::fs::read(&path) {
            Ok(bytes) if bytes.len() <= limit => Some((path, bytes)),
            Ok(_) => {
                self.problems.push(format!("[branding] {key}: {} is larger than {} KiB", path.display(), limit / 1024));
                None
            }
            Err(error) => {
                self.problems.push(format!("[branding] {key}: cannot read {}: {error}", path.display()));
                None
            }
        }
    }

    fn image(&mut self, key: &str) -> Option<Image> {
        let (path, bytes) = self.file(key, MAX_IMAGE_BYTES)?;
        let extension = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
        let content_type = match extension.as_deref() {
            Some("svg") => "image/svg+xml",
            Some("png") => "image/png",
            Some("ico") => "image/x-icon",
            Some("jpg" | "jpeg") => "image/jpeg",
            Some("webp") => "image/webp",
            Some("gif") => "image/gif",
            _ => {
                self.problems.push(format!(
                    "[branding] {key}: {} is not an .svg, .png, .ico, .jpg, .webp or .gif file",
                    path.display()
                ));
                return None;
            }
        };
        Some(Image { bytes, content_type })
    }

    fn stylesheet(&mut self) -> Option<String> {
        let (path, bytes) = self.file("stylesheet", MAX_STYLESHEET_BYTES)?;
        String::from_utf8(bytes)
            .map_err(|_| self.problems.push(format!("[branding] stylesheet: {} is not UTF-8 text", path.display())))
            .ok()
    }

    fn footer_links(&mut self) -> Vec<FooterLink> {
        let Some(value) = self.table.get("footer_links") else { return Vec::new() };
        let shape = "[branding] footer_links must be a list like [{ label = \"Privacy\", url = \"https://…\" }]";
        let Some(items) = value.as_array() else {
            self.problems.push(shape.into());
            return Vec::new();
        };
        let mut links = Vec::new();
        for item in items {
            let label = item.get("label").and_then(toml::Value::as_str).map(str::trim);
            let url = item.get("url").and_then(toml::Value::as_str).map(str::trim);
            match (label, url) {
                (Some(label), Some(url)) if !label.is_empty() && is_web_address(url) => {
                    links.push(FooterLink { label: label.to_owned(), url: url.to_owned() })
                }
                (Some(_), Some(url)) if !is_web_address(url) => {
                    self.problems.push(format!("[branding] footer link {url:?} is not an http(s) address"))
                }
                _ => self.problems.push(shape.into()),
            }
        }
        links
    }
}

fn is_web_address(text: &str) -> bool {
    url::Url::parse(text).is_ok_and(|url| matches!(url.scheme(), "https" | "http") && url.host().is_some())
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    fn read(toml_text: &str) -> Result<Branding, Vec<String>> {
        let tables: toml::Table = toml_text.parse().unwrap();
        Branding::from_toml(&tables, Path::new("."), |_| None)
    }

    #[test]
    fn nothing_set_is_the_gatehouse_look() {
        let brand = read("").unwrap();
        assert_eq!(brand.name(), "Gatehouse");
        assert!(!brand.is_named());
        assert!(brand.extra_stylesheet().is_none());
    }

    #[test]
    fn the_default_accent_passes_and_a_light_one_is_refused_with_its_contrast() {
        assert!(Accent::parse("#2f5bd3").is_ok());
        assert!(Accent::parse("#000").is_ok());
        let why = Accent::parse("#ffcc00").unwrap_err();
        assert!(why.contains("contrast of 1.") && why.contains("4.5:1"), "{why}");
        assert!(Accent::parse("2f5bd3").is_err());
        assert!(Accent::parse("#2f5bd").is_err());
        assert!(Accent::parse("#gggggg").is_err());
    }

    #[test]
    fn white_on_black_is_21_to_1_and_white_on_white_is_1_to_1() {
        assert!((Accent { rgb: [0, 0, 0] }.contrast_with_white() - 21.0).abs() < 1e-9);
        assert!((Accent { rgb: [255, 255, 255] }.contrast_with_white() - 1.0).abs() < 1e-9);
    }

    #[test]
    fn a_variable_overrides_the_file() {
        let tables: toml::Table = "[branding]\nname = \"Acme\"".parse().unwrap();
        let brand =
            Branding::from_toml(&tables, Path::new("."), |name| (name == "BRAND_NAME").then(|| "Umbrella".into()))
                .unwrap();
        assert_eq!(brand.name(), "Umbrella");
        assert!(brand.is_named());
    }

    #[test]
    fn every_mistake_is_reported_at_once() {
        let problems = read(
            "[branding]\nname = \"\"\naccent_color = \"#eeeeee\"\nsupport_email = \"nope\"\nlogo = \"missing.png\"\n\
             footer_links = [{ label = \"Privacy\", url = \"javascript:alert(1)\" }]\ncolour = \"#000\"",
        )
        .unwrap_err();
        assert_eq!(problems.len(), 6, "{problems:#?}");
    }

    #[test]
    fn files_are_read_beside_the_configuration() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("logo.svg"), "<svg xmlns='http://www.w3.org/2000/svg'/>").unwrap();
        std::fs::write(dir.path().join("extra.css"), "main { gap: 1rem; }").unwrap();
        let tables: toml::Table =
            "[branding]\nlogo = \"logo.svg\"\nstylesheet = \"extra.css\"\naccent_color = \"#7a1fa2\"".parse().unwrap();
        let brand = Branding::from_toml(&tables, dir.path(), |_| None).unwrap();
        assert_eq!(brand.logo().unwrap().content_type, "image/svg+xml");
        let css = brand.extra_stylesheet().unwrap();
        assert!(css.starts_with(":root { --brand: #7a1fa2; --brand-dark: #611881; }"), "{css}");
        assert!(css.ends_with("main { gap: 1rem; }"), "{css}");
    }

    proptest! {
        #[test]
        fn an_accepted_colour_meets_aa_and_prints_as_it_was_read(r: u8, g: u8, b: u8) {
            let text = format!("#{r:02x}{g:02x}{b:02x}");
            match Accent::parse(&text) {
                Ok(accent) => {
                    prop_assert!(accent.contrast_with_white() >= MIN_CONTRAST_WITH_WHITE);
                    prop_assert_eq!(accent.css(), text);
                }
                Err(why) => prop_assert!(why.contains("too light")),
            }
        }
    }
}
