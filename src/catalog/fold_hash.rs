// Included by build.rs (which fills the action lookup table with it) and by src/catalog/compiled.rs
// (which probes the table with it), so both hash alike. Not a module of its own.

/// FNV-1a over the ASCII-lowercased bytes of `s`: the hash of the compiled action lookup table.
fn fold_hash(s: &str) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for b in s.bytes() {
        h ^= u32::from(b.to_ascii_lowercase());
        h = h.wrapping_mul(0x0100_0193);
    }
    h
}
