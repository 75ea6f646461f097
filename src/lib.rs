//! iamlint: lint AWS IAM policies and verify them offline.
//!
//! The pipeline is `parse` (text → JSON tree with spans) → `model` (typed policy) → `rules`
//! (findings) → `output` (human, concise, JSON, ...). Each layer imports only the ones before it.

pub mod account;
pub mod catalog;
pub mod cli;
pub mod config;
#[doc(hidden)]
pub mod corpus;
pub mod eval;
pub mod finding;
pub mod lsp;
pub mod model;
pub mod online;
pub mod output;
pub mod parse;
pub mod privesc;
pub mod rules;
pub mod semantics;
pub mod sources;
pub mod trust;

pub use config::Settings;
pub use finding::{Finding, Severity};

use model::Policy;

/// Lint one file's raw bytes. The front end is `settings.input_type` or else detected from the path
/// and content (see [`sources::detect`]): a policy, a CloudFormation/SAM template, Terraform HCL, a
/// Terraform plan or an account dump. A file that holds nothing IAM-related (a `package.json`, a CI
/// workflow) gives no finding. Encoding and syntax problems are findings too.
pub fn lint_file(path: &str, bytes: &[u8], settings: &Settings) -> Vec<Finding> {
    let text = match parse::decode(bytes) {
        Ok(text) => text,
        Err(issue) => return syntax_findings(std::slice::from_ref(&issue), settings),
    };
    // Every document of a template or dump shares the file's line index.
    parse::LineIndex::scope(text, || lint_text(path, text, settings))
}

fn lint_text(path: &str, text: &str, settings: &Settings) -> Vec<Finding> {
    if path.ends_with(".principal.toml") {
        return lint_principal_file(path, text, settings);
    }
    let Some(input) = settings.input_type.or_else(|| sources::detect(path, text)) else {
        return Vec::new();
    };
    if input == sources::InputType::Policy {
        let mut findings = lint(text, settings);
        trust::power::annotate(std::path::Path::new(path), &mut findings);
        return findings;
    }
    let template = sources::extract(input, text, parse::Limits { max_depth: settings.max_depth });
    let mut findings = syntax_findings(&template.issues, settings);
    locate_duplicates(text, &mut findings);
    for embedded in &template.policies {
        let first = findings.len();
        lint_node(text, &embedded.root, embedded.kind.or(settings.policy_kind), settings, &mut findings);
        if let Some(role) =
            template.roles.iter().find(|r| r.trust.as_ref().is_some_and(|t| t.span == embedded.root.span))
            && let Some(power) = trust::power::template_role(text, role, path)
        {
            trust::power::annotate_with(std::slice::from_ref(&power), &mut findings[first..]);
        }
        for f in &mut findings[first..] {
            if f.principal.is_none() && !embedded.owner.is_empty() {
                f.principal = Some(embedded.owner.clone());
            }
            if let Some(note) = &embedded.note
                && f.details.is_none()
            {
                f.details = Some(serde_json::json!({ "location": note }));
            }
        }
    }
    if input == sources::InputType::Account {
        // In a dump, escalation and admin access are judged per principal (its policies, groups and
        // boundary together, plus paths through the account), not per document.
        findings.retain(|f| !f.code.starts_with("S2"));
        findings.extend(account::lint_account(path, text, settings));
    }
    snap_to_characters(text, &mut findings);
    sort_findings(&mut findings);
    findings.shrink_to_fit();
    findings
}

/// Check a principal definition file (`*.principal.toml`): every expectation is evaluated offline and
/// each mismatch is a V001 finding; a file that cannot be loaded is one E000 finding at its location.
pub fn lint_principal_file(path: &str, text: &str, settings: &Settings) -> Vec<Finding> {
    match eval::principal::PrincipalFile::load(std::path::Path::new(path), text, &eval::principal::Catalog) {
        Ok(file) => eval::verify::verify(&file, settings),
        Err(e) => {
            let span = e.span.unwrap_or_default();
            rules::finding("E000", settings, span, format!("invalid principal file: {}", e.message))
                .into_iter()
                .collect()
        }
    }
}

