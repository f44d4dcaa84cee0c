//! bdpay-doctor: a linter and diagnostics tool for Baidu Smart Program cashier (百度收银台)
//! integrations. `main_with_args` is the whole program; the modules are its parts.

pub mod audit;
pub mod cli;
pub mod commands;
pub mod input;
pub mod probe;
pub mod term;
mod walk;

use std::collections::BTreeMap;
use std::io::Write as _;
use std::process::ExitCode;

use clap::Parser as _;

use bdpay_core::config::Config;
use bdpay_core::error::ToolError;
use bdpay_core::finding::{self, Finding, Level, Severity};
use bdpay_core::registry::{self, Lang};
use bdpay_core::render::{self, Format, Inputs, Style};
use bdpay_core::{STARTER_CONFIG, audit as core_audit, explain, payload, redact, rules, sign};
use cli::{Cli, Command, FailOn, RuleSelection};

/// Runs the program with these arguments and returns its exit code.
pub fn main_with_args<I, T>(args: I) -> ExitCode
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let cli = match Cli::try_parse_from(args) {
        Ok(c) => c,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return ExitCode::from(code);
        }
    };
    let style = Style {
        format: cli.global.format.into(),
        color: !cli.global.no_color
            && std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
            && term::stdout_is_terminal(),
        lang: cli.global.lang(),
        width: terminal_width(),
        show_secrets: cli.global.show_secrets,
    };
    match run(&cli, &style) {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            let s = render::error(&e, &style);
            if style.format == Format::Human {
                term::err(&s);
            } else {
                term::out(&s);
            }
            ExitCode::from(2)
        }
    }
}

fn terminal_width() -> usize {
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(100)
        .clamp(60, 200)
}

fn run(cli: &Cli, style: &Style) -> Result<u8, ToolError> {
    let g = &cli.global;
    match &cli.command {
        Command::Rules => {
            term::out(&explain::catalogue(style.lang, style.format));
            Ok(0)
        }
        Command::Explain { query } => {
            term::out(&explain::explain(query, style.lang, style.format)?);
            Ok(0)
        }
        Command::Init { path, force } => init(path, *force),
        Command::Keys(k) => commands::keys(k, style, g.max_size),
        Command::Sign(a) => commands::sign_cmd(a, style, g.max_size),
        Command::Verify(a) => commands::verify_cmd(a, style, g.max_size),
        Command::Check(a) => {
            let (config_path, config) = load_config(a.config.as_ref(), true, g.max_size)?;
            let files = walk::payload_files(&a.paths, config_path.as_deref())?;
            if config.is_none() && files.is_empty() {
                return Err(ToolError::new("nothing to check: no config and no payload files")
                    .help("pass --config bdpay.toml and/or payload paths; `bdpay-doctor init` writes a starter config"));
            }
            let key = a
                .key
                .as_deref()
                .map(|k| read_key_arg(k, g.max_size))
                .transpose()?;
            let probes = if a.probe {
                let Some(c) = config.as_ref() else {
                    return Err(ToolError::new("--probe needs a config with [callbacks]"));
                };
                let opts = probe::command::options(&a.probe_options, g.max_size)?;
                probe::command::run_probes(probe::command::config_targets(c), &opts)
            } else {
                Vec::new()
            };
            lint_and_report(
                Job {
                    config: config.as_ref(),
                    files: &files,
                    kind: a.kind.map(Into::into),
                    rules: &a.rules,
                    key,
                    diagnose: None,
                    probes: &probes,
                },
                g,
                style,
            )
        }
        Command::Probe(a) => {
            let (_, config) = load_config(a.config.as_ref(), a.urls.is_empty(), g.max_size)?;
            let targets = if a.urls.is_empty() {
                config
                    .as_ref()
                    .map(probe::command::config_targets)
                    .unwrap_or_default()
            } else {
                probe::command::url_targets(&a.urls, a.kind)
            };
            if targets.is_empty() {
                return Err(ToolError::new(
                    "nothing to probe: no URL given and no [callbacks] in a config",
                )
                .help("pass URLs, or --config bdpay.toml with [callbacks]"));
            }
            let opts = probe::command::options(&a.probe, g.max_size)?;
            let probes = probe::command::run_probes(targets, &opts);
            report_probes(config.as_ref(), &a.rules, g, style, &probes)
        }
        Command::Simulate(a) => simulate(a, g, style),
        Command::Audit(a) => audit_cmd(a, g, style),
        Command::Diagnose(a) => {
            let (_, config) = load_config(a.config.as_ref(), false, g.max_size)?;
            let files = vec![a.file.clone()];
            let key = a
                .key
                .as_deref()
                .map(|k| read_key_arg(k, g.max_size))
                .transpose()?;
            let theirs = a
                .their_string
                .as_deref()
                .map(|t| match t.strip_prefix('@') {
                    Some(path) => input::read_text(path, g.max_size)
                        .map(|s| s.text.trim_end_matches(['\r', '\n']).to_owned()),
                    None => Ok(t.to_owned()),
                })
                .transpose()?;
            lint_and_report(
                Job {
                    config: config.as_ref(),
                    files: &files,
                    kind: a.kind.map(Into::into),
                    rules: &a.rules,
                    key,
                    diagnose: Some(Diagnose { theirs }),
                    probes: &[],
                },
                g,
                style,
            )
        }
    }
}

