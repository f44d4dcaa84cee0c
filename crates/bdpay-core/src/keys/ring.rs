//! The keys of one run: read once from the config (and `--key`), shared by the key rules and
//! signature verification.

use std::sync::Arc;

use super::{Key, KeyError, Structure};
use crate::config::{Config, KeyMaterial, KeyOrigin, ServerLanguage};
use crate::message::Msg;
use crate::msg;
use crate::source::{SourceFile, Span};

/// What a key is for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// `[keys] private_key`.
    Private,
    /// `[keys] developer_public_key`.
    DeveloperPublic,
    /// `[keys] platform_public_key`.
    PlatformPublic,
    /// `--key FILE` on the command line: used for whichever side signed the payload.
    Given,
    /// A key written as a string literal in the merchant's code (`scan`); what it is for is not
    /// known, so only the rules about the key itself run on it.
    InCode,
}

impl Role {
    /// What it is, in the platform's terms: 私钥, 开发者公钥, 平台公钥.
    #[must_use]
    pub fn name(self) -> Msg {
        match self {
            Self::Private => msg!("the private key", "私钥"),
            Self::DeveloperPublic => msg!("the developer public key", "开发者公钥"),
            Self::PlatformPublic => msg!("the platform public key", "平台公钥"),
            Self::Given => msg!("the key given with --key", "--key 指定的密钥"),
            Self::InCode => msg!("the key written in code", "代码中写死的密钥"),
        }
    }

    /// The config key naming it.
    #[must_use]
    pub const fn entry(self) -> &'static str {
        match self {
            Self::Private => "private_key",
            Self::DeveloperPublic => "developer_public_key",
            Self::PlatformPublic => "platform_public_key",
            Self::Given => "--key",
            Self::InCode => "code",
        }
    }
}

/// One key as configured and as read.
pub struct Entry {
    pub role: Role,
    pub read: Result<Key, KeyError>,
    /// The public half, ready for fast verification.
    pub fast: Option<crate::fastrsa::PublicKey>,
    pub origin: KeyOrigin,
    /// The config (or, for `--key`, a one-line stand-in) and the entry's span in it.
    pub source: Arc<SourceFile>,
    pub span: Span,
    /// The key file's permission bits, when it is a file (Unix).
    pub mode: Option<u32>,
    /// How messages name it: `private_key (keys/x.pem)`.
    pub label: Msg,
    /// For a key in code: the form the same file's code loads keys of its kind with, and the
    /// call that says so (`PKCS8EncodedKeySpec`, `x509.ParsePKCS1PrivateKey`).
    pub loaded_as: Option<(Structure, String)>,
    /// For a key in code: the file is a test (`*_test.go`, `src/test/`, `*.spec.ts`).
    pub in_test: bool,
}

/// A key written as a string literal in the merchant's code, found by the scanner: its value
/// (escapes undone as the language does), where it is, and how the file loads keys.
pub struct CodeKey {
    pub source: Arc<SourceFile>,
    /// The literal (or the concatenation of literals) in `source`.
    pub span: Span,
    pub value: String,
    /// The file's language.
    pub language: ServerLanguage,
    /// The structure the file's code loads private keys as, and the call that says so.
    pub loads_private: Option<(Structure, String)>,
    /// The same for public keys.
    pub loads_public: Option<(Structure, String)>,
    /// The file is a test (`*_test.go`, `src/test/`, `*.spec.ts`): a test key is meant to be there.
    pub in_test: bool,
}

/// Every key of the run.
#[derive(Default)]
pub struct Ring {
    pub entries: Vec<Entry>,
    pub language: Option<ServerLanguage>,
}

/// `Debug` never shows the key.
impl std::fmt::Debug for CodeKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CodeKey")
            .field("source", &self.source.name)
            .field("span", &self.span)
            .field("value", &format_args!("<{} bytes>", self.value.len()))
            .field("language", &self.language)
            .finish_non_exhaustive()
    }
}

impl Ring {
    /// Reads the keys named in the config.
    #[must_use]
    pub fn from_config(c: &Config) -> Self {
        let mut ring = Self {
            entries: Vec::new(),
            language: c.keys.language.as_ref().map(|l| *l.get_ref()),
        };
        for (role, m) in [
            (Role::Private, &c.keys.private_key),
            (Role::DeveloperPublic, &c.keys.developer_public_key),
            (Role::PlatformPublic, &c.keys.platform_public_key),
        ] {
            if let Some(m) = m {
                ring.entries.push(entry(role, m, &c.source));
            }
        }
        ring
    }

