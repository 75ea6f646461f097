//! `iamlint rules` and `iamlint rule CODE`, with the project's own invariants (`[[forbid]]` and
//! `[[require]]` of the `iamlint.toml` that `check` would use).

use super::check::ConfigArgs;
use super::{CliError, ExitStatus};
use crate::config::{Config, PathGlob};
use crate::rules::{self, Invariant, InvariantKind, Rule};
use serde_json::{Value, json};
use std::io::Write;

/// Arguments of `iamlint rules`.
#[derive(Debug, clap::Args)]
pub struct RulesArgs {
    /// Print JSON instead of a table.
    #[arg(long)]
    pub json: bool,
    /// Only rules of this category.
    #[arg(long, value_parser = ["grammar", "security", "correctness", "suggestion"])]
    pub category: Option<String>,
    /// Only rules of this default severity (invariants: of their own severity).
    #[arg(long, value_enum)]
    pub severity: Option<crate::finding::Severity>,
    #[command(flatten)]
    pub config: ConfigArgs,
}

/// Arguments of `iamlint rule`.
#[derive(Debug, clap::Args)]
pub struct RuleArgs {
    /// A rule code (`E001`), name (`duplicate-key`), or the `id` of an invariant of `iamlint.toml`.
    pub rule: String,
    #[command(flatten)]
    pub config: ConfigArgs,
}

/// The rule that decides invariants of this kind.
fn rule_of(kind: InvariantKind) -> Rule {
    match kind {
        InvariantKind::Forbid => Rule::X001,
        InvariantKind::Require => Rule::X002,
    }
}

/// The configuration `check` would use from the working directory (or `--config`).
fn project(args: &ConfigArgs) -> Result<Option<Config>, CliError> {
    args.load(&[])
}

fn invariant_json(globs: &[PathGlob], inv: &Invariant) -> Value {
    let condition = inv.unless.as_deref().and_then(|c| serde_json::from_str::<Value>(c).ok());
    let mut v = json!({
        "id": inv.id,
        "kind": inv.kind.table(),
        "severity": inv.severity.as_str(),
        "reason": inv.reason,
        "actions": inv.actions,
        "resources": inv.resources,
        "principals": inv.principals,
        "paths": globs.iter().map(|g| g.pattern.as_str()).collect::<Vec<_>>(),
    });
    if let Some(c) = condition {
        v[if inv.kind == InvariantKind::Forbid { "unless" } else { "condition" }] = c;
    }
    v
}

/// The space an invariant is about, on one line: actions, resources, principals, condition, files.
fn scope(globs: &[PathGlob], inv: &Invariant) -> String {
    let mut parts = vec![format!("actions {}", inv.actions.join(", "))];
    if inv.resources != ["*"] {
        parts.push(format!("resources {}", inv.resources.join(", ")));
    }
    if inv.principals != ["*"] {
        parts.push(format!("principals {}", inv.principals.join(", ")));
    }
    if let Some(c) = &inv.unless {
        parts.push(match inv.kind {
            InvariantKind::Forbid => format!("unless {c}"),
            InvariantKind::Require => format!("condition {c}"),
        });
    }
    parts.push(if globs.is_empty() {
        "every file".to_string()
    } else {
        format!("paths {}", globs.iter().map(|g| g.pattern.as_str()).collect::<Vec<_>>().join(", "))
    });
    parts.join("; ")
}

pub(super) fn list(args: &RulesArgs, out: &mut dyn Write) -> Result<ExitStatus, CliError> {
    let config = project(&args.config)?;
    let chosen: Vec<&rules::Rule> = rules::Rule::ALL
        .iter()
        .filter(|r| args.category.as_deref().is_none_or(|c| r.meta().category.as_str() == c))
        .filter(|r| args.severity.is_none_or(|s| r.meta().severity == s))
        .collect();
    // The project's invariants whose rule is of the chosen category, at the chosen severity.
    let invariants: Vec<(&[PathGlob], &Invariant)> = config
        .iter()
        .flat_map(Config::invariants)
        .filter(|(_, i)| args.category.as_deref().is_none_or(|c| rule_of(i.kind).meta().category.as_str() == c))
        .filter(|(_, i)| args.severity.is_none_or(|s| i.severity == s))
        .collect();
    if args.json {
        let mut items: Vec<Value> = chosen
            .iter()
            .map(|r| serde_json::to_value(r.meta()))
            .collect::<Result<_, _>>()
            .map_err(std::io::Error::other)?;
        for (r, item) in chosen.iter().zip(&mut items) {
            let own: Vec<Value> =
                invariants.iter().filter(|(_, i)| rule_of(i.kind) == **r).map(|(g, i)| invariant_json(g, i)).collect();
            if !own.is_empty() {
                item["invariants"] = Value::Array(own);
            }
        }
        let text = serde_json::to_string_pretty(&items).map_err(std::io::Error::other)?;
        writeln!(out, "{text}")?;
        return Ok(ExitStatus::Success);
    }
    for r in &chosen {
        let m = r.meta();
        writeln!(out, "{:<5} {:<40} {:<17} {}", m.code, m.name, m.severity.as_str(), m.summary)?;
    }
    if let Some(c) = config.as_ref().filter(|_| !invariants.is_empty()) {
        writeln!(out, "\nInvariants of {}", c.path.display())?;
        for (globs, inv) in invariants {
            let code = rule_of(inv.kind).code();
            writeln!(out, "{code:<5} {:<40} {:<17} {}", inv.id, inv.severity.as_str(), inv.reason)?;
            writeln!(out, "      {}", scope(globs, inv))?;
        }
    }
    Ok(ExitStatus::Success)
}

