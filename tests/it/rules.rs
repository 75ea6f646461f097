//! The rule fixture harness (see docs/style.md §1.4) and the generated rule docs.
//!
//! - every `fixtures/<CODE>/fail/*.json` yields at least one `<CODE>` finding, rendered plainly into an
//!   insta snapshot (code, name, severity, line:col, message, the source line underlined, labels, help);
//! - every `fixtures/<CODE>/pass/*.json` yields no `<CODE>` finding;
//! - an optional `<case>.toml` beside a fixture is an `iamlint.toml` fragment applied to it;
//! - the registry, `rules/*.toml` and `fixtures/*` match one to one;
//! - `docs/rules/<CODE>.md` are generated from the TOML and the first fail fixture (`UPDATE_DOCS=1`
//!   rewrites them; otherwise the test fails when they are stale).

use crate::support::{Layout, ROOT, Text, rel, render_plain};
use iamlint::config::{Config, Suppressor};
use iamlint::{Finding, Settings};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

struct Case {
    source: String,
    findings: Vec<Finding>,
    /// The sidecar's name and text, for findings reported against it (W000).
    sidecar: Option<(String, String)>,
}

fn code_of(path: &Path) -> String {
    path.parent().and_then(Path::parent).and_then(Path::file_name).unwrap().to_string_lossy().into_owned()
}

/// Lint one fixture with only its rule enabled (W000 needs every rule, since it judges suppressions).
fn lint_fixture(path: &Path) -> Case {
    let code = code_of(path);
    let bytes = std::fs::read(path).unwrap();
    let source = String::from_utf8_lossy(&bytes).into_owned();
    let mut base = Settings::default();
    if code != "W000" {
        base.only_rule = Some(code.clone());
    }
    let toml_path = path.with_extension("toml");
    let config =
        (toml_path != path && toml_path.exists()).then(|| Config::load(&toml_path).unwrap_or_else(|e| panic!("{e:?}")));
    let settings = config.as_ref().map_or_else(|| base.clone(), |c| c.settings_for(path, &base));
    // Principal files (V001) go through the file dispatcher; policy fixtures are always policies.
    let name = path.to_string_lossy();
    let mut findings = if name.ends_with(".principal.toml") {
        iamlint::lint_file(&name, &bytes, &settings)
    } else {
        iamlint::lint_bytes(&bytes, &settings)
    };
    if let Some(c) = &config
        && code == "W000"
    {
        let mut s = Suppressor::new(c);
        s.apply(path, &source, &mut findings);
        findings.extend(s.unused(&settings, true));
    }
    findings.retain(|f| f.code == code);
    let sidecar = config.map(|c| (rel(&toml_path), c.source));
    Case { source, findings, sidecar }
}

/// A fixture's findings as plain text, as its snapshot and the rule docs show them.
fn render(name: &str, case: &Case) -> String {
    let config = case.sidecar.as_ref().map(|(name, text)| Text { name, text });
    render_plain(Layout::Rule, Text { name, text: &case.source }, config, &case.findings)
}

// `#[test] fn s101() { fixture_cases("S101") }` and so on, one per `fixtures/<CODE>/` (see build.rs),
// so `cargo test --test it rules::s101` runs the fixtures of one rule; and `FIXTURE_CODES`, those codes.
include!(concat!(env!("OUT_DIR"), "/fixture_tests.rs"));

/// The fixtures of one rule: every `fixtures/<CODE>/fail/*` yields at least one `<CODE>` finding, rendered
/// into the snapshot `fail_fixtures@<CODE>__fail__<file>`; every `fixtures/<CODE>/pass/*` yields none.
/// Each snapshot is checked before any failure is reported, so one run writes every pending snapshot.
fn fixture_cases(code: &str) {
    let dir = Path::new(ROOT).join("fixtures").join(code);
    let fails = json_files(&dir.join("fail"));
    let passes = json_files(&dir.join("pass"));
    // registry_tomls_and_fixtures_match says which rules may lack a kind of fixture (V002's fail cases).
    assert!(!fails.is_empty() || !passes.is_empty(), "{code} has no fixture");
    let mut failed = Vec::new();
    for path in &fails {
        let file = path.file_name().unwrap().to_string_lossy();
        let mut settings = insta::Settings::clone_current();
        settings.set_input_file(path);
        settings.set_snapshot_suffix(format!("{code}/fail/{file}"));
        let checked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            let case = lint_fixture(path);
            assert!(!case.findings.is_empty(), "{} produced no {code} finding", path.display());
            settings.bind(|| insta::assert_snapshot!("fail_fixtures", render(&rel(path), &case)));
        }));
        if checked.is_err() {
            failed.push(rel(path));
        }
    }
    for path in &passes {
        let case = lint_fixture(path);
        let name = rel(path);
        assert!(case.findings.is_empty(), "{name} should pass but got:\n{}", render(&name, &case));
    }
    assert!(failed.is_empty(), "failing fail fixtures of {code}: {failed:?}");
}

