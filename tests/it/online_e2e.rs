//! End to end: the real `iamlint` binary with `verify --online`, `simulate --online` and
//! `check --confirm`, each with `--endpoint-url http://127.0.0.1:PORT`, against a tiny HTTP/1.1 server in
//! this test that answers with recorded IAM bodies (`fixtures/V002/recorded/`) or bodies of their shape.
//! Fake static credentials come from the environment; nothing reaches the network. Only with
//! `--features aws`.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::Output;
use std::sync::{Arc, Mutex};

use crate::support::ROOT;
const SECRET: &str = "fakeSecretKeyThatMustNeverBePrinted0000000";

fn recorded(name: &str) -> String {
    std::fs::read_to_string(Path::new(ROOT).join("fixtures/V002/recorded").join(name)).unwrap()
}

/// `(Action=..., ActionNames.member.1=...)` → `(status, body)`.
type Answer = Box<dyn Fn(&str, &str) -> (u16, String) + Send + Sync>;

/// `(request line, body)` → `(status, content type, body)`: any protocol.
type RawAnswer = Box<dyn Fn(&str, &str) -> (u16, &'static str, String) + Send + Sync>;

fn form_value<'a>(body: &'a str, key: &str) -> &'a str {
    body.split('&').find_map(|kv| kv.strip_prefix(key).and_then(|v| v.strip_prefix('='))).unwrap_or("")
}

fn serve(stream: TcpStream, answer: &RawAnswer, seen: &Mutex<Vec<String>>) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut stream = stream;
    loop {
        let mut length = 0usize;
        let mut line = String::new();
        // Request line and headers; EOF ends the keep-alive connection.
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        let request_line = line.trim_end().to_string();
        loop {
            line.clear();
            if reader.read_line(&mut line).unwrap_or(0) == 0 {
                return;
            }
            let l = line.trim_end();
            if l.is_empty() {
                break;
            }
            if let Some((k, v)) = l.split_once(':')
                && k.eq_ignore_ascii_case("content-length")
            {
                length = v.trim().parse().unwrap();
            }
        }
        let mut body = vec![0; length];
        reader.read_exact(&mut body).unwrap();
        let body = String::from_utf8(body).unwrap();
        seen.lock().unwrap().push(body.clone());
        let (status, content_type, text) = answer(&request_line, &body);
        let head = format!(
            "HTTP/1.1 {status} {}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\n\r\n",
            if status == 200 { "OK" } else { "Error" },
            text.len()
        );
        if stream.write_all(head.as_bytes()).and_then(|()| stream.write_all(text.as_bytes())).is_err() {
            return;
        }
    }
}

/// Start an IAM (awsQuery) server; returns its URL and the request bodies it has seen.
fn server(answer: Answer) -> (String, Arc<Mutex<Vec<String>>>) {
    raw_server(Box::new(move |_, body| {
        let action = form_value(body, "Action");
        let name = form_value(body, "ActionNames.member.1").replace("%3A", ":");
        let (status, text) = answer(action, &name);
        (status, "text/xml", text)
    }))
}

/// Start a server of any protocol; returns its URL and the request bodies it has seen.
fn raw_server(answer: RawAnswer) -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let (answer, log) = (Arc::new(answer), Arc::clone(&seen));
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let (answer, log) = (Arc::clone(&answer), Arc::clone(&log));
            std::thread::spawn(move || serve(stream, &answer, &log));
        }
    });
    (url, seen)
}

struct Env {
    dir: tempfile::TempDir,
}

