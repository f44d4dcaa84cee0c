//! A curl command line: its options, and the request body (or the URL's query string) as
//! curl sends it, `--data-urlencode` and `-F` values percent-encoded.

mod words;

use memchr::{memchr, memmem};

use super::{Envelope, Opened, Out, error};
use crate::msg;
use crate::payload::json::ParseError;
use crate::source::Span;
use words::{Word, cmd_words, posix_words, skip_blanks};

/// The word `curl` (or `curl.exe`, after a `$ ` prompt) when the paste is a curl command.
pub(super) fn curl_start(t: &str) -> Option<Span> {
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

pub(super) fn curl(t: &str, word: Span) -> Option<Result<Opened, ParseError>> {
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

#[cfg(test)]
mod tests {
    use crate::payload::paste::envelope::tests::{NOTIFY, curl_url, open_src, opened, src_of};

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
}
