//! Finding the files to lint: explicit paths, directory walks (respecting `.gitignore`), stdin.

use super::CliError;
use globset::{Glob, GlobSet, GlobSetBuilder};
use std::path::{Path, PathBuf};

/// One input to lint.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Input {
    /// Standard input.
    Stdin,
    /// A file.
    File(PathBuf),
}

/// Files that are linted by default when walking a directory.
/// Templates and Terraform files are included too; files that turn out to hold nothing IAM-related
/// are skipped silently (see `sources::detect`).
pub const DEFAULT_INCLUDE: &[&str] = &["*.json", "*.yaml", "*.yml", "*.template", "*.tf", "*.principal.toml"];

fn globset(patterns: &[String]) -> Result<GlobSet, CliError> {
    let mut b = GlobSetBuilder::new();
    for p in patterns {
        let g = Glob::new(p).map_err(|e| CliError::BadGlob { pattern: p.clone(), reason: e.kind().to_string() })?;
        b.add(g);
    }
    b.build().map_err(|e| CliError::BadGlob { pattern: patterns.join(","), reason: e.to_string() })
}

/// Expand `paths` into inputs; problems with a path become `(path, message)` errors, never a stop.
/// The walk also records which files it found as regular files that are not symbolic links (as it
/// read them from their directories: no file is asked again).
pub fn collect(paths: &[PathBuf], include: &[String], exclude: &[String]) -> Result<Walked, CliError> {
    let mut plain = crate::linter::PlainFiles::default();
    let include = if include.is_empty() {
        globset(&DEFAULT_INCLUDE.iter().map(|s| (*s).to_string()).collect::<Vec<_>>())?
    } else {
        globset(include)?
    };
    let mut inputs = Vec::new();
    let mut errors = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            inputs.push(Input::Stdin);
            continue;
        }
        match std::fs::metadata(path) {
            Err(e) => errors.push((path.display().to_string(), describe_io(&e))),
            Ok(m) if m.is_dir() => {
                walk_dir(path, &include, &excluder(path, exclude)?, &mut inputs, &mut errors, &mut plain);
            }
            // An explicit file is linted whatever its name, unless excluded.
            Ok(_) => {
                let cwd = std::env::current_dir().unwrap_or_else(|_| PathBuf::from("."));
                if !excluded(&excluder(&cwd, exclude)?, path, false) {
                    inputs.push(Input::File(path.clone()));
                }
            }
        }
    }
    // In `Input`'s order, each path's key made once (comparing paths component by component is most
    // of the cost of sorting a large walk).
    inputs.sort_by_cached_key(|i| match i {
        Input::Stdin => None,
        Input::File(p) => Some(path_order_key(p)),
    });
    inputs.dedup();
    Ok(Walked { inputs, errors, plain })
}

/// What [`collect`] found.
pub struct Walked {
    pub inputs: Vec<Input>,
    pub errors: Vec<(String, String)>,
    /// The inputs found as regular files that are not symbolic links.
    pub plain: crate::linter::PlainFiles,
}

/// Bytes that order as `Path`'s `Ord` does: component by component, each compared by its kind (root,
/// `.`, `..`, name) and then its bytes. A `0` byte, which no component holds, ends each one, so a
/// path that is a prefix of another comes first, as does a name that is a prefix of another.
fn path_order_key(p: &Path) -> Vec<u8> {
    use std::os::unix::ffi::OsStrExt as _;
    use std::path::Component;
    let mut key = Vec::with_capacity(p.as_os_str().len() + 8);
    for c in p.components() {
        match c {
            Component::Prefix(_) => key.push(1),
            Component::RootDir => key.push(2),
            Component::CurDir => key.push(3),
            Component::ParentDir => key.push(4),
            Component::Normal(name) => {
                key.push(5);
                key.extend_from_slice(name.as_bytes());
            }
        }
        key.push(0);
    }
    key
}

fn matches(set: &GlobSet, root: &Path, path: &Path) -> bool {
    let rel = path.strip_prefix(root).unwrap_or(path);
    set.is_match(rel) || path.file_name().is_some_and(|n| set.is_match(n))
}

/// `--exclude` patterns with `.gitignore` semantics, relative to `root`: `cfn` excludes every file or
/// directory named `cfn` (and so everything below it), `cfn/` only directories, `/cfn` only at the
/// root, `*.tf` files by name, `legacy/**/*.json` by path.
fn excluder(root: &Path, patterns: &[String]) -> Result<ignore::gitignore::Gitignore, CliError> {
    let mut b = ignore::gitignore::GitignoreBuilder::new(root);
    for p in patterns {
        b.add_line(None, p).map_err(|e| CliError::BadGlob { pattern: p.clone(), reason: e.to_string() })?;
    }
    b.build().map_err(|e| CliError::BadGlob { pattern: patterns.join(","), reason: e.to_string() })
}

