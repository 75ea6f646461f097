//! The human report on big inputs, its order within a file, and `check --statistics`.

use crate::support::{iamlint, stdout};

/// A dump-like policy of about 1 MB: `n` small statements and, last, `*` on `*`.
fn big_policy(pretty: bool) -> String {
    let mut stmts: Vec<serde_json::Value> = (0..9000)
        .map(|i| {
            serde_json::json!({"Sid": format!("S{i}"), "Effect": "Allow", "Action": "s3:GetObject",
                "Resource": format!("arn:aws:s3:::bucket-{i}/*")})
        })
        .collect();
    stmts.push(serde_json::json!({"Effect": "Allow", "Action": "*", "Resource": "*"}));
    let doc = serde_json::json!({"Version": "2012-10-17", "Statement": stmts});
    if pretty { serde_json::to_string_pretty(&doc).unwrap() } else { doc.to_string() }
}

#[test]
fn human_output_on_a_megabyte_input_stays_proportional_to_its_findings() {
    let dir = tempfile::tempdir().unwrap();
    for (name, pretty) in [("minified.json", false), ("pretty.json", true)] {
        let text = big_policy(pretty);
        assert!(text.len() > 700_000, "{name} is {} bytes", text.len());
        std::fs::write(dir.path().join(name), &text).unwrap();
        let out =
            iamlint(&["check", "--no-config", "--format", "human", "--max-file-size", "5000000", name], dir.path());
        let shown = stdout(&out);
        assert_eq!(out.status.code(), Some(1), "{name}: {shown}{}", String::from_utf8_lossy(&out.stderr));
        // S003 (`*` on `*`) and E022 (size), whose spans cover the whole document or statement.
        assert!(shown.contains("S003 full-admin-access"), "{name}: {shown}");
        assert!(shown.contains("E022 policy-size-exceeded"), "{name}: {shown}");
        assert!(shown.len() < 2 * 1500, "{name}: {} bytes of output for 2 findings:\n{shown}", shown.len());
        // Located even without a frame: the minified file's `*` on `*` is at line 1, far right.
        if !pretty {
            assert!(shown.contains(&format!("{name}:1:")), "{shown}");
        }
    }
}

#[test]
fn human_output_puts_errors_before_suggestions_of_the_same_file() {
    let dir = tempfile::tempdir().unwrap();
    // A suggestion (N007, first in the file) and an error (E006, later in the file).
    let policy = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"},
    {"Effect": "allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::example-bucket"}
  ]
}"#;
    std::fs::write(dir.path().join("p.json"), policy).unwrap();
    let human = stdout(&iamlint(&["check", "--no-config", "--format", "human", "p.json"], dir.path()));
    let error = human.find("E006 invalid-effect").unwrap_or_else(|| panic!("{human}"));
    let suggestion = human.find("N007 restrictable-action-on-star").unwrap_or_else(|| panic!("{human}"));
    assert!(error < suggestion, "{human}");
    // The concise format keeps file order (line 4 before line 5), for tools.
    let concise = stdout(&iamlint(&["check", "--no-config", "--format", "concise", "p.json"], dir.path()));
    let lines: Vec<&str> = concise.lines().collect();
    assert!(lines[0].contains("N007") && lines[1].contains("E006"), "{concise}");
}

#[test]
fn statistics_count_linted_and_skipped_files_and_findings_per_rule() {
    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    std::fs::write(
        p.join("a.json"),
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"allow","Action":"s3:GetObject","Resource":"*"}]}"#,
    )
    .unwrap();
    std::fs::write(
        p.join("b.json"),
        r#"{"Version":"2012-10-17","Statement":[{"Effect":"Deny","Action":"s3:GetObject","Resource":"*"}]}"#,
    )
    .unwrap();
    // Not IAM: a walked JSON file with no policy in it.
    std::fs::write(p.join("package.json"), r#"{"name": "web", "version": "1.0.0"}"#).unwrap();
    // Too big for the limit below.
    std::fs::write(
        p.join("huge.json"),
        format!(r#"{{"Version":"2012-10-17","Statement":[],"pad":"{}"}}"#, "x".repeat(400)),
    )
    .unwrap();
    let args = ["check", "--no-config", "--max-file-size", "300", "--statistics", "."];
    let human = stdout(&iamlint(&[&args[..], &["--format", "human"]].concat(), p));
    assert!(human.contains("statistics: 2 files linted, 2 skipped (1 not IAM, 1 too big)"), "{human}");
    let row = human.lines().find(|l| l.starts_with("  E006  ")).unwrap_or_else(|| panic!("{human}"));
    assert_eq!(row.split_whitespace().collect::<Vec<_>>(), ["E006", "invalid-effect", "1"], "{human}");
    // Next to the concise report, the statistics go to stderr: stdout stays one line per finding.
    let out = iamlint(&[&args[..], &["--format", "concise"]].concat(), p);
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("statistics: 2 files linted, 2 skipped"), "{err}");
    assert!(!stdout(&out).contains("statistics"), "{}", stdout(&out));
    // Without the flag, no statistics.
    let plain = stdout(&iamlint(&["check", "--no-config", "--format", "human", "a.json"], p));
    assert!(!plain.contains("statistics"), "{plain}");
}
