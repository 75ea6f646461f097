//! `iamlint lsp` driven by a real LSP client session over stdio: the real binary, Content-Length
//! framing written here (not the server's), `lsp-types` for every message. Every wait is bounded, so a
//! hang fails the test instead of blocking it.

use lsp_types::notification::{
    DidChangeTextDocument, DidCloseTextDocument, DidOpenTextDocument, Exit, Initialized, Notification,
    PublishDiagnostics,
};
use lsp_types::request::{CodeActionRequest, Completion, HoverRequest, Initialize, Request, Shutdown};
use lsp_types::{
    ClientCapabilities, CodeActionContext, CodeActionOrCommand, CodeActionParams, CompletionContext, CompletionParams,
    CompletionResponse, CompletionTriggerKind, DidChangeTextDocumentParams, DidCloseTextDocumentParams,
    DidOpenTextDocumentParams, GeneralClientCapabilities, Hover, HoverContents, HoverParams, InitializeParams,
    InitializeResult, InitializedParams, NumberOrString, PartialResultParams, Position, PositionEncodingKind,
    PublishDiagnosticsParams, Range, TextDocumentContentChangeEvent, TextDocumentIdentifier, TextDocumentItem,
    TextDocumentPositionParams, Uri, VersionedTextDocumentIdentifier, WorkDoneProgressParams,
};
use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, Stdio};
use std::str::FromStr;
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::{Duration, Instant};

/// The longest any single answer may take; generous for a loaded CI machine.
const TIMEOUT: Duration = Duration::from_secs(20);

/// A missing comma after `"Allow"`; the parser stops at `"Action"`, which follows `é😀` on the same
/// line: 38 UTF-16 code units (😀 is a surrogate pair) or 41 UTF-8 bytes into line 3.
const BROKEN: &str = "{\n  \"Statement\": [\n    {\n      \"Sid\": \"é😀\", \"Effect\": \"Allow\" \"Action\": [\"s3:GetObject\"],\n      \"Resource\": \"*\"\n    }\n  ]\n}\n";

const VALID: &str = r#"{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Sid": "é😀",
      "Effect": "Allow",
      "Action": ["s3:GetObject", "s3:GetObj"],
      "Resource": "arn:aws:s3:::example-reports/*"
    }
  ]
}
"#;

struct Client {
    child: Child,
    stdin: ChildStdin,
    inbox: Receiver<Value>,
    /// Notifications that arrived while waiting for something else.
    backlog: Vec<Value>,
    next_id: i32,
}

