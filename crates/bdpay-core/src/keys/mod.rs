//! Keys: every form merchants paste (PKCS#1 and PKCS#8 PEM, SPKI and PKCS#1 public PEM, DER,
//! header-less base64, keys damaged by env vars and JSON), identified by parsing the DER rather
//! than trusting prefixes, with what each server language's official code can load.

pub mod der;
pub mod ring;

use std::fmt;

use base64::Engine as _;
use rsa::pkcs1::{DecodeRsaPrivateKey as _, EncodeRsaPrivateKey as _, EncodeRsaPublicKey as _};
use rsa::pkcs8::{DecodePrivateKey as _, EncodePrivateKey as _, EncodePublicKey as _, LineEnding};
use rsa::traits::PublicKeyParts as _;
use rsa::{BoxedUint, PrivateKey, PublicKey};

use crate::config::Language;
use der::{DerError, Reader};

/// What the DER holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Structure {
    /// `RSAPrivateKey` (PKCS#1), `BEGIN RSA PRIVATE KEY`.
    Pkcs1Private,
    /// `PrivateKeyInfo` (PKCS#8), `BEGIN PRIVATE KEY`.
    Pkcs8Private,
    /// `EncryptedPrivateKeyInfo`, `BEGIN ENCRYPTED PRIVATE KEY`.
    EncryptedPkcs8,
    /// `SubjectPublicKeyInfo`, `BEGIN PUBLIC KEY`.
    Spki,
    /// `RSAPublicKey` (PKCS#1), `BEGIN RSA PUBLIC KEY`.
    Pkcs1Public,
    /// An X.509 certificate.
    Certificate,
}

impl Structure {
    #[must_use]
    pub const fn describe(self) -> &'static str {
        match self {
            Self::Pkcs1Private => "PKCS#1 RSA private key",
            Self::Pkcs8Private => "PKCS#8 private key",
            Self::EncryptedPkcs8 => "encrypted PKCS#8 private key",
            Self::Spki => "SPKI public key (X.509 SubjectPublicKeyInfo)",
            Self::Pkcs1Public => "PKCS#1 RSA public key",
            Self::Certificate => "X.509 certificate",
        }
    }

    /// The PEM label that belongs to this structure.
    #[must_use]
    pub const fn pem_label(self) -> &'static str {
        match self {
            Self::Pkcs1Private => "RSA PRIVATE KEY",
            Self::Pkcs8Private => "PRIVATE KEY",
            Self::EncryptedPkcs8 => "ENCRYPTED PRIVATE KEY",
            Self::Spki => "PUBLIC KEY",
            Self::Pkcs1Public => "RSA PUBLIC KEY",
            Self::Certificate => "CERTIFICATE",
        }
    }

    #[must_use]
    pub const fn is_private(self) -> bool {
        matches!(
            self,
            Self::Pkcs1Private | Self::Pkcs8Private | Self::EncryptedPkcs8
        )
    }
}

/// How the DER was wrapped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Armor {
    /// PEM with this label.
    Pem(String),
    /// Raw DER bytes.
    Der,
    /// Base64 without PEM header lines (the console's and Java's form).
    Bare,
}

impl fmt::Display for Armor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Pem(l) => write!(f, "PEM (-----BEGIN {l}-----)"),
            Self::Der => f.write_str("binary DER"),
            Self::Bare => f.write_str("base64 without PEM header lines"),
        }
    }
}

/// Transport damage that had to be cleaned up before the key could be read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Damage {
    /// The key is wrapped in quotes.
    Quotes,
    /// Line breaks arrived as the two characters `\n`.
    EscapedNewlines,
    /// Windows line ends in header-less base64.
    Crlf,
    /// Spaces or tabs inside the base64.
    Spaces,
    /// PEM body lines longer than 76 characters, or header, body and footer on one line.
    LineLength,
}

