//! Every byte the tool prints leaves through here: human (miette graphical), JSON, SARIF 2.1.0
//! and GitHub workflow annotations, for findings and for the tool's own errors.

use std::fmt;

use miette::{
    Diagnostic, GraphicalReportHandler, GraphicalTheme, LabeledSpan, Severity as MSeverity,
    SourceCode,
};
use serde_json::{Value as J, json};

mod tools;

pub use tools::{key_inspection, key_match, signed, target_arg, verified};

use crate::error::ToolError;
use crate::finding::{Finding, Related, Severity, Summary};
use crate::message::{Lang, Msg};
use crate::payload::{KindSource, Payload};
use crate::registry;
use crate::source::{Span, Window};

/// Output formats of `--format`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Format {
    #[default]
    Human,
    Json,
    Sarif,
    Github,
    /// One JSON object per line: each finding, then `{"summary": ...}`.
    Ndjson,
}

/// How to print.
#[derive(Debug, Clone, Copy)]
pub struct Style {
    pub format: Format,
    pub color: bool,
    pub lang: Lang,
    pub width: usize,
    /// Print signatures in full in machine-readable output (`--show-secrets`).
    pub show_secrets: bool,
}

impl Style {
    /// A style without colour, 100 columns wide, signatures shortened in machine output.
    #[must_use]
    pub const fn plain(format: Format, lang: Lang) -> Self {
        Self {
            format,
            color: false,
            lang,
            width: 100,
            show_secrets: false,
        }
    }

    fn handler(&self) -> GraphicalReportHandler {
        let theme = if self.color {
            GraphicalTheme::unicode()
        } else {
            GraphicalTheme::unicode_nocolor()
        };
        GraphicalReportHandler::new_themed(theme)
            .with_width(self.width)
            .with_links(false)
    }
}

/// A finding as a miette diagnostic.
struct View<'a> {
    f: &'a Finding,
    lang: Lang,
    help: String,
    related: Vec<RelatedView<'a>>,
    /// The part of a long line the snippet shows, when a line is too long to show whole.
    window: Option<Window>,
}

impl<'a> View<'a> {
    fn new(f: &'a Finding, lang: Lang) -> Self {
        let faq = lang.pick("FAQ", "出处");
        Self {
            f,
            lang,
            help: format!("{}\n{faq}: {}", f.help(lang), f.rule.faq),
            related: f
                .diagnostic
                .related
                .iter()
                .map(|r| RelatedView(r, Window::around(&r.source, &[r.span]), lang))
                .collect(),
            window: Window::around(
                &f.diagnostic.source,
                &std::iter::once(f.diagnostic.span)
                    .chain(f.diagnostic.labels.iter().map(|(s, _)| *s))
                    .collect::<Vec<_>>(),
            ),
        }
    }
}

impl fmt::Debug for View<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.f.diagnostic.message.get(self.lang))
    }
}
impl fmt::Display for View<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.f.diagnostic.message.get(self.lang))
    }
}
impl std::error::Error for View<'_> {}

impl Diagnostic for View<'_> {
    fn code<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(format!(
            "{} {}",
            self.f.rule.code, self.f.rule.name
        )))
    }
    fn severity(&self) -> Option<MSeverity> {
        Some(match self.f.severity {
            Severity::Error => MSeverity::Error,
            Severity::Warning => MSeverity::Warning,
            Severity::Info => MSeverity::Advice,
        })
    }
    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(&self.help))
    }
    fn url<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        Some(Box::new(&self.f.rule.url))
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        match &self.window {
            Some(w) => Some(w),
            None => Some(self.f.diagnostic.source.as_ref()),
        }
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let r = &self.f.diagnostic;
        // In a window, spans are moved into it; labels outside it are left out.
        let place = |s: Span| match &self.window {
            Some(w) => w.map(s),
            None => Some(s),
        };
        let primary = LabeledSpan::new_primary_with_span(
            (!r.label.is_empty()).then(|| r.label.get(self.lang).to_owned()),
            place(r.span).unwrap_or_default(),
        );
        let others = r.labels.iter().filter_map(move |(s, l)| {
            Some(LabeledSpan::new_with_span(
                Some(l.get(self.lang).to_owned()),
                place(*s)?,
            ))
        });
        Some(Box::new(std::iter::once(primary).chain(others)))
    }
    fn related<'b>(&'b self) -> Option<Box<dyn Iterator<Item = &'b dyn Diagnostic> + 'b>> {
        if self.related.is_empty() {
            return None;
        }
        Some(Box::new(self.related.iter().map(|r| r as &dyn Diagnostic)))
    }
}

