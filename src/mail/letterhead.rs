//! What every mail carries besides its own text: the product's name as the sender and in
//! the subject, a signature, and an HTML alternative built from the same text, in the
//! brand's colour (see [`crate::branding`]). Applied when a message is sent, so mail
//! queued by any process (a server, an operator's command) looks the same.

use std::sync::Arc;

use askama::Template;
use lettre::message::Mailbox;
use url::Url;

use crate::branding::{self, Branding};

/// The built-in accent, for mail from an unbranded server (the stylesheet's `--brand`).
const DEFAULT_ACCENT: &str = "#2f5bd3";

pub struct Letterhead {
    brand: Arc<Branding>,
    /// The logo's absolute address, for mail clients that show images.
    logo_url: Option<String>,
}

/// A stretch of the text between blank lines: words, or a link on a line of its own.
enum Block {
    /// The plain text's lines are wrapped for an 80-column reader; in HTML the client wraps.
    Text(String),
    Link(String),
}

#[derive(Template)]
#[template(path = "mail/letter.html")]
struct Letter<'a> {
    subject: &'a str,
    name: &'a str,
    accent: &'a str,
    logo_url: Option<&'a str>,
    blocks: Vec<Block>,
    support_email: Option<&'a str>,
}

impl Letterhead {
    pub fn new(brand: Arc<Branding>, base_url: &Url) -> Self {
        let logo_url = brand.logo().and_then(|_| base_url.join(branding::LOGO_ROUTE).ok()).map(String::from);
        Self { brand, logo_url }
    }

    /// `MAIL_FROM`, named after the product unless the operator named the sender.
    pub fn sender(&self, configured: &Mailbox) -> Mailbox {
        let unnamed = configured.name.as_deref().is_none_or(|name| name == "Gatehouse");
        if unnamed && self.brand.is_named() {
            Mailbox::new(Some(self.brand.name().to_owned()), configured.email.clone())
        } else {
            configured.clone()
        }
    }

    /// The subject, led by the product's name when the operator set one.
    pub fn subject(&self, subject: &str) -> String {
        if self.brand.is_named() { format!("{}: {subject}", self.brand.name()) } else { subject.to_owned() }
    }

    /// The plain-text body: the message, then the signature. The signature has no words
    /// of its own, so it reads the same in the message's language, whichever that is.
    pub fn text(&self, body: &str) -> String {
        let mut text = format!("{}\n\n-- \n{}", body.trim_end(), self.brand.name());
        if let Some(support) = self.brand.support_email() {
            text.push_str(&format!("\n{support}"));
        }
        text.push('\n');
        text
    }

    /// The same message as HTML: each paragraph a paragraph, each link a link.
    pub fn html(&self, subject: &str, body: &str) -> anyhow::Result<String> {
        let accent = self.brand.accent().map(|accent| accent.css());
        let letter = Letter {
            subject,
            name: self.brand.name(),
            accent: accent.as_deref().unwrap_or(DEFAULT_ACCENT),
            logo_url: self.logo_url.as_deref(),
            blocks: blocks(body),
            support_email: self.brand.support_email(),
        };
        Ok(letter.render()?)
    }
}

fn blocks(body: &str) -> Vec<Block> {
    body.trim().split("\n\n").filter(|paragraph| !paragraph.trim().is_empty()).map(block).collect()
}

fn block(paragraph: &str) -> Block {
    let lines: Vec<&str> = paragraph.lines().map(str::trim).collect();
    match lines.as_slice() {
        [line] if is_link(line) => Block::Link((*line).to_owned()),
        _ => Block::Text(lines.join(" ")),
    }
}

fn is_link(line: &str) -> bool {
    (line.starts_with("https://") || line.starts_with("http://")) && !line.contains(char::is_whitespace)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn letterhead(toml_text: &str) -> Letterhead {
        let tables: toml::Table = toml_text.parse().unwrap();
        let brand = Branding::from_toml(&tables, std::path::Path::new("."), |_| None).unwrap();
        Letterhead::new(Arc::new(brand), &Url::parse("https://id.example.com/").unwrap())
    }

    #[test]
    fn an_unbranded_letter_keeps_todays_subject_and_sender() {
        let plain = letterhead("");
        let from: Mailbox = "Gatehouse <no-reply@localhost>".parse().unwrap();
        assert_eq!(plain.sender(&from), from);
        assert_eq!(plain.subject("Confirm your email address"), "Confirm your email address");
        assert!(plain.text("Hello").ends_with("\n\n-- \nGatehouse\n"));
    }

    #[test]
    fn a_branded_letter_names_the_product_unless_the_operator_named_the_sender() {
        let acme = letterhead("[branding]\nname = \"Acme\"\nsupport_email = \"help@acme.test\"");
        let default: Mailbox = "Gatehouse <no-reply@localhost>".parse().unwrap();
        assert_eq!(acme.sender(&default).to_string(), "Acme <no-reply@localhost>");
        let named: Mailbox = "Acme Security <security@acme.test>".parse().unwrap();
        assert_eq!(acme.sender(&named), named);
        assert_eq!(acme.subject("Reset your password"), "Acme: Reset your password");
        assert!(acme.text("Hello").ends_with("-- \nAcme\nhelp@acme.test\n"));
    }

    #[test]
    fn the_html_holds_every_paragraph_and_each_link_as_a_link_escaped() {
        let acme = letterhead("[branding]\nname = \"Acme & Co\"\naccent_color = \"#7a1fa2\"");
        let body =
            "Hello,\n\nOpen the link <below>:\n\nhttps://id.example.com/verify-email?token=abc\n\nThanks,\nwrapped.";
        let html = acme.html("Confirm", body).unwrap();
        assert!(html.contains("Acme &#38; Co") || html.contains("Acme &amp; Co"), "{html}");
        assert!(html.contains("#7a1fa2"));
        assert!(html.contains("href=\"https://id.example.com/verify-email?token=abc\""), "{html}");
        assert!(html.contains("&lt;below&gt;") || html.contains("&#60;below&#62;"), "{html}");
        assert!(html.contains("Thanks, wrapped."), "a wrapped line flows on: {html}");
    }
}
