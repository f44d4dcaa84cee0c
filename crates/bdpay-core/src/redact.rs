//! Masks private key material in any text before it is shown: PEM private key blocks and long
//! base64 runs that decode to a private key's DER. The mask keeps byte lengths, so spans into the
//! original text stay valid in the masked one.

use base64::Engine as _;

/// The masked text, or `None` when there is nothing to mask.
#[must_use]
pub fn redact(text: &str) -> Option<String> {
    let mut ranges = Vec::new();
    // PEM blocks whose label says PRIVATE KEY (RSA, EC, ENCRYPTED, plain PKCS#8).
    let mut from = 0;
    while let Some(i) = text[from..].find("-----BEGIN ") {
        let start = from + i;
        let Some(label_end) = text[start + 11..].find("-----") else {
            break;
        };
        let label = &text[start + 11..start + 11 + label_end];
        let body_start = start + 11 + label_end + 5;
        // The body is the base64 (and line breaks) that follows the header, END line or not:
        // prose between a header and some later END line in a doc is not a key.
        let body_end = body_start + base64_prefix(&text[body_start..]);
        // A body too short to be a key is an example in a doc, not a secret.
        let body_chars = text[body_start..body_end]
            .bytes()
            .filter(u8::is_ascii_alphanumeric)
            .count();
        if label.contains("PRIVATE KEY") && body_chars >= 100 {
            ranges.push((body_start, body_end));
        }
        from = body_end.max(start + 11);
    }
    // Bare base64 runs that decode to a private key.
    for (s, e) in base64_runs(text) {
        if ranges.iter().any(|&(a, b)| s >= a && e <= b) {
            continue;
        }
        // The key may be glued to what precedes it (`appKey=MIIC...`, `-MIIC...`): try each
        // place a DER SEQUENCE can start near the beginning of the run.
        let run = &text[s..e];
        let starts = std::iter::once(0).chain(
            run.match_indices("MI")
                .map(|(i, _)| i)
                .take_while(|&i| i < 64),
        );
        for off in starts {
            if looks_like_private_der(&run[off..]) {
                ranges.push((s + off, e));
                break;
            }
        }
    }
    if ranges.is_empty() {
        return None;
    }
    let mut bytes = text.as_bytes().to_vec();
    for (s, e) in ranges {
        let mut escaped = false;
        for b in &mut bytes[s..e] {
            // Keep escape sequences (`\n` in JSON or TOML strings) intact.
            if escaped {
                escaped = false;
                continue;
            }
            if *b == b'\\' {
                escaped = true;
            } else if b.is_ascii_alphanumeric() || matches!(*b, b'+' | b'/' | b'=') {
                *b = b'*';
            }
        }
    }
    // Only ASCII bytes were replaced by ASCII, so this cannot fail; fall back to a full mask.
    Some(String::from_utf8(bytes).unwrap_or_else(|_| "*".repeat(text.len())))
}

/// The length of the base64 (with line breaks, literal `\n` and spaces) at the start of `t`.
fn base64_prefix(t: &str) -> usize {
    let b = t.as_bytes();
    let mut i = 0;
    let mut last = 0;
    while i < b.len() {
        if b[i].is_ascii_alphanumeric() || matches!(b[i], b'+' | b'/' | b'=') {
            i += 1;
            last = i;
        } else if matches!(b[i], b'\n' | b'\r') {
            i += 1;
        } else if b[i] == b'\\' && b.get(i + 1) == Some(&b'n') {
            i += 2;
        } else {
            break;
        }
    }
    last
}

/// Runs of base64 characters (line breaks, literal `\n` and spaces allowed inside) of at least
/// 200 characters.
fn base64_runs(text: &str) -> Vec<(usize, usize)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if !is_b64(b[i]) {
            i += 1;
            continue;
        }
        let start = i;
        let mut last = i;
        while i < b.len() {
            if is_b64(b[i]) {
                last = i;
                i += 1;
            } else if matches!(b[i], b'\n' | b'\r' | b' ')
                || (b[i] == b'\\' && b.get(i + 1) == Some(&b'n'))
            {
                i += if b[i] == b'\\' { 2 } else { 1 };
            } else {
                break;
            }
        }
        if last + 1 - start >= 200 {
            out.push((start, last + 1));
        }
        i = last + 1;
    }
    out
}

const fn is_b64(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'+' | b'/' | b'=' | b'-' | b'_')
}

