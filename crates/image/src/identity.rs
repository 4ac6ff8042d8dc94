//! Content identifiers as the OCI image spec defines them: a layer's DiffID is the sha256 of
//! its uncompressed tar, a ChainID folds the DiffIDs below it, an image ID is the sha256 of
//! the config JSON's exact bytes.

use sha2::{Digest, Sha256};

/// `sha256:` and the hex digest of `bytes`.
pub fn sha256_digest(bytes: &[u8]) -> String {
    // Written out by hand rather than through `format!("{:x}")`: every step of every
    // build names its cache key this way, and the formatter is the slower part.
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(71);
    out.push_str("sha256:");
    for b in Sha256::digest(bytes) {
        out.push(HEX[usize::from(b >> 4)] as char);
        out.push(HEX[usize::from(b & 15)] as char);
    }
    out
}

/// `ChainID(L0) = DiffID(L0)`; `ChainID(L0..n) = sha256(ChainID(L0..n-1) + " " + DiffID(Ln))`,
/// hashing the full `sha256:...` strings. One entry per layer, bottom first.
pub fn chain_ids(diff_ids: &[String]) -> Vec<String> {
    let mut chain: Vec<String> = Vec::with_capacity(diff_ids.len());
    for diff_id in diff_ids {
        let next = match chain.last() {
            None => diff_id.clone(),
            Some(below) => sha256_digest(format!("{below} {diff_id}").as_bytes()),
        };
        chain.push(next);
    }
    chain
}

/// The 12 hex characters `docker images` and `docker history` show for an ID.
pub fn short_id(id: &str) -> &str {
    let hex = id.strip_prefix("sha256:").unwrap_or(id);
    &hex[..hex.len().min(12)]
}
