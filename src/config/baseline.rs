//! Baselines: accept today's findings and report only new ones. A finding is identified by a
//! fingerprint of its rule, file, statement (`Sid`, or the statement's text when it has none) and the
//! offending text, never by line numbers, so unrelated edits and reformatting keep it matched.

use super::ConfigError;
use super::suppress::FileContext;
use crate::finding::Finding;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// One accepted finding.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BaselineEntry {
    /// The file, relative to the baseline's directory.
    pub path: String,
    /// Rule code.
    pub code: String,
    /// The fingerprint.
    pub fingerprint: String,
    /// The message when it was accepted (for readers; not matched).
    pub message: String,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
struct BaselineFile {
    iamlint_baseline: u32,
    findings: Vec<BaselineEntry>,
}

/// A loaded baseline: fingerprints and how many findings each still absorbs.
#[derive(Debug, Default)]
pub struct Baseline {
    dir: PathBuf,
    remaining: HashMap<String, usize>,
}

fn fnv1a(data: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in data.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// `path` relative to `dir`, with `/` separators (as given when it is elsewhere).
fn rel_path(dir: &Path, path: &Path) -> String {
    let abs = std::path::absolute(path).unwrap_or_else(|_| path.to_path_buf());
    let rel = abs.strip_prefix(dir).map_or_else(|_| path.to_path_buf(), Path::to_path_buf);
    rel.to_string_lossy().replace('\\', "/")
}

/// Fingerprints of the findings of one file, in order. Equal findings get `#2`, `#3`, ... so that a
/// baseline absorbs as many copies as it recorded.
pub fn fingerprints(dir: &Path, path: &Path, source: &str, findings: &[Finding]) -> Vec<(String, String)> {
    let rel = rel_path(dir, path);
    let cx = FileContext::new(source);
    let mut counts: HashMap<u64, usize> = HashMap::new();
    findings
        .iter()
        .map(|f| {
            let c = cx.of(f.span);
            let place = c.sid.map_or_else(|| format!("shape:{}", c.shape), |s| format!("sid:{s}"));
            let h = fnv1a(&format!("{}\u{0}{rel}\u{0}{place}\u{0}{}", f.code(), cx.text(f.span)));
            let n = counts.entry(h).or_default();
            *n += 1;
            let fp = if *n == 1 { format!("{h:016x}") } else { format!("{h:016x}#{n}") };
            (rel.clone(), fp)
        })
        .collect()
}

impl Baseline {
    /// The directory paths in a baseline at `file` are relative to.
    pub fn dir_of(file: &Path) -> PathBuf {
        let abs = std::path::absolute(file).unwrap_or_else(|_| file.to_path_buf());
        abs.parent().map_or_else(|| PathBuf::from("."), Path::to_path_buf)
    }

    /// Read a baseline file.
    pub fn load(file: &Path) -> Result<Baseline, ConfigError> {
        let text =
            std::fs::read_to_string(file).map_err(|e| ConfigError::Io { path: file.to_path_buf(), source: e })?;
        let parsed: BaselineFile = serde_json::from_str(&text)
            .map_err(|e| ConfigError::BadBaseline { path: file.to_path_buf(), reason: e.to_string() })?;
        let mut remaining = HashMap::new();
        for e in parsed.findings {
            *remaining.entry(format!("{}\u{0}{}", e.path, e.fingerprint)).or_default() += 1;
        }
        Ok(Baseline { dir: Baseline::dir_of(file), remaining })
    }

    /// Drop the findings of one file that the baseline accepts; returns how many were dropped.
    pub fn filter(&mut self, path: &Path, source: &str, findings: &mut Vec<Finding>) -> usize {
        let fps = fingerprints(&self.dir, path, source, findings);
        let mut keep = fps.iter().map(|(rel, fp)| {
            let key = format!("{rel}\u{0}{fp}");
            match self.remaining.get_mut(&key) {
                Some(n) if *n > 0 => {
                    *n -= 1;
                    false
                }
                _ => true,
            }
        });
        let before = findings.len();
        let flags: Vec<bool> = keep.by_ref().collect();
        let mut i = 0;
        findings.retain(|_| {
            i += 1;
            flags[i - 1]
        });
        before - findings.len()
    }

    /// Write a baseline holding `entries`.
    pub fn write(file: &Path, mut entries: Vec<BaselineEntry>) -> Result<(), ConfigError> {
        entries.sort();
        let doc = BaselineFile { iamlint_baseline: 1, findings: entries };
        let mut text = serde_json::to_string_pretty(&doc)
            .map_err(std::io::Error::other)
            .map_err(|e| ConfigError::Io { path: file.to_path_buf(), source: e })?;
        text.push('\n');
        std::fs::write(file, text).map_err(|e| ConfigError::Io { path: file.to_path_buf(), source: e })
    }
}
