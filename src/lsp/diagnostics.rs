//! Findings → LSP diagnostics: ranges in the negotiated encoding, severity, the rule code linked to
//! its docs, related locations from labels, help text, and the quick fix (if any) in `data`.

use super::fix::{self, Fix};
use super::position::{Encoding, PositionMap};
use crate::Settings;
use crate::config::{Config, Suppressor};
use crate::finding::{Finding, Severity};
use lsp_types::{
    CodeDescription, Diagnostic, DiagnosticRelatedInformation, DiagnosticSeverity, Location, NumberOrString, Uri,
};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::str::FromStr;

/// The `source` of every diagnostic.
pub const SOURCE: &str = "iamlint";

/// Lint one in-memory document and convert the findings to diagnostics. This is the whole of what
/// a `didChange` costs once the debounce has fired.
///
/// `path` picks the front end (policy JSON, templates, Terraform) exactly as for files on disk.
/// A panic inside the linter is caught and reported as one diagnostic, so the server keeps running.
pub fn lint_document(uri: &Uri, path: &str, text: &str, encoding: Encoding, settings: &Settings) -> Vec<Diagnostic> {
    lint_with_config(uri, path, text, encoding, settings, None)
}

/// [`lint_document`] under an `iamlint.toml`: its per-path settings refine `base`, and its `[[ignore]]`
/// entries suppress findings, as for `iamlint check`.
pub fn lint_with_config(
    uri: &Uri,
    path: &str,
    text: &str,
    encoding: Encoding,
    base: &Settings,
    config: Option<&Config>,
) -> Vec<Diagnostic> {
    let lint = || {
        let file = Path::new(path);
        let settings = config.map_or_else(|| base.clone(), |c| c.settings_for(file, base));
        let mut findings = crate::lint_file(path, text.as_bytes(), &settings);
        // `# iamlint-ignore RULES: reason` comments of YAML and HCL documents, as `check` applies them.
        let unused = crate::config::apply_comments(path, text, &mut findings, &settings);
        findings.extend(unused);
        if let Some(c) = config {
            Suppressor::new(c).apply(file, text, &mut findings);
        }
        to_diagnostics(uri, text, &findings, encoding)
    };
    // The conversion runs inside too: a bad span must not take the lint thread down.
    match catch_unwind(AssertUnwindSafe(lint)) {
        Ok(diagnostics) => diagnostics,
        Err(_) => vec![Diagnostic {
            range: lsp_types::Range::default(),
            severity: Some(DiagnosticSeverity::ERROR),
            source: Some(SOURCE.into()),
            message: "iamlint crashed while linting this document; please report it with the file attached".into(),
            ..Diagnostic::default()
        }],
    }
}

/// Convert findings about `text` (the document at `uri`) to diagnostics.
pub fn to_diagnostics(uri: &Uri, text: &str, findings: &[Finding], encoding: Encoding) -> Vec<Diagnostic> {
    let map = PositionMap::new(text, encoding);
    findings.iter().map(|f| diagnostic(uri, text, &map, f)).collect()
}