impl Damage {
    #[must_use]
    pub const fn describe(self) -> &'static str {
        match self {
            Self::Quotes => "the key is wrapped in quotes",
            Self::EscapedNewlines => "line breaks arrived as the two characters \\n",
            Self::Crlf => "Windows line ends (\\r\\n) in header-less base64",
            Self::Spaces => "spaces inside the base64 (line breaks replaced by spaces?)",
            Self::LineLength => {
                "the PEM body is not broken into lines of 64 characters (PHP's and OpenSSL's readers need line breaks)"
            }
        }
    }
}

/// A key as read, with everything learnt about its form.
pub struct Key {
    pub structure: Structure,
    pub armor: Armor,
    /// Transport damage found (the key was read after cleaning it).
    pub damage: Vec<Damage>,
    /// The PEM label disagrees with the DER inside (`BEGIN PRIVATE KEY` around PKCS#1...).
    pub label_mismatch: bool,
    /// Modulus size; 0 for encrypted keys.
    pub bits: usize,
    /// The public half, for keys whose modulus could be read.
    pub public: Option<PublicKey>,
    /// The private key, for unencrypted private keys the RSA code accepts.
    pub private: Option<PrivateKey>,
    /// Why `private` or `public` is missing although the structure has it.
    pub unusable: Option<String>,
    /// The DER bytes.
    pub der: Vec<u8>,
}

impl fmt::Debug for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Key")
            .field("structure", &self.structure)
            .field("armor", &self.armor)
            .field("damage", &self.damage)
            .field("label_mismatch", &self.label_mismatch)
            .field("bits", &self.bits)
            .finish_non_exhaustive()
    }
}

/// Why a key could not be read: what the bytes look like and where reading stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyError {
    pub looks_like: String,
    pub stopped: String,
    /// A readable key of an algorithm other than RSA.
    pub not_rsa: bool,
}

impl fmt::Display for KeyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}; {}", self.looks_like, self.stopped)
    }
}

fn key_err(looks_like: impl Into<String>, stopped: impl Into<String>) -> KeyError {
    KeyError {
        looks_like: looks_like.into(),
        stopped: stopped.into(),
        not_rsa: false,
    }
}

/// Reads a key in any form.
pub fn read(bytes: &[u8]) -> Result<Key, KeyError> {
    if bytes.first() == Some(&der::SEQUENCE)
        && bytes
            .iter()
            .any(|&b| b >= 0x80 || (b < 0x20 && !b"\r\n\t".contains(&b)))
    {
        return from_der(bytes.to_vec(), Armor::Der, Vec::new(), None);
    }
    let Ok(text) = std::str::from_utf8(bytes) else {
        return Err(key_err(
            "binary data that is not DER (it does not start with a SEQUENCE)",
            format!(
                "byte 0 is 0x{:02X}; a DER key starts with 0x30",
                bytes.first().copied().unwrap_or(0)
            ),
        ));
    };
    read_text(text)
}

/// Reads a key given as text.
pub fn read_text(text: &str) -> Result<Key, KeyError> {
    let mut damage = Vec::new();
    let mut t = text.trim().to_owned();
    if t.is_empty() {
        return Err(key_err("empty text", "there is no key"));
    }
    for q in ['"', '\''] {
        if t.len() >= 2 && t.starts_with(q) && t.trim_end_matches([',', ';']).ends_with(q) {
            t = t.trim_end_matches([',', ';'])[1..].to_owned();
            t.pop();
            damage.push(Damage::Quotes);
            break;
        }
    }
    if t.contains("\\n") || t.contains("\\r") {
        t = t
            .replace("\\r\\n", "\n")
            .replace("\\n", "\n")
            .replace("\\r", "");
        damage.push(Damage::EscapedNewlines);
    }
    if let Some(other) = foreign_format(&t) {
        return Err(other);
    }
    if let Some(begin) = t.find("-----BEGIN ") {
        read_pem(&t[begin..], damage)
    } else {
        if t.contains('\r') {
            damage.push(Damage::Crlf);
        }
        let body: String = t.chars().filter(|c| !c.is_whitespace()).collect();
        if t.trim().contains([' ', '\t']) {
            damage.push(Damage::Spaces);
        }
        let der = decode_b64(&body, 0)?;
        from_der(der, Armor::Bare, damage, None)
    }
}

