//! The rules' queries, as data: `queries/SRCnnn.toml`, one file per rule, each `[[check]]` a
//! tree-sitter query for some languages with the filters in Rust that a query cannot say, the
//! message, the label and the fix in that language. Compiled only for the languages present.

use regex::Regex;
use serde::Deserialize;
use tree_sitter::Query;

use crate::lang::Lang;
use bdpay_core::message::Msg;

/// Every rule's query file, compiled in.
pub const FILES: &[(&str, &str)] = &[
    ("SRC001", include_str!("../queries/SRC001.toml")),
    ("SRC002", include_str!("../queries/SRC002.toml")),
    ("SRC003", include_str!("../queries/SRC003.toml")),
    ("SRC004", include_str!("../queries/SRC004.toml")),
    ("SRC005", include_str!("../queries/SRC005.toml")),
    ("SRC006", include_str!("../queries/SRC006.toml")),
    ("SRC007", include_str!("../queries/SRC007.toml")),
    ("SRC008", include_str!("../queries/SRC008.toml")),
    ("SRC009", include_str!("../queries/SRC009.toml")),
    ("SRC010", include_str!("../queries/SRC010.toml")),
    ("SRC011", include_str!("../queries/SRC011.toml")),
    ("SRC012", include_str!("../queries/SRC012.toml")),
    ("SRC013", include_str!("../queries/SRC013.toml")),
    ("SRC014", include_str!("../queries/SRC014.toml")),
    ("SRC015", include_str!("../queries/SRC015.toml")),
    ("SRC016", include_str!("../queries/SRC016.toml")),
];

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    rule: String,
    check: Vec<CheckSpec>,
}

/// One query and what must hold around its match.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CheckSpec {
    pub langs: Vec<String>,
    pub query: String,
    /// The capture to report; the match's first capture when absent.
    #[serde(default = "hit")]
    pub report: String,
    /// The enclosing function's (or method's) name must match.
    pub in_function: Option<String>,
    /// ... and must not match (`alipayNotify` answers Alipay, which wants `success`).
    pub not_in_function: Option<String>,
    /// The enclosing function's text (the file's, outside functions) must match.
    pub function_has: Option<String>,
    /// ... and must not match (`urldecode` undoes `http_build_query`).
    pub function_lacks: Option<String>,
    /// The enclosing function's text after the match must match: a signing call follows the
    /// encoding (an encoder after signing builds the request body, which is right).
    pub followed_by: Option<String>,
    /// The file must match: the code is about this cashier (`rsaSign`, `tpOrderId`, `dealId`).
    pub file_has: Option<String>,
    /// No enclosing call's function text may match (an encoder inside an HTTP client call).
    pub not_inside_call: Option<String>,
    /// The reported node's text (or `text_of`'s) must match (an answer written as a JSON string).
    pub text_matches: Option<String>,
    /// The capture `text_matches` reads.
    pub text_of: Option<String>,
    /// ... and must not match (a signed set without totalAmount).
    pub text_lacks: Option<String>,
    /// The source line where the match starts must match (`totalAmount` on the line of `* 100`).
    pub line_matches: Option<String>,
    /// Not in the branch of an `if` whose condition matches (a call for another platform behind
    /// a platform check: `if (process.env.TARO_ENV === 'weapp')`).
    pub not_under_condition: Option<String>,
    /// Not inside a key written as a literal (`"-----BEGIN ...-----\n" + "MIIE..."`): the key
    /// rules judge those.
    #[serde(default)]
    pub outside_keys: bool,
    pub message: Msg,
    pub label: Msg,
    pub fix: Msg,
}

fn hit() -> String {
    "hit".into()
}

/// A check ready to run on one language: its patterns are part of the language's one query.
pub struct Compiled {
    pub code: &'static str,
    pub spec: &'static CheckSpec,
    /// The reported capture's index in the language's query.
    pub report: u32,
    pub in_function: Option<Regex>,
    pub not_in_function: Option<Regex>,
    pub function_has: Option<Regex>,
    pub function_lacks: Option<Regex>,
    pub followed_by: Option<Regex>,
    pub file_has: Option<Regex>,
    pub not_inside_call: Option<Regex>,
    pub text_matches: Option<Regex>,
    pub not_under_condition: Option<Regex>,
    pub line_matches: Option<Regex>,
    pub text_lacks: Option<Regex>,
}

