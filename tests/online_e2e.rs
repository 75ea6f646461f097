//! End to end: the real `iamlint` binary with `verify --online --endpoint-url http://127.0.0.1:PORT`
//! against a tiny HTTP/1.1 server in this test that answers with recorded IAM bodies
//! (`fixtures/V002/recorded/`). Fake static credentials come from the environment; nothing reaches
//! the network. Only with `--features aws`.
#![cfg(feature = "aws")]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::{Arc, Mutex};

const ROOT: &str = env!("CARGO_MANIFEST_DIR");
const SECRET: &str = "fakeSecretKeyThatMustNeverBePrinted0000000";

fn recorded(name: &str) -> String {
    std::fs::read_to_string(Path::new(ROOT).join("fixtures/V002/recorded").join(name)).unwrap()
}

/// `(Action=..., ActionNames.member.1=...)` → `(status, body)`.
type Answer = Box<dyn Fn(&str, &str) -> (u16, String) + Send + Sync>;

fn form_value<'a>(body: &'a str, key: &str) -> &'a str {
    body.split('&').find_map(|kv| kv.strip_prefix(key).and_then(|v| v.strip_prefix('='))).unwrap_or("")
}

fn serve(stream: TcpStream, answer: &Answer, seen: &Mutex<Vec<String>>) {
    let mut reader = BufReader::new(stream.try_clone().unwrap());
    let mut stream = stream;
    loop {
        let mut length = 0usize;
        let mut line = String::new();
        // Request line and headers; EOF ends the keep-alive connection.
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
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
        let action = form_value(&body, "Action").to_string();
        let name = form_value(&body, "ActionNames.member.1").replace("%3A", ":");
        seen.lock().unwrap().push(body);
        let (status, text) = answer(&action, &name);
        let head = format!(
            "HTTP/1.1 {status} {}\r\nContent-Type: text/xml\r\nContent-Length: {}\r\n\r\n",
            if status == 200 { "OK" } else { "Error" },
            text.len()
        );
        if stream.write_all(head.as_bytes()).and_then(|()| stream.write_all(text.as_bytes())).is_err() {
            return;
        }
    }
}

/// Start the server; returns its URL and the request bodies it has seen.
fn server(answer: Answer) -> (String, Arc<Mutex<Vec<String>>>) {
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
        let mut c = Command::new(env!("CARGO_BIN_EXE_iamlint"));
        for (k, _) in std::env::vars_os() {
            if k.to_string_lossy().starts_with("AWS_") {
                c.env_remove(&k);
            }
        }
        c.env("HOME", self.dir.path())
            .env("AWS_CONFIG_FILE", self.dir.path().join("config"))
            .env("AWS_SHARED_CREDENTIALS_FILE", self.dir.path().join("credentials"))
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .env("AWS_REGION", "us-east-1")
            .env("NO_COLOR", "1");
        if creds {
            c.env("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE").env("AWS_SECRET_ACCESS_KEY", SECRET);
        }
        c.args(args).current_dir(ROOT);
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