impl Client {
    fn start() -> Client {
        let mut child = crate::support::command(Path::new(crate::support::ROOT))
            .args(["lsp", "--debounce-ms", "50"])
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("start iamlint lsp");
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, inbox) = channel();
        std::thread::spawn(move || {
            let mut r = BufReader::new(stdout);
            while let Some(msg) = read_frame(&mut r) {
                if tx.send(msg).is_err() {
                    return;
                }
            }
        });
        Client { child, stdin, inbox, backlog: Vec::new(), next_id: 0 }
    }

    fn send(&mut self, msg: &Value) {
        let body = serde_json::to_string(msg).unwrap();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.stdin.flush().unwrap();
    }

    fn notify<N: Notification>(&mut self, params: N::Params) {
        self.send(&json!({"jsonrpc": "2.0", "method": N::METHOD, "params": serde_json::to_value(params).unwrap()}));
    }

    /// Send a request and wait for its response; `Err` holds a JSON-RPC error object.
    fn request<R: Request>(&mut self, params: R::Params) -> Result<R::Result, Value> {
        self.next_id += 1;
        let id = self.next_id;
        self.send(
            &json!({"jsonrpc": "2.0", "id": id, "method": R::METHOD, "params": serde_json::to_value(params).unwrap()}),
        );
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let msg = self.recv(deadline, &format!("the response to `{}`", R::METHOD));
            if msg.get("id") == Some(&json!(id)) && msg.get("method").is_none() {
                if let Some(err) = msg.get("error") {
                    return Err(err.clone());
                }
                return Ok(serde_json::from_value(msg["result"].clone()).expect("a well-formed result"));
            }
            self.backlog.push(msg);
        }
    }

    fn recv(&mut self, deadline: Instant, what: &str) -> Value {
        match self.inbox.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
            Ok(v) => v,
            Err(RecvTimeoutError::Timeout) => panic!("timed out waiting for {what}"),
            Err(RecvTimeoutError::Disconnected) => panic!("the server closed stdout while we waited for {what}"),
        }
    }

    /// Wait for diagnostics of `uri` published for `version` (skipping older publications).
    fn diagnostics(&mut self, uri: &Uri, version: Option<i32>) -> PublishDiagnosticsParams {
        let deadline = Instant::now() + TIMEOUT;
        let mut pending = std::mem::take(&mut self.backlog).into_iter();
        loop {
            let msg = match pending.next() {
                Some(m) => m,
                None => self.recv(deadline, &format!("diagnostics for {} version {version:?}", uri.as_str())),
            };
            if msg["method"] == PublishDiagnostics::METHOD {
                let p: PublishDiagnosticsParams = serde_json::from_value(msg["params"].clone()).unwrap();
                if &p.uri == uri && p.version == version {
                    self.backlog.extend(pending);
                    return p;
                }
            }
        }
    }

    /// Wait (bounded) for the server to exit and return its exit code.
    fn wait_exit(&mut self) -> Option<i32> {
        let deadline = Instant::now() + TIMEOUT;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status.code();
            }
            if Instant::now() > deadline {
                let _ = self.child.kill();
                panic!("the server did not exit");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Client {
    fn drop(&mut self) {
        // A failed assertion must not leave a server running.
        let _ = self.child.kill();
    }
}

fn read_frame(r: &mut impl BufRead) -> Option<Value> {
    let mut len = None;
    loop {
        let mut line = String::new();
        if r.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end_matches(['\r', '\n']);
        if line.is_empty() {
            break;
        }
        if let Some((name, value)) = line.split_once(':')
            && name.eq_ignore_ascii_case("content-length")
        {
            len = value.trim().parse::<usize>().ok();
        }
    }
    let mut body = vec![0; len?];
    r.read_exact(&mut body).ok()?;
    Some(serde_json::from_slice(&body).expect("the server sent JSON"))
}

fn uri(path: &str) -> Uri {
    Uri::from_str(&format!("file://{path}")).unwrap()
}

fn initialize(client: &mut Client, encodings: &[PositionEncodingKind]) -> InitializeResult {
    let params = InitializeParams {
        capabilities: ClientCapabilities {
            general: Some(GeneralClientCapabilities {
                position_encodings: Some(encodings.to_vec()),
                ..GeneralClientCapabilities::default()
            }),
            ..ClientCapabilities::default()
        },
        ..InitializeParams::default()
    };
    let result = client.request::<Initialize>(params).expect("initialize succeeds");
    client.notify::<Initialized>(InitializedParams {});
    result
}

fn open(client: &mut Client, uri: &Uri, text: &str) {
    let item = TextDocumentItem::new(uri.clone(), "json".into(), 1, text.into());
    client.notify::<DidOpenTextDocument>(DidOpenTextDocumentParams { text_document: item });
}

fn change(client: &mut Client, uri: &Uri, version: i32, text: &str) {
    client.notify::<DidChangeTextDocument>(DidChangeTextDocumentParams {
        text_document: VersionedTextDocumentIdentifier::new(uri.clone(), version),
        content_changes: vec![TextDocumentContentChangeEvent { range: None, range_length: None, text: text.into() }],
    });
}

fn codes(p: &PublishDiagnosticsParams) -> Vec<String> {
    p.diagnostics
        .iter()
        .map(|d| match &d.code {
            Some(NumberOrString::String(s)) => s.clone(),
            other => panic!("diagnostic without a string code: {other:?}"),
        })
        .collect()
}

/// The UTF-16 position of the first `needle` in `text`, plus `plus` characters.
fn position_of(text: &str, needle: &str, plus: usize) -> Position {
    let at = text.find(needle).unwrap() + plus;
    let line = text[..at].matches('\n').count();
    let line_start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    let col = text[line_start..at].encode_utf16().count();
    Position::new(line as u32, col as u32)
}

fn pos_params(uri: &Uri, position: Position) -> TextDocumentPositionParams {
    TextDocumentPositionParams { text_document: TextDocumentIdentifier::new(uri.clone()), position }
}

#[test]
fn full_session_over_stdio() {
    let mut c = Client::start();
    let init = initialize(&mut c, &[PositionEncodingKind::UTF16]);
    assert_eq!(init.capabilities.position_encoding, Some(PositionEncodingKind::UTF16));
    assert!(init.capabilities.hover_provider.is_some() && init.capabilities.completion_provider.is_some());
    assert_eq!(init.server_info.unwrap().name, "iamlint");

    // The seed trust policy: valid JSON. Until `missing-mfa` is registered it has no finding.
    let seed_path = Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/developer-role/trust-policy.json");
    let seed = uri(seed_path.to_str().unwrap());
    open(&mut c, &seed, &std::fs::read_to_string(&seed_path).unwrap());
    let d = c.diagnostics(&seed, Some(1));
    assert!(!codes(&d).iter().any(|c| c.starts_with("E00")), "the seed policy parses: {:?}", d.diagnostics);
    assert!(codes(&d).contains(&iamlint::Rule::S106.code().to_owned()), "{:?}", d.diagnostics);

    // A broken document with non-ASCII text before the error on the same line.
    let broken = uri("/tmp/iamlint-lsp-test/broken.json");
    open(&mut c, &broken, BROKEN);
    let d = c.diagnostics(&broken, Some(1));
    assert_eq!(codes(&d), ["E000"]);
    let e = &d.diagnostics[0];
    assert_eq!(e.range.start, Position::new(3, 38), "UTF-16 column of `\"Action\"`: {e:?}");
    assert_eq!(e.source.as_deref(), Some("iamlint"));
    assert!(e.code_description.as_ref().unwrap().href.as_str().ends_with("/E000.md"));

    // Half-typed garbage, then back: the server keeps answering and follows the versions.
    change(&mut c, &broken, 2, "{\"Statement\": [{\"Action\": \"s3:Ge");
    assert_eq!(codes(&c.diagnostics(&broken, Some(2))), ["E000"]);
    for (v, text) in (3..).zip(["", "{", "{\"", "[}}}", "\u{0}\u{feff}"]) {
        change(&mut c, &broken, v, text);
    }
    change(&mut c, &broken, 8, VALID);
    let d = c.diagnostics(&broken, Some(8));
    assert!(!codes(&d).iter().any(|c| c == "E000"), "{:?}", d.diagnostics);

    // Hover on `s3:GetObject` in the Action array: its access level.
    let hover_at = position_of(VALID, "s3:GetObject", 4);
    let hover: Option<Hover> = c
        .request::<HoverRequest>(HoverParams {
            text_document_position_params: pos_params(&broken, hover_at),
            work_done_progress_params: WorkDoneProgressParams::default(),
        })
        .unwrap();
    let HoverContents::Markup(md) = hover.expect("a hover").contents else { panic!("markdown hover") };
    assert!(md.value.contains("Access level: **Read**"), "{}", md.value);

    // Completion at the end of the half-typed `"s3:GetObj"`.
    let complete_at = position_of(VALID, "s3:GetObj\"]", "s3:GetObj".len());
    let completion = c
        .request::<Completion>(CompletionParams {
            text_document_position: pos_params(&broken, complete_at),
            work_done_progress_params: WorkDoneProgressParams::default(),
            partial_result_params: PartialResultParams::default(),
            context: Some(CompletionContext { trigger_kind: CompletionTriggerKind::INVOKED, trigger_character: None }),
        })
        .unwrap();
    let Some(CompletionResponse::List(list)) = completion else { panic!("a completion list") };
    let labels: Vec<&str> = list.items.iter().map(|i| i.label.as_str()).collect();
    assert!(labels.contains(&"s3:GetObject") && labels.contains(&"s3:GetObjectAcl"), "{labels:?}");
    assert!(labels.iter().all(|l| l.starts_with("s3:GetObj")), "{labels:?}");

    // A trailing comma: the quick fix deletes it.
    let comma = uri("/tmp/iamlint-lsp-test/comma.json");
    let comma_text = "{\"Version\": \"2012-10-17\", \"Statement\": [],}";
    open(&mut c, &comma, comma_text);
    let d = c.diagnostics(&comma, Some(1));
    let actions = c
        .request::<CodeActionRequest>(CodeActionParams {
            text_document: TextDocumentIdentifier::new(comma.clone()),
            range: d.diagnostics[0].range,
            context: CodeActionContext { diagnostics: d.diagnostics.clone(), ..CodeActionContext::default() },
            work_done_progress_params: WorkDoneProgressParams::default(),
            partial_result_params: PartialResultParams::default(),
        })
        .unwrap()
        .unwrap_or_default();
    let Some(CodeActionOrCommand::CodeAction(fix)) = actions.first() else { panic!("a quick fix: {actions:?}") };
    let edits = &fix.edit.as_ref().unwrap().changes.as_ref().unwrap()[&comma];
    let at = comma_text.len() as u32 - 2;
    assert_eq!(edits[0].range, Range::new(Position::new(0, at), Position::new(0, at + 1)));
    assert_eq!(edits[0].new_text, "");

    // The old policy version: the quick fix writes the current one.
    let old = uri("/tmp/iamlint-lsp-test/old.json");
    let old_text =
        r#"{"Version": "2008-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}"#;
    open(&mut c, &old, old_text);
    let d = c.diagnostics(&old, Some(1));
    let w002: Vec<_> =
        d.diagnostics.iter().filter(|d| d.code == Some(NumberOrString::String("W002".into()))).cloned().collect();
    assert_eq!(w002.len(), 1, "{:?}", d.diagnostics);
    let actions = c
        .request::<CodeActionRequest>(CodeActionParams {
            text_document: TextDocumentIdentifier::new(old.clone()),
            range: w002[0].range,
            context: CodeActionContext { diagnostics: w002, ..CodeActionContext::default() },
            work_done_progress_params: WorkDoneProgressParams::default(),
            partial_result_params: PartialResultParams::default(),
        })
        .unwrap()
        .unwrap_or_default();
    let Some(CodeActionOrCommand::CodeAction(fix)) = actions.first() else { panic!("a quick fix: {actions:?}") };
    let edits = &fix.edit.as_ref().unwrap().changes.as_ref().unwrap()[&old];
    assert_eq!(edits[0].new_text, "\"2012-10-17\"");
    assert_eq!(edits[0].range, Range::new(Position::new(0, 12), Position::new(0, 24)));

    // Closing clears the diagnostics.
    c.notify::<DidCloseTextDocument>(DidCloseTextDocumentParams {
        text_document: TextDocumentIdentifier::new(comma.clone()),
    });
    assert!(c.diagnostics(&comma, None).diagnostics.is_empty());

    // Unknown requests are refused, not ignored.
    c.next_id += 1;
    let id = c.next_id;
    c.send(&json!({"jsonrpc": "2.0", "id": id, "method": "iamlint/nope"}));
    let deadline = Instant::now() + TIMEOUT;
    let reply = loop {
        let m = c.recv(deadline, "the reply to an unknown method");
        if m["id"] == json!(id) {
            break m;
        }
    };
    assert_eq!(reply["error"]["code"], -32601);

    c.request::<Shutdown>(()).expect("shutdown succeeds");
    c.notify::<Exit>(());
    assert_eq!(c.wait_exit(), Some(0), "shutdown then exit is a clean exit");
}

#[test]
fn utf8_positions_when_offered_and_exit_without_shutdown() {
    let mut c = Client::start();
    // Before `initialize`, requests are refused.
    c.send(&json!({"jsonrpc": "2.0", "id": 99, "method": "textDocument/hover", "params": {}}));
    let m = c.recv(Instant::now() + TIMEOUT, "the refusal");
    assert_eq!(m["error"]["code"], -32002);

    let init = initialize(&mut c, &[PositionEncodingKind::UTF8, PositionEncodingKind::UTF16]);
    assert_eq!(init.capabilities.position_encoding, Some(PositionEncodingKind::UTF8));
    let broken = uri("/tmp/iamlint-lsp-test/broken8.json");
    open(&mut c, &broken, BROKEN);
    let d = c.diagnostics(&broken, Some(1));
    assert_eq!(d.diagnostics[0].range.start, Position::new(3, 41), "UTF-8 byte column");

    c.notify::<Exit>(());
    assert_eq!(c.wait_exit(), Some(1), "exit without shutdown is exit code 1");
}

#[test]
fn iamlint_toml_above_the_document_applies() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("iamlint.toml"), "ignore = [\"W002\"]\n").unwrap();
    let mut c = Client::start();
    initialize(&mut c, &[]);
    let doc = uri(dir.path().join("policies/old.json").to_str().unwrap());
    let text =
        r#"{"Version": "2008-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}"#;
    open(&mut c, &doc, text);
    let d = c.diagnostics(&doc, Some(1));
    assert!(!codes(&d).contains(&"W002".to_owned()), "W002 is ignored by iamlint.toml: {:?}", d.diagnostics);
    c.request::<Shutdown>(()).unwrap();
    c.notify::<Exit>(());
    assert_eq!(c.wait_exit(), Some(0));
}

