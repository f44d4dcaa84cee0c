//! Writing keys in other forms (`keys convert`), what each server language's official code
//! loads, and new key pairs for testing.

use base64::Engine as _;
use rsa::pkcs1::{EncodeRsaPrivateKey as _, EncodeRsaPublicKey as _};
use rsa::pkcs8::{EncodePrivateKey as _, EncodePublicKey as _, LineEnding};
use rsa::{PrivateKey, PublicKey};

use super::{Armor, Key, Structure};
use crate::config::ServerLanguage;
use crate::message::Msg;
use crate::msg;

/// KeyForm forms of `keys convert`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyForm {
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
pub fn convert(key: &Key, to: KeyForm) -> Result<Vec<u8>, Msg> {
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

fn convert_inner(key: &Key, to: KeyForm) -> Result<Vec<u8>, Refused> {
    let b64 = |d: &[u8]| base64::engine::general_purpose::STANDARD.encode(d);
    if let Some(k) = &key.private {
        if to == KeyForm::Spki {
            return Ok(public_pem(&k.to_public_key())?);
        }
        return Ok(match to {
            KeyForm::Pkcs1 => k
                .to_pkcs1_pem(LineEnding::LF)
                .map(|s| s.as_bytes().to_vec())
                .map_err(|e| e.to_string()),
            KeyForm::Pkcs8 => k
                .to_pkcs8_pem(LineEnding::LF)
                .map(|s| s.as_bytes().to_vec())
                .map_err(|e| e.to_string()),
            KeyForm::Der => k
                .to_pkcs8_der()
                .map(|d| d.as_bytes().to_vec())
                .map_err(|e| e.to_string()),
            KeyForm::Bare | KeyForm::Java | KeyForm::Spki => k
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
        KeyForm::Pkcs1 => p
            .to_pkcs1_pem(LineEnding::LF)
            .map(String::into_bytes)
            .map_err(|e| e.to_string()),
        KeyForm::Pkcs8 | KeyForm::Spki => public_pem(&p),
        KeyForm::Der => p
            .to_public_key_der()
            .map(|d| d.as_bytes().to_vec())
            .map_err(|e| e.to_string()),
        KeyForm::Bare | KeyForm::Java => p
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
pub fn language_fit(lang: ServerLanguage, key: &Key) -> (bool, Msg) {
    let private = key.structure.is_private();
    let pem = matches!(key.armor, Armor::Pem(_));
    let bare = key.armor == Armor::Bare;
    match (lang, private) {
        (ServerLanguage::Java, true) => (
            bare && key.structure == Structure::Pkcs8Private,
            msg!(
                "header-less PKCS#8 base64 on one line (PKCS8EncodedKeySpec)",
                "一行无头的 PKCS#8 base64（PKCS8EncodedKeySpec）"
            ),
        ),
        (ServerLanguage::Java, false) => (
            bare && key.structure == Structure::Spki,
            msg!(
                "header-less SPKI base64 on one line (X509EncodedKeySpec)",
                "一行无头的 SPKI base64（X509EncodedKeySpec）"
            ),
        ),
        (ServerLanguage::Go, true) => (
            pem && key.structure == Structure::Pkcs1Private,
            msg!(
                "PKCS#1 PEM, BEGIN RSA PRIVATE KEY (the demo's x509.ParsePKCS1PrivateKey)",
                "PKCS#1 PEM，BEGIN RSA PRIVATE KEY（官方示例用 x509.ParsePKCS1PrivateKey）"
            ),
        ),
        (ServerLanguage::Go, false) => (
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
pub const fn target_for(lang: ServerLanguage, private: bool) -> KeyForm {
    match (lang, private) {
        (ServerLanguage::Java, _) => KeyForm::Java,
        (ServerLanguage::Go, true) => KeyForm::Pkcs1,
        (_, true) => KeyForm::Pkcs8,
        (_, false) => KeyForm::Spki,
    }
}

/// A new key pair for testing, from the caller's random source (the OS's in the CLI).
pub fn generate<R: rsa::rand_core::TryCryptoRng + ?Sized>(
    rng: &mut R,
    bits: usize,
) -> Result<PrivateKey, String> {
    PrivateKey::new(rng, bits).map_err(|e| e.to_string())
}