impl Env {
    fn new() -> Env {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("config"), "").unwrap();
        std::fs::write(dir.path().join("credentials"), "").unwrap();
        Env { dir }
    }

    /// The binary with a clean AWS environment: empty shared files, no IMDS, and (when `creds`) fake
    /// static keys.
    fn command(&self, creds: bool, args: &[&str]) -> Output {
        let mut c = crate::support::command(Path::new(ROOT));
        for (k, _) in std::env::vars_os() {
            if k.to_string_lossy().starts_with("AWS_") {
                c.env_remove(&k);
            }
        }
        c.env("HOME", self.dir.path())
            .env("AWS_CONFIG_FILE", self.dir.path().join("config"))
            .env("AWS_SHARED_CREDENTIALS_FILE", self.dir.path().join("credentials"))
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .env("AWS_REGION", "us-east-1");
        if creds {
            c.env("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE").env("AWS_SECRET_ACCESS_KEY", SECRET);
        }
        c.args(args);
        let out = c.output().unwrap();
        let all = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
        assert!(!all.contains(SECRET), "the secret key was printed:\n{all}");
        out
    }
}

fn seed() -> PathBuf {
    Path::new("examples/developer-role/developer-role.principal.toml").to_path_buf()
}

fn text(out: &Output) -> (String, String) {
    (String::from_utf8_lossy(&out.stdout).into_owned(), String::from_utf8_lossy(&out.stderr).into_owned())
}

#[test]
fn the_seed_scenario_agrees_with_aws() {
    let (url, seen) = server(Box::new(|action, name| {
        assert_eq!(action, "SimulatePrincipalPolicy");
        let file = match name {
            "s3:ListAllMyBuckets" => "principal-s3-allowed.xml",
            "ec2:DescribeInstances" => "principal-ec2-allowed.xml",
            "iam:ListUsers" => "principal-iam-implicit-deny.xml",
            other => panic!("unexpected question {other}"),
        };
        (200, recorded(file))
    }));
    let env = Env::new();
    let json = env.dir.path().join("online.json");
    let seed = seed();
    let out = env.command(
        true,
        &[
            "verify",
            "--online",
            "--endpoint-url",
            &url,
            "--format",
            "concise",
            "--online-json",
            json.to_str().unwrap(),
            seed.to_str().unwrap(),
        ],
    );
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(0), "stdout:\n{stdout}\nstderr:\n{stderr}");
    let lines: Vec<&str> = stdout.lines().map(str::trim_end).collect();
    assert!(lines.iter().any(|l| l.starts_with("expectation") && l.ends_with("agreement")), "{stdout}");
    for (exp, offline, aws) in [
        ("s3:ListAllMyBuckets on *", "allowed", "allowed"),
        ("ec2:DescribeInstances on *", "allowed", "allowed"),
        ("iam:ListUsers on *", "implicitDeny", "implicitDeny"),
    ] {
        let row = lines.iter().find(|l| l.starts_with(exp)).unwrap_or_else(|| panic!("no row {exp}:\n{stdout}"));
        let cells: Vec<&str> = row[exp.len()..].split_whitespace().collect();
        assert_eq!(cells, [offline, aws, "agree"], "{row}");
    }
    let trust =
        lines.iter().filter(|l| l.starts_with("sts:AssumeRole on arn:aws:iam::123456789012:role/DeveloperRole"));
    assert!(
        trust.clone().count() == 2
            && trust.clone().all(|l| l.contains("not comparable: the simulator does not evaluate role trust policies")),
        "{stdout}"
    );
    assert!(stdout.contains("online: 3 agree, 0 disagree, 2 not comparable; 3 requests to IAM"), "{stdout}");
    assert_eq!(seen.lock().unwrap().len(), 3);
    let doc: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    assert_eq!(doc["requests"], 3);
    assert_eq!(doc["rows"][0]["api"], "SimulatePrincipalPolicy");
    assert_eq!(doc["rows"][0]["awsStatements"][0], "`PowerUserAccess` (aws-managed) at 4:5");
}

