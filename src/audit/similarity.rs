//! Text normalisation and MinHash signatures for near-duplicate detection.
//!
//! A note's text is reduced to a sequence of tokens in which what legitimately changes from
//! visit to visit or patient to patient is replaced by a placeholder: every token holding a digit
//! (numbers, dates, times, doses) becomes `#` (runs of them collapse into one), and every
//! capitalised word (`Smith`, `Maria`, `Oct`) becomes `<cap>`, so that names and months do not
//! tell two notes apart. The signature is a MinHash over the set of 3-token shingles: the share
//! of equal positions of two signatures estimates the Jaccard similarity of the shingle sets
//! (Broder 1997), with a standard error of about `sqrt(J(1-J)/k)` (≈ 0.05 at J = 0.8, k = 64).

/// Positions of a MinHash signature.
pub const K: usize = 64;

/// A MinHash signature of 16-bit minima (empty text: all `u16::MAX`). 16 bits make two
/// different minima look equal with probability 1/65,536: a negligible bias, for half the memory.
pub type Signature = [u16; K];

/// splitmix64: a fast, well-mixed 64-bit hash finaliser.
pub fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// FNV-1a of a string (stable across runs and platforms).
pub fn fnv(s: &str) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in s.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// FNV-1a of a word in lower case (ASCII fast path, no allocation).
fn fnv_lower(word: &str) -> u64 {
    if word.is_ascii() {
        let mut h: u64 = 0xcbf2_9ce4_8422_2325;
        for b in word.bytes() {
            h ^= u64::from(b.to_ascii_lowercase());
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
        h
    } else {
        fnv(&word.to_lowercase())
    }
}

const NUMBER: u64 = 0x6e75_6d62_6572;
const CAPITAL: u64 = 0x0063_6170_6974_616c;

/// The token hashes of `text`: see the module documentation. With `keep_numbers`, numbers stay
/// (doses such as `3x10` or `10#` then count), but capitalised words are still placeholders.
pub fn tokens(text: &str, keep_numbers: bool, out: &mut Vec<u64>) {
    for word in text
        .split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '#'))
        .filter(|w| !w.is_empty())
    {
        let h = if word.bytes().any(|b| b.is_ascii_digit()) {
            if keep_numbers {
                fnv(word)
            } else if out.last() == Some(&NUMBER) {
                continue;
            } else {
                NUMBER
            }
        } else {
            let mut chars = word.chars();
            let first = chars.next().unwrap_or(' ');
            if first.is_uppercase() && chars.any(|c| c.is_lowercase()) {
                CAPITAL
            } else {
                fnv_lower(word)
            }
        };
        out.push(h);
    }
}

/// A hash of a token sequence (0 for none: an empty or missing section).
pub fn sequence_hash(tokens: &[u64]) -> u64 {
    if tokens.is_empty() {
        return 0;
    }
    tokens
        .iter()
        .fold(0x243f_6a88_85a3_08d3u64, |h, t| mix(h ^ t))
        .max(1)
}

/// The MinHash signature of the 3-token shingles of `tokens` (a shorter text: one shingle).
///
/// Each shingle is hashed once (splitmix64), the set is deduplicated, and position `i` takes
/// the minimum of `(a_i * h + b_i) >> 48` (a multiply-shift universal hash family, `a_i` odd).
pub fn signature(tokens: &[u64]) -> Signature {
    let mut sig = [u16::MAX; K];
    let mut shingles: Vec<u64> = if tokens.len() < 3 {
        if tokens.is_empty() {
            return sig;
        }
        vec![mix(sequence_hash(tokens))]
    } else {
        tokens
            .windows(3)
            .map(|w| mix(mix(w[0]) ^ mix(w[1].rotate_left(21)) ^ w[2].rotate_left(42)))
            .collect()
    };
    shingles.sort_unstable();
    shingles.dedup();
    for &h in &shingles {
        for (i, slot) in sig.iter_mut().enumerate() {
            let v = (h
                .wrapping_mul(SEEDS[i] | 1)
                .wrapping_add(SEEDS[(i + 1) % K])
                >> 48) as u16;
            *slot = (*slot).min(v);
        }
    }
    sig
}

/// The estimated Jaccard similarity of two signatures (0 when either text was empty).
pub fn similarity(a: &Signature, b: &Signature) -> f64 {
    if a[0] == u16::MAX && a.iter().all(|&v| v == u16::MAX) {
        return 0.0;
    }
    let same = a.iter().zip(b).filter(|(x, y)| x == y).count();
    same as f64 / K as f64
}

/// LSH bands: `BANDS` bands of `ROWS` positions. Two notes with Jaccard similarity `s` share a
/// band with probability `1 - (1 - s^ROWS)^BANDS`: 0.9996 at s = 0.8, 0.47 at s = 0.5.
pub const BANDS: usize = 16;
pub const ROWS: usize = K / BANDS;

/// The hashes of the bands of a signature.
pub fn bands(sig: &Signature) -> impl Iterator<Item = (usize, u64)> + '_ {
    sig.chunks(ROWS).enumerate().map(|(i, rows)| {
        let h = rows.iter().fold(i as u64, |h, &r| mix(h ^ u64::from(r)));
        (i, h)
    })
}

static SEEDS: [u64; K] = {
    let mut s = [0u64; K];
    let mut i = 0;
    let mut x: u64 = 0x1234_5678_9abc_def1;
    while i < K {
        x = x
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        s[i] = x;
        i += 1;
    }
    s
};

#[cfg(test)]
mod tests {
    use super::*;

    fn sig(text: &str) -> Signature {
        let mut t = Vec::new();
        tokens(text, false, &mut t);
        signature(&t)
    }

    #[test]
    fn names_numbers_and_dates_do_not_matter() {
        let a = sig("Maria Lopez reports pain 6/10 after walking 2 blocks on 10/14/2026, knee flexion 95 degrees, 3x10 quad sets");
        let b = sig("John Smith reports pain 4/10 after walking 5 blocks on 11/02/2026, knee flexion 110 degrees, 2x15 quad sets");
        assert!(similarity(&a, &b) > 0.95, "{}", similarity(&a, &b));
    }

    #[test]
    fn different_wording_is_dissimilar() {
        let a = sig("Patient reports less stiffness in the morning and climbed stairs reciprocally with one rail today");
        let b = sig("Patient reports increased swelling after a long shift at work; ice and elevation advised before next session");
        assert!(similarity(&a, &b) < 0.3, "{}", similarity(&a, &b));
    }
}
