//! Hostile inputs: none may crash, hang or exhaust memory; each gives a finding or an error and the run
//! goes on. Large inputs are generated at test time, never committed.

use crate::support::{iamlint, iamlint_with_stdin, stdout};
use std::path::Path;

fn concise(dir: &Path, extra: &[&str]) -> (Option<i32>, String) {
    let mut args = vec!["check", "--format", "concise"];
    args.extend_from_slice(extra);
    let out = iamlint(&args, dir);
    let stderr = crate::support::stderr(&out);
    assert!(!stderr.contains("panicked"), "{stderr}");
    (out.status.code(), stdout(&out))
}

const GOOD: &str = r#"{"Version": "2012-10-17", "Statement": [{"Sid": "Read", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b/*"}]}"#;

fn write(dir: &Path, name: &str, bytes: &[u8]) {
    std::fs::write(dir.join(name), bytes).unwrap();
}

#[test]
fn deep_nesting_is_bounded_not_a_stack_overflow() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "deep.json", "[".repeat(100_000).as_bytes());
    let obj = format!("{}{}", "{\"a\":".repeat(100_000), "}".repeat(100_000));
    write(dir.path(), "deep_objects.json", obj.as_bytes());
    write(dir.path(), "good.json", GOOD.as_bytes());
    let (code, text) = concise(dir.path(), &["."]);
    assert_eq!(code, Some(1));
    assert!(
        text.contains("deep.json:1:65: E000 [error] arrays and objects are nested deeper than 64 levels"),
        "{text}"
    );
    assert!(text.contains("deep_objects.json:1:"), "{text}");
}

#[test]
#[ignore = "heavy: run in CI with --ignored"]
fn a_50_mib_policy_is_refused_by_default_and_linted_when_allowed() {
    let dir = tempfile::tempdir().unwrap();
    // One statement a line; the last one, past 50 MiB, says `Permit`.
    let stmt = r#"{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::bucket/key"},"#;
    let n = 50 * 1024 * 1024 / (stmt.len() + 1) + 1;
    let mut big = String::with_capacity(n * (stmt.len() + 1) + 200);
    big.push_str("{\"Version\": \"2012-10-17\", \"Statement\": [\n");
    for _ in 0..n {
        big.push_str(stmt);
        big.push('\n');
    }
    big.push_str(r#"{"Effect": "Permit", "Action": "s3:GetObject", "Resource": "*"}"#);
    big.push_str("\n]}\n");
    assert!(big.len() > 50 * 1024 * 1024);
    write(dir.path(), "big.json", big.as_bytes());
    write(dir.path(), "good.json", GOOD.as_bytes());
    let (code, text) = concise(dir.path(), &["."]);
    assert_eq!(code, Some(2), "{text}");
    assert!(text.contains("big.json: error: file is"), "{text}");
    // Allowed, the whole file is parsed and checked: the grammar findings are the size quota, at
    // `Statement`, and the one mistake, on the last statement's line.
    let (code, text) = concise(dir.path(), &["--max-file-size", "100000000", "--select", "E", "big.json"]);
    assert_eq!(code, Some(1), "{}", &text[..text.len().min(2000)]);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 2, "{text}");
    // Nothing says where a loose identity policy is attached: the managed-policy quota is a warning.
    assert!(lines[0].starts_with("big.json:1:27: E022 [warning] the policy is "), "{text}");
    assert!(lines[0].ends_with("over the managed policy quota of 6,144 if it is attached as a managed policy; nothing here says where it is attached"), "{text}");
    assert_eq!(lines[1], format!("big.json:{}:12: E006 [error] `Permit` is not a valid `Effect`", n + 2));
}

