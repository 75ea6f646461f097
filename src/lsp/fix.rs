//! Quick fixes: the typed edit a rule attached to its finding ([`Finding::fix`]), offered as an LSP
//! code action when it still applies to the document's text.

use super::position::PositionMap;
use crate::finding::Applicability;
use crate::finding::Finding;
use crate::parse::Span;
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

/// The fix for `finding` in `text`, if its rule offered one and it still applies to the text.
pub fn for_finding(text: &str, finding: &Finding) -> Option<Fix> {
    let fix = finding.fix.as_deref()?;
    // The edit applies only while the span holds what the rule saw (a span off this text's
    // character boundaries belongs to another text).
    if text.get(fix.span.start..fix.span.end) != Some(fix.original.as_str()) {
        return None;
    }
    Some(Fix {
        title: fix.title.to_string(),
        span: fix.span,
        replacement: fix.replacement.clone(),
        safe: fix.applicability == Applicability::Safe,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::Rule;

    fn fix_of(text: &str, rule: Rule) -> Option<Fix> {
        let findings = crate::lint(text, &crate::Settings::default());
        let f = findings.iter().find(|f| f.rule == rule)?;
        for_finding(text, f)
    }

    #[test]
    fn trailing_comma_is_removed() {
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"},]}"#;
        let fix = fix_of(text, Rule::E000).expect("E000 offers a fix");
        assert_eq!((&text[fix.span.start..fix.span.end], fix.replacement.as_str(), fix.safe), (",", "", true));
        // The text changed since: the span no longer holds a comma, no fix.
        let findings = crate::lint(text, &crate::Settings::default());
        let f = findings.iter().find(|f| f.rule == Rule::E000).unwrap();
        let changed = text.replacen(",]", " ]", 1);
        assert_eq!(for_finding(&changed, f), None);
    }

    #[test]
    fn old_version_becomes_2012() {
        let text = r#"{"Version": "2008-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}"#;
        let fix = fix_of(text, Rule::W002).expect("W002 offers a fix");
        assert_eq!(fix.replacement, "\"2012-10-17\"");
        assert!(fix.safe);
    }

    #[test]
    fn unknown_action_did_you_mean_is_an_unsafe_fix() {
        let text = r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObjekt", "Resource": "*"}]}"#;
        let fix = fix_of(text, Rule::E024).expect("E024 offers its suggestion");
        assert_eq!((fix.replacement.as_str(), fix.safe), ("\"s3:GetObject\"", false));
    }

    /// The rule pages say which rules have a fix ("Fix: safe"): the rules that attach one declare it.
    #[test]
    fn rules_with_fixes_declare_them() {
        use crate::rules::FixKind;
        for (rule, kind) in [(Rule::E000, FixKind::Safe), (Rule::W002, FixKind::Safe), (Rule::E024, FixKind::Unsafe)] {
            assert_eq!(rule.meta().fix, kind, "{}", rule.code());
        }
    }

    #[test]
    fn a_fix_outside_the_text_is_not_offered() {
        let text = r#"{"Version": "2008-10-17", "Statement": []}"#;
        let findings = crate::lint(text, &crate::Settings::default());
        let f = findings.iter().find(|f| f.rule == Rule::W002).unwrap();
        assert_eq!(for_finding("{}", f), None);
    }
}
