//! The `[keys]` table: the server language and the three key entries, each resolved to key text
//! from the config itself, an environment variable or a file, through the caller's resolver.

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Deserialize;
use toml::Spanned;

use super::span_of;
use crate::error::ToolError;
use crate::message::Msg;
use crate::msg;
use crate::source::{SourceFile, Span};

/// `[keys]`: each key is a file path (relative to the config), `env:VARIABLE`, or the key text.
#[derive(Debug, Deserialize, Default, schemars::JsonSchema)]
#[serde(deny_unknown_fields)]
pub(super) struct RawKeys {
    /// The language of your server code: decides which key forms it can load.
    #[schemars(with = "Option<ServerLanguage>")]
    pub(super) language: Option<Spanned<ServerLanguage>>,
    /// Your private key (开发者私钥), to sign requests: a path, `env:VARIABLE` or the key.
    #[schemars(with = "Option<String>")]
    pub(super) private_key: Option<Spanned<String>>,
    /// The public key you uploaded (开发者公钥): a path, `env:VARIABLE` or the key.
    #[schemars(with = "Option<String>")]
    pub(super) developer_public_key: Option<Spanned<String>>,
    /// The platform public key from 支付管理 › 服务详情 (平台公钥), to verify callbacks.
    #[schemars(with = "Option<String>")]
    pub(super) platform_public_key: Option<Spanned<String>>,
}

/// The language of the merchant's server code: decides which key forms load.
#[derive(Debug, Deserialize, Clone, Copy, PartialEq, Eq, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum ServerLanguage {
    Java,
    Php,
    Go,
    Node,
    Python,
    Dotnet,
}

impl ServerLanguage {
    pub const ALL: [Self; 6] = [
        Self::Java,
        Self::Php,
        Self::Go,
        Self::Node,
        Self::Python,
        Self::Dotnet,
    ];

    /// The name in the config and on the command line.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Java => "java",
            Self::Php => "php",
            Self::Go => "go",
            Self::Node => "node",
            Self::Python => "python",
            Self::Dotnet => "dotnet",
        }
    }
}

#[derive(Debug, Default)]
pub struct Keys {
    pub language: Option<Spanned<ServerLanguage>>,
    pub private_key: Option<KeyMaterial>,
    pub developer_public_key: Option<KeyMaterial>,
    pub platform_public_key: Option<KeyMaterial>,
}

/// Where a key came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyOrigin {
    /// Written in the config itself.
    Inline,
    Env(String),
    File(PathBuf),
}

/// Key text read from a file, an environment variable or the config. `Debug` never shows it.
pub struct KeyMaterial {
    pub text: String,
    pub origin: KeyOrigin,
    /// The config entry that names it.
    pub span: Span,
    /// The permission bits of the key file, when the caller could read them.
    pub mode: Option<u32>,
}

/// How the caller reaches what a config's `[keys]` entries name: the core reads no file and no
/// environment variable itself. The CLI reads the file system and the environment; the browser
/// page and the npm package answer from what the user gave them.
pub trait KeyResolver {
    /// The value of an environment variable, `None` when it is not set.
    fn env(&self, var: &str) -> Option<String>;
    /// The bytes of a key file and its permission bits (`None` where the platform has none).
    fn file(&self, path: &Path) -> Result<(Vec<u8>, Option<u32>), FileProblem>;
}

/// Why a key file could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileProblem {
    NotFound,
    PermissionDenied,
    /// Larger than any key file can be (its size in bytes).
    TooLarge(u64),
    /// Files cannot be reached here (the browser page, the npm API without a file system).
    Unavailable,
    /// Any other reason, as the system gave it.
    Other(String),
}

impl FileProblem {
    /// Why, for people.
    #[must_use]
    pub fn reason(&self) -> Msg {
        match self {
            Self::NotFound => msg!("no such file", "文件不存在"),
            Self::PermissionDenied => msg!("permission denied", "没有读取权限"),
            Self::TooLarge(n) => msg!(
                "{n} bytes: too large for a key file",
                "{n} 字节：不可能是密钥文件"
            ),
            Self::Unavailable => msg!(
                "files cannot be read here: paste the key itself",
                "此处无法读取文件：请直接粘贴密钥内容"
            ),
            Self::Other(e) => Msg::same(e.clone()),
        }
    }
}