#[test]
#[ignore = "heavy: run in CI with --ignored"]
fn a_10_mb_line_and_100_000_statements_are_linted() {
    let dir = tempfile::tempdir().unwrap();
    let long_sid = "A".repeat(10 * 1024 * 1024);
    let line = format!(
        r#"{{"Version": "2012-10-17", "Statement": [{{"Sid": "{long_sid}", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "*",}}]}}"#
    );
    write(dir.path(), "long_line.json", line.as_bytes());
    let stmts: Vec<String> = (0..100_000)
        .map(|i| {
            format!(
                r#"{{"Sid": "S{i}", "Effect": "Allow", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::b{i}/*"}}"#
            )
        })
        .collect();
    let many = format!(r#"{{"Version": "2012-10-17", "Statement": [{}]}}"#, stmts.join(",\n"));
    write(dir.path(), "many.json", many.as_bytes());
    let (code, text) = concise(dir.path(), &["--max-file-size", "100000000", "--select", "E", "."]);
    assert_eq!(code, Some(1), "{}", &text[..text.len().min(2000)]);
    // The trailing comma sits after ten million characters on line 1.
    assert!(
        text.contains(&format!("long_line.json:1:{}: E000 [error] trailing comma", 10 * 1024 * 1024 + 113)),
        "{}",
        &text[..text.len().min(2000)]
    );
}

#[test]
fn nul_bytes_encodings_and_huge_numbers() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "nul.json", b"{\"Version\": \"2012-10-17\"\x00}");
    write(dir.path(), "nul_in_string.json", b"{\"Version\": \"2012\x00-10-17\"}");
    let mut utf16 = vec![0xFF, 0xFE];
    utf16.extend(GOOD.encode_utf16().flat_map(u16::to_le_bytes));
    write(dir.path(), "utf16.json", &utf16);
    write(dir.path(), "latin1.json", b"{\"Sid\": \"\xff\xfe\"}");
    write(dir.path(), "numbers.json", br#"{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "*", "Condition": {"NumericLessThan": {"s3:max-keys": 1e999999}}}]}"#);
    let (code, text) = concise(dir.path(), &["."]);
    assert_eq!(code, Some(1), "{text}");
    assert!(text.contains("nul.json:1:25: E000 [error] expected `,` or `}`, found control character U+0000"), "{text}");
    assert!(text.contains("nul_in_string.json:1:18: E000 [error] control character U+0000 inside a string"), "{text}");
    assert!(text.contains("utf16.json:1:1: E000 [error] the file is UTF-16"), "{text}");
    assert!(text.contains("latin1.json:1:10: E000 [error] invalid UTF-8 byte 0xFF"), "{text}");
}

#[test]
fn garbage_on_stdin_is_a_finding() {
    let garbage: Vec<u8> = (0..100_000u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 24) as u8).collect();
    let out = iamlint_with_stdin(&["check", "--format", "concise", "-"], &garbage);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).starts_with("<stdin>:1:"));
}

#[cfg(target_os = "linux")]
#[test]
fn unreadable_files_devices_and_vanished_paths_are_errors_and_the_run_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "good.json", GOOD.as_bytes());
    // Root can read any mode-000 file, so use files the kernel refuses to read instead.
    std::os::unix::fs::symlink("/proc/self/mem", dir.path().join("mem.json")).unwrap();
    std::os::unix::fs::symlink("/dev/zero", dir.path().join("zero.json")).unwrap();
    std::os::unix::fs::symlink(dir.path().join("vanished-target.json"), dir.path().join("dangling.json")).unwrap();
    let (code, text) = concise(dir.path(), &["."]);
    assert_eq!(code, Some(2), "{text}");
    assert!(text.contains("mem.json: error:"), "{text}");
    assert!(text.contains("zero.json: error: not a regular file"), "{text}");
    assert!(text.contains("dangling.json: error:"), "{text}");
    assert!(!text.contains("good.json"), "the good file is linted cleanly: {text}");
}

#[test]
fn pathological_wildcards_finish() {
    // `*a*a*a…*b` against a long run of `a`s is the classic exponential case for a backtracking
    // matcher; ours keeps only the last star, so this is at most |pattern|·|text| steps.
    let pattern = format!("arn:aws:s3:::{}b", "*a".repeat(300));
    let text = format!("arn:aws:s3:::{}", "a".repeat(20_000));
    assert!(!iamlint::eval::matcher::glob(&pattern, &text, false));
    assert!(iamlint::eval::matcher::glob(&pattern, &format!("{text}b"), false));
    assert!(!iamlint::semantics::wildcard::matches(&pattern, &text, true));

    // The same through the whole pipeline: a policy full of such patterns is linted, not hung on.
    let dir = tempfile::tempdir().unwrap();
    let resources: Vec<String> = (0..50).map(|_| format!("\"{pattern}\"")).collect();
    let actions: Vec<String> = (0..50).map(|i| format!("\"s3:{}Get{i}\"", "*a".repeat(100))).collect();
    let policy = format!(
        r#"{{"Version": "2012-10-17", "Statement": [{{"Effect": "Allow", "Action": [{}], "Resource": [{}]}}]}}"#,
        actions.join(","),
        resources.join(",")
    );
    write(dir.path(), "wild.json", policy.as_bytes());
    let (code, _) = concise(dir.path(), &["wild.json"]);
    assert!(code == Some(0) || code == Some(1));
}

