//! One file per command. Each takes its parsed arguments and the output style, does its IO
//! (files, network, threads) and hands the core's data to the core's renderers; the text leaves
//! through `term`. This module holds what several commands share: reading the config and keys,
//! rule selection, and the lint-and-report run behind `check`, `diagnose`, `probe` and
//! `simulate`.

#[cfg(feature = "native")]
mod audit;
mod check;
mod diagnose;
mod explain;
mod init;
mod keys;
#[cfg(feature = "native")]
mod probe;
#[cfg(feature = "native")]
mod scan;
mod sign;
mod verify;

use std::collections::BTreeMap;

use bdpay_core::config::Config;
use bdpay_core::error::ToolError;
use bdpay_core::finding::{Finding, Level, Severity};
use bdpay_core::message::Msg;
use bdpay_core::payload::{self, Payload};
use bdpay_core::render::{self, Inputs, Style};
use bdpay_core::{msg, registry, rules};

use clap::CommandFactory as _;

use crate::cli::{Command, FailOn, Global, RuleSelection};
use crate::{input, term};

/// Runs the command; the exit code, or the error that ends the run (exit 2).
pub fn run(command: &Command, g: &Global, style: &Style) -> Result<u8, ToolError> {
    match command {
        Command::Rules { .. } => Ok(explain::rules(style)),
        Command::Explain { query, .. } => explain::explain(query, g, style),
        Command::Init { path, force } => init::init(path, *force, style),
        Command::Completions { shell } => {
            let mut out = Vec::new();
            clap_complete::generate(
                *shell,
                &mut crate::cli::Cli::command(),
                "bdpay-doctor",
                &mut out,
            );
            term::out_bytes(&out);
            Ok(0)
        }
        Command::Schema { of } => {
            let schema = match of {
                crate::cli::SchemaOf::Config => bdpay_core::config::schema(),
                crate::cli::SchemaOf::Output => render::schema::output(),
                crate::cli::SchemaOf::Ndjson => render::schema::ndjson(),
            };
            let mut s = serde_json::to_string_pretty(&schema).unwrap_or_default();
            s.push('\n');
            term::out_raw(&s);
            Ok(0)
        }
        Command::Man => {
            let mut out = Vec::new();
            clap_mangen::Man::new(crate::cli::Cli::command())
                .render(&mut out)
                .map_err(|e| ToolError::new(Msg::same(e.to_string())))?;
            term::out_bytes(&out);
            Ok(0)
        }
        Command::Keys(k) => keys::keys(k, style, g.max_size),
        Command::Sign(a) => sign::sign(a, style, g.max_size),
        Command::Verify(a) => verify::verify(a, style, g.max_size),
        Command::Check(a) => check::check(a, g, style),
        Command::Diagnose(a) => diagnose::diagnose(a, g, style),
        #[cfg(feature = "native")]
        Command::Probe(a) => probe::probe(a, g, style),
        #[cfg(feature = "native")]
        Command::Simulate(a) => probe::simulate(a, g, style),
        #[cfg(feature = "native")]
        Command::Audit(a) => audit::audit(a, g, style),
        #[cfg(feature = "native")]
        Command::Scan(a) => scan::scan(a, g, style),
        #[cfg(not(feature = "native"))]
        Command::Probe(_) | Command::Simulate(_) | Command::Audit(_) | Command::Scan(_) => {
            Err(native_only())
        }
    }
}

/// What the WebAssembly build says of the commands that need a native process.
#[cfg(not(feature = "native"))]
#[must_use]
pub fn native_only() -> ToolError {
    ToolError::new(msg!(
        "this command needs the native build (network, threads or the OS random source); the README's Install section builds it",
        "此命令需要原生版本（网络、多线程或系统随机源）；按 README 的“安装”一节构建"
    ))
    .help(msg!(
        "the npm package runs the offline commands: check, diagnose, explain, rules, sign, verify, keys inspect|match|convert, init",
        "npm 包支持离线命令：check、diagnose、explain、rules、sign、verify、keys inspect|match|convert、init"
    ))
}

