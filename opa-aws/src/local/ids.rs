//! Random identifiers in AWS's shapes.

/// `n` random characters of `alphabet`, from v4 UUIDs.
fn random_chars(n: usize, alphabet: &[u8]) -> String {
    let mut out = String::with_capacity(n);
    while out.len() < n {
        for b in uuid::Uuid::new_v4().as_bytes() {
            if out.len() == n {
                break;
            }
            out.push(alphabet[usize::from(*b) % alphabet.len()] as char);
        }
    }
    out
}

const UPPER_DIGITS: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
const BASE64ISH: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const ALNUM: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

/// A temporary access key id (`ASIA` + 16).
pub(crate) fn access_key_id() -> String {
    format!("ASIA{}", random_chars(16, UPPER_DIGITS))
}

/// A secret access key (40 characters).
pub(crate) fn secret_access_key() -> String {
    random_chars(40, BASE64ISH)
}

/// A session token.
pub(crate) fn session_token() -> String {
    format!("IQoJb3JpZ2luX2VjE{}", random_chars(120, BASE64ISH))
}

/// The six-character suffix Secrets Manager adds to secret ARNs.
pub(crate) fn secret_suffix() -> String {
    random_chars(6, ALNUM)
}

/// A GitLab-style project access token.
pub(crate) fn project_token() -> String {
    format!("glpat-{}", random_chars(20, ALNUM))
}