#[test]
fn a_disagreeing_answer_exits_1_with_the_v002_finding() {
    let (url, seen) = server(Box::new(|action, name| match (action, name) {
        // The role is not deployed: iamlint falls back to SimulateCustomPolicy with the local documents.
        ("SimulatePrincipalPolicy", _) => (404, recorded("no-such-entity.xml")),
        ("SimulateCustomPolicy", "s3:ListAllMyBuckets") => (200, recorded("custom-s3-allowed.xml")),
        ("SimulateCustomPolicy", "ec2:DescribeInstances") => (200, recorded("custom-ec2-allowed.xml")),
        ("SimulateCustomPolicy", "iam:ListUsers") => (200, recorded("custom-iam-allowed-disagrees.xml")),
        other => panic!("unexpected question {other:?}"),
    }));
    let env = Env::new();
    let seed = seed();
    let out =
        env.command(true, &["verify", "--online", "--endpoint-url", &url, "-f", "concise", seed.to_str().unwrap()]);
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(1), "stdout:\n{stdout}\nstderr:\n{stderr}");
    let row = stdout.lines().find(|l| l.starts_with("iam:ListUsers on *")).unwrap();
    assert_eq!(
        row["iam:ListUsers on *".len()..].split_whitespace().collect::<Vec<_>>(),
        ["implicitDeny", "allowed", "disagree"]
    );
    let finding = stdout.lines().find(|l| l.contains("V002")).unwrap_or_else(|| panic!("{stdout}"));
    assert!(
        finding.contains(
            "the IAM simulator answers `allowed` for `iam:ListUsers` on `*`, but iamlint decided `implicitDeny` offline"
        ),
        "{finding}"
    );
    assert!(stdout.contains("1 disagree") && stdout.contains("4 requests to IAM"), "{stdout}");
    let bodies = seen.lock().unwrap();
    assert!(
        bodies[1].contains("Action=SimulateCustomPolicy") && bodies[1].contains("PolicyInputList.member.1="),
        "{}",
        bodies[1]
    );
    drop(bodies);
    // The JSON report carries both sides' statements.
    let out = env.command(true, &["verify", "--online", "--endpoint-url", &url, "-f", "json", seed.to_str().unwrap()]);
    let (stdout, _) = text(&out);
    let doc: serde_json::Value = serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}"));
    let s = doc.to_string();
    assert!(
        s.contains("\"online-disagreement\"") && s.contains("PolicyInputList.1") && s.contains("\"offline\""),
        "{s}"
    );
}

fn assert_exit_2(out: &Output, cause: &str, fix: &str) {
    let (stdout, stderr) = text(out);
    assert_eq!(out.status.code(), Some(2), "stdout:\n{stdout}\nstderr:\n{stderr}");
    let mut lines = stderr.lines().filter(|l| !l.trim().is_empty());
    let first = lines.next().unwrap_or_default();
    assert!(first.starts_with("error: ") && first.contains(cause), "{stderr}");
    assert!(lines.next().is_some_and(|l| l.trim_start().starts_with("help: ") && l.contains(fix)), "{stderr}");
}

#[test]
fn missing_credentials_exit_2_before_any_request() {
    let (url, seen) = server(Box::new(|_, _| panic!("no request may be sent without credentials")));
    let env = Env::new();
    let seed = seed();
    let out = env.command(false, &["verify", "--online", "--endpoint-url", &url, seed.to_str().unwrap()]);
    assert_exit_2(&out, "AWS credentials are missing or not valid", "aws configure");
    assert!(seen.lock().unwrap().is_empty());
}

#[test]
fn access_denied_exits_2_with_the_permission_to_grant() {
    let (url, _) = server(Box::new(|_, _| (403, recorded("access-denied.xml"))));
    let env = Env::new();
    let seed = seed();
    let out = env.command(true, &["verify", "--online", "--endpoint-url", &url, seed.to_str().unwrap()]);
    assert_exit_2(
        &out,
        "access denied by AWS: AccessDenied: User: arn:aws:iam::123456789012:user/ci is not authorized",
        "iam:SimulatePrincipalPolicy",
    );
}

#[test]
fn connection_refused_exits_2() {
    let port = TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    // The listener is dropped: the port is closed.
    let env = Env::new();
    let seed = seed();
    let url = format!("http://127.0.0.1:{port}");
    let out = env.command(true, &["verify", "--online", "--endpoint-url", &url, seed.to_str().unwrap()]);
    assert_exit_2(&out, "cannot reach AWS IAM", "--endpoint-url");
}