struct RelatedView<'a>(&'a Related, Option<Window>, Lang);

impl fmt::Debug for RelatedView<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0.message.get(self.2))
    }
}
impl fmt::Display for RelatedView<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0.message.get(self.2))
    }
}
impl std::error::Error for RelatedView<'_> {}
impl Diagnostic for RelatedView<'_> {
    fn severity(&self) -> Option<MSeverity> {
        Some(MSeverity::Advice)
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        match &self.1 {
            Some(w) => Some(w),
            None => Some(self.0.source.as_ref()),
        }
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let span = match &self.1 {
            Some(w) => w.map(self.0.span).unwrap_or_default(),
            None => self.0.span,
        };
        Some(Box::new(std::iter::once(
            LabeledSpan::new_primary_with_span(Some(self.0.label.get(self.2).to_owned()), span),
        )))
    }
}

/// One finding in miette's graphical form.
#[must_use]
pub fn human_finding(f: &Finding, style: &Style) -> String {
    let mut s = String::new();
    let _ = style
        .handler()
        .render_report(&mut s, &View::new(f, style.lang));
    s
}

/// One tool error in miette's graphical form.
#[must_use]
pub fn human_error(e: &ToolError, style: &Style) -> String {
    // Masked and shortened before miette wraps the lines (the output filter needs whole runs).
    let clean = |m: &Msg| {
        m.clone().map(|t| {
            let t = crate::redact::redact(&t).unwrap_or(t);
            crate::text::shorten(&t).unwrap_or(t)
        })
    };
    let mut masked = e.clone();
    masked.message = clean(&e.message);
    masked.help = e.help.as_deref().map(|h| Box::new(clean(h)));
    if let Some(s) = &mut masked.snippet {
        s.label = clean(&s.label);
    }
    let window = masked
        .snippet
        .as_ref()
        .and_then(|s| Window::around(&s.source, &[s.span]));
    let mut s = String::new();
    let _ = style.handler().render_report(
        &mut s,
        &ErrorView {
            e: &masked,
            lang: style.lang,
            window,
        },
    );
    s
}

/// A tool error as shown, in one language: its snippet cut to a window when its line is long.
struct ErrorView<'a> {
    e: &'a ToolError,
    lang: Lang,
    window: Option<Window>,
}

impl fmt::Debug for ErrorView<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.e.text(self.lang))
    }
}
impl fmt::Display for ErrorView<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.e.text(self.lang))
    }
}
impl std::error::Error for ErrorView<'_> {}
impl Diagnostic for ErrorView<'_> {
    fn help<'b>(&'b self) -> Option<Box<dyn fmt::Display + 'b>> {
        self.e
            .help
            .as_ref()
            .map(|h| Box::new(h.get(self.lang)) as Box<dyn fmt::Display>)
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        match (&self.window, &self.e.snippet) {
            (Some(w), _) => Some(w),
            (None, Some(s)) => Some(s.source.as_ref()),
            (None, None) => None,
        }
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        let s = self.e.snippet.as_ref()?;
        let span = match &self.window {
            Some(w) => w.map(s.span).unwrap_or_default(),
            None => s.span,
        };
        Some(Box::new(std::iter::once(
            LabeledSpan::new_primary_with_span(Some(s.label.get(self.lang).to_owned()), span),
        )))
    }
}

/// What was read, for the report header.
pub struct Inputs<'a> {
    pub payloads: &'a [Payload],
    pub config: Option<&'a str>,
    pub errors: &'a [ToolError],
    pub probes: &'a [crate::probe::Probe],
}