#[test]
#[ignore = "heavy: run in CI with --ignored"]
fn a_200_mib_account_dump_is_refused_before_reading_and_the_run_goes_on() {
    use std::io::{BufWriter, Write as _};
    let dir = tempfile::tempdir().unwrap();
    // Streamed to disk: the test itself never holds the dump.
    let mut out = BufWriter::new(std::fs::File::create(dir.path().join("account-authorization-details.json")).unwrap());
    out.write_all(b"{\"UserDetailList\": [").unwrap();
    let user = r#"{"UserName": "u", "Arn": "arn:aws:iam::111122223333:user/u", "UserPolicyList": [{"PolicyName": "p", "PolicyDocument": {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}}]}"#;
    let n = 200 * 1024 * 1024 / (user.len() + 2) + 1;
    for i in 0..n {
        if i > 0 {
            out.write_all(b", ").unwrap();
        }
        out.write_all(user.as_bytes()).unwrap();
    }
    out.write_all(b"], \"RoleDetailList\": [], \"GroupDetailList\": [], \"Policies\": []}").unwrap();
    out.flush().unwrap();
    drop(out);
    assert!(std::fs::metadata(dir.path().join("account-authorization-details.json")).unwrap().len() > 200 << 20);
    write(dir.path(), "good.json", GOOD.as_bytes());
    let (code, text) = concise(dir.path(), &["."]);
    assert_eq!(code, Some(2), "{text}");
    assert!(text.contains("account-authorization-details.json: error: file is"), "{text}");
    assert!(text.contains("--max-file-size"), "{text}");
}

#[test]
fn a_generated_account_dump_is_analysed_per_principal() {
    let dir = tempfile::tempdir().unwrap();
    let dump = iamlint::account::generate::generate(7, 300, 120, 180);
    write(dir.path(), "account-authorization-details.json", dump.as_bytes());
    let (code, text) = concise(dir.path(), &["--select", "S2", "."]);
    assert_eq!(code, Some(1), "{}", &text[..text.len().min(2000)]);
    // Findings name the principal they are about and point into the dump.
    assert!(text.lines().any(|l| l.contains(": S20") && (l.contains("role/") || l.contains("user/"))), "{text}");
}

#[test]
fn a_truncated_account_dump_is_reported_where_it_stops() {
    let dir = tempfile::tempdir().unwrap();
    let dump = iamlint::account::generate::generate(7, 30, 10, 20);
    let cut = &dump[..dump.len() / 2];
    write(dir.path(), "account-authorization-details.json", cut.as_bytes());
    let (code, text) = concise(dir.path(), &["account-authorization-details.json"]);
    // Like any file that is not valid JSON: an E000 error at the place the reader stopped.
    assert_eq!(code, Some(1), "{text}");
    let at = format!("account-authorization-details.json:1:{}: E000", cut.len() + 1);
    assert!(text.contains(&at), "{text}");
    assert!(!text.contains("S20"), "no analysis of half a dump: {text}");
}

#[test]
fn a_wrong_typed_field_of_an_account_dump_is_reported_at_the_field() {
    let dir = tempfile::tempdir().unwrap();
    let dump = concat!(
        "{\"UserDetailList\": [],\n",
        "\"RoleDetailList\": [{\"RoleName\": \"r\", \"Arn\": \"arn:aws:iam::111122223333:role/r\",\n",
        "  \"RolePolicyList\": \"not a list\", \"AssumeRolePolicyDocument\": 7}],\n",
        "\"GroupDetailList\": {}, \"Policies\": [3]}\n"
    );
    write(dir.path(), "account-authorization-details.json", dump.as_bytes());
    let (code, text) = concise(dir.path(), &["account-authorization-details.json"]);
    assert_eq!(code, Some(1), "{text}");
    for expected in [
        ":3:21: E000 [error] `RolePolicyList` should be an array, not a string",
        ":3:63: E000 [error] `AssumeRolePolicyDocument` should be a policy document (an object or a string), not a number",
        ":4:20: E000 [error] `GroupDetailList` should be an array, not an object",
        ":4:37: E000 [error] an entry of `Policies` should be an object, not a number",
    ] {
        assert!(text.contains(expected), "{expected} in\n{text}");
    }
}

#[test]
fn an_account_dump_may_be_eight_times_the_file_size_limit() {
    let dir = tempfile::tempdir().unwrap();
    let dump = iamlint::account::generate::generate(7, 30, 10, 20);
    write(dir.path(), "account-authorization-details.json", dump.as_bytes());
    // The same size, but a policy (white space after it): not a dump.
    let padded = format!("{GOOD}{}", " ".repeat(dump.len() - GOOD.len()));
    write(dir.path(), "policy.json", padded.as_bytes());
    let limit = (dump.len() / 4).to_string();
    let (code, text) = concise(dir.path(), &["--max-file-size", &limit, "--select", "E", "."]);
    assert_eq!(code, Some(2), "{text}");
    assert!(text.contains("policy.json: error: file is"), "{text}");
    assert!(!text.contains("account-authorization-details.json: error"), "{text}");
    let limit = (dump.len() / 9).to_string();
    let (code, text) = concise(dir.path(), &["--max-file-size", &limit, "account-authorization-details.json"]);
    assert_eq!(code, Some(2), "{text}");
    assert!(
        text.contains("account-authorization-details.json: error: file is")
            && text.contains("for account dumps (8 × --max-file-size)"),
        "{text}"
    );
}