/// Say where both keys of a duplicate-key finding are, as [`lint`] does for a policy file.
fn locate_duplicates(source: &str, findings: &mut [Finding]) {
    // The line index costs a pass over the text: build it only when there is something to locate.
    if !findings.iter().any(|f| f.code == "E001") {
        return;
    }
    let index = parse::LineIndex::shared(source);
    for f in findings.iter_mut().filter(|f| f.code == "E001") {
        if let Some(first) = f.labels.first() {
            let here = index.line_col(source, f.span.start);
            let there = index.line_col(source, first.span.start);
            f.message = format!(
                "{} at line {} column {}; first defined at line {} column {}",
                f.message, here.line, here.column, there.line, there.column
            );
        }
    }
}

/// Lint raw bytes of one policy document. Encoding problems are findings too.
pub fn lint_bytes(bytes: &[u8], settings: &Settings) -> Vec<Finding> {
    match parse::decode(bytes) {
        Ok(text) => lint(text, settings),
        Err(issue) => syntax_findings(std::slice::from_ref(&issue), settings),
    }
}

/// Lint one policy document.
pub fn lint(source: &str, settings: &Settings) -> Vec<Finding> {
    let parsed = parse::parse_with(source, parse::Limits { max_depth: settings.max_depth });
    let mut findings = syntax_findings(&parsed.issues, settings);
    locate_duplicates(source, &mut findings);
    if let Some(root) = &parsed.root {
        lint_node(source, root, settings.policy_kind, settings, &mut findings);
    }
    snap_to_characters(source, &mut findings);
    sort_findings(&mut findings);
    findings.shrink_to_fit();
    findings
}

/// Lint one policy given as a JSON tree whose spans point into `source` — the policy file itself, or a
/// template/plan that embeds it. `kind` overrides detection.
pub fn lint_node(
    source: &str,
    root: &parse::Node,
    kind: Option<model::PolicyKind>,
    settings: &Settings,
    findings: &mut Vec<Finding>,
) {
    let built = Policy::from_json(root, kind);
    for issue in built.issues {
        if let Some(mut f) = rules::finding("E002", settings, issue.span, issue.message) {
            f.help = issue.help.map(Into::into);
            findings.push(f);
        }
    }
    if let Some(policy) = &built.policy {
        rules::run(source, policy, settings, findings);
    }
}

/// Widen every span to whole characters of `source` and keep it inside the text. Rules anchor on "the
/// first character" of an element by adding one byte, which in a YAML template can be the middle of
/// a multi-byte key (found by the `sources` fuzz target); one pass here keeps every output's
/// line:column and slicing sound whatever a rule computed.
pub fn snap_to_characters(source: &str, findings: &mut [Finding]) {
    let snap = |span: &mut parse::Span| {
        let mut start = span.start.min(source.len());
        while !source.is_char_boundary(start) {
            start -= 1;
        }
        let mut end = span.end.clamp(start, source.len());
        while !source.is_char_boundary(end) {
            end += 1;
        }
        *span = parse::Span::new(start, end);
    };
    for f in findings {
        snap(&mut f.span);
        for label in &mut f.labels {
            snap(&mut label.span);
        }
    }
}

/// Sort findings by position, then code: the order every output uses.
pub fn sort_findings(findings: &mut [Finding]) {
    findings.sort_by(|a, b| (a.span.start, a.code, a.span.end).cmp(&(b.span.start, b.code, b.span.end)));
}

fn syntax_findings(issues: &[parse::SyntaxIssue], settings: &Settings) -> Vec<Finding> {
    issues
        .iter()
        .filter_map(|issue| {
            let code = if issue.kind == parse::IssueKind::DuplicateKey { "E001" } else { "E000" };
            let mut f = rules::finding(code, settings, issue.span, issue.message.clone())?;
            f.help = issue.help.clone().map(Into::into);
            if let Some((span, msg)) = &issue.related {
                f = f.with_label(*span, msg.clone());
            }
            Some(f)
        })
        .collect()
}