/// `probe` and `simulate` run the probe and answer rules unless told otherwise.
fn probe_selection(sel: &RuleSelection) -> RuleSelection {
    let mut out = RuleSelection {
        deny: sel.deny.clone(),
        warn: sel.warn.clone(),
        allow: sel.allow.clone(),
        select: sel.select.clone(),
    };
    if out.select.is_empty() {
        out.select = registry::all()
            .iter()
            .filter(|r| r.code.starts_with("PRB") || r.code.starts_with("RSP"))
            .map(|r| r.code.clone())
            .collect();
    }
    out
}

/// `simulate`: a validly signed callback, sent twice.
fn simulate(a: &cli::SimulateArgs, g: &cli::Global, style: &Style) -> Result<u8, ToolError> {
    let (_, config) = load_config(a.config.as_ref(), false, g.max_size)?;
    let key = commands::load_key(&a.platform_key, g.max_size)?;
    let Some(private) = &key.private else {
        return Err(ToolError::new(format!(
            "{}: --platform-key must be the test platform's private key (`keys gen` makes one)",
            a.platform_key
        )));
    };
    let kind = a.callback.kind();
    let url = match (&a.url, &config) {
        (Some(u), _) => u.clone(),
        (None, Some(c)) => probe::command::config_targets(c)
            .into_iter()
            .find(|t| t.kind == kind)
            .map(|t| t.url)
            .ok_or_else(|| {
                ToolError::new("no --url, and the config has no callback URL of that kind")
            })?,
        (None, None) => return Err(ToolError::new("pass --url, or --config with [callbacks]")),
    };
    let mut fields = probe::command::simulated_fields(a, config.as_ref(), g.max_size)?;
    probe::command::sign_fields(&mut fields, private)?;
    let body = bdpay_core::probe::form_body(&fields);
    if a.dry_run {
        let parsed = url::Url::parse(&url).map_err(|e| ToolError::new(format!("{url}: {e}")))?;
        term::out(&format!(
            "{}\n\n# the same with curl:\n{}",
            bdpay_core::probe::request_text(&parsed, &body),
            probe::command::curl(&url, &body)
        ));
        return Ok(0);
    }
    let mut opts = probe::command::options(&a.probe, g.max_size)?;
    opts.runs = 2;
    let target = probe::command::url_targets(std::slice::from_ref(&url), a.callback)
        .pop()
        .ok_or_else(|| ToolError::new("no target"))?;
    let probes = vec![probe::send(target, &body, &opts, true)];
    report_probes(config.as_ref(), &a.rules, g, style, &probes)
}

/// `audit`: streams the lines through one engine on every core.
fn audit_cmd(a: &cli::AuditArgs, g: &cli::Global, style: &Style) -> Result<u8, ToolError> {
    let (_, config) = load_config(a.config.as_ref(), false, g.max_size)?;
    let mut settings = settings(&a.rules, style.lang)?;
    settings.key = a
        .key
        .as_deref()
        .map(|k| read_key_arg(k, g.max_size))
        .transpose()?;
    settings.orders = a
        .orders
        .as_deref()
        .map(|o| input::load_orders(o, g.max_size).map(std::sync::Arc::new))
        .transpose()?;
    let engine = rules::Engine::new(config.as_ref(), &settings);
    let jobs = a
        .jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, usize::from));
    let floor = match g.fail_on {
        FailOn::Error => Some(Severity::Error),
        FailOn::Warning => Some(Severity::Warning),
        FailOn::Info => Some(Severity::Info),
        FailOn::Never => None,
    };
    let mut out = AuditOut {
        kept: Vec::new(),
        max: a.max_findings,
        counts: finding::Summary::default(),
        fail: false,
        floor,
        ndjson: (style.format == Format::Ndjson).then(term::stream),
        lang: style.lang,
        progress: term::stderr_is_terminal(),
        last: std::time::Instant::now(),
    };
    let started = std::time::Instant::now();
    let stats = audit::run(&a.files, &engine, jobs, &mut out)?;
    let elapsed = started.elapsed();
    if out.progress {
        term::err("\r\x1b[K");
    }
    let report = core_audit::Outcome {
        stats: &stats,
        counts: out.counts,
        shown: out.kept.len(),
        elapsed,
        jobs,
    };
    if let Some(mut w) = out.ndjson.take() {
        let line = serde_json::json!({"summary": out.counts, "audit": report.json()}).to_string();
        let _ = writeln!(w, "{}", redact::redact(&line).unwrap_or(line));
        let _ = w.flush();
    } else {
        match style.format {
            Format::Human => {
                let mut s = String::new();
                for f in &out.kept {
                    s.push_str(&render::human_finding(f, style));
                    s.push('\n');
                }
                s.push_str(&report.human(style.lang));
                term::out(&s);
            }
            Format::Json => {
                let diags: Vec<serde_json::Value> = out
                    .kept
                    .iter()
                    .map(|f| render::finding_json(f, style.lang))
                    .collect();
                let mut s = serde_json::to_string_pretty(&serde_json::json!({
                    "version": 1,
                    "diagnostics": diags,
                    "summary": out.counts,
                    "audit": report.json(),
                }))
                .unwrap_or_default();
                s.push('\n');
                term::out(&s);
            }
            _ => {
                let inputs = Inputs {
                    payloads: &[],
                    config: None,
                    errors: &[],
                    probes: &[],
                };
                term::out(&render::report(&out.kept, &inputs, style, false));
            }
        }
    }
    Ok(u8::from(out.fail))
}