/// The contract with `check --confirm` (docs/online.md): every escalation and admin finding names the
/// requests its claim rests on in `details.steps`, as concrete action names.
#[test]
fn escalation_and_admin_findings_name_concrete_steps() {
    let mut seen = std::collections::BTreeSet::new();
    for code in ["S201", "S202", "S203", "S204", "S205", "S206"] {
        for path in json_files(&Path::new(ROOT).join("fixtures").join(code).join("fail")) {
            for f in lint_fixture(&path).findings.iter().filter(|f| f.code == code) {
                let where_ = format!("{} in {}", f.code, path.display());
                let steps =
                    f.details.as_ref().and_then(|d| d["steps"].as_array()).unwrap_or_else(|| panic!("{where_}"));
                assert!(!steps.is_empty(), "{where_}");
                for step in steps {
                    let actions = step["actions"].as_array().unwrap_or_else(|| panic!("{where_}: {step}"));
                    assert!(!actions.is_empty(), "{where_}: {step}");
                    for a in actions {
                        let a = a.as_str().unwrap();
                        assert!(a.contains(':') && !a.contains(['*', '?']), "{where_}: `{a}` is not one action");
                    }
                    assert!(step["resource"].is_string(), "{where_}: {step}");
                }
                seen.insert(code);
            }
        }
    }
    assert_eq!(seen.len(), 6, "{seen:?}");
}

fn sorted_dir(path: &Path) -> Vec<PathBuf> {
    let mut v: Vec<PathBuf> =
        std::fs::read_dir(path).map(|d| d.flatten().map(|e| e.path()).collect()).unwrap_or_default();
    v.sort();
    v
}

fn json_files(dir: &Path) -> Vec<PathBuf> {
    sorted_dir(dir)
        .into_iter()
        .filter(|p| p.extension().is_some_and(|e| e == "json") || p.to_string_lossy().ends_with(".principal.toml"))
        .collect()
}

#[test]
fn registry_tomls_and_fixtures_match() {
    let root = Path::new(ROOT);
    let registry: Vec<String> = iamlint::rules::registry().iter().map(|r| r.meta.code.to_string()).collect();
    let tomls: Vec<String> = sorted_dir(&root.join("rules"))
        .iter()
        .filter(|p| p.extension().is_some_and(|e| e == "toml"))
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .collect();
    // fixtures/ also holds non-rule corpora (sources/, privesc-extra/): only `<letter><3 digits>` folders
    // belong to rules.
    let is_code =
        |n: &str| n.len() == 4 && n.as_bytes()[0].is_ascii_uppercase() && n[1..].bytes().all(|b| b.is_ascii_digit());
    let fixtures: Vec<String> = sorted_dir(&root.join("fixtures"))
        .iter()
        .map(|p| p.file_name().unwrap().to_string_lossy().into_owned())
        .filter(|n| is_code(n))
        .collect();
    let mut reg = registry.clone();
    reg.sort();
    assert_eq!(reg, tomls, "the registry and rules/*.toml differ");
    assert_eq!(reg, fixtures, "the registry and fixtures/* differ");
    assert_eq!(reg, FIXTURE_CODES, "build.rs generated a fixture test for other rules than the registry's");
    let mut names = std::collections::HashSet::new();
    for r in iamlint::rules::registry() {
        let m = r.meta;
        assert!(names.insert(m.name), "two rules are named `{}`", m.name);
        let class = &m.code[..1];
        let expected = match class {
            // V: verification, an offline expectation that does not hold (`iamlint verify`).
            "E" | "V" => "error",
            "S" => "security-warning",
            "W" => "warning",
            "N" => "suggestion",
            _ => panic!("{}: unknown code class", m.code),
        };
        assert_eq!(m.severity.as_str(), expected, "{}: the code letter and default severity disagree", m.code);
        assert!(m.name.bytes().all(|b| b.is_ascii_lowercase() || b == b'-'), "{}: name is not kebab-case", m.code);
        assert!(!m.summary.ends_with('.'), "{}: summary ends with a period", m.code);
        for kind in ["pass", "fail"] {
            let files = json_files(&root.join("fixtures").join(m.code).join(kind));
            // V002 online-disagreement needs an answer from AWS, which no offline fixture can give; its
            // fail cases are the recorded-response tests (tests/it/online_e2e.rs, src/online/tests.rs), as
            // fixtures/V002/README.md says. This is the only exemption.
            if m.code == "V002" && kind == "fail" {
                assert!(root.join("fixtures/V002/README.md").exists(), "V002's exemption must be documented");
                continue;
            }
            assert!(!files.is_empty(), "{} has no {kind} fixture", m.code);
            for f in files {
                let stem = f.file_stem().unwrap().to_string_lossy().into_owned();
                assert!(
                    !stem.starts_with("test") && stem.len() > 3,
                    "{}: name fixtures for what they show",
                    f.display()
                );
            }
        }
    }
}

