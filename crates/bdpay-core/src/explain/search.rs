//! `explain` as a search. A query is whatever the merchant has: a rule code, a platform code in
//! any spelling (`errCode:6`, `错误码是6`, `10003错误`, full-width digits), a pasted error object
//! (`{"errCode":6,"errMsg":"请求签名错误"}`), a loader error copied from a stack trace, or a
//! symptom in their own words. It is folded (full-width to ASCII, case), its codes are read with
//! what names them (`errno`, `错误码`, `iOS`), and every entry is scored by the codes it answers
//! to, the phrasings it holds whole, and the words and Chinese character pairs it shares with the
//! query, each weighed by how rare it is in the catalogue.

use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

use super::{PlatformCode, platform_codes, symptoms};
use crate::registry::{self, RuleMeta};

/// An entry `explain` can show.
#[derive(Debug, Clone, Copy)]
pub enum Entry {
    Rule(&'static RuleMeta),
    Code(&'static PlatformCode),
    Symptom(&'static PlatformCode),
}

impl Entry {
    /// A stable name for machine-readable output.
    #[must_use]
    pub const fn kind(self) -> &'static str {
        match self {
            Self::Rule(_) => "rule",
            Self::Code(_) => "platform-code",
            Self::Symptom(_) => "symptom",
        }
    }

    /// What to type to get this entry back: a rule's code, a code's or symptom's first id.
    #[must_use]
    pub fn id(self) -> &'static str {
        match self {
            Self::Rule(r) => &r.code,
            Self::Code(c) | Self::Symptom(c) => &c.ids[0],
        }
    }
}

/// A ranked entry.
#[derive(Debug, Clone, Copy)]
pub struct Hit {
    pub entry: Entry,
    pub score: f32,
    /// The query named this entry exactly (a rule code or name, a platform code's id).
    pub exact: bool,
}

/// What the query was read as.
#[derive(Debug, Clone, Default)]
pub struct Reading {
    /// Codes found, with the platform or API that names them (`ios`, `android`) when given.
    pub codes: Vec<Code>,
    /// Rule codes mentioned (`SIG009`).
    pub rules: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Code {
    pub number: u64,
    pub scope: Option<&'static str>,
    /// Named by a word such as `errCode`, `errno` or `错误码`, or the whole query.
    pub keyed: bool,
}

impl Code {
    /// `errCode 6`, `ios 10005`.
    #[must_use]
    pub fn describe(&self) -> String {
        match self.scope {
            Some(s) => format!("{s}:{}", self.number),
            None => self.number.to_string(),
        }
    }
}

/// Words alone (no code, phrasing or rule named) must score at least this share of what the
/// query's words could score at best: a long question that shares one common word with an
/// entry is not about it.
const MIN_COVER: f32 = 0.2;
/// Below this score nothing is a match.
const MIN_SCORE: f32 = 3.0;
/// Others are listed when they score at least this share of the best.
const CLOSE: f32 = 0.45;
/// At most this many close entries besides the best.
const MAX_OTHERS: usize = 4;

/// Ranks the catalogue for `q`: the best first, then close ones; empty when nothing matches.
#[must_use]
pub fn search(q: &str) -> (Reading, Vec<Hit>) {
    if let Some(entry) = exact(q) {
        let hit = Hit {
            entry,
            score: f32::MAX,
            exact: true,
        };
        return (Reading::default(), vec![hit]);
    }
    let query = Query::read(q);
    let index = index();
    let mut hits: Vec<Hit> = index
        .docs
        .iter()
        .map(|d| Hit {
            entry: d.entry,
            score: d.score(&query, index),
            exact: false,
        })
        .filter(|h| h.score >= MIN_SCORE)
        .collect();

    // Ties go to symptoms, then codes, then rules: the broader entry leads to the narrower.
    let rank = |e: Entry| match e {
        Entry::Symptom(_) => 0,
        Entry::Code(_) => 1,
        Entry::Rule(_) => 2,
    };
    hits.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then(rank(a.entry).cmp(&rank(b.entry)))
    });
    if let Some(best) = hits.first().map(|h| h.score) {
        let keep = hits
            .iter()
            .skip(1)
            .take_while(|h| h.score >= best * CLOSE)
            .count()
            .min(MAX_OTHERS);
        hits.truncate(1 + keep);
    }
    (query.reading, hits)
}

