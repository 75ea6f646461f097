//! The lint worker: lints documents off the message loop, coalescing rapid changes (debounce) and
//! publishing diagnostics in the order the editor changed the documents.

use super::diagnostics::lint_with_config;
use super::position::Encoding;
use crate::Settings;
use crate::config::Config;
use crossbeam_channel::{Receiver, RecvTimeoutError, Sender};
use lsp_server::{Message, Notification};
use lsp_types::notification::{Notification as _, PublishDiagnostics};
use lsp_types::{PublishDiagnosticsParams, Uri};
use std::collections::HashMap;
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// Work for the linter.
#[derive(Debug)]
pub enum Job {
    /// Lint this version after `delay`, unless a newer version of the same document arrives first.
    Lint {
        /// The document.
        uri: Uri,
        /// Its file-system path (picks the front end).
        path: String,
        /// The version the diagnostics are for.
        version: i32,
        /// The whole text.
        text: Arc<str>,
        /// How long to wait for further changes: zero on open, the debounce on change.
        delay: Duration,
    },
    /// The document was closed: forget pending work and clear its diagnostics.
    Close {
        /// The document.
        uri: Uri,
    },
}

struct Pending {
    uri: Uri,
    due: Instant,
    path: String,
    version: i32,
    text: Arc<str>,
}

/// Start the worker thread. It stops when every [`Job`] sender is dropped or `out` is closed.
pub fn spawn(out: Sender<Message>, encoding: Encoding, settings: Settings) -> (Sender<Job>, JoinHandle<()>) {
    let (tx, rx) = crossbeam_channel::unbounded();
    let handle = std::thread::Builder::new()
        .name("iamlint-lint".into())
        .spawn(move || run(&rx, &out, encoding, &settings))
        .expect("spawn the lint thread");
    (tx, handle)
}

fn run(jobs: &Receiver<Job>, out: &Sender<Message>, encoding: Encoding, settings: &Settings) {
    // Keyed by the URI's text: `Uri` has interior mutability (a cached parse), so it is no map key.
    let mut pending: HashMap<String, Pending> = HashMap::new();
    // The last configuration error shown, so that each lint does not show it again.
    let mut config_error: Option<String> = None;
    loop {
        // Lint whatever is due, oldest first.
        let now = Instant::now();
        let mut due: Vec<(Instant, String)> =
            pending.iter().filter(|(_, p)| p.due <= now).map(|(u, p)| (p.due, u.clone())).collect();
        due.sort_by_key(|(t, _)| *t);
        for (_, key) in due {
            let Some(p) = pending.remove(&key) else { continue };
            let config = match config_for(&p.uri, &p.path) {
                Ok(c) => {
                    config_error = None;
                    c
                }
                Err(message) => {
                    if config_error.as_ref() != Some(&message) {
                        if !show_warning(out, &message) {
                            return;
                        }
                        config_error = Some(message);
                    }
                    None
                }
            };
            let diagnostics = lint_with_config(&p.uri, &p.path, &p.text, encoding, settings, config.as_ref());
            if !publish(out, p.uri, diagnostics, Some(p.version)) {
                return;
            }
        }
        let next = match pending.values().map(|p| p.due).min() {
            Some(deadline) => jobs.recv_deadline(deadline),
            None => jobs.recv().map_err(|_| RecvTimeoutError::Disconnected),
        };
        match next {
            Ok(Job::Lint { uri, path, version, text, delay }) => {
                // A newer version replaces the pending one and restarts its clock.
                let due = Instant::now() + delay;
                pending.insert(uri.as_str().to_owned(), Pending { uri, due, path, version, text });
            }
            Ok(Job::Close { uri }) => {
                pending.remove(uri.as_str());
                if !publish(out, uri, Vec::new(), None) {
                    return;
                }
            }
            Err(RecvTimeoutError::Timeout) => {}
            Err(RecvTimeoutError::Disconnected) => return,
        }
    }
}

/// The `iamlint.toml` above a `file:` document, read afresh on each lint so edits to it apply at once
/// (it is small, and lints are debounced). A broken one is not applied: `Err` says why, for the user
/// (a `window/showMessage`) and the log.
fn config_for(uri: &Uri, path: &str) -> Result<Option<Config>, String> {
    if !uri.as_str().starts_with("file:") {
        return Ok(None);
    }
    Config::discover(std::path::Path::new(path)).map_err(|e| {
        #[expect(clippy::print_stderr, reason = "stderr is the server's log; stdout is the protocol")]
        {
            eprintln!("iamlint lsp: {path}: ignoring the configuration: {e}");
        }
        let report = format!("{:?}", miette::Report::new(e));
        format!("iamlint: the iamlint.toml for {path} is broken and not applied:\n{}", strip_ansi(&report))
    })
}

/// `text` without ANSI escape sequences (miette's report may colour).
fn strip_ansi(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for c in chars.by_ref() {
                if c.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn show_warning(out: &Sender<Message>, message: &str) -> bool {
    use lsp_types::notification::ShowMessage;
    let params = lsp_types::ShowMessageParams { typ: lsp_types::MessageType::WARNING, message: message.to_owned() };
    out.send(Notification::new(ShowMessage::METHOD.to_owned(), params).into()).is_ok()
}

fn publish(out: &Sender<Message>, uri: Uri, diagnostics: Vec<lsp_types::Diagnostic>, version: Option<i32>) -> bool {
    let params = PublishDiagnosticsParams { uri, diagnostics, version };
    out.send(Notification::new(PublishDiagnostics::METHOD.to_owned(), params).into()).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::str::FromStr;

    #[test]
    fn rapid_changes_are_coalesced() {
        let (out_tx, out_rx) = crossbeam_channel::unbounded();
        let (jobs, handle) = spawn(out_tx, Encoding::Utf16, Settings::default());
        let uri = Uri::from_str("file:///p.json").unwrap();
        for version in 1..=5 {
            let text: Arc<str> =
                Arc::from(format!("{{\"Version\": \"2012-10-17\", \"Statement\": []{}}}", ",".repeat(version)));
            let delay = Duration::from_millis(100);
            jobs.send(Job::Lint { uri: uri.clone(), path: "/p.json".into(), version: version as i32, text, delay })
                .unwrap();
        }
        let Message::Notification(n) = out_rx.recv_timeout(Duration::from_secs(10)).unwrap() else { panic!() };
        let p: PublishDiagnosticsParams = serde_json::from_value(n.params).unwrap();
        assert_eq!(p.version, Some(5));
        jobs.send(Job::Close { uri }).unwrap();
        let Message::Notification(n) = out_rx.recv_timeout(Duration::from_secs(10)).unwrap() else { panic!() };
        let p: PublishDiagnosticsParams = serde_json::from_value(n.params).unwrap();
        assert!(p.diagnostics.is_empty());
        assert!(out_rx.try_recv().is_err(), "versions 1-4 were never published");
        drop(jobs);
        handle.join().unwrap();
    }
}
