//! Embeds the first pass and fail fixture of every rule, so `iamlint rule CODE` shows real examples.
use std::fmt::Write as _;
use std::path::Path;

fn main() {
    println!("cargo:rerun-if-changed=fixtures");
    let root = Path::new("fixtures");
    let mut out = String::from("&[\n");
    let mut codes: Vec<_> =
        std::fs::read_dir(root).map(|d| d.flatten().map(|e| e.path()).collect()).unwrap_or_default();
    codes.sort();
    for code_dir in codes {
        let Some(code) = code_dir.file_name().and_then(|n| n.to_str()).map(str::to_string) else { continue };
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
    let dest = Path::new(&std::env::var("OUT_DIR").unwrap()).join("examples.rs");
    std::fs::write(dest, out).unwrap();
}
