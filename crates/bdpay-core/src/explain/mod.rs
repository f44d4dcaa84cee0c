//! `explain` and `rules`: a rule's doc by code or name, the catalogue, and the platform's error
//! codes with their causes in the order to check them.

use std::sync::OnceLock;

use serde::Deserialize;
use serde_json::json;

use crate::error::ToolError;
use crate::message::{Lang, Msg};
use crate::msg;
use crate::registry::{self, RuleMeta};
use crate::render::Format;

pub mod search;

pub use search::{Entry, Hit, search};

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlatformCode {
    /// Exact spellings: the first is what `explain` lists; codes are `scope:number`.
    pub ids: Vec<String>,
    /// More phrasings in both languages, for the search: messages as the platform or a library
    /// prints them, symptoms in the merchant's words.
    #[serde(default)]
    pub aliases: Vec<String>,
    pub title: Msg,
    #[serde(rename = "where")]
    pub where_: Msg,
    pub faq: String,
    pub url: String,
    #[serde(default)]
    pub cause: Vec<Step>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Step {
    pub en: String,
    pub zh: String,
    #[serde(default)]
    pub rules: Vec<String>,
    pub manual: Option<Msg>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CodeFile {
    code: Vec<PlatformCode>,
}

/// Every platform code the tool can explain.
///
/// # Panics
/// When the compiled-in file does not parse (a test failure, never a user's).
#[must_use]
pub fn platform_codes() -> &'static [PlatformCode] {
    static CODES: OnceLock<Vec<PlatformCode>> = OnceLock::new();
    CODES.get_or_init(|| {
        toml::from_str::<CodeFile>(include_str!("../../rules/platform-codes.toml"))
            .unwrap_or_else(|e| panic!("rules/platform-codes.toml: {e}"))
            .code
    })
}

/// What merchants say when something is wrong (`收不到回调`, `isConsumed`), with the checks to
/// make; the same shape as a platform code.
///
/// # Panics
/// When the compiled-in file does not parse (a test failure, never a user's).
#[must_use]
pub fn symptoms() -> &'static [PlatformCode] {
    static SYMPTOMS: OnceLock<Vec<PlatformCode>> = OnceLock::new();
    SYMPTOMS.get_or_init(|| {
        toml::from_str::<CodeFile>(include_str!("../../rules/symptoms.toml"))
            .unwrap_or_else(|e| panic!("rules/symptoms.toml: {e}"))
            .code
    })
}

/// `explain QUERY`: the best entry for any text in full, then the close ones.
pub fn explain(q: &str, lang: Lang, format: Format) -> Result<String, ToolError> {
    if q.len() > MAX_QUERY {
        let kib = q.len().div_ceil(1024);
        return Err(ToolError::new(msg!(
            "the query is {kib} KiB: explain searches an error, a code or a symptom, at most 64 KiB",
            "查询内容有 {kib} KiB：explain 用于查询报错、错误码或现象，最多 64 KiB"
        ))
        .help(msg!(
            "paste the error lines only (the exception and its message), or run `diagnose` on a payload and `audit` on a log",
            "只粘贴报错的那几行（异常及其消息）；报文请用 `diagnose`，日志请用 `audit`"
        )));
    }
    let (reading, hits) = search(q);
    let Some(best) = hits.first() else {
        return Err(not_found(q));
    };
    if is_machine(format) {
        return Ok(to_json(&json!({
            "query": q,
            "read_as": {
                "codes": reading.codes.iter().map(search::Code::describe).collect::<Vec<_>>(),
                "rules": reading.rules,
            },
            "matches": hits.iter().map(|h| json!({
                "kind": h.entry.kind(),
                "id": h.entry.id(),
                "title": title(h.entry, lang),
                "exact": h.exact,
                "score": (!h.exact).then(|| (f64::from(h.score) * 100.0).round() / 100.0),
                "entry": entry_json(h.entry, lang),
            })).collect::<Vec<_>>(),
        })));
    }
    let mut s = match best.entry {
        Entry::Rule(r) => rule_doc(r, lang),
        Entry::Code(c) | Entry::Symptom(c) => code_doc(c, lang),
    };
    if hits.len() > 1 {
        s.push_str(lang.pick(
            "\nAlso close (`bdpay-doctor explain ID` shows one):\n",
            "\n相近条目（`bdpay-doctor explain 编号` 查看）：\n",
        ));
        for h in &hits[1..] {
            s.push_str(&format!(
                "  {:<24} {}\n",
                h.entry.id(),
                title(h.entry, lang)
            ));
        }
    }
    if !best.exact && !reading.codes.is_empty() {
        let codes: Vec<String> = reading.codes.iter().map(search::Code::describe).collect();
        s.push_str(&format!(
            "\n{}: {}\n",
            lang.pick("Codes read from the query", "从查询中读出的错误码"),
            codes.join(", ")
        ));
    }
    Ok(s)
}

