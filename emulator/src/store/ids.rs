//! Deterministic ids and pseudo-ciphertexts: the same store always produces the same
//! answers, across runs and builds, so tests can compare them.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;

/// FNV-1a, 64-bit: a tiny stable hash (std's `DefaultHasher` is not guaranteed stable across
/// releases, and generated ids must not change between runs or builds).
fn fnv1a(seed: u64, parts: &[&[u8]]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325 ^ seed;
    for part in parts {
        for b in *part {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
        // Separate parts so ("ab","c") and ("a","bc") differ.
        h ^= 0xff;
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    h
}

/// SplitMix64 step: spreads the FNV state into well-mixed output.
fn splitmix(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// A deterministic UUID-shaped version id for entries that do not give one.
pub(super) fn generated_version_id(name: &str, index: usize) -> String {
    let idx = (index as u64).to_le_bytes();
    let mut state = fnv1a(
        0,
        &[b"paramsecrets-emulator/version-id", name.as_bytes(), &idx],
    );
    let a = splitmix(&mut state);
    let b = splitmix(&mut state);
    let hex = format!("{a:016x}{b:016x}");
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

/// What the extension returns for a SecureString read without `withDecryption=true`: the
/// KMS ciphertext, base64. Here: a deterministic blob that starts like a KMS envelope
/// (`AQICAH…`) but carries no trace of the plaintext, so a client that forgets to ask for
/// decryption gets an unusable value, as in Lambda.
pub(super) fn pseudo_ciphertext(name: &str, version: u64, value: &str) -> String {
    let mut state = fnv1a(
        1,
        &[name.as_bytes(), &version.to_le_bytes(), value.as_bytes()],
    );
    let mut blob = vec![0x01, 0x02, 0x02, 0x00, 0x78];
    let len = 160 + value.len();
    while blob.len() < len {
        blob.extend_from_slice(&splitmix(&mut state).to_le_bytes());
    }
    blob.truncate(len);
    BASE64.encode(blob)
}