/// Whether `path` or one of its parent directories is excluded.
fn excluded(gi: &ignore::gitignore::Gitignore, path: &Path, is_dir: bool) -> bool {
    let path = path.strip_prefix(".").unwrap_or(path);
    if path.has_root() && !path.starts_with(gi.path()) {
        return false;
    }
    gi.matched_path_or_any_parents(path, is_dir).is_ignore()
}

fn walk_dir(
    root: &Path,
    include: &GlobSet,
    exclude: &ignore::gitignore::Gitignore,
    inputs: &mut Vec<Input>,
    errors: &mut Vec<(String, String)>,
    plain: &mut crate::linter::PlainFiles,
) {
    let skip = exclude.clone();
    let base = root.to_path_buf();
    let walker = ignore::WalkBuilder::new(root)
        .standard_filters(true)
        .require_git(false)
        .follow_links(true)
        .filter_entry(move |e| {
            let rel = e.path().strip_prefix(&base).unwrap_or(e.path());
            rel.as_os_str().is_empty() || !skip.matched(rel, e.file_type().is_some_and(|t| t.is_dir())).is_ignore()
        })
        .build();
    for entry in walker {
        match entry {
            Ok(e) => {
                let Some(ft) = e.file_type() else { continue };
                if ft.is_dir() {
                    continue;
                }
                let p = e.path();
                if matches(include, root, p) {
                    // `iamlint check .` reports `a.json`, not `./a.json`.
                    let shown = p.strip_prefix(".").unwrap_or(p);
                    if ft.is_file() && !e.path_is_symlink() {
                        plain.insert(shown.to_path_buf());
                    }
                    inputs.push(Input::File(shown.to_path_buf()));
                }
            }
            Err(err) => {
                let path = match &err {
                    ignore::Error::WithPath { path, .. } => path.display().to_string(),
                    _ => root.display().to_string(),
                };
                let msg = err.to_string();
                let msg = if msg.contains("loop") { format!("symbolic link loop: {msg}") } else { msg };
                errors.push((path, msg));
            }
        }
    }
}

/// A one-line, human reason for an I/O error.
pub fn describe_io(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file or directory".into(),
        std::io::ErrorKind::PermissionDenied => "permission denied".into(),
        std::io::ErrorKind::IsADirectory => "is a directory".into(),
        _ => e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The walk knows which files it found are regular files and not links: a link to a file is
    /// linted but not known so, and a file named on the command line is not either.
    #[cfg(unix)]
    #[test]
    fn the_walk_knows_its_plain_files() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("a.json"), "{}").unwrap();
        std::os::unix::fs::symlink(dir.path().join("a.json"), dir.path().join("b.json")).unwrap();
        let named = dir.path().join("a.json");
        let w = collect(&[dir.path().to_path_buf(), named.clone()], &[], &[]).unwrap();
        let files: Vec<&Path> =
            w.inputs.iter().filter_map(|i| if let Input::File(p) = i { Some(p.as_path()) } else { None }).collect();
        assert_eq!(files, [named.as_path(), dir.path().join("b.json").as_path()]);
        assert!(w.plain.contains(&named), "found by the walk as a regular file");
        assert!(!w.plain.contains(&dir.path().join("b.json")), "a link");
        let alone = collect(std::slice::from_ref(&named), &[], &[]).unwrap();
        assert!(alone.plain.is_empty(), "named, not walked");
    }

    /// Sorting by the key gives `Path`'s own order, on names that a byte-wise sort would misplace
    /// (`a/b` before `a-b`, `..` before `.-x`, a directory before its longer-named sibling).
    #[test]
    fn path_keys_sort_as_paths() {
        let names = [
            "a", "a/b", "a-b", "a-b/c", "a.b", "ab", "a/b/c", "a//b", "./a", "../a", ".-x/y", "../.-x", "/abs",
            "/abs/x", "-", "a\u{1}", "a/\u{1}b", "b/../a", "a/./b", "", ".", "..", "é/x", "z",
        ];
        let mut by_path: Vec<PathBuf> = names.iter().map(PathBuf::from).collect();
        let mut by_key = by_path.clone();
        by_path.sort();
        by_key.sort_by_cached_key(|p| path_order_key(p));
        assert_eq!(by_key, by_path);
        // Equal keys only for equal paths, so `dedup` after the sort drops the same inputs.
        for a in &by_path {
            for b in &by_path {
                assert_eq!(path_order_key(a) == path_order_key(b), a == b, "{a:?} {b:?}");
            }
        }
    }
}