/// A rule by code or name, or a platform code by one of its exact spellings.
fn exact(q: &str) -> Option<Entry> {
    if let Some(r) = registry::find(q) {
        return Some(Entry::Rule(r));
    }
    // A rule name with a typo (`sign-fields-range-not-2`) is that rule.
    let t = q.trim();
    if t.is_ascii()
        && t.contains('-')
        && !t.contains(char::is_whitespace)
        && let Some(r) = registry::nearest(t).and_then(registry::find)
    {
        return Some(Entry::Rule(r));
    }
    let norm = |s: &str| {
        fold(s)
            .replace([' ', '='], ":")
            .replace("errno:", "")
            .replace("errcode:", "")
            .trim_matches(':')
            .to_owned()
    };
    let q = norm(q.trim());
    if q.is_empty() {
        return None;
    }
    let hit = |c: &&PlatformCode| c.ids.iter().any(|id| norm(id) == q);
    platform_codes()
        .iter()
        .find(hit)
        .map(Entry::Code)
        .or_else(|| symptoms().iter().find(hit).map(Entry::Symptom))
}

/// Full-width forms to ASCII, Chinese punctuation to its ASCII kin, lower case.
#[must_use]
pub fn fold(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(u32::from(c) - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            '。' => '.',
            '、' => ',',
            '“' | '”' | '「' | '」' => '"',
            '‘' | '’' => '\'',
            _ => c,
        })
        .flat_map(char::to_lowercase)
        .collect()
}

fn is_cjk(c: char) -> bool {
    matches!(c, '\u{3400}'..='\u{9FFF}' | '\u{F900}'..='\u{FAFF}')
}

/// Letters, digits and Chinese characters only: what phrasings are compared on.
fn flat(s: &str) -> String {
    fold(s).chars().filter(|c| c.is_alphanumeric()).collect()
}

/// Latin words (letters, digits, `_`) of the folded text, one space between, padded with one on
/// each side: ` x509 failed to parse private key `.
fn spaced(s: &str) -> String {
    let mut out = String::from(" ");
    for c in fold(s).chars() {
        if c.is_ascii_alphanumeric() || c == '_' {
            out.push(c);
        } else if !out.ends_with(' ') {
            out.push(' ');
        }
    }
    if !out.ends_with(' ') {
        out.push(' ');
    }
    out
}

/// A phrasing as the search compares it: Latin-only phrasings word by word (so `xss` is not found
/// inside a base64 string), others on letters and characters alone.
struct Phrase {
    flat: String,
    spaced: Option<String>,
}

impl Phrase {
    fn new(text: &str) -> Self {
        Self {
            flat: flat(text),
            spaced: text.is_ascii().then(|| spaced(text)),
        }
    }

    /// Held whole by the query.
    fn in_query(&self, q: &Query) -> bool {
        match &self.spaced {
            Some(p) => q.spaced.contains(p.as_str()),
            None => q.flat.contains(self.flat.as_str()),
        }
    }

    /// Holds the whole (short) query.
    fn holds_query(&self, q: &Query) -> bool {
        match &self.spaced {
            // A Latin phrasing holds the query only when the query is Latin too.
            Some(p) => {
                q.flat.is_ascii() && q.spaced.trim().len() >= 4 && p.contains(q.spaced.as_str())
            }
            None => self.flat.contains(q.flat.as_str()),
        }
    }
}

/// How much a matched piece of text says: Chinese characters count fully, Latin ones less.
fn weight(s: &str) -> f32 {
    s.chars().map(|c| if is_cjk(c) { 1.0 } else { 0.35 }).sum()
}

const STOP: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "can", "cannot", "did", "do", "does",
    "for", "from", "get", "got", "has", "have", "how", "i", "if", "in", "into", "is", "it", "its",
    "me", "my", "no", "not", "of", "on", "or", "our", "so", "the", "then", "this", "that", "to",
    "us", "was", "we", "what", "when", "why", "with", "you", "your", "error", "fail", "failed",
    "err", "errmsg", "msg", "message", "such", "all", "any", "some", "thing", "there", "here",
    "which", "who", "will", "would", "should", "could", "just", "only", "also", "very", "more",
    "most", "other", "than", "too", "like", "about", "out", "up", "again", "same", "been",
];