#[test]
fn simulate_online_compares_each_action() {
    let (url, _) = server(Box::new(|action, name| match (action, name) {
        ("SimulateCustomPolicy", "s3:ListAllMyBuckets") => (200, recorded("custom-s3-allowed.xml")),
        ("SimulateCustomPolicy", "iam:ListUsers") => (200, recorded("custom-iam-allowed-disagrees.xml")),
        other => panic!("unexpected question {other:?}"),
    }));
    let env = Env::new();
    let policy = r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}"#;
    let out = env.command(
        true,
        &[
            "simulate",
            "--online",
            "--endpoint-url",
            &url,
            "--policy-input-list",
            policy,
            "--action-names",
            "s3:ListAllMyBuckets",
            "iam:ListUsers",
        ],
    );
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(1), "stdout:\n{stdout}\nstderr:\n{stderr}");
    assert!(
        stdout.lines().any(|l| l.starts_with("s3:ListAllMyBuckets on *") && l.trim_end().ends_with("agree")),
        "{stdout}"
    );
    assert!(
        stdout.lines().any(|l| l.starts_with("iam:ListUsers on *") && l.trim_end().ends_with("disagree")),
        "{stdout}"
    );
    assert!(stdout.contains("2 requests to IAM"), "{stdout}");
}

// --- `check --confirm` ---

/// A simulator answer for one action, in the shape of the recorded bodies.
fn simulated(api: &str, action: &str, decision: &str) -> String {
    let matched = if decision == "allowed" {
        "<MatchedStatements><member><SourcePolicyId>PolicyInputList.1</SourcePolicyId>\
         <SourcePolicyType>none</SourcePolicyType></member></MatchedStatements>"
    } else {
        "<MatchedStatements/>"
    };
    format!(
        "<{api}Response xmlns=\"https://iam.amazonaws.com/doc/2010-05-08/\"><{api}Result>\
         <IsTruncated>false</IsTruncated><EvaluationResults><member>\
         <EvalActionName>{action}</EvalActionName><EvalResourceName>*</EvalResourceName>\
         <EvalDecision>{decision}</EvalDecision>{matched}<MissingContextValues/>\
         </member></EvaluationResults></{api}Result>\
         <ResponseMetadata><RequestId>7a62c49f-347e-4fc4-9331-6e8eEXAMPLE</RequestId></ResponseMetadata>\
         </{api}Response>"
    )
}

/// `iam:PassRole` and `ec2:RunInstances` on everything: S201 (`ec2-run-instances-passrole`), with S203
/// and S004 folded into it (one problem, one finding).
const ESCALATION: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [{"Effect": "Allow", "Action": ["iam:PassRole", "ec2:RunInstances"], "Resource": "*"}]
}"#;

const S201_MESSAGE: &str = "S201 privilege escalation through `ec2-run-instances-passrole`";

fn confirm_policy(env: &Env, url: &str, format: &str) -> Output {
    let policy = env.dir.path().join("escalation.json");
    std::fs::write(&policy, ESCALATION).unwrap();
    env.command(
        true,
        &["check", "--confirm", "--endpoint-url", url, "--no-config", "-f", format, policy.to_str().unwrap()],
    )
}

fn line_with<'a>(text: &'a str, needle: &str) -> &'a str {
    text.lines().find(|l| l.contains(needle)).unwrap_or_else(|| panic!("no line with {needle}:\n{text}"))
}

