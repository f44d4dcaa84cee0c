//! Envelopes around a payload: a curl command line, a log line, nginx's `\xHH`-escaped
//! `$request_body`. [`open`] takes the payload out and keeps, for every byte of it, the byte of
//! the paste it came from, so that what the payload readers find points into what was pasted.
//!
//! Everything here reads bytes and cuts only next to ASCII bytes, so no cut splits a character,
//! and every scan moves forward: reading is linear in the size of the paste.

use memchr::{memchr, memmem};

use crate::msg;
use crate::payload::json::ParseError;
use crate::source::{Span, floor_char_boundary};

/// What was around the payload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Envelope {
    /// A curl command line; the payload is its request body (`-d`, `--data`, `--data-raw`,
    /// `--data-binary`, `--data-urlencode` — several joined with `&` as curl does, `@file` refused),
    /// or the URL's query string when there is no body.
    Curl { url: Option<String> },
    /// A log line: the payload follows a prefix (timestamps, levels, logger names, request ids,
    /// `key=` labels …); `prefix` spans it.
    LogLine { prefix: Span },
    /// The same with nginx's `\xHH` escapes (`$request_body` in an access log), decoded.
    NginxEscaped { prefix: Span },
}

/// The payload's text inside its envelope.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Opened {
    pub envelope: Envelope,
    /// The inner text to read as a payload.
    pub text: String,
    /// `map[i]` is the byte offset in the pasted source of byte `i` of `text`, with one more
    /// entry for the end (so a span `a..b` of `text` maps to `map[a]..map[b]`).
    pub map: Vec<usize>,
}

/// `None` when the text is not in an envelope; `Some(Err)` when it is one that cannot be
/// opened (a curl whose body is `@file`, an unterminated quote), with the place.
///
/// `text` is the paste trimmed and `base` its offset in the source; the map, the prefix and
/// error spans are offsets in the source. A byte that an escape or an encoding stands for maps to
/// the start of that escape (`\"`, `\x22`, `$'\n'`) or of the character it encodes (`%E4%B8%AD`).
#[must_use]
pub fn open(text: &str, base: usize) -> Option<Result<Opened, ParseError>> {
    let found = if let Some(word) = curl_start(text) {
        curl(text, word)?
    } else {
        Ok(log_line(text).or_else(|| bare_nginx(text))?)
    };
    Some(match found {
        Ok(mut o) => {
            o.map.iter_mut().for_each(|m| *m += base);
            if let Envelope::LogLine { prefix } | Envelope::NginxEscaped { prefix } =
                &mut o.envelope
            {
                *prefix = prefix.offset(base);
            }
            Ok(o)
        }
        Err(mut e) => {
            e.span = e.span.offset(base);
            Err(e)
        }
    })
}

/// Bytes taken out of the paste, each with the offset it came from.
#[derive(Default)]
struct Out {
    bytes: Vec<u8>,
    from: Vec<usize>,
}

impl Out {
    fn push(&mut self, b: u8, at: usize) {
        self.bytes.push(b);
        self.from.push(at);
    }

    /// Bytes as they stand in the paste from offset `at`.
    fn copy(&mut self, bytes: &[u8], at: usize) {
        self.bytes.extend_from_slice(bytes);
        self.from.extend(at..at + bytes.len());
    }

    /// The bytes one escape at `at` stands for.
    fn expand(&mut self, bytes: &[u8], at: usize) {
        self.bytes.extend_from_slice(bytes);
        self.from.extend(std::iter::repeat_n(at, bytes.len()));
    }

    /// Bytes `range` of another `Out`, with their offsets.
    fn append(&mut self, other: &Self, range: std::ops::Range<usize>) {
        self.bytes.extend_from_slice(&other.bytes[range.clone()]);
        self.from.extend_from_slice(&other.from[range]);
    }

    /// The text and its map; `end` is the offset after the last byte taken. Bytes that are not
    /// UTF-8 become U+FFFD, which maps to where they came from.
    fn finish(self, end: usize) -> (String, Vec<usize>) {
        let Self { bytes, mut from } = self;
        match String::from_utf8(bytes) {
            Ok(text) => {
                from.push(end);
                (text, from)
            }
            Err(e) => {
                let bytes = e.into_bytes();
                let mut text = String::with_capacity(bytes.len() + 8);
                let mut map = Vec::with_capacity(bytes.len() + 9);
                let mut i = 0;
                for chunk in bytes.utf8_chunks() {
                    text.push_str(chunk.valid());
                    map.extend_from_slice(&from[i..i + chunk.valid().len()]);
                    i += chunk.valid().len();
                    if !chunk.invalid().is_empty() {
                        text.push('\u{FFFD}');
                        map.extend([from[i]; 3]);
                        i += chunk.invalid().len();
                    }
                }
                map.push(end);
                (text, map)
            }
        }
    }
}

fn error(span: Span, expected: crate::message::Msg, found: crate::message::Msg) -> ParseError {
    ParseError {
        span,
        expected,
        found,
    }
}

// ---------------------------------------------------------------------------------------------
// curl

/// The word `curl` (or `curl.exe`, after a `$ ` prompt) when the paste is a curl command.
fn curl_start(t: &str) -> Option<Span> {
    let b = t.as_bytes();
    let mut i = 0;
    if matches!(b.first(), Some(b'$' | b'%' | b'>')) && matches!(b.get(1), Some(b' ' | b'\t')) {
        i = skip_blanks(b, 1);
    }
    ["curl.exe", "curl"].into_iter().find_map(|name| {
        let end = i + name.len();
        (b.get(i..end)?.eq_ignore_ascii_case(name.as_bytes())
            && matches!(
                b.get(end),
                Some(b' ' | b'\t' | b'\r' | b'\n' | b'\\' | b'^')
            ))
        .then_some(Span::new(i, end))
    })
}

/// One word of the command after quoting, each byte with the offset it came from.
struct Word {
    out: Out,
    /// The offset after the word's last byte (before a closing quote).
    last: usize,
    /// The word in the paste, quotes included.
    span: Span,
}

impl Word {
    /// The word from byte `j` on: the value in `-d'a=1'`.
    fn tail(&self, j: usize) -> Self {
        let mut out = Out::default();
        out.append(&self.out, j..self.out.bytes.len());
        let start = out.from.first().copied().unwrap_or(self.last);
        Self {
            out,
            last: self.last,
            span: Span::new(start, self.span.end),
        }
    }
}

/// How curl sends an option's value.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Data {
    /// `-d`, `--data`, `--data-ascii`, `--data-binary`, `--json`: as written, or a file after `@`.
    Plain,
    /// `--data-raw`: as written, `@` included.
    Raw,
    /// `--data-urlencode`: `name=value` with the value percent-encoded.
    Encode,
    /// `-F`, `--form`: a field (`@` and `<` read files); `--form-string`: a field as written.
    Form,
    FormString,
    /// `-T`, `--upload-file`: a file.
    Upload,
}

fn curl(t: &str, word: Span) -> Option<Result<Opened, ParseError>> {
    let words = if windows_cmd(t) {
        cmd_words(t, word.end)
    } else {
        match posix_words(t, word.end) {
            Ok(w) => w,
            Err(e) => return Some(Err(e)),
        }
    };
    let args = match curl_args(words) {
        Ok(a) => a,
        Err(e) => return Some(Err(e)),
    };
    let url = args
        .url
        .as_ref()
        .map(|w| String::from_utf8_lossy(&w.out.bytes).into_owned());
    let query = args.url.as_ref().and_then(url_query);
    if args.data.is_empty() && query.is_none() {
        // `curl returned an error`: prose, not a command.
        if args.url.is_none() && !args.options {
            return None;
        }
        let span = args.url.as_ref().map_or(word, |w| w.span);
        return Some(Err(error(
            span,
            msg!(
                "a request body (`-d`) or a URL with a query string",
                "请求体（`-d`）或带查询参数的 URL"
            ),
            msg!(
                "a curl command that sends no data",
                "不发送任何数据的 curl 命令"
            ),
        )));
    }
    let mut out = Out::default();
    let mut last = 0;
    // `-G` sends the data in the query string, after the URL's own parameters.
    if let Some((q, q_last)) = query.filter(|_| args.get || args.data.is_empty()) {
        last = q_last;
        out = q;
    }
    for (i, (kind, w)) in args.data.iter().enumerate() {
        // The `&` maps to the end of what it follows, where a span ending there ends.
        if i > 0 || last > 0 {
            out.push(b'&', last);
        }
        if let Err(e) = curl_data(*kind, w, &mut out) {
            return Some(Err(e));
        }
        last = w.last;
    }
    let (text, map) = out.finish(last);
    Some(Ok(Opened {
        envelope: Envelope::Curl { url },
        text,
        map,
    }))
}

