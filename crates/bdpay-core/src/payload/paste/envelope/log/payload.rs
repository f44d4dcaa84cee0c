//! Where a payload starts in a log line and where it ends: JSON and other bracketed
//! print-outs, PHP's `print_r`, a JSON string holding JSON, a form body, a URL; and the log
//! context after it, which is not part of it.

use memchr::{memchr, memmem};

use crate::payload::paste::envelope::skip_spaces;

/// Where a payload starts in a line, and how it is written.
pub(super) struct Cand {
    pub(super) start: usize,
    shape: Shape,
}

enum Shape {
    /// `{…}`, `[{…}]`, Go's `map[…]`, PHP's `array(2) {…}` and `array (…)`: to the bracket that
    /// closes the one at `open`.
    Brackets {
        open: usize,
        quotes: Quotes,
        parens: bool,
    },
    /// PHP `print_r`: `Array`, then `(` alone on the line at `open`, to its `)` line.
    PrintR { open: usize },
    /// A JSON string holding JSON, `"{\"appKey\":…}"`: quotes included.
    JsonString,
    /// `key=value&…`; inside quotes when `quote` is one.
    Form { quote: Option<u8> },
    /// A URL with a query string: taken when nothing else is there.
    Url,
}

/// Which quotes hide brackets while matching them.
#[derive(Clone, Copy)]
enum Quotes {
    Not,
    Double,
    Single,
    Both,
}

/// The first payload in `ls..le`.
pub(super) fn scan(b: &[u8], ls: usize, le: usize) -> Option<Cand> {
    let mut url = None;
    // No `key=…&key=` form starts before this offset (each value is scanned once).
    let mut no_form_until = 0;
    for p in ls..le {
        let c = b[p];
        let boundary = p == ls || !is_word_byte(b[p - 1]);
        let shape = match c {
            b'{' => object_quotes(b, p).map(|quotes| Shape::Brackets {
                open: p,
                quotes,
                parens: false,
            }),
            b'[' => {
                let q = skip_ws(b, p + 1);
                (b.get(q) == Some(&b'{'))
                    .then(|| object_quotes(b, q))
                    .flatten()
                    .map(|quotes| Shape::Brackets {
                        open: p,
                        quotes,
                        parens: false,
                    })
            }
            b'"' if json_string(b, p) => Some(Shape::JsonString),
            b'm' if boundary && b[p..].starts_with(b"map[") => Some(Shape::Brackets {
                open: p + 3,
                quotes: Quotes::Not,
                parens: false,
            }),
            b'A' if boundary => print_r(b, p).map(|open| Shape::PrintR { open }),
            b'a' if boundary => php_array(b, p),
            b'h' | b'H' if boundary && url.is_none() && url_at(b, p, le) => {
                url = Some(p);
                None
            }
            _ => None,
        };
        if let Some(shape) = shape {
            return Some(Cand { start: p, shape });
        }
        if is_key_byte(c)
            && (p == ls || form_boundary(b[p - 1]))
            && let Some(start) = form_at(b, p, le, &mut no_form_until)
        {
            let quote = (start > ls)
                .then(|| b[start - 1])
                .filter(|q| matches!(q, b'"' | b'\''));
            return Some(Cand {
                start,
                shape: Shape::Form { quote },
            });
        }
    }
    url.map(|start| Cand {
        start,
        shape: Shape::Url,
    })
}

/// Where the payload that starts at `c` ends.
pub(super) fn end_of(v: &str, c: &Cand, le: usize, limit: usize) -> usize {
    let b = v.as_bytes();
    let e = match c.shape {
        Shape::Brackets {
            open,
            quotes,
            parens,
        } => match_brackets(b, open, quotes, parens).unwrap_or(limit),
        Shape::PrintR { open } => print_r_end(b, open).unwrap_or(limit),
        Shape::JsonString => string_end(b, c.start, le),
        Shape::Form { quote: Some(q) } => memchr(q, &b[c.start..le]).map_or(le, |k| c.start + k),
        Shape::Form { quote: None } => {
            let e = c.start + v[c.start..le].trim_end().len();
            strip_context(b, c.start, e)
        }
        Shape::Url => {
            let n = b[c.start..le]
                .iter()
                .position(|&x| x.is_ascii_whitespace() || matches!(x, b'"' | b'\'' | b'<' | b'>'))
                .unwrap_or(le - c.start);
            c.start + n
        }
    };
    c.start + v[c.start..e].trim_end().len()
}