/// Where `audit` puts findings: streamed as ndjson, or kept up to a limit and counted.
struct AuditOut {
    kept: Vec<finding::Finding>,
    max: usize,
    counts: finding::Summary,
    fail: bool,
    floor: Option<Severity>,
    ndjson: Option<std::io::BufWriter<std::io::StdoutLock<'static>>>,
    lang: Lang,
    progress: bool,
    last: std::time::Instant,
}
impl audit::Output for AuditOut {
    fn finding(&mut self, f: finding::Finding) {
        match f.severity {
            Severity::Error => self.counts.errors += 1,
            Severity::Warning => self.counts.warnings += 1,
            Severity::Info => self.counts.infos += 1,
        }
        if self.floor.is_some_and(|fl| f.severity >= fl) {
            self.fail = true;
        }
        if let Some(w) = &mut self.ndjson {
            let line = render::finding_json(&f, self.lang).to_string();
            let _ = writeln!(w, "{}", redact::redact(&line).unwrap_or(line));
        } else if self.kept.len() < self.max {
            self.kept.push(f);
        }
    }
    fn progress(&mut self, lines: u64) {
        if self.progress && self.last.elapsed() > std::time::Duration::from_millis(250) {
            self.last = std::time::Instant::now();
            term::err(&format!("\raudited {lines} lines…"));
        }
    }
}

/// What `diagnose` adds to a lint run.
struct Diagnose {
    /// `--their-string`, read.
    theirs: Option<String>,
}

/// The config of `--config`, else (when `default` allows) `./bdpay.toml` if it exists; with the
/// path it was read from.
fn load_config(
    given: Option<&std::path::PathBuf>,
    default: bool,
    max: u64,
) -> Result<(Option<String>, Option<Config>), ToolError> {
    let path = given.map(|p| p.to_string_lossy().into_owned()).or_else(|| {
        (default && std::path::Path::new(bdpay_core::config::DEFAULT_NAME).is_file())
            .then(|| bdpay_core::config::DEFAULT_NAME.to_owned())
    });
    let config = path
        .as_deref()
        .map(|p| input::load_config(p, max))
        .transpose()?;
    Ok((path, config))
}

/// Lints and prints the results of probes (`probe`, `simulate`).
fn report_probes(
    config: Option<&Config>,
    sel: &RuleSelection,
    g: &cli::Global,
    style: &Style,
    probes: &[bdpay_core::probe::Probe],
) -> Result<u8, ToolError> {
    lint_and_report(
        Job {
            config,
            files: &[],
            kind: None,
            rules: &probe_selection(sel),
            key: None,
            diagnose: None,
            probes,
        },
        g,
        style,
    )
}

/// Reads a `--key FILE` argument, checking it is a key.
fn read_key_arg(path: &str, max: u64) -> Result<(String, Vec<u8>), ToolError> {
    commands::load_key(path, max)?;
    Ok((path.to_owned(), commands::read_bytes(path, max)?))
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
    /// Set for `diagnose`: one payload, whose failure to read is the run's error.
    diagnose: Option<Diagnose>,
    probes: &'a [bdpay_core::probe::Probe],
}