/// Cmd.exe's syntax (Chrome's "Copy as cURL (cmd)"): `^` line continuations or `^"` quotes.
fn windows_cmd(t: &str) -> bool {
    memmem::find(t.as_bytes(), b"^\n").is_some()
        || memmem::find(t.as_bytes(), b"^\r\n").is_some()
        || memmem::find(t.as_bytes(), b"^\"").is_some()
}

#[derive(Default)]
struct Args {
    data: Vec<(Data, Word)>,
    url: Option<Word>,
    get: bool,
    /// Whether any option was given.
    options: bool,
}

fn curl_args(words: Vec<Word>) -> Result<Args, ParseError> {
    let mut a = Args::default();
    let mut words = words.into_iter();
    let mut positional = false;
    while let Some(w) = words.next() {
        let s = w.out.bytes.as_slice();
        if positional || s.len() < 2 || s[0] != b'-' {
            if a.url.is_none() && looks_like_url(s) {
                a.url = Some(w);
            }
            continue;
        }
        a.options = true;
        if s == b"--" {
            positional = true;
        } else if let Some(name) = s.strip_prefix(b"--") {
            let data = long_data(name);
            if data.is_some()
                || name == b"url"
                || LONG_WITH_VALUE.split(' ').any(|o| o.as_bytes() == name)
            {
                let v = words.next().ok_or_else(|| no_value(&w))?;
                if let Some(d) = data {
                    a.data.push((d, v));
                } else if name == b"url" {
                    a.url = Some(v);
                }
            } else if name == b"get" {
                a.get = true;
            }
        } else {
            // A cluster of short options: `-sS`, `-XPOST`, `-d@body.json`.
            for (j, &c) in s.iter().enumerate().skip(1) {
                if c == b'G' {
                    a.get = true;
                } else if SHORT_WITH_VALUE.contains(&c) {
                    let v = if j + 1 < s.len() {
                        w.tail(j + 1)
                    } else {
                        words.next().ok_or_else(|| no_value(&w))?
                    };
                    let data = match c {
                        b'd' => Some(Data::Plain),
                        b'F' => Some(Data::Form),
                        b'T' => Some(Data::Upload),
                        _ => None,
                    };
                    if let Some(d) = data {
                        a.data.push((d, v));
                    }
                    break;
                }
            }
        }
    }
    Ok(a)
}

fn long_data(name: &[u8]) -> Option<Data> {
    Some(match name {
        b"data" | b"data-ascii" | b"data-binary" | b"json" => Data::Plain,
        b"data-raw" => Data::Raw,
        b"data-urlencode" => Data::Encode,
        b"form" => Data::Form,
        b"form-string" => Data::FormString,
        b"upload-file" => Data::Upload,
        _ => return None,
    })
}

/// Short options that take a value (curl 8).
const SHORT_WITH_VALUE: &[u8] = b"AbcCdDeEFHKmoPQrtTuUwxXyYz";

/// Long options that take a value, besides the data options (curl 8), separated by spaces.
const LONG_WITH_VALUE: &str = "abstract-unix-socket alt-svc aws-sigv4 cacert capath cert cert-type ciphers config \
    connect-timeout connect-to continue-at cookie cookie-jar create-file-mode crlfile curves \
    delegation dns-interface dns-ipv4-addr dns-ipv6-addr dns-servers doh-url dump-header ech \
    egd-file engine etag-compare etag-save expect100-timeout ftp-account \
    ftp-alternative-to-user ftp-method ftp-port ftp-ssl-ccc-mode happy-eyeballs-timeout-ms \
    haproxy-clientip header hostpubmd5 hostpubsha256 hsts interface ip-tos ipfs-gateway \
    keepalive-time key key-type krb libcurl limit-rate local-port login-options mail-auth \
    mail-from mail-rcpt max-filesize max-redirs max-time netrc-file noproxy oauth2-bearer \
    output output-dir pass pinnedpubkey preproxy proto proto-default proto-redir proxy \
    proxy-cacert proxy-capath proxy-cert proxy-cert-type proxy-ciphers proxy-crlfile \
    proxy-header proxy-key proxy-key-type proxy-pass proxy-pinnedpubkey proxy-service-name \
    proxy-tls13-ciphers proxy-tlsauthtype proxy-tlspassword proxy-tlsuser proxy-user \
    proxy1.0 pubkey quote random-file range rate referer request request-target resolve \
    retry retry-delay retry-max-time sasl-authzid service-name socks4 socks4a socks5 \
    socks5-gssapi-service socks5-hostname speed-limit speed-time stderr telnet-option \
    tftp-blksize time-cond tls-max tls13-ciphers tlsauthtype tlspassword tlsuser trace \
    trace-ascii trace-config unix-socket url-query user user-agent variable write-out";

/// A word that names a host: `https://…`, `shop.example/notify`, `localhost:8080`.
fn looks_like_url(s: &[u8]) -> bool {
    if memmem::find(s, b"://").is_some() {
        return true;
    }
    let host = &s[..s
        .iter()
        .position(|c| matches!(c, b'/' | b'?' | b'#'))
        .unwrap_or(s.len())];
    !host.is_empty()
        && host
            .iter()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'-' | b':' | b'[' | b']'))
        && (host.contains(&b'.') || host.contains(&b':') || host.eq_ignore_ascii_case(b"localhost"))
}

/// The URL's query string (up to a `#`) and the offset after it.
fn url_query(w: &Word) -> Option<(Out, usize)> {
    let b = &w.out.bytes;
    let q = memchr(b'?', b)?;
    let end = memchr(b'#', &b[q..]).map_or(b.len(), |k| q + k);
    let mut out = Out::default();
    out.append(&w.out, q + 1..end);
    Some((out, w.out.from.get(end).copied().unwrap_or(w.last)))
}

/// Appends what curl sends for one data option.
fn curl_data(kind: Data, w: &Word, out: &mut Out) -> Result<(), ParseError> {
    let s = &w.out.bytes;
    match kind {
        Data::Upload => return Err(from_file(w)),
        Data::Plain if s.first() == Some(&b'@') => return Err(from_file(w)),
        Data::Plain | Data::Raw => out.append(&w.out, 0..s.len()),
        // `name=content`, `=content`, `content`; `name@file` and `@file` read a file.
        Data::Encode => match memchr(b'=', s) {
            Some(0) => url_encode(out, &w.out, 1),
            Some(eq) => {
                out.append(&w.out, 0..eq + 1);
                url_encode(out, &w.out, eq + 1);
            }
            None if s.contains(&b'@') => return Err(from_file(w)),
            None => url_encode(out, &w.out, 0),
        },
        // A multipart field, read as the form field it carries.
        Data::Form | Data::FormString => match memchr(b'=', s) {
            Some(eq) => {
                if kind == Data::Form && matches!(s.get(eq + 1), Some(b'@' | b'<')) {
                    return Err(from_file(w));
                }
                out.append(&w.out, 0..eq + 1);
                url_encode(out, &w.out, eq + 1);
            }
            None => out.append(&w.out, 0..s.len()),
        },
    }
    Ok(())
}

/// Appends `w`'s bytes from `at` percent-encoded as curl encodes them (`curl_easy_escape`): all
/// but `A-Z a-z 0-9 - . _ ~` as `%XX`, a space included. The bytes of an escape map to the start
/// of the character it encodes.
fn url_encode(out: &mut Out, w: &Out, at: usize) {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut char_start = at;
    for (i, &c) in w.bytes.iter().enumerate().skip(at) {
        if c & 0xC0 != 0x80 {
            char_start = i;
        }
        if c.is_ascii_alphanumeric() || matches!(c, b'-' | b'.' | b'_' | b'~') {
            out.push(c, w.from[i]);
        } else {
            let src = w.from[char_start];
            out.expand(
                &[b'%', HEX[usize::from(c >> 4)], HEX[usize::from(c & 15)]],
                src,
            );
        }
    }
}

fn from_file(w: &Word) -> ParseError {
    let arg: String = String::from_utf8_lossy(&w.out.bytes)
        .chars()
        .take(40)
        .collect();
    error(
        w.span,
        msg!(
            "the request body written out in the command",
            "写在命令里的请求体"
        ),
        msg!(
            "`{arg}`, a file curl reads when it runs",
            "`{arg}`（curl 运行时才读取的文件）"
        ),
    )
}

