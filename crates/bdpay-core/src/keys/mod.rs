//! Keys: every form merchants paste (PKCS#1 and PKCS#8 PEM, SPKI and PKCS#1 public PEM, DER,
//! header-less base64, keys damaged by env vars and JSON), identified by parsing the DER rather
//! than trusting prefixes, with what each server language's official code can load.
//!
//! This module holds what a key is found to be and the entry points that read one; `read` takes
//! the text and the DER apart, `convert` writes keys in other forms.

mod convert;
pub mod der;
mod read;
pub mod ring;

use std::fmt;

use base64::Engine as _;
use rsa::pkcs8::EncodePublicKey as _;
use rsa::traits::PublicKeyParts as _;
use rsa::{PrivateKey, PublicKey};

use crate::message::Msg;
use crate::msg;
pub use convert::{KeyForm, convert, generate, language_fit, target_for};
use read::{decode_b64, foreign_format, from_der, read_pem};

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
