//! The machine the CLI runs on: files, standard streams and the environment. The native build
//! asks the operating system; the WebAssembly build (the npm package) asks its JavaScript host,
//! which answers with Node's file system and streams. The rest of the shell reaches the machine
//! only through here (and `term`, which writes through here), so both builds run the same
//! commands with the same flags, formats and exit codes.

use std::io;
use std::path::{Path, PathBuf};

/// What the shell needs to know about a file before reading it.
#[derive(Debug, Clone, Copy)]
pub struct Meta {
    pub is_dir: bool,
    pub len: u64,
    /// Permission bits, where the platform has them.
    pub mode: Option<u32>,
}

/// A standard stream.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    In,
    Out,
    Err,
}

#[cfg(not(target_arch = "wasm32"))]
mod imp {
    #![allow(clippy::disallowed_methods)] // the native host is where stdout and stderr are named

    use std::io::{self, IsTerminal as _, Read as _, Write as _};
    use std::path::{Path, PathBuf};

    use super::{Meta, Stream};

    pub fn metadata(path: &Path) -> io::Result<Meta> {
        let m = std::fs::metadata(path)?;
        Ok(Meta {
            is_dir: m.is_dir(),
            len: m.len(),
            mode: mode(&m),
        })
    }

    #[allow(clippy::unnecessary_wraps)] // None on platforms without permission bits
    fn mode(meta: &std::fs::Metadata) -> Option<u32> {
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

    pub fn read(path: &Path, limit: u64) -> io::Result<Vec<u8>> {
        let mut buf = Vec::new();
        std::fs::File::open(path)?
            .take(limit)
            .read_to_end(&mut buf)?;
        Ok(buf)
    }

    pub fn read_stdin(limit: u64) -> io::Result<Vec<u8>> {
        let mut buf = Vec::new();
        io::stdin().take(limit).read_to_end(&mut buf)?;
        Ok(buf)
    }

    pub fn write(path: &Path, bytes: &[u8], private: bool) -> io::Result<()> {
        std::fs::write(path, bytes)?;
        #[cfg(unix)]
        if private {
            use std::os::unix::fs::PermissionsExt as _;
            std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))?;
        }
        #[cfg(not(unix))]
        let _ = private;
        Ok(())
    }

    pub fn create_dir_all(path: &Path) -> io::Result<()> {
        std::fs::create_dir_all(path)
    }

    pub fn canonicalize(path: &Path) -> io::Result<PathBuf> {
        std::fs::canonicalize(path)
    }

    pub fn read_dir(path: &Path) -> io::Result<Vec<PathBuf>> {
        std::fs::read_dir(path)?
            .map(|e| e.map(|e| e.path()))
            .collect()
    }

    pub fn env(var: &str) -> Option<String> {
        std::env::var(var).ok()
    }

    pub fn terminal_columns() -> Option<usize> {
        terminal_size::terminal_size_of(io::stdout())
            .or_else(|| terminal_size::terminal_size_of(io::stderr()))
            .map(|(w, _)| usize::from(w.0))
    }

    pub fn is_terminal(s: Stream) -> bool {
        match s {
            Stream::In => io::stdin().is_terminal(),
            Stream::Out => io::stdout().is_terminal(),
            Stream::Err => io::stderr().is_terminal(),
        }
    }

    /// Writes to standard output or error; a closed pipe (`| head`) ends quietly.
    pub fn put(s: Stream, bytes: &[u8]) {
        let _ = if s == Stream::Err {
            let mut o = io::stderr().lock();
            o.write_all(bytes).and_then(|()| o.flush())
        } else {
            let mut o = io::stdout().lock();
            o.write_all(bytes).and_then(|()| o.flush())
        };
    }
}

#[cfg(target_arch = "wasm32")]
mod imp {
    //! Calls into the JavaScript host (`globalThis.bdpayHost`, set by the npm package's loader
    //! before each run). Its functions throw a string starting with Node's error code
    //! (`ENOENT: …`), which becomes the matching `io::ErrorKind`.

    use std::io;
    use std::path::{Path, PathBuf};

    use wasm_bindgen::prelude::*;

    use super::{Meta, Stream};

    #[wasm_bindgen]
    extern "C" {
        #[wasm_bindgen(catch, js_namespace = bdpayHost, js_name = stat)]
        fn host_stat(path: &str) -> Result<Vec<f64>, JsValue>;
        #[wasm_bindgen(catch, js_namespace = bdpayHost, js_name = readFile)]
        fn host_read(path: &str, limit: f64) -> Result<Vec<u8>, JsValue>;
        #[wasm_bindgen(catch, js_namespace = bdpayHost, js_name = readStdin)]
        fn host_read_stdin(limit: f64) -> Result<Vec<u8>, JsValue>;
        #[wasm_bindgen(catch, js_namespace = bdpayHost, js_name = writeFile)]
        fn host_write(path: &str, bytes: &[u8], mode: u32) -> Result<(), JsValue>;
        #[wasm_bindgen(catch, js_namespace = bdpayHost, js_name = mkdirAll)]
        fn host_mkdir(path: &str) -> Result<(), JsValue>;
        #[wasm_bindgen(catch, js_namespace = bdpayHost, js_name = realPath)]
        fn host_real_path(path: &str) -> Result<String, JsValue>;
        #[wasm_bindgen(catch, js_namespace = bdpayHost, js_name = readDir)]
        fn host_read_dir(path: &str) -> Result<Vec<String>, JsValue>;
        #[wasm_bindgen(js_namespace = bdpayHost, js_name = env)]
        fn host_env(var: &str) -> Option<String>;
        #[wasm_bindgen(js_namespace = bdpayHost, js_name = columns)]
        fn host_columns() -> Option<u32>;
        #[wasm_bindgen(js_namespace = bdpayHost, js_name = isTerminal)]
        fn host_is_terminal(fd: u32) -> bool;
        #[wasm_bindgen(js_namespace = bdpayHost, js_name = write)]
        fn host_put(fd: u32, bytes: &[u8]);
    }

