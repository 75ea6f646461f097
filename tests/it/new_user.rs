//! What a new user tripped over (issue 21): silent passes, walks narrowed by `--include`/`--exclude`,
//! panics and hangs, verify/simulate/data errors, CLI conveniences. Every test drives the real binary.

use crate::support::{ROOT, iamlint, iamlint_with_stdin, stderr, stdout};
use std::path::{Path, PathBuf};

/// A temporary directory, removed on drop.
pub struct Dir(pub PathBuf);

impl Dir {
    pub fn new(name: &str) -> Dir {
        let p = std::env::temp_dir().join(format!("iamlint-new-user-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&p);
        std::fs::create_dir_all(&p).unwrap();
        Dir(p)
    }

    pub fn write(&self, rel: &str, text: &str) -> PathBuf {
        let p = self.0.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(&p, text).unwrap();
        p
    }

    pub fn read(&self, rel: &str) -> String {
        std::fs::read_to_string(self.0.join(rel)).unwrap()
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn code(o: &std::process::Output) -> i32 {
    o.status.code().unwrap_or(-1)
}

fn show(o: &std::process::Output) -> String {
    format!("exit {:?}\n--- stdout\n{}--- stderr\n{}", o.status.code(), stdout(o), stderr(o))
}

const POLICY: &str = r#"{"Version": "2012-10-17", "Statement": [{"Sid": "Pass", "Effect": "Allow", "Action": "iam:PassRole", "Resource": "*"}]}"#;

// --- 3. silent passes -------------------------------------------------------------------------------

#[test]
fn forced_input_type_on_another_kind_is_an_error() {
    let policy = Path::new(ROOT).join("examples/developer-role/trust-policy.json");
    let policy = policy.to_str().unwrap();
    for kind in ["account", "cloudformation", "terraform-plan"] {
        let o = iamlint(&["check", "--no-config", "--input-type", kind, policy], Path::new(ROOT));
        assert_eq!(code(&o), 2, "--input-type {kind}: {}", show(&o));
        assert!(stdout(&o).contains(&format!("`--input-type {kind}`: this file is not")), "{}", show(&o));
    }
    // The right kind still lints.
    let o = iamlint(&["check", "--no-config", "--input-type", "policy", policy], Path::new(ROOT));
    assert_eq!(code(&o), 1, "{}", show(&o));
}

#[test]
fn empty_object_is_not_a_silent_pass() {
    let d = Dir::new("empty-object");
    d.write("x.json", "{}");
    let o = iamlint(&["check", "--no-config", "-f", "concise", "x.json"], &d.0);
    assert_ne!(code(&o), 0, "{}", show(&o));
    assert!(stdout(&o).contains("E004"), "a named `{{}}` lacks its Statement: {}", show(&o));
    let o = iamlint_with_stdin(&["check", "--no-config", "-f", "concise", "-"], b"{}\n");
    assert_ne!(code(&o), 0, "{}", show(&o));
    assert!(stdout(&o).contains("E004"), "{}", show(&o));
    // A named file of another kind entirely is an error, not a pass.
    d.write("ci.yml", "on: push\njobs: {}\n");
    let o = iamlint(&["check", "--no-config", "-f", "concise", "ci.yml"], &d.0);
    assert_eq!(code(&o), 2, "{}", show(&o));
    assert!(stdout(&o).contains("not an IAM policy"), "{}", show(&o));
    // In a directory walk such files are still skipped silently.
    let o = iamlint(&["check", "--no-config", "-f", "concise", "."], &d.0);
    assert_eq!(code(&o), 0, "{}", show(&o));
}

#[test]
fn recording_runs_fail_on_missing_paths() {
    let d = Dir::new("record-missing");
    d.write("p.json", POLICY);
    d.write("iamlint.toml", "select = [\"S0\"]\n");
    let before = d.read("iamlint.toml");
    let o = iamlint(&["check", "--add-ignores", "p.json", "missing.json"], &d.0);
    assert_eq!(code(&o), 2, "{}", show(&o));
    assert!(stdout(&o).contains("missing.json"), "{}", show(&o));
    assert_eq!(d.read("iamlint.toml"), before, "nothing may be written after an error");
    let o = iamlint(&["check", "--write-baseline", "b.json", "p.json", "missing.json"], &d.0);
    assert_eq!(code(&o), 2, "{}", show(&o));
    assert!(!d.0.join("b.json").exists());
}

// --- 4. --include / --exclude ----------------------------------------------------------------------

#[test]
fn exclude_follows_gitignore_semantics() {
    let d = Dir::new("exclude");
    d.write("cfn/p.json", POLICY);
    d.write("nested/cfn/q.json", POLICY);
    d.write("keep/r.json", POLICY);
    for pattern in ["cfn", "cfn/", "cfn/**"] {
        let o = iamlint(&["check", "--no-config", "-f", "concise", "--exclude", pattern, "."], &d.0);
        let out = stdout(&o);
        assert!(out.contains("keep/r.json"), "--exclude {pattern}: {}", show(&o));
        if pattern == "cfn/**" {
            continue;
        }
        assert!(!out.contains("cfn/"), "--exclude {pattern} must exclude every directory `cfn`: {}", show(&o));
    }
    // An explicit file below an excluded directory is excluded too.
    let o = iamlint(&["check", "--no-config", "-f", "concise", "--exclude", "cfn", "cfn/p.json", "keep/r.json"], &d.0);
    assert!(!stdout(&o).contains("cfn/p.json"), "{}", show(&o));
}

#[test]
fn narrowed_walk_does_not_judge_ignores_for_files_outside_it() {
    let d = Dir::new("narrowed");
    d.write(
        "iamlint.toml",
        "select = [\"S0\"]\n\n[[ignore]]\nrule = \"S004\"\npath = \"legacy/*.json\"\nreason = \"old\"\n",
    );
    d.write("legacy/p.json", POLICY);
    d.write("new/clean.json", r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}]}"#);
    let o = iamlint(&["check", "-f", "concise", "."], &d.0);
    assert_eq!(code(&o), 0, "{}", show(&o));
    for flags in [["--exclude", "legacy"], ["--include", "new/*.json"]] {
        let o = iamlint(&["check", "-f", "concise", flags[0], flags[1], "."], &d.0);
        assert_eq!(code(&o), 0, "{flags:?}: {}", show(&o));
        assert!(!stdout(&o).contains("W000"), "{flags:?}: {}", show(&o));
    }
}

// --- 5. no panic, no spinning threads, no LSP exit ---------------------------------------------------

const SIMPLE: &str =
    r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}"#;

#[test]
fn simulate_bad_resource_owner_is_an_error_not_a_panic() {
    let o = iamlint(
        &["simulate", "--policy-input-list", SIMPLE, "--action-names", "s3:GetObject", "--resource-owner", "a:b"],
        Path::new(ROOT),
    );
    assert_eq!(code(&o), 2, "{}", show(&o));
    assert!(stderr(&o).contains("--resource-owner `a:b` is not an account"), "{}", show(&o));
    assert!(!stderr(&o).contains("panicked"), "{}", show(&o));
}

#[test]
fn lsp_answers_a_malformed_message_and_keeps_serving() {
    let frame = |body: &str| format!("Content-Length: {}\r\n\r\n{body}", body.len());
    let mut input = String::new();
    input += &frame(r#"{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}}"#);
    input += &frame(r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#);
    input += &frame("{this is not json");
    input += &frame(r#"{"jsonrpc":"2.0","id":2,"method":"shutdown"}"#);
    input += &frame(r#"{"jsonrpc":"2.0","method":"exit"}"#);
    let o = iamlint_with_stdin(&["lsp"], input.as_bytes());
    let out = stdout(&o);
    assert!(out.contains(r#""id":null"#) && out.contains("-32700"), "no parse error response: {}", show(&o));
    assert!(out.contains(r#""id":2"#), "the server stopped serving after the malformed message: {}", show(&o));
    assert_eq!(code(&o), 0, "{}", show(&o));
}

/// hcl-edit backtracks exponentially on some inputs and cannot be interrupted: however many such files
/// are linted, only a bounded number of parser threads may be left running (4, `MAX_SUSPECT_PARSERS`), and files that parse normally are not held up.
#[test]
fn hostile_hcl_files_leave_a_bounded_number_of_threads() {
    let hostile = String::from_utf8_lossy(include_bytes!("../../fuzz/regressions/hcl-parser-backtracking.bin"));
    let wave = || {
        std::thread::scope(|s| {
            for _ in 0..4 {
                s.spawn(|| {
                    let t = iamlint::sources::extract(
                        iamlint::sources::InputType::Terraform,
                        &hostile,
                        iamlint::parse::Limits::default(),
                    );
                    assert!(!t.issues.is_empty(), "a hostile file must be a finding");
                });
            }
        });
    };
    // The second wave comes while the first one's parsers still run (each takes far longer than the
    // deadline): it must not add threads.
    wave();
    wave();
    let parsers = std::fs::read_dir("/proc/self/task").map_or(0, |d| {
        d.filter_map(Result::ok)
            .filter(|t| std::fs::read_to_string(t.path().join("comm")).is_ok_and(|c| c.trim() == "iamlint-hcl-bad"))
            .count()
    });
    assert!(parsers <= 4, "{parsers} HCL parser threads left running");
    let fine = iamlint::sources::extract(
        iamlint::sources::InputType::Terraform,
        "resource \"aws_iam_policy\" \"p\" {\n  policy = jsonencode({ Version = \"2012-10-17\", Statement = [] })\n}\n",
        iamlint::parse::Limits::default(),
    );
    assert!(fine.issues.is_empty(), "{:?}", fine.issues);
}

// --- 6. verify/simulate check names against the catalog ---------------------------------------------

#[test]
fn simulate_refuses_unknown_actions_and_keys_with_a_suggestion() {
    let o = iamlint(&["simulate", "--policy-input-list", SIMPLE, "--action-names", "s3:GetObjekt"], Path::new(ROOT));
    assert_eq!(code(&o), 2, "{}", show(&o));
    assert!(stderr(&o).contains("did you mean `s3:GetObject`?"), "{}", show(&o));
    let o = iamlint(
        &[
            "simulate",
            "--policy-input-list",
            SIMPLE,
            "--action-names",
            "s3:GetObject",
            "--context-entries",
            "ContextKeyName=aws:MultiFactorAuthPresnt,ContextKeyValues=true,ContextKeyType=boolean",
        ],
        Path::new(ROOT),
    );
    assert_eq!(code(&o), 2, "{}", show(&o));
    assert!(stderr(&o).contains("did you mean `aws:MultiFactorAuthPresent`?"), "{}", show(&o));
}

#[test]
fn verify_refuses_typos_and_wildcards_in_expectations() {
    let d = Dir::new("verify-typos");
    d.write("p.json", SIMPLE);
    d.write(
        "trust.json",
        r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}"#,
    );
    let file = |action: &str| {
        format!(
            "kind = \"role\"\nname = \"R\"\naccount = \"123456789012\"\ntrust-policy = \"trust.json\"\n\
             inline-policies = [\"p.json\"]\n\n[[expect]]\naction = \"{action}\"\ndecision = \"implicitDeny\"\n"
        )
    };
    d.write("typo.principal.toml", &file("s3:GetObjekt"));
    let o = iamlint(&["verify", "typo.principal.toml"], &d.0);
    assert_eq!(code(&o), 2, "{}", show(&o));
    assert!(stdout(&o).contains("did you mean `s3:GetObject`?"), "{}", show(&o));
    d.write("wild.principal.toml", &file("s3:*"));
    let o = iamlint(&["verify", "wild.principal.toml"], &d.0);
    assert_eq!(code(&o), 2, "{}", show(&o));
    assert!(stdout(&o).contains("is a pattern"), "{}", show(&o));
}

// --- 8. data: errors with suggestions, pure JSON ------------------------------------------------------

#[test]
fn data_lookups_that_find_nothing_say_why() {
    for (args, says) in [
        (&["data", "policy", "PowerUserAcess"][..], "did you mean `PowerUserAccess`?"),
        (&["data", "actions", "s3"][..], "`s3` is a service prefix"),
        (&["data", "keys", "aws"][..], "`aws` is not an action"),
        (&["data", "keys", "s3:GetObjekt"][..], "did you mean `s3:GetObject`?"),
    ] {
        let o = iamlint(args, Path::new(ROOT));
        assert_eq!(code(&o), 2, "{args:?}: {}", show(&o));
        assert!(stderr(&o).contains(says), "{args:?}: {}", show(&o));
        assert!(stdout(&o).is_empty(), "{args:?}: {}", show(&o));
    }
}

#[test]
fn data_policy_prints_pure_json() {
    let o = iamlint(&["data", "policy", "PowerUserAccess"], Path::new(ROOT));
    assert_eq!(code(&o), 0, "{}", show(&o));
    let doc: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("stdout is one JSON document");
    assert_eq!(doc["Version"], "2012-10-17");
}

// --- 9. paths and unknown rules: one clear message ------------------------------------------------------

#[test]
fn paths_errors_are_said_once_and_clearly() {
    let dump = Path::new(ROOT).join("tests/fixtures/escalation-path.account.json");
    let o = iamlint(&["paths", "nobody-by-this-name", "--account", dump.to_str().unwrap()], Path::new(ROOT));
    assert_eq!(code(&o), 2, "{}", show(&o));
    let err = stderr(&o);
    assert_eq!(err.matches("no user or role `nobody-by-this-name`").count(), 1, "{}", show(&o));
    assert!(!err.contains("cannot write output"), "{}", show(&o));
    let o = iamlint(&["paths", "bob", "--account", "missing-dump.json"], Path::new(ROOT));
    assert_eq!(code(&o), 2, "{}", show(&o));
    assert!(stderr(&o).contains("cannot read the account dump `missing-dump.json`"), "{}", show(&o));
    assert!(!stderr(&o).contains("cannot write output"), "{}", show(&o));
}

#[test]
fn unknown_rules_get_a_did_you_mean() {
    let o = iamlint(&["rule", "S10"], Path::new(ROOT));
    let o2 = iamlint(&["rule", "missing-mfaa"], Path::new(ROOT));
    let o3 = iamlint(&["check", "--select", "S1O1", "examples"], Path::new(ROOT));
    for o in [o, o2, o3] {
        assert_eq!(code(&o), 2, "{}", show(&o));
        assert!(!stderr(&o).contains("iamlint::unknown_rule"), "{}", show(&o));
        assert!(stderr(&o).contains("did you mean `"), "{}", show(&o));
    }
}

// --- 7. verify: a table, JUnit per expectation, the usual flags ---------------------------------------

#[test]
fn verify_lists_every_expectation_and_writes_junit_per_expectation() {
    let example = Path::new(ROOT).join("examples/developer-role/developer-role.principal.toml");
    let example = example.to_str().unwrap();
    let o = iamlint(&["verify", "--no-config", example], Path::new(ROOT));
    // Piped, stdout is the concise findings (none) and the table goes to stderr.
    assert!(stdout(&o).is_empty(), "{}", show(&o));
    let out = stderr(&o);
    assert!(
        out.contains("ok   ") && out.contains("expectations held"),
        "piped verify must list what held: {}",
        show(&o)
    );
    let human = iamlint(&["verify", "--no-config", "-f", "human", example], Path::new(ROOT));
    assert_eq!(stdout(&human).matches("ok   ").count(), out.matches("ok   ").count(), "{}", show(&human));
    let expectations = std::fs::read_to_string(example).unwrap().matches("[[expect]]").count();
    assert!(expectations > 1);
    assert_eq!(out.lines().filter(|l| l.starts_with("ok ") || l.starts_with("FAIL ")).count(), expectations, "{out}");
    let d = Dir::new("verify-junit");
    let junit = d.0.join("verify.xml");
    let o = iamlint(&["verify", "--no-config", "-f", "junit", "-o", junit.to_str().unwrap(), example], Path::new(ROOT));
    assert!(matches!(code(&o), 0 | 1), "{}", show(&o));
    let xml = std::fs::read_to_string(&junit).unwrap();
    assert_eq!(xml.matches("<testcase ").count(), expectations, "{xml}");
    // `--fail-on error` lets expectation mismatches (warnings) pass; iamlint.toml can ignore V001.
    let o = iamlint(&["verify", "--no-config", "--fail-on", "error", example], Path::new(ROOT));
    assert_eq!(code(&o), 0, "{}", show(&o));
}

#[test]
fn verify_honours_the_configuration() {
    let d = Dir::new("verify-config");
    d.write("p.json", SIMPLE);
    d.write(
        "trust.json",
        r#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}"#,
    );
    d.write(
        "r.principal.toml",
        "kind = \"role\"\nname = \"R\"\naccount = \"123456789012\"\ntrust-policy = \"trust.json\"\n\
         inline-policies = [\"p.json\"]\n\n[[expect]]\naction = \"s3:GetObject\"\ndecision = \"implicitDeny\"\n",
    );
    let o = iamlint(&["verify", "."], &d.0);
    assert_eq!(code(&o), 1, "the expectation is wrong: {}", show(&o));
    d.write("iamlint.toml", "[severity]\nV001 = \"suggestion\"\n");
    let o = iamlint(&["verify", "."], &d.0);
    assert_eq!(code(&o), 0, "iamlint.toml lowers V001 below --fail-on: {}", show(&o));
    d.write(
        "iamlint.toml",
        "[[ignore]]\nrule = \"V001\"\npath = \"r.principal.toml\"\nreason = \"known gap, ticket 12\"\n",
    );
    let o = iamlint(&["verify", "."], &d.0);
    assert_eq!(code(&o), 0, "an [[ignore]] entry accepts the mismatch: {}", show(&o));
}

#[test]
fn verify_on_a_policy_says_it_is_not_a_principal_file() {
    let o = iamlint(&["verify", "examples/developer-role/trust-policy.json"], Path::new(ROOT));
    assert_eq!(code(&o), 2, "{}", show(&o));
    assert!(stdout(&o).contains("not a principal file"), "{}", show(&o));
    assert!(!stdout(&o).contains("TOML parse error"), "{}", show(&o));
}

// --- 10. check: --fix, --exit-zero, --quiet, --stdin-filename, -o by extension ------------------------

#[test]
fn check_fix_applies_the_safe_fixes() {
    let d = Dir::new("fix");
    d.write(
        "p.json",
        "{\"Version\": \"2008-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:GetObject\", \"Resource\": \"arn:aws:s3:::b/*\"},]}\n",
    );
    let o = iamlint(&["check", "--no-config", "-f", "concise", "p.json"], &d.0);
    assert!(stdout(&o).contains("E000") && stdout(&o).contains("W002"), "{}", show(&o));
    let o = iamlint(&["check", "--no-config", "-f", "concise", "--fix", "p.json"], &d.0);
    assert_eq!(code(&o), 0, "{}", show(&o));
    assert!(stderr(&o).contains("fixed 2 findings in 1 file"), "{}", show(&o));
    let fixed = d.read("p.json");
    assert!(fixed.contains("\"2012-10-17\"") && fixed.contains("}]}"), "{fixed}");
    let o = iamlint(&["check", "--no-config", "-f", "concise", "--unsafe-fixes", "p.json"], &d.0);
    assert_eq!(code(&o), 2, "--unsafe-fixes needs --fix: {}", show(&o));
}

#[test]
fn check_exit_zero_and_quiet() {
    let d = Dir::new("exit-zero");
    d.write("p.json", POLICY);
    let o = iamlint(&["check", "--no-config", "p.json"], &d.0);
    assert_eq!(code(&o), 1, "{}", show(&o));
    assert!(stderr(&o).contains("1 file checked"), "piped runs print the summary on stderr: {}", show(&o));
    let o = iamlint(&["check", "--no-config", "--exit-zero", "-q", "p.json"], &d.0);
    assert_eq!(code(&o), 0, "{}", show(&o));
    assert!(!stdout(&o).is_empty(), "{}", show(&o));
    assert!(stderr(&o).is_empty(), "--quiet prints no summary: {}", show(&o));
    let o = iamlint(&["check", "--no-config", "-f", "human", "-q", "p.json"], &d.0);
    assert!(!stdout(&o).contains("checked"), "{}", show(&o));
    let o = iamlint(&["check", "--no-config", "--exit-zero", "missing.json"], &d.0);
    assert_eq!(code(&o), 2, "errors still exit 2: {}", show(&o));
}

#[test]
fn check_stdin_filename_names_and_detects_standard_input() {
    let tf = "resource \"aws_iam_policy\" \"p\" {\n  policy = jsonencode({\n    Version = \"2012-10-17\"\n    Statement = [{ Effect = \"Allow\", Action = \"iam:PassRole\", Resource = \"*\" }]\n  })\n}\n";
    let o = iamlint_with_stdin(
        &["check", "--no-config", "-f", "concise", "--stdin-filename", "infra/main.tf", "-"],
        tf.as_bytes(),
    );
    assert_eq!(code(&o), 1, "{}", show(&o));
    assert!(stdout(&o).starts_with("infra/main.tf:"), "{}", show(&o));
    assert!(stdout(&o).contains("S004"), "{}", show(&o));
}

#[test]
fn check_output_format_follows_the_extension() {
    let d = Dir::new("output-ext");
    d.write("p.json", POLICY);
    for (file, starts) in [("r.sarif", "{"), ("r.json", "{"), ("r.xml", "<?xml")] {
        let o = iamlint(&["check", "--no-config", "-o", file, "p.json"], &d.0);
        assert_eq!(code(&o), 1, "{}", show(&o));
        let text = d.read(file);
        assert!(text.starts_with(starts), "{file}: {text}");
        if file == "r.sarif" {
            assert!(text.contains("\"$schema\"") && text.contains("sarif"), "{text}");
        }
        if file == "r.json" {
            assert!(!text.contains("\"$schema\": \"https://json.schemastore.org/sarif"), "{text}");
        }
    }
    let o = iamlint(&["check", "--no-config", "-o", "report.txt", "p.json"], &d.0);
    assert_eq!(code(&o), 2, "{}", show(&o));
    assert!(stderr(&o).contains("cannot tell the format of `report.txt`"), "{}", show(&o));
}

// --- 11. completions, man, init, rules filters, --version -------------------------------------------

#[test]
fn completions_man_and_version() {
    for shell in ["bash", "zsh", "fish"] {
        let o = iamlint(&["completions", shell], Path::new(ROOT));
        assert_eq!(code(&o), 0, "{shell}: {}", show(&o));
        assert!(stdout(&o).contains("iamlint") && stdout(&o).contains("check"), "{shell}");
    }
    let o = iamlint(&["man"], Path::new(ROOT));
    assert_eq!(code(&o), 0, "{}", show(&o));
    assert!(stdout(&o).contains(".TH iamlint"), "{}", show(&o));
    let o = iamlint(&["--version"], Path::new(ROOT));
    assert_eq!(code(&o), 0, "{}", show(&o));
    let v = stdout(&o);
    assert!(v.contains("AWS data: service reference of 20") && v.contains("features: "), "{v}");
}

#[test]
fn init_writes_a_loadable_config_and_never_overwrites() {
    let d = Dir::new("init");
    let o = iamlint(&["init"], &d.0);
    assert_eq!(code(&o), 0, "{}", show(&o));
    let text = d.read("iamlint.toml");
    assert!(text.starts_with("## iamlint configuration"), "{text}");
    d.write("p.json", SIMPLE);
    let o = iamlint(&["check", "p.json"], &d.0);
    assert_ne!(code(&o), 2, "the written config must load: {}", show(&o));
    // Prose is in `##` comments; every `#` example setting is valid when uncommented.
    let uncommented: String = text.lines().filter_map(|l| l.strip_prefix("# ")).flat_map(|l| [l, "\n"]).collect();
    if let Err(e) = iamlint::config::Config::parse(uncommented.clone(), Path::new("iamlint.toml")) {
        panic!("{uncommented}\n{:?}", miette::Report::new(e));
    }
    d.write("iamlint.toml", "select = [\"S\"]\n");
    let o = iamlint(&["init"], &d.0);
    assert_eq!(code(&o), 2, "{}", show(&o));
    assert!(stderr(&o).contains("already exists"), "{}", show(&o));
    assert_eq!(d.read("iamlint.toml"), "select = [\"S\"]\n");
}

#[test]
fn rules_filter_by_category_and_severity() {
    let o = iamlint(&["rules", "--category", "security", "--severity", "security-warning"], Path::new(ROOT));
    assert_eq!(code(&o), 0, "{}", show(&o));
    let text = stdout(&o);
    let lines: Vec<&str> = text.lines().collect();
    assert!(!lines.is_empty());
    assert!(lines.iter().all(|l| l.starts_with('S') && l.contains("security-warning")), "{lines:?}");
    let all = stdout(&iamlint(&["rules"], Path::new(ROOT))).lines().count();
    assert!(lines.len() < all);
}

// --- 12. suppressions where the code is ---------------------------------------------------------------

fn example(name: &str) -> String {
    std::fs::read_to_string(Path::new(ROOT).join("examples/developer-role").join(name)).unwrap()
}

#[test]
fn ignore_entries_can_be_scoped_to_a_resource() {
    let d = Dir::new("resource-ignore");
    d.write("template.yaml", &example("template.yaml"));
    d.write("main.tf", &example("main.tf"));
    let config = |cfn: &str, tf: &str| {
        format!(
            "[[ignore]]\nrule = \"S106\"\npath = \"template.yaml\"\nresource = \"{cfn}\"\nreason = \"break-glass\"\n\n\
             [[ignore]]\nrule = \"S106\"\npath = \"main.tf\"\nresource = \"{tf}\"\nreason = \"break-glass\"\n"
        )
    };
    d.write("iamlint.toml", &config("DeveloperRole", "data.aws_iam_policy_document.developer_trust"));
    let o = iamlint(&["check", "-f", "concise", "."], &d.0);
    assert_eq!(code(&o), 0, "{}", show(&o));
    // A `sid` scopes an entry inside templates too.
    d.write(
        "iamlint.toml",
        "[[ignore]]\nrule = \"S106\"\npath = \"*\"\nsid = \"AliceMayAssume\"\nreason = \"break-glass\"\n",
    );
    let o = iamlint(&["check", "-f", "concise", "."], &d.0);
    assert_eq!(code(&o), 0, "{}", show(&o));
    d.write("iamlint.toml", &config("OtherRole", "aws_iam_role.other"));
    let o = iamlint(&["check", "-f", "concise", "."], &d.0);
    assert_eq!(code(&o), 1, "{}", show(&o));
    let out = stdout(&o);
    assert_eq!(out.matches(" S106 ").count(), 2, "{out}");
    assert_eq!(out.matches(" W000 ").count(), 2, "{out}");
}

#[test]
fn comments_suppress_in_yaml_and_hcl() {
    let d = Dir::new("comment-ignore");
    let yaml = example("template.yaml")
        .replace("  DeveloperRole:\n", "  # iamlint-ignore S106: alice is the break-glass user\n  DeveloperRole:\n");
    let tf = example("main.tf").replace(
        "data \"aws_iam_policy_document\" \"developer_trust\" {",
        "# iamlint-ignore missing-mfa: alice is the break-glass user\ndata \"aws_iam_policy_document\" \"developer_trust\" {",
    );
    assert!(yaml.contains("iamlint-ignore") && tf.contains("iamlint-ignore"));
    d.write("template.yaml", &yaml);
    d.write("main.tf", &tf);
    let o = iamlint(&["check", "--no-config", "-f", "concise", "."], &d.0);
    assert_eq!(code(&o), 0, "{}", show(&o));
    // No reason: nothing is suppressed, and the comment is reported.
    d.write("template.yaml", &yaml.replace(": alice is the break-glass user", ""));
    let o = iamlint(&["check", "--no-config", "-f", "concise", "template.yaml"], &d.0);
    assert_eq!(code(&o), 1, "{}", show(&o));
    assert!(stdout(&o).contains(" S106 ") && stdout(&o).contains("has no reason"), "{}", show(&o));
    // A comment that suppresses nothing is reported as unused, at the comment.
    d.write("main.tf", &tf.replace("missing-mfa", "S001"));
    let o = iamlint(&["check", "--no-config", "-f", "concise", "main.tf"], &d.0);
    assert!(stdout(&o).contains("main.tf:3:1: W000"), "{}", show(&o));
}

// --- 13. SARIF and pre-commit -------------------------------------------------------------------------

#[test]
fn sarif_escapes_uris_and_ranks_security() {
    let d = Dir::new("sarif");
    d.write("a #1/p q.json", POLICY);
    let o = iamlint(&["check", "--no-config", "-f", "sarif", "a #1/p q.json"], &d.0);
    assert_eq!(code(&o), 1, "{}", show(&o));
    let doc: serde_json::Value = serde_json::from_str(&stdout(&o)).unwrap();
    let uri =
        doc["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].as_str().unwrap();
    assert_eq!(uri, "a%20%231/p%20q.json");
    let rules = doc["runs"][0]["tool"]["driver"]["rules"].as_array().unwrap();
    for r in rules {
        let score: f64 = r["properties"]["security-severity"].as_str().unwrap().parse().unwrap();
        assert!((0.0..=10.0).contains(&score), "{r}");
    }
}

#[test]
fn pre_commit_hooks_cover_principal_files_and_offer_a_system_hook() {
    let text = std::fs::read_to_string(Path::new(ROOT).join(".pre-commit-hooks.yaml")).unwrap();
    let files: Vec<regex::Regex> =
        text.lines().filter_map(|l| l.trim().strip_prefix("files: ")).map(|p| regex::Regex::new(p).unwrap()).collect();
    assert_eq!(files.len(), 2, "{text}");
    for re in &files {
        for path in ["roles/dev.principal.toml", "p.json", "t.yaml", "main.tf"] {
            assert!(re.is_match(path), "{re} misses {path}");
        }
        assert!(!re.is_match("Cargo.toml"), "{re}");
    }
    assert!(text.contains("- id: iamlint-system") && text.contains("language: system"), "{text}");
}

// --- 15. cosmetics ----------------------------------------------------------------------------------

#[test]
fn paths_accepts_the_kind_in_any_case_and_counts_read_well() {
    let dump = Path::new(ROOT).join("tests/fixtures/escalation-path.account.json");
    let o = iamlint(&["paths", "User/dev", "--account", dump.to_str().unwrap()], Path::new(ROOT));
    assert_eq!(code(&o), 1, "{}", show(&o));
    assert!(stdout(&o).starts_with("user/dev → "), "{}", show(&o));
    let d = Dir::new("plural");
    d.write("p.json", POLICY);
    let o = iamlint(&["check", "--no-config", "--select", "S004", "-f", "human", "p.json"], &d.0);
    assert!(stdout(&o).contains("1 file checked, 1 finding: "), "{}", show(&o));
    d.write("read.json", SIMPLE);
    let o = iamlint(&["check", "--no-config", "--select", "S206", "read.json"], &d.0);
    assert!(stdout(&o).contains("1 action that reads stored data or secrets is allowed"), "{}", show(&o));
    let o = iamlint(&["check", "--no-config", "--select", "S004", "--write-baseline", "b.json", "p.json"], &d.0);
    assert!(stdout(&o).contains("wrote 1 finding to b.json"), "{}", show(&o));
}