/// Largest key file read: keys are a few KB, an 8192-bit PEM about 6.5 KB.
pub const MAX_KEY_FILE: u64 = 1024 * 1024;

/// A resolver for callers that have no file system and no environment: every reference fails
/// with a clear reason, and inline keys still work.
pub struct NoFiles;

impl KeyResolver for NoFiles {
    fn env(&self, _var: &str) -> Option<String> {
        None
    }
    fn file(&self, _path: &Path) -> Result<(Vec<u8>, Option<u32>), FileProblem> {
        Err(FileProblem::Unavailable)
    }
}

impl fmt::Debug for KeyMaterial {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KeyMaterial")
            .field(
                "text",
                &format_args!("<{} bytes redacted>", self.text.len()),
            )
            .field("origin", &self.origin)
            .field("span", &self.span)
            .field("mode", &self.mode)
            .finish()
    }
}

/// Resolves a `[keys]` entry: `env:VAR`, inline key text, or a path relative to the config.
pub(super) fn load_key(
    source: &Arc<SourceFile>,
    dir: &Path,
    resolver: &dyn KeyResolver,
    entry: Option<&Spanned<String>>,
) -> Result<Option<KeyMaterial>, ToolError> {
    let Some(entry) = entry else { return Ok(None) };
    let span = span_of(entry);
    let value = entry.get_ref().trim();
    let err = |label: Msg, msg: Msg| ToolError::at(source, span, label, msg);
    if value.is_empty() {
        return Err(err(
            msg!("empty", "为空"),
            msg!(
                "invalid config: the key entry is empty",
                "配置无效：密钥配置项为空"
            ),
        )
        .help(msg!(
            "give a path, `env:VARIABLE`, or the key itself; or remove the entry",
            "填写文件路径、`env:变量名` 或密钥本身；或删除该项"
        )));
    }
    if let Some(var) = value.strip_prefix("env:") {
        let var = var.trim();
        return match resolver.env(var) {
            Some(text) if !text.trim().is_empty() => Ok(Some(KeyMaterial {
                text,
                origin: KeyOrigin::Env(var.to_owned()),
                span,
                mode: None,
            })),
            Some(_) => Err(err(
                msg!("empty variable", "变量为空"),
                msg!(
                    "the environment variable {var} is empty",
                    "环境变量 {var} 为空"
                ),
            )),
            None => Err(err(
                msg!("variable not set", "变量未设置"),
                msg!(
                    "the environment variable {var} is not set",
                    "环境变量 {var} 未设置"
                ),
            )
            .help(msg!(
                "export {var} before running, or point the entry at a key file",
                "运行前先 export {var}，或让该项指向密钥文件"
            ))),
        };
    }
    if is_inline_key(value) {
        return Ok(Some(KeyMaterial {
            text: value.to_owned(),
            origin: KeyOrigin::Inline,
            span,
            mode: None,
        }));
    }
    let path = dir.join(value);
    match resolver.file(&path) {
        Ok((bytes, _)) if bytes.len() as u64 > MAX_KEY_FILE => {
            let (p, n) = (path.display(), bytes.len());
            Err(err(
                msg!("not a key", "不是密钥"),
                msg!(
                    "{p} is {n} bytes: too large for a key file",
                    "{p} 有 {n} 字节：不可能是密钥文件"
                ),
            ))
        }
        Ok((bytes, mode)) => Ok(Some(KeyMaterial {
            // Keys are ASCII; anything else is for the key rules to explain, not an error here.
            text: String::from_utf8_lossy(&bytes).into_owned(),
            origin: KeyOrigin::File(path),
            span,
            mode,
        })),
        Err(problem) => {
            let why = problem.reason();
            let p = path.display();
            Err(err(
                msg!("cannot read this key file", "无法读取此密钥文件"),
                Msg::new(
                    format!("cannot read key file {p}: {}", why.en),
                    format!("无法读取密钥文件 {p}：{}", why.zh),
                ),
            )
            .help(msg!(
                "paths are relative to the directory of the config file",
                "路径相对于配置文件所在目录"
            )))
        }
    }
}

/// A value that is the key itself rather than a path: PEM, or a long run of base64.
fn is_inline_key(v: &str) -> bool {
    v.contains("-----BEGIN")
        || (v.len() >= 100
            && v.chars()
                .all(|c| c.is_ascii_alphanumeric() || "+/=\\n\r\n -_".contains(c)))
}