#[test]
fn check_confirm_confirms_an_escalation_aws_allows() {
    let (url, seen) = server(Box::new(|action, name| {
        assert_eq!(action, "SimulateCustomPolicy", "a policy file names no principal");
        assert!(matches!(name, "iam:PassRole" | "ec2:RunInstances"), "unexpected question {name}");
        (200, simulated(action, name, "allowed"))
    }));
    let env = Env::new();
    let out = confirm_policy(&env, &url, "concise");
    let (stdout, stderr) = text(&out);
    // The findings decide the exit code, as without --confirm.
    assert_eq!(out.status.code(), Some(1), "stdout:\n{stdout}\nstderr:\n{stderr}");
    let s201 = line_with(&stdout, &format!(": {S201_MESSAGE}"));
    assert!(s201.ends_with(": confirmed: AWS allows all 2 actions (SimulateCustomPolicy)"), "{s201}");
    // S203 is folded into S201: no finding of its own to confirm.
    assert!(!stdout.contains(": S203 "), "{stdout}");
    // PassRole to EC2 and RunInstances, the two requests of S201.
    assert!(stdout.contains("confirm: 1 confirmed, 0 not confirmed, 0 not comparable; 2 requests to IAM"), "{stdout}");
    let bodies = seen.lock().unwrap().clone();
    assert_eq!(bodies.len(), 2, "{bodies:#?}");
    assert!(
        bodies.iter().all(|b| b.contains("Action=SimulateCustomPolicy") && b.contains("PolicyInputList.member.1="))
    );
    let pass_role: Vec<&String> = bodies.iter().filter(|b| b.contains("ActionNames.member.1=iam%3APassRole")).collect();
    assert_eq!(pass_role.len(), 1, "{bodies:#?}");
    assert!(
        pass_role.iter().any(|b| b.contains("ContextEntries.member.1.ContextKeyName=iam%3APassedToService")
            && b.contains("ContextEntries.member.1.ContextKeyValues.member.1=ec2.amazonaws.com")
            && b.contains("ResourceArns.member.1=arn%3Aaws%3Aiam%3A%3A111122223333%3Arole%2F")),
        "{pass_role:#?}"
    );
    assert!(bodies.iter().any(|b| b.contains("ActionNames.member.1=ec2%3ARunInstances")), "{bodies:#?}");

    // JSON: the verdict on each finding, the lines and summary on stderr, the schema still holds.
    let out = confirm_policy(&env, &url, "json");
    let (stdout, stderr) = text(&out);
    let doc: serde_json::Value = serde_json::from_str(&stdout).unwrap_or_else(|e| panic!("{e}: {stdout}"));
    let s201 = doc["findings"].as_array().unwrap().iter().find(|f| f["code"] == "S201").unwrap();
    assert_eq!(
        s201["confirmation"],
        serde_json::json!({
            "status": "confirmed",
            "apis": ["SimulateCustomPolicy"],
            "allowed": ["iam:PassRole", "ec2:RunInstances"],
            "denied": [],
            "not_comparable": [],
        })
    );
    assert!(
        doc["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["code"] == "N007")
            .all(|f| f.get("confirmation").is_none())
    );
    assert!(stderr.contains("confirm: 1 confirmed, 0 not confirmed, 0 not comparable; 2 requests to IAM"), "{stderr}");
    let schema: serde_json::Value = serde_json::from_str(include_str!("../../docs/json-output.schema.json")).unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator.iter_errors(&doc).map(|e| format!("{e} at {}", e.instance_path())).collect();
    assert!(errors.is_empty(), "{errors:#?}");
}

#[test]
fn check_confirm_names_the_action_aws_denies() {
    let (url, _) = server(Box::new(|action, name| match name {
        "iam:PassRole" => (200, simulated(action, name, "allowed")),
        "ec2:RunInstances" => (200, simulated(action, name, "implicitDeny")),
        other => panic!("unexpected question {other}"),
    }));
    let env = Env::new();
    let out = confirm_policy(&env, &url, "concise");
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(1), "stdout:\n{stdout}\nstderr:\n{stderr}");
    let s201 = line_with(&stdout, &format!(": {S201_MESSAGE}"));
    assert!(s201.ends_with(": not confirmed: `ec2:RunInstances` implicitDeny (SimulateCustomPolicy)"), "{s201}");
    assert!(stdout.contains("confirm: 0 confirmed, 1 not confirmed, 0 not comparable; 2 requests to IAM"), "{stdout}");
    let out = confirm_policy(&env, &url, "json");
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let s201 = doc["findings"].as_array().unwrap().iter().find(|f| f["code"] == "S201").unwrap();
    let c = &s201["confirmation"];
    assert_eq!(
        (&c["status"], &c["allowed"]),
        (&serde_json::json!("not-confirmed"), &serde_json::json!(["iam:PassRole"]))
    );
    assert_eq!(c["denied"][0]["action"], "ec2:RunInstances");
    assert_eq!(c["denied"][0]["decision"], "implicitDeny");
    assert!(c["denied"][0]["resource"].as_str().unwrap().starts_with("arn:aws:ec2:"), "{c}");
}