/// Chinese character pairs of questions, not of their subject.
const STOP_HAN: &[&str] = &[
    "怎么", "么办", "么样", "为什", "什么", "么原", "请问", "一下", "如何", "是否", "我们", "我的",
    "你们", "这个", "那个", "时候", "的时", "可以", "需要", "应该", "么回", "回事",
    // Every entry is about Baidu smart program payments.
    "百度", "度小", "小程", "程序",
];

/// Words a code can follow: `errCode 6`, `errno=10003`, `错误码是6`.
const CODE_WORDS: &[&str] = &[
    "errcode",
    "err_code",
    "errorcode",
    "error_code",
    "errno",
    "error code",
    "code",
    "错误码",
    "错误代码",
    "错误号",
    "返回码",
    "状态码",
    "错误",
    "报错",
    "返回",
];

/// Words that name where a client code came from.
const SCOPES: &[(&str, &str)] = &[
    ("ios", "ios"),
    ("iphone", "ios"),
    ("苹果", "ios"),
    ("android", "android"),
    ("安卓", "android"),
];

/// The query, folded, with its codes read out and its terms counted.
struct Query {
    reading: Reading,
    flat: String,
    /// Latin words only, space-separated and padded: whole-word containment.
    spaced: String,
    terms: HashSet<String>,
}

impl Query {
    fn read(q: &str) -> Self {
        let folded = fold(q);
        let scope = SCOPES
            .iter()
            .find(|(w, _)| folded.contains(w))
            .map(|(_, s)| *s);
        let mut reading = Reading::default();
        let chars: Vec<(usize, char)> = folded.char_indices().collect();
        let mut i = 0;
        while i < chars.len() {
            let (start, c) = chars[i];
            if !c.is_ascii_digit() {
                i += 1;
                continue;
            }
            let mut j = i;
            while j < chars.len() && chars[j].1.is_ascii_digit() {
                j += 1;
            }
            let end = chars.get(j).map_or(folded.len(), |x| x.0);
            let digits = &folded[start..end];
            let before = &folded[..start];
            let after = chars.get(j).map(|x| x.1);
            i = j;
            // Part of a word or an identifier (`ORD0041`, `0906d06c`, `pkcs8`, `x509`).
            let letter_before = before
                .chars()
                .next_back()
                .is_some_and(|c| c.is_ascii_alphabetic() || c == '_');
            let rule_code = letter_before && is_rule_code(before, digits);
            if rule_code {
                let code = before[before.len() - 3..].to_ascii_uppercase() + digits;
                reading.rules.push(code);
                continue;
            }
            if after.is_some_and(|c| c.is_ascii_alphabetic() || c == '_' || c == '.')
                || (letter_before && !ends_with_code_word(before))
                || digits.len() > 9
            {
                continue;
            }
            let Ok(number) = digits.parse::<u64>() else {
                continue;
            };
            let keyed = ends_with_code_word(before) || only_a_code(&folded, digits);
            // A small number nothing names as a code is a count or a step, not a code.
            if !keyed && number < 100 {
                continue;
            }
            reading.codes.push(Code {
                number,
                scope,
                keyed,
            });
        }
        let flat = flat(q);
        let spaced = spaced(q);
        let terms = terms(&folded);
        Self {
            reading,
            flat,
            spaced,
            terms,
        }
    }
}

impl Query {
    /// What the query's words could score at best: each at the field weight of a title, a word
    /// the catalogue never uses at the highest rarity.
    fn weight(&self, index: &Index) -> f32 {
        self.terms
            .iter()
            .map(|t| 2.0 * index.idf.get(t).copied().unwrap_or(index.max_idf))
            .sum()
    }
}

/// `ord004` before digits: the three letters of a rule family.
fn is_rule_code(before: &str, digits: &str) -> bool {
    digits.len() == 3
        && before.len() >= 3
        && before.is_char_boundary(before.len() - 3)
        && registry::Family::of(&before[before.len() - 3..].to_ascii_uppercase()).is_some()
        && !before[..before.len() - 3]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_ascii_alphabetic())
}

fn ends_with_code_word(before: &str) -> bool {
    let trimmed = before.trim_end_matches(|c: char| {
        c.is_whitespace()
            || matches!(
                c,
                ':' | '=' | '"' | '\'' | '`' | '(' | '[' | '是' | '为' | ','
            )
    });
    CODE_WORDS.iter().any(|w| trimmed.ends_with(w))
}