fn read_pem(t: &str, mut damage: Vec<Damage>) -> Result<Key, KeyError> {
    let after = &t["-----BEGIN ".len()..];
    let Some(label_end) = after.find("-----") else {
        return Err(key_err(
            "a PEM header",
            "the BEGIN line has no closing -----",
        ));
    };
    let label = after[..label_end].trim().to_owned();
    let body_start = "-----BEGIN ".len() + label_end + 5;
    let rest = &t[body_start..];
    let end_marker = "-----END ";
    let Some(end) = rest.find(end_marker) else {
        return Err(key_err(
            format!("PEM ({label}) without an END line"),
            "the key is truncated: -----END ...----- is missing",
        ));
    };
    let end_label = rest[end + end_marker.len()..]
        .split("-----")
        .next()
        .unwrap_or("")
        .trim();
    if end_label != label {
        return Err(key_err(
            format!("PEM that begins as {label} and ends as {end_label}"),
            "the BEGIN and END labels must match",
        ));
    }
    let body = &rest[..end];
    if body.contains("Proc-Type: 4,ENCRYPTED") {
        return Ok(Key {
            structure: Structure::EncryptedPkcs8,
            armor: Armor::Pem(label),
            damage,
            label_mismatch: false,
            bits: 0,
            public: None,
            private: None,
            unusable: Some(
                "the key is encrypted with a passphrase (Proc-Type: 4,ENCRYPTED)".into(),
            ),
            der: Vec::new(),
        });
    }
    let lines: Vec<&str> = body
        .lines()
        .map(|l| l.trim_end_matches('\r'))
        .filter(|l| !l.trim().is_empty())
        .collect();
    let on_one_line = !t[..body_start + end].contains('\n');
    if on_one_line || lines.iter().any(|l| l.trim().len() > 76) {
        damage.push(Damage::LineLength);
    }
    if lines
        .iter()
        .any(|l| l.trim().contains([' ', '\t']) || l.starts_with([' ', '\t']))
    {
        damage.push(Damage::Spaces);
    }
    let b64: String = body.chars().filter(|c| !c.is_whitespace()).collect();
    let der = decode_b64(&b64, body_start)?;
    from_der(der, Armor::Pem(label.clone()), damage, Some(&label))
}

/// Formats that are not RSA keys in PEM/DER/base64, named so the user knows what they have.
fn foreign_format(t: &str) -> Option<KeyError> {
    let named = |what: &str, fix: &str| Some(key_err(what, fix));
    if t.starts_with("ssh-rsa ") || t.contains("BEGIN OPENSSH PRIVATE KEY") {
        return named(
            "an OpenSSH key",
            "the platform needs an RSA key in PEM or base64 DER; convert with `ssh-keygen -e -m PKCS8`",
        );
    }
    if t.starts_with("PuTTY-User-Key-File") {
        return named("a PuTTY key file", "export it as an OpenSSH/PEM key first");
    }
    if t.starts_with('{') {
        return named(
            "JSON, not a key",
            "paste the key's text, not the JSON around it",
        );
    }
    let compact: String = t.chars().filter(|c| !c.is_whitespace()).collect();
    if compact.len() >= 64
        && compact.len().is_multiple_of(2)
        && compact.bytes().all(|b| b.is_ascii_hexdigit())
    {
        return named(
            "a hex string",
            "keys are base64 (PEM); re-export the key instead of printing its bytes as hex",
        );
    }
    None
}

fn decode_b64(body: &str, base: usize) -> Result<Vec<u8>, KeyError> {
    if let Some((i, c)) = body
        .char_indices()
        .find(|&(_, c)| !(c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '=' | '-' | '_')))
    {
        let looks = if body.starts_with("MII") || body.starts_with("MIG") {
            "base64 of a key with a stray character"
        } else {
            "text that is not base64"
        };
        return Err(key_err(
            looks,
            format!(
                "{c:?} at character {} is not a base64 character",
                base + i + 1
            ),
        ));
    }
    let std: String = body
        .trim_end_matches('=')
        .chars()
        .map(|c| match c {
            '-' => '+',
            '_' => '/',
            c => c,
        })
        .collect();
    base64::engine::general_purpose::STANDARD_NO_PAD
        .decode(&std)
        .map_err(|e| {
            key_err(
                "base64 of the wrong length",
                format!("decoding fails ({e}): the key is truncated or has characters missing"),
            )
        })
}