/// Renders a whole run.
#[must_use]
pub fn report(findings: &[Finding], inputs: &Inputs<'_>, style: &Style, verbose: bool) -> String {
    match style.format {
        Format::Human => human(findings, inputs, style, verbose),
        Format::Json => {
            let mut s = serde_json::to_string_pretty(&json_report(
                findings,
                inputs,
                style.lang,
                style.show_secrets,
            ))
            .unwrap_or_default();
            s.push('\n');
            s
        }
        Format::Sarif => {
            let mut s =
                serde_json::to_string_pretty(&sarif(findings, style.lang)).unwrap_or_default();
            s.push('\n');
            s
        }
        Format::Github => github(findings, inputs, style.lang),
        Format::Ndjson => {
            let mut s = String::new();
            for f in findings {
                s.push_str(&finding_json(f, style.lang).to_string());
                s.push('\n');
            }
            s.push_str(&json!({"summary": Summary::of(findings)}).to_string());
            s.push('\n');
            s
        }
    }
}

fn human(findings: &[Finding], inputs: &Inputs<'_>, style: &Style, verbose: bool) -> String {
    let mut s = String::new();
    let lang = style.lang;
    if verbose {
        for p in inputs.payloads {
            let how = match &p.kind_source {
                KindSource::Flag => {
                    lang.pick("given with --kind".to_owned(), "由 --kind 指定".to_owned())
                }
                KindSource::FileName => {
                    lang.pick("from the file name".to_owned(), "根据文件名".to_owned())
                }
                KindSource::Fields(f) => {
                    lang.pick(format!("from the fields: {f}"), format!("根据字段：{f}"))
                }
                KindSource::Guess(en, zh) => lang.pick(
                    format!("a guess: {en}; pass --kind to be sure"),
                    format!("推测：{zh}；可用 --kind 指定"),
                ),
            };
            s.push_str(&lang.pick(
                format!(
                    "{}: read {} as {} ({how})\n",
                    p.source.name,
                    p.form.describe().en,
                    p.kind.describe().en
                ),
                format!(
                    "{}：按{}读取，类型为{}（{how}）\n",
                    p.source.name,
                    p.form.describe().zh,
                    p.kind.describe().zh
                ),
            ));
        }
        if !inputs.payloads.is_empty() {
            s.push('\n');
        }
    }
    s.push_str(&human_probes(inputs.probes, lang));
    for e in inputs.errors {
        s.push_str(&human_error(e, style));
        s.push('\n');
    }
    for f in findings {
        s.push_str(&human_finding(f, style));
        s.push('\n');
    }
    let sum = Summary::of(findings);
    let files = inputs.payloads.len() + usize::from(inputs.config.is_some()) + inputs.probes.len();
    let line = if findings.is_empty() && inputs.errors.is_empty() {
        lang.pick(
            format!("✓ no problems found in {files} file{}\n", plural(files)),
            format!("✓ 检查了 {files} 个文件，未发现问题\n"),
        )
    } else {
        let mut parts = vec![
            lang.pick(
                format!("{} error{}", sum.errors, plural(sum.errors)),
                format!("{} 个错误", sum.errors),
            ),
            lang.pick(
                format!("{} warning{}", sum.warnings, plural(sum.warnings)),
                format!("{} 个警告", sum.warnings),
            ),
            lang.pick(
                format!("{} info", sum.infos),
                format!("{} 个提示", sum.infos),
            ),
        ];
        if !inputs.errors.is_empty() {
            let n = inputs.errors.len();
            parts.push(lang.pick(
                format!("{n} input{} not read", plural(n)),
                format!("{n} 个输入无法读取"),
            ));
        }
        lang.pick(
            format!("✗ {} in {files} file{}\n", parts.join(", "), plural(files)),
            format!("✗ {}（共 {files} 个文件）\n", parts.join("，")),
        )
    };
    s.push_str(&line);
    s
}

const fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn json_report(findings: &[Finding], inputs: &Inputs<'_>, lang: Lang, show_secrets: bool) -> J {
    let diags: Vec<J> = findings.iter().map(|f| finding_json(f, lang)).collect();
    let errors: Vec<J> = inputs.errors.iter().map(|e| error_json(e, lang)).collect();
    let read: Vec<J> = inputs
        .payloads
        .iter()
        .map(|p| json!({"file": p.source.name, "form": p.form.describe().get(lang), "kind": p.kind.as_str()}))
        .collect();
    json!({
        "version": 1,
        "diagnostics": diags,
        "errors": errors,
        "inputs": read,
        "probes": json_probes(inputs.probes, lang, show_secrets),
        "summary": Summary::of(findings),
    })
}

