//! Findings: what a rule reported, stamped by the engine with the rule's identity and the
//! configured severity.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::message::{Lang, Msg};
use crate::registry::RuleMeta;
use crate::source::{SourceFile, Span};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Info,
    Warning,
    Error,
}

impl Severity {
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Self::Info => "info",
            Self::Warning => "warning",
            Self::Error => "error",
        }
    }
}

/// A severity as configured: a level, or off.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, schemars::JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Error,
    Warning,
    Info,
    Off,
}

impl Level {
    #[must_use]
    pub const fn severity(self) -> Option<Severity> {
        match self {
            Self::Error => Some(Severity::Error),
            Self::Warning => Some(Severity::Warning),
            Self::Info => Some(Severity::Info),
            Self::Off => None,
        }
    }
}

/// A place in another file that explains the finding, such as the config entry a payload value
/// disagrees with.
#[derive(Debug, Clone)]
pub struct Related {
    pub source: Arc<SourceFile>,
    pub span: Span,
    pub label: Msg,
    pub message: Msg,
}

/// What a rule reports: the fault and where. The engine adds who and how severe.
#[derive(Debug, Clone)]
pub struct Diagnostic {
    pub source: Arc<SourceFile>,
    pub span: Span,
    pub message: Msg,
    pub label: Msg,
    /// Advice specific to this occurrence; the rule's `fix` is used when absent.
    pub help: Option<Msg>,
    /// Secondary labels in the same file.
    pub labels: Vec<(Span, Msg)>,
    pub related: Vec<Related>,
}

impl Diagnostic {
    #[must_use]
    pub fn new(source: &Arc<SourceFile>, span: Span, message: Msg) -> Self {
        Self {
            source: Arc::clone(source),
            span,
            message,
            label: Msg::default(),
            help: None,
            labels: Vec::new(),
            related: Vec::new(),
        }
    }

    #[must_use]
    pub fn label(mut self, label: Msg) -> Self {
        self.label = label;
        self
    }

    #[must_use]
    pub fn help(mut self, help: Msg) -> Self {
        self.help = Some(help);
        self
    }

    #[must_use]
    pub fn also(mut self, span: Span, label: Msg) -> Self {
        self.labels.push((span, label));
        self
    }

    #[must_use]
    pub fn related(
        mut self,
        source: &Arc<SourceFile>,
        span: Span,
        label: Msg,
        message: Msg,
    ) -> Self {
        self.related.push(Related {
            source: Arc::clone(source),
            span,
            label,
            message,
        });
        self
    }
}

/// A finding: a report stamped with its rule and severity.
#[derive(Debug, Clone)]
pub struct Finding {
    pub rule: &'static RuleMeta,
    pub severity: Severity,
    pub diagnostic: Diagnostic,
}

impl Finding {
    /// The help to show: the occurrence's own, else the rule's fix.
    #[must_use]
    pub fn help(&self, lang: Lang) -> &str {
        self.diagnostic
            .help
            .as_ref()
            .map_or_else(|| self.rule.fix.get(lang), |h| h.get(lang))
    }

    /// 1-based line and column of the start of the span.
    #[must_use]
    pub fn line_col(&self) -> (usize, usize) {
        self.diagnostic.source.line_col(self.diagnostic.span.start)
    }
}

/// Counts per severity.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, Serialize, schemars::JsonSchema)]
pub struct Summary {
    pub errors: usize,
    pub warnings: usize,
    pub infos: usize,
}

impl Summary {
    /// The summary mark by the worst level found: ✗ errors, ⚠ warnings only, ✓ otherwise.
    #[must_use]
    pub const fn mark(&self) -> &'static str {
        if self.errors > 0 {
            "✗"
        } else if self.warnings > 0 {
            "⚠"
        } else {
            "✓"
        }
    }

    #[must_use]
    pub fn of(findings: &[Finding]) -> Self {
        let mut s = Self::default();
        for f in findings {
            match f.severity {
                Severity::Error => s.errors += 1,
                Severity::Warning => s.warnings += 1,
                Severity::Info => s.infos += 1,
            }
        }
        s
    }
}
