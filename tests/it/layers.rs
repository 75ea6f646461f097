//! The layer order of `src/lib.rs`, enforced: every `crate::<module>` path in a module's source must
//! name a module of the same or a lower layer, and the crates that only the outer layers may use
//! (clap, miette, the LSP stack) appear nowhere below them. Test modules (`#[cfg(test)] mod tests`)
//! are outside the library's layering and are not read.

use crate::support::ROOT;
use std::path::{Path, PathBuf};

/// Each top-level module and its layer, lowest first (the same list as the doc comment of `lib.rs`).
const LAYERS: &[(&str, u8)] = &[
    ("parse", 0),
    ("semantics", 0),
    ("model", 1),
    ("catalog", 1),
    ("eval", 2),
    ("trust", 3),
    ("privesc", 3),
    ("account", 3),
    ("diff", 3),
    ("sources", 4),
    ("finding", 5),
    ("rules", 5),
    ("linter", 5),
    ("config", 6),
    ("online", 7),
    ("output", 7),
    ("corpus", 7),
    ("lsp", 8),
    ("cli", 8),
];

/// Items `lib.rs` re-exports at the crate root, and the module each belongs to.
const ROOT_ITEMS: &[(&str, &str)] = &[
    ("Settings", "config"),
    ("Finding", "finding"),
    ("Severity", "finding"),
    ("Linter", "linter"),
    ("FileSystem", "linter"),
    ("NoWorkspace", "linter"),
    ("Workspace", "linter"),
    ("sort_findings", "linter"),
    ("LinterSettings", "rules"),
    ("Rule", "rules"),
    ("RuleSet", "rules"),
    ("lint", "linter"),
    ("lint_file", "linter"),
    ("lint_bytes", "linter"),
    ("lint_account", "linter"),
];

/// External crates and the lowest layer that may use them.
const OUTER_CRATES: &[(&str, u8)] = &[("clap::", 7), ("miette::", 6), ("lsp_types", 8), ("lsp_server", 8)];

fn layer(module: &str) -> Option<u8> {
    LAYERS.iter().find(|(m, _)| *m == module).map(|(_, l)| *l)
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// The library code of a file: comments and `#[cfg(test)] mod tests { .. }` removed.
fn library_code(text: &str) -> String {
    let code = match text.find("#[cfg(test)]\nmod tests") {
        Some(at) => &text[..at],
        None => text,
    };
    code.lines().map(|l| l.split("//").next().unwrap_or("")).collect::<Vec<_>>().join("\n")
}

/// The modules and root items a file's code names through `crate::`, with the line of each.
fn crate_paths(code: &str) -> Vec<(String, usize)> {
    let mut out = Vec::new();
    for (i, line) in code.lines().enumerate() {
        let mut rest = line;
        while let Some(at) = rest.find("crate::") {
            rest = &rest[at + "crate::".len()..];
            if let Some(group) = rest.strip_prefix('{') {
                let inner = group.split('}').next().unwrap_or("");
                for name in inner.split(',') {
                    let head = name.trim().split("::").next().unwrap_or("").trim();
                    if !head.is_empty() {
                        out.push((head.to_string(), i + 1));
                    }
                }
                continue;
            }
            let head: String = rest.chars().take_while(|c| c.is_ascii_alphanumeric() || *c == '_').collect();
            if !head.is_empty() {
                out.push((head, i + 1));
            }
        }
    }
    out
}

#[test]
fn no_module_imports_a_higher_layer() {
    let src = Path::new(ROOT).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let mut wrong = Vec::new();
    let mut unknown = Vec::new();
    for file in &files {
        let rel = file.strip_prefix(&src).unwrap();
        let top = rel.components().next().unwrap().as_os_str().to_str().unwrap().trim_end_matches(".rs").to_string();
        if top == "lib" || top == "main" {
            continue;
        }
        let Some(own) = layer(&top) else {
            unknown.push(format!("src/{} is in no layer: add its module to LAYERS and lib.rs's list", rel.display()));
            continue;
        };
        let code = library_code(&std::fs::read_to_string(file).unwrap());
        for (name, line) in crate_paths(&code) {
            let target = ROOT_ITEMS.iter().find(|(item, _)| *item == name).map_or(name.as_str(), |(_, m)| m);
            let Some(theirs) = layer(target) else { continue };
            if theirs > own {
                wrong.push(format!(
                    "src/{}:{line}: `{top}` (layer {own}) names `crate::{name}` (layer {theirs})",
                    rel.display()
                ));
            }
        }
        for (krate, lowest) in OUTER_CRATES {
            if own < *lowest
                && let Some(line) = code.lines().position(|l| l.contains(krate))
            {
                wrong.push(format!("src/{}:{}: `{top}` (layer {own}) uses `{krate}`", rel.display(), line + 1));
            }
        }
    }
    assert!(unknown.is_empty(), "{unknown:#?}");
    assert!(wrong.is_empty(), "imports against the layer order:\n{}", wrong.join("\n"));
}

#[test]
fn the_checker_sees_a_back_edge() {
    // A lower module naming a higher one, in each spelling the check reads.
    let code = "use crate::rules::Rule;\nuse crate::{config, parse};\nfn f() { crate::Settings::default(); }";
    let names: Vec<String> = crate_paths(code).into_iter().map(|(n, _)| n).collect();
    assert_eq!(names, ["rules", "config", "parse", "Settings"]);
    assert!(library_code("// crate::cli\nfn a() {}").find("crate::cli").is_none());
}