/// Identifies the DER and builds RSA keys from it.
fn from_der(
    der: Vec<u8>,
    armor: Armor,
    damage: Vec<Damage>,
    label: Option<&str>,
) -> Result<Key, KeyError> {
    let (structure, n, e) = identify(&der).map_err(|e| {
        let looks = if der.first() == Some(&der::SEQUENCE) {
            format!("{} bytes of DER that are not an RSA key", der.len())
        } else {
            format!(
                "{} bytes that are not DER (they start with 0x{:02X}, a DER key starts with 0x30)",
                der.len(),
                der.first().copied().unwrap_or(0)
            )
        };
        let mut err = key_err(
            looks,
            format!("reading stopped at byte {}: {}", e.at, e.why),
        );
        err.not_rsa = e.why.contains("not RSA");
        if err.not_rsa {
            err.looks_like = "a key of another algorithm".into();
        }
        err
    })?;
    let label_mismatch = label.is_some_and(|l| {
        l != structure.pem_label()
            && !(structure == Structure::Certificate && l == "X509 CERTIFICATE")
    });
    let bits = der::bit_len(&n);
    let public = (!n.is_empty()).then(|| public_from(&n, &e)).flatten();
    let (private, unusable) = match structure {
        Structure::Pkcs1Private => {
            split(PrivateKey::from_pkcs1_der(&der).map_err(|e| e.to_string()))
        }
        Structure::Pkcs8Private => {
            split(PrivateKey::from_pkcs8_der(&der).map_err(|e| e.to_string()))
        }
        Structure::EncryptedPkcs8 => (None, Some("the key is encrypted with a passphrase".into())),
        _ => (None, None),
    };
    Ok(Key {
        structure,
        armor,
        damage,
        label_mismatch,
        bits,
        public,
        private,
        unusable,
        der,
    })
}

fn split(r: Result<PrivateKey, String>) -> (Option<PrivateKey>, Option<String>) {
    match r {
        Ok(k) => (Some(k), None),
        Err(e) => (None, Some(format!("the RSA code rejects it: {e}"))),
    }
}

fn public_from(n: &[u8], e: &[u8]) -> Option<PublicKey> {
    let bits = (n.len() * 8) as u32;
    let n = BoxedUint::from_be_slice(n, bits).ok()?;
    let e = BoxedUint::from_be_slice(e, 64.max((e.len() * 8) as u32).next_multiple_of(64)).ok()?;
    PublicKey::new_with_size_limits(n, e, 256..=16384).ok()
}

