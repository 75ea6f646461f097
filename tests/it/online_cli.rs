//! `--online`/`--confirm` without the `aws` feature (verify, simulate, check and diff): a clear exit-2
//! error that says how to get it.

use crate::support::{ROOT, iamlint, stderr, stdout};
use std::path::Path;

const MESSAGE: &str = "iamlint was built without online support; install with `cargo install iamlint --features aws`";

fn run(args: &[&str]) -> (Option<i32>, String, String) {
    let out = iamlint(args, Path::new(ROOT));
    (out.status.code(), stdout(&out), stderr(&out))
}

#[test]
fn online_flags_need_the_aws_feature() {
    for args in [
        &["verify", "--online", "examples/developer-role/developer-role.principal.toml"][..],
        &["simulate", "--online", "--policy-input-list", "{}", "--action-names", "s3:GetObject"][..],
        &["check", "--confirm", "examples/developer-role/trust-policy.json"][..],
        &["diff", "--online", "fixtures/diff/removed_deny/old.json", "fixtures/diff/removed_deny/new.json"][..],
    ] {
        let (code, stdout, stderr) = run(args);
        assert_eq!(code, Some(2), "{args:?}: {stdout}{stderr}");
        assert_eq!(stderr.lines().next(), Some(format!("error: {MESSAGE}").as_str()), "{args:?}");
        assert!(stderr.contains("help: "), "{stderr}");
        assert!(stdout.is_empty(), "{args:?}: nothing else is printed: {stdout}");
    }
}

#[test]
fn without_online_flags_verify_stays_offline() {
    // The same file verifies offline with no AWS environment at all.
    let (code, stdout, stderr) = run(&["verify", "examples/developer-role/developer-role.principal.toml"]);
    assert_eq!(code, Some(0), "{stdout}{stderr}");
    assert!(!stdout.contains("online:"), "{stdout}");
}
