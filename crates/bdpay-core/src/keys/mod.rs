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
use crate::message::Msg;
use crate::msg;
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
    /// What it is, for people.
    #[must_use]
    pub fn describe(self) -> Msg {
        match self {
            Self::Pkcs1Private => msg!("PKCS#1 RSA private key", "PKCS#1 RSA 私钥"),
            Self::Pkcs8Private => msg!("PKCS#8 private key", "PKCS#8 私钥"),
            Self::EncryptedPkcs8 => msg!("encrypted PKCS#8 private key", "加密的 PKCS#8 私钥"),
            Self::Spki => msg!(
                "SPKI public key (X.509 SubjectPublicKeyInfo)",
                "SPKI 公钥（X.509 SubjectPublicKeyInfo）"
            ),
            Self::Pkcs1Public => msg!("PKCS#1 RSA public key", "PKCS#1 RSA 公钥"),
            Self::Certificate => msg!("X.509 certificate", "X.509 证书"),
        }
    }

    /// A stable name for machine-readable output.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Pkcs1Private => "pkcs1-private",
            Self::Pkcs8Private => "pkcs8-private",
            Self::EncryptedPkcs8 => "encrypted-pkcs8-private",
            Self::Spki => "spki-public",
            Self::Pkcs1Public => "pkcs1-public",
            Self::Certificate => "certificate",
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