fn no_value(w: &Word) -> ParseError {
    let opt = String::from_utf8_lossy(&w.out.bytes).into_owned();
    error(
        w.span,
        msg!("a value after `{opt}`", "`{opt}` 后面的值"),
        msg!("the end of the command", "命令结尾"),
    )
}

fn unterminated(at: usize, quote: char) -> ParseError {
    error(
        Span::new(at, at + 1),
        msg!(
            "the closing `{quote}` of the quote that starts here",
            "此处开始的引号的结束 `{quote}`"
        ),
        msg!("the end of the text", "文本结尾"),
    )
}

/// The words of a POSIX shell command from `i` to the end of the command: a line break (unless
/// the next line goes on with an option, as when the `\` was lost), `|`, `;`, `<`, `>`, `&&`.
fn posix_words(t: &str, mut i: usize) -> Result<Vec<Word>, ParseError> {
    let b = t.as_bytes();
    let mut words = Vec::new();
    loop {
        i = skip_blanks(b, i);
        let Some(&c) = b.get(i) else { break };
        match c {
            b'\n' | b'\r' => {
                let next = skip_spaces(b, i + newline_len(b, i).max(1));
                if b.get(next) != Some(&b'-') {
                    break;
                }
                i = next;
            }
            b'#' => i = memchr(b'\n', &b[i..]).map_or(b.len(), |k| i + k),
            b'|' | b';' | b'<' | b'>' => break,
            b'&' if ends_command(b, i) => break,
            _ => {
                let w = posix_word(b, i)?;
                i = w.span.end;
                words.push(w);
            }
        }
    }
    Ok(words)
}

fn posix_word(b: &[u8], start: usize) -> Result<Word, ParseError> {
    let mut out = Out::default();
    let mut last = start;
    let mut i = start;
    while let Some(&c) = b.get(i) {
        match c {
            b' ' | b'\t' | b'\n' | b'\r' | b'|' | b';' | b'<' | b'>' => break,
            b'&' if ends_command(b, i) => break,
            b'\\' => {
                let nl = newline_len(b, i + 1);
                if nl > 0 {
                    i += 1 + nl;
                } else if i + 1 < b.len() {
                    let n = utf8_len(b[i + 1]).min(b.len() - i - 1);
                    out.expand(&b[i + 1..i + 1 + n], i);
                    i += 1 + n;
                    last = i;
                } else {
                    out.push(b'\\', i);
                    i += 1;
                    last = i;
                }
            }
            b'\'' => {
                let close = memchr(b'\'', &b[i + 1..]).ok_or_else(|| unterminated(i, '\''))?;
                out.copy(&b[i + 1..i + 1 + close], i + 1);
                last = i + 1 + close;
                i = last + 1;
            }
            b'"' => i = double_quoted(b, i, &mut out, &mut last)?,
            b'$' if b.get(i + 1) == Some(&b'"') => {
                i = double_quoted(b, i + 1, &mut out, &mut last)?;
            }
            b'$' if b.get(i + 1) == Some(&b'\'') => {
                i = ansi_c(b, i + 1, &mut out, &mut last)?;
            }
            _ => {
                out.push(c, i);
                i += 1;
                last = i;
            }
        }
    }
    Ok(Word {
        out,
        last,
        span: Span::new(start, i),
    })
}

/// `"…"` from the quote at `q`: `\"` `\\` `\$` `` \` `` are escapes, a backslash-newline is
/// dropped, any other backslash stays. Returns the offset after the closing quote.
fn double_quoted(b: &[u8], q: usize, out: &mut Out, last: &mut usize) -> Result<usize, ParseError> {
    let mut i = q + 1;
    loop {
        let Some(&c) = b.get(i) else {
            return Err(unterminated(q, '"'));
        };
        match c {
            b'"' => {
                *last = i;
                return Ok(i + 1);
            }
            b'\\' => match b.get(i + 1) {
                Some(&e @ (b'"' | b'\\' | b'$' | b'`')) => {
                    out.push(e, i);
                    i += 2;
                }
                _ if newline_len(b, i + 1) > 0 => i += 1 + newline_len(b, i + 1),
                _ => {
                    out.push(b'\\', i);
                    i += 1;
                }
            },
            _ => {
                out.push(c, i);
                i += 1;
            }
        }
    }
}

/// Bash's ANSI-C quoting `$'…'` from the quote at `q`. Returns the offset after the closing quote.
fn ansi_c(b: &[u8], q: usize, out: &mut Out, last: &mut usize) -> Result<usize, ParseError> {
    let mut i = q + 1;
    loop {
        let Some(&c) = b.get(i) else {
            return Err(unterminated(q, '\''));
        };
        match c {
            b'\'' => {
                *last = i;
                return Ok(i + 1);
            }
            b'\\' => {
                if let Some(e) = c_escape(&b[i + 1..]) {
                    out.expand(&e.bytes[..e.len], i);
                    i += 1 + e.took;
                } else {
                    out.push(b'\\', i);
                    i += 1;
                }
            }
            _ => {
                out.push(c, i);
                i += 1;
            }
        }
    }
}

/// The bytes a C-style backslash escape stands for (`$'…'`, a logfmt value).
struct Esc {
    bytes: [u8; 4],
    len: usize,
    /// Bytes taken after the backslash.
    took: usize,
}

fn c_escape(rest: &[u8]) -> Option<Esc> {
    let one = |b: u8, took: usize| {
        Some(Esc {
            bytes: [b, 0, 0, 0],
            len: 1,
            took,
        })
    };
    match *rest.first()? {
        b'a' => one(7, 1),
        b'b' => one(8, 1),
        b'e' | b'E' => one(27, 1),
        b'f' => one(12, 1),
        b'n' => one(b'\n', 1),
        b'r' => one(b'\r', 1),
        b't' => one(b'\t', 1),
        b'v' => one(11, 1),
        c @ (b'\\' | b'\'' | b'"' | b'?') => one(c, 1),
        b'x' => {
            let (v, n) = hex_digits(&rest[1..], 2);
            if n == 0 { None } else { one(v as u8, 1 + n) }
        }
        c @ (b'u' | b'U') => {
            let (v, n) = hex_digits(&rest[1..], if c == b'u' { 4 } else { 8 });
            if n == 0 {
                return None;
            }
            let mut bytes = [0; 4];
            let len = char::from_u32(v)
                .unwrap_or('\u{FFFD}')
                .encode_utf8(&mut bytes)
                .len();
            Some(Esc {
                bytes,
                len,
                took: 1 + n,
            })
        }
        b'0'..=b'7' => {
            let n = rest
                .iter()
                .take(3)
                .take_while(|c| matches!(c, b'0'..=b'7'))
                .count();
            let v = rest[..n]
                .iter()
                .fold(0u32, |v, &c| v * 8 + u32::from(c - b'0'));
            one(v as u8, n)
        }
        b'c' => one(*rest.get(1)? & 0x1F, 2),
        _ => None,
    }
}

fn hex_digits(b: &[u8], max: usize) -> (u32, usize) {
    let n = b
        .iter()
        .take(max)
        .take_while(|c| c.is_ascii_hexdigit())
        .count();
    let v = b[..n]
        .iter()
        .fold(0u32, |v, &c| v * 16 + u32::from(hex(c).unwrap_or(0)));
    (v, n)
}