    /// A ring of one key written in code, for the rules about a key itself (`scan`).
    #[must_use]
    pub fn from_code(k: &CodeKey) -> Self {
        let read = super::read(k.value.as_bytes());
        let loaded_as = match &read {
            Ok(key) if key.structure.is_private() => k.loads_private.clone(),
            Ok(_) => k.loads_public.clone(),
            Err(_) => None,
        };
        Self {
            entries: vec![Entry {
                role: Role::InCode,
                fast: fast(&read),
                read,
                origin: KeyOrigin::Inline,
                source: Arc::clone(&k.source),
                span: k.span,
                mode: None,
                label: msg!("the key in this string literal", "这个字符串字面量中的密钥"),
                loaded_as,
                in_test: k.in_test,
            }],
            language: Some(k.language),
        }
    }

    /// Adds the key given with `--key`.
    pub fn add_given(&mut self, name: &str, bytes: &[u8]) {
        let read = super::read(bytes);
        self.entries.push(Entry {
            role: Role::Given,
            fast: fast(&read),
            read,
            origin: KeyOrigin::File(name.into()),
            source: SourceFile::new("<command line>", format!("--key {name}")),
            span: Span::new(6, 6 + name.len()),
            mode: None,
            label: Msg::same(format!("--key ({name})")),
            loaded_as: None,
            in_test: false,
        });
    }

    #[must_use]
    pub fn get(&self, role: Role) -> Option<&Entry> {
        self.entries.iter().find(|e| e.role == role)
    }

    /// The readable key of a role.
    #[must_use]
    pub fn key(&self, role: Role) -> Option<&Key> {
        self.get(role).and_then(|e| e.read.as_ref().ok())
    }

    /// The key that verifies merchant signatures: `--key`, else the developer public key, else
    /// the private key's public half.
    #[must_use]
    pub fn merchant_public(&self) -> Option<(Role, &crate::fastrsa::PublicKey)> {
        self.first_fast(&[Role::Given, Role::DeveloperPublic, Role::Private])
    }

    /// The key that verifies platform callbacks: `--key`, else the platform public key.
    #[must_use]
    pub fn platform_public(&self) -> Option<(Role, &crate::fastrsa::PublicKey)> {
        self.first_fast(&[Role::Given, Role::PlatformPublic])
    }

    fn first_fast(&self, roles: &[Role]) -> Option<(Role, &crate::fastrsa::PublicKey)> {
        roles
            .iter()
            .find_map(|r| self.get(*r).and_then(|e| e.fast.as_ref()).map(|k| (*r, k)))
    }

    /// Every readable public key but `except`'s, named for messages.
    #[must_use]
    pub fn others(&self, except: Role) -> Vec<(&Msg, &crate::fastrsa::PublicKey)> {
        self.entries
            .iter()
            .filter(|e| e.role != except)
            .filter_map(|e| Some((&e.label, e.fast.as_ref()?)))
            .collect()
    }
}

fn fast(read: &Result<Key, KeyError>) -> Option<crate::fastrsa::PublicKey> {
    read.as_ref()
        .ok()
        .and_then(Key::public_key)
        .and_then(|k| crate::fastrsa::PublicKey::from_rsa(&k))
}

fn entry(role: Role, m: &KeyMaterial, source: &Arc<SourceFile>) -> Entry {
    let read = super::read(m.text.as_bytes());
    Entry {
        role,
        fast: fast(&read),
        read,
        origin: m.origin.clone(),
        source: Arc::clone(source),
        span: m.span,
        mode: m.mode,
        label: {
            let (entry, origin) = (role.entry(), origin_name(&m.origin));
            msg!("{entry} ({origin})", "{entry}（{origin}）"; origin = origin)
        },
        loaded_as: None,
        in_test: false,
    }
}

/// Where a key came from, for messages.
#[must_use]
fn origin_name(o: &KeyOrigin) -> Msg {
    match o {
        KeyOrigin::Inline => msg!("inline in the config", "直接写在配置中"),
        KeyOrigin::Env(v) => Msg::same(format!("${v}")),
        KeyOrigin::File(p) => Msg::same(p.display().to_string()),
    }
}