/// The config of `--config`, else of `BDPAY_CONFIG`, else (when `default` allows) the nearest
/// `bdpay.toml` in the current directory or above it, up to the repository's root (the directory
/// holding `.git`), as ruff and cargo find theirs; with the path it was read from.
fn load_config(
    given: Option<&std::path::PathBuf>,
    default: bool,
    max: u64,
) -> Result<(Option<String>, Option<Config>), ToolError> {
    let path = given
        .map(|p| p.to_string_lossy().into_owned())
        .or_else(|| crate::host::env("BDPAY_CONFIG").filter(|p| !p.is_empty()))
        .or_else(|| default.then(find_config).flatten());
    let config = path
        .as_deref()
        .map(|p| input::load_config(p, max))
        .transpose()?;
    Ok((path, config))
}

/// The nearest `bdpay.toml` from the current directory up to the repository root, as a path
/// relative to the current directory (`bdpay.toml`, `../bdpay.toml`, ...).
fn find_config() -> Option<String> {
    use std::path::{Path, PathBuf};
    let name = bdpay_core::config::DEFAULT_NAME;
    let mut dir = crate::host::canonicalize(Path::new(".")).ok()?;
    let mut up = PathBuf::new();
    // A bound on the walk whatever the file system says.
    for _ in 0..64 {
        let candidate = up.join(name);
        if crate::host::metadata(&candidate).is_ok_and(|m| !m.is_dir) {
            return Some(candidate.to_string_lossy().into_owned());
        }
        if crate::host::metadata(&up.join(".git")).is_ok() {
            return None;
        }
        dir = dir.parent()?.to_path_buf();
        up.push("..");
    }
    None
}

/// Reads a key file (`-` for stdin) and parses it; unreadable keys are errors here.
fn load_key(path: &str, max: u64) -> Result<bdpay_core::keys::Key, ToolError> {
    let bytes = input::read_bytes(path, max)?;
    bdpay_core::keys::read(&bytes).map_err(|e| not_a_key(path, &e))
}

/// A file that is not a usable key, with what it looks like and where reading stopped.
fn not_a_key(path: &str, e: &bdpay_core::keys::KeyError) -> ToolError {
    let name = input::display_name(path);
    ToolError::in_file(
        name,
        Msg::new(
            format!("not a usable key: {}; {}", e.looks_like.en, e.stopped.en),
            format!("不是可用的密钥：{}；{}", e.looks_like.zh, e.stopped.zh),
        ),
    )
    .help(msg!(
        "`bdpay-doctor keys inspect FILE` says what the file holds",
        "`bdpay-doctor keys inspect 文件` 会说明文件里是什么"
    ))
}

/// Reads a `--key FILE` argument, checking it is a key: its name and bytes.
fn read_key_arg(path: &str, max: u64) -> Result<(String, Vec<u8>), ToolError> {
    let bytes = input::read_bytes(path, max)?;
    bdpay_core::keys::read(&bytes).map_err(|e| not_a_key(path, &e))?;
    Ok((path.to_owned(), bytes))
}