#[test]
fn findings_follow_the_message_style() {
    for path in sorted_dir(&Path::new(ROOT).join("fixtures")).iter().flat_map(|d| json_files(&d.join("fail"))) {
        for f in lint_fixture(&path).findings {
            assert!(!f.message.ends_with('.'), "{}: message ends with a period: {}", path.display(), f.message);
            let first = f.message.chars().next().unwrap();
            assert!(
                !first.is_uppercase(),
                "{}: messages start in lower case (sentence case without capital, as rustc): {}",
                path.display(),
                f.message
            );
            if f.code != "E000" && f.code != "E001" && f.code != "E002" {
                assert!(f.help.is_some(), "{}: {} finding has no help", path.display(), f.code);
            }
        }
    }
}

fn rule_doc(code: &str) -> String {
    let reg = iamlint::rules::find(code).unwrap();
    let m = reg.meta;
    let root = Path::new(ROOT);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "<!-- Generated by tests/it/rules.rs from rules/{code}.toml and fixtures/{code}; UPDATE_DOCS=1 cargo test regenerates it. -->"
    );
    let _ = writeln!(out, "# {} {}\n", m.code, m.name);
    let fix = match m.fix {
        iamlint::rules::FixKind::None => "none",
        iamlint::rules::FixKind::Safe => "safe",
        iamlint::rules::FixKind::Unsafe => "unsafe",
    };
    let _ = writeln!(
        out,
        "**Category:** {} · **Default severity:** {} · **Fix:** {fix}\n",
        m.category.as_str(),
        m.severity
    );
    let _ = writeln!(out, "{}\n", m.summary);
    let _ = writeln!(out, "## Why\n\n{}\n", m.why.trim());
    let _ = writeln!(out, "## What to do instead\n\n{}\n", m.instead.trim());
    if let Some(fail) = json_files(&root.join("fixtures").join(code).join("fail")).first() {
        let name = rel(fail);
        let case = lint_fixture(fail);
        let _ = writeln!(out, "## Example\n\n`{name}`:\n\n```json\n{}\n```\n", case.source.trim_end());
        if let Some((n, t)) = &case.sidecar {
            let _ = writeln!(out, "with `{n}`:\n\n```toml\n{}\n```\n", t.trim_end());
        }
        let _ = writeln!(out, "iamlint reports:\n\n```text\n{}\n```\n", render(&name, &case).trim_end());
    }
    if let Some(pass) = json_files(&root.join("fixtures").join(code).join("pass")).first() {
        let text = std::fs::read_to_string(pass).unwrap();
        let _ = writeln!(out, "This passes (`{}`):\n\n```json\n{}\n```\n", rel(pass), text.trim_end());
    }
    if !m.references.is_empty() {
        let _ = writeln!(out, "## References\n");
        for r in &m.references {
            let _ = writeln!(out, "- <{r}>");
        }
        out.push('\n');
    }
    out.truncate(out.trim_end().len());
    out.push('\n');
    out
}

fn rules_index() -> String {
    let mut out = String::from(
        "<!-- Generated by tests/it/rules.rs; UPDATE_DOCS=1 cargo test regenerates it. -->\n# Rules\n\n| Code | Name | Severity | Summary |\n|---|---|---|---|\n",
    );
    for r in iamlint::rules::registry() {
        let m = r.meta;
        let _ = writeln!(
            out,
            "| [{}]({}.md) | `{}` | {} | {} |",
            m.code,
            m.code,
            m.name,
            m.severity,
            m.summary.replace('|', "\\|")
        );
    }
    out
}

#[test]
fn rule_docs_are_up_to_date() {
    let dir = Path::new(ROOT).join("docs/rules");
    let update = std::env::var_os("UPDATE_DOCS").is_some();
    let mut expected: Vec<(PathBuf, String)> = iamlint::rules::registry()
        .iter()
        .map(|r| (dir.join(format!("{}.md", r.meta.code)), rule_doc(r.meta.code)))
        .collect();
    expected.push((dir.join("README.md"), rules_index()));
    let mut stale = Vec::new();
    if update {
        std::fs::create_dir_all(&dir).unwrap();
    }
    for (path, text) in &expected {
        if std::fs::read_to_string(path).ok().as_deref() != Some(text.as_str()) {
            if update {
                std::fs::write(path, text).unwrap();
            } else {
                stale.push(rel(path));
            }
        }
    }
    for existing in json_files(&dir)
        .into_iter()
        .chain(sorted_dir(&dir).into_iter().filter(|p| p.extension().is_some_and(|e| e == "md")))
    {
        if !expected.iter().any(|(p, _)| *p == existing) {
            if update {
                std::fs::remove_file(&existing).unwrap();
            } else {
                stale.push(rel(&existing));
            }
        }
    }
    assert!(stale.is_empty(), "stale rule docs (run `UPDATE_DOCS=1 cargo test --test it rules::`): {stale:?}");
}