/// One finding as JSON (the `diagnostics` entries, and each line of ndjson).
#[must_use]
pub fn finding_json(f: &Finding, lang: Lang) -> J {
    let (line, column) = f.line_col();
    json!({
        "code": f.rule.code,
        "name": f.rule.name,
        "severity": f.severity.as_str(),
        "message": f.diagnostic.message.get(lang),
        "help": f.help(lang),
        "file": f.diagnostic.source.name,
        "line": line,
        "column": column,
        "span": {"offset": f.diagnostic.span.start, "length": f.diagnostic.span.len()},
        "url": f.rule.url,
        "faq": f.rule.faq,
    })
}

fn error_json(e: &ToolError, lang: Lang) -> J {
    let mut j = json!({
        "message": e.message.get(lang),
        "help": e.help.as_ref().map(|h| h.get(lang)),
    });
    if let Some(file) = &e.file {
        j["file"] = json!(file);
    }
    if let Some(line) = e.line {
        j["line"] = json!(line);
    }
    if let Some(column) = e.column {
        j["column"] = json!(column);
    }
    if let Some(s) = &e.snippet {
        j["span"] = json!({"offset": s.span.start, "length": s.span.len()});
    }
    j
}

/// A tool error alone (exit 2), in the chosen format.
#[must_use]
pub fn error(e: &ToolError, style: &Style) -> String {
    match style.format {
        Format::Human => human_error(e, style),
        Format::Github => {
            let mut loc = String::new();
            if let Some(f) = &e.file {
                loc.push_str(&format!(" file={}", prop(f)));
            }
            if let Some(l) = e.line {
                loc.push_str(&format!(",line={l}"));
            }
            if let Some(c) = e.column {
                loc.push_str(&format!(",col={c}"));
            }
            format!("::error{loc}::{}\n", data(e.message.get(style.lang)))
        }
        Format::Json | Format::Sarif | Format::Ndjson => {
            let mut s = serde_json::to_string_pretty(
                &json!({"version": 1, "error": error_json(e, style.lang)}),
            )
            .unwrap_or_default();
            s.push('\n');
            s
        }
    }
}

fn sarif(findings: &[Finding], lang: Lang) -> J {
    let rules = registry::all();
    let driver_rules: Vec<J> = rules
        .iter()
        .map(|r| {
            json!({
                "id": r.code,
                "name": r.name,
                "shortDescription": {"text": r.summary.get(lang)},
                "fullDescription": {"text": r.summary.get(lang)},
                "help": {"text": r.fix.get(lang), "markdown": r.doc.get(lang)},
                "helpUri": r.url,
                "defaultConfiguration": {"level": sarif_level(r.severity)},
                "properties": {"faq": r.faq},
            })
        })
        .collect();
    let results: Vec<J> = findings
        .iter()
        .map(|f| {
            let src = &f.diagnostic.source;
            let (sl, sc) = src.line_col(f.diagnostic.span.start);
            let (el, ec) = src.line_col(f.diagnostic.span.end);
            let index = rules.iter().position(|r| r.code == f.rule.code).unwrap_or(0);
            json!({
                "ruleId": f.rule.code,
                "ruleIndex": index,
                "level": sarif_level(f.severity),
                "message": {"text": format!("{} ({})", f.diagnostic.message.get(lang), f.help(lang))},
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": {"uri": sarif_uri(&src.name)},
                        "region": {
                            "startLine": sl, "startColumn": sc, "endLine": el, "endColumn": ec.max(sc + usize::from(el == sl)),
                            "charOffset": f.diagnostic.span.start, "charLength": f.diagnostic.span.len(),
                        }
                    }
                }],
            })
        })
        .collect();
    json!({
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "bdpay-doctor",
                "version": env!("CARGO_PKG_VERSION"),
                "informationUri": "https://smartprogram.baidu.com/docs/develop/function/payfaq/",
                "rules": driver_rules,
            }},
            "columnKind": "unicodeCodePoints",
            "results": results,
        }]
    })
}

const fn sarif_level(s: Severity) -> &'static str {
    match s {
        Severity::Error => "error",
        Severity::Warning => "warning",
        Severity::Info => "note",
    }
}

fn sarif_uri(name: &str) -> String {
    let n = name.strip_prefix("./").unwrap_or(name).replace('\\', "/");
    n.replace('%', "%25").replace(' ', "%20")
}

