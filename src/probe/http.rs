//! Reading an HTTP/1.1 answer as it arrives: the head parsed with httparse (interim 1xx answers
//! such as `100 Continue` skipped), the body framed by Transfer-Encoding: chunked (chunk sizes and
//! extensions by httparse, trailers read to their end) or Content-Length, or read to the close.
//! Each read is parsed from where the last one stopped, so a large answer costs linear time and
//! the measured transfer time is the network's.

use bdpay_core::message::Msg;
use bdpay_core::msg;
use bdpay_core::probe::MAX_BODY;

/// Headers beyond this many make the answer unreadable (httparse's fixed array).
const MAX_HEADERS: usize = 64;

/// What the head of the final answer says.
#[derive(Debug, Clone)]
struct Head {
    status: u16,
    location: Option<String>,
    framing: Framing,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Framing {
    /// Content-Length: this many bytes.
    Length(usize),
    Chunked,
    /// No body (1xx, 204, 304).
    Empty,
    /// Neither: the body runs until the connection closes.
    UntilClose,
}

/// An answer being read.
#[derive(Debug, Default)]
pub(super) struct Reader {
    buf: Vec<u8>,
    /// Where the final answer's head starts (after any interim answers).
    head_start: usize,
    head: Option<Head>,
    /// Where the body starts in `buf`.
    body_start: usize,
    /// Chunked: where the next chunk-size line starts, the decoded body so far, and whether the
    /// last chunk and trailers have been read.
    next_chunk: usize,
    decoded: Vec<u8>,
    done: bool,
    /// Why the answer cannot be read, once known, and where in `buf` (the message quotes what
    /// follows, read when it is shown).
    error: Option<(Broken, usize)>,
}

/// Why an answer cannot be read.
#[derive(Debug, Clone)]
enum Broken {
    NotHttp(String),
    Length(String),
    Trailers(String),
    ChunkTooLarge,
    NoCrlf,
    ChunkSize,
}

/// A read answer.
#[derive(Debug, PartialEq, Eq)]
pub(super) struct Answer {
    pub status: u16,
    pub location: Option<String>,
    /// The body (chunked decoded, capped at MAX_BODY), lossy UTF-8.
    pub body: String,
    /// Whether the body's bytes are valid UTF-8.
    pub utf8: bool,
}

impl Reader {
    /// Adds bytes read from the connection; true when the answer is complete.
    pub(super) fn push(&mut self, bytes: &[u8]) -> bool {
        self.buf.extend_from_slice(bytes);
        self.advance();
        self.done
    }

    /// Bytes received so far.
    pub(super) fn len(&self) -> usize {
        self.buf.len()
    }

    fn advance(&mut self) {
        while self.head.is_none() && self.error.is_none() {
            let mut headers = [httparse::EMPTY_HEADER; MAX_HEADERS];
            let mut r = httparse::Response::new(&mut headers);
            match r.parse(&self.buf[self.head_start..]) {
                Ok(httparse::Status::Partial) => return,
                Ok(httparse::Status::Complete(n)) => {
                    let status = r.code.unwrap_or(0);
                    let end = self.head_start + n;
                    // An interim answer (100 Continue, 103 Early Hints): the final one follows.
                    if (100..200).contains(&status) && status != 101 {
                        self.head_start = end;
                        continue;
                    }
                    let value = |name: &str| {
                        r.headers
                            .iter()
                            .find(|h| h.name.eq_ignore_ascii_case(name))
                            .map(|h| String::from_utf8_lossy(h.value).trim().to_owned())
                    };
                    let chunked = value("transfer-encoding")
                        .is_some_and(|v| v.to_ascii_lowercase().contains("chunked"));
                    let framing = if status == 204 || status == 304 || status == 101 {
                        Framing::Empty
                    } else if chunked {
                        Framing::Chunked
                    } else if let Some(len) = value("content-length") {
                        if let Ok(n) = len.parse::<usize>() {
                            Framing::Length(n)
                        } else {
                            self.error = Some((Broken::Length(len), end));
                            return;
                        }
                    } else {
                        Framing::UntilClose
                    };
                    self.head = Some(Head {
                        status,
                        location: value("location"),
                        framing,
                    });
                    self.body_start = end;
                    self.next_chunk = end;
                }
                Err(e) => {
                    self.error = Some((Broken::NotHttp(e.to_string()), self.head_start));
                    self.done = true;
                    return;
                }
            }
        }
        let Some(head) = &self.head else { return };
        match head.framing {
            Framing::Empty => self.done = true,
            Framing::Length(n) => self.done = self.buf.len() - self.body_start >= n,
            Framing::UntilClose => {}
            Framing::Chunked => self.chunks(),
        }
    }

