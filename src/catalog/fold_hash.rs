// Included by build.rs (which fills the action lookup table with it) and by src/catalog/compiled.rs
// (which probes the table with it), so both hash alike. Not a module of its own.

/// A hash of the ASCII-lowercased bytes of `s`, eight at a time: the hash of the compiled action
/// lookup table. Each word (the last one padded with zeros) is lowercased in one go, mixed in with
/// an xor and a multiply, and the high half folded onto the low one at the end, so the bits the table
/// uses (16 to 31) depend on every byte. One multiply per eight bytes rather than per byte (FNV-1a,
/// before) nearly halves the cost of a lookup; the probe chains stay as short (1.26 slots on average).
fn fold_hash(s: &str) -> u32 {
    const MIX: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut words = s.as_bytes().chunks_exact(8);
    let mut h = s.len() as u64;
    for w in words.by_ref() {
        h = (h ^ lower_word(u64::from_le_bytes(w.try_into().expect("a chunk of 8")))).wrapping_mul(MIX);
    }
    let rest = words.remainder();
    if !rest.is_empty() {
        let mut last = [0u8; 8];
        last[..rest.len()].copy_from_slice(rest);
        h = (h ^ lower_word(u64::from_le_bytes(last))).wrapping_mul(MIX);
    }
    (h ^ (h >> 32)) as u32
}

/// `u8::to_ascii_lowercase` on each byte of a word: bytes `A`..=`Z` get bit 0x20, others stay.
fn lower_word(w: u64) -> u64 {
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let low7 = w & !HIGH;
    // Per byte (no carry leaves a byte: at most 0x7f + 0x3f): the high bit is set from `A` up, and
    // from past `Z` up; bytes of 0x80 and above are not letters.
    let from_a = low7 + 0x3f3f_3f3f_3f3f_3f3f;
    let past_z = low7 + 0x2525_2525_2525_2525;
    let upper = from_a & !past_z & !w & HIGH;
    w | (upper >> 2)
}