/// The longest text `explain` searches.
const MAX_QUERY: usize = 64 * 1024;

fn not_found(query: &str) -> ToolError {
    // Shown as typed, but a long paste only by its start.
    let shown: String = query.trim().chars().take(60).collect();
    let q = if shown.len() < query.trim().len() {
        format!("{shown}…")
    } else {
        shown
    };
    let q = q.replace('\n', " ");
    let e = ToolError::new(msg!(
        "nothing in the catalogue matches `{q}`",
        "目录中没有与 `{q}` 相符的条目"
    ));
    // A misspelt code or name is short; a long text is not one.
    let near = (query.len() <= 64)
        .then(|| registry::nearest(query.trim()))
        .flatten();
    match near {
        Some(n) => e.help(msg!(
            "did you mean `{n}`? the `rules` command lists every rule",
            "是否想查 `{n}`？`rules` 命令列出全部规则"
        )),
        None => e.help(msg!(
            "paste the error text or object as shown, a code such as errCode:6, 10003 or 930, or describe the symptom (收不到回调, 验签失败); `explain` alone lists what it knows",
            "可以粘贴原样的报错文字或对象、错误码（如 errCode:6、10003、930），或描述现象（收不到回调、验签失败）；只输入 `explain` 可列出全部条目"
        )),
    }
}

const fn is_machine(format: Format) -> bool {
    matches!(
        format,
        Format::Json | Format::Sarif | Format::Ndjson | Format::Junit | Format::Gitlab
    )
}

fn title(e: Entry, lang: Lang) -> String {
    match e {
        Entry::Rule(r) => format!("{} — {}", r.name, r.summary.get(lang)),
        Entry::Code(c) | Entry::Symptom(c) => c.title.get(lang).to_owned(),
    }
}

fn entry_json(e: Entry, lang: Lang) -> serde_json::Value {
    match e {
        Entry::Rule(r) => rule_json(r, lang, true),
        Entry::Code(c) | Entry::Symptom(c) => code_json(c, lang),
    }
}

/// `explain` with nothing to explain: the symptoms and platform codes it knows.
#[must_use]
pub fn index(lang: Lang, format: Format) -> String {
    // An id with spaces is a library's message: quoted, so it reads as one.
    let entry = |c: &PlatformCode| {
        let id = &c.ids[0];
        let id = if id.contains(' ') {
            format!("`{id}`")
        } else {
            id.clone()
        };
        (id, c.title.get(lang).to_owned())
    };
    let symptoms: Vec<(String, String)> = symptoms().iter().map(entry).collect();
    let codes: Vec<(String, String)> = platform_codes().iter().map(entry).collect();
    if is_machine(format) {
        let list = |v: &[(String, String)]| {
            v.iter()
                .map(|(id, t)| json!({"query": id, "title": t}))
                .collect::<Vec<_>>()
        };
        return to_json(&json!({"symptoms": list(&symptoms), "platform_codes": list(&codes)}));
    }
    let mut s = msg!(
        "Explain anything: a rule (ORD004), a platform code (errCode:6, 10003), a pasted error object or message, a library's key error, or a symptom in your own words. Known entries:\n\nsymptoms\n",
        "可以查询任何内容：规则（ORD004）、平台错误码（errCode:6、10003）、粘贴的报错对象或文字、密钥库的报错，或用自己的话描述现象。已收录的条目：\n\n现象\n"
    )
    .get(lang)
    .to_owned();
    for (id, t) in &symptoms {
        s.push_str(&format!("  {id:<24} {t}\n"));
    }
    s.push_str(msg!("\nplatform codes\n", "\n平台错误码\n").get(lang));
    for (id, t) in &codes {
        s.push_str(&format!("  {id:<24} {t}\n"));
    }
    s
}