/// The structure of a DER blob, with the RSA modulus and exponent when present.
fn identify(d: &[u8]) -> Result<(Structure, Vec<u8>, Vec<u8>), DerError> {
    let mut top = Reader::new(d);
    let outer = top.expect(der::SEQUENCE, "a SEQUENCE")?;
    if !top.at_end() {
        return Err(DerError {
            at: top.offset(),
            why: "extra bytes after the key".into(),
        });
    }
    let mut r = outer.children();
    let first = r.next_tlv()?;
    match first.tag {
        der::INTEGER => {
            let second = r.next_tlv()?;
            match second.tag {
                // PrivateKeyInfo: version 0, AlgorithmIdentifier, OCTET STRING.
                der::SEQUENCE => {
                    let mut alg = second.children();
                    let oid = alg.expect(der::OID, "the algorithm OID")?;
                    if oid.content != der::OID_RSA {
                        return Err(DerError {
                            at: oid.start,
                            why: format!(
                                "the key is {}, not RSA: the cashier signs with RSA only",
                                der::oid_name(oid.content)
                            ),
                        });
                    }
                    let inner = r.expect(der::OCTET_STRING, "the private key OCTET STRING")?;
                    let (n, e) = pkcs1_private(inner.children())?;
                    Ok((Structure::Pkcs8Private, n, e))
                }
                // RSAPrivateKey: version, n, e, d, p, q, dp, dq, qinv.
                der::INTEGER if der::unsigned(first.content).is_empty() => {
                    let e = r.expect(der::INTEGER, "the public exponent")?;
                    for what in ["d", "p", "q", "dp", "dq", "qinv"] {
                        r.expect(der::INTEGER, &format!("the private component {what}"))?;
                    }
                    Ok((
                        Structure::Pkcs1Private,
                        der::unsigned(second.content).to_vec(),
                        der::unsigned(e.content).to_vec(),
                    ))
                }
                // RSAPublicKey: n, e.
                der::INTEGER => Ok((
                    Structure::Pkcs1Public,
                    der::unsigned(first.content).to_vec(),
                    der::unsigned(second.content).to_vec(),
                )),
                t => Err(DerError {
                    at: second.start,
                    why: format!("unexpected tag 0x{t:02X} after the first INTEGER"),
                }),
            }
        }
        der::SEQUENCE => {
            let mut inner = first.children();
            let head = inner.next_tlv()?;
            match head.tag {
                der::OID => {
                    let second = r.next_tlv()?;
                    match second.tag {
                        der::BIT_STRING => {
                            if head.content != der::OID_RSA {
                                return Err(DerError {
                                    at: head.start,
                                    why: format!(
                                        "the key is {}, not RSA: the cashier signs with RSA only",
                                        der::oid_name(head.content)
                                    ),
                                });
                            }
                            let bits = second.content.get(1..).unwrap_or(&[]);
                            let mut pk = Reader::new(bits);
                            let seq = pk.expect(der::SEQUENCE, "the RSA public key").map_err(
                                |mut e| {
                                    e.at += second.content_start + 1;
                                    e
                                },
                            )?;
                            let mut kr = seq.children();
                            let n = kr.expect(der::INTEGER, "the modulus")?;
                            let e = kr.expect(der::INTEGER, "the public exponent")?;
                            Ok((
                                Structure::Spki,
                                der::unsigned(n.content).to_vec(),
                                der::unsigned(e.content).to_vec(),
                            ))
                        }
                        der::OCTET_STRING => {
                            Ok((Structure::EncryptedPkcs8, Vec::new(), Vec::new()))
                        }
                        t => Err(DerError {
                            at: second.start,
                            why: format!("unexpected tag 0x{t:02X} after the algorithm"),
                        }),
                    }
                }
                der::CONTEXT_0 | der::INTEGER => {
                    let (n, e) = certificate_key(inner).unwrap_or_default();
                    Ok((Structure::Certificate, n, e))
                }
                t => Err(DerError {
                    at: head.start,
                    why: format!("unexpected tag 0x{t:02X} at the start of the key"),
                }),
            }
        }
        t => Err(DerError {
            at: first.start,
            why: format!("expected an INTEGER or SEQUENCE, found tag 0x{t:02X}"),
        }),
    }
}

fn pkcs1_private(mut outer: Reader<'_>) -> Result<(Vec<u8>, Vec<u8>), DerError> {
    let seq = outer.expect(der::SEQUENCE, "the RSAPrivateKey SEQUENCE")?;
    let mut r = seq.children();
    r.expect(der::INTEGER, "the version")?;
    let n = r.expect(der::INTEGER, "the modulus")?;
    let e = r.expect(der::INTEGER, "the public exponent")?;
    for what in ["d", "p", "q", "dp", "dq", "qinv"] {
        r.expect(der::INTEGER, &format!("the private component {what}"))?;
    }
    Ok((
        der::unsigned(n.content).to_vec(),
        der::unsigned(e.content).to_vec(),
    ))
}