fn looks_like_private_der(run: &str) -> bool {
    // A form-decoded key has spaces where its `+` were.
    der_of(run, false) || (run.trim().contains(' ') && der_of(run, true))
}

fn der_of(run: &str, spaces_are_plus: bool) -> bool {
    let run = if spaces_are_plus {
        run.trim().replace(' ', "+")
    } else {
        run.to_owned()
    };
    let clean: String = run
        .replace("\\n", "")
        .chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '-' => '+',
            '_' => '/',
            c => c,
        })
        .collect();
    let clean = clean.trim_end_matches('=');
    let Ok(der) = base64::engine::general_purpose::STANDARD_NO_PAD.decode(clean) else {
        return false;
    };
    // SEQUENCE { INTEGER 0, ... }: PKCS#1 RSAPrivateKey and PKCS#8 PrivateKeyInfo both start
    // with version 0; public keys (SPKI, PKCS#1 public) never do.
    if der.first() != Some(&0x30) {
        return false;
    }
    let hdr = match der.get(1) {
        Some(&l) if l < 0x80 => 2,
        Some(&l) => 2 + usize::from(l & 0x7f),
        None => return false,
    };
    der.get(hdr..hdr + 3) == Some(&[0x02, 0x01, 0x00])
}

#[cfg(test)]
mod tests {
    use super::*;

    const PKCS1: &str = include_str!("../../../fixtures/keys/test-1024.pkcs1.pem");
    const PUB: &str = include_str!("../../../fixtures/keys/test-1024.pub.pem");

    #[test]
    fn masks_pem_private_keys_and_keeps_lengths() {
        let text = format!("key = \"\"\"\n{PKCS1}\"\"\"\n");
        let r = redact(&text).unwrap();
        assert_eq!(r.len(), text.len());
        assert!(r.contains("-----BEGIN RSA PRIVATE KEY-----"));
        let body: String = PKCS1.lines().nth(1).unwrap().chars().take(16).collect();
        assert!(!r.contains(&body));
    }

    #[test]
    fn masks_bare_single_line_private_keys() {
        let bare: String = PKCS1.lines().filter(|l| !l.starts_with("-----")).collect();
        let text = format!("private_key = \"{bare}\"");
        let r = redact(&text).unwrap();
        assert!(!r.contains(&bare[20..36]));
        let escaped = format!("\"{}\"", bare.replace('A', "A\\n"));
        assert!(redact(&escaped).is_some());
    }

    #[test]
    fn masks_keys_glued_to_a_field_name() {
        let bare: String = PKCS1.lines().filter(|l| !l.starts_with("-----")).collect();
        let text = format!("appKey={bare}&dealId=1");
        let r = redact(&text).unwrap();
        assert!(
            r.starts_with("appKey=****") && r.ends_with("&dealId=1"),
            "{r}"
        );
    }

    #[test]
    fn a_pem_header_without_end_masks_only_its_body_and_keeps_escapes() {
        let body = "MIICdgIBADANBgkqhkiG9w0BAQEFAASC".repeat(5);
        let text =
            format!("{{\"doc\": \"-----BEGIN PRIVATE KEY-----\\n{body}\\n\", \"next\": \"kept\"}}");
        let r = redact(&text).unwrap();
        assert!(
            r.contains("\\n****") && r.ends_with("\"next\": \"kept\"}"),
            "{r}"
        );
        assert!(serde_json::from_str::<serde_json::Value>(&r).is_ok(), "{r}");
        // A doc's short example is left alone.
        assert!(
            redact("-----BEGIN PRIVATE KEY-----\nMIICdgIBADANBgkq...\nprivate_key = 1").is_none()
        );
    }

    #[test]
    fn leaves_public_keys_and_signatures_alone() {
        assert!(redact(PUB).is_none());
        let bare: String = PUB.lines().filter(|l| !l.starts_with("-----")).collect();
        assert!(redact(&bare).is_none());
        assert!(redact("rsaSign=TN0ZNPyQeTnPjCN5hUa7JwrXOhR8uDASXPazidVQHFSiGCH5aouBkVvJxtf8PeqzGYWAASwS2oOt2eJfunzC5dTFd/pWJeJToMgCSgRY7KtQUCCDnMrtpqiMAf+dLiXps3HpWhVB4CK6MXfHc64ejP5a2fu5bg8B0BTcHrqaGc0=").is_none());
    }
}