/// The query is the number and little else (`10003`, `10003错误`, `error 6`).
fn only_a_code(folded: &str, digits: &str) -> bool {
    if folded.len() > 40 {
        return false;
    }
    let rest = folded.replacen(digits, " ", 1);
    let words: Vec<String> = terms(&rest).into_iter().collect();
    words.iter().all(|w| {
        matches!(
            w.as_str(),
            "错误" | "报错" | "错误码" | "是什么" | "什么" | "码" | "errcode" | "errno" | "code"
        ) || STOP.contains(&w.as_str())
    }) && terms(&rest).len() <= 2
}

/// The words of Latin text (camelCase split, simple plural and tense endings dropped) and the
/// character pairs of Chinese text.
fn terms(folded: &str) -> HashSet<String> {
    let mut out = HashSet::new();
    let mut word = String::new();
    let mut han: Vec<char> = Vec::new();
    let flush_word = |word: &mut String, out: &mut HashSet<String>| {
        if word.chars().any(|c| c.is_ascii_alphabetic()) && word.len() >= 2 {
            let w = stem(word);
            if !STOP.contains(&w.as_str()) {
                out.insert(w);
            }
        }
        word.clear();
    };
    let flush_han = |han: &mut Vec<char>, out: &mut HashSet<String>| {
        if han.len() == 1 {
            out.insert(han[0].to_string());
        }
        for p in han.windows(2) {
            let pair: String = p.iter().collect();
            if !STOP_HAN.contains(&pair.as_str()) {
                out.insert(pair);
            }
        }
        han.clear();
    };
    for c in folded.chars() {
        if is_cjk(c) {
            flush_word(&mut word, &mut out);
            han.push(c);
        } else if c.is_ascii_alphanumeric() || c == '_' {
            flush_han(&mut han, &mut out);
            word.push(c);
        } else {
            flush_word(&mut word, &mut out);
            flush_han(&mut han, &mut out);
        }
    }
    flush_word(&mut word, &mut out);
    flush_han(&mut han, &mut out);
    out
}

fn stem(w: &str) -> String {
    for suffix in ["ing", "ed", "es", "s"] {
        if let Some(s) = w.strip_suffix(suffix)
            && s.len() >= 3
            && !w.ends_with("ss")
        {
            return s.to_owned();
        }
    }
    w.to_owned()
}

/// camelCase and snake_case words of the original text, lower-cased: `InvalidKeySpecException`
/// gives `invalid`, `key`, `spec`, `exception` besides itself.
fn split_words(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 2);
    let mut prev_lower = false;
    for c in s.chars() {
        if c.is_ascii_uppercase() && prev_lower {
            out.push(' ');
        }
        prev_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        out.push(if c == '_' { ' ' } else { c });
    }
    out
}

/// An entry's searchable text: phrasings held whole, and terms with the weight of the field
/// they come from.
struct Doc {
    entry: Entry,
    phrases: Vec<Phrase>,
    codes: Vec<(Option<String>, u64)>,
    terms: HashMap<String, f32>,
}

struct Index {
    docs: Vec<Doc>,
    idf: HashMap<String, f32>,
    /// The rarity of a term no entry holds.
    max_idf: f32,
}

fn index() -> &'static Index {
    static INDEX: OnceLock<Index> = OnceLock::new();
    INDEX.get_or_init(build)
}

fn build() -> Index {
    let mut docs = Vec::new();
    for s in symptoms() {
        docs.push(code_doc(Entry::Symptom(s), s));
    }
    for c in platform_codes() {
        docs.push(code_doc(Entry::Code(c), c));
    }
    for r in registry::all() {
        let mut d = Doc {
            entry: Entry::Rule(r),
            phrases: r.aliases.iter().map(|a| Phrase::new(a)).collect(),
            codes: Vec::new(),
            terms: HashMap::new(),
        };
        for a in &r.aliases {
            d.add(a, 3.0);
        }
        d.add(&r.code, 3.0);
        d.add(&r.name.replace('-', " "), 2.0);
        d.add(&r.summary.en, 2.0);
        d.add(&r.summary.zh, 2.0);
        d.add(&r.fix.en, 0.5);
        d.add(&r.fix.zh, 0.5);
        docs.push(d);
    }
    let n = docs.len() as f32;
    let mut df: HashMap<String, f32> = HashMap::new();
    for d in &docs {
        for t in d.terms.keys() {
            *df.entry(t.clone()).or_default() += 1.0;
        }
    }
    let idf = df
        .into_iter()
        .map(|(t, f)| (t, ((n + 1.0) / (f + 0.5)).ln().max(0.1)))
        .collect();
    let max_idf = ((n + 1.0) / 0.5).ln();
    Index { docs, idf, max_idf }
}

