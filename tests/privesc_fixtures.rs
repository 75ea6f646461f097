//! Pass/fail fixtures of the S2xx escalation rules: each fail fixture yields at least one finding of
//! its folder's rule (snapshotted), each pass fixture none.

use iamlint::{Settings, lint};
use std::path::Path;

fn lint_fixture(path: &Path) -> Vec<iamlint::Finding> {
    let code = path.parent().unwrap().parent().unwrap().file_name().unwrap().to_str().unwrap().to_string();
    let settings = Settings { only_rule: Some(code.clone()), ..Settings::default() };
    let text = std::fs::read_to_string(path).unwrap();
    lint(&text, &settings).into_iter().filter(|f| f.code == code).collect()
}

fn render(path: &Path, findings: &[iamlint::Finding]) -> String {
    let text = std::fs::read_to_string(path).unwrap();
    let index = iamlint::parse::LineIndex::new(&text);
    findings
        .iter()
        .map(|f| {
            let at = index.line_col(&text, f.span.start);
            format!("{}:{} {} [{}] {}", at.line, at.column, f.code, f.severity, f.message)
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn s2_fail_fixtures() {
    insta::glob!("../fixtures", "S2*/fail/*.json", |path| {
        let findings = lint_fixture(path);
        assert!(!findings.is_empty(), "{} produced no finding", path.display());
        insta::assert_snapshot!(render(path, &findings));
    });
}

#[test]
fn s2_pass_fixtures() {
    insta::glob!("../fixtures", "S2*/pass/*.json", |path| {
        let findings = lint_fixture(path);
        assert!(findings.is_empty(), "{}: {:#?}", path.display(), findings);
    });
}
