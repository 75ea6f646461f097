//! Quick fixes: one text edit that resolves a finding.
//!
//! Generic mechanism: a rule whose metadata says `fix = "safe"` (or `"unsafe"`) attaches
//! `{"fix": {"span": {"start": .., "end": ..}, "replacement": "..", "title": ".."}}` to
//! [`Finding::details`]. A few fixes for findings that are made outside the rule hooks (the parser's
//! trailing comma) or whose rule predates the mechanism (`old-version`) are built in here.

use super::position::PositionMap;
use crate::finding::Finding;
use crate::parse::Span;
use crate::rules::FixKind;
use lsp_types::TextEdit;

/// A replacement of one span of the document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Fix {
    /// What the code action is called, e.g. "Remove the trailing comma".
    pub title: String,
    /// What to replace.
    pub span: Span,
    /// The new text.
    pub replacement: String,
    /// Whether the fix keeps the policy's meaning (offered as the preferred action).
    pub safe: bool,
}

impl Fix {
    /// The LSP edit.
    pub fn to_edit(&self, map: &PositionMap<'_>) -> TextEdit {
        TextEdit { range: map.range(self.span), new_text: self.replacement.clone() }
    }
}

/// The fix for `finding` in `text`, if there is one and it still applies to the text.
pub fn for_finding(text: &str, finding: &Finding) -> Option<Fix> {
    from_details(text, finding).or_else(|| builtin(text, finding))
}

fn from_details(text: &str, f: &Finding) -> Option<Fix> {
    let kind = f.rule.meta().fix;
    if kind == FixKind::None {
        return None;
    }
    let fix = f.details.as_ref()?.get("fix")?;
    let span = fix.get("span")?;
    let start = usize::try_from(span.get("start")?.as_u64()?).ok()?;
    let end = usize::try_from(span.get("end")?.as_u64()?).ok()?;
    let replacement = fix.get("replacement")?.as_str()?.to_owned();
    // A span that does not fall on character boundaries of this text belongs to another text.
    text.get(start..end)?;
    let title = fix.get("title").and_then(|t| t.as_str()).map_or_else(
        || {
            if replacement.is_empty() {
                format!("Remove this ({})", f.name())
            } else {
                format!("Replace with `{replacement}`")
            }
        },
        str::to_owned,
    );
    Some(Fix { title, span: Span::new(start, end), replacement, safe: kind == FixKind::Safe })
}

fn builtin(text: &str, f: &Finding) -> Option<Fix> {
    let at = text.get(f.span.start..f.span.end)?;
    // The parser recovers from a trailing comma and reports it with the comma as the span.
    if f.code() == "E000" && f.message == "trailing comma" && at == "," {
        return Some(Fix {
            title: "Remove the trailing comma".into(),
            span: f.span,
            replacement: String::new(),
            safe: true,
        });
    }
    // E024's "did you mean": replace the misspelt action with the suggestion (it changes what the
    // statement grants, so it is not a safe fix).
    if f.code() == "E024"
        && let Some(suggestion) = f.help.as_deref().and_then(|h| between(h.strip_prefix("did you mean ")?, '`'))
        && let Some(unknown) = between(&f.message, '`')
        && at.contains(unknown)
    {
        return Some(Fix {
            title: format!("Replace with `{suggestion}`"),
            span: f.span,
            replacement: at.replacen(unknown, suggestion, 1),
            safe: false,
        });
    }
    // `2008-10-17` → `2012-10-17` only adds policy variables, which the old version reads literally.
    if f.name() == "old-version" && at.contains("2008-10-17") {
        return Some(Fix {
            title: "Use the current policy language version `2012-10-17`".into(),
            span: f.span,
            replacement: at.replace("2008-10-17", "2012-10-17"),
            safe: true,
        });
    }
    None
}

/// The text between the first two `quote`s of `s`.
fn between(s: &str, quote: char) -> Option<&str> {
    let (_, rest) = s.split_once(quote)?;
    Some(rest.split_once(quote)?.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::finding::Severity;

    fn finding(code: &'static str, _name: &'static str, span: Span, message: &str) -> Finding {
        Finding {
            rule: crate::rules::Rule::find(code).unwrap(),
            severity: Severity::Warning,
            message: message.into(),
            span,
            labels: Vec::new(),
            help: None,
            principal: None,
            details: None,
            confirmation: None,
        }
    }

    #[test]
    fn trailing_comma_is_removed() {
        let text = "[1,]";
        let fix = for_finding(text, &finding("E000", "invalid-json", Span::new(2, 3), "trailing comma")).unwrap();
        assert_eq!((fix.span, fix.replacement.as_str(), fix.safe), (Span::new(2, 3), "", true));
        // The span no longer holds a comma: the text changed since, no fix.
        assert_eq!(for_finding("[1 ]", &finding("E000", "invalid-json", Span::new(2, 3), "trailing comma")), None);
    }

    #[test]
    fn old_version_becomes_2012() {
        let text = r#"{"Version": "2008-10-17"}"#;
        let f = finding("W002", "old-version", Span::new(12, 24), "`2008-10-17` is the old policy language version");
        assert_eq!(for_finding(text, &f).unwrap().replacement, "\"2012-10-17\"");
    }

    /// The rule pages say which rules have a fix ("Fix: safe"); the fixes built in here must be declared.
    #[test]
    fn builtin_fixes_are_declared_in_rule_metadata() {
        for (code, kind) in [("E000", FixKind::Safe), ("W002", FixKind::Safe), ("E024", FixKind::Unsafe)] {
            assert_eq!(crate::rules::Rule::find(code).unwrap().meta().fix, kind, "{code}");
        }
    }

    #[test]
    fn unknown_action_did_you_mean_is_an_unsafe_fix() {
        let text = r#"{"Action": "s3:GetObjekt"}"#;
        let mut f = finding("E024", "unknown-action", Span::new(11, 25), "`s3:GetObjekt` is not an action of `s3`");
        f.help = Some("did you mean `s3:GetObject`?".into());
        let fix = for_finding(text, &f).unwrap();
        assert_eq!((fix.replacement.as_str(), fix.safe), ("\"s3:GetObject\"", false));
    }

    #[test]
    fn details_fix_needs_a_fixable_rule_and_a_valid_span() {
        // S004's metadata says `fix = "none"`, so a details fix is ignored.
        let mut f = finding("S004", "pass-role-star", Span::new(0, 1), "x");
        f.details = Some(serde_json::json!({"fix": {"span": {"start": 0, "end": 1}, "replacement": "y"}}));
        assert_eq!(for_finding("x", &f), None);
    }
}
