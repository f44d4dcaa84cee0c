//! Tests across the envelopes (what is none, odd and adversarial input), and the helpers the
//! envelopes' own tests share.

use super::{Envelope, Opened, open};
use crate::payload::json::ParseError;

/// Opens a paste placed after two spaces, as it sits in a source file.
pub(super) fn open_src(paste: &str) -> (String, Option<Result<Opened, ParseError>>) {
    let source = format!("  {paste}\n");
    let o = open(source.trim(), 2);
    (source, o)
}

pub(super) fn opened(paste: &str) -> (String, Opened) {
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
pub(super) fn src_of<'s>(source: &'s str, o: &Opened, needle: &str) -> &'s str {
    let a = o
        .text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle} not in {}", o.text));
    &source[o.map[a]..o.map[a + needle.len()]]
}

pub(super) const NOTIFY: &str = "count=1&dealId=2500207776&giftCardMoney=0&hbBalanceMoney=0&hbMoney=0&orderId=2645985458&partnerId=0&payMoney=1&payTime=1542124311&payType=1117&promoDetail=&promoMoney=0&returnData=&rsaSign=oOFlK3oOlVSbfLfgL%2FbgqO2rDIxt%2FVFQ%3D&status=2&totalMoney=1&tpOrderId=18607895241&unitPrice=1&userId=3269234686470";

pub(super) fn curl_url(o: &Opened) -> Option<&str> {
    match &o.envelope {
        Envelope::Curl { url } => url.as_deref(),
        e => panic!("not curl: {e:?}"),
    }
}

pub(super) fn prefix(source: &str, o: &Opened) -> String {
    match o.envelope {
        Envelope::LogLine { prefix } | Envelope::NginxEscaped { prefix } => {
            source[prefix.start..prefix.end].to_owned()
        }
        Envelope::Curl { .. } => panic!("curl"),
    }
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
