//! The documentation is tested: every ```` ```toml ```` and ```` ```json ```` example in `README.md` and
//! `docs/*.md` must parse (the `iamlint.toml` examples of `docs/configuration.md` must load as a
//! configuration), and every ```` ```sh runnable ```` block is run, line by line, with the built
//! `iamlint` first on `PATH`, from the package root. A runnable command must exit 0 or 1 (findings), never
//! 2 (usage or I/O error) or by a signal or panic. Mark a shell block runnable only when its commands work
//! on a fresh checkout.

use crate::support::ROOT;
use std::path::{Path, PathBuf};

/// One fenced block: the file, its first line number, the info string and the text.
struct Block {
    file: PathBuf,
    line: usize,
    info: String,
    text: String,
}

fn doc_files() -> Vec<PathBuf> {
    let mut files = vec![Path::new(ROOT).join("README.md")];
    let mut docs: Vec<PathBuf> = std::fs::read_dir(Path::new(ROOT).join("docs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    docs.sort();
    files.extend(docs);
    files
}

fn blocks() -> Vec<Block> {
    let mut out = Vec::new();
    for file in doc_files() {
        let text = std::fs::read_to_string(&file).unwrap();
        let mut open: Option<Block> = None;
        for (i, line) in text.lines().enumerate() {
            let Some(info) = line.strip_prefix("```") else {
                if let Some(b) = &mut open {
                    b.text.push_str(line);
                    b.text.push('\n');
                }
                continue;
            };
            match open.take() {
                Some(b) => out.push(b),
                None => {
                    open = Some(Block {
                        file: file.clone(),
                        line: i + 1,
                        info: info.trim().to_string(),
                        text: String::new(),
                    });
                }
            }
        }
        assert!(open.is_none(), "{}: unclosed code block", file.display());
    }
    out
}

fn at(b: &Block) -> String {
    format!("{}:{}", crate::support::rel(&b.file), b.line)
}

#[test]
fn toml_examples_parse() {
    let mut n = 0;
    for b in blocks().iter().filter(|b| b.info == "toml") {
        n += 1;
        if let Err(e) = b.text.parse::<toml::Table>() {
            panic!("{}: invalid TOML:\n{e}\n{}", at(b), b.text);
        }
        if b.file.ends_with("docs/configuration.md")
            && let Err(e) = iamlint::config::Config::parse(b.text.clone(), Path::new("iamlint.toml"))
        {
            panic!("{}: does not load as iamlint.toml: {:?}", at(b), miette::Report::new(e));
        }
    }
    assert!(n >= 5, "expected the docs' TOML examples, found {n}");
}

#[test]
fn json_examples_parse() {
    let mut n = 0;
    for b in blocks().iter().filter(|b| b.info == "json") {
        n += 1;
        if let Err(e) = serde_json::from_str::<serde_json::Value>(&b.text) {
            panic!("{}: invalid JSON: {e}\n{}", at(b), b.text);
        }
    }
    assert!(n >= 2, "expected the docs' JSON examples, found {n}");
}

/// The commands of a shell block: `$ ` prompts dropped, `\` continuations joined, comments and blank
/// lines skipped.
fn commands(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    for line in text.lines() {
        let line = line.trim_start();
        let line = line.strip_prefix("$ ").unwrap_or(line);
        if current.is_empty() && (line.is_empty() || line.starts_with('#')) {
            continue;
        }
        if let Some(head) = line.strip_suffix('\\') {
            current.push_str(head);
            continue;
        }
        current.push_str(line);
        out.push(std::mem::take(&mut current));
    }
    out
}

#[test]
fn runnable_shell_blocks_run() {
    let bin = Path::new(env!("CARGO_BIN_EXE_iamlint")).parent().unwrap().to_path_buf();
    let path = std::env::join_paths(
        std::iter::once(bin).chain(std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())),
    )
    .unwrap();
    let mut n = 0;
    for b in blocks().iter().filter(|b| b.info == "sh runnable") {
        for cmd in commands(&b.text) {
            n += 1;
            let out = std::process::Command::new("sh")
                .arg("-c")
                .arg(&cmd)
                .current_dir(ROOT)
                .env("PATH", &path)
                .env("NO_COLOR", "1")
                .output()
                .unwrap();
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(
                matches!(out.status.code(), Some(0 | 1)) && !stderr.contains("panicked"),
                "{}: `{cmd}` exited {:?}\n{}{stderr}",
                at(b),
                out.status.code(),
                String::from_utf8_lossy(&out.stdout)
            );
        }
    }
    assert!(n >= 3, "expected runnable shell blocks in the docs, found {n} commands");
}

/// The docs stand alone: every document under `docs/` that the README, the docs, the sources, the tests or the
/// tools cite exists in the repository.
#[test]
fn cited_docs_exist() {
    let re = regex::Regex::new(r"docs/[A-Za-z0-9_./-]+?\.md").unwrap();
    let mut missing = Vec::new();
    let mut stack: Vec<std::path::PathBuf> =
        ["README.md", "CHANGELOG.md", "docs", "src", "tests", "tools", "rules", "scripts", "benches"]
            .iter()
            .map(|p| Path::new(ROOT).join(p))
            .collect();
    while let Some(p) = stack.pop() {
        if p.is_dir() {
            stack.extend(std::fs::read_dir(&p).unwrap().map(|e| e.unwrap().path()));
            continue;
        }
        let Ok(text) = std::fs::read_to_string(&p) else { continue };
        for m in re.find_iter(&text) {
            if !Path::new(ROOT).join(m.as_str()).exists() {
                missing.push(format!("{} cites {}", crate::support::rel(&p), m.as_str()));
            }
        }
    }
    missing.sort();
    missing.dedup();
    assert!(missing.is_empty(), "citations of documents that are not in the repository:\n{}", missing.join("\n"));
}
