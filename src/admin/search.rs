//! What the admin area's user search and its pages of results accept.

use std::fmt;

/// Results on one page of the admin area's lists.
pub const PAGE_SIZE: i64 = 50;
/// The last page number accepted: deeper pages cost an ever longer skip, and nobody
/// reads a thousand pages; a search finds an account faster.
pub const MAX_PAGE: u32 = 1000;
/// The trigram indexes need three characters to look anything up.
pub const MIN_SEARCH_CHARS: usize = 3;
/// No address is longer (RFC 5321).
const MAX_SEARCH_CHARS: usize = 254;

/// Part of an email address to search for: trimmed, lower case (addresses are stored in
/// lower case), 3 to 254 characters. Anything else may be in it: `%`, `_`, quotes and
/// `<` are searched for as they are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchText(String);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SearchError {
    #[error("Type at least three characters of the address.")]
    TooShort,
    #[error("That is longer than any email address.")]
    TooLong,
}

impl SearchText {
    /// `None` for an empty search (list everyone).
    pub fn parse(typed: &str) -> Result<Option<Self>, SearchError> {
        let text = typed.trim().to_lowercase();
        match text.chars().count() {
            0 => Ok(None),
            n if n < MIN_SEARCH_CHARS => Err(SearchError::TooShort),
            n if n > MAX_SEARCH_CHARS => Err(SearchError::TooLong),
            _ => Ok(Some(Self(text))),
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// A page number of a list, 1 to [`MAX_PAGE`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PageNumber(u32);

#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("A page number is a whole number from 1 to 1000.")]
pub struct PageNumberError;

impl PageNumber {
    pub const FIRST: Self = Self(1);

    /// An empty value is the first page.
    pub fn parse(typed: &str) -> Result<Self, PageNumberError> {
        if typed.is_empty() {
            return Ok(Self::FIRST);
        }
        match typed.parse::<u32>() {
            Ok(n) if (1..=MAX_PAGE).contains(&n) => Ok(Self(n)),
            _ => Err(PageNumberError),
        }
    }

    pub fn get(self) -> u32 {
        self.0
    }

    /// Rows to skip before this page.
    pub fn offset(self) -> i64 {
        i64::from(self.0 - 1) * PAGE_SIZE
    }

    pub fn previous(self) -> Option<Self> {
        (self.0 > 1).then(|| Self(self.0 - 1))
    }

    pub fn next(self) -> Option<Self> {
        (self.0 < MAX_PAGE).then(|| Self(self.0 + 1))
    }
}

impl fmt::Display for PageNumber {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_search_is_trimmed_and_lower_cased() {
        assert_eq!(SearchText::parse("  Ada@Example ").unwrap().unwrap().as_str(), "ada@example");
        assert_eq!(SearchText::parse("   "), Ok(None));
        assert_eq!(SearchText::parse("ab"), Err(SearchError::TooShort));
        assert_eq!(SearchText::parse(&"a".repeat(255)), Err(SearchError::TooLong));
        assert_eq!(SearchText::parse("%_'\"<").unwrap().unwrap().as_str(), "%_'\"<");
    }

    #[test]
    fn page_numbers_are_bounded() {
        assert_eq!(PageNumber::parse(""), Ok(PageNumber::FIRST));
        assert_eq!(PageNumber::parse("3").unwrap().offset(), 100);
        for bad in ["0", "-1", "1001", "x", "1.5", "99999999999"] {
            assert_eq!(PageNumber::parse(bad), Err(PageNumberError), "{bad}");
        }
        assert_eq!(PageNumber::parse("1000").unwrap().next(), None);
        assert_eq!(PageNumber::FIRST.previous(), None);
    }

    proptest! {
        #[test]
        fn any_typed_search_parses_or_is_refused_without_panicking(typed in "\\PC{0,300}") {
            if let Ok(Some(text)) = SearchText::parse(&typed) {
                let n = text.as_str().chars().count();
                prop_assert!((MIN_SEARCH_CHARS..=MAX_SEARCH_CHARS).contains(&n));
                prop_assert_eq!(text.as_str(), text.as_str().to_lowercase());
            }
        }

        #[test]
        fn a_parsed_page_has_a_non_negative_bounded_offset(typed in "[0-9]{0,12}") {
            if let Ok(page) = PageNumber::parse(&typed) {
                prop_assert!((0..i64::from(MAX_PAGE) * PAGE_SIZE).contains(&page.offset()));
            }
        }
    }
}
