//! `iamlint.toml`: reading, validating (with spans) and resolving per-file settings.

use super::{ConfigError, Settings};
use crate::finding::Severity;
use crate::model::PolicyKind;
use globset::{GlobBuilder, GlobMatcher};
use miette::NamedSource;
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use toml::Spanned;

/// The name iamlint looks for when walking up from the linted path.
pub const CONFIG_FILE: &str = "iamlint.toml";

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawConfig {
    #[serde(default)]
    select: Vec<Spanned<String>>,
    /// Rule selectors (strings) and `[[ignore]]` suppressions (tables), in one TOML array.
    #[serde(default)]
    ignore: Option<Spanned<Vec<Spanned<toml::Value>>>>,
    #[serde(default)]
    severity: BTreeMap<Spanned<String>, Severity>,
    #[serde(default)]
    trusted_accounts: Vec<Spanned<String>>,
    #[serde(default)]
    trusted_org_ids: Vec<Spanned<String>>,
    #[serde(default)]
    limits: Option<RawLimits>,
    #[serde(default)]
    policy_type: Vec<RawPolicyType>,
    #[serde(default)]
    overrides: Vec<RawOverride>,
    #[serde(default)]
    diff: Option<RawDiff>,
    #[serde(default)]
    forbid: Vec<Spanned<RawInvariant>>,
    #[serde(default)]
    require: Vec<Spanned<RawInvariant>>,
    #[serde(default)]
    escalation: Vec<Spanned<RawEscalation>>,
    #[serde(default)]
    sensitive: Vec<Spanned<RawSensitive>>,
}

/// A `[[sensitive]]` entry: ARN patterns and why they matter.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawSensitive {
    resources: Spanned<Vec<Spanned<String>>>,
    #[serde(default)]
    reason: Option<String>,
}

/// An `[[escalation]]` entry: a privilege-escalation method in the shape of the built-in catalog's
/// `[[method]]` tables (its `snake_case` keys are accepted too).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawEscalation {
    id: Spanned<String>,
    category: crate::privesc::MethodCategory,
    requires: Spanned<Vec<Spanned<Vec<Spanned<String>>>>>,
    #[serde(default, alias = "passed_to_service")]
    passed_to_service: Option<Spanned<String>>,
    #[serde(default, alias = "trusted_by")]
    trusted_by: Vec<String>,
    #[serde(default = "any_target")]
    target: crate::privesc::Target,
    #[serde(default = "no_needs")]
    needs: crate::privesc::Needs,
    #[serde(default, alias = "capped_by_boundary")]
    capped_by_boundary: bool,
    #[serde(default)]
    context: BTreeMap<String, String>,
    #[serde(alias = "description")]
    summary: Option<String>,
}

fn any_target() -> crate::privesc::Target {
    crate::privesc::Target::Any
}

fn no_needs() -> crate::privesc::Needs {
    crate::privesc::Needs::None
}

