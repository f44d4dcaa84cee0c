//! Reading a key: the PEM armour and the base64 inside it, formats that are not RSA keys named
//! for what they are, and the DER identified by its structure rather than by its label.

use base64::Engine as _;
use rsa::pkcs1::DecodeRsaPrivateKey as _;
use rsa::pkcs8::DecodePrivateKey as _;
use rsa::{BoxedUint, PrivateKey, PublicKey};

use super::der::{self, DerError, Reader};
use super::{Armor, Damage, Key, KeyError, Structure, key_err};
use crate::message::Msg;
use crate::msg;

pub(super) fn read_pem(t: &str, mut damage: Vec<Damage>) -> Result<Key, KeyError> {
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
pub(super) fn foreign_format(t: &str) -> Option<KeyError> {
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

pub(super) fn decode_b64(body: &str, base: usize) -> Result<Vec<u8>, KeyError> {
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
pub(super) fn from_der(
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
