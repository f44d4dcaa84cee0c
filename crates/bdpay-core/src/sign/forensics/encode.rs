//! The URL encodings merchants apply to values before signing: form-style and RFC 3986.

/// `application/x-www-form-urlencoded` encoding: unreserved `*-._` kept, space as `+`.
#[must_use]
pub fn form_encode(s: &str) -> String {
    encode(s, b"*-._", true)
}

/// RFC 3986 encoding: unreserved `-._~` kept, space as `%20`.
#[must_use]
pub fn rfc3986_encode(s: &str) -> String {
    encode(s, b"-._~", false)
}

fn encode(s: &str, keep: &[u8], plus: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for &b in s.as_bytes() {
        if b.is_ascii_alphanumeric() || keep.contains(&b) {
            out.push(b as char);
        } else if b == b' ' && plus {
            out.push('+');
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}