/// A `[[forbid]]` or `[[require]]` entry: the same keys, except that `[[forbid]]` takes an optional
/// `unless` and `[[require]]` a mandatory `condition` (checked in [`invariant`], with a span).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawInvariant {
    id: Spanned<String>,
    actions: Spanned<Vec<Spanned<String>>>,
    #[serde(default)]
    resources: Option<Spanned<Vec<Spanned<String>>>>,
    #[serde(default)]
    principals: Option<Spanned<Vec<Spanned<String>>>>,
    #[serde(default)]
    paths: Vec<Spanned<String>>,
    #[serde(default)]
    severity: Option<Severity>,
    #[serde(default)]
    unless: Option<Spanned<toml::Table>>,
    #[serde(default)]
    condition: Option<Spanned<toml::Table>>,
    #[serde(default)]
    reason: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawDiff {
    #[serde(default)]
    allow: Vec<Spanned<RawDiffAllow>>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawDiffAllow {
    action: Spanned<String>,
    reason: String,
}

/// One `[[diff.allow]]` entry: new access to these actions is accepted by `iamlint diff`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DiffAllow {
    /// An action pattern (`s3:GetObject`, `logs:*`), case-insensitive like `Action`.
    pub action: String,
    /// Why the new access is accepted.
    pub reason: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawLimits {
    identity_policy_size: Option<usize>,
    trust_policy_size: Option<usize>,
    scp_size: Option<usize>,
    rcp_size: Option<usize>,
    session_policy_size: Option<usize>,
    resource_policy_size: Option<usize>,
    max_file_size: Option<u64>,
    max_depth: Option<usize>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawPolicyType {
    path: Spanned<String>,
    #[serde(rename = "type")]
    kind: Spanned<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawOverride {
    path: Spanned<String>,
    #[serde(default)]
    select: Vec<Spanned<String>>,
    #[serde(default)]
    ignore: Vec<Spanned<String>>,
    #[serde(default)]
    severity: BTreeMap<Spanned<String>, Severity>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct RawIgnore {
    rule: String,
    path: String,
    sid: Option<String>,
    resource: Option<String>,
    reason: String,
}

/// A glob relative to the configuration directory. A glob without `/` also matches file names.
#[derive(Clone, Debug)]
pub struct PathGlob {
    /// The pattern as written.
    pub pattern: String,
    matcher: GlobMatcher,
    basename: bool,
}

impl PathGlob {
    fn new(pattern: &Spanned<String>, src: &NamedSource<String>) -> Result<Self, ConfigError> {
        let p = pattern.get_ref();
        let glob = GlobBuilder::new(p).literal_separator(true).build().map_err(|e| ConfigError::BadGlob {
            pattern: p.clone(),
            reason: e.kind().to_string(),
            src: src.clone(),
            span: pattern.span().into(),
        })?;
        Ok(Self { pattern: p.clone(), matcher: glob.compile_matcher(), basename: !p.contains('/') })
    }

    /// Whether `rel` (a path relative to the configuration directory) matches.
    pub fn is_match(&self, rel: &Path) -> bool {
        self.matcher.is_match(rel) || (self.basename && rel.file_name().is_some_and(|n| self.matcher.is_match(n)))
    }
}

#[derive(Clone, Debug, Default)]
struct Layer {
    select: Option<Vec<String>>,
    ignore: Vec<String>,
    severity: Vec<(String, Severity)>,
}

#[derive(Clone, Debug)]
struct Override {
    glob: PathGlob,
    layer: Layer,
}

/// One `[[ignore]]` suppression.
#[derive(Clone, Debug)]
pub struct IgnoreEntry {
    /// Rule selector (code, name, prefix or category).
    pub rule: String,
    /// Which files.
    pub path: PathGlob,
    /// Only findings in the statement with this `Sid`.
    pub sid: Option<String>,
    /// Only findings in this resource of a template: a `CloudFormation` logical id or a Terraform address.
    pub resource: Option<String>,
    /// Why the finding is accepted.
    pub reason: String,
    /// The `rule` value in the file, for the unused-ignore finding.
    pub span: crate::parse::Span,
}

/// A loaded `iamlint.toml`.
#[derive(Clone, Debug)]
pub struct Config {
    /// The file.
    pub path: PathBuf,
    /// Its directory (absolute): globs are relative to it.
    pub root: PathBuf,
    /// Its text.
    pub source: String,
    base: Layer,
    overrides: Vec<Override>,
    policy_types: Vec<(PathGlob, PolicyKind)>,
    /// `[[ignore]]` entries.
    pub ignores: Vec<IgnoreEntry>,
    /// The span of the `ignore` array when it was written inline (`ignore = [...]`), for `--add-ignores`.
    pub ignore_array: Option<std::ops::Range<usize>>,
    limits: RawLimitsResolved,
    trusted_accounts: Vec<String>,
    trusted_org_ids: Vec<String>,
    /// `[[diff.allow]]` entries.
    pub diff_allow: Vec<DiffAllow>,
    /// `[[forbid]]` and `[[require]]` invariants, with the globs of the files they apply to (none:
    /// every file), in the order of the file (every `[[forbid]]` first).
    invariants: Vec<(Vec<PathGlob>, crate::rules::Invariant)>,
    /// `[[escalation]]` methods.
    pub escalation: &'static [crate::privesc::Method],
    /// `[[sensitive]]` resources.
    pub sensitive: Vec<crate::rules::Sensitive>,
}

#[derive(Clone, Debug, Default)]
struct RawLimitsResolved {
    identity: Option<usize>,
    trust: Option<usize>,
    scp: Option<usize>,
    rcp: Option<usize>,
    session: Option<usize>,
    resource: Option<usize>,
    max_file_size: Option<u64>,
    max_depth: Option<usize>,
}

/// Whether a selector names at least one rule.
pub fn known_selector(sel: &str) -> bool {
    crate::rules::Rule::ALL.iter().any(|r| r.selected_by(sel))
}

fn invalid(e: &toml::de::Error, src: &NamedSource<String>) -> ConfigError {
    ConfigError::Invalid {
        message: e.message().trim_end_matches('\n').to_string(),
        src: src.clone(),
        span: e.span().map(|r| (r.start, r.len()).into()),
    }
}

fn selectors(list: &[Spanned<String>], key: &str, src: &NamedSource<String>) -> Result<Vec<String>, ConfigError> {
    list.iter()
        .map(|s| {
            if known_selector(s.get_ref()) {
                Ok(s.get_ref().clone())
            } else {
                Err(ConfigError::UnknownRule {
                    code: s.get_ref().clone(),
                    key: key.into(),
                    src: src.clone(),
                    span: s.span().into(),
                })
            }
        })
        .collect()
}

fn severities(
    map: &BTreeMap<Spanned<String>, Severity>,
    src: &NamedSource<String>,
) -> Result<Vec<(String, Severity)>, ConfigError> {
    let mut out = Vec::new();
    for (k, v) in map {
        if !known_selector(k.get_ref()) {
            return Err(ConfigError::UnknownRule {
                code: k.get_ref().clone(),
                key: "severity".into(),
                src: src.clone(),
                span: k.span().into(),
            });
        }
        out.push((k.get_ref().clone(), *v));
    }
    // Narrower selectors win: apply categories and prefixes first, exact codes and names last.
    out.sort_by_key(|(k, _)| crate::rules::Rule::find(k).is_some());
    Ok(out)
}

fn bad(message: String, src: &NamedSource<String>, span: std::ops::Range<usize>) -> ConfigError {
    ConfigError::Invalid { message, src: src.clone(), span: Some(span.into()) }
}

/// Check an action pattern of `[[forbid]]` (or another table, named by `table`) against the catalog:
/// a known service prefix, and an action (or, with wildcards, at least one) of that service.
fn catalog_action(a: &Spanned<String>, table: &str, src: &NamedSource<String>) -> Result<String, ConfigError> {
    let text = a.get_ref().trim();
    if text == "*" {
        return Ok(text.to_string());
    }
    let cat = crate::catalog::catalog();
    let Some((service, name)) = text.split_once(':').filter(|(s, n)| !s.is_empty() && !n.is_empty()) else {
        return Err(bad(
            format!("`{text}` in `[[{table}]]` is not an action pattern (`service:Action`, wildcards allowed)"),
            src,
            a.span(),
        ));
    };
    if !crate::semantics::has_wildcard(service) && cat.service(service).is_none() {
        let hint = crate::rules::util::closest(&service.to_ascii_lowercase(), cat.service_prefixes())
            .map_or_else(String::new, |p| format!("; did you mean `{p}`?"));
        return Err(bad(format!("`{service}` in `[[{table}]]` is not an AWS service prefix{hint}"), src, a.span()));
    }
    if !crate::semantics::has_wildcard(text) && cat.action(text).is_none() {
        let hint = cat.suggest_action(text).map_or_else(String::new, |s| format!("; did you mean `{s}`?"));
        return Err(bad(format!("`{text}` in `[[{table}]]` is not an action{hint}"), src, a.span()));
    }
    if crate::semantics::has_wildcard(name) && cat.expand(text).is_empty() {
        return Err(bad(format!("`{text}` in `[[{table}]]` matches no action of the catalog"), src, a.span()));
    }
    Ok(text.to_string())
}

/// A condition block (`unless` of `[[forbid]]`, `condition` of `[[require]]`) as IAM JSON:
/// `{Operator = {key = value(s)}}`. `at` names the key and table in messages.
fn condition_block(t: &Spanned<toml::Table>, at: &str, src: &NamedSource<String>) -> Result<String, ConfigError> {
    let shape = || {
        bad(
            format!("{at} must be a condition block: `{{ Operator = {{ \"key\" = \"value\" or [values] }} }}`"),
            src,
            t.span(),
        )
    };
    let mut block = serde_json::Map::new();
    for (op, entries) in t.get_ref() {
        let base = op.split_once(':').map_or(op.as_str(), |(_, b)| b);
        let base = base.strip_suffix("IfExists").unwrap_or(base);
        if crate::rules::util::operator(base).is_none() {
            return Err(bad(format!("`{op}` in {at} is not a condition operator"), src, t.span()));
        }
        let toml::Value::Table(entries) = entries else { return Err(shape()) };
        let mut keys = serde_json::Map::new();
        for (key, v) in entries {
            let one = |v: &toml::Value| match v {
                toml::Value::String(s) => Some(serde_json::Value::String(s.clone())),
                toml::Value::Boolean(b) => Some(serde_json::Value::String(b.to_string())),
                toml::Value::Integer(i) => Some(serde_json::Value::String(i.to_string())),
                _ => None,
            };
            let value = match v {
                toml::Value::Array(items) => {
                    serde_json::Value::Array(items.iter().map(one).collect::<Option<Vec<_>>>().ok_or_else(shape)?)
                }
                v => one(v).ok_or_else(shape)?,
            };
            keys.insert(key.clone(), value);
        }
        block.insert(op.clone(), serde_json::Value::Object(keys));
    }
    if block.is_empty() {
        return Err(shape());
    }
    Ok(serde_json::Value::Object(block).to_string())
}

/// A resource or principal pattern of an invariant: `*`, or an ARN pattern with its six fields
/// (`arn:partition:service:region:account:resource`, wildcards allowed).
fn arn_pattern(text: &str) -> bool {
    text == "*"
        || crate::semantics::arn::Arn::parse(text)
            .is_some_and(|a| !a.partition.is_empty() && !a.service.is_empty() && !a.resource.is_empty())
}

/// One `[[forbid]]` or `[[require]]` entry, validated.
fn invariant(
    kind: crate::rules::InvariantKind,
    f: &Spanned<RawInvariant>,
    src: &NamedSource<String>,
) -> Result<(Vec<PathGlob>, crate::rules::Invariant), ConfigError> {
    use crate::rules::InvariantKind;
    let table = kind.table();
    let e = f.get_ref();
    let id = e.id.get_ref().trim();
    if id.is_empty() {
        return Err(bad(format!("`[[{table}]]` entry has an empty `id`"), src, e.id.span()));
    }
    let reason = e.reason.as_deref().map(str::trim).unwrap_or_default();
    if reason.is_empty() {
        let why = match kind {
            InvariantKind::Forbid => "say why this access is forbidden",
            InvariantKind::Require => "say why the condition is required",
        };
        return Err(bad(format!("`[[{table}]]` entry `{id}` has no `reason`: {why}"), src, f.span()));
    }
    if e.actions.get_ref().is_empty() {
        return Err(bad(format!("`[[{table}]]` entry `{id}` has no `actions`"), src, e.actions.span()));
    }
    let actions = e.actions.get_ref().iter().map(|a| catalog_action(a, table, src)).collect::<Result<Vec<_>, _>>()?;
    // `resources` and `principals`: ARN patterns or `*`, `["*"]` when absent.
    let list = |l: &Option<Spanned<Vec<Spanned<String>>>>, key: &str, what: &str| -> Result<Vec<String>, ConfigError> {
        let Some(l) = l else { return Ok(vec!["*".to_string()]) };
        if l.get_ref().is_empty() {
            return Err(bad(format!("`{key}` of `[[{table}]]` entry `{id}` is empty"), src, l.span()));
        }
        l.get_ref()
            .iter()
            .map(|item| {
                let text = item.get_ref().trim();
                if arn_pattern(text) {
                    Ok(text.to_string())
                } else {
                    Err(bad(
                        format!(
                            "`{text}` in `[[{table}]]` is not a {what} ARN pattern (`arn:partition:service:region:account:resource`, or `*`)"
                        ),
                        src,
                        item.span(),
                    ))
                }
            })
            .collect()
    };
    let resources = list(&e.resources, "resources", "resource")?;
    let principals = list(&e.principals, "principals", "principal")?;
    // `[[forbid]]` takes an optional `unless`, `[[require]]` a mandatory `condition`.
    let (own, key, other, other_key, other_table) = match kind {
        InvariantKind::Forbid => (&e.unless, "unless", &e.condition, "condition", "require"),
        InvariantKind::Require => (&e.condition, "condition", &e.unless, "unless", "forbid"),
    };
    if let Some(o) = other {
        return Err(bad(
            format!("`{other_key}` belongs to `[[{other_table}]]`; `[[{table}]]` entry `{id}` takes `{key}`"),
            src,
            o.span(),
        ));
    }
    if kind == InvariantKind::Require && own.is_none() {
        return Err(bad(
            format!("`[[require]]` entry `{id}` has no `condition`: the condition every allowed request must meet"),
            src,
            f.span(),
        ));
    }
    let unless = own.as_ref().map(|t| condition_block(t, &format!("`{key}` in `[[{table}]]`"), src)).transpose()?;
    let globs = e.paths.iter().map(|p| PathGlob::new(p, src)).collect::<Result<Vec<_>, _>>()?;
    Ok((
        globs,
        crate::rules::Invariant {
            kind,
            id: id.to_string(),
            actions,
            resources,
            principals,
            unless,
            severity: e.severity.unwrap_or(Severity::SecurityWarning),
            reason: reason.to_string(),
        },
    ))
}

/// One `[[sensitive]]` entry, validated: resource ARN patterns (not `*`: everything is not a
/// sensitive resource) and a reason.
fn sensitive_entry(
    e: &Spanned<RawSensitive>,
    src: &NamedSource<String>,
) -> Result<crate::rules::Sensitive, ConfigError> {
    let r = e.get_ref();
    let reason = r.reason.as_deref().map(str::trim).unwrap_or_default();
    if reason.is_empty() {
        return Err(bad("`[[sensitive]]` entry has no `reason`: say why these resources matter".into(), src, e.span()));
    }
    if r.resources.get_ref().is_empty() {
        return Err(bad("`resources` of `[[sensitive]]` is empty".into(), src, r.resources.span()));
    }
    let mut resources = Vec::new();
    for item in r.resources.get_ref() {
        let text = item.get_ref().trim();
        if text == "*" || !arn_pattern(text) {
            return Err(bad(
                format!(
                    "`{text}` in `[[sensitive]]` is not a resource ARN pattern (`arn:partition:service:region:account:resource`)"
                ),
                src,
                item.span(),
            ));
        }
        resources.push(text.to_string());
    }
    Ok(crate::rules::Sensitive { resources, reason: reason.to_string() })
}

/// One `[[escalation]]` entry, validated: a new id, a summary, and action names of the catalog in
/// every group of `requires` (AND over groups, OR inside one).
fn escalation(
    e: &Spanned<RawEscalation>,
    taken: &[crate::privesc::Method],
    src: &NamedSource<String>,
) -> Result<crate::privesc::Method, ConfigError> {
    let r = e.get_ref();
    let id = r.id.get_ref().trim();
    if id.is_empty() {
        return Err(bad("`[[escalation]]` entry has an empty `id`".into(), src, r.id.span()));
    }
    if crate::privesc::methods().iter().any(|m| m.id == id) || taken.iter().any(|m| m.id == id) {
        return Err(bad(format!("`[[escalation]]` id `{id}` is already a method's; choose another"), src, r.id.span()));
    }
    let summary = r.summary.as_deref().map(str::trim).unwrap_or_default();
    if summary.is_empty() {
        return Err(bad(
            format!("`[[escalation]]` entry `{id}` has no `summary`: say in one sentence what the caller gains"),
            src,
            e.span(),
        ));
    }
    if r.requires.get_ref().is_empty() {
        return Err(bad(format!("`requires` of `[[escalation]]` entry `{id}` is empty"), src, r.requires.span()));
    }
    let mut requires = Vec::new();
    for group in r.requires.get_ref() {
        if group.get_ref().is_empty() {
            return Err(bad(
                format!("a group of `requires` of `[[escalation]]` entry `{id}` is empty"),
                src,
                group.span(),
            ));
        }
        let mut names = Vec::new();
        for a in group.get_ref() {
            let name = catalog_action(a, "escalation", src)?;
            if crate::semantics::has_wildcard(&name) {
                return Err(bad(
                    format!(
                        "`{name}` in `[[escalation]]` is a pattern; `requires` lists action names (a group is their OR)"
                    ),
                    src,
                    a.span(),
                ));
            }
            // The catalog's spelling, as the built-in methods have it.
            names.push(crate::catalog::catalog().action(&name).map_or(name, |x| x.full_name()));
        }
        requires.push(names);
    }
    if r.needs == crate::privesc::Needs::PassableRole && r.passed_to_service.is_none() {
        return Err(bad(
            format!("`[[escalation]]` entry `{id}` needs a passable role but names no `passed-to-service`"),
            src,
            e.span(),
        ));
    }
    Ok(crate::privesc::Method {
        id: id.to_string(),
        category: r.category,
        requires,
        passed_to_service: r.passed_to_service.as_ref().map(|s| s.get_ref().trim().to_string()),
        trusted_by: r.trusted_by.clone(),
        target: r.target,
        needs: r.needs,
        capped_by_boundary: r.capped_by_boundary,
        context: r.context.clone(),
        also: Vec::new(),
        summary: summary.to_string(),
    })
}

impl Config {
    /// Parse configuration `source` read from `path`.
    pub fn parse(source: String, path: &Path) -> Result<Config, ConfigError> {
        let src = NamedSource::new(path.display().to_string(), source.clone());
        let raw: RawConfig = toml::from_str(&source).map_err(|e| invalid(&e, &src))?;
        // `ignore` holds rule selectors (strings) and suppressions (tables, usually written `[[ignore]]`).
        let mut ignore_selectors = Vec::new();
        let mut raw_ignores = Vec::new();
        let ignore_span = raw.ignore.as_ref().map(Spanned::span);
        for item in raw.ignore.iter().flat_map(toml::Spanned::get_ref) {
            match item.get_ref() {
                toml::Value::String(s) => ignore_selectors.push(Spanned::new(item.span(), s.clone())),
                toml::Value::Table(t) => {
                    let entry =
                        RawIgnore::deserialize(toml::Value::Table(t.clone())).map_err(|e| ConfigError::Invalid {
                            message: format!("invalid `[[ignore]]` entry: {}", e.message().trim_end()),
                            src: src.clone(),
                            span: Some(item.span().into()),
                        })?;
                    raw_ignores.push((entry, item.span()));
                }
                other => {
                    return Err(ConfigError::Invalid {
                        message: format!("`ignore` items must be rule selectors or tables, found {}", other.type_str()),
                        src: src.clone(),
                        span: Some(item.span().into()),
                    });
                }
            }
        }
        let base = Layer {
            select: (!raw.select.is_empty()).then(|| selectors(&raw.select, "select", &src)).transpose()?,
            ignore: selectors(&ignore_selectors, "ignore", &src)?,
            severity: severities(&raw.severity, &src)?,
        };
        let mut overrides = Vec::new();
        for o in &raw.overrides {
            overrides.push(Override {
                glob: PathGlob::new(&o.path, &src)?,
                layer: Layer {
                    select: (!o.select.is_empty())
                        .then(|| selectors(&o.select, "overrides.select", &src))
                        .transpose()?,
                    ignore: selectors(&o.ignore, "overrides.ignore", &src)?,
                    severity: severities(&o.severity, &src)?,
                },
            });
        }
        let mut policy_types = Vec::new();
        for p in &raw.policy_type {
            let kind = PolicyKind::from_name(p.kind.get_ref()).ok_or_else(|| ConfigError::UnknownPolicyType {
                value: p.kind.get_ref().clone(),
                src: src.clone(),
                span: p.kind.span().into(),
            })?;
            policy_types.push((PathGlob::new(&p.path, &src)?, kind));
        }
        let mut ignores = Vec::new();
        for (e, span) in &raw_ignores {
            let rule = Spanned::new(span.clone(), e.rule.clone());
            let rule = selectors(std::slice::from_ref(&rule), "ignore.rule", &src)?.remove(0);
            if e.reason.trim().is_empty() {
                return Err(ConfigError::EmptyReason { src: src.clone(), span: span.clone().into() });
            }
            let path = Spanned::new(span.clone(), e.path.clone());
            ignores.push(IgnoreEntry {
                rule,
                path: PathGlob::new(&path, &src)?,
                sid: e.sid.clone(),
                resource: e.resource.clone(),
                reason: e.reason.clone(),
                span: crate::parse::Span::new(span.start, span.end),
            });
        }
        for a in &raw.trusted_accounts {
            let v = a.get_ref();
            if v.len() != 12 || !v.bytes().all(|b| b.is_ascii_digit()) {
                return Err(ConfigError::Invalid {
                    message: format!("`{v}` in `trusted-accounts` is not a 12-digit AWS account ID"),
                    src: src.clone(),
                    span: Some(a.span().into()),
                });
            }
        }
        for o in &raw.trusted_org_ids {
            let v = o.get_ref();
            let body = v.strip_prefix("o-").unwrap_or("");
            if !(10..=32).contains(&body.len()) || !body.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit()) {
                return Err(ConfigError::Invalid {
                    message: format!(
                        "`{v}` in `trusted-org-ids` is not an AWS Organizations ID (`o-` and 10 to 32 lower-case letters or digits)"
                    ),
                    src: src.clone(),
                    span: Some(o.span().into()),
                });
            }
        }
        let mut diff_allow = Vec::new();
        for a in raw.diff.iter().flat_map(|d| &d.allow) {
            let entry = a.get_ref();
            let action = entry.action.get_ref().trim();
            if action.is_empty() || !(action == "*" || action.contains(':')) {
                return Err(ConfigError::Invalid {
                    message: format!(
                        "`{action}` in `[[diff.allow]]` is not an action pattern (`service:Action`, wildcards allowed)"
                    ),
                    src: src.clone(),
                    span: Some(entry.action.span().into()),
                });
            }
            if entry.reason.trim().is_empty() {
                return Err(ConfigError::Invalid {
                    message: "`[[diff.allow]]` entry has an empty `reason`: say why the new access is accepted".into(),
                    src: src.clone(),
                    span: Some(a.span().into()),
                });
            }
            diff_allow.push(DiffAllow { action: action.to_string(), reason: entry.reason.clone() });
        }
        let mut invariants = Vec::new();
        for f in &raw.forbid {
            invariants.push(invariant(crate::rules::InvariantKind::Forbid, f, &src)?);
        }
        for f in &raw.require {
            invariants.push(invariant(crate::rules::InvariantKind::Require, f, &src)?);
        }
        let mut sensitive = Vec::new();
        for e in &raw.sensitive {
            sensitive.push(sensitive_entry(e, &src)?);
        }
        let mut methods = Vec::new();
        for e in &raw.escalation {
            let m = escalation(e, &methods, &src)?;
            methods.push(m);
        }
        let ignore_array = ignore_span.filter(|r| source.get(r.clone()).is_some_and(|t| t.starts_with('[')));
        let l = raw.limits.unwrap_or_default();
        let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
        Ok(Config {
            path: path.to_path_buf(),
            root: abs.parent().map_or_else(|| PathBuf::from("."), Path::to_path_buf),
            source,
            base,
            overrides,
            policy_types,
            ignores,
            ignore_array,
            limits: RawLimitsResolved {
                identity: l.identity_policy_size,
                trust: l.trust_policy_size,
                scp: l.scp_size,
                rcp: l.rcp_size,
                session: l.session_policy_size,
                resource: l.resource_policy_size,
                max_file_size: l.max_file_size,
                max_depth: l.max_depth,
            },
            trusted_accounts: raw.trusted_accounts.iter().map(|s| s.get_ref().clone()).collect(),
            trusted_org_ids: raw.trusted_org_ids.iter().map(|s| s.get_ref().clone()).collect(),
            diff_allow,
            invariants,
            escalation: crate::privesc::intern(methods),
            sensitive,
        })
    }

    /// Read and parse the file at `path`.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        let source =
            std::fs::read_to_string(path).map_err(|e| ConfigError::Io { path: path.to_path_buf(), source: e })?;
        Config::parse(source, path)
    }

    /// Find `iamlint.toml` in the directory of `start` or the nearest parent, and load it.
    pub fn discover(start: &Path) -> Result<Option<Config>, ConfigError> {
        let abs = std::path::absolute(start).unwrap_or_else(|_| start.to_path_buf());
        let mut dir = if abs.is_dir() { Some(abs.as_path()) } else { abs.parent() };
        while let Some(d) = dir {
            let candidate = d.join(CONFIG_FILE);
            if candidate.is_file() {
                return Config::load(&candidate).map(Some);
            }
            dir = d.parent();
        }
        Ok(None)
    }

    /// The `[[forbid]]` and `[[require]]` invariants, each with the globs of the files it applies to
    /// (empty: every file).
    pub fn invariants(&self) -> impl Iterator<Item = (&[PathGlob], &crate::rules::Invariant)> {
        self.invariants.iter().map(|(g, i)| (g.as_slice(), i))
    }

    /// `file` relative to the configuration directory (or as given when outside it).
    pub fn relative(&self, file: &Path) -> PathBuf {
        let abs = std::path::absolute(file).unwrap_or_else(|_| file.to_path_buf());
        abs.strip_prefix(&self.root).map_or_else(|_| file.to_path_buf(), Path::to_path_buf)
    }

    /// The settings for one file: `base` (command-line settings) refined by this file's configuration.
    /// Command-line `select` wins over the configuration's; `ignore` lists add up.
    pub fn settings_for(&self, file: &Path, base: &Settings) -> Settings {
        let rel = self.relative(file);
        let mut s = base.clone();
        let cli_select = !base.select.is_empty();
        let apply = |layer: &Layer, s: &mut Settings| {
            if let Some(sel) = &layer.select
                && !cli_select
            {
                s.select.clone_from(sel);
            }
            s.ignore.extend(layer.ignore.iter().cloned());
            for (sel, sev) in &layer.severity {
                for r in crate::rules::Rule::ALL.iter().filter(|r| r.selected_by(sel)) {
                    s.severity.insert(r.code().to_string(), *sev);
                }
            }
        };
        apply(&self.base, &mut s);
        for o in self.overrides.iter().filter(|o| o.glob.is_match(&rel)) {
            apply(&o.layer, &mut s);
        }
        if base.policy_kind.is_none()
            && let Some((_, kind)) = self.policy_types.iter().rev().find(|(g, _)| g.is_match(&rel))
        {
            s.policy_kind = Some(*kind);
        }
        let l = &self.limits;
        for (slot, v) in [
            (&mut s.limits.identity, l.identity),
            (&mut s.limits.trust, l.trust),
            (&mut s.limits.scp, l.scp),
            (&mut s.limits.rcp, l.rcp),
            (&mut s.limits.session, l.session),
            (&mut s.limits.resource, l.resource),
        ] {
            if let Some(v) = v {
                // 0 turns the size check off for that policy type.
                *slot = (v > 0).then_some(v);
            }
        }
        if let Some(v) = l.max_file_size {
            s.max_file_size = v;
        }
        if let Some(v) = l.max_depth {
            s.max_depth = v;
        }
        s.trusted_accounts.extend(self.trusted_accounts.iter().cloned());
        s.trusted_org_ids.extend(self.trusted_org_ids.iter().cloned());
        s.escalation = self.escalation;
        s.sensitive.clone_from(&self.sensitive);
        for (globs, inv) in &self.invariants {
            if globs.is_empty() || globs.iter().any(|g| g.is_match(&rel)) {
                s.invariants.push(inv.clone());
            }
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_for_layers_top_level_overrides_and_types() {
        let text = r#"
select = ["E", "S"]
ignore = ["E014", { rule = "S004", path = "ci/*.json", reason = "CI" }]
trusted-accounts = ["111122223333"]
trusted-org-ids = ["o-a1b2c3d4e5"]
[severity]
security = "warning"
S004 = "error"
[limits]
trust-policy-size = 4096
resource-policy-size = 0
[[policy-type]]
path = "org/**/*.json"
type = "scp"
[[overrides]]
path = "legacy/**"
select = ["S"]
ignore = ["S001"]
"#;
        let c = Config::parse(text.into(), Path::new("/repo/iamlint.toml")).unwrap();
        let base = Settings::default();
        let s = c.settings_for(Path::new("/repo/app/p.json"), &base);
        assert_eq!(s.select, ["E", "S"]);
        assert_eq!(s.ignore, ["E014"]);
        assert_eq!(s.severity.get("S001"), Some(&Severity::Warning));
        assert_eq!(s.severity.get("S004"), Some(&Severity::Error), "exact codes win over categories");
        assert_eq!(s.limits.trust, Some(4096));
        assert_eq!(s.limits.resource, None);
        assert_eq!(s.limits.identity, Some(6144));
        assert_eq!(s.trusted_accounts, ["111122223333"]);
        assert_eq!(s.trusted_org_ids, ["o-a1b2c3d4e5"]);
        assert_eq!(s.policy_kind, None);
        assert_eq!(c.ignores.len(), 1);
        let s = c.settings_for(Path::new("/repo/org/ou/deny.json"), &base);
        assert_eq!(s.policy_kind, Some(PolicyKind::Scp));
        let s = c.settings_for(Path::new("/repo/legacy/x/p.json"), &base);
        assert_eq!(s.select, ["S"]);
        assert_eq!(s.ignore, ["E014", "S001"]);
        // Command-line select wins.
        let cli = Settings { select: vec!["W".into()], ..Settings::default() };
        assert_eq!(c.settings_for(Path::new("/repo/legacy/p.json"), &cli).select, ["W"]);
    }
}
