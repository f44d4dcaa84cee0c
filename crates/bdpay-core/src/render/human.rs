//! Human text: findings and tool errors in miette's graphical form, with the header that says
//! how each input was read and the summary line.

use std::fmt;

use miette::{Diagnostic, LabeledSpan, Severity as MSeverity, SourceCode};

use super::{Inputs, Style, human_probes};
use crate::error::ToolError;
use crate::finding::{Finding, Related, Severity, Summary};
use crate::message::{Lang, Msg};
use crate::msg;
use crate::source::{Span, Window};

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

pub(super) fn human(
    findings: &[Finding],
    inputs: &Inputs<'_>,
    style: &Style,
    verbose: bool,
) -> String {
    let mut s = String::new();
    let lang = style.lang;
    let mut header = false;
    for (i, p) in inputs.payloads.iter().enumerate() {
        let name = &p.source.name;
        if verbose {
            let line = msg!(
                "{name}: read {form} as {kind} ({how})\n",
                "{name}：按{form}读取，类型为{kind}（{how}）\n";
                form = p.describe_form(), kind = p.kind.describe(), how = p.kind_source.describe()
            );
            s.push_str(line.get(lang));
            header = true;
        }
        // Every signed payload says what became of its signature, checked or not.
        match inputs.signatures.get(i) {
            Some(crate::rules::Signature::None) | None => {}
            Some(sig) => {
                let lead = if verbose {
                    "  ".to_owned()
                } else {
                    format!("{name}: ")
                };
                s.push_str(&lead);
                s.push_str(sig.describe().get(lang));
                s.push('\n');
                header = true;
            }
        }
    }
    if header {
        s.push('\n');
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
    let files = inputs.payloads.len()
        + usize::from(inputs.config.is_some())
        + inputs.probes.len()
        + inputs.scanned
        + inputs.errors.len();
    let mark = if inputs.errors.is_empty() {
        sum.mark()
    } else {
        "✗"
    };
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
            format!(
                "{mark} {} in {files} file{}\n",
                parts.join(", "),
                plural(files)
            ),
            format!("{mark} {}（共 {files} 个文件）\n", parts.join("，")),
        )
    };
    s.push_str(&line);
    s
}

const fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}