/// The project's invariants (`[[forbid]]`, `[[require]]`) are findings in the editor like any rule's,
/// scoped by their `paths`.
#[test]
fn invariants_of_iamlint_toml_are_diagnostics() {
    let dir = tempfile::tempdir().unwrap();
    let toml = r#"
[[forbid]]
id = "no-prod-bucket-deletion"
actions = ["s3:DeleteBucket"]
resources = ["arn:aws:s3:::prod-*"]
paths = ["iam/**"]
reason = "prod buckets stay"

[[require]]
id = "eu-only"
actions = ["s3:CreateBucket"]
condition = { StringEquals = { "aws:RequestedRegion" = "eu-west-1" } }
paths = ["iam/**"]
reason = "data stays in the EU"
"#;
    std::fs::write(dir.path().join("iamlint.toml"), toml).unwrap();
    let mut c = Client::start();
    initialize(&mut c, &[]);
    let text = r#"{"Version": "2012-10-17", "Statement": [{"Sid": "All", "Effect": "Allow", "Action": "s3:*", "Resource": "*"}]}"#;
    let inside = uri(dir.path().join("iam/admin.json").to_str().unwrap());
    open(&mut c, &inside, text);
    let d = c.diagnostics(&inside, Some(1));
    let found = codes(&d);
    assert!(found.contains(&"X001".to_owned()) && found.contains(&"X002".to_owned()), "{:?}", d.diagnostics);
    let x001 = d.diagnostics.iter().find(|d| d.code == Some(NumberOrString::String("X001".into()))).unwrap();
    assert!(x001.message.contains("`no-prod-bucket-deletion`") && x001.message.contains("prod-"), "{}", x001.message);
    let outside = uri(dir.path().join("sandbox/admin.json").to_str().unwrap());
    open(&mut c, &outside, text);
    let d = c.diagnostics(&outside, Some(1));
    assert!(!codes(&d).iter().any(|c| c.starts_with('X')), "outside the invariants' paths: {:?}", d.diagnostics);
    c.request::<Shutdown>(()).unwrap();
    c.notify::<Exit>(());
    assert_eq!(c.wait_exit(), Some(0));
}