/// The parsed query files.
///
/// # Panics
/// When a compiled-in file does not parse: `tests` make that a test failure, never a user's.
#[must_use]
pub fn specs() -> &'static [(&'static str, Vec<CheckSpec>)] {
    static SPECS: std::sync::OnceLock<Vec<(&'static str, Vec<CheckSpec>)>> =
        std::sync::OnceLock::new();
    SPECS.get_or_init(|| {
        FILES
            .iter()
            .map(|(code, text)| {
                let f: File =
                    toml::from_str(text).unwrap_or_else(|e| panic!("queries/{code}.toml: {e}"));
                assert_eq!(f.rule, *code, "queries/{code}.toml names another rule");
                (*code, f.check)
            })
            .collect()
    })
}

/// Why a query does not compile: the rule, the language and tree-sitter's error.
#[derive(Debug)]
pub struct BadQuery(pub String);

impl std::fmt::Display for BadQuery {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// Every check of one language in one query: a file's tree is walked once for all of them, not
/// once per check. Each pattern knows its check.
pub struct LangChecks {
    pub query: Query,
    pub checks: Vec<Compiled>,
    /// For each pattern of `query`, the index of its check in `checks`.
    pub pattern_check: Vec<usize>,
}

/// Compiles every check that applies to `lang`, restricted to `codes` when given, into one query.
///
/// # Errors
/// When a query or a filter does not compile against the pinned grammar.
pub fn compile(lang: Lang, codes: Option<&[String]>) -> Result<LangChecks, BadQuery> {
    let grammar = lang.grammar();
    let mut specs_here = Vec::new();
    for (code, checks) in specs() {
        if codes.is_some_and(|c| !c.iter().any(|x| x == code)) {
            continue;
        }
        for (i, spec) in checks.iter().enumerate() {
            for l in &spec.langs {
                if Lang::by_name(l).is_none() {
                    return Err(BadQuery(format!(
                        "{code} check {i}: unknown language `{l}`"
                    )));
                }
            }
            if spec.langs.iter().any(|l| l == lang.name()) {
                specs_here.push((*code, i, spec));
            }
        }
    }
    // One source, each check's patterns in a byte range of it.
    let mut source = String::new();
    let mut ranges = Vec::new();
    for (_, _, spec) in &specs_here {
        let start = source.len();
        source.push_str(&spec.query);
        source.push('\n');
        ranges.push(start..source.len());
    }
    let owner = |byte: usize| ranges.iter().position(|r| r.contains(&byte));
    let where_ = |k: usize| {
        let (code, i, _) = specs_here[k];
        format!("{code} check {i} ({})", lang.name())
    };
    let query = Query::new(&grammar, &source).map_err(|e| {
        let at = owner(e.offset).map_or_else(|| lang.name().to_owned(), where_);
        BadQuery(format!("{at}: {e}"))
    })?;
    let pattern_check = (0..query.pattern_count())
        .map(|p| {
            owner(query.start_byte_for_pattern(p))
                .ok_or_else(|| BadQuery(format!("{}: a pattern outside every check", lang.name())))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let mut checks = Vec::new();
    for (k, (code, _, spec)) in specs_here.iter().enumerate() {
        if !pattern_check.contains(&k) {
            return Err(BadQuery(format!("{}: no pattern", where_(k))));
        }
        // The reported capture must be the check's own, not only another check's.
        if !capture_in(&spec.query, &spec.report) {
            return Err(BadQuery(format!(
                "{}: the query has no capture @{}",
                where_(k),
                spec.report
            )));
        }
        let report = query
            .capture_index_for_name(&spec.report)
            .ok_or_else(|| BadQuery(format!("{}: no capture @{}", where_(k), spec.report)))?;
        let re = |r: &Option<String>| -> Result<Option<Regex>, BadQuery> {
            r.as_deref()
                .map(Regex::new)
                .transpose()
                .map_err(|e| BadQuery(format!("{}: {e}", where_(k))))
        };
        checks.push(Compiled {
            code,
            spec,
            report,
            in_function: re(&spec.in_function)?,
            not_in_function: re(&spec.not_in_function)?,
            function_has: re(&spec.function_has)?,
            function_lacks: re(&spec.function_lacks)?,
            followed_by: re(&spec.followed_by)?,
            file_has: re(&spec.file_has)?,
            not_inside_call: re(&spec.not_inside_call)?,
            text_matches: re(&spec.text_matches)?,
            not_under_condition: re(&spec.not_under_condition)?,
            line_matches: re(&spec.line_matches)?,
            text_lacks: re(&spec.text_lacks)?,
        });
    }
    Ok(LangChecks {
        query,
        checks,
        pattern_check,
    })
}

/// Whether `query` names the capture `@name` (and not only a longer one, `@name2`).
fn capture_in(query: &str, name: &str) -> bool {
    let at = format!("@{name}");
    query.match_indices(&at).any(|(i, _)| {
        !query[i + at.len()..]
            .chars()
            .next()
            .is_some_and(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'))
    })
}

/// The checks of each language present, compiled once, the first time a file of that language
/// is scanned; shared by the scanning threads.
#[derive(Default)]
pub struct Cache {
    by_lang: [std::sync::OnceLock<Result<LangChecks, String>>; Lang::ALL.len()],
    codes: Option<Vec<String>>,
}

impl Cache {
    #[must_use]
    pub fn new(codes: Option<Vec<String>>) -> Self {
        Self {
            by_lang: Default::default(),
            codes,
        }
    }

    /// The checks for `lang`, compiling them the first time.
    ///
    /// # Errors
    /// When a query does not compile (a grammar update renamed a node).
    pub fn get(&self, lang: Lang) -> Result<&LangChecks, BadQuery> {
        let i = Lang::ALL.iter().position(|l| *l == lang).unwrap_or(0);
        self.by_lang[i]
            .get_or_init(|| compile(lang, self.codes.as_deref()).map_err(|e| e.0))
            .as_ref()
            .map_err(|e| BadQuery(e.clone()))
    }
}

#[cfg(test)]
mod tests {
    use super::{compile, specs};
    use crate::lang::Lang;

    /// Every query compiles against its pinned grammar: a grammar update that renames a node or
    /// a field fails here, loudly, not as a rule that silently stops matching.
    #[test]
    fn every_query_compiles_for_every_language_it_names() {
        for lang in Lang::ALL {
            if let Err(e) = compile(lang, None) {
                panic!("{e}");
            }
        }
        for (code, checks) in specs() {
            assert!(!checks.is_empty(), "{code}: no checks");
            for c in checks {
                assert!(!c.langs.is_empty(), "{code}: a check for no language");
            }
        }
    }

    /// Every SRC rule of the catalogue has a query file and every query file a rule.
    #[test]
    fn query_files_and_rules_agree() {
        let rules: Vec<&str> = bdpay_core::registry::all()
            .iter()
            .filter(|r| r.family() == bdpay_core::registry::Family::Source)
            .map(|r| r.code.as_str())
            .collect();
        let files: Vec<&str> = specs().iter().map(|(c, _)| *c).collect();
        assert_eq!(rules, files);
    }
}
