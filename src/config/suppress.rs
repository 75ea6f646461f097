//! Suppressions (`[[ignore]]` entries) and the context that identifies a finding: the `Sid` or shape of
//! the statement it is in.

use super::{Config, Settings};
use crate::finding::Finding;
use crate::model::Policy;
use crate::parse::Span;
use std::path::Path;

/// Where in a policy a finding is: the `Sid` of its statement, and the statement's text without
/// insignificant whitespace (its "shape"), or nothing for findings outside any statement.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FindingContext {
    /// The statement's `Sid`, if any.
    pub sid: Option<String>,
    /// The statement's compact text, `policy` for document-level findings.
    pub shape: String,
}

/// The statements of one file, read once, to put findings in context.
pub struct FileContext<'a> {
    source: &'a str,
    statements: Vec<(Span, Option<String>)>,
}

impl<'a> FileContext<'a> {
    /// Read `source` (already linted; errors are ignored here).
    pub fn new(source: &'a str) -> Self {
        let parsed = crate::parse::parse(source);
        let statements = parsed
            .root
            .as_ref()
            .and_then(|root| Policy::from_json(root, None).policy)
            .map(|p| p.statements.into_iter().map(|s| (s.span, s.sid.map(|x| x.value))).collect())
            .unwrap_or_default();
        Self { source, statements }
    }

    /// Read the file `path` holding `source`: a policy, or the policies of a template, plan or dump, so
    /// that the `Sid`s of statements inside `CloudFormation` and Terraform count too.
    pub fn of_file(path: &Path, source: &'a str) -> Self {
        let name = path.to_string_lossy();
        match crate::sources::detect(&name, source) {
            Some(input) if input != crate::sources::InputType::Policy => {
                let t = crate::sources::extract(input, source, crate::parse::Limits::default());
                let statements = t
                    .policies
                    .iter()
                    .filter_map(|e| Policy::from_json(&e.root, e.kind).policy)
                    .flat_map(|p| p.statements.into_iter().map(|s| (s.span, s.sid.map(|x| x.value))))
                    .collect();
                Self { source, statements }
            }
            _ => Self::new(source),
        }
    }

    /// The context of a finding at `span`.
    pub fn of(&self, span: Span) -> FindingContext {
        match self.statements.iter().find(|(s, _)| s.start <= span.start && span.start < s.end) {
            Some((s, sid)) => {
                FindingContext { sid: sid.clone(), shape: compact(self.source.get(s.start..s.end).unwrap_or("")) }
            }
            None => FindingContext { sid: None, shape: "policy".into() },
        }
    }

    /// The source text of `span` without insignificant whitespace.
    pub fn text(&self, span: Span) -> String {
        compact(self.source.get(span.start..span.end).unwrap_or(""))
    }
}

/// JSON text without whitespace outside strings.
pub fn compact(text: &str) -> String {
    crate::parse::chars_outside_strings(text)
        .filter(|&(_, c, outside)| !(outside && c.is_whitespace()))
        .map(|(_, c, _)| c)
        .collect()
}

/// Applies the `[[ignore]]` entries of a configuration across a run and remembers which were used.
pub struct Suppressor<'c> {
    config: &'c Config,
    used: Vec<bool>,
    seen_file: Vec<bool>,
}

impl<'c> Suppressor<'c> {
    /// Start a run.
    pub fn new(config: &'c Config) -> Self {
        let n = config.ignores.len();
        Self { config, used: vec![false; n], seen_file: vec![false; n] }
    }

    /// Drop the findings of one file that an entry suppresses.
    pub fn apply(&mut self, path: &Path, source: &str, findings: &mut Vec<Finding>) {
        let rel = self.config.relative(path);
        let entries: Vec<usize> =
            (0..self.config.ignores.len()).filter(|&i| self.config.ignores[i].path.is_match(&rel)).collect();
        if entries.is_empty() {
            return;
        }
        for &i in &entries {
            self.seen_file[i] = true;
        }
        let needs_context = entries.iter().any(|&i| self.config.ignores[i].sid.is_some());
        let cx = needs_context.then(|| FileContext::of_file(path, source));
        let needs_resources = entries.iter().any(|&i| self.config.ignores[i].resource.is_some());
        let resources = if needs_resources { resources(path, source) } else { Vec::new() };
        let matches = |i: usize, rule: crate::rules::Rule, span: crate::parse::Span| {
            let e = &self.config.ignores[i];
            rule.selected_by(&e.rule)
                && e.sid.as_ref().is_none_or(|sid| cx.as_ref().and_then(|c| c.of(span).sid).is_some_and(|s| &s == sid))
                && e.resource.as_ref().is_none_or(|r| resource_of(&resources, span).is_some_and(|at| at == r))
        };
        let mut used = Vec::new();
        findings.retain_mut(|f| {
            if let Some(i) = entries.iter().copied().find(|&i| matches(i, f.rule, f.span)) {
                // Suppressing a family's primary finding silences the family.
                used.push(i);
                return false;
            }
            // An entry for a folded rule accepts that part only.
            f.related.retain(|r| match entries.iter().copied().find(|&i| matches(i, r.rule, r.span)) {
                Some(i) => {
                    used.push(i);
                    false
                }
                None => true,
            });
            true
        });
        for i in used {
            self.used[i] = true;
        }
    }