/// Whether `{` at `p` opens an object: a quoted key, or a name followed by `:` (JavaScript, Go
/// structs) or `=` (Java's `Map.toString()`, which quotes nothing); which quotes it uses.
fn object_quotes(b: &[u8], p: usize) -> Option<Quotes> {
    let q = skip_ws(b, p + 1);
    match *b.get(q)? {
        b'"' | b'\'' => Some(Quotes::Both),
        c if c.is_ascii_alphabetic() || c == b'_' || c == b'$' => {
            let n = b[q..]
                .iter()
                .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, b'_' | b'$' | b'-' | b'.'))
                .count();
            match b.get(skip_spaces(b, q + n))? {
                b':' => Some(Quotes::Both),
                b'=' => Some(Quotes::Not),
                _ => None,
            }
        }
        _ => None,
    }
}

/// `"{\"…` or `"[{\"…`: a JSON string holding JSON.
fn json_string(b: &[u8], p: usize) -> bool {
    let n = b[p + 1..]
        .iter()
        .take(2)
        .take_while(|c| matches!(c, b'{' | b'['))
        .count();
    let q = skip_ws(b, p + 1 + n);
    n > 0 && b.get(q) == Some(&b'\\') && b.get(q + 1) == Some(&b'"')
}

/// `Array`, a line break and `(`: the offset of the `(`.
fn print_r(b: &[u8], p: usize) -> Option<usize> {
    if !b[p..].starts_with(b"Array") {
        return None;
    }
    let mut q = p + 5;
    while matches!(b.get(q), Some(b' ' | b'\t' | b'\r')) {
        q += 1;
    }
    if b.get(q) != Some(&b'\n') {
        return None;
    }
    let q = skip_ws(b, q);
    (b.get(q) == Some(&b'(')).then_some(q)
}

/// PHP `var_dump` (`array(2) {`) and `var_export` (`array (`).
fn php_array(b: &[u8], p: usize) -> Option<Shape> {
    let rest = &b[p..];
    if rest.starts_with(b"array (") {
        return Some(Shape::Brackets {
            open: p + 6,
            quotes: Quotes::Single,
            parens: true,
        });
    }
    let n = rest
        .strip_prefix(b"array(")?
        .iter()
        .take_while(|c| c.is_ascii_digit())
        .count();
    if n == 0 || rest.get(6 + n) != Some(&b')') {
        return None;
    }
    let open = skip_spaces(b, p + 7 + n);
    (b.get(open) == Some(&b'{')).then_some(Shape::Brackets {
        open,
        quotes: Quotes::Double,
        parens: false,
    })
}

/// `http://` or `https://` at `p`, with a query string in the word.
fn url_at(b: &[u8], p: usize, le: usize) -> bool {
    let rest = &b[p..le];
    let scheme = if rest.len() > 8 && rest[..8].eq_ignore_ascii_case(b"https://") {
        8
    } else if rest.len() > 7 && rest[..7].eq_ignore_ascii_case(b"http://") {
        7
    } else {
        return false;
    };
    let word = &rest[..rest
        .iter()
        .position(|&x| x.is_ascii_whitespace() || matches!(x, b'"' | b'\'' | b'<' | b'>'))
        .unwrap_or(rest.len())];
    memchr(b'?', &word[scheme..]).is_some_and(|q| word[scheme + q..].contains(&b'='))
}

/// A form body `key=value&key=…` at `p`, after an optional `label=` (`body=orderId=1&…`): its
/// start. `no_form_until` remembers how far a value was scanned without finding a next field.
fn form_at(b: &[u8], p: usize, le: usize, no_form_until: &mut usize) -> Option<usize> {
    let key_end = |i: usize| i + b[i..le].iter().take_while(|&&c| is_key_byte(c)).count();
    let k = key_end(p);
    if k == p || b.get(k) != Some(&b'=') || k >= le {
        return None;
    }
    // A label: `body=key=value`, named as labels are (a first value holding `=`, such as
    // `rsaSign=abc=def`, is not one) and where the value goes on (base64's `abc==` does not).
    let k2 = key_end(k + 1);
    let label = is_label(&b[p..k])
        && k2 > k + 1
        && k2 < le
        && b[k2] == b'='
        && b.get(k2 + 1)
            .is_some_and(|&c| !matches!(c, b'=' | b'&') && !c.is_ascii_whitespace());
    let (start, eq) = if label { (k + 1, k2) } else { (p, k) };
    if *no_form_until > eq {
        return None;
    }
    let amp = eq
        + 1
        + b[eq + 1..le]
            .iter()
            .take_while(|&&c| c != b'&' && !c.is_ascii_whitespace())
            .count();
    let next = if amp < le && b[amp] == b'&' {
        key_end(amp + 1)
    } else {
        amp
    };
    if next <= amp + 1 || next >= le || b[next] != b'=' {
        *no_form_until = amp;
        return None;
    }
    Some(start)
}