/// Rule settings from `-D/-W/-A/--select`.
fn settings(sel: &RuleSelection) -> Result<rules::Settings, ToolError> {
    // A code, a name, or a family prefix (`RSP`, any case) for all of its rules.
    let resolve = |q: &str| -> Result<Vec<&'static str>, ToolError> {
        let q = q.trim();
        if let Some(r) = registry::find(q) {
            return Ok(vec![r.code.as_str()]);
        }
        if q.len() == 3
            && let Some(f) = registry::Family::of(q)
        {
            return Ok(registry::all()
                .iter()
                .filter(|r| r.family() == f)
                .map(|r| r.code.as_str())
                .collect());
        }
        let e = ToolError::new(msg!("unknown rule `{q}`", "未知规则 `{q}`"));
        Err(match registry::nearest(q) {
            Some(n) => e.help(msg!("did you mean `{n}`?", "是否想写 `{n}`？")),
            None => e.help(msg!(
                "`bdpay-doctor rules` lists every rule; a family prefix (ORD, RSP, SIG…) selects a family",
                "`bdpay-doctor rules` 列出全部规则；也可以写规则族前缀（ORD、RSP、SIG…）"
            )),
        })
    };
    let mut levels = BTreeMap::new();
    for (list, level) in [
        (&sel.deny, Level::Error),
        (&sel.warn, Level::Warning),
        (&sel.allow, Level::Off),
    ] {
        for q in list.iter().filter(|q| !q.trim().is_empty()) {
            for code in resolve(q)? {
                levels.insert(code, level);
            }
        }
    }
    let only = if sel.select.is_empty() {
        None
    } else {
        let mut codes = Vec::new();
        for q in sel.select.iter().filter(|q| !q.trim().is_empty()) {
            codes.extend(resolve(q)?.into_iter().map(str::to_owned));
        }
        Some(codes)
    };
    Ok(rules::Settings {
        only,
        levels,
        key: None,
        orders: None,
    })
}

/// The lowest severity that fails the run, `None` for `--fail-on never`.
const fn floor(fail_on: FailOn) -> Option<Severity> {
    match fail_on {
        FailOn::Error => Some(Severity::Error),
        FailOn::Warning => Some(Severity::Warning),
        FailOn::Info => Some(Severity::Info),
        FailOn::Never => None,
    }
}

/// 1 when a finding is at or above the fail level, else 0.
#[must_use]
pub fn exit_code(findings: &[Finding], fail_on: FailOn) -> u8 {
    floor(fail_on).map_or(0, |f| u8::from(findings.iter().any(|x| x.severity >= f)))
}

/// What one lint run takes in: `check`, `diagnose`, `probe` and `simulate` differ only here.
struct Job<'a> {
    config: Option<&'a Config>,
    files: &'a [String],
    /// Forces the payload kind.
    kind: Option<payload::Kind>,
    rules: &'a RuleSelection,
    /// `--key FILE`: name and bytes.
    key: Option<(String, Vec<u8>)>,
    /// What the run is for: `check`, `probe` and `simulate` report on many inputs; `diagnose`
    /// on one, whose failure to read is the run's error.
    mode: Mode,
    probes: &'a [bdpay_core::probe::Probe],
    /// `--orders FILE`: the merchant's orders.
    orders: Option<&'a str>,
    /// What the code scanner found (`check --scan`): its hits, files and problems.
    scanned: Option<ScanResult>,
}

/// The code scanner's result as the report needs it (the scanner itself is native only).
#[derive(Default)]
pub struct ScanResult {
    pub hits: Vec<bdpay_core::rules::source::SourceHit>,
    pub files: usize,
    pub errors: Vec<ToolError>,
    /// Answers written as JSON strings in the code, read as payloads.
    pub answers: Vec<Payload>,
    /// The code files holding them.
    pub sources: Vec<std::sync::Arc<bdpay_core::source::SourceFile>>,
    /// Keys written as string literals in the code, for the key rules.
    pub keys: Vec<bdpay_core::keys::ring::CodeKey>,
}

impl ScanResult {
    /// The scanner's findings: its hits, the key rules' findings on keys written in the code,
    /// and the answer rules' findings on the answers written in the code, shown on the code
    /// files themselves (the spans are the same).
    fn findings(&self, engine: &rules::Engine<'_>) -> Vec<bdpay_core::finding::Finding> {
        let mut findings = engine.lint_hits(&self.hits);
        findings.extend(engine.lint_code_keys(&self.keys));
        let mut answers = engine.lint(&self.answers, &[], &[], false);
        for f in &mut answers {
            if let Some(real) = self
                .sources
                .iter()
                .find(|s| s.name == f.diagnostic.source.name)
            {
                f.diagnostic.source = std::sync::Arc::clone(real);
            }
        }
        findings.extend(answers);
        findings
    }
}