fn to_json(v: &serde_json::Value) -> String {
    let mut s = serde_json::to_string_pretty(v).unwrap_or_default();
    s.push('\n');
    s
}

fn rule_json(r: &RuleMeta, lang: Lang, doc: bool) -> serde_json::Value {
    let mut j = json!({
        "code": r.code,
        "name": r.name,
        "severity": r.severity.as_str(),
        "summary": r.summary.get(lang),
        "fix": r.fix.get(lang),
        "faq": r.faq,
        "url": r.url,
    });
    if doc {
        j["doc"] = json!(r.doc.get(lang));
    }
    j
}

fn rule_doc(r: &RuleMeta, lang: Lang) -> String {
    let (sev, fix, faq) = match lang {
        Lang::En => ("Default severity", "Fix", "Derived from"),
        Lang::Zh => ("默认级别", "修复", "出处"),
    };
    format!(
        "# {} ({})\n\n{}: {}\n{}: {} <{}>\n\n{}\n\n{}: {}\n",
        r.name,
        r.code,
        sev,
        r.severity.as_str(),
        faq,
        r.faq,
        r.url,
        r.doc.get(lang).trim(),
        fix,
        r.fix.get(lang),
    )
}

/// How a cause is checked: the rules, with their codes.
fn cause_rules(c: &Step) -> Vec<String> {
    c.rules
        .iter()
        .map(|n| match registry::find(n) {
            Some(r) => format!("{} {}", r.code, r.name),
            None => format!("{n} (planned)"),
        })
        .collect()
}

fn code_doc(c: &PlatformCode, lang: Lang) -> String {
    // A symptom's ids are search phrasings in both languages: its title heads the page.
    let is_symptom = symptoms().iter().any(|x| std::ptr::eq(x, c));
    let heading = if is_symptom {
        c.title.get(lang).to_owned()
    } else {
        format!("{} — {}", c.ids[0], c.title.get(lang))
    };
    let mut s = format!(
        "# {heading}\n\n{}: {}\n{}: {} <{}>\n\n",
        lang.pick("Where", "出现位置"),
        c.where_.get(lang),
        lang.pick("Derived from", "出处"),
        c.faq,
        c.url,
    );
    if !c.cause.is_empty() {
        s.push_str(lang.pick(
            "Causes, in the order to check them:\n\n",
            "原因（按检查顺序）：\n\n",
        ));
    }
    for (i, cause) in c.cause.iter().enumerate() {
        s.push_str(&format!("{}. {}\n", i + 1, lang.pick(&cause.en, &cause.zh)));
        let rules = cause_rules(cause);
        if !rules.is_empty() {
            s.push_str(&format!(
                "   {}: {}\n",
                lang.pick("checked by", "检查规则"),
                rules.join(", ")
            ));
        }
        if let Some(m) = &cause.manual {
            s.push_str(&format!(
                "   {}: {}\n",
                lang.pick("check by hand", "人工检查"),
                m.get(lang)
            ));
        }
    }
    s
}

fn code_json(c: &PlatformCode, lang: Lang) -> serde_json::Value {
    json!({
        "ids": c.ids,
        "title": c.title.get(lang),
        "where": c.where_.get(lang),
        "faq": c.faq,
        "url": c.url,
        "causes": c.cause.iter().map(|x| json!({
            "cause": lang.pick(&x.en, &x.zh),
            "rules": cause_rules(x),
            "manual": x.manual.as_ref().map(|m| m.get(lang)),
        })).collect::<Vec<_>>(),
    })
}

/// `rules`: the catalogue.
#[must_use]
pub fn catalogue(lang: Lang, format: Format) -> String {
    let rules = registry::all();
    match format {
        Format::Json | Format::Sarif | Format::Ndjson | Format::Junit | Format::Gitlab => to_json(
            &serde_json::Value::Array(rules.iter().map(|r| rule_json(r, lang, false)).collect()),
        ),
        _ => {
            let w = rules.iter().map(|r| r.name.len()).max().unwrap_or(0);
            let mut s = String::new();
            for r in rules {
                s.push_str(&format!(
                    "{}  {:<w$}  {:<7}  {}\n",
                    r.code,
                    r.name,
                    r.severity.as_str(),
                    r.summary.get(lang)
                ));
            }
            s
        }
    }
}