fn diagnostic(uri: &Uri, text: &str, map: &PositionMap<'_>, f: &Finding) -> Diagnostic {
    let meta = Some(f.rule.meta());
    let mut message = f.message.clone();
    if let Some(help) = &f.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    let related: Vec<DiagnosticRelatedInformation> = f
        .labels
        .iter()
        .map(|l| DiagnosticRelatedInformation {
            location: Location::new(uri.clone(), map.range(l.span)),
            message: l.message.to_string(),
        })
        .chain(f.related.iter().map(|r| DiagnosticRelatedInformation {
            location: Location::new(uri.clone(), map.range(r.span)),
            message: format!("{} {}: {}", r.rule.code(), r.rule.name(), r.message),
        }))
        .collect();
    let data = fix::for_finding(text, f).map(|fix: Fix| {
        let edit = fix.to_edit(map);
        serde_json::json!({ "fix": { "title": fix.title, "edit": edit, "safe": fix.safe } })
    });
    Diagnostic {
        range: map.range(f.span),
        severity: Some(severity(f.severity)),
        code: Some(NumberOrString::String(f.code().to_owned())),
        code_description: meta.and_then(|m| Uri::from_str(&m.doc_url()).ok()).map(|href| CodeDescription { href }),
        source: Some(SOURCE.into()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        tags: None,
        data,
    }
}

/// Errors and security warnings are what `check` fails on by default; suggestions are information, not
/// hints, because most editors hide hints entirely.
pub fn severity(s: Severity) -> DiagnosticSeverity {
    match s {
        Severity::Error => DiagnosticSeverity::ERROR,
        Severity::SecurityWarning | Severity::Warning => DiagnosticSeverity::WARNING,
        Severity::Suggestion => DiagnosticSeverity::INFORMATION,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn uri() -> Uri {
        Uri::from_str("file:///tmp/p.json").unwrap()
    }

    #[test]
    fn trailing_comma_has_utf16_range_code_link_and_fix() {
        let text = "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Sid\": \"é😀\", \"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"*\",}]}";
        let diags = lint_document(&uri(), "/tmp/p.json", text, Encoding::Utf16, &Settings::default());
        let d = diags.iter().find(|d| d.message.starts_with("trailing comma")).expect("a trailing comma diagnostic");
        let comma = text.rfind(',').unwrap();
        // é is one UTF-16 unit but two bytes; 😀 is two units but four bytes: 3 bytes fewer.
        assert_eq!(d.range.start.character as usize, comma - 3);
        assert_eq!(d.code, Some(NumberOrString::String("E000".into())));
        assert_eq!(d.source.as_deref(), Some("iamlint"));
        assert!(d.code_description.as_ref().unwrap().href.as_str().ends_with("/E000.md"));
        assert!(d.message.contains("\nhelp: "));
        assert!(d.data.as_ref().unwrap()["fix"]["edit"]["newText"] == "");
    }

    #[test]
    fn duplicate_key_points_at_the_first_one() {
        let text = "{\"Version\": \"2012-10-17\", \"Version\": \"2012-10-17\", \"Statement\": []}";
        let diags = lint_document(&uri(), "/tmp/p.json", text, Encoding::Utf16, &Settings::default());
        let d = diags.iter().find(|d| d.code == Some(NumberOrString::String("E001".into()))).unwrap();
        let related = d.related_information.as_ref().unwrap();
        assert_eq!(related[0].location.range.start.character, 1);
        assert_eq!(d.range.start.character, 26);
    }

    #[test]
    fn cloudformation_yaml_is_linted_with_its_fix() {
        let text = "Resources:\n  Role:\n    Type: AWS::IAM::Role\n    Properties:\n      AssumeRolePolicyDocument:\n        Version: \"2008-10-17\"\n        Statement:\n          - Effect: Allow\n            Principal: { Service: lambda.amazonaws.com }\n            Action: sts:AssumeRole\n";
        let u = Uri::from_str("file:///tmp/template.yaml").unwrap();
        let diags = lint_document(&u, "/tmp/template.yaml", text, Encoding::Utf16, &Settings::default());
        let d =
            diags.iter().find(|d| d.code == Some(NumberOrString::String("W002".into()))).expect("W002 in the template");
        assert_eq!((d.range.start.line, d.range.start.character), (5, 17));
        assert_eq!(d.data.as_ref().unwrap()["fix"]["edit"]["newText"], "\"2012-10-17\"");
    }

    #[test]
    fn garbage_does_not_panic() {
        for text in ["", "{", "{\"Statement\": [{\"Action\": \"s3:", "\u{feff}[}", "{\"a\":\"\\u12"] {
            let _ = lint_document(&uri(), "/tmp/p.json", text, Encoding::Utf16, &Settings::default());
        }
    }
}
