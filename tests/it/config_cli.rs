//! `iamlint.toml`, suppressions and baselines, through the real binary in temporary directories.

use crate::support::{iamlint, stderr, stdout};
use std::path::{Path, PathBuf};

struct Dir(PathBuf);

impl Dir {
    fn new(name: &str) -> Dir {
        let p = std::env::temp_dir().join(format!("iamlint-config-cli-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).unwrap();
        Dir(p)
    }

    fn write(&self, rel: &str, text: &str) -> PathBuf {
        let p = self.0.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, text).unwrap();
        p
    }

    fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.0.join(rel)).unwrap()
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn check(cwd: &Path, extra: &[&str]) -> Run {
    let mut args = vec!["check", "-f", "concise"];
    args.extend_from_slice(extra);
    let out = iamlint(&args, cwd);
    Run { code: out.status.code().unwrap_or(-1), stdout: stdout(&out), stderr: stderr(&out) }
}

const PASS_ROLE: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "DeployPassRole",
      "Effect": "Allow",
      "Action": "iam:PassRole",
      "Resource": "*"
    }
  ]
}
"#;

const CLEAN: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::example-bucket/*"}]
}
"#;

fn codes(stdout: &str) -> Vec<String> {
    stdout.lines().filter_map(|l| l.split(": ").nth(1)).map(|s| s.split(' ').next().unwrap().to_string()).collect()
}

// The S0xx grammar-level security rules; the evaluator-backed S2xx rules (privesc) report the same
// files more thoroughly and are selected away to keep these expectations exact.
#[test]
fn config_is_found_by_walking_up_and_selects_rules() {
    let d = Dir::new("walk");
    d.write("iamlint.toml", "select = [\"S0\"]\n");
    d.write("policies/ci/deploy.json", PASS_ROLE);
    let r = check(&d.0.join("policies/ci"), &["deploy.json"]);
    assert_eq!(r.code, 1, "{}{}", r.stdout, r.stderr);
    assert_eq!(codes(&r.stdout), ["S004"], "{}", r.stdout);
    // --no-config ignores it: the suggestion N007 and S203 show up again, folded into S004's finding
    // (one problem, one finding).
    let r = check(&d.0.join("policies/ci"), &["--no-config", "deploy.json"]);
    assert_eq!(codes(&r.stdout), ["S004"], "{}", r.stdout);
    assert!(r.stdout.contains("(also N007, S203)"), "{}", r.stdout);
}

#[test]
fn explicit_config_severity_and_overrides() {
    let d = Dir::new("severity");
    d.write(
        "conf/strict.toml",
        "select = [\"S004\", \"N007\"]\n[severity]\nS004 = \"error\"\n\n[[overrides]]\npath = \"legacy/**\"\nignore = [\"N\"]\nseverity = { S004 = \"warning\" }\n",
    );
    d.write("app/deploy.json", PASS_ROLE);
    d.write("legacy/old/deploy.json", PASS_ROLE);
    // Globs are relative to the config's directory, so point it at the tree with a config beside it.
    d.write("iamlint.toml", &d.read("conf/strict.toml"));
    let r = check(&d.0, &["app", "legacy"]);
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert!(lines.iter().any(|l| l.starts_with("app/deploy.json") && l.contains("S004 [error]")), "{}", r.stdout);
    assert!(lines.iter().any(|l| l.starts_with("app/deploy.json") && l.contains("N007")), "{}", r.stdout);
    assert!(
        lines.iter().any(|l| l.starts_with("legacy/old/deploy.json") && l.contains("S004 [warning]")),
        "{}",
        r.stdout
    );
    assert!(!lines.iter().any(|l| l.starts_with("legacy/old/deploy.json") && l.contains("N007")), "{}", r.stdout);
    // --config picks a file explicitly.
    let r = check(&d.0, &["--config", "conf/strict.toml", "app/deploy.json"]);
    assert!(r.stdout.contains("S004 [error]"), "{}{}", r.stdout, r.stderr);
}

#[test]
fn policy_type_and_limits_by_path() {
    let d = Dir::new("types");
    d.write(
        "iamlint.toml",
        "[[policy-type]]\npath = \"identity/*.json\"\ntype = \"identity\"\n\n[limits]\nidentity-policy-size = 100\n",
    );
    d.write(
        "identity/p.json",
        r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "arn:aws:iam::111122223333:root"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::example-bucket/*"}]}"#,
    );
    let r = check(&d.0, &["identity"]);
    let c = codes(&r.stdout);
    assert!(c.contains(&"E011".to_string()), "{}", r.stdout);
    assert!(c.contains(&"E022".to_string()), "{}", r.stdout);
}

#[test]
fn config_errors_exit_2_with_a_span() {
    let d = Dir::new("errors");
    d.write("p.json", CLEAN);
    let cases = [
        ("selct = [\"E\"]\n", "unknown field `selct`", "selct"),
        ("select = [\"E\", \"S999\"]\n", "unknown rule `S999` in `select`", "\"S999\""),
        ("[severity]\nnot-a-rule = \"error\"\n", "unknown rule `not-a-rule`", "not-a-rule"),
        ("[[overrides]]\npath = \"a/[b\"\n", "invalid glob `a/[b`", "\"a/[b\""),
        ("[[policy-type]]\npath = \"*.json\"\ntype = \"bucket\"\n", "unknown policy type `bucket`", "\"bucket\""),
        ("[[ignore]]\nrule = \"S004\"\npath = \"*.json\"\nreason = \"\"\n", "empty `reason`", "[[ignore]]"),
        ("[[ignore]]\nrule = \"S004\"\npath = \"*.json\"\n", "missing field `reason`", "[[ignore]]"),
        ("select = [\"E\"\n", "", "select"),
        ("trusted-accounts = [\"1234\"]\n", "not a 12-digit AWS account ID", "\"1234\""),
        ("trusted-org-ids = [\"org-1\"]\n", "not an AWS Organizations ID", "\"org-1\""),
    ];
    for (toml, message, spot) in cases {
        d.write("iamlint.toml", toml);
        let r = check(&d.0, &["p.json"]);
        assert_eq!(r.code, 2, "{toml}\n{}{}", r.stdout, r.stderr);
        assert!(r.stderr.contains(message), "{toml}: expected `{message}` in\n{}", r.stderr);
        // miette prints the file name and the offending source line.
        assert!(r.stderr.contains("iamlint.toml:"), "{toml}: no location in\n{}", r.stderr);
        assert!(r.stderr.contains(spot), "{toml}: no source line in\n{}", r.stderr);
    }
    let r = check(&d.0, &["--config", "missing.toml", "p.json"]);
    assert_eq!(r.code, 2);
}

#[test]
fn ignore_entries_suppress_and_unused_ones_are_reported() {
    let d = Dir::new("ignore");
    d.write("ci/deploy.json", PASS_ROLE);
    d.write("app/other.json", PASS_ROLE);
    d.write(
        "iamlint.toml",
        "select = [\"S0\", \"unused-ignore\"]\n\n[[ignore]]\nrule = \"pass-role-star\"\npath = \"ci/*.json\"\nsid = \"DeployPassRole\"\nreason = \"CI may pass only the roles this stack creates\"\n\n[[ignore]]\nrule = \"S004\"\npath = \"app/*.json\"\nsid = \"SomeOtherSid\"\nreason = \"stale\"\n",
    );
    let r = check(&d.0, &["."]);
    let lines: Vec<&str> = r.stdout.lines().collect();
    assert!(!lines.iter().any(|l| l.contains("ci/deploy.json")), "suppressed finding reported:\n{}", r.stdout);
    assert!(lines.iter().any(|l| l.contains("app/other.json") && l.contains("S004")), "{}", r.stdout);
    // The second entry names a Sid that does not exist: it is unused, reported at its table.
    let unused: Vec<&&str> = lines.iter().filter(|l| l.contains("W000")).collect();
    assert_eq!(unused.len(), 1, "{}", r.stdout);
    assert!(unused[0].starts_with("iamlint.toml:9:1: W000 [warning] the ignore entry for `S004`"), "{}", r.stdout);
    // With the stale entry gone and only the CI file linted, the run is clean.
    let text = d.read("iamlint.toml");
    d.write("iamlint.toml", &text[..text.find("\n[[ignore]]\nrule = \"S004\"").unwrap()]);
    let r = check(&d.0, &["ci/deploy.json"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.trim().is_empty(), "{}", r.stdout);
}

/// `check` writes each file as soon as it is linted, but the findings on unused `[[ignore]]` entries
/// are known only at the end: they still sit at the configuration's place in path order, in every
/// format, with the files sorted after it, and the totals count every file.
#[test]
fn unused_entries_keep_their_place_in_a_streamed_report() {
    let d = Dir::new("streamed");
    for name in ["a/one.json", "b/two.json", "j/three.json", "z/four.json"] {
        d.write(name, PASS_ROLE);
    }
    d.write(
        "iamlint.toml",
        "select = [\"S0\", \"unused-ignore\"]\n\n[[ignore]]\nrule = \"S004\"\npath = \"b/*.json\"\nreason = \"reviewed\"\n\n[[ignore]]\nrule = \"S004\"\npath = \"gone/*.json\"\nreason = \"stale\"\n",
    );
    let r = check(&d.0, &["-j", "2", "."]);
    let paths: Vec<&str> = r.stdout.lines().map(|l| &l[..l.find(':').unwrap()]).collect();
    assert_eq!(paths, ["a/one.json", "iamlint.toml", "j/three.json", "z/four.json"], "{}", r.stdout);
    assert!(r.stderr.contains("5 files checked, 4 findings"), "{}", r.stderr);
    let json = iamlint(&["check", "-f", "json", "-o", "report.json", "."], &d.0);
    assert_eq!(json.status.code(), Some(1));
    let doc: serde_json::Value = serde_json::from_str(&d.read("report.json")).unwrap();
    let paths: Vec<&str> = doc["findings"].as_array().unwrap().iter().map(|f| f["path"].as_str().unwrap()).collect();
    assert_eq!(paths, ["a/one.json", "iamlint.toml", "j/three.json", "z/four.json"]);
    assert_eq!(doc["summary"]["files"], 5);
    assert_eq!(doc["summary"]["findings"], 4);
    // The screen got the concise report of the same run.
    let screen = stdout(&json);
    let lines: Vec<&str> = screen.lines().collect();
    assert_eq!(lines.len(), 4, "{screen}");
    assert!(lines[1].starts_with("iamlint.toml:"), "{screen}");
}

/// A report file that is also one of the linted files is linted as it was before the run, not as
/// the report being written.
#[test]
fn a_report_file_among_the_inputs_is_linted_as_it_was() {
    let d = Dir::new("report-input");
    d.write("a.json", PASS_ROLE);
    d.write("report.json", PASS_ROLE);
    let r = iamlint(&["check", "--no-config", "--select", "S004", "-f", "json", "-o", "report.json", "."], &d.0);
    assert_eq!(r.status.code(), Some(1), "{}", stderr(&r));
    let doc: serde_json::Value = serde_json::from_str(&d.read("report.json")).unwrap();
    let paths: Vec<&str> = doc["findings"].as_array().unwrap().iter().map(|f| f["path"].as_str().unwrap()).collect();
    assert_eq!(paths, ["a.json", "report.json"], "{doc}");
}

#[test]
fn add_ignores_writes_entries_only_when_asked() {
    let d = Dir::new("add");
    d.write("iamlint.toml", "select = [\"S0\"]\n");
    d.write("ci/deploy.json", PASS_ROLE);
    let before = d.read("iamlint.toml");
    let r = check(&d.0, &["."]);
    assert_eq!(r.code, 1);
    assert_eq!(d.read("iamlint.toml"), before, "a plain check must not write the config");
    let r = check(&d.0, &["--add-ignores", "."]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(r.stdout.contains("added 1 ignore entry"), "{}", r.stdout);
    let after = d.read("iamlint.toml");
    assert!(after.starts_with(&before), "existing text was rewritten:\n{after}");
    assert!(
        after.contains("[[ignore]]\nrule = \"S004\"\npath = \"ci/deploy.json\"\nsid = \"DeployPassRole\"\nreason = "),
        "{after}"
    );
    let r = check(&d.0, &["."]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    // With an inline `ignore` array, entries go into it as inline tables.
    d.write("iamlint.toml", "select = [\"S0\"]\nignore = [\"S001\"]\n");
    let r = check(&d.0, &["--add-ignores", "."]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    let after = d.read("iamlint.toml");
    assert!(
        after.contains("ignore = [\"S001\",\n  { rule = \"S004\", path = \"ci/deploy.json\", sid = \"DeployPassRole\""),
        "{after}"
    );
    assert_eq!(check(&d.0, &["."]).code, 0);
    // Without any config a new iamlint.toml is created in the working directory.
    std::fs::remove_file(d.0.join("iamlint.toml")).unwrap();
    let r = check(&d.0, &["--add-ignores", "--select", "S0", "."]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(d.read("iamlint.toml").contains("rule = \"S004\""));
}

#[test]
fn baseline_reports_only_new_findings() {
    let d = Dir::new("baseline");
    d.write("p.json", PASS_ROLE);
    let r = check(&d.0, &["--no-config", "--select", "S0", "--write-baseline", "baseline.json", "p.json"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    assert!(d.read("baseline.json").contains("\"code\": \"S004\""));
    let r = check(&d.0, &["--no-config", "--select", "S0", "--baseline", "baseline.json", "p.json"]);
    assert_eq!(r.code, 0, "{}{}", r.stdout, r.stderr);
    // Reformat the file and add a statement before it: the old finding stays matched (no line
    // numbers in fingerprints), the new one is reported.
    d.write(
        "p.json",
        r#"{"Version": "2012-10-17", "Statement": [
  {"Sid": "New", "Effect": "Allow", "NotAction": "iam:*", "Resource": "*"},
  {"Sid": "DeployPassRole", "Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"}
]}"#,
    );
    let r = check(&d.0, &["--no-config", "--select", "S0", "--baseline", "baseline.json", "p.json"]);
    assert_eq!(r.code, 1);
    assert_eq!(codes(&r.stdout), ["S001"], "{}", r.stdout);
    // A second copy of an accepted finding (same Sid, same text) is new too.
    d.write(
        "p.json",
        r#"{"Version": "2012-10-17", "Statement": [
  {"Sid": "DeployPassRole", "Effect": "Allow", "Action": "iam:PassRole", "Resource": ["*", "*"]}
]}"#,
    );
    let r = check(&d.0, &["--no-config", "--select", "S004", "--baseline", "baseline.json", "p.json"]);
    assert_eq!(codes(&r.stdout).len(), 0, "only the first `*` is reported by S004: {}", r.stdout);
    // A broken baseline is a usage error.
    d.write("bad.json", "{}");
    let r = check(&d.0, &["--no-config", "--baseline", "bad.json", "p.json"]);
    assert_eq!(r.code, 2, "{}{}", r.stdout, r.stderr);
}

/// `--add-ignores` edits awkward files without breaking them: trailing commas, comments inside the
/// array, tables after `[[ignore]]`, CRLF line ends, no final newline. Each result loads, keeps every
/// byte of the original outside the insertion, and the next `check` passes.
#[test]
fn add_ignores_round_trips_awkward_files() {
    let cases: &[(&str, &str)] = &[
        ("trailing-comma", "select = [\"S0\", \"N\"]\nignore = [\n  \"S001\", # old\n  \"N007\",\n]\n# after\n"),
        ("one-line-trailing-comma", "select = [\"S0\"]\nignore = [\"N007\",]\n"),
        ("empty-array", "select = [\"S0\"]\nignore = []  # none yet\n"),
        (
            "tables-then-limits",
            "# top comment\nselect = [\"S0\"]\n\n[[ignore]] # first\nrule = \"S001\"\npath = \"x.json\"\nreason = \"r\"\n\n[limits]\nmax-depth = 64 # deep\n",
        ),
        ("crlf-no-final-newline", "# c\r\nselect = [\"S0\"]\r\n[limits]\r\nmax-depth = 64"),
    ];
    for (name, config) in cases {
        let d = Dir::new(&format!("add-awkward-{name}"));
        d.write("iamlint.toml", config);
        d.write("ci/deploy.json", PASS_ROLE);
        let r = check(&d.0, &["--add-ignores", "ci"]);
        assert_eq!(r.code, 0, "{name}: {}{}", r.stdout, r.stderr);
        let after = d.read("iamlint.toml");
        assert!(!after.contains(",,"), "{name}: doubled comma:\n{after}");
        for comment in ["# old", "# after", "# top comment", "# first", "# deep", "# none yet", "# c"] {
            assert_eq!(config.contains(comment), after.contains(comment), "{name}: lost `{comment}`:\n{after}");
        }
        if config.contains("\r\n") {
            assert!(!after.replace("\r\n", "").contains('\n'), "{name}: mixed line ends:\n{after:?}");
        }
        // Every original line is still there, in order.
        let mut rest = after.as_str();
        for line in config.lines().filter(|l| !l.starts_with("ignore = [")) {
            let at = rest.find(line).unwrap_or_else(|| panic!("{name}: `{line}` missing or moved:\n{after}"));
            rest = &rest[at + line.len()..];
        }
        let r = check(&d.0, &["ci"]);
        assert_eq!(r.code, 0, "{name}: the edited config must load and suppress:\n{after}\n{}{}", r.stdout, r.stderr);
    }
}
