//! Reading input files and standard input: size limits, encodings and binary data are checked
//! here, once, so every command refuses bad bytes with the same clear message.

use std::io::Read as _;
use std::path::Path;
use std::sync::Arc;

use bdpay_core::audit::Orders;
use bdpay_core::config::{Config, FileProblem, KeyResolver, MAX_KEY_FILE};
use bdpay_core::error::ToolError;
use bdpay_core::input::{decode, human_size};
use bdpay_core::source::SourceFile;

/// Default cap on a single payload or config file (`--max-size` changes it).
pub const DEFAULT_MAX_SIZE: u64 = 10 * 1024 * 1024;

/// Reads `path` (`-` for standard input) as UTF-8 text of at most `max` bytes.
pub fn read_text(path: &str, max: u64) -> Result<Arc<SourceFile>, ToolError> {
    let (name, bytes) = if path == "-" {
        let mut buf = Vec::new();
        std::io::stdin()
            .take(max + 1)
            .read_to_end(&mut buf)
            .map_err(|e| ToolError::new(format!("cannot read standard input: {e}")))?;
        ("<stdin>".to_owned(), buf)
    } else {
        let p = Path::new(path);
        let meta = std::fs::metadata(p).map_err(|e| io_error(path, &e))?;
        if meta.is_dir() {
            return Err(ToolError::new(format!(
                "{path}: is a directory, not a file"
            )));
        }
        let mut buf = Vec::new();
        std::fs::File::open(p)
            .and_then(|f| f.take(max + 1).read_to_end(&mut buf))
            .map_err(|e| io_error(path, &e))?;
        (path.to_owned(), buf)
    };
    if bytes.len() as u64 > max {
        return Err(ToolError::new(format!(
            "{name}: larger than the {} limit for a single input",
            human_size(max)
        ))
        .help("pass --max-size to raise the limit, or use `audit` for large logs"));
    }
    decode(name, bytes)
}

fn io_error(path: &str, e: &std::io::Error) -> ToolError {
    let why = match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".to_owned(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_owned(),
        _ => e.to_string(),
    };
    ToolError::new(format!("{path}: cannot read: {why}"))
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
        std::env::var(var).ok()
    }

    fn file(&self, path: &Path) -> Result<(Vec<u8>, Option<u32>), FileProblem> {
        let problem = |e: &std::io::Error| match e.kind() {
            std::io::ErrorKind::NotFound => FileProblem::NotFound,
            std::io::ErrorKind::PermissionDenied => FileProblem::PermissionDenied,
            _ => FileProblem::Other(e.to_string()),
        };
        let meta = std::fs::metadata(path).map_err(|e| problem(&e))?;
        if meta.len() > MAX_KEY_FILE {
            return Err(FileProblem::TooLarge(meta.len()));
        }
        let mut bytes = Vec::new();
        std::fs::File::open(path)
            .and_then(|f| f.take(MAX_KEY_FILE + 1).read_to_end(&mut bytes))
            .map_err(|e| problem(&e))?;
        Ok((bytes, file_mode(&meta)))
    }
}

/// The permission bits of a file (none where the platform has no such bits).
#[allow(clippy::unnecessary_wraps)] // None on platforms without permission bits
fn file_mode(meta: &std::fs::Metadata) -> Option<u32> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        Some(meta.permissions().mode() & 0o777)
    }
    #[cfg(not(unix))]
    {
        let _ = meta;
        None
    }
}