/// user/dev (through its group) → assume role/ci → pass role/admin to EC2 → administrator access, as
/// in `tests/it/account_paths.rs`.
const DUMP: &str = include_str!("../fixtures/escalation-path.account.json");

#[test]
fn check_confirm_asks_each_hop_as_its_principal_and_never_asks_about_trust() {
    let (url, seen) = server(Box::new(|action, name| {
        assert_eq!(action, "SimulatePrincipalPolicy", "a dump's principals are deployed");
        assert!(!name.starts_with("sts:AssumeRole"), "the simulator cannot judge trust; nothing to ask");
        (200, simulated(action, name, "allowed"))
    }));
    let env = Env::new();
    let dump = env.dir.path().join("account.json");
    std::fs::write(&dump, DUMP).unwrap();
    let out = env.command(
        true,
        &["check", "--confirm", "--endpoint-url", &url, "--no-config", "-f", "concise", dump.to_str().unwrap()],
    );
    let (stdout, stderr) = text(&out);
    assert_eq!(out.status.code(), Some(1), "stdout:\n{stdout}\nstderr:\n{stderr}");
    // user/dev's path: the assume step is not comparable, the rest (role/ci's two requests and
    // role/admin's 13 admin probes) AWS allows.
    let dev = line_with(&stdout, ": S201 privilege escalation to administrator access: user/dev");
    assert!(
        dev.ends_with(
            ": not comparable: `sts:AssumeRole` (the simulator does not evaluate role trust policies for \
             `sts:AssumeRole*`); AWS allows the other 15 actions (SimulatePrincipalPolicy)"
        ),
        "{dev}"
    );
    let admin = line_with(&stdout, ": S202 `role/admin` has administrator access");
    assert!(admin.ends_with(": confirmed: AWS allows all 13 actions (SimulatePrincipalPolicy)"), "{admin}");
    let bodies = seen.lock().unwrap().clone();
    // Each distinct (principal, action, resource, context) once, however many findings name it.
    assert_eq!(bodies.len(), 15, "{bodies:#?}");
    assert!(stdout.contains("not comparable; 15 requests to IAM"), "{stdout}");
    let pass_role = bodies.iter().find(|b| b.contains("ActionNames.member.1=iam%3APassRole")).unwrap();
    assert!(pass_role.contains("PolicySourceArn=arn%3Aaws%3Aiam%3A%3A111122223333%3Arole%2Fci"), "{pass_role}");
    assert!(
        pass_role.contains("ResourceArns.member.1=arn%3Aaws%3Aiam%3A%3A111122223333%3Arole%2Fadmin"),
        "{pass_role}"
    );
    let create_user = bodies.iter().find(|b| b.contains("ActionNames.member.1=iam%3ACreateUser")).unwrap();
    assert!(create_user.contains("PolicySourceArn=arn%3Aaws%3Aiam%3A%3A111122223333%3Arole%2Fadmin"), "{create_user}");
}

/// `diff --online`: the pairs of two directories go to Access Analyzer's `CheckNoNewAccess` (restJson)
/// and the agreement table sets both answers side by side.
mod diff_online {
    use super::{Env, ROOT, raw_server, text};
    use std::path::Path;