/// Many inputs, or one pasted payload (with the merchant's own canonical string, when given).
enum Mode {
    Many,
    Diagnose { theirs: Option<String> },
}

/// Lints the config and payload files (and the probes' answers) and prints the report.
fn lint_and_report(job: Job<'_>, g: &Global, style: &Style) -> Result<u8, ToolError> {
    let Job {
        config,
        files,
        kind,
        rules: sel,
        key,
        mode,
        probes,
        orders,
        scanned,
    } = job;
    let mut settings = settings(sel)?;
    settings.key = key;
    settings.orders = orders
        .map(|o| crate::input::load_orders(o, g.max_size).map(std::sync::Arc::new))
        .transpose()?;
    let (single, theirs) = match mode {
        Mode::Many => (false, None),
        Mode::Diagnose { theirs } => (true, theirs),
    };
    let mut payloads = Vec::new();
    let mut errors = Vec::new();
    for f in files {
        let read = input::read_text(f, g.max_size).and_then(|src| payload::read(&src, kind));
        match read {
            Ok(p) => payloads.push(p),
            // One payload that cannot be read is the whole job of `diagnose`: fail with it.
            Err(e) if single => return Err(e),
            Err(e) => errors.push(e),
        }
    }
    let answers = crate::answers::answers(probes);
    let n_answers = answers.len();
    let all: Vec<Payload> = payloads.into_iter().chain(answers).collect();
    let mut findings = rules::lint_run(config, &all, probes, &settings);
    let mut scanned = scanned.unwrap_or_default();
    errors.extend(std::mem::take(&mut scanned.errors));
    crate::answers::filter_rejections(&mut findings, probes);
    // diagnose is about the pasted payload: the config's own findings that do not bear on it
    // (callback URLs, test amounts, lint settings) are counted, not listed; its keys, which
    // verify the payload, stay.
    let mut config_only = 0;
    if let (true, Some(c)) = (single, config) {
        findings.retain(|f| {
            let about_config = f.diagnostic.source.name == c.source.name
                && f.rule.family() != registry::Family::Keys;
            config_only += usize::from(about_config);
            !about_config
        });
    }
    let read = &all[..all.len() - n_answers];
    let engine = rules::Engine::new(config, &settings);
    if !scanned.hits.is_empty() || !scanned.answers.is_empty() {
        findings.extend(scanned.findings(&engine));
        rules::sort(&mut findings);
    }
    if let (Some(theirs), Some(p)) = (&theirs, read.first()) {
        findings.extend(engine.their_string(p, theirs));
    }
    let ring = engine.ring;
    let signatures: Vec<rules::Signature> = read
        .iter()
        .map(|p| rules::Signature::of(p, &ring))
        .collect();
    let inputs = Inputs {
        payloads: read,
        signatures: &signatures,
        config: config.map(|c| c.source.name.as_str()),
        errors: &errors,
        probes,
        scanned: scanned.files,
    };
    term::out(&render::report(&findings, &inputs, style, single));
    if let (true, Some(c), render::Format::Human) = (config_only > 0, config, style.format) {
        let name = &c.source.name;
        term::out(&format!(
            "{}\n",
            msg!(
                "the config has {config_only} more finding(s) that do not bear on this payload: `bdpay-doctor check --config {name}` lists them",
                "配置本身还有 {config_only} 个与此报文无关的问题：`bdpay-doctor check --config {name}` 会列出"
            )
            .get(style.lang)
        ));
    }
    if let (Some(theirs), Some(p)) = (theirs, read.first()) {
        diagnose::their_string(p, &theirs, style);
    }
    if !errors.is_empty() {
        return Ok(2);
    }
    Ok(exit_code(&findings, g.fail_on))
}