    /// `W000 unused-ignore` findings (spans into the configuration file) for entries that suppressed
    /// nothing. An entry counts as unused only if this run could have used it: it matched a linted
    /// file, or the run covered the whole configuration directory. Entries for rules that are turned
    /// off in this run are not judged.
    pub fn unused(&self, settings: &Settings, covered_root: bool) -> Vec<Finding> {
        let linter = settings.resolve();
        let mut entries = Vec::new();
        for (i, e) in self.config.ignores.iter().enumerate() {
            if self.used[i] || !(self.seen_file[i] || covered_root) {
                continue;
            }
            if !crate::rules::Rule::ALL.iter().any(|r| r.selected_by(&e.rule) && linter.enabled(*r)) {
                continue;
            }
            entries.push(crate::rules::UnusedIgnore {
                span: e.span,
                rule: e.rule.clone(),
                path: e.path.pattern.clone(),
                sid: e.sid.clone(),
                matched_file: self.seen_file[i],
            });
        }
        crate::rules::unused_ignores(&self.config.source, &entries, &linter)
    }
}

/// The resources of a template and the spans of their policies: `(span, logical id or address)`.
fn resources(path: &Path, source: &str) -> Vec<(Span, String)> {
    let name = path.to_string_lossy();
    let Some(input) = crate::sources::detect(&name, source) else { return Vec::new() };
    if input == crate::sources::InputType::Policy {
        return Vec::new();
    }
    let t = crate::sources::extract(input, source, crate::parse::Limits::default());
    let mut out: Vec<(Span, String)> = t
        .policies
        .iter()
        .filter(|p| !p.owner.is_empty())
        .map(|p| (p.root.span, p.owner.split(" (").next().unwrap_or(&p.owner).to_string()))
        .collect();
    out.extend(t.roles.iter().filter_map(|r| r.trust.map(|span| (span, r.logical_id.clone()))));
    out
}

/// The resource whose policy holds `span`: the innermost one.
fn resource_of(resources: &[(Span, String)], span: Span) -> Option<&str> {
    resources
        .iter()
        .filter(|(s, _)| s.start <= span.start && span.start < s.end.max(s.start + 1))
        .min_by_key(|(s, _)| s.end - s.start)
        .map(|(_, r)| r.as_str())
}

/// One `# iamlint-ignore RULES: reason` comment of a YAML or HCL file.
#[derive(Debug)]
struct CommentIgnore {
    /// The comment.
    span: Span,
    rules: Vec<String>,
    reason: Option<String>,
    /// The bytes it covers: its own line when it trails code, else the block that follows it.
    scope: std::ops::Range<usize>,
    used: bool,
}

/// Whether `path` is a file kind with comments where `# iamlint-ignore` applies (YAML, HCL).
pub fn has_comment_suppressions(path: &str) -> bool {
    let lower = path.to_ascii_lowercase();
    [".yaml", ".yml", ".template", ".tf"].iter().any(|e| lower.ends_with(e))
}

fn comment_ignores(path: &str, source: &str) -> Vec<CommentIgnore> {
    let hcl = path.to_ascii_lowercase().ends_with(".tf");
    let lines: Vec<(usize, &str)> = source
        .split_inclusive('\n')
        .scan(0usize, |at, l| {
            let start = *at;
            *at += l.len();
            Some((start, l))
        })
        .collect();
    let mut out = Vec::new();
    for (n, &(start, line)) in lines.iter().enumerate() {
        let Some(at) = line.find("iamlint-ignore") else { continue };
        let before = &line[..at];
        let marker = before.trim_end();
        let comment_start = if marker.ends_with('#') {
            marker.len() - 1
        } else if hcl && marker.ends_with("//") {
            marker.len() - 2
        } else {
            continue;
        };
        let code = &line[..comment_start];
        // A `#` inside a string is not a comment: require balanced quotes before it.
        if code.matches('"').count() % 2 == 1 || code.matches('\'').count() % 2 == 1 {
            continue;
        }
        let body = line[at + "iamlint-ignore".len()..].trim_end();
        let (rules, reason) = match body.split_once(':') {
            Some((r, why)) => (r, Some(why.trim().to_string()).filter(|w| !w.is_empty())),
            None => (body, None),
        };
        let rules: Vec<String> =
            rules.split([',', ' ']).map(str::trim).filter(|r| !r.is_empty()).map(str::to_string).collect();
        let span = Span::new(start + comment_start, start + line.trim_end().len());
        let scope = if code.trim().is_empty() { block_after(&lines, n, hcl) } else { start..start + line.len() };
        out.push(CommentIgnore { span, rules, reason, scope, used: false });
    }
    out
}

