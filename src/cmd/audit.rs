//! `audit`: streams the lines of callback logs through one engine on every core, and prints the
//! findings (kept up to a limit, or streamed as NDJSON) and the summary table.

use std::io::Write as _;

use bdpay_core::audit::Outcome;
use bdpay_core::error::ToolError;
use bdpay_core::finding::{Finding, Severity, Summary};
use bdpay_core::message::Lang;
use bdpay_core::render::{self, Format, Inputs, Style};
use bdpay_core::{msg, redact, rules};

use super::{floor, load_config, read_key_arg, settings};
use crate::cli::{AuditArgs, Global};
use crate::term;

pub fn audit(a: &AuditArgs, g: &Global, style: &Style) -> Result<u8, ToolError> {
    let (_, config) = load_config(a.config.as_ref(), false, g.max_size)?;
    let mut settings = settings(&a.rules)?;
    settings.key = a
        .key
        .as_deref()
        .map(|k| read_key_arg(k, g.max_size))
        .transpose()?;
    settings.orders = a
        .orders
        .as_deref()
        .map(|o| crate::input::load_orders(o, g.max_size).map(std::sync::Arc::new))
        .transpose()?;
    let engine = rules::Engine::new(config.as_ref(), &settings);
    let jobs = a
        .jobs
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, usize::from));
    let mut out = Sink {
        kept: Vec::new(),
        max: a.max_findings,
        counts: Summary::default(),
        fail: false,
        floor: floor(g.fail_on),
        ndjson: (style.format == Format::Ndjson).then(term::stream),
        lang: style.lang,
        progress: term::stderr_is_terminal(),
        last: std::time::Instant::now(),
    };
    let started = std::time::Instant::now();
    let stats = crate::audit::run(&a.files, &engine, jobs, &mut out)?;
    let elapsed = started.elapsed();
    if out.progress {
        term::err("\r\x1b[K");
    }
    let outcome = Outcome {
        stats: &stats,
        counts: out.counts,
        shown: out.kept.len(),
        elapsed,
        jobs,
    };
    let total = out.counts.errors + out.counts.warnings + out.counts.infos;
    if let Some(mut w) = out.ndjson.take() {
        let line = serde_json::json!({"summary": out.counts, "audit": outcome.json(style.lang)})
            .to_string();
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
                s.push_str(&outcome.human(style.lang));
                if total > out.kept.len() {
                    s.push_str(
                        msg!(
                            "  (--max-findings shows more; --format ndjson streams them all)\n",
                            "  （用 --max-findings 显示更多；--format ndjson 可输出全部）\n"
                        )
                        .get(style.lang),
                    );
                }
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
                    "audit": outcome.json(style.lang),
                }))
                .unwrap_or_default();
                s.push('\n');
                term::out(&s);
            }
            _ => {
                let inputs = Inputs {
                    payloads: &[],
                    signatures: &[],
                    config: None,
                    errors: &[],
                    probes: &[],
                    scanned: 0,
                };
                term::out(&render::report(&out.kept, &inputs, style, false));
            }
        }
    }
    Ok(u8::from(out.fail))
}

/// Where `audit` puts findings: streamed as ndjson, or kept up to a limit and counted.
struct Sink {
    kept: Vec<Finding>,
    max: usize,
    counts: Summary,
    fail: bool,
    floor: Option<Severity>,
    ndjson: Option<std::io::BufWriter<std::io::StdoutLock<'static>>>,
    lang: Lang,
    progress: bool,
    last: std::time::Instant,
}

impl crate::audit::Output for Sink {
    fn finding(&mut self, f: Finding) {
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
            term::err(&format!(
                "\r{}",
                msg!("audited {lines} lines…", "已审计 {lines} 行…").get(self.lang)
            ));
        }
    }
}
