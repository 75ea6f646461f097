//! `iamlint rules` and `iamlint rule CODE`.

use super::{CliError, ExitStatus};
use crate::rules;
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
    /// Only rules of this default severity.
    #[arg(long, value_enum)]
    pub severity: Option<crate::finding::Severity>,
}

/// Arguments of `iamlint rule`.
#[derive(Debug, clap::Args)]
pub struct RuleArgs {
    /// A rule code (`E001`) or name (`duplicate-key`).
    pub rule: String,
}

pub(super) fn list(args: &RulesArgs, out: &mut dyn Write) -> Result<ExitStatus, CliError> {
    let chosen: Vec<&rules::Rule> = rules::Rule::ALL
        .iter()
        .filter(|r| args.category.as_deref().is_none_or(|c| r.meta().category.as_str() == c))
        .filter(|r| args.severity.is_none_or(|s| r.meta().severity == s))
        .collect();
    if args.json {
        let metas: Vec<_> = chosen.iter().map(|r| r.meta()).collect();
        let text = serde_json::to_string_pretty(&metas).map_err(std::io::Error::other)?;
        writeln!(out, "{text}")?;
    } else {
        for r in chosen {
            let m = r.meta();
            writeln!(out, "{:<5} {:<40} {:<17} {}", m.code, m.name, m.severity.as_str(), m.summary)?;
        }
    }
    Ok(ExitStatus::Success)
}

pub(super) fn explain(args: &RuleArgs, out: &mut dyn Write) -> Result<ExitStatus, CliError> {
    let r = rules::Rule::find(&args.rule).ok_or_else(|| CliError::unknown_rule(&args.rule))?;
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
    Ok(ExitStatus::Success)
}