/// The RSA key inside a certificate's tbsCertificate, when it is one.
fn certificate_key(mut tbs: Reader<'_>) -> Option<(Vec<u8>, Vec<u8>)> {
    // serial, signature alg, issuer, validity, subject, subjectPublicKeyInfo
    for _ in 0..6 {
        let t = tbs.next_tlv().ok()?;
        if t.tag == der::SEQUENCE {
            let mut c = t.children();
            if let Ok(alg) = c.next_tlv()
                && alg.tag == der::SEQUENCE
            {
                let mut a = alg.children();
                if a.next_tlv().ok().is_some_and(|o| o.content == der::OID_RSA) {
                    let bits = c.expect(der::BIT_STRING, "").ok()?;
                    let mut pk = Reader::new(bits.content.get(1..)?);
                    let seq = pk.expect(der::SEQUENCE, "").ok()?;
                    let mut kr = seq.children();
                    let n = kr.expect(der::INTEGER, "").ok()?;
                    let e = kr.expect(der::INTEGER, "").ok()?;
                    return Some((
                        der::unsigned(n.content).to_vec(),
                        der::unsigned(e.content).to_vec(),
                    ));
                }
            }
        }
    }
    None
}

impl Key {
    /// The public key: the key itself, or derived from the private key.
    #[must_use]
    pub fn public_key(&self) -> Option<PublicKey> {
        self.public
            .clone()
            .or_else(|| self.private.as_ref().map(PrivateKey::to_public_key))
    }

    /// SHA-256 fingerprint of the public key's SPKI DER, `SHA256:` and unpadded base64 as
    /// ssh-keygen prints.
    #[must_use]
    pub fn fingerprint(&self) -> Option<String> {
        use rsa::sha2::{Digest as _, Sha256};
        let spki = self.public_key()?.to_public_key_der().ok()?;
        let h = Sha256::digest(spki.as_bytes());
        Some(format!(
            "SHA256:{}",
            base64::engine::general_purpose::STANDARD_NO_PAD.encode(h)
        ))
    }

    /// A one-line description: `1024-bit PKCS#1 RSA private key, PEM (...)`.
    #[must_use]
    pub fn describe(&self) -> String {
        let size = if self.bits > 0 {
            format!("{}-bit ", self.bits)
        } else {
            String::new()
        };
        format!("{size}{}, {}", self.structure.describe(), self.armor)
    }

    /// The public half alone, as an SPKI key.
    #[must_use]
    pub fn public_only(&self) -> Option<Self> {
        let der = self.public_key()?.to_public_key_der().ok()?;
        read(der.as_bytes()).ok()
    }

    /// Whether two keys have the same public half.
    #[must_use]
    pub fn same_public(&self, other: &Self) -> bool {
        match (self.public_key(), other.public_key()) {
            (Some(a), Some(b)) => a.n() == b.n() && a.e() == b.e(),
            _ => false,
        }
    }
}

/// Target forms of `keys convert`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Target {
    /// PKCS#1 PEM (`BEGIN RSA PRIVATE KEY` / `BEGIN RSA PUBLIC KEY`).
    Pkcs1,
    /// PKCS#8 PEM (`BEGIN PRIVATE KEY`); for a public key, SPKI PEM.
    Pkcs8,
    /// SPKI PEM (`BEGIN PUBLIC KEY`), the public half.
    Spki,
    /// Binary DER (PKCS#8 for private keys, SPKI for public keys).
    Der,
    /// One line of base64 DER without header lines (PKCS#8 / SPKI), the console's form.
    Bare,
    /// What Java's `PKCS8EncodedKeySpec` / `X509EncodedKeySpec` load: same as bare.
    Java,
}