/// A name that labels what follows in a log line: `body=`, `params=`, `reqData=`, `raw=`.
fn is_label(name: &[u8]) -> bool {
    const WORDS: [&[u8]; 12] = [
        b"body", b"param", b"data", b"payload", b"query", b"form", b"req", b"msg", b"message",
        b"content", b"raw", b"args",
    ];
    let lower = name.to_ascii_lowercase();
    WORDS.iter().any(|w| memmem::find(&lower, w).is_some())
}

/// After a form body, trailing groups such as Monolog's ` [] []` or ` {"request_id":…}` are log
/// context, not part of it.
fn strip_context(b: &[u8], s: usize, mut e: usize) -> usize {
    while e > s && matches!(b[e - 1], b']' | b'}') {
        let mut depth = 0usize;
        let mut k = e;
        let mut open = None;
        while k > s {
            k -= 1;
            match b[k] {
                b']' | b'}' => depth += 1,
                b'[' | b'{' => {
                    depth -= 1;
                    if depth == 0 {
                        open = Some(k);
                        break;
                    }
                }
                _ => {}
            }
        }
        match open {
            Some(o) if o > s && matches!(b[o - 1], b' ' | b'\t') => {
                e = o;
                while e > s && matches!(b[e - 1], b' ' | b'\t') {
                    e -= 1;
                }
            }
            _ => break,
        }
    }
    e
}

/// The offset after the bracket that closes the one at `open`, skipping quoted text; `parens`
/// counts `(` `)`, else `{` `[` `}` `]`.
fn match_brackets(b: &[u8], open: usize, quotes: Quotes, parens: bool) -> Option<usize> {
    let (double, single) = match quotes {
        Quotes::Not => (false, false),
        Quotes::Double => (true, false),
        Quotes::Single => (false, true),
        Quotes::Both => (true, true),
    };
    let mut depth = 0usize;
    let mut quote = None;
    let mut i = open;
    while i < b.len() {
        let c = b[i];
        if let Some(q) = quote {
            if c == b'\\' {
                i += 1;
            } else if c == q {
                quote = None;
            }
        } else {
            match c {
                b'"' if double => quote = Some(c),
                b'\'' if single => quote = Some(c),
                b'(' if parens => depth += 1,
                b'{' | b'[' if !parens => depth += 1,
                b')' if parens => depth = depth.saturating_sub(1),
                b'}' | b']' if !parens => depth = depth.saturating_sub(1),
                _ => {}
            }
            if depth == 0 {
                return Some(i + 1);
            }
        }
        i += 1;
    }
    None
}

/// `print_r`'s `(` at `open` closes with a `)` alone on a line; nested arrays do the same.
fn print_r_end(b: &[u8], open: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut pos = open;
    while pos < b.len() {
        let end = memchr(b'\n', &b[pos..]).map_or(b.len(), |k| pos + k);
        let line = b[pos..end].trim_ascii();
        if line == b"(" {
            depth += 1;
        } else if line == b")" {
            if depth <= 1 {
                return Some(pos + memchr(b')', &b[pos..end]).unwrap_or(0) + 1);
            }
            depth -= 1;
        }
        pos = end + 1;
    }
    None
}

/// The offset after the closing quote of the string at `p`.
fn string_end(b: &[u8], p: usize, le: usize) -> usize {
    let mut k = p + 1;
    while k < le {
        match b[k] {
            b'\\' => k += 2,
            b'"' => return k + 1,
            _ => k += 1,
        }
    }
    le
}

pub(super) const fn is_word_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || c == b'_'
}

const fn is_key_byte(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'_' | b'.' | b'-' | b'%')
}

/// Bytes after which a form body may start.
const fn form_boundary(c: u8) -> bool {
    c.is_ascii_whitespace()
        || matches!(
            c,
            b'"' | b'\'' | b':' | b'(' | b',' | b'=' | b'>' | b'|' | b'[' | b'{' | b';'
        )
}