    /// Reads the chunks that have fully arrived, from where the last read stopped.
    fn chunks(&mut self) {
        while !self.done {
            let rest = &self.buf[self.next_chunk..];
            match httparse::parse_chunk_size(rest) {
                Ok(httparse::Status::Partial) => return,
                Ok(httparse::Status::Complete((line, 0))) => {
                    // The last chunk: trailers (perhaps none) up to an empty line.
                    let mut trailers = [httparse::EMPTY_HEADER; MAX_HEADERS];
                    match httparse::parse_headers(&rest[line..], &mut trailers) {
                        Ok(httparse::Status::Complete(_)) => self.done = true,
                        Ok(httparse::Status::Partial) => return,
                        Err(e) => {
                            self.error = Some((Broken::Trailers(e.to_string()), self.next_chunk));
                            self.done = true;
                        }
                    }
                }
                Ok(httparse::Status::Complete((line, size))) => {
                    let Ok(size) = usize::try_from(size) else {
                        self.error = Some((Broken::ChunkTooLarge, self.next_chunk));
                        self.done = true;
                        return;
                    };
                    let need = line.saturating_add(size).saturating_add(2);
                    if rest.len() < need {
                        return;
                    }
                    if &rest[line + size..need] != b"\r\n" {
                        self.error = Some((Broken::NoCrlf, self.next_chunk));
                        self.done = true;
                        return;
                    }
                    let room = MAX_BODY.saturating_sub(self.decoded.len());
                    let data = &rest[line..line + size];
                    self.decoded
                        .extend_from_slice(&data[..data.len().min(room)]);
                    self.next_chunk += need;
                }
                Err(_) => {
                    self.error = Some((Broken::ChunkSize, self.next_chunk));
                    self.done = true;
                }
            }
        }
    }

    /// Why an answer that ended here is cut short, if it is.
    pub(super) fn short(&self) -> Option<Msg> {
        let head = self.head.as_ref()?;
        match head.framing {
            Framing::Length(want) => {
                let got = self.buf.len() - self.body_start;
                (got < want).then(|| {
                    msg!(
                        "the connection ended after {got} of the {want} body bytes its Content-Length announced",
                        "连接在收到 {got} 字节后断开，而 Content-Length 声明的应答有 {want} 字节"
                    )
                })
            }
            Framing::Chunked if !self.done => Some(msg!(
                "the connection ended inside the chunked body, before its last chunk",
                "连接在分块应答的最后一个分块之前断开"
            )),
            _ => None,
        }
    }