fn github(findings: &[Finding], inputs: &Inputs<'_>, lang: Lang) -> String {
    let mut s = String::new();
    for e in inputs.errors {
        s.push_str(&error(
            e,
            &Style {
                format: Format::Github,
                color: false,
                lang,
                width: 80,
                show_secrets: false,
            },
        ));
    }
    for f in findings {
        let (l, c) = f.line_col();
        let (el, ec) = f.diagnostic.source.line_col(f.diagnostic.span.end);
        let kind = match f.severity {
            Severity::Error => "error",
            Severity::Warning => "warning",
            Severity::Info => "notice",
        };
        s.push_str(&format!(
            "::{kind} file={},line={l},col={c},endLine={el},endColumn={ec},title={}::{}\n",
            prop(&f.diagnostic.source.name),
            prop(&format!("{} {}", f.rule.code, f.rule.name)),
            data(&format!(
                "{} ({})",
                f.diagnostic.message.get(lang),
                f.help(lang)
            )),
        ));
    }
    s
}

/// Escapes a workflow-command message.
fn data(s: &str) -> String {
    s.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a workflow-command property value.
fn prop(s: &str) -> String {
    data(s).replace(':', "%3A").replace(',', "%2C")
}

/// The probe section of the human report: per URL the request, a bar per run and the figures.
#[must_use]
pub fn human_probes(probes: &[crate::probe::Probe], lang: Lang) -> String {
    use crate::msg;
    use crate::probe::Phases;
    let mut s = String::new();
    for p in probes {
        let named = if p.target.name == p.target.url {
            String::new()
        } else {
            format!(" ({})", p.target.name)
        };
        s.push_str(&format!(
            "{} {}{named} [{}]\n",
            lang.pick("probe", "探测"),
            p.target.url,
            p.target.kind
        ));
        if !p.addresses.is_empty() {
            let list: Vec<String> = p.addresses.iter().map(ToString::to_string).collect();
            let list = list.join(", ");
            s.push_str(msg!("  addresses  {list}\n", "  地址  {list}\n").get(lang));
        }
        if let Some(c) = &p.cert {
            let (until, days) = (&c.not_after, c.days_left);
            s.push_str(
                msg!(
                    "  certificate valid until {until} ({days} days)\n",
                    "  证书有效期至 {until}（剩余 {days} 天）\n"
                )
                .get(lang),
            );
        }
        if !p.request.is_empty() {
            s.push_str(lang.pick("  request sent:\n", "  发送的请求：\n"));
            for line in p.request.split("\r\n") {
                s.push_str(&format!("    {line}\n"));
            }
        }
        // A bar per run: 40 columns for the 2 s limit, one character per phase. The run's name
        // is padded so that the bars start where the legend does.
        let scale = crate::probe::LIMIT.as_secs_f64() / 40.0;
        let marks = [
            ('r', "resolve"),
            ('c', "connect"),
            ('t', "tls"),
            ('█', "processing"),
            ('▒', "transfer"),
        ];
        let run_width = lang.pick(6, 8);
        for (i, r) in p.runs.iter().enumerate() {
            let mut bar = String::new();
            for (ch, name) in marks {
                if let Some(d) = r.phases.get(name) {
                    let n = (d.as_secs_f64() / scale).round() as usize;
                    bar.extend(std::iter::repeat_n(ch, n.min(80)));
                }
            }
            let figures: Vec<Msg> = Phases::NAMES
                .iter()
                .filter_map(|n| {
                    r.phases
                        .get(n)
                        .map(|d| msg!("{n} {d}", "{n} {d}"; n = Phases::label(n), d = fmt_ms(d)))
                })
                .collect();
            let figures = Msg::join(&figures, &Msg::same(" · "));
            let end = match (&r.status, &r.failure) {
                (_, Some(f)) => msg!("✗ {f}", "✗ {f}"; f = failure_text(f)),
                (Some(code), None) => Msg::same(format!("HTTP {code}")),
                (None, None) => Msg::default(),
            };
            let n = i + 1;
            let name = msg!("run {n}", "第 {n} 次");
            s.push_str(&format!(
                "  {} {:<40}│ {} = {}  {}\n",
                pad_end(name.get(lang), run_width),
                bar,
                figures.get(lang),
                fmt_ms(r.phases.total()).get(lang),
                end.get(lang)
            ));
        }
        s.push_str(&" ".repeat(run_width + 3));
        s.push_str(lang.pick(
            "r resolve  c connect  t tls  █ processing  ▒ transfer   │ = 2 s limit\n",
            "r 域名解析  c 建立连接  t TLS 握手  █ 服务端处理  ▒ 应答传输   │ = 2 秒上限\n",
        ));
        let rows: Vec<(Msg, [std::time::Duration; 4])> = Phases::NAMES
            .iter()
            .filter_map(|n| p.stats(n).map(|st| (Phases::label(n), st)))
            .chain(p.total_stats().map(|st| (Phases::label("total"), st)))
            .collect();
        if !rows.is_empty() {
            let head = [
                msg!("phase", "阶段"),
                msg!("min", "最小"),
                msg!("median", "中位数"),
                msg!("p95", "P95"),
                msg!("max", "最大"),
            ];
            let head: Vec<&str> = head.iter().map(|h| h.get(lang)).collect();
            s.push_str(&stats_row(head[0], [head[1], head[2], head[3], head[4]]));
            for (n, st) in rows {
                let cells = st.map(|d| fmt_ms(d).get(lang).to_owned());
                s.push_str(&stats_row(
                    n.get(lang),
                    [&cells[0], &cells[1], &cells[2], &cells[3]],
                ));
            }
        }
        if let Some(a) = &p.answer {
            let body: String = a.source.text.chars().take(200).collect();
            s.push_str(&format!("  {} {body}\n", lang.pick("answer:", "应答：")));
        }
        s.push('\n');
    }
    if !probes.is_empty() {
        s.push_str(lang.pick(
            "note: probed from this machine; the platform calls from the internet, so a URL that works here must also be reachable from outside\n\n",
            "注意：以上探测从本机发起；平台从公网回调，本机可达不代表公网可达\n\n",
        ));
    }
    s
}

/// A line of the figures table: the name in 11 columns, each figure right-aligned in 10.
fn stats_row(name: &str, cells: [&str; 4]) -> String {
    let mut line = format!("  {}", pad_end(name, 11));
    for c in cells {
        line.push_str(&pad_start(c, 10));
    }
    line.push('\n');
    line
}

/// Columns a text takes in a terminal: East Asian wide characters (CJK, full-width forms)
/// take two.
fn columns(text: &str) -> usize {
    text.chars()
        .map(|c| {
            let wide = matches!(c as u32,
                0x1100..=0x115F
                | 0x2E80..=0x303E
                | 0x3041..=0x33FF
                | 0x3400..=0x4DBF
                | 0x4E00..=0x9FFF
                | 0xA000..=0xA4CF
                | 0xAC00..=0xD7A3
                | 0xF900..=0xFAFF
                | 0xFE30..=0xFE4F
                | 0xFF00..=0xFF60
                | 0xFFE0..=0xFFE6);
            1 + usize::from(wide)
        })
        .sum()
}

/// The text followed by spaces to fill `width` columns.
fn pad_end(text: &str, width: usize) -> String {
    format!("{text}{}", " ".repeat(width.saturating_sub(columns(text))))
}

/// The text after spaces filling `width` columns.
fn pad_start(text: &str, width: usize) -> String {
    format!("{}{text}", " ".repeat(width.saturating_sub(columns(text))))
}

fn fmt_ms(d: std::time::Duration) -> Msg {
    use crate::msg;
    let ms = d.as_secs_f64() * 1e3;
    if ms < 10.0 {
        msg!("{ms:.1} ms", "{ms:.1} 毫秒")
    } else {
        msg!("{ms:.0} ms", "{ms:.0} 毫秒")
    }
}

/// Why a run got no answer, for people. Phases are named by [`crate::probe::Phases::label`].
fn failure_text(f: &crate::probe::Failure) -> Msg {
    use crate::msg;
    use crate::probe::{Failure, Phases, describe_private};
    match f {
        Failure::Dns(w) | Failure::Connect(w) | Failure::BadHttp(w) | Failure::Tls(_, w) => {
            w.clone()
        }
        Failure::Private(list) => {
            let l: Vec<Msg> = list
                .iter()
                .map(|(ip, r)| describe_private(*ip, *r))
                .collect();
            msg!(
                "resolves to {l}: not connected",
                "解析到 {l}：未建立连接";
                l = Msg::join(&l, &msg!(", ", "、"))
            )
        }
        Failure::Timeout(phase) => msg!(
            "no answer within the timeout ({phase})",
            "超时仍未收到应答（卡在{phase}阶段）";
            phase = Phases::label(phase)
        ),
        Failure::Closed(phase) => msg!(
            "connection closed without an answer ({phase})",
            "连接在{phase}阶段被关闭，没有收到应答";
            phase = Phases::label(phase)
        ),
    }
}

/// The probes in JSON: every figure in milliseconds, phases by their stable English names,
/// failures in `lang`.
#[must_use]
pub fn json_probes(probes: &[crate::probe::Probe], lang: Lang, show_secrets: bool) -> J {
    use crate::probe::Phases;
    let ms = |d: Option<std::time::Duration>| d.map(|d| d.as_secs_f64() * 1e3);
    J::Array(
        probes
            .iter()
            .map(|p| {
                let mut stats = serde_json::Map::new();
                for n in Phases::NAMES {
                    if let Some(st) = p.stats(n) {
                        stats.insert(n.into(), json!({"min": ms(Some(st[0])), "median": ms(Some(st[1])), "p95": ms(Some(st[2])), "max": ms(Some(st[3]))}));
                    }
                }
                if let Some(st) = p.total_stats() {
                    stats.insert("total".into(), json!({"min": ms(Some(st[0])), "median": ms(Some(st[1])), "p95": ms(Some(st[2])), "max": ms(Some(st[3]))}));
                }
                json!({
                    "name": p.target.name,
                    "url": p.target.url,
                    "kind": p.target.kind.as_str(),
                    "request": if show_secrets { p.request.clone() } else { shorten_signature(&p.request) },
                    "addresses": p.addresses.iter().map(ToString::to_string).collect::<Vec<_>>(),
                    "certificate": p.cert.as_ref().map(|c| json!({"not_after": c.not_after, "days_left": c.days_left})),
                    "runs": p.runs.iter().map(|r| json!({
                        "phases_ms": {
                            "resolve": ms(r.phases.resolve), "connect": ms(r.phases.connect), "tls": ms(r.phases.tls),
                            "processing": ms(r.phases.processing), "transfer": ms(r.phases.transfer),
                        },
                        "total_ms": ms(Some(r.phases.total())),
                        "status": r.status,
                        "failure": r.failure.as_ref().map(|f| failure_text(f).get(lang).to_owned()),
                    })).collect::<Vec<_>>(),
                    "stats_ms": stats,
                    "answer": p.answer.as_ref().map(|a| a.source.text.clone()),
                    "accepted_forged": p.accepted_forged,
                })
            })
            .collect(),
    )
}

/// `rsaSign=` and `sign=` values cut to their ends (`abcd…wxyz`), for machine-readable output
/// that may be stored or shared; `--show-secrets` keeps them whole.
#[must_use]
pub fn shorten_signature(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest
        .find("rsaSign=")
        .or_else(|| rest.find("&sign=").map(|j| j + 1))
    {
        let key_len = if rest[i..].starts_with("rsaSign=") {
            8
        } else {
            5
        };
        let start = i + key_len;
        let end = rest[start..]
            .find(['&', '\r', '\n', ' '])
            .map_or(rest.len(), |j| start + j);
        let value = &rest[start..end];
        out.push_str(&rest[..start]);
        if value.chars().count() > 16 {
            let head: String = value.chars().take(8).collect();
            let tail: String = value
                .chars()
                .rev()
                .take(4)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            out.push_str(&format!("{head}…{tail}"));
        } else {
            out.push_str(value);
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::shorten_signature;

    #[test]
    fn signatures_are_cut_to_their_ends() {
        let sig = "A".repeat(100) + "wxyz";
        let t = format!("POST / HTTP/1.1\r\n\r\norderId=1&rsaSign={sig}&x=1");
        assert_eq!(
            shorten_signature(&t),
            "POST / HTTP/1.1\r\n\r\norderId=1&rsaSign=AAAAAAAA…wxyz&x=1"
        );
        assert_eq!(shorten_signature("a=1&sign=short"), "a=1&sign=short");
    }
}
