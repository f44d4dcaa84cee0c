//! Readers for what merchants paste besides JSON, form bodies, URLs and HTTP requests: language
//! print-outs (PHP, Java, Go, Python), the browser devtools' views, and the envelopes a payload
//! arrives in (a curl command line, a log line, nginx's escaped `$request_body`). Every reader
//! keeps byte spans into the pasted text, so findings point at the right place.

pub mod devtools;
pub mod dumps;
pub mod envelope;
