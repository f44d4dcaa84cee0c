//! bdpay-doctor's scanner of merchant code: the FAQ's mistakes found in PHP, Java, Go,
//! JavaScript, TypeScript and Python sources before any payload exists (the SRC rules), and the
//! keys and answers written in them as literals, for the key and answer rules.
//!
//! Files are parsed with tree-sitter and pinned grammars; each rule's queries are data
//! (`queries/SRCnnn.toml`), compiled only for the languages present, with a few filters in Rust
//! for what a query cannot say (the enclosing function's name and text, the file's context, an
//! enclosing call, a key literal). Hits are [`SourceHit`]s: the engine turns them into findings with the
//! severity, selection and ignores of every other rule.

pub mod check;
pub mod dump;
pub mod keys;
pub mod lang;
pub mod scan;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use bdpay_core::error::ToolError;
use bdpay_core::msg;
pub use bdpay_core::rules::source::SourceHit;
use bdpay_core::source::SourceFile;

pub use check::{BadQuery, Cache};
pub use lang::Lang;

/// Folders that hold other people's code or build output, never walked into.
const SKIP_DIRS: &[&str] = &[
    "vendor",
    "node_modules",
    "bower_components",
    "miniprogram_npm",
    "dist",
    "build",
    "target",
    "out",
    "unpackage",
    "__pycache__",
    "coverage",
];

/// A file about this cashier names one of its fields, hosts or API names. Payment SDKs carry
/// Alipay, WeChat Pay and others side by side, and SHA-256, a plain `success` answer or dropped
/// empty values are right there: their files are not this cashier's and are not scanned.
const ABOUT_THIS_CASHIER: &str =
    r"(?i)tpOrderId|dealId|isConsumed|requestPolymerPayment|nuomi|smartprogram|swan\.";
/// Words that name Baidu without naming the cashier: enough only in a file that names no other
/// provider (`['alipay', 'weixin', 'baidu']` in a shop's list of terminals is not Baidu code, and
/// `requestPayment` is WeChat's API too).
const NAMES_BAIDU: &str = r"(?i)baidu|百度|requestPayment";
/// Another provider, in a path (`alipay/`, `WxPayNotify.php`) or in the text.
const OTHER_PROVIDER: &str = r"(?i)ali_?pay|wechat|wx_?pay|weixin|union_?pay|paypal|stripe|lakala|sandpay|payeco|jd_?pay|qq_?pay|toutiao|douyin";

/// Whether the scanner reads this file: about this cashier, and not another provider's.
#[must_use]
pub fn about_this_cashier(path: &str, text: &str) -> bool {
    static RES: std::sync::OnceLock<[regex::Regex; 3]> = std::sync::OnceLock::new();
    let [about, baidu, other] = RES.get_or_init(|| {
        [ABOUT_THIS_CASHIER, NAMES_BAIDU, OTHER_PROVIDER]
            .map(|r| regex::Regex::new(r).unwrap_or_else(|e| panic!("{e}")))
    });
    let lower = path.to_ascii_lowercase();
    let about = about.is_match(text) || (baidu.is_match(text) && !other.is_match(text));
    about && (!other.is_match(path) || lower.contains("baidu"))
}

/// What a scan found.
#[derive(Debug, Default)]
pub struct Scanned {
    pub hits: Vec<SourceHit>,
    /// Files scanned, by language.
    pub files: BTreeMap<Lang, usize>,
    /// Hits their comments suppressed, with a reason.
    pub suppressed: usize,
    /// Files not scanned because they are larger than the limit.
    pub too_large: Vec<String>,
    /// Files of a known language not scanned because nothing in them is about this cashier, or
    /// their path names another provider.
    pub not_about_this_cashier: usize,
    /// Files that could not be read or decoded.
    pub errors: Vec<ToolError>,
    /// Answers written as JSON strings in the code, as payloads for the answer rules.
    pub answers: Vec<bdpay_core::payload::Payload>,
    /// The files that hold those answers, to show their findings on.
    pub sources: Vec<Arc<SourceFile>>,
    /// Keys written as string literals, for the key rules.
    pub keys: Vec<bdpay_core::keys::ring::CodeKey>,
}

impl Scanned {
    #[must_use]
    pub fn file_count(&self) -> usize {
        self.files.values().sum()
    }
}

/// Scans the files under `paths` (files as given, directories walked honouring `.gitignore`,
/// skipping hidden entries, dependencies and build output), restricted to the rule `codes` when
/// given. Files over `max_size` bytes are listed, not read.
///
/// # Errors
/// When a path does not exist, or a query does not compile (a test failure, never a user's).
pub fn scan_paths(
    paths: &[PathBuf],
    codes: Option<Vec<String>>,
    max_size: u64,
) -> Result<Scanned, ToolError> {
    scan_paths_with(paths, codes, max_size, None)
}