fn code_doc(entry: Entry, c: &'static PlatformCode) -> Doc {
    let mut d = Doc {
        entry,
        phrases: Vec::new(),
        codes: Vec::new(),
        terms: HashMap::new(),
    };
    for id in c.ids.iter().chain(&c.aliases) {
        if let Some(code) = code_id(id) {
            d.codes.push(code);
        } else {
            d.phrases.push(Phrase::new(id));
            d.add(id, 3.0);
        }
    }
    d.phrases.push(Phrase::new(&c.title.en));
    d.phrases.push(Phrase::new(&c.title.zh));
    d.add(&c.title.en, 2.0);
    d.add(&c.title.zh, 2.0);
    d.add(&c.where_.en, 1.0);
    d.add(&c.where_.zh, 1.0);
    for step in &c.cause {
        d.add(&step.en, 0.5);
        d.add(&step.zh, 0.5);
        if let Some(m) = &step.manual {
            d.add(&m.en, 0.5);
            d.add(&m.zh, 0.5);
        }
    }
    d
}

/// `ios:10005` → (ios, 10005); `errCode:6`, `errno:10000`, `10003` → (none, n).
fn code_id(id: &str) -> Option<(Option<String>, u64)> {
    let (scope, n) = match id.rsplit_once(':') {
        Some((s, n)) => (Some(s.trim().to_ascii_lowercase()), n.trim()),
        None => (None, id.trim()),
    };
    let n = n.parse().ok()?;
    let scope = scope.filter(|s| s != "errcode" && s != "errno");
    Some((scope, n))
}

impl Doc {
    fn add(&mut self, text: &str, w: f32) {
        for t in terms(&fold(&split_words(text)))
            .into_iter()
            .chain(terms(&fold(text)))
        {
            let e = self.terms.entry(t).or_default();
            *e = e.max(w);
        }
    }

    fn score(&self, q: &Query, index: &Index) -> f32 {
        let (strong, words) = self.parts(q, index);
        if strong == 0.0 && words < MIN_COVER * q.weight(index) {
            return 0.0;
        }
        strong + words
    }

    /// What codes, phrasings and named rules give, and what shared words give.
    fn parts(&self, q: &Query, index: &Index) -> (f32, f32) {
        let mut score = 0.0;
        // Codes: named ones decide; a bare number of three digits or more counts less, and
        // a one- or two-digit number only when something names it as a code.
        let mut code_score: f32 = 0.0;
        for code in &q.reading.codes {
            for (scope, n) in &self.codes {
                if *n != code.number {
                    continue;
                }
                let mut s: f32 = if code.keyed {
                    100.0
                } else if code.number >= 100 {
                    60.0
                } else {
                    continue;
                };
                match (scope.as_deref(), code.scope) {
                    (Some(a), Some(b)) if a == b => s += 10.0,
                    (Some(_), Some(_)) => s -= 15.0,
                    (None, None) => s += 2.0,
                    _ => {}
                }
                code_score = code_score.max(s);
            }
        }
        score += code_score;
        if let Entry::Rule(r) = self.entry
            && q.reading.rules.contains(&r.code)
        {
            score += 100.0;
        }
        // Phrasings: held whole by the query, or holding all of a short query.
        let mut phrase: f32 = 0.0;
        for p in &self.phrases {
            if p.flat.chars().count() < 2 || p.flat.chars().all(|c| c.is_ascii_digit()) {
                continue;
            }
            if p.in_query(q) {
                phrase = phrase.max(4.0 + 2.0 * weight(&p.flat));
            } else if weight(&q.flat) >= 2.0 && p.holds_query(q) {
                phrase = phrase.max(2.0 + 1.6 * weight(&q.flat));
            }
        }
        score += phrase;
        // Shared terms, each weighed by its rarity and the field it came from.
        let mut words = 0.0;
        for t in &q.terms {
            if let Some(w) = self.terms.get(t) {
                words += w * index.idf.get(t).copied().unwrap_or(0.1);
            }
        }
        (score, words)
    }
}