    fn error(e: &JsValue) -> io::Error {
        let text = e
            .as_string()
            .unwrap_or_else(|| "the host failed".to_owned());
        let kind = match text.split(':').next().unwrap_or("") {
            "ENOENT" => io::ErrorKind::NotFound,
            "EACCES" | "EPERM" => io::ErrorKind::PermissionDenied,
            "EISDIR" => io::ErrorKind::IsADirectory,
            _ => io::ErrorKind::Other,
        };
        io::Error::new(kind, text)
    }

    fn text(path: &Path) -> String {
        path.to_string_lossy().into_owned()
    }

    pub fn metadata(path: &Path) -> io::Result<Meta> {
        let v = host_stat(&text(path)).map_err(|e| error(&e))?;
        let (is_dir, len, mode) = (
            v.first().copied().unwrap_or(0.0),
            v.get(1).copied().unwrap_or(0.0),
            v.get(2).copied().unwrap_or(-1.0),
        );
        Ok(Meta {
            is_dir: is_dir != 0.0,
            len: len as u64,
            mode: (mode >= 0.0).then_some(mode as u32 & 0o777),
        })
    }

    pub fn read(path: &Path, limit: u64) -> io::Result<Vec<u8>> {
        host_read(&text(path), limit as f64).map_err(|e| error(&e))
    }

    pub fn read_stdin(limit: u64) -> io::Result<Vec<u8>> {
        host_read_stdin(limit as f64).map_err(|e| error(&e))
    }

    pub fn write(path: &Path, bytes: &[u8], private: bool) -> io::Result<()> {
        host_write(&text(path), bytes, if private { 0o600 } else { 0o644 }).map_err(|e| error(&e))
    }

    pub fn create_dir_all(path: &Path) -> io::Result<()> {
        host_mkdir(&text(path)).map_err(|e| error(&e))
    }

    pub fn canonicalize(path: &Path) -> io::Result<PathBuf> {
        host_real_path(&text(path))
            .map(PathBuf::from)
            .map_err(|e| error(&e))
    }

    pub fn read_dir(path: &Path) -> io::Result<Vec<PathBuf>> {
        let names = host_read_dir(&text(path)).map_err(|e| error(&e))?;
        Ok(names.into_iter().map(|n| path.join(n)).collect())
    }

    pub fn env(var: &str) -> Option<String> {
        host_env(var)
    }

    const fn fd(s: Stream) -> u32 {
        match s {
            Stream::In => 0,
            Stream::Out => 1,
            Stream::Err => 2,
        }
    }

    pub fn is_terminal(s: Stream) -> bool {
        host_is_terminal(fd(s))
    }

    pub fn terminal_columns() -> Option<usize> {
        host_columns().map(|c| c as usize)
    }

    pub fn put(s: Stream, bytes: &[u8]) {
        host_put(fd(s), bytes);
    }
}

/// A file's kind, size and permission bits.
pub fn metadata(path: &Path) -> io::Result<Meta> {
    imp::metadata(path)
}

/// At most `limit` bytes of a file.
pub fn read(path: &Path, limit: u64) -> io::Result<Vec<u8>> {
    imp::read(path, limit)
}

/// At most `limit` bytes of standard input.
pub fn read_stdin(limit: u64) -> io::Result<Vec<u8>> {
    imp::read_stdin(limit)
}

/// Writes a file; `private` makes it readable by its owner only (mode 0600) where modes exist.
pub fn write(path: &Path, bytes: &[u8], private: bool) -> io::Result<()> {
    imp::write(path, bytes, private)
}

pub fn create_dir_all(path: &Path) -> io::Result<()> {
    imp::create_dir_all(path)
}

pub fn canonicalize(path: &Path) -> io::Result<PathBuf> {
    imp::canonicalize(path)
}

/// The entries of a directory, as paths under it (in no particular order).
pub fn read_dir(path: &Path) -> io::Result<Vec<PathBuf>> {
    imp::read_dir(path)
}

/// An environment variable, `None` when it is not set or not UTF-8.
#[must_use]
pub fn env(var: &str) -> Option<String> {
    imp::env(var)
}

#[must_use]
pub fn is_terminal(s: Stream) -> bool {
    imp::is_terminal(s)
}

/// The width of the terminal standard output (or error) is, when it is one.
#[must_use]
pub fn terminal_columns() -> Option<usize> {
    imp::terminal_columns()
}

/// Writes bytes to standard output or standard error as they are.
pub fn put(s: Stream, bytes: &[u8]) {
    imp::put(s, bytes);
}