/// [`scan_paths`] on `jobs` threads (`None`: one per core).
///
/// # Errors
/// As [`scan_paths`].
pub fn scan_paths_with(
    paths: &[PathBuf],
    codes: Option<Vec<String>>,
    max_size: u64,
    jobs: Option<usize>,
) -> Result<Scanned, ToolError> {
    let cache = Cache::new(codes);
    let mut out = Scanned::default();
    let mut todo = Vec::new();
    for root in paths {
        if !root.exists() {
            return Err(ToolError::in_file(
                root.display().to_string(),
                msg!("no such file or directory", "没有这个文件或目录"),
            ));
        }
        walk(root, max_size, &mut todo, &mut out);
    }
    // Files are read and scanned on every core; results are merged in walk order, so a run's
    // output does not depend on the threads.
    let next = std::sync::atomic::AtomicUsize::new(0);
    let workers = jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, usize::from))
        .min(todo.len())
        .max(1);
    let mut done: Vec<(usize, Outcome)> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..workers)
            .map(|_| {
                s.spawn(|| {
                    let mut mine = Vec::new();
                    loop {
                        let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                        let Some((path, lang)) = todo.get(i) else {
                            break;
                        };
                        mine.push((i, scan_file(path, *lang, &cache)));
                    }
                    mine
                })
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|h| h.join().unwrap_or_else(|p| std::panic::resume_unwind(p)))
            .collect()
    });
    done.sort_by_key(|(i, _)| *i);
    for (_, outcome) in done {
        match outcome {
            Outcome::Failed(e) => out.errors.push(e),
            Outcome::BadQuery(e) => {
                return Err(ToolError::new(msg!(
                    "query: {e}",
                    "查询：{e}";
                    e = bdpay_core::message::Msg::same(e.to_string())
                )));
            }
            Outcome::NotAbout => out.not_about_this_cashier += 1,
            Outcome::Scanned(lang, source, file) => {
                *out.files.entry(lang).or_default() += 1;
                out.suppressed += file.suppressed;
                out.hits.extend(file.hits);
                out.keys.extend(file.keys);
                if !file.answers.is_empty() {
                    out.answers.extend(file.answers);
                    out.sources.push(file.masked.unwrap_or(source));
                }
            }
        }
    }
    Ok(out)
}

/// What became of one file.
enum Outcome {
    Failed(ToolError),
    BadQuery(BadQuery),
    NotAbout,
    Scanned(Lang, Arc<SourceFile>, scan::FileScan),
}

/// The source files under `root` the scanner reads, in path order; files too large and walk
/// errors go to `out`.
fn walk(root: &Path, max_size: u64, todo: &mut Vec<(PathBuf, Lang)>, out: &mut Scanned) {
    let mut walk = ignore::WalkBuilder::new(root);
    walk.require_git(false)
        .filter_entry(|e| {
            e.depth() == 0
                || !e.file_type().is_some_and(|t| t.is_dir())
                || !SKIP_DIRS.contains(&e.file_name().to_string_lossy().as_ref())
        })
        .sort_by_file_path(Path::cmp);
    for entry in walk.build() {
        let entry = match entry {
            Ok(e) => e,
            Err(e) => {
                out.errors.push(ToolError::new(msg!(
                    "cannot walk: {e}",
                    "无法遍历：{e}";
                    e = bdpay_core::message::Msg::same(e.to_string())
                )));
                continue;
            }
        };
        let path = entry.path();
        if !entry.file_type().is_some_and(|t| t.is_file()) {
            continue;
        }
        let Some(lang) = Lang::of_path(path) else {
            continue;
        };
        let name = path.display().to_string();
        if name.ends_with(".min.js") {
            continue;
        }
        if entry.metadata().is_ok_and(|m| m.len() > max_size) {
            out.too_large.push(name);
            continue;
        }
        todo.push((path.to_path_buf(), lang));
    }
}

/// Reads, decodes, gates and scans one file.
fn scan_file(path: &Path, lang: Lang, cache: &Cache) -> Outcome {
    let name = path.display().to_string();
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) => {
            let e = e.to_string();
            return Outcome::Failed(ToolError::in_file(
                name,
                msg!("cannot read: {e}", "无法读取：{e}"),
            ));
        }
    };
    let Some(text) = decode(bytes) else {
        return Outcome::Failed(ToolError::in_file(
            name,
            msg!(
                "neither UTF-8 nor GBK text: not scanned",
                "既不是 UTF-8 也不是 GBK 文本：未扫描"
            ),
        ));
    };
    if !about_this_cashier(&name, &text) {
        return Outcome::NotAbout;
    }
    let source = SourceFile::new(name, text);
    match scan_text(&source, lang, cache) {
        Ok(file) => Outcome::Scanned(lang, source, file),
        Err(e) => Outcome::BadQuery(e),
    }
}

/// Scans one file's text as `lang`.
///
/// # Errors
/// When a query does not compile for this language.
pub fn scan_text(
    source: &Arc<SourceFile>,
    lang: Lang,
    cache: &Cache,
) -> Result<scan::FileScan, BadQuery> {
    scan::scan(source, lang, cache)
}

/// UTF-8 (a BOM dropped), else GBK/GB18030 as old PHP and Java projects are saved; `None` when
/// neither decodes cleanly.
#[must_use]
pub fn decode(bytes: Vec<u8>) -> Option<String> {
    match String::from_utf8(bytes) {
        Ok(s) => Some(
            s.strip_prefix('\u{feff}')
                .map_or_else(|| s.clone(), str::to_owned),
        ),
        Err(e) => {
            let bytes = e.into_bytes();
            let (text, _, bad) = encoding_rs::GB18030.decode(&bytes);
            (!bad).then(|| text.into_owned())
        }
    }
}