/// The words of a cmd.exe command from `i`. Two parsers read such a line: cmd.exe takes `^` as
/// an escape (and a line continuation) and ends the command at a line break or `&` `|` `<` `>`
/// outside quotes; then curl's C runtime splits the arguments (`"` quotes, `\"` a quote, `""` a
/// quote inside quotes). Quotes are not checked: the C runtime accepts an open one.
fn cmd_words(t: &str, mut i: usize) -> Vec<Word> {
    let b = t.as_bytes();
    let mut s: Vec<(u8, usize)> = Vec::with_capacity(b.len() - i);
    let mut quoted = false;
    while let Some(&c) = b.get(i) {
        match c {
            b'^' if !quoted => {
                let nl = newline_len(b, i + 1);
                if nl > 0 {
                    i += 1 + nl;
                    // Chrome writes a line break inside the data as `^`, two line breaks.
                    let nl2 = newline_len(b, i);
                    if nl2 > 0 {
                        s.push((b'\n', i));
                        i += nl2;
                    }
                } else if let Some(&n) = b.get(i + 1) {
                    // The character maps to its caret, where its escape starts.
                    s.push((n, i));
                    i += 2;
                } else {
                    i += 1;
                }
            }
            b'\r' | b'\n' => {
                let nl = newline_len(b, i);
                if nl == 0 {
                    s.push((b' ', i));
                    i += 1;
                    continue;
                }
                let next = skip_spaces(b, i + nl);
                if b.get(next) != Some(&b'-') {
                    break;
                }
                s.push((b' ', i));
                i = next;
            }
            b'"' => {
                quoted = !quoted;
                s.push((c, i));
                i += 1;
            }
            b'|' | b'<' | b'>' if !quoted => break,
            b'&' if !quoted && ends_command(b, i) => break,
            _ => {
                s.push((c, i));
                i += 1;
            }
        }
    }
    let mut words = Vec::new();
    let mut k = 0;
    while k < s.len() {
        if matches!(s[k].0, b' ' | b'\t') {
            k += 1;
            continue;
        }
        let start = s[k].1;
        let mut out = Out::default();
        let mut last = start;
        let mut in_quotes = false;
        while k < s.len() {
            let (c, at) = s[k];
            if !in_quotes && matches!(c, b' ' | b'\t') {
                break;
            }
            if c == b'\\' {
                let n = s[k..].iter().take_while(|x| x.0 == b'\\').count();
                if s.get(k + n).is_some_and(|x| x.0 == b'"') {
                    for j in 0..n / 2 {
                        out.push(b'\\', s[k + 2 * j].1);
                    }
                    if n % 2 == 1 {
                        out.push(b'"', s[k + n - 1].1);
                        last = s[k + n].1 + 1;
                        k += n + 1;
                    } else {
                        k += n;
                    }
                } else {
                    for x in &s[k..k + n] {
                        out.push(b'\\', x.1);
                    }
                    last = s[k + n - 1].1 + 1;
                    k += n;
                }
            } else if c == b'"' {
                if in_quotes && s.get(k + 1).is_some_and(|x| x.0 == b'"') {
                    out.push(b'"', at);
                    last = s[k + 1].1 + 1;
                    k += 2;
                } else {
                    in_quotes = !in_quotes;
                    last = at;
                    k += 1;
                }
            } else {
                out.push(c, at);
                last = at + 1;
                k += 1;
            }
        }
        let end = s[k - 1].1 + 1;
        words.push(Word {
            out,
            last,
            span: Span::new(start, end),
        });
    }
    words
}

/// Whether the `&` at `i` ends the command (`&&`, or a lone `&`); inside a word, as in an unquoted
/// URL `?a=1&b=2`, it is taken as written.
fn ends_command(b: &[u8], i: usize) -> bool {
    matches!(
        b.get(i + 1),
        None | Some(b'&' | b' ' | b'\t' | b'\r' | b'\n')
    )
}

/// Spaces, tabs and backslash-newline continuations from `i`.
fn skip_blanks(b: &[u8], mut i: usize) -> usize {
    loop {
        match b.get(i) {
            Some(b' ' | b'\t') => i += 1,
            Some(b'\r') if newline_len(b, i) == 0 => i += 1,
            Some(b'\\') if newline_len(b, i + 1) > 0 => i += 1 + newline_len(b, i + 1),
            _ => return i,
        }
    }
}

fn skip_spaces(b: &[u8], mut i: usize) -> usize {
    while matches!(b.get(i), Some(b' ' | b'\t')) {
        i += 1;
    }
    i
}

/// The length of a line break at `i`: 1 for `\n`, 2 for `\r\n`, else 0.
fn newline_len(b: &[u8], i: usize) -> usize {
    match (b.get(i), b.get(i + 1)) {
        (Some(b'\n'), _) => 1,
        (Some(b'\r'), Some(b'\n')) => 2,
        _ => 0,
    }
}

/// The length of the UTF-8 sequence a byte starts (1 for a byte that starts none).
const fn utf8_len(b: u8) -> usize {
    match b {
        0xF0..=0xF7 => 4,
        0xE0..=0xEF => 3,
        0xC0..=0xDF => 2,
        _ => 1,
    }
}

// ---------------------------------------------------------------------------------------------
// Log lines

/// The paste with `\xHH` escapes decoded, and the offset in the paste of each byte.
struct View {
    text: String,
    from: Vec<usize>,
}

/// Decodes nginx's `\xHH` escapes (a `\\` is left as it is, escape and all).
fn decode_hex_escapes(t: &str) -> View {
    let b = t.as_bytes();
    let mut out = Out::default();
    out.bytes.reserve(b.len());
    out.from.reserve(b.len() + 1);
    let mut i = 0;
    while let Some(k) = memchr(b'\\', &b[i..]) {
        let at = i + k;
        out.copy(&b[i..at], i);
        if let Some(byte) = hex_escape(b, at) {
            out.push(byte, at);
            i = at + 4;
        } else {
            let n = if b.get(at + 1) == Some(&b'\\') { 2 } else { 1 };
            out.copy(&b[at..at + n], at);
            i = at + n;
        }
    }
    out.copy(&b[i..], i);
    let (text, from) = out.finish(b.len());
    View { text, from }
}

/// The byte of a `\xHH` escape at `at`.
fn hex_escape(b: &[u8], at: usize) -> Option<u8> {
    if b.get(at) != Some(&b'\\') || b.get(at + 1) != Some(&b'x') {
        return None;
    }
    Some(hex(*b.get(at + 2)?)? << 4 | hex(*b.get(at + 3)?)?)
}

fn has_hex_escape(b: &[u8]) -> bool {
    let mut i = 0;
    while let Some(k) = memchr(b'\\', &b[i..]) {
        let at = i + k;
        if hex_escape(b, at).is_some() {
            return true;
        }
        i = at + if b.get(at + 1) == Some(&b'\\') { 2 } else { 1 };
    }
    false
}

