//! Reading input files and standard input: size limits, encodings and binary data are checked
//! here, once, so every command refuses bad bytes with the same clear message.

use std::path::Path;
use std::sync::Arc;

use bdpay_core::audit::Orders;
use bdpay_core::config::{Config, FileProblem, KeyResolver, MAX_KEY_FILE};
use bdpay_core::error::ToolError;
use bdpay_core::input::{decode, human_size};
use bdpay_core::message::Msg;
use bdpay_core::msg;
use bdpay_core::source::SourceFile;

use crate::host;

/// Default cap on a single payload or config file (`--max-size` changes it).
pub const DEFAULT_MAX_SIZE: u64 = 10 * 1024 * 1024;

/// Reads `path` (`-` for standard input) as UTF-8 text of at most `max` bytes.
pub fn read_text(path: &str, max: u64) -> Result<Arc<SourceFile>, ToolError> {
    let bytes = read_bytes(path, max)?;
    decode(display_name(path), bytes)
}

/// Reads raw bytes (keys may be binary DER) of at most `max` bytes; `-` is standard input.
pub fn read_bytes(path: &str, max: u64) -> Result<Vec<u8>, ToolError> {
    let name = display_name(path);
    let buf = if path == "-" {
        crate::term::prompt_for_paste();
        host::read_stdin(max + 1).map_err(|e| cannot_read(&name, &e))?
    } else {
        let p = Path::new(path);
        let meta = host::metadata(p).map_err(|e| cannot_read(&name, &e))?;
        if meta.is_dir {
            return Err(ToolError::in_file(
                name,
                msg!("is a directory, not a file", "这是目录，不是文件"),
            ));
        }
        host::read(p, max + 1).map_err(|e| cannot_read(&name, &e))?
    };
    if buf.len() as u64 > max {
        let limit = human_size(max);
        return Err(ToolError::in_file(
            name,
            msg!(
                "larger than the {limit} limit for a single input",
                "超过单个输入 {limit} 的上限"
            ),
        )
        .help(msg!(
            "pass --max-size to raise the limit, or use `audit` for large logs",
            "用 --max-size 提高上限；大型日志请用 `audit`"
        )));
    }
    Ok(buf)
}

/// How an input is named in messages: `<stdin>` for `-`.
#[must_use]
pub fn display_name(path: &str) -> String {
    if path == "-" {
        "<stdin>".to_owned()
    } else {
        path.to_owned()
    }
}

/// Why a read failed, in both languages.
#[must_use]
pub fn io_reason(e: &std::io::Error) -> Msg {
    match e.kind() {
        std::io::ErrorKind::NotFound => msg!("no such file", "文件不存在"),
        std::io::ErrorKind::PermissionDenied => msg!("permission denied", "没有读取权限"),
        std::io::ErrorKind::IsADirectory => msg!("is a directory", "这是目录"),
        _ => Msg::same(e.to_string()),
    }
}

/// "cannot read: why" about a file.
#[must_use]
pub fn cannot_read(name: &str, e: &std::io::Error) -> ToolError {
    let why = io_reason(e);
    ToolError::in_file(
        name,
        Msg::new(
            format!("cannot read: {}", why.en),
            format!("无法读取：{}", why.zh),
        ),
    )
}

/// "cannot write: why" about a file.
#[must_use]
pub fn cannot_write(name: &str, e: &std::io::Error) -> ToolError {
    let why = io_reason(e);
    ToolError::in_file(
        name,
        Msg::new(
            format!("cannot write: {}", why.en),
            format!("无法写入：{}", why.zh),
        ),
    )
}

/// Reads and validates a config file; its `[keys]` entries are read from the file system (paths
/// relative to the config's directory) and the environment.
pub fn load_config(path: &str, max: u64) -> Result<Config, ToolError> {
    let source = read_text(path, max)?;
    let dir = Path::new(path)
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default();
    Config::parse(source, dir, &SystemKeys)
}

/// Reads the merchant's orders for `audit --orders`: CSV or NDJSON.
pub fn load_orders(path: &str, max: u64) -> Result<Orders, ToolError> {
    let src = read_text(path, max.max(512 * 1024 * 1024))?;
    Orders::parse(&src.text, path)
}

/// Key references resolved from this machine: environment variables and files.
pub struct SystemKeys;

impl KeyResolver for SystemKeys {
    fn env(&self, var: &str) -> Option<String> {
        host::env(var)
    }

    fn file(&self, path: &Path) -> Result<(Vec<u8>, Option<u32>), FileProblem> {
        let problem = |e: &std::io::Error| match e.kind() {
            std::io::ErrorKind::NotFound => FileProblem::NotFound,
            std::io::ErrorKind::PermissionDenied => FileProblem::PermissionDenied,
            _ => FileProblem::Other(e.to_string()),
        };
        let meta = host::metadata(path).map_err(|e| problem(&e))?;
        if meta.len > MAX_KEY_FILE {
            return Err(FileProblem::TooLarge(meta.len));
        }
        let bytes = host::read(path, MAX_KEY_FILE + 1).map_err(|e| problem(&e))?;
        Ok((bytes, meta.mode))
    }
}