/// Lints the config and payload files (and the probes' answers) and prints the report.
fn lint_and_report(job: Job<'_>, g: &cli::Global, style: &Style) -> Result<u8, ToolError> {
    let Job {
        config,
        files,
        kind,
        rules: sel,
        key,
        diagnose,
        probes,
    } = job;
    let mut settings = settings(sel, style.lang)?;
    settings.key = key;
    let single = diagnose.is_some();
    let theirs = diagnose.and_then(|d| d.theirs);
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
    let answers = probe::command::answers(probes);
    let n_answers = answers.len();
    let all: Vec<payload::Payload> = payloads.into_iter().chain(answers).collect();
    let mut findings = rules::lint_run(config, &all, probes, &settings);
    probe::command::filter_rejections(&mut findings, probes);
    let inputs = Inputs {
        payloads: &all[..all.len() - n_answers],
        config: config.map(|c| c.source.name.as_str()),
        errors: &errors,
        probes,
    };
    term::out(&render::report(&findings, &inputs, style, single));
    if let (Some(theirs), Some(p)) = (theirs, all.first()) {
        term::out(&their_string(p, &theirs, style));
    }
    if !errors.is_empty() {
        return Ok(2);
    }
    Ok(exit_code(&findings, g.fail_on))
}

/// `--their-string`: the merchant's own canonical string against the right one.
fn their_string(p: &payload::Payload, theirs: &str, style: &Style) -> String {
    let Some(plan) = sign::plan(p) else {
        return style.lang.pick(
            "--their-string: this payload carries no signature\n".to_owned(),
            "--their-string：此报文没有签名\n".to_owned(),
        );
    };
    let expected = plan.canonical();
    let query: Vec<&str> = p.query.iter().map(|m| m.key.as_str()).collect();
    let diffs = sign::differences_in(theirs, &expected, &query);
    if matches!(style.format, Format::Json | Format::Sarif | Format::Ndjson) {
        return format!(
            "{}\n",
            serde_json::json!({"their_string": theirs, "canonical": expected, "same": theirs == expected, "differences": diffs})
        );
    }
    if theirs == expected {
        return style.lang.pick(
            format!(
                "✓ your string is the canonical string: {}\n",
                sign::visible(&expected)
            ),
            format!(
                "✓ 你的签名串与标准签名串一致：{}\n",
                sign::visible(&expected)
            ),
        );
    }
    let mut s = style.lang.pick(
        format!(
            "✗ your string differs from the canonical string\n  yours:     {}\n  canonical: {}\n",
            sign::visible(theirs),
            sign::visible(&expected)
        ),
        format!(
            "✗ 你的签名串与标准签名串不同\n  你的：{}\n  标准：{}\n",
            sign::visible(theirs),
            sign::visible(&expected)
        ),
    );
    for d in diffs {
        s.push_str(&format!("  - {d}\n"));
    }
    s
}

/// 1 when a finding is at or above the fail level, else 0.
#[must_use]
pub fn exit_code(findings: &[Finding], fail_on: FailOn) -> u8 {
    let floor = match fail_on {
        FailOn::Error => Severity::Error,
        FailOn::Warning => Severity::Warning,
        FailOn::Info => Severity::Info,
        FailOn::Never => return 0,
    };
    u8::from(findings.iter().any(|f| f.severity >= floor))
}

fn settings(sel: &RuleSelection, lang: Lang) -> Result<rules::Settings, ToolError> {
    let resolve = |q: &str| {
        registry::find(q).map(|r| r.code.as_str()).ok_or_else(|| {
            let e = ToolError::new(format!("unknown rule `{q}`"));
            match registry::nearest(q) {
                Some(n) => e.help(format!("did you mean `{n}`?")),
                None => e.help("`bdpay-doctor rules` lists every rule"),
            }
        })
    };
    let mut levels = BTreeMap::new();
    for (list, level) in [
        (&sel.deny, Level::Error),
        (&sel.warn, Level::Warning),
        (&sel.allow, Level::Off),
    ] {
        for q in list {
            levels.insert(resolve(q)?, level);
        }
    }
    let only = if sel.select.is_empty() {
        None
    } else {
        Some(
            sel.select
                .iter()
                .map(|q| resolve(q).map(str::to_owned))
                .collect::<Result<Vec<_>, _>>()?,
        )
    };
    Ok(rules::Settings {
        lang,
        only,
        levels,
        key: None,
        orders: None,
    })
}

fn init(path: &str, force: bool) -> Result<u8, ToolError> {
    if path == "-" {
        term::out(STARTER_CONFIG);
        return Ok(0);
    }
    let p = std::path::Path::new(path);
    if p.exists() && !force {
        return Err(ToolError::new(format!("{path} already exists"))
            .help("pass --force to overwrite it, or `init -` to print the starter config"));
    }
    std::fs::write(p, STARTER_CONFIG)
        .map_err(|e| ToolError::new(format!("{path}: cannot write: {e}")))?;
    term::err(&format!(
        "wrote {path}: fill in [merchant], [keys] and [callbacks], then run `bdpay-doctor check`\n"
    ));
    Ok(0)
}