/// A broken `iamlint.toml` is not applied, and the user is told (issue 21), once.
#[test]
fn a_broken_iamlint_toml_is_shown_to_the_user() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("iamlint.toml"), "select = [\"S999\"]\n").unwrap();
    let mut c = Client::start();
    initialize(&mut c, &[]);
    let doc = uri(dir.path().join("p.json").to_str().unwrap());
    let text =
        r#"{"Version": "2008-10-17", "Statement": [{"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}]}"#;
    open(&mut c, &doc, text);
    // The message comes before the diagnostics of the lint that read the configuration; a second lint
    // with the same broken configuration does not repeat it.
    let mut shown = Vec::new();
    for version in 1..=2 {
        if version == 2 {
            change(&mut c, &doc, 2, &text.replace("s3:GetObject", "s3:PutObject"));
        }
        let deadline = Instant::now() + TIMEOUT;
        loop {
            let msg = c.recv(deadline, "the diagnostics");
            if msg["method"] == "window/showMessage" {
                shown.push(msg);
            } else if msg["method"] == PublishDiagnostics::METHOD {
                let p: PublishDiagnosticsParams = serde_json::from_value(msg["params"].clone()).unwrap();
                assert!(codes(&p).contains(&"W002".to_owned()), "the defaults apply: {:?}", p.diagnostics);
                break;
            }
        }
    }
    assert_eq!(shown.len(), 1, "{shown:?}");
    let message = shown[0]["params"]["message"].as_str().unwrap();
    assert!(message.contains("iamlint.toml") && message.contains("S999"), "{message}");
    c.request::<Shutdown>(()).unwrap();
    c.notify::<Exit>(());
    assert_eq!(c.wait_exit(), Some(0));
}

/// `# iamlint-ignore` comments in YAML and HCL apply in the editor as in `check` (issue 21).
#[test]
fn comment_suppressions_apply_in_the_editor() {
    let template =
        std::fs::read_to_string(Path::new(crate::support::ROOT).join("examples/developer-role/template.yaml")).unwrap();
    let mut c = Client::start();
    initialize(&mut c, &[]);
    let doc = uri("/nonexistent-iamlint-dir/template.yaml");
    open(&mut c, &doc, &template);
    assert!(codes(&c.diagnostics(&doc, Some(1))).contains(&"S106".to_owned()));
    let ignored = template
        .replace("  DeveloperRole:\n", "  # iamlint-ignore S106: alice is the break-glass user\n  DeveloperRole:\n");
    change(&mut c, &doc, 2, &ignored);
    let d = c.diagnostics(&doc, Some(2));
    assert!(!codes(&d).contains(&"S106".to_owned()), "{:?}", d.diagnostics);
    c.request::<Shutdown>(()).unwrap();
    c.notify::<Exit>(());
    assert_eq!(c.wait_exit(), Some(0));
}