const fn hex(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

/// A payload after a log prefix: in the first log line that holds one, or starting a line
/// below a log line that is only a prefix (`notify body:` and the JSON below it).
fn log_line(t: &str) -> Option<Opened> {
    let first = &t[..memchr(b'\n', t.as_bytes()).unwrap_or(t.len())];
    if !log_start(first.trim_end_matches('\r').as_bytes()) {
        return None;
    }
    let view = decode_hex_escapes(t);
    let v = view.text.as_str();
    let lines = raw_lines(t.as_bytes(), &view);
    let is_log: Vec<bool> = lines
        .iter()
        .enumerate()
        .map(|(k, &(s, e))| k == 0 || log_start(&v.as_bytes()[s..e]))
        .collect();
    // Where the entry of each line ends: at the next log line.
    let mut next = vec![v.len(); lines.len()];
    for k in (0..lines.len().saturating_sub(1)).rev() {
        next[k] = if is_log[k + 1] {
            lines[k + 1].0
        } else {
            next[k + 1]
        };
    }
    let b = v.as_bytes();
    for (k, &(ls, le)) in lines.iter().enumerate() {
        if is_log[k] {
            if let Some(found) = in_log_line(v, ls, le, next[k]) {
                return Some(opened_from_view(t, &view, &found));
            }
            continue;
        }
        // A line that goes on with the entry of a log line without a payload (`notify body:`
        // and the JSON below it, a logged request's headers and then its body): a payload
        // that starts the line.
        let p = ls + (le - ls - v[ls..le].trim_start().len());
        if let Some(c) = scan(b, p, le)
            && c.start == p
        {
            let e = end_of(v, &c, le, next[k]);
            return Some(opened_from_view(t, &view, &region(v, p, e)));
        }
    }
    None
}

/// The lines of the paste, as ranges of the view (without `\r\n`). A line break decoded from
/// `\x0A` is not one: it is part of the payload.
fn raw_lines(raw: &[u8], view: &View) -> Vec<(usize, usize)> {
    let v = view.text.as_bytes();
    let mut lines = Vec::new();
    let mut s = 0;
    for k in memchr::memchr_iter(b'\n', v) {
        if raw[view.from[k]] == b'\n' {
            let e = if k > s && v[k - 1] == b'\r' { k - 1 } else { k };
            lines.push((s, e));
            s = k + 1;
        }
    }
    let e = if v.len() > s && v[v.len() - 1] == b'\r' {
        v.len() - 1
    } else {
        v.len()
    };
    lines.push((s, e));
    lines
}

/// A payload's text and, for each byte and the end, its index in the view.
type Found = (String, Vec<usize>);

fn region(v: &str, s: usize, e: usize) -> Found {
    (v[s..e].to_owned(), (s..=e).collect())
}

fn opened_from_view(t: &str, view: &View, (text, idx): &Found) -> Opened {
    let map: Vec<usize> = idx.iter().map(|&i| view.from[i]).collect();
    let (first, end) = (map[0], map[map.len() - 1]);
    let prefix = Span::new(0, t[..floor_char_boundary(t, first)].trim_end().len());
    let envelope = if has_hex_escape(&t.as_bytes()[first..end.max(first)]) {
        Envelope::NginxEscaped { prefix }
    } else {
        Envelope::LogLine { prefix }
    };
    Opened {
        envelope,
        text: text.clone(),
        map,
    }
}

/// The payload in the log line `ls..le` of the view; `limit` is where the entry ends, for a
/// payload whose brackets never close.
fn in_log_line(v: &str, ls: usize, le: usize, limit: usize) -> Option<Found> {
    let b = v.as_bytes();
    if logfmt_key(&b[ls..le])
        && let Some(found) = logfmt(v, ls, le)
    {
        return Some(found);
    }
    let c = scan(b, ls, le)?;
    let e = end_of(v, &c, le, limit);
    Some(region(v, c.start, e))
}

/// Where a payload starts in a line, and how it is written.
struct Cand {
    start: usize,
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
fn scan(b: &[u8], ls: usize, le: usize) -> Option<Cand> {
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
fn end_of(v: &str, c: &Cand, le: usize, limit: usize) -> usize {
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

/// logfmt (`time=… level=info msg="…"`): the payload is in the msg value, or when the message is
/// only words, in another value (`body="…"`); without one, the message is the payload.
fn logfmt(v: &str, ls: usize, le: usize) -> Option<Found> {
    let b = v.as_bytes();
    let pairs = logfmt_pairs(b, ls, le);
    let is = |i: usize, names: &[&str]| {
        let (ks, ke) = pairs[i].key;
        names.iter().any(|n| n.as_bytes() == &b[ks..ke])
    };
    let msg = (0..pairs.len()).find(|&i| is(i, &["msg", "message"]))?;
    let meta = [
        "time",
        "ts",
        "t",
        "timestamp",
        "level",
        "lvl",
        "severity",
        "caller",
        "logger",
    ];
    let order = std::iter::once(msg).chain((0..pairs.len()).filter(|&i| i != msg && !is(i, &meta)));
    let mut message = None;
    for i in order {
        let (text, idx) = logfmt_value(v, &pairs[i]);
        if let Some(c) = scan(text.as_bytes(), 0, text.len()) {
            let e = end_of(&text, &c, text.len(), text.len());
            return Some((text[c.start..e].to_owned(), idx[c.start..=e].to_vec()));
        }
        if i == msg {
            message = Some((text, idx));
        }
    }
    let (text, idx) = message?;
    let s = text.len() - text.trim_start().len();
    let e = text.trim_end().len();
    (s < e).then(|| (text[s..e].to_owned(), idx[s..=e].to_vec()))
}

struct Pair {
    key: (usize, usize),
    value: (usize, usize),
    quoted: bool,
}

fn logfmt_pairs(b: &[u8], ls: usize, le: usize) -> Vec<Pair> {
    let mut pairs = Vec::new();
    let mut i = ls;
    while i < le {
        while i < le && b[i].is_ascii_whitespace() {
            i += 1;
        }
        let ks = i;
        while i < le && !b[i].is_ascii_whitespace() && b[i] != b'=' {
            i += 1;
        }
        if i >= le || b[i] != b'=' {
            continue;
        }
        let key = (ks, i);
        i += 1;
        if i < le && b[i] == b'"' {
            let vs = i + 1;
            let mut k = vs;
            while k < le && b[k] != b'"' {
                k += if b[k] == b'\\' { 2 } else { 1 };
            }
            let ve = k.min(le);
            pairs.push(Pair {
                key,
                value: (vs, ve),
                quoted: true,
            });
            i = ve + 1;
        } else {
            let vs = i;
            while i < le && !b[i].is_ascii_whitespace() {
                i += 1;
            }
            pairs.push(Pair {
                key,
                value: (vs, i),
                quoted: false,
            });
        }
    }
    pairs
}

/// A logfmt value, unquoted (Go's `%q` escapes), with the view index of each byte.
fn logfmt_value(v: &str, p: &Pair) -> Found {
    let (vs, ve) = p.value;
    if !p.quoted {
        return region(v, vs, ve);
    }
    let b = v.as_bytes();
    let mut out = Out::default();
    let mut i = vs;
    while i < ve {
        let k = memchr(b'\\', &b[i..ve]).map_or(ve, |k| i + k);
        out.copy(&b[i..k], i);
        i = k;
        if i < ve {
            if let Some(e) = c_escape(&b[i + 1..ve]) {
                out.expand(&e.bytes[..e.len], i);
                i += 1 + e.took;
            } else {
                out.push(b'\\', i);
                i += 1;
            }
        }
    }
    out.finish(ve)
}

/// Whether a line starts like a log line: a timestamp, a level, a client address (nginx),
/// logfmt's `time=`/`level=`, after up to three bracketed labels (`[main]`, `[req-8f3a]`).
fn log_start(line: &[u8]) -> bool {
    let mut rest = line;
    for _ in 0..4 {
        if timestamp(rest) || level(rest, false) || ipv4(rest) || logfmt_key(rest) {
            return true;
        }
        if rest.first() != Some(&b'[') {
            return false;
        }
        let Some(close) = rest.iter().take(80).position(|&c| c == b']') else {
            return false;
        };
        let inner = rest[1..close].trim_ascii();
        if timestamp(inner) || level(inner, true) {
            return true;
        }
        rest = rest[close + 1..].trim_ascii_start();
    }
    false
}

fn digits(b: &[u8], i: usize) -> usize {
    b.get(i..)
        .map_or(0, |r| r.iter().take_while(|c| c.is_ascii_digit()).count())
}

/// `10:21:33` at `i`.
fn clock(b: &[u8], i: usize) -> bool {
    let h = digits(b, i);
    (1..=2).contains(&h)
        && b.get(i + h) == Some(&b':')
        && digits(b, i + h + 1) == 2
        && b.get(i + h + 3) == Some(&b':')
        && digits(b, i + h + 4) >= 2
}

fn month(b: &[u8], i: usize) -> bool {
    const MONTHS: [&[u8]; 12] = [
        b"Jan", b"Feb", b"Mar", b"Apr", b"May", b"Jun", b"Jul", b"Aug", b"Sep", b"Oct", b"Nov",
        b"Dec",
    ];
    b.get(i..i + 3).is_some_and(|m| MONTHS.contains(&m))
}

/// `2024-05-12`, `2024/05/12 …`, `20240512 10:21:33`, `10:21:33.123`, `12-May-2024`,
/// `02/Mar/2024:…`, `05-12 10:21:33` (logcat), `May 12 10:21:33` (syslog), `I0512 10:21:33` (glog).
fn timestamp(b: &[u8]) -> bool {
    let n = digits(b, 0);
    if n == 4
        && let Some(&sep @ (b'-' | b'/' | b'.')) = b.get(4)
    {
        let m = digits(b, 5);
        return (1..=2).contains(&m)
            && b.get(5 + m) == Some(&sep)
            && (1..=2).contains(&digits(b, 6 + m));
    }
    if n == 8 && matches!(b.get(8), Some(b' ' | b'T')) && clock(b, 9) {
        return true;
    }
    if (1..=2).contains(&n) {
        if clock(b, 0) {
            return true;
        }
        let sep = |c: Option<&u8>| matches!(c, Some(b'-' | b'/' | b' '));
        if sep(b.get(n)) && month(b, n + 1) && sep(b.get(n + 4)) && digits(b, n + 5) == 4 {
            return true;
        }
        if matches!(b.get(n), Some(b'-' | b'/')) && digits(b, n + 1) == 2 {
            let k = skip_spaces(b, n + 3);
            return k > n + 3 && clock(b, k);
        }
    }
    if month(b, 0) && b.get(3) == Some(&b' ') {
        let k = skip_spaces(b, 4);
        let d = digits(b, k);
        return (1..=2).contains(&d) && b.get(k + d) == Some(&b' ') && clock(b, k + d + 1);
    }
    matches!(b.first(), Some(b'I' | b'W' | b'E' | b'F'))
        && digits(b, 1) == 4
        && b.get(5) == Some(&b' ')
        && clock(b, 6)
}

/// A level word (`INFO`, `WARN` …; any case inside brackets) ending at a non-word byte.
fn level(b: &[u8], any_case: bool) -> bool {
    const LEVELS: [&str; 14] = [
        "TRACE", "DEBUG", "INFO", "NOTICE", "WARN", "WARNING", "ERROR", "ERR", "CRIT", "CRITICAL",
        "FATAL", "ALERT", "EMERG", "SEVERE",
    ];
    let n = b.iter().take_while(|c| c.is_ascii_alphabetic()).count();
    let word = &b[..n];
    n > 0
        && LEVELS.iter().any(|l| {
            if any_case {
                l.as_bytes().eq_ignore_ascii_case(word)
            } else {
                l.as_bytes() == word
            }
        })
        && b.get(n).is_none_or(|&c| !is_word_byte(c))
}

/// `1.2.3.4 ` (nginx's `$remote_addr`).
fn ipv4(b: &[u8]) -> bool {
    let mut i = 0;
    for part in 0..4 {
        let n = digits(b, i);
        if !(1..=3).contains(&n) {
            return false;
        }
        i += n;
        let want = if part == 3 { b' ' } else { b'.' };
        if b.get(i) != Some(&want) {
            return false;
        }
        i += 1;
    }
    true
}

/// logfmt's first pair: `time=`, `level=` … whose value is not a form body.
fn logfmt_key(b: &[u8]) -> bool {
    const KEYS: [&[u8]; 7] = [
        b"time",
        b"ts",
        b"t",
        b"timestamp",
        b"level",
        b"lvl",
        b"severity",
    ];
    let Some(eq) = b.iter().take(10).position(|&c| c == b'=') else {
        return false;
    };
    let word = b
        .iter()
        .position(u8::is_ascii_whitespace)
        .unwrap_or(b.len());
    KEYS.contains(&&b[..eq]) && word < b.len() && !b[..word].contains(&b'&')
}

const fn is_word_byte(c: u8) -> bool {
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

// ---------------------------------------------------------------------------------------------
// nginx escapes without a prefix

/// A payload copied out of an access log by itself: `{\x22orderId\x22:…}` (no raw `"`), or a
/// form body with `\xHH` escapes; with the field's quotes or without.
fn bare_nginx(t: &str) -> Option<Opened> {
    let b = t.as_bytes();
    if !has_hex_escape(b) {
        return None;
    }
    let quoted = b.len() >= 2 && b[0] == b'"' && b[b.len() - 1] == b'"';
    let (s, e) = if quoted {
        (1, b.len() - 1)
    } else {
        (0, b.len())
    };
    let inner = &b[s..e];
    let json = matches!(inner.first(), Some(b'{' | b'['))
        && !inner.contains(&b'"')
        && memmem::find(inner, b"\\x22").is_some();
    let form = !json
        && inner.contains(&b'=')
        && !inner.iter().any(u8::is_ascii_whitespace)
        && !inner.contains(&b'"');
    if !json && !form {
        return None;
    }
    let view = decode_hex_escapes(&t[s..e]);
    Some(Opened {
        envelope: Envelope::NginxEscaped {
            prefix: Span::new(0, s),
        },
        text: view.text,
        map: view.from.into_iter().map(|i| i + s).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Opens a paste placed after two spaces, as it sits in a source file.
    fn open_src(paste: &str) -> (String, Option<Result<Opened, ParseError>>) {
        let source = format!("  {paste}\n");
        let o = open(source.trim(), 2);
        (source, o)
    }

    fn opened(paste: &str) -> (String, Opened) {
        let (source, o) = open_src(paste);
        let o = o
            .unwrap_or_else(|| panic!("not opened: {paste}"))
            .unwrap_or_else(|e| panic!("{e}: {paste}"));
        check_map(&source, &o);
        (source, o)
    }

    /// The map's invariants: one entry per byte and one for the end, inside the source, on
    /// character boundaries wherever `text` is.
    fn check_map(source: &str, o: &Opened) {
        assert_eq!(o.map.len(), o.text.len() + 1, "{:?}", o.text);
        for (i, &m) in o.map.iter().enumerate() {
            assert!(m <= source.len());
            if o.text.is_char_boundary(i) {
                assert!(source.is_char_boundary(m), "map[{i}] = {m} in {source:?}");
            }
        }
    }

    /// The source text that `needle`'s first occurrence in `text` maps to.
    fn src_of<'s>(source: &'s str, o: &Opened, needle: &str) -> &'s str {
        let a = o
            .text
            .find(needle)
            .unwrap_or_else(|| panic!("{needle} not in {}", o.text));
        &source[o.map[a]..o.map[a + needle.len()]]
    }

    const NOTIFY: &str = "count=1&dealId=2500207776&giftCardMoney=0&hbBalanceMoney=0&hbMoney=0&orderId=2645985458&partnerId=0&payMoney=1&payTime=1542124311&payType=1117&promoDetail=&promoMoney=0&returnData=&rsaSign=oOFlK3oOlVSbfLfgL%2FbgqO2rDIxt%2FVFQ%3D&status=2&totalMoney=1&tpOrderId=18607895241&unitPrice=1&userId=3269234686470";

    fn curl_url(o: &Opened) -> Option<&str> {
        match &o.envelope {
            Envelope::Curl { url } => url.as_deref(),
            e => panic!("not curl: {e:?}"),
        }
    }

    fn prefix(source: &str, o: &Opened) -> String {
        match o.envelope {
            Envelope::LogLine { prefix } | Envelope::NginxEscaped { prefix } => {
                source[prefix.start..prefix.end].to_owned()
            }
            Envelope::Curl { .. } => panic!("curl"),
        }
    }

    #[test]
    fn curl_form_body_from_the_issue() {
        let paste = format!(
            "curl -X POST http://127.0.0.1:8080/pay/notify -H 'Content-Type: application/x-www-form-urlencoded' -d '{NOTIFY}'"
        );
        let (source, o) = opened(&paste);
        assert_eq!(o.text, NOTIFY);
        assert_eq!(curl_url(&o), Some("http://127.0.0.1:8080/pay/notify"));
        assert_eq!(src_of(&source, &o, "count"), "count");
        assert_eq!(
            src_of(&source, &o, "oOFlK3oOlVSbfLfgL%2F"),
            "oOFlK3oOlVSbfLfgL%2F"
        );
        // The end maps to the closing quote.
        assert_eq!(&source[o.map[o.text.len()]..], "'\n");
    }

    #[test]
    fn curl_continuations_and_quotes() {
        let paste = "curl -sS -X POST \\\n  'https://shop.example/notify' \\\r\n  -H \"Content-Type: application/json\" \\\n  --data-raw '{\n  \"tpOrderId\": \"A1\"\n}'";
        let (source, o) = opened(paste);
        assert_eq!(o.text, "{\n  \"tpOrderId\": \"A1\"\n}");
        assert_eq!(curl_url(&o), Some("https://shop.example/notify"));
        assert_eq!(src_of(&source, &o, "tpOrderId"), "tpOrderId");

        let paste = r#"curl http://x/notify -d "{\"dealId\":\"470\",\"note\":\"\$5 \\ ok \n\"}""#;
        let (source, o) = opened(paste);
        assert_eq!(o.text, r#"{"dealId":"470","note":"$5 \ ok \n"}"#);
        assert_eq!(src_of(&source, &o, "\"470\""), r#"\"470\""#);
        assert_eq!(src_of(&source, &o, "dealId"), "dealId");
    }

    #[test]
    fn curl_ansi_c_quotes() {
        let paste =
            r"curl localhost:8080/notify --data $'orderId=1&dealTitle=it\'s\x20ok\u4e2d&x=\101'";
        let (source, o) = opened(paste);
        assert_eq!(o.text, "orderId=1&dealTitle=it's ok中&x=A");
        assert_eq!(src_of(&source, &o, "it's"), r"it\'s");
        assert_eq!(src_of(&source, &o, "中"), r"\u4e2d");
        let (_, o) = open_src(r"curl x.example -d $'a=\xff'");
        assert_eq!(o.unwrap().unwrap().text, "a=\u{FFFD}");
    }

    #[test]
    fn curl_data_urlencode_encodes_the_value() {
        let paste = "curl https://shop.example/notify --data-urlencode 'rsaSign=ab+c/d==' --data-urlencode \"dealTitle=测试 商品\" --data-urlencode =a&b --data-urlencode plain~.";
        let (source, o) = opened(paste);
        assert_eq!(
            o.text,
            "rsaSign=ab%2Bc%2Fd%3D%3D&dealTitle=%E6%B5%8B%E8%AF%95%20%E5%95%86%E5%93%81&a%26b&plain~."
        );
        // The value as written, and each escape pointing at the character it encodes.
        assert_eq!(src_of(&source, &o, "ab%2Bc%2Fd%3D%3D"), "ab+c/d==");
        assert_eq!(src_of(&source, &o, "%E6%B5%8B"), "测");
        assert_eq!(src_of(&source, &o, "dealTitle"), "dealTitle");
        let (source, o) = opened("curl -F 'rsaSign=a+b' -F userId=1 http://x.example/n");
        assert_eq!(o.text, "rsaSign=a%2Bb&userId=1");
        assert_eq!(src_of(&source, &o, "a%2Bb"), "a+b");
    }

    #[test]
    fn curl_joins_several_data_with_ampersands() {
        let paste = "curl -d orderId=1 --data 'status=2' -d'userId=3' --data-binary totalMoney=4 http://x.example/n";
        let (source, o) = opened(paste);
        assert_eq!(o.text, "orderId=1&status=2&userId=3&totalMoney=4");
        assert_eq!(src_of(&source, &o, "userId=3"), "userId=3");
        // A joining `&` maps to the end of the data before it.
        let amp = o.text.find("&status").unwrap();
        assert_eq!(&source[o.map[amp]..o.map[amp + 1]], " --data '");
        // `--json` and clusters of short options
        let (_, o) = opened(r#"curl -sSXPOST --json '{"a":1}' https://x.example"#);
        assert_eq!(o.text, r#"{"a":1}"#);
    }

    #[test]
    fn curl_without_body_reads_the_query_string() {
        let paste = "curl 'https://dianshang.baidu.com/platform/entity/openapi/queryorderdetail?appId=1&appKey=MMM&orderId=3&siteId=4&sign=x#top'";
        let (source, o) = opened(paste);
        assert_eq!(o.text, "appId=1&appKey=MMM&orderId=3&siteId=4&sign=x");
        assert!(curl_url(&o).unwrap().ends_with("sign=x#top"));
        assert_eq!(src_of(&source, &o, "sign=x"), "sign=x");
        // An unquoted `&` in the URL is read as written, not as the shell's background `&`.
        let (_, o) = opened("curl http://x.example/q?appId=1&appKey=M");
        assert_eq!(o.text, "appId=1&appKey=M");
        // `-G` sends the data in the query, after the URL's parameters.
        let (_, o) = opened("curl -G http://x.example/q?appId=1 -d orderId=3");
        assert_eq!(o.text, "appId=1&orderId=3");
    }

    #[test]
    fn curl_command_ends_at_its_line() {
        let (_, o) = opened("$ curl -s http://x.example/n -d 'a=1&b=2' | jq .\n{\"errno\":0}");
        assert_eq!(o.text, "a=1&b=2");
        let (_, o) =
            opened("curl http://x.example/n -d 'a=1&b=2'\n{\"errno\":0,\"msg\":\"success\"}");
        assert_eq!(o.text, "a=1&b=2");
        // A lost `\`: the next line goes on with an option.
        let (_, o) =
            opened("curl http://x.example/n\n  -d 'a=1' # the body\n  -d b=2 && echo done");
        assert_eq!(o.text, "a=1&b=2");
    }

    #[test]
    fn curl_windows_cmd() {
        // Chrome's "Copy as cURL (cmd)".
        let paste = "curl \"https://x.example/notify\" ^\r\n  -H \"content-type: application/json\" ^\r\n  --data-raw ^\"^{^\\^\"orderId^\\^\":^\\^\"1^\\^\"^}^\" ^\r\n  --compressed";
        let (source, o) = opened(paste);
        assert_eq!(o.text, r#"{"orderId":"1"}"#);
        assert_eq!(curl_url(&o), Some("https://x.example/notify"));
        assert_eq!(src_of(&source, &o, "orderId"), "orderId");
        // Hand-written for cmd: `\"` inside "…".
        let (_, o) = opened("curl.exe -d \"{\\\"a\\\":\\\"x y\\\"}\" ^\n http://x.example");
        assert_eq!(o.text, r#"{"a":"x y"}"#);
    }

    #[test]
    fn curl_that_cannot_be_opened_says_where() {
        let (source, o) = open_src("curl -X POST http://x.example/n -d @body.txt");
        let e = o.unwrap().unwrap_err();
        assert_eq!(&source[e.span.start..e.span.end], "@body.txt");
        assert!(e.found.en.contains("@body.txt") && e.found.zh.contains("curl"));
        let (source, o) = open_src("curl http://x.example/n --data-urlencode sign@key.txt");
        let e = o.unwrap().unwrap_err();
        assert_eq!(&source[e.span.start..e.span.end], "sign@key.txt");
        let (source, o) = open_src("curl http://x.example/n -d 'a=1&b=2");
        let e = o.unwrap().unwrap_err();
        assert_eq!(&source[e.span.start..e.span.end], "'");
        assert_eq!(e.found.en, "the end of the text");
        let (source, o) = open_src("curl -v http://x.example/notify");
        let e = o.unwrap().unwrap_err();
        assert_eq!(&source[e.span.start..e.span.end], "http://x.example/notify");
        assert!(open_src("curl -d").1.unwrap().is_err());
        // `--data-raw` sends an `@` as written.
        let (_, o) = opened("curl x.example/n --data-raw @a=1");
        assert_eq!(o.text, "@a=1");
        // Prose that starts with the word curl.
        assert!(open_src("curl returned an error").1.is_none());
    }

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
    fn logfmt_payload_is_the_message() {
        let paste = r#"time="2024-05-12T10:21:33+08:00" level=info msg="notify {\"orderId\":\"1\",\"status\":\"2\"}""#;
        let (source, o) = opened(paste);
        assert_eq!(o.text, r#"{"orderId":"1","status":"2"}"#);
        assert_eq!(src_of(&source, &o, "orderId"), "orderId");
        assert_eq!(src_of(&source, &o, "\"1\""), r#"\"1\""#);
        let (_, o) = opened(r#"level=info msg="orderId=1&status=2" caller=pay.go:12"#);
        assert_eq!(o.text, "orderId=1&status=2");
        let (_, o) = opened(r#"ts=1715480493 level=info msg=notify body="{\"a\":1}""#);
        assert_eq!(o.text, r#"{"a":1}"#);
        let (_, o) = opened(r"level=info msg=orderId=1&status=2");
        assert_eq!(o.text, "orderId=1&status=2");
    }

    #[test]
    fn multi_line_logs() {
        // The first line holds the payload; the next entry is not part of it.
        let paste = "[2024-05-12 10:21:33] local.INFO: notify {\"orderId\":\"1\"} []\n[2024-05-12 10:21:34] local.INFO: answered {\"errno\":0}";
        let (_, o) = opened(paste);
        assert_eq!(o.text, r#"{"orderId":"1"}"#);
        // A line without a payload before it.
        let paste =
            "2024-05-12 10:21:33 INFO start\n2024-05-12 10:21:33 INFO body: {\"orderId\":\"1\"}";
        let (_, o) = opened(paste);
        assert_eq!(o.text, r#"{"orderId":"1"}"#);
        // JSON over several lines, starting on the prefix line or the line after it.
        let paste = "2024-05-12 10:21:33.123 INFO [main] c.x.Pay - notify body: {\n  \"orderId\": \"1\",\n  \"status\": \"2\"\n}\n2024-05-12 10:21:34.000 INFO [main] c.x.Pay - done";
        let (source, o) = opened(paste);
        assert_eq!(o.text, "{\n  \"orderId\": \"1\",\n  \"status\": \"2\"\n}");
        assert_eq!(src_of(&source, &o, "status"), "status");
        let paste = "2024-05-12 10:21:33.123 INFO [main] c.x.Pay - notify body:\r\n{\r\n  \"orderId\": \"1\"\r\n}\r\n";
        let (source, o) = opened(paste);
        assert_eq!(o.text, "{\r\n  \"orderId\": \"1\"\r\n}");
        assert_eq!(
            prefix(&source, &o),
            "2024-05-12 10:21:33.123 INFO [main] c.x.Pay - notify body:"
        );
        // A logged request: headers, a blank line, the body.
        let paste = "2024-05-12 10:21:33 DEBUG POST /notify HTTP/1.1\nHost: x\nCookie: a=1&b=2\n\norderId=1&status=2\n\tat com.x.Pay(Pay.java:1)";
        let (_, o) = opened(paste);
        assert_eq!(o.text, "orderId=1&status=2");
        // print_r over several lines, after a Monolog prefix.
        let paste = "[2024-05-12 10:21:33] local.INFO: Array\n(\n    [appKey] => MMM\n    [bizInfo] => Array\n        (\n            [a] => 1\n        )\n\n)\n [] []";
        let (_, o) = opened(paste);
        assert!(
            o.text.starts_with("Array\n(") && o.text.ends_with("        )\n\n)"),
            "{:?}",
            o.text
        );
        let (_, o) = opened(
            "[2024-05-12 10:21:33] local.INFO: array(1) {\n  [\"appKey\"]=>\n  string(3) \"MMM\"\n}\n",
        );
        assert!(o.text.starts_with("array(1) {") && o.text.ends_with('}'));
    }

    #[test]
    fn json_string_payload_keeps_its_quotes() {
        let paste = r#"[2024-05-12 10:21:33] local.INFO: orderInfo "{\"appKey\":\"MMM\",\"dealId\":\"1\"}" []"#;
        let (source, o) = opened(paste);
        assert_eq!(o.text, r#""{\"appKey\":\"MMM\",\"dealId\":\"1\"}""#);
        assert_eq!(src_of(&source, &o, "appKey"), "appKey");
    }

    #[test]
    fn nginx_access_log_bodies() {
        // Not escaped: a log line.
        let paste = r#"1.2.3.4 - - [02/Mar/2024:10:11:12 +0800] "POST /pay/notify HTTP/1.1" 200 52 "-" "Go-http-client/1.1" "userId=1&orderId=2&rsaSign=abc%2B""#;
        let (source, o) = opened(paste);
        assert_eq!(o.text, "userId=1&orderId=2&rsaSign=abc%2B");
        assert!(matches!(o.envelope, Envelope::LogLine { .. }));
        assert!(prefix(&source, &o).ends_with("\"Go-http-client/1.1\" \""));
        // JSON with `\x22` quotes and UTF-8 in escapes.
        let paste = r#"1.2.3.4 - - [02/Mar/2024:10:11:12 +0800] "POST /pay/notify HTTP/1.1" 200 52 "-" "curl/8.0" "{\x22orderId\x22:\x221\x22,\x22dealTitle\x22:\x22\xE4\xB8\xAD\x22}""#;
        let (source, o) = opened(paste);
        assert_eq!(o.text, r#"{"orderId":"1","dealTitle":"中"}"#);
        assert!(matches!(o.envelope, Envelope::NginxEscaped { .. }));
        assert_eq!(src_of(&source, &o, "orderId"), "orderId");
        assert_eq!(src_of(&source, &o, "\"1\""), r"\x221\x22");
        assert_eq!(src_of(&source, &o, "中"), r"\xE4\xB8\xAD");
        // A form body with escapes, unquoted at the end of the line.
        let paste = r"2024/05/12 10:21:33 [info] body: orderId=1&rsaSign=abc\x2Bdef\x3D";
        let (source, o) = opened(paste);
        assert_eq!(o.text, "orderId=1&rsaSign=abc+def=");
        assert!(matches!(o.envelope, Envelope::NginxEscaped { .. }));
        assert_eq!(src_of(&source, &o, "abc+def="), r"abc\x2Bdef\x3D");
    }

    #[test]
    fn bare_nginx_escapes() {
        let (source, o) = opened(r"{\x22orderId\x22:\x221\x22,\x22note\x22:\x22a\x5C\x22b\x22}");
        assert_eq!(o.text, r#"{"orderId":"1","note":"a\"b"}"#);
        assert_eq!(
            o.envelope,
            Envelope::NginxEscaped {
                prefix: Span::new(2, 2)
            }
        );
        assert_eq!(src_of(&source, &o, "orderId"), "orderId");
        let (source, o) = opened(r#""orderId=1&rsaSign=abc\x2B\xE4\xB8\xAD""#);
        assert_eq!(o.text, "orderId=1&rsaSign=abc+中");
        assert_eq!(src_of(&source, &o, "abc+中"), r"abc\x2B\xE4\xB8\xAD");
        // Bytes that are not UTF-8 (a GBK body) become U+FFFD.
        let (_, o) = opened(r"a=\xB2\xE2&b=1");
        assert_eq!(o.text, "a=\u{FFFD}\u{FFFD}&b=1");
    }

    #[test]
    fn not_envelopes() {
        for paste in [
            r#"{"dealId":"1","tpOrderId":"2"}"#,
            r#"{"a":"\x41"}"#,
            NOTIFY,
            "https://dianshang.baidu.com/q?appId=1&appKey=M&orderId=3",
            "POST /notify HTTP/1.1\r\nHost: x\r\n\r\na=1&b=2",
            "success",
            "I get errno 10000 when the platform calls {\"a\":1}",
            "java.lang.NullPointerException: null\n\tat com.x.Pay.notify(Pay.java:42)",
            "Traceback (most recent call last):\n  File \"pay.py\", line 3, in <module>\nKeyError: 'rsaSign'",
            "Array\n(\n    [appKey] => MMM\n)",
            "{appKey=MMMxyz, dealId=410000001}",
            "map[appKey:MMM dealId:1]",
            "{'appKey': 'MMM', 'n': None}",
            "swan.requestPolymerPayment({orderInfo: {dealId: '1'}, success() {}})",
            "2024-05-12 10:21:33 INFO server started on port 8080",
            "ERROR: Unexpected token { in JSON at position 0",
            "[2024-05-12 10:21:33] local.INFO: notify [] []",
            "[{\"a\":1}]",
            "",
        ] {
            assert!(open_src(paste).1.is_none(), "{paste:?}");
        }
    }

    #[test]
    fn log_prefixes_are_recognised() {
        for line in [
            "2024-05-12T10:21:33.123Z INFO x",
            "10:21:33.123 [main] INFO x",
            "[main] INFO x",
            "[INFO ] 2024-05-12 x",
            "12-May-2024 10:21:33.123 INFO x",
            "May 12 10:21:33 host app[1]: x",
            "05-12 10:21:33.123  1234  5678 I Pay: x",
            "I0512 10:21:33.123456 1 pay.go:1] x",
            "20240512 10:21:33 x",
            "[req-8f3a] [2024-05-12 10:21:33] x",
            "1.2.3.4 - - [02/Mar/2024:10:11:12 +0800] x",
            "WARNING:root:x",
            "time=2024 level=info msg=x",
        ] {
            assert!(log_start(line.as_bytes()), "{line}");
        }
        for line in [
            "Info about it",
            "time=1&level=2",
            "[nio] x",
            "2024 was a year",
            "ERRORS x",
        ] {
            assert!(!log_start(line.as_bytes()), "{line}");
        }
    }

    #[test]
    fn odd_input_never_panics() {
        let samples = [
            "curl -d $'\\u4e2d\\x' 'a'\"b\\\"c\" ^\n -d \"中^\"\\\\\" x.y &",
            "curl \"https://x.example\" ^\n --data-raw ^\"^{^\\^\"a^\\^\":1^}^\" ^\n\n",
            "curl -F a=@f -T x --data-urlencode @y -Gd 中=文 http://中.example?q=1#",
            "[2024-05-12 10:21:33] local.INFO: 中 {\"a\":\"中\\\"}\" [\"x\"] map[ Array\n(\n",
            "2024/05/12 10:21:33 body=k=v&x=中 \\xE4\\xB8 \\x \\\\x41 \\xZZ \"{\\\"a\\\"",
            "level=info msg=\"\\u4e2d\\\" body=\"x\\",
            "\"{\\x22a\\x22:\\xFF}\"",
        ];
        for s in samples {
            let mut cuts: Vec<usize> = (0..=s.len()).filter(|&i| s.is_char_boundary(i)).collect();
            cuts.dedup();
            for &i in &cuts {
                let paste = &s[..i];
                let source = format!("  {paste}");
                if let Some(Ok(o)) = open(paste, 2) {
                    check_map(&source, &o);
                }
            }
        }
    }

    #[test]
    fn adversarial_inputs_stay_linear() {
        let n = 200_000;
        let lines = [
            format!("2024-05-12 10:21:33 INFO {}", "a=".repeat(n)),
            format!("2024-05-12 10:21:33 INFO {}", "a=b:".repeat(n)),
            format!("2024-05-12 10:21:33 INFO {}", "{a ".repeat(n)),
            format!("2024-05-12 10:21:33 INFO {}", "[{\"".repeat(n)),
            format!("2024-05-12 10:21:33 INFO {}", "Array\n(\n".repeat(n)),
            format!("2024-05-12 10:21:33 INFO x{}", " http://a".repeat(n)),
            format!(
                "2024-05-12 10:21:33 INFO x{}",
                "\n2024-05-12 10:21:33 INFO".repeat(n / 10)
            ),
            format!("curl {}", "-d a ".repeat(n)),
            format!("curl {}", "\\\n".repeat(n)),
        ];
        for t in &lines {
            let _ = open(t, 0);
        }
    }
}
