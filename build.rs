//! Embeds the first pass and fail fixture of every rule, so `iamlint rule CODE` shows real examples
//! (`examples.rs`), writes one fixture test per rule for the integration tests (`fixture_tests.rs`,
//! included by tests/it/rules.rs), and declares the module of every rule file
//! (`rules_<category>.rs`, included by src/rules/<category>/mod.rs), so adding a rule touches its
//! TOML, its Rust file, one registry line and its fixtures.
use std::fmt::Write as _;
use std::path::Path;

/// Rule folders are named by code, `<capital letter><3 digits>`; fixtures/ also holds other corpora.
fn is_code(name: &str) -> bool {
    name.len() == 4 && name.as_bytes()[0].is_ascii_uppercase() && name[1..].bytes().all(|b| b.is_ascii_digit())
}

/// `#[path = ..] pub(crate) mod <stem>;` for each file of `src/rules/<category>/` that implements
/// `Check` (helper files stay declared by hand in the category's `mod.rs`).
fn rule_modules(out_dir: &Path) {
    println!("cargo:rerun-if-changed=src/rules");
    let rules = Path::new("src/rules");
    let mut categories: Vec<_> =
        std::fs::read_dir(rules).map(|d| d.flatten().map(|e| e.path()).collect()).unwrap_or_default();
    categories.retain(|p| p.is_dir());
    categories.sort();
    for dir in categories {
        println!("cargo:rerun-if-changed={}", dir.display());
        let category = dir.file_name().unwrap().to_string_lossy().to_string();
        let mut files: Vec<_> =
            std::fs::read_dir(&dir).map(|d| d.flatten().map(|e| e.path()).collect()).unwrap_or_default();
        files.retain(|p| p.extension().is_some_and(|e| e == "rs") && !p.ends_with("mod.rs"));
        files.sort();
        let mut out = String::new();
        for file in files {
            let text = std::fs::read_to_string(&file).unwrap_or_default();
            if !text.contains("impl Check for ") {
                continue;
            }
            let stem = file.file_stem().unwrap().to_string_lossy();
            let abs = std::fs::canonicalize(&file).expect("rule file path");
            let _ = writeln!(out, "#[path = {:?}]\npub(crate) mod {stem};", abs.display().to_string());
        }
        std::fs::write(out_dir.join(format!("rules_{category}.rs")), out).unwrap();
    }
}

fn main() {
    println!("cargo:rerun-if-changed=fixtures");
    rule_modules(Path::new(&std::env::var("OUT_DIR").unwrap()));
    let root = Path::new("fixtures");
    let mut out = String::from("&[\n");
    // `#[test] fn s101() { fixture_cases("S101"); }` for each rule folder, and the list of their codes.
    let mut tests = String::new();
    let mut test_codes = Vec::new();
    let mut codes: Vec<_> =
        std::fs::read_dir(root).map(|d| d.flatten().map(|e| e.path()).collect()).unwrap_or_default();
    codes.sort();
    for code_dir in codes {
        let Some(code) = code_dir.file_name().and_then(|n| n.to_str()).map(str::to_string) else { continue };
        if is_code(&code) {
            let _ = writeln!(tests, "#[test]\nfn {}() {{\n    fixture_cases({code:?});\n}}\n", code.to_lowercase());
            test_codes.push(code.clone());
        }
        for kind in ["fail", "pass"] {
            let dir = code_dir.join(kind);
            let mut files: Vec<_> =
                std::fs::read_dir(&dir).map(|d| d.flatten().map(|e| e.path()).collect()).unwrap_or_default();
            files.retain(|p| p.extension().is_some_and(|e| e == "json"));
            files.sort();
            if let Some(first) = files.first() {
                let abs = std::fs::canonicalize(first).expect("fixture path");
                let name = first.file_name().unwrap().to_string_lossy();
                let _ =
                    writeln!(out, "    ({code:?}, {kind:?}, {name:?}, include_str!({:?})),", abs.display().to_string());
            }
        }
    }
    out.push_str("]\n");
    let _ = writeln!(tests, "const FIXTURE_CODES: &[&str] = &{test_codes:?};");
    let out_dir = std::env::var("OUT_DIR").unwrap();
    std::fs::write(Path::new(&out_dir).join("examples.rs"), out).unwrap();
    std::fs::write(Path::new(&out_dir).join("fixture_tests.rs"), tests).unwrap();
}
