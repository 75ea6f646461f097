//! Rule metadata, read from `rules/<CODE>.toml`.

use crate::finding::Severity;
use serde::{Deserialize, Serialize};

/// A rule's category.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Category {
    /// AWS rejects it or it cannot work.
    Grammar,
    /// Grants more than intended.
    Security,
    /// Works, but not as the author meant.
    Correctness,
    /// A better way exists.
    Suggestion,
}

impl Category {
    /// The kebab-case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Category::Grammar => "grammar",
            Category::Security => "security",
            Category::Correctness => "correctness",
            Category::Suggestion => "suggestion",
        }
    }
}

/// Whether a rule can fix what it finds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FixKind {
    /// No fix.
    None,
    /// A fix that keeps the meaning.
    Safe,
    /// A fix that may change the meaning.
    Unsafe,
}

/// Everything `rules/<CODE>.toml` says about a rule.
#[derive(Clone, Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleMeta {
    /// Code, e.g. `E001`.
    #[serde(deserialize_with = "leak")]
    pub code: &'static str,
    /// Slug, e.g. `duplicate-key`.
    #[serde(deserialize_with = "leak")]
    pub name: &'static str,
    /// Category.
    pub category: Category,
    /// Default severity.
    pub severity: Severity,
    /// One line, for the rules table.
    pub summary: String,
    /// Fix availability.
    #[serde(default = "no_fix")]
    pub fix: FixKind,
    /// Why it matters.
    pub why: String,
    /// What to do instead.
    pub instead: String,
    /// Documentation links.
    #[serde(default)]
    pub references: Vec<String>,
}

fn no_fix() -> FixKind {
    FixKind::None
}

fn leak<'de, D: serde::Deserializer<'de>>(d: D) -> Result<&'static str, D::Error> {
    let s = String::deserialize(d)?;
    Ok(Box::leak(s.into_boxed_str()))
}

impl RuleMeta {
    /// The docs page of this rule in the repository.
    pub fn doc_url(&self) -> String {
        format!("https://github.com/iamlint/iamlint/blob/main/docs/rules/{}.md", self.code)
    }
}

/// Parse a rule's TOML; a malformed or mismatched file is a programming error caught by tests.
pub(super) fn parse(code: &str, text: &'static str) -> RuleMeta {
    let m: RuleMeta = toml::from_str(text).unwrap_or_else(|e| panic!("rules/{code}.toml: {e}"));
    assert_eq!(m.code, code, "rules/{code}.toml declares code {}", m.code);
    m
}