    /// The answer as read so far: status, Location and body.
    pub(super) fn answer(&self) -> Result<Answer, Msg> {
        if let Some((why, at)) = &self.error {
            return Err(self.explain(why, *at));
        }
        let Some(head) = &self.head else {
            return Err(msg!(
                "the answer has no complete HTTP header",
                "应答没有完整的 HTTP 头"
            ));
        };
        let raw = &self.buf[self.body_start..];
        let body: &[u8] = match head.framing {
            Framing::Chunked => &self.decoded,
            Framing::Length(n) => &raw[..raw.len().min(n)],
            Framing::Empty => &[],
            Framing::UntilClose => raw,
        };
        let body = &body[..body.len().min(MAX_BODY)];
        Ok(Answer {
            status: head.status,
            location: head.location.clone(),
            body: String::from_utf8_lossy(body).into_owned(),
            utf8: std::str::from_utf8(body).is_ok(),
        })
    }
}

impl Reader {
    /// The message for a broken answer, quoting what follows the place it broke.
    fn explain(&self, why: &Broken, at: usize) -> Msg {
        let bytes = &self.buf[at.min(self.buf.len())..];
        let line = bytes.split(|&b| b == b'\n').next().unwrap_or(bytes);
        let start: String = String::from_utf8_lossy(line)
            .trim_end()
            .chars()
            .take(40)
            .collect();
        match why {
            Broken::NotHttp(e) if bytes.starts_with(b"HTTP/") => msg!(
                "the answer's HTTP head is malformed ({e}): {start:?}",
                "应答的 HTTP 头格式错误（{e}）：{start:?}"
            ),
            Broken::NotHttp(_) => msg!(
                "the answer is not HTTP: {start:?}",
                "应答不是 HTTP：{start:?}"
            ),
            Broken::Length(len) => msg!(
                "the Content-Length {len:?} is not a number",
                "Content-Length {len:?} 不是数字"
            ),
            Broken::Trailers(e) => msg!(
                "the chunked answer's trailers are malformed: {e}",
                "分块应答的尾部字段格式错误：{e}"
            ),
            Broken::ChunkTooLarge => msg!("a chunk is too large: {start:?}", "分块过大：{start:?}"),
            Broken::NoCrlf => msg!(
                "a chunk of the answer is not followed by CRLF: {start:?}",
                "应答的某个分块后面没有 CRLF：{start:?}"
            ),
            Broken::ChunkSize => msg!(
                "the chunked answer has no valid chunk size at {start:?}",
                "分块应答在 {start:?} 处没有有效的分块长度"
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads `bytes` in one piece and byte by byte: both must agree.
    fn read(bytes: &[u8]) -> (bool, Result<Answer, Msg>) {
        let mut whole = Reader::default();
        let done = whole.push(bytes);
        let mut piecewise = Reader::default();
        let mut done2 = false;
        for b in bytes {
            done2 = piecewise.push(&[*b]);
        }
        assert_eq!(done, done2);
        assert_eq!(whole.answer(), piecewise.answer());
        (done, whole.answer())
    }

    #[allow(clippy::unnecessary_wraps)] // compared with what `answer` returns
    fn ok(status: u16, location: Option<&str>, body: &str) -> Result<Answer, Msg> {
        Ok(Answer {
            status,
            location: location.map(str::to_owned),
            body: body.to_owned(),
            utf8: true,
        })
    }

    #[test]
    fn content_length_and_chunks() {
        let r = b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello";
        assert_eq!(read(r), (true, ok(200, None, "hello")));
        let c = b"HTTP/1.1 302 Found\r\nLocation: https://x/y\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n";
        assert_eq!(read(c), (true, ok(302, Some("https://x/y"), "abc")));
        assert!(read(b"SSH-2.0-OpenSSH_9.6\r\n\r\n").1.is_err());
    }

    #[test]
    fn a_body_holding_the_last_chunk_marker_is_not_cut() {
        // Inside a chunk, "0\r\n\r\n" is data.
        let c =
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n7\r\nx0\r\n\r\ny\r\n0\r\n\r\n";
        assert_eq!(read(c), (true, ok(200, None, "x0\r\n\r\ny")));
        // A Content-Length body holding it is read to its length.
        let l = b"HTTP/1.1 200 OK\r\nContent-Length: 8\r\n\r\n0\r\n\r\nabc";
        assert_eq!(read(l), (true, ok(200, None, "0\r\n\r\nabc")));
        let mut partial = Reader::default();
        assert!(!partial.push(b"HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\n0\r\n\r\n"));
        assert!(partial.short().is_some());
    }

    #[test]
    fn chunk_extensions_and_trailers() {
        let c = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n4;name=value\r\n{\"a\"\r\n2\r\n:1\r\n1\r\n}\r\n0\r\nX-Checksum: abc\r\nX-Other: 1\r\n\r\n";
        assert_eq!(read(c), (true, ok(200, None, "{\"a\":1}")));
        // Without its empty line the trailer section is not over.
        let mut r = Reader::default();
        assert!(!r.push(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nX-A: 1\r\n"));
        assert!(r.push(b"\r\n"));
    }

    #[test]
    fn an_interim_answer_is_not_the_answer() {
        let c = b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok";
        assert_eq!(read(c), (true, ok(200, None, "ok")));
        let mut r = Reader::default();
        assert!(!r.push(b"HTTP/1.1 100 Continue\r\n\r\n"));
        assert!(r.answer().is_err());
    }

    #[test]
    fn bodyless_statuses_and_bodies_until_close() {
        assert_eq!(
            read(b"HTTP/1.1 204 No Content\r\n\r\n"),
            (true, ok(204, None, ""))
        );
        let (done, a) = read(b"HTTP/1.0 200 OK\r\n\r\nuntil close");
        assert!(!done);
        assert_eq!(a, ok(200, None, "until close"));
    }

    #[test]
    fn broken_framing_is_named() {
        let (done, a) =
            read(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nab\r\n0\r\n\r\n");
        assert!(done);
        assert!(a.unwrap_err().en.contains("chunk size"));
        let (_, a) =
            read(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabc\r\n0\r\n\r\n");
        assert!(a.unwrap_err().en.contains("CRLF"));
        let mut r = Reader::default();
        r.push(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab");
        assert!(r.short().unwrap().en.contains("chunked"));
        let (_, a) = read(b"HTTP/1.1 200 OK\r\nContent-Length: x\r\n\r\n");
        assert!(a.unwrap_err().en.contains("Content-Length"));
    }

    #[test]
    fn a_large_chunked_answer_is_read_in_pieces() {
        // 1 MiB in 8 KiB chunks, fed in 8 KiB reads: every byte arrives once and is kept.
        let mut wire = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n".to_vec();
        for i in 0..128u8 {
            wire.extend_from_slice(b"2000\r\n");
            wire.extend(std::iter::repeat_n(b'a' + i % 26, 8192));
            wire.extend_from_slice(b"\r\n");
        }
        wire.extend_from_slice(b"0\r\n\r\n");
        let mut r = Reader::default();
        let mut done = false;
        for piece in wire.chunks(8192) {
            done = r.push(piece);
        }
        assert!(done);
        let a = r.answer().unwrap();
        assert_eq!(a.body.len(), (128 * 8192).min(MAX_BODY));
    }
}