fn skip_ws(b: &[u8], mut i: usize) -> usize {
    while b.get(i).is_some_and(u8::is_ascii_whitespace) {
        i += 1;
    }
    i
}

#[cfg(test)]
mod tests {
    use crate::payload::paste::envelope::tests::{opened, prefix, src_of};

    #[test]
    fn laravel_monolog_context_is_not_the_payload() {
        let paste =
            r#"[2024-05-12 10:21:33] local.INFO: notify {"orderId":"1","rsaSign":"a+b/c}"} []"#;
        let (source, o) = opened(paste);
        assert_eq!(o.text, r#"{"orderId":"1","rsaSign":"a+b/c}"}"#);
        assert_eq!(
            prefix(&source, &o),
            "[2024-05-12 10:21:33] local.INFO: notify"
        );
        assert_eq!(src_of(&source, &o, "orderId"), "orderId");
        let paste = r#"[2024-03-02 10:11:12] production.INFO: baidu notify {"body":"userId=1&orderId=2"} {"request_id":"r1"} []"#;
        let (_, o) = opened(paste);
        assert_eq!(o.text, r#"{"body":"userId=1&orderId=2"}"#);
        // A form body in the message: the context groups after it are left out.
        let (_, o) = opened("[2024-05-12 10:21:33] local.INFO: notify orderId=1&status=2 [] []");
        assert_eq!(o.text, "orderId=1&status=2");
    }

    #[test]
    fn logback_spring_form_body() {
        let paste = "2024-05-12 10:21:33.123  INFO 1234 --- [nio-8080-exec-1] c.e.PayController : callback body: orderId=1&userId=2&rsaSign=ab%2Bc";
        let (source, o) = opened(paste);
        assert_eq!(o.text, "orderId=1&userId=2&rsaSign=ab%2Bc");
        assert!(prefix(&source, &o).ends_with("callback body:"));
        assert_eq!(src_of(&source, &o, "rsaSign"), "rsaSign");
        // A `key=` label before the body, and request ids that are not form bodies.
        let paste =
            "2024-05-12 10:21:33.123 INFO [main] c.x.Pay - reqId=8f3a body=orderId=1&status=2";
        let (_, o) = opened(paste);
        assert_eq!(o.text, "orderId=1&status=2");
        let (_, o) = opened("2024-05-12 10:21:33 INFO rsaSign=abc=def&status=2");
        assert_eq!(o.text, "rsaSign=abc=def&status=2");
        let (_, o) = opened("2024-05-12 10:21:33 INFO params=rsaSign=abc==&status=2");
        assert_eq!(o.text, "rsaSign=abc==&status=2");
        // Java's Map.toString().
        let paste = "2024-03-02 10:11:12.345 INFO [http-nio-8080-exec-3] c.x.PayController - notify params: {appKey=MMMxyz, dealId=410000001, returnData=} took 3ms";
        let (_, o) = opened(paste);
        assert_eq!(o.text, "{appKey=MMMxyz, dealId=410000001, returnData=}");
    }

    #[test]
    fn go_and_python_logs() {
        let (_, o) =
            opened("2024/05/12 10:21:33 notify: map[orderId:1 status:2 tpOrderId:[a b]] done");
        assert_eq!(o.text, "map[orderId:1 status:2 tpOrderId:[a b]]");
        let (_, o) = opened("2024/05/12 10:21:33 notify: &{AppKey:MMM DealID:1}");
        assert_eq!(o.text, "{AppKey:MMM DealID:1}");
        let (_, o) = opened("INFO:root:notify {'orderId': '1', 'note': 'a}b'} extra");
        assert_eq!(o.text, "{'orderId': '1', 'note': 'a}b'}");
        let (_, o) = opened("2024-05-12 10:21:33,123 - pay - INFO - body: b'orderId=1&status=2'");
        assert_eq!(o.text, "orderId=1&status=2");
    }

    #[test]
    fn json_string_payload_keeps_its_quotes() {
        let paste = r#"[2024-05-12 10:21:33] local.INFO: orderInfo "{\"appKey\":\"MMM\",\"dealId\":\"1\"}" []"#;
        let (source, o) = opened(paste);
        assert_eq!(o.text, r#""{\"appKey\":\"MMM\",\"dealId\":\"1\"}""#);
        assert_eq!(src_of(&source, &o, "appKey"), "appKey");
    }
}