/// One invariant, explained: what `iamlint rule <id>` prints, and each entry under its rule.
fn explain_invariant(globs: &[PathGlob], inv: &Invariant, out: &mut dyn Write) -> std::io::Result<()> {
    let r = rule_of(inv.kind);
    writeln!(out, "{} ({} {}, {})", inv.id, r.code(), r.name(), inv.severity)?;
    writeln!(out, "  reason      {}", inv.reason)?;
    let verb = match inv.kind {
        InvariantKind::Forbid => "forbids",
        InvariantKind::Require => "requires of",
    };
    writeln!(out, "  {verb:<11} {}", inv.actions.join(", "))?;
    writeln!(out, "  resources   {}", inv.resources.join(", "))?;
    writeln!(out, "  principals  {}", inv.principals.join(", "))?;
    if let Some(c) = &inv.unless {
        let key = if inv.kind == InvariantKind::Forbid { "unless" } else { "condition" };
        writeln!(out, "  {key:<11} {c}")?;
    }
    let files = if globs.is_empty() {
        "every file".to_string()
    } else {
        globs.iter().map(|g| g.pattern.as_str()).collect::<Vec<_>>().join(", ")
    };
    writeln!(out, "  files       {files}")
}

pub(super) fn explain(args: &RuleArgs, out: &mut dyn Write) -> Result<ExitStatus, CliError> {
    let config = project(&args.config)?;
    let Some(r) = rules::Rule::find(&args.rule) else {
        // An invariant of the project, by its `id`.
        if let Some((globs, inv)) = config.iter().flat_map(Config::invariants).find(|(_, i)| i.id == args.rule) {
            explain_invariant(globs, inv, out)?;
            return Ok(ExitStatus::Success);
        }
        return Err(CliError::unknown_rule(&args.rule));
    };
    let m = r.meta();
    writeln!(out, "{} {} ({}, {})\n", m.code, m.name, m.category.as_str(), m.severity)?;
    writeln!(out, "{}\n", m.summary)?;
    writeln!(out, "Why\n  {}\n", m.why.trim())?;
    writeln!(out, "Instead\n  {}", m.instead.trim())?;
    for (label, kind) in [("Fails", "fail"), ("Passes", "pass")] {
        if let Some((name, text)) = crate::rules::example(r, kind) {
            writeln!(out, "\n{label} ({name})\n{}", text.trim_end())?;
        }
    }
    if !m.references.is_empty() {
        writeln!(out, "\nReferences")?;
        for r in &m.references {
            writeln!(out, "  {r}")?;
        }
    }
    if let Some(kind) = [InvariantKind::Forbid, InvariantKind::Require].into_iter().find(|k| rule_of(*k) == r) {
        match &config {
            Some(c) => {
                let own: Vec<_> = c.invariants().filter(|(_, i)| i.kind == kind).collect();
                if own.is_empty() {
                    writeln!(out, "\n{} has no `[[{}]]` entries.", c.path.display(), kind.table())?;
                } else {
                    writeln!(out, "\nInvariants of {}", c.path.display())?;
                    for (globs, inv) in own {
                        writeln!(out)?;
                        explain_invariant(globs, inv, out)?;
                    }
                }
            }
            None => {
                writeln!(out, "\nNo iamlint.toml was found, so this project has no `[[{}]]` entries.", kind.table())?;
            }
        }
    }
    Ok(ExitStatus::Success)
}
