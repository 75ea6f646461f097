//! `iamlint lsp`: a language server over stdio (LSP 3.17, `lsp-server` framing, synchronous).
//!
//! Threads: a reader turns stdin into messages; the message loop (the caller's thread) answers
//! requests and owns stdout; a worker lints documents after a short debounce and hands
//! `publishDiagnostics` back to the loop, which writes it. Nothing slow runs on the loop, so hover
//! and completion answer while a large document is being linted.
//!
//! Capabilities: full text sync; diagnostics for everything [`crate::lint_file`] reads (policy JSON,
//! and the template front ends it dispatches to by path); hover on action patterns and condition
//! keys; completion of actions, condition keys, operators and statement elements; quick fixes from
//! [`fix`]. Positions are UTF-16 unless the client offers UTF-8.

mod completion;
mod context;
mod diagnostics;
mod fix;
mod hover;
mod position;
mod worker;

pub use diagnostics::{lint_document, to_diagnostics};
pub use position::{Encoding, PositionMap};

use crate::Settings;
use crossbeam_channel::{Receiver, Sender, select};
use lsp_server::{ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types::notification::{
    DidChangeTextDocument, DidCloseTextDocument, DidOpenTextDocument, Exit, Notification as _,
};
use lsp_types::request::{CodeActionRequest, Completion, HoverRequest, Initialize, Request as _, Shutdown};
use lsp_types::{
    CodeAction, CodeActionKind, CodeActionOptions, CodeActionOrCommand, CodeActionParams, CodeActionProviderCapability,
    CompletionItem, CompletionList, CompletionOptions, CompletionParams, CompletionResponse, CompletionTextEdit,
    DidChangeTextDocumentParams, DidCloseTextDocumentParams, DidOpenTextDocumentParams, Hover, HoverContents,
    HoverParams, HoverProviderCapability, InitializeParams, InitializeResult, MarkupContent, MarkupKind,
    ServerCapabilities, ServerInfo, TextDocumentSyncCapability, TextDocumentSyncKind, TextDocumentSyncOptions,
    TextEdit, Uri, WorkspaceEdit,
};
use std::collections::HashMap;
use std::io::{self, BufReader, Read, Write};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Arc;
use std::time::Duration;
use worker::Job;

/// The default debounce: changes closer together than this are linted once.
pub const DEBOUNCE: Duration = Duration::from_millis(150);

/// Server options.
#[derive(Clone, Debug)]
pub struct Config {
    /// How long to wait after a change before linting.
    pub debounce: Duration,
    /// Which rules run, at what severity.
    pub settings: Settings,
}

impl Default for Config {
    fn default() -> Self {
        Self { debounce: DEBOUNCE, settings: Settings::default() }
    }
}

/// Why the server stopped without a clean `shutdown` + `exit`.
#[derive(Debug, thiserror::Error)]
pub enum LspError {
    /// Reading or writing the transport failed.
    #[error("LSP transport: {0}")]
    Io(#[from] io::Error),
    /// The client broke the protocol (e.g. closed the stream before `exit`).
    #[error("LSP protocol: {0}")]
    Protocol(String),
}

/// Serve on stdin/stdout until `exit`. `Ok(true)` when `shutdown` came before `exit` (exit code 0),
/// `Ok(false)` when it did not (exit code 1, as the protocol asks).
pub fn run_stdio(out: &mut dyn Write, config: &Config) -> Result<bool, LspError> {
    serve(&spawn_reader(io::stdin()), out, config)
}

/// Read framed messages from `input` on a thread. The channel closes at end of input, after `exit`,
/// or on a framing error (the stream cannot be resynchronised after one).
pub fn spawn_reader(input: impl Read + Send + 'static) -> Receiver<Message> {
    let (tx, rx) = crossbeam_channel::unbounded();
    std::thread::Builder::new()
        .name("iamlint-lsp-reader".into())
        .spawn(move || {
            let mut input = BufReader::new(input);
            loop {
                match Message::read(&mut input) {
                    Ok(Some(msg)) => {
                        let exit = matches!(&msg, Message::Notification(n) if n.method == Exit::METHOD);
                        if tx.send(msg).is_err() || exit {
                            return;
                        }
                    }
                    Ok(None) => return,
                    Err(e) => {
                        #[expect(clippy::print_stderr, reason = "stderr is the server's log; stdout is the protocol")]
                        {
                            eprintln!("iamlint lsp: {e}");
                        }
                        return;
                    }
                }
            }
        })
        .expect("spawn the LSP reader thread");
    rx
}

/// Serve messages from `incoming`, writing replies and notifications to `out`, until `exit`.
pub fn serve(incoming: &Receiver<Message>, out: &mut dyn Write, config: &Config) -> Result<bool, LspError> {
    let Some((id, params)) = wait_for_initialize(incoming, out)? else { return Ok(false) };
    let encoding =
        Encoding::negotiate(params.capabilities.general.as_ref().and_then(|g| g.position_encodings.as_deref()));
    let result = InitializeResult { capabilities: capabilities(encoding), server_info: Some(server_info()) };
    write(out, Response::new_ok(id, result))?;

    let (outgoing_tx, outgoing) = crossbeam_channel::unbounded::<Message>();
    let (jobs, _worker) = worker::spawn(outgoing_tx, encoding, config.settings.clone());
    let mut server = Server { docs: HashMap::new(), jobs, encoding, debounce: config.debounce, shutdown: false };
    loop {
        select! {
            recv(incoming) -> msg => {
                let Ok(msg) = msg else {
                    return Err(LspError::Protocol("the client closed the stream without `exit`".into()));
                };
                match msg {
                    Message::Request(req) => {
                        let resp = server.request(req);
                        write(out, resp)?;
                    }
                    Message::Notification(n) if n.method == Exit::METHOD => return Ok(server.shutdown),
                    Message::Notification(n) => server.notification(n),
                    Message::Response(_) => {}
                }
            }
            recv(outgoing) -> msg => {
                if let Ok(msg) = msg {
                    write(out, msg)?;
                }
            }
        }
    }
}

fn write(out: &mut dyn Write, msg: impl Into<Message>) -> Result<(), LspError> {
    msg.into().write(&mut &mut *out)?;
    Ok(())
}

/// Before `initialize`, requests get `ServerNotInitialized` and notifications are dropped, except
/// `exit`, which ends the session (returns `None`).
fn wait_for_initialize(
    incoming: &Receiver<Message>,
    out: &mut dyn Write,
) -> Result<Option<(RequestId, InitializeParams)>, LspError> {
    loop {
        let Ok(msg) = incoming.recv() else {
            return Err(LspError::Protocol("the client closed the stream before `initialize`".into()));
        };
        match msg {
            Message::Request(req) if req.method == Initialize::METHOD => {
                match serde_json::from_value::<InitializeParams>(req.params) {
                    Ok(params) => return Ok(Some((req.id, params))),
                    Err(e) => {
                        write(out, Response::new_err(req.id, ErrorCode::InvalidParams as i32, e.to_string()))?;
                    }
                }
            }
            Message::Request(req) => {
                let msg = "the server is not initialized yet".to_owned();
                write(out, Response::new_err(req.id, ErrorCode::ServerNotInitialized as i32, msg))?;
            }
            Message::Notification(n) if n.method == Exit::METHOD => return Ok(None),
            Message::Notification(_) | Message::Response(_) => {}
        }
    }
}

fn capabilities(encoding: Encoding) -> ServerCapabilities {
    ServerCapabilities {
        position_encoding: Some(encoding.kind()),
        text_document_sync: Some(TextDocumentSyncCapability::Options(TextDocumentSyncOptions {
            open_close: Some(true),
            change: Some(TextDocumentSyncKind::FULL),
            ..TextDocumentSyncOptions::default()
        })),
        hover_provider: Some(HoverProviderCapability::Simple(true)),
        completion_provider: Some(CompletionOptions {
            trigger_characters: Some(vec!["\"".into(), ":".into()]),
            ..CompletionOptions::default()
        }),
        code_action_provider: Some(CodeActionProviderCapability::Options(CodeActionOptions {
            code_action_kinds: Some(vec![CodeActionKind::QUICKFIX]),
            ..CodeActionOptions::default()
        })),
        ..ServerCapabilities::default()
    }
}

fn server_info() -> ServerInfo {
    ServerInfo { name: "iamlint".into(), version: Some(env!("CARGO_PKG_VERSION").into()) }
}

/// An open document.
struct Doc {
    text: String,
    version: i32,
    path: String,
}

impl Doc {
    /// Whether the text is JSON (a policy, a JSON template, Terraform JSON), where hover and completion
    /// know the structure; otherwise (YAML, HCL) they go by the token under the cursor. Decided by the
    /// text, not the name: a `.template` file may be either.
    fn is_json(&self) -> bool {
        self.text.trim_start_matches(['\u{feff}', ' ', '\t', '\r', '\n']).starts_with(['{', '['])
    }
}

struct Server {
    /// Keyed by the URI's text (`Uri` caches a parse inside, so it is no map key).
    docs: HashMap<String, Doc>,
    jobs: Sender<Job>,
    encoding: Encoding,
    debounce: Duration,
    shutdown: bool,
}

impl Server {
    fn request(&mut self, req: Request) -> Response {
        let id = req.id.clone();
        if self.shutdown {
            return Response::new_err(id, ErrorCode::InvalidRequest as i32, "the server is shutting down".into());
        }
        // A bug in a handler must cost one answer, not the session.
        match catch_unwind(AssertUnwindSafe(|| self.dispatch(req))) {
            Ok(resp) => resp,
            Err(_) => Response::new_err(id, ErrorCode::InternalError as i32, "iamlint panicked on this request".into()),
        }
    }

    fn dispatch(&mut self, req: Request) -> Response {
        let id = req.id.clone();
        let result = match req.method.as_str() {
            Shutdown::METHOD => {
                self.shutdown = true;
                Ok(serde_json::Value::Null)
            }
            HoverRequest::METHOD => params(req).map(|p| to_value(self.hover(&p))),
            Completion::METHOD => params(req).map(|p| to_value(self.completion(&p))),
            CodeActionRequest::METHOD => params(req).map(|p| to_value(code_actions(&p))),
            Initialize::METHOD => Err((ErrorCode::InvalidRequest, "`initialize` was already received".into())),
            _ => Err((ErrorCode::MethodNotFound, format!("unhandled method `{}`", req.method))),
        };
        match result {
            Ok(v) => Response { id, response_result: Ok(v) },
            Err((code, msg)) => Response::new_err(id, code as i32, msg),
        }
    }

    fn notification(&mut self, n: Notification) {
        match n.method.as_str() {
            DidOpenTextDocument::METHOD => {
                let Ok(p) = serde_json::from_value::<DidOpenTextDocumentParams>(n.params) else { return };
                let d = p.text_document;
                let path = uri_path(&d.uri);
                self.docs.insert(d.uri.as_str().to_owned(), Doc { text: d.text, version: d.version, path });
                self.lint(&d.uri, Duration::ZERO);
            }
            DidChangeTextDocument::METHOD => {
                let Ok(p) = serde_json::from_value::<DidChangeTextDocumentParams>(n.params) else { return };
                let uri = p.text_document.uri;
                let Some(doc) = self.docs.get_mut(uri.as_str()) else { return };
                for change in p.content_changes {
                    match change.range {
                        // We ask for full sync; a range is applied anyway rather than misread.
                        Some(range) => {
                            let start = position::offset_of(&doc.text, range.start, self.encoding);
                            let end = position::offset_of(&doc.text, range.end, self.encoding).max(start);
                            doc.text.replace_range(start..end, &change.text);
                        }
                        None => doc.text = change.text,
                    }
                }
                doc.version = p.text_document.version;
                self.lint(&uri, self.debounce);
            }
            DidCloseTextDocument::METHOD => {
                let Ok(p) = serde_json::from_value::<DidCloseTextDocumentParams>(n.params) else { return };
                self.docs.remove(p.text_document.uri.as_str());
                let _ = self.jobs.send(Job::Close { uri: p.text_document.uri });
            }
            _ => {}
        }
    }

    fn lint(&self, uri: &Uri, delay: Duration) {
        let Some(doc) = self.docs.get(uri.as_str()) else { return };
        let _ = self.jobs.send(Job::Lint {
            uri: uri.clone(),
            path: doc.path.clone(),
            version: doc.version,
            text: Arc::from(doc.text.as_str()),
            delay,
        });
    }

    fn hover(&self, p: &HoverParams) -> Option<Hover> {
        let tdp = &p.text_document_position_params;
        let doc = self.docs.get(tdp.text_document.uri.as_str())?;
        let map = PositionMap::new(&doc.text, self.encoding);
        let (markdown, span) = hover::hover(&doc.text, map.offset(tdp.position), doc.is_json())?;
        Some(Hover {
            contents: HoverContents::Markup(MarkupContent { kind: MarkupKind::Markdown, value: markdown }),
            range: Some(map.range(span)),
        })
    }

    fn completion(&self, p: &CompletionParams) -> Option<CompletionResponse> {
        let tdp = &p.text_document_position;
        let doc = self.docs.get(tdp.text_document.uri.as_str())?;
        let map = PositionMap::new(&doc.text, self.encoding);
        let (candidates, span) = completion::complete(&doc.text, map.offset(tdp.position), doc.is_json())?;
        let range = map.range(span);
        let items = candidates
            .into_iter()
            .map(|c| CompletionItem {
                text_edit: Some(CompletionTextEdit::Edit(TextEdit {
                    range,
                    new_text: c.insert.clone().unwrap_or_else(|| c.label.clone()),
                })),
                filter_text: Some(c.label.clone()),
                label: c.label,
                kind: Some(c.kind),
                detail: c.detail,
                ..CompletionItem::default()
            })
            .collect();
        // Typing `:` turns service prefixes into actions, so the client must ask again.
        Some(CompletionResponse::List(CompletionList { is_incomplete: true, items }))
    }
}

/// Quick fixes travel in each diagnostic's `data` (LSP 3.16), so answering needs no lint.
fn code_actions(p: &CodeActionParams) -> Vec<CodeActionOrCommand> {
    p.context
        .diagnostics
        .iter()
        .filter_map(|d| {
            let fix = d.data.as_ref()?.get("fix")?;
            let edit: TextEdit = serde_json::from_value(fix.get("edit")?.clone()).ok()?;
            let title = fix.get("title")?.as_str()?.to_owned();
            let safe = fix.get("safe").and_then(serde_json::Value::as_bool).unwrap_or(false);
            Some(CodeActionOrCommand::CodeAction(CodeAction {
                title,
                kind: Some(CodeActionKind::QUICKFIX),
                diagnostics: Some(vec![d.clone()]),
                edit: Some(WorkspaceEdit {
                    changes: Some(HashMap::from([(p.text_document.uri.clone(), vec![edit])])),
                    ..WorkspaceEdit::default()
                }),
                is_preferred: Some(safe),
                ..CodeAction::default()
            }))
        })
        .collect()
}

fn params<P: serde::de::DeserializeOwned>(req: Request) -> Result<P, (ErrorCode, String)> {
    serde_json::from_value(req.params).map_err(|e| (ErrorCode::InvalidParams, e.to_string()))
}

fn to_value(v: impl serde::Serialize) -> serde_json::Value {
    serde_json::to_value(v).unwrap_or(serde_json::Value::Null)
}

/// The file-system path of a `file:` URI, percent-decoded; other schemes (`untitled:`) give their
/// path part, which is enough to pick a front end by extension.
pub fn uri_path(uri: &Uri) -> String {
    let s = uri.as_str();
    let rest = s.strip_prefix("file://").unwrap_or_else(|| s.split_once(':').map_or(s, |(_, p)| p));
    let rest = rest.split(['?', '#']).next().unwrap_or_default();
    let path = crate::semantics::percent::decode(rest, crate::semantics::percent::Mode::Lenient).unwrap_or_default();
    // `file:///C:/x` on Windows: drop the slash before the drive letter.
    match path.as_bytes() {
        [b'/', d, b':', ..] if d.is_ascii_alphabetic() => path[1..].to_owned(),
        _ => path,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn uri_paths() {
        let u = |s: &str| uri_path(&Uri::from_str(s).unwrap());
        assert_eq!(u("file:///home/a%20b/p.json"), "/home/a b/p.json");
        assert_eq!(u("file:///C:/x/p.json"), "C:/x/p.json");
        assert_eq!(u("untitled:Untitled-1"), "Untitled-1");
    }
}