impl Armor {
    /// How the key was written, for people.
    #[must_use]
    pub fn describe(&self) -> Msg {
        match self {
            Self::Pem(l) => msg!("PEM (-----BEGIN {l}-----)", "PEM（-----BEGIN {l}-----）"),
            Self::Der => msg!("binary DER", "二进制 DER"),
            Self::Bare => msg!(
                "base64 without PEM header lines",
                "没有 PEM 头尾行的 base64"
            ),
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
    /// What happened to the key, for people.
    #[must_use]
    pub fn describe(self) -> Msg {
        match self {
            Self::Quotes => msg!("the key is wrapped in quotes", "密钥被引号包住了"),
            Self::EscapedNewlines => msg!(
                "line breaks arrived as the two characters \\n",
                "换行变成了 \\n 两个字符"
            ),
            Self::Crlf => msg!(
                "Windows line ends (\\r\\n) in header-less base64",
                "无头 base64 中有 Windows 换行符（\\r\\n）"
            ),
            Self::Spaces => msg!(
                "spaces inside the base64 (line breaks replaced by spaces?)",
                "base64 中有空格（换行被替换成了空格？）"
            ),
            Self::LineLength => msg!(
                "the PEM body is not broken into lines of 64 characters (PHP's and OpenSSL's readers need line breaks)",
                "PEM 正文没有按每行 64 个字符换行（PHP 和 OpenSSL 的读取函数需要换行）"
            ),
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
    pub unusable: Option<Msg>,
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
    pub looks_like: Msg,
    pub stopped: Msg,
    /// A readable key of an algorithm other than RSA.
    pub not_rsa: bool,
}

impl fmt::Display for KeyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}; {}", self.looks_like.en, self.stopped.en)
    }
}

fn key_err(looks_like: Msg, stopped: Msg) -> KeyError {
    KeyError {
        looks_like,
        stopped,
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
        let first = bytes.first().copied().unwrap_or(0);
        return Err(key_err(
            msg!(
                "binary data that is not DER (it does not start with a SEQUENCE)",
                "不是 DER 的二进制数据（不以 SEQUENCE 开头）"
            ),
            msg!(
                "byte 0 is 0x{first:02X}; a DER key starts with 0x30",
                "第 0 个字节是 0x{first:02X}；DER 密钥以 0x30 开头"
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
        return Err(key_err(
            msg!("empty text", "空文本"),
            msg!("there is no key", "没有密钥"),
        ));
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
            msg!("a PEM header", "PEM 头"),
            msg!(
                "the BEGIN line has no closing -----",
                "BEGIN 行缺少结尾的 -----"
            ),
        ));
    };
    let label = after[..label_end].trim().to_owned();
    let body_start = "-----BEGIN ".len() + label_end + 5;
    let rest = &t[body_start..];
    let end_marker = "-----END ";
    let Some(end) = rest.find(end_marker) else {
        return Err(key_err(
            msg!(
                "PEM ({label}) without an END line",
                "没有 END 行的 PEM（{label}）"
            ),
            msg!(
                "the key is truncated: -----END ...----- is missing",
                "密钥被截断了：缺少 -----END ...-----"
            ),
        ));
    };
    let end_label = rest[end + end_marker.len()..]
        .split("-----")
        .next()
        .unwrap_or("")
        .trim();
    if end_label != label {
        return Err(key_err(
            msg!(
                "PEM that begins as {label} and ends as {end_label}",
                "以 {label} 开头却以 {end_label} 结尾的 PEM"
            ),
            msg!(
                "the BEGIN and END labels must match",
                "BEGIN 和 END 的标签必须一致"
            ),
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
            unusable: Some(msg!(
                "the key is encrypted with a passphrase (Proc-Type: 4,ENCRYPTED)",
                "密钥用口令加密了（Proc-Type: 4,ENCRYPTED）"
            )),
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
    let named = |what: Msg, fix: Msg| Some(key_err(what, fix));
    if t.starts_with("ssh-rsa ") || t.contains("BEGIN OPENSSH PRIVATE KEY") {
        return named(
            msg!("an OpenSSH key", "OpenSSH 格式的密钥"),
            msg!(
                "the platform needs an RSA key in PEM or base64 DER; convert with `ssh-keygen -e -m PKCS8`",
                "平台需要 PEM 或 base64 DER 格式的 RSA 密钥；可用 `ssh-keygen -e -m PKCS8` 转换"
            ),
        );
    }
    if t.starts_with("PuTTY-User-Key-File") {
        return named(
            msg!("a PuTTY key file", "PuTTY 密钥文件"),
            msg!(
                "export it as an OpenSSH/PEM key first",
                "请先导出为 OpenSSH/PEM 格式"
            ),
        );
    }
    if t.starts_with('{') {
        return named(
            msg!("JSON, not a key", "JSON，不是密钥"),
            msg!(
                "paste the key's text, not the JSON around it",
                "请粘贴密钥本身，而不是包着它的 JSON"
            ),
        );
    }
    let compact: String = t.chars().filter(|c| !c.is_whitespace()).collect();
    if compact.len() >= 64
        && compact.len().is_multiple_of(2)
        && compact.bytes().all(|b| b.is_ascii_hexdigit())
    {
        return named(
            msg!("a hex string", "十六进制字符串"),
            msg!(
                "keys are base64 (PEM); re-export the key instead of printing its bytes as hex",
                "密钥应是 base64（PEM）；请重新导出密钥，不要把字节打印成十六进制"
            ),
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
            msg!(
                "base64 of a key with a stray character",
                "混入了多余字符的密钥 base64"
            )
        } else {
            msg!("text that is not base64", "不是 base64 的文本")
        };
        let at = base + i + 1;
        return Err(key_err(
            looks,
            msg!(
                "{c:?} at character {at} is not a base64 character",
                "第 {at} 个字符 {c:?} 不是 base64 字符"
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
                msg!("base64 of the wrong length", "长度不对的 base64"),
                msg!(
                    "decoding fails ({e}): the key is truncated or has characters missing",
                    "解码失败（「{e}」）：密钥被截断或缺了字符"
                ),
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
        let (n, first) = (der.len(), der.first().copied().unwrap_or(0));
        let looks = if e.not_rsa {
            msg!("a key of another algorithm", "其他算法的密钥")
        } else if first == der::SEQUENCE {
            msg!(
                "{n} bytes of DER that are not an RSA key",
                "{n} 字节的 DER，但不是 RSA 密钥"
            )
        } else {
            msg!(
                "{n} bytes that are not DER (they start with 0x{first:02X}, a DER key starts with 0x30)",
                "{n} 字节，不是 DER（以 0x{first:02X} 开头，DER 密钥以 0x30 开头）"
            )
        };
        let at = e.at;
        let mut err = key_err(
            looks,
            Msg::new(
                format!("reading stopped at byte {at}: {}", e.why.en),
                format!("读到第 {at} 个字节时停止：{}", e.why.zh),
            ),
        );
        err.not_rsa = e.not_rsa;
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
        Structure::EncryptedPkcs8 => (
            None,
            Some(msg!(
                "the key is encrypted with a passphrase",
                "密钥用口令加密了"
            )),
        ),
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

fn split(r: Result<PrivateKey, String>) -> (Option<PrivateKey>, Option<Msg>) {
    match r {
        Ok(k) => (Some(k), None),
        Err(e) => (
            None,
            Some(msg!(
                "the RSA code rejects it: {e}",
                "RSA 代码拒绝读取：{e}"
            )),
        ),
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
    let outer = top.expect(der::SEQUENCE, ["a SEQUENCE", "SEQUENCE"])?;
    if !top.at_end() {
        return Err(DerError {
            at: top.offset(),
            why: msg!("extra bytes after the key", "密钥后面有多余的字节"),
            not_rsa: false,
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
                    let oid = alg.expect(der::OID, ["the algorithm OID", "算法 OID"])?;
                    if oid.content != der::OID_RSA {
                        return Err(not_rsa(oid.start, oid.content));
                    }
                    let inner = r.expect(
                        der::OCTET_STRING,
                        ["the private key OCTET STRING", "私钥 OCTET STRING"],
                    )?;
                    let (n, e) = pkcs1_private(inner.children())?;
                    Ok((Structure::Pkcs8Private, n, e))
                }
                // RSAPrivateKey: version, n, e, d, p, q, dp, dq, qinv.
                der::INTEGER if der::unsigned(first.content).is_empty() => {
                    let e = r.expect(der::INTEGER, ["the public exponent", "公钥指数"])?;
                    private_components(&mut r)?;
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
                    why: msg!(
                        "unexpected tag 0x{t:02X} after the first INTEGER",
                        "第一个 INTEGER 之后出现了意外的标签 0x{t:02X}"
                    ),
                    not_rsa: false,
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
                                return Err(not_rsa(head.start, head.content));
                            }
                            let bits = second.content.get(1..).unwrap_or(&[]);
                            let mut pk = Reader::new(bits);
                            let seq = pk
                                .expect(der::SEQUENCE, ["the RSA public key", "RSA 公钥"])
                                .map_err(|mut e| {
                                    e.at += second.content_start + 1;
                                    e
                                })?;
                            let mut kr = seq.children();
                            let n = kr.expect(der::INTEGER, ["the modulus", "模数"])?;
                            let e = kr.expect(der::INTEGER, ["the public exponent", "公钥指数"])?;
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
                            why: msg!(
                                "unexpected tag 0x{t:02X} after the algorithm",
                                "算法标识之后出现了意外的标签 0x{t:02X}"
                            ),
                            not_rsa: false,
                        }),
                    }
                }
                der::CONTEXT_0 | der::INTEGER => {
                    let (n, e) = certificate_key(inner).unwrap_or_default();
                    Ok((Structure::Certificate, n, e))
                }
                t => Err(DerError {
                    at: head.start,
                    why: msg!(
                        "unexpected tag 0x{t:02X} at the start of the key",
                        "密钥开头出现了意外的标签 0x{t:02X}"
                    ),
                    not_rsa: false,
                }),
            }
        }
        t => Err(DerError {
            at: first.start,
            why: msg!(
                "expected an INTEGER or SEQUENCE, found tag 0x{t:02X}",
                "此处应为 INTEGER 或 SEQUENCE，实际是标签 0x{t:02X}"
            ),
            not_rsa: false,
        }),
    }
}

fn pkcs1_private(mut outer: Reader<'_>) -> Result<(Vec<u8>, Vec<u8>), DerError> {
    let seq = outer.expect(
        der::SEQUENCE,
        ["the RSAPrivateKey SEQUENCE", "RSAPrivateKey SEQUENCE"],
    )?;
    let mut r = seq.children();
    r.expect(der::INTEGER, ["the version", "版本号"])?;
    let n = r.expect(der::INTEGER, ["the modulus", "模数"])?;
    let e = r.expect(der::INTEGER, ["the public exponent", "公钥指数"])?;
    private_components(&mut r)?;
    Ok((
        der::unsigned(n.content).to_vec(),
        der::unsigned(e.content).to_vec(),
    ))
}

/// A key of another algorithm, named.
fn not_rsa(at: usize, oid: &[u8]) -> DerError {
    let name = der::oid_name(oid);
    DerError {
        at,
        why: msg!(
            "the key is {name}, not RSA: the cashier signs with RSA only",
            "这是 {name} 密钥，不是 RSA：收银台只用 RSA 签名"
        ),
        not_rsa: true,
    }
}

/// The private components of an RSAPrivateKey after n and e: d, p, q, dp, dq, qinv.
fn private_components(r: &mut Reader<'_>) -> Result<(), DerError> {
    for what in ["d", "p", "q", "dp", "dq", "qinv"] {
        let en = format!("the private component {what}");
        let zh = format!("私钥分量 {what}");
        r.expect(der::INTEGER, [&en, &zh])?;
    }
    Ok(())
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
                    let bits = c.expect(der::BIT_STRING, ["", ""]).ok()?;
                    let mut pk = Reader::new(bits.content.get(1..)?);
                    let seq = pk.expect(der::SEQUENCE, ["", ""]).ok()?;
                    let mut kr = seq.children();
                    let n = kr.expect(der::INTEGER, ["", ""]).ok()?;
                    let e = kr.expect(der::INTEGER, ["", ""]).ok()?;
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
    pub fn describe(&self) -> Msg {
        let (what, armor) = (self.structure.describe(), self.armor.describe());
        let bits = self.bits;
        if bits > 0 {
            Msg::new(
                format!("{bits}-bit {}, {}", what.en, armor.en),
                format!("{bits} 位 {}，{}", what.zh, armor.zh),
            )
        } else {
            Msg::new(
                format!("{}, {}", what.en, armor.en),
                format!("{}，{}", what.zh, armor.zh),
            )
        }
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
pub fn convert(key: &Key, to: Target) -> Result<Vec<u8>, Msg> {
    convert_inner(key, to).map_err(|e| match e {
        Refused::Msg(m) => m,
        Refused::Encoding(e) => msg!("cannot encode the key: {e}", "无法编码密钥：{e}"),
    })
}

/// Why a conversion failed: the key cannot be converted, or the encoder failed.
enum Refused {
    Msg(Msg),
    Encoding(String),
}

impl From<String> for Refused {
    fn from(e: String) -> Self {
        Self::Encoding(e)
    }
}

fn convert_inner(key: &Key, to: Target) -> Result<Vec<u8>, Refused> {
    let b64 = |d: &[u8]| base64::engine::general_purpose::STANDARD.encode(d);
    if let Some(k) = &key.private {
        if to == Target::Spki {
            return Ok(public_pem(&k.to_public_key())?);
        }
        return Ok(match to {
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
        }?);
    }
    if key.structure.is_private() {
        return Err(Refused::Msg(key.unusable.clone().unwrap_or_else(|| {
            msg!("the private key cannot be read", "无法读取私钥")
        })));
    }
    let Some(p) = key.public_key() else {
        return Err(Refused::Msg(msg!(
            "the key has no readable RSA public key",
            "密钥中没有可读取的 RSA 公钥"
        )));
    };
    Ok(match to {
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
    }?)
}

fn public_pem(p: &PublicKey) -> Result<Vec<u8>, String> {
    p.to_public_key_pem(LineEnding::LF)
        .map(String::into_bytes)
        .map_err(|e| e.to_string())
}

/// What a language's official code loads, for a private or public key: the form, and whether
/// `key` is in it.
#[must_use]
pub fn language_fit(lang: Language, key: &Key) -> (bool, Msg) {
    let private = key.structure.is_private();
    let pem = matches!(key.armor, Armor::Pem(_));
    let bare = key.armor == Armor::Bare;
    match (lang, private) {
        (Language::Java, true) => (
            bare && key.structure == Structure::Pkcs8Private,
            msg!(
                "header-less PKCS#8 base64 on one line (PKCS8EncodedKeySpec)",
                "一行无头的 PKCS#8 base64（PKCS8EncodedKeySpec）"
            ),
        ),
        (Language::Java, false) => (
            bare && key.structure == Structure::Spki,
            msg!(
                "header-less SPKI base64 on one line (X509EncodedKeySpec)",
                "一行无头的 SPKI base64（X509EncodedKeySpec）"
            ),
        ),
        (Language::Go, true) => (
            pem && key.structure == Structure::Pkcs1Private,
            msg!(
                "PKCS#1 PEM, BEGIN RSA PRIVATE KEY (the demo's x509.ParsePKCS1PrivateKey)",
                "PKCS#1 PEM，BEGIN RSA PRIVATE KEY（官方示例用 x509.ParsePKCS1PrivateKey）"
            ),
        ),
        (Language::Go, false) => (
            pem && key.structure == Structure::Spki,
            msg!(
                "SPKI PEM, BEGIN PUBLIC KEY (x509.ParsePKIXPublicKey)",
                "SPKI PEM，BEGIN PUBLIC KEY（x509.ParsePKIXPublicKey）"
            ),
        ),
        (_, true) => (
            pem && matches!(
                key.structure,
                Structure::Pkcs1Private | Structure::Pkcs8Private
            ),
            msg!(
                "PEM with its header lines (BEGIN RSA PRIVATE KEY or BEGIN PRIVATE KEY)",
                "带头尾行的 PEM（BEGIN RSA PRIVATE KEY 或 BEGIN PRIVATE KEY）"
            ),
        ),
        (_, false) => (
            pem && key.structure == Structure::Spki,
            msg!(
                "PEM with its header lines, BEGIN PUBLIC KEY",
                "带头尾行的 PEM，BEGIN PUBLIC KEY"
            ),
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