/// Converts a key. Returns the bytes to write.
pub fn convert(key: &Key, to: Target) -> Result<Vec<u8>, String> {
    let b64 = |d: &[u8]| base64::engine::general_purpose::STANDARD.encode(d);
    if let Some(k) = &key.private {
        if to == Target::Spki {
            return public_pem(&k.to_public_key());
        }
        return match to {
            Target::Pkcs1 => k
                .to_pkcs1_pem(LineEnding::LF)
                .map(|s| s.as_bytes().to_vec())
                .map_err(|e| e.to_string()),
            Target::Pkcs8 => k
                .to_pkcs8_pem(LineEnding::LF)
                .map(|s| s.as_bytes().to_vec())
                .map_err(|e| e.to_string()),
            Target::Der => k
                .to_pkcs8_der()
                .map(|d| d.as_bytes().to_vec())
                .map_err(|e| e.to_string()),
            Target::Bare | Target::Java | Target::Spki => k
                .to_pkcs8_der()
                .map(|d| format!("{}\n", b64(d.as_bytes())).into_bytes())
                .map_err(|e| e.to_string()),
        };
    }
    if key.structure.is_private() {
        return Err(key
            .unusable
            .clone()
            .unwrap_or_else(|| "the private key cannot be read".into()));
    }
    let Some(p) = key.public_key() else {
        return Err("the key has no readable RSA public key".into());
    };
    match to {
        Target::Pkcs1 => p
            .to_pkcs1_pem(LineEnding::LF)
            .map(String::into_bytes)
            .map_err(|e| e.to_string()),
        Target::Pkcs8 | Target::Spki => public_pem(&p),
        Target::Der => p
            .to_public_key_der()
            .map(|d| d.as_bytes().to_vec())
            .map_err(|e| e.to_string()),
        Target::Bare | Target::Java => p
            .to_public_key_der()
            .map(|d| format!("{}\n", b64(d.as_bytes())).into_bytes())
            .map_err(|e| e.to_string()),
    }
}

fn public_pem(p: &PublicKey) -> Result<Vec<u8>, String> {
    p.to_public_key_pem(LineEnding::LF)
        .map(String::into_bytes)
        .map_err(|e| e.to_string())
}

/// What a language's official code loads, for a private or public key: the form, and whether
/// `key` is in it.
#[must_use]
pub fn language_fit(lang: Language, key: &Key) -> (bool, &'static str) {
    let private = key.structure.is_private();
    let pem = matches!(key.armor, Armor::Pem(_));
    let bare = key.armor == Armor::Bare;
    match (lang, private) {
        (Language::Java, true) => (
            bare && key.structure == Structure::Pkcs8Private,
            "header-less PKCS#8 base64 on one line (PKCS8EncodedKeySpec)",
        ),
        (Language::Java, false) => (
            bare && key.structure == Structure::Spki,
            "header-less SPKI base64 on one line (X509EncodedKeySpec)",
        ),
        (Language::Go, true) => (
            pem && key.structure == Structure::Pkcs1Private,
            "PKCS#1 PEM, BEGIN RSA PRIVATE KEY (the demo's x509.ParsePKCS1PrivateKey)",
        ),
        (Language::Go, false) => (
            pem && key.structure == Structure::Spki,
            "SPKI PEM, BEGIN PUBLIC KEY (x509.ParsePKIXPublicKey)",
        ),
        (_, true) => (
            pem && matches!(
                key.structure,
                Structure::Pkcs1Private | Structure::Pkcs8Private
            ),
            "PEM with its header lines (BEGIN RSA PRIVATE KEY or BEGIN PRIVATE KEY)",
        ),
        (_, false) => (
            pem && key.structure == Structure::Spki,
            "PEM with its header lines, BEGIN PUBLIC KEY",
        ),
    }
}

/// The form `keys convert` should produce for a language.
#[must_use]
pub const fn target_for(lang: Language, private: bool) -> Target {
    match (lang, private) {
        (Language::Java, _) => Target::Java,
        (Language::Go, true) => Target::Pkcs1,
        (_, true) => Target::Pkcs8,
        (_, false) => Target::Spki,
    }
}

/// A new key pair for testing, from the caller's random source (the OS's in the CLI).
pub fn generate<R: rsa::rand_core::TryCryptoRng + ?Sized>(
    rng: &mut R,
    bits: usize,
) -> Result<PrivateKey, String> {
    PrivateKey::new(rng, bits).map_err(|e| e.to_string())
}