    fn fixture(case: &str, version: &str) -> String {
        std::fs::read_to_string(Path::new(ROOT).join("fixtures/diff").join(case).join(format!("{version}.json")))
            .unwrap()
    }

    fn same_json(a: &str, b: &str) -> bool {
        serde_json::from_str::<serde_json::Value>(a).unwrap() == serde_json::from_str::<serde_json::Value>(b).unwrap()
    }

    /// old/: a.json (a Deny), b.json; new/: a.json without the Deny, b.json reordered, c.json a new trust
    /// policy.
    fn dirs(env: &Env) -> (String, String) {
        let (old, new) = (env.dir.path().join("old"), env.dir.path().join("new"));
        std::fs::create_dir_all(&old).unwrap();
        std::fs::create_dir_all(&new).unwrap();
        for (file, case) in [("a.json", "removed_deny"), ("b.json", "reordered_statements")] {
            std::fs::write(old.join(file), fixture(case, "old")).unwrap();
            std::fs::write(new.join(file), fixture(case, "new")).unwrap();
        }
        std::fs::write(new.join("c.json"), fixture("new_trust_principal", "new")).unwrap();
        (old.display().to_string(), new.display().to_string())
    }

    /// Answers FAIL with a reason for `a.json`'s and `c.json`'s new versions; for `b.json`, `b_answer`.
    fn answer(b_answer: &'static str) -> super::RawAnswer {
        Box::new(move |request_line, body| {
            assert!(request_line.starts_with("POST /policy/check-no-new-access "), "{request_line}");
            let req: serde_json::Value = serde_json::from_str(body).unwrap();
            let new = req["newPolicyDocument"].as_str().unwrap();
            let result = if same_json(new, &fixture("reordered_statements", "new")) { b_answer } else { "FAIL" };
            let reasons = if result == "FAIL" {
                r#"[{"description":"New access in the statement with index: 1.","statementIndex":1}]"#
            } else {
                "[]"
            };
            let body = format!(r#"{{"result":"{result}","message":"checked","reasons":{reasons}}}"#);
            (200, "application/json", body)
        })
    }

    #[test]
    fn each_pair_is_checked_and_the_table_shows_agreement() {
        let (url, seen) = raw_server(answer("PASS"));
        let env = Env::new();
        let (old, new) = dirs(&env);
        let out = env.command(true, &["diff", "--online", "--endpoint-url", &url, &old, &new]);
        let (stdout, stderr) = text(&out);
        // a.json and c.json grant new access: the gate closes, and Access Analyzer agrees.
        assert_eq!(out.status.code(), Some(1), "stdout:\n{stdout}\nstderr:\n{stderr}");
        let (_, table) = stdout.split_once("Access Analyzer CheckNoNewAccess:\n").unwrap_or_else(|| panic!("{stdout}"));
        let row = |file: &str| {
            let path = format!("{new}/{file}");
            let line = table.lines().find(|l| l.starts_with(&path)).unwrap_or_else(|| panic!("{file}:\n{stdout}"));
            line[path.len()..].split("  ").map(str::trim).filter(|c| !c.is_empty()).collect::<Vec<_>>()
        };
        assert_eq!(row("a.json"), ["new access", "FAIL", "agree"]);
        assert_eq!(row("b.json"), ["no new access", "PASS", "agree"]);
        assert_eq!(row("c.json"), ["new access", "FAIL", "agree"]);
        assert!(
            stdout.contains(&format!(
                "    reason: statement 2 `KeepTheQueue` at {new}/a.json:10:5: New access in the statement with index: 1."
            )),
            "{stdout}"
        );
        assert!(!stdout.contains("DISAGREEMENT"), "{stdout}");
        assert!(stdout.contains("online: 3 agree, 0 disagree, 0 not compared; 3 requests to IAM Access Analyzer"));
        // What was sent: NEW and OLD as JSON with their policy type; the new trust policy against a
        // policy that allows nothing.
        let bodies: Vec<serde_json::Value> =
            seen.lock().unwrap().iter().map(|b| serde_json::from_str(b).unwrap()).collect();
        assert_eq!(bodies.len(), 3);
        let a = &bodies[0];
        assert_eq!(a["policyType"], "IDENTITY_POLICY");
        assert!(same_json(a["newPolicyDocument"].as_str().unwrap(), &fixture("removed_deny", "new")));
        assert!(same_json(a["existingPolicyDocument"].as_str().unwrap(), &fixture("removed_deny", "old")));
        let c = &bodies[2];
        assert_eq!(c["policyType"], "RESOURCE_POLICY");
        let existing: serde_json::Value = serde_json::from_str(c["existingPolicyDocument"].as_str().unwrap()).unwrap();
        assert_eq!(existing["Statement"][0]["Effect"], "Deny");
        assert_eq!(existing["Statement"].as_array().unwrap().len(), 1);
    }

    #[test]
    fn a_disagreement_is_printed_and_closes_the_gate() {
        // Access Analyzer says the reordered policy grants new access; iamlint says it does not.
        let (url, _) = raw_server(answer("FAIL"));
        let env = Env::new();
        let old = format!("{ROOT}/fixtures/diff/reordered_statements/old.json");
        let new = format!("{ROOT}/fixtures/diff/reordered_statements/new.json");
        let offline = env.command(false, &["diff", &old, &new]);
        assert_eq!(offline.status.code(), Some(0), "offline, iamlint finds no new access");
        let out = env.command(true, &["diff", "--online", "--endpoint-url", &url, &old, &new]);
        let (stdout, stderr) = text(&out);
        assert_eq!(out.status.code(), Some(1), "stdout:\n{stdout}\nstderr:\n{stderr}");
        assert!(
            stdout.contains(&format!(
                "DISAGREEMENT: {new}: iamlint says no new access offline, Access Analyzer says new access (FAIL): checked"
            )),
            "{stdout}"
        );
        assert!(stdout.contains("online: 0 agree, 1 disagree"), "{stdout}");
        // The JSON report carries the same rows.
        let out = env.command(true, &["diff", "--online", "--endpoint-url", &url, "--format", "json", &old, &new]);
        assert_eq!(out.status.code(), Some(1));
        let doc: serde_json::Value = serde_json::from_str(&text(&out).0).unwrap();
        let row = &doc["online"]["rows"][0];
        assert_eq!(row["offline"], "no-new-access");
        assert_eq!(row["aws"], "FAIL");
        assert_eq!(row["agreement"], "disagree");
        assert_eq!(row["reasons"][0]["statement_id"], "Logs");
        assert_eq!(doc["online"]["requests"], 1);
    }

    #[test]
    fn errors_exit_2() {
        let (url, seen) = raw_server(Box::new(|_, _| panic!("no request may be sent without credentials")));
        let env = Env::new();
        let (old, new) = dirs(&env);
        let out = env.command(false, &["diff", "--online", "--endpoint-url", &url, &old, &new]);
        assert_eq!(out.status.code(), Some(2));
        assert!(text(&out).1.starts_with("error: AWS credentials are missing or not valid"), "{}", text(&out).1);
        assert!(seen.lock().unwrap().is_empty());
        // A document Access Analyzer rejects: the table is printed, the run exits 2.
        let (url, _) = raw_server(Box::new(|_, _| {
            let body = r#"{"message":"Invalid policy document"}"#.to_string();
            (400, "application/json", body)
        }));
        let out = env.command(true, &["diff", "--online", "--endpoint-url", &url, &old, &new]);
        let (stdout, stderr) = text(&out);
        assert_eq!(out.status.code(), Some(2), "stdout:\n{stdout}\nstderr:\n{stderr}");
        assert!(stdout.contains("error: "), "{stdout}");
        assert!(stdout.contains("3 failed"), "{stdout}");
    }
}