/// The block after line `n`: the next line of code and, in YAML, every more-indented line after it;
/// in HCL, through the `}` that closes a `{` it opens.
fn block_after(lines: &[(usize, &str)], n: usize, hcl: bool) -> std::ops::Range<usize> {
    let is_code = |l: &str| {
        let t = l.trim();
        !t.is_empty() && !t.starts_with('#') && !t.starts_with("//")
    };
    let Some(first) = (n + 1..lines.len()).find(|&i| is_code(lines[i].1)) else {
        return 0..0;
    };
    let (start, head) = lines[first];
    let mut end = start + head.len();
    if hcl {
        let mut depth = head.matches('{').count() as i64 - head.matches('}').count() as i64;
        let mut i = first + 1;
        while depth > 0 && i < lines.len() {
            depth += lines[i].1.matches('{').count() as i64 - lines[i].1.matches('}').count() as i64;
            end = lines[i].0 + lines[i].1.len();
            i += 1;
        }
    } else {
        let indent = |l: &str| l.len() - l.trim_start().len();
        let base = indent(head);
        for &(s, l) in &lines[first + 1..] {
            if is_code(l) && indent(l) <= base {
                break;
            }
            end = s + l.len();
        }
    }
    start..end
}

/// Apply the `# iamlint-ignore RULES: reason` comments of a YAML or HCL file to its findings, and
/// return `W000 unused-ignore` findings (spans into the same file) for comments that suppressed
/// nothing, have no reason, or name no rule.
pub fn apply_comments(path: &str, source: &str, findings: &mut Vec<Finding>, settings: &Settings) -> Vec<Finding> {
    if !has_comment_suppressions(path) || !source.contains("iamlint-ignore") {
        return Vec::new();
    }
    let mut comments = comment_ignores(path, source);
    if comments.is_empty() {
        return Vec::new();
    }
    let hits = |c: &CommentIgnore, rule: crate::rules::Rule, at: usize| {
        c.reason.is_some()
            && c.scope.contains(&at)
            && c.rules.iter().any(|r| super::known_selector(r) && rule.selected_by(r))
    };
    findings.retain_mut(|f| {
        if let Some(c) = comments.iter_mut().find(|c| hits(c, f.rule, f.span.start)) {
            // Suppressing a family's primary finding silences the family.
            c.used = true;
            return false;
        }
        // A comment for a folded rule accepts that part only.
        f.related.retain(|r| match comments.iter_mut().find(|c| hits(c, r.rule, r.span.start)) {
            Some(c) => {
                c.used = true;
                false
            }
            None => true,
        });
        true
    });
    let linter = settings.resolve();
    let mut out = Vec::new();
    for c in comments.iter().filter(|c| !c.used) {
        let rule = c.rules.join(",");
        let entry = crate::rules::UnusedIgnore {
            span: c.span,
            rule: rule.clone(),
            path: path.to_string(),
            sid: None,
            matched_file: true,
        };
        let (message, help) = if c.rules.is_empty() {
            ("`iamlint-ignore` names no rule".to_string(), "write `# iamlint-ignore S201: why it is accepted`")
        } else if let Some(bad) = c.rules.iter().find(|r| !super::known_selector(r)) {
            (format!("`{bad}` in this `iamlint-ignore` comment is not a rule"), "use a code, name, prefix or category")
        } else if c.reason.is_none() {
            (
                format!("the `iamlint-ignore` comment for `{rule}` has no reason, so it suppresses nothing"),
                "write the reason after a colon: `# iamlint-ignore S201: why it is accepted`",
            )
        } else {
            (
                format!("the `iamlint-ignore` comment for `{rule}` matched no finding"),
                "delete the comment, or fix its rule or place (it covers its own line, or the block below it)",
            )
        };
        for mut f in crate::rules::unused_ignores(source, std::slice::from_ref(&entry), &linter) {
            f.message.clone_from(&message);
            f.help = Some(help.into());
            out.push(f);
        }
    }
    out
}
