//! Edit distance for "did you mean" suggestions.

/// Optimal-string-alignment distance (Levenshtein plus adjacent transpositions), comparing
/// ASCII case-insensitively. Stops early and returns `limit + 1` once the distance is known
/// to exceed `limit`.
pub(crate) fn distance(a: &str, b: &str, limit: usize) -> usize {
    let a: Vec<char> = a.chars().map(|c| c.to_ascii_lowercase()).collect();
    let b: Vec<char> = b.chars().map(|c| c.to_ascii_lowercase()).collect();
    if a.len().abs_diff(b.len()) > limit {
        return limit + 1;
    }
    // Three rolling rows: i-2, i-1, i.
    let mut prev2 = vec![0usize; b.len() + 1];
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    let mut cur = vec![0usize; b.len() + 1];
    for i in 1..=a.len() {
        cur[0] = i;
        let mut row_min = cur[0];
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut d = (prev[j] + 1).min(cur[j - 1] + 1).min(prev[j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                d = d.min(prev2[j - 2] + 1);
            }
            cur[j] = d;
            row_min = row_min.min(d);
        }
        if row_min > limit {
            return limit + 1;
        }
        std::mem::swap(&mut prev2, &mut prev);
        std::mem::swap(&mut prev, &mut cur);
    }
    prev[b.len()].min(limit + 1)
}

/// The largest distance we still call a typo for a name of `len` characters.
pub(crate) fn typo_limit(len: usize) -> usize {
    match len {
        0..=3 => 1,
        4..=8 => 2,
        _ => 3,
    }
}

#[cfg(test)]
mod tests {
    use super::distance;

    #[test]
    fn distances() {
        assert_eq!(distance("GetObjet", "GetObject", 5), 1);
        assert_eq!(distance("getobject", "GetObject", 5), 0);
        assert_eq!(distance("GetObejct", "GetObject", 5), 1);
        assert_eq!(distance("abc", "xyz", 5), 3);
        assert_eq!(distance("abc", "abcdefgh", 2), 3);
        assert_eq!(distance("", "ab", 5), 2);
        assert_eq!(distance("kitten", "sitting", 5), 3);
    }
}
