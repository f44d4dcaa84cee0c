//! Finding payload files under the paths given to `check`.

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use bdpay_core::error::ToolError;

use crate::host;

/// File endings read as payloads when a directory is searched.
pub const PAYLOAD_EXTENSIONS: [&str; 6] = ["json", "js", "txt", "form", "http", "url"];

/// The payload files named by `paths`: files as given, directories searched recursively
/// (hidden entries skipped, symlink loops broken), in a stable order. The config is never a
/// payload.
pub fn payload_files(paths: &[String], config: Option<&str>) -> Result<Vec<String>, ToolError> {
    let config = config.and_then(|c| host::canonicalize(Path::new(c)).ok());
    let mut out = Vec::new();
    let mut seen = HashSet::new();
    for p in paths {
        if p == "-" {
            out.push(p.clone());
            continue;
        }
        let path = Path::new(p);
        let meta = host::metadata(path).map_err(|e| crate::input::cannot_read(p, &e))?;
        if meta.is_dir {
            walk(path, &mut seen, &mut out)?;
        } else {
            out.push(p.clone());
        }
    }
    out.retain(|f| {
        config
            .as_ref()
            .is_none_or(|c| host::canonicalize(Path::new(f)).ok().as_ref() != Some(c))
    });
    Ok(out)
}

fn walk(dir: &Path, seen: &mut HashSet<PathBuf>, out: &mut Vec<String>) -> Result<(), ToolError> {
    let Ok(real) = host::canonicalize(dir) else {
        return Ok(());
    };
    if !seen.insert(real) {
        return Ok(());
    }
    let mut entries: Vec<PathBuf> = host::read_dir(dir)
        .map_err(|e| crate::input::cannot_read(&dir.display().to_string(), &e))?;
    entries.sort();
    for e in entries {
        let name = e.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if name.starts_with('.') {
            continue;
        }
        if host::metadata(&e).is_ok_and(|m| m.is_dir) {
            walk(&e, seen, out)?;
        } else if e
            .extension()
            .and_then(|x| x.to_str())
            .is_some_and(|x| PAYLOAD_EXTENSIONS.contains(&x))
        {
            out.push(e.to_string_lossy().into_owned());
        }
    }
    Ok(())
}
