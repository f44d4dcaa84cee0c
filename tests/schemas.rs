//! `bdpay-doctor schema config|output|ndjson` prints JSON Schemas generated from the types; the
//! demo config, the starter config, and the demo's JSON and NDJSON output validate against them,
//! and things they must refuse are refused.

mod common;

use common::{bin, output};

fn schema(of: &str) -> jsonschema::Validator {
    let (code, out, err) = output(bin().args(["schema", of]));
    assert_eq!(code, 0, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    jsonschema::validator_for(&v).unwrap_or_else(|e| panic!("{of}: not a schema: {e}"))
}

fn toml_json(text: &str) -> serde_json::Value {
    serde_json::to_value(toml::from_str::<toml::Value>(text).unwrap()).unwrap()
}

fn valid(v: &jsonschema::Validator, doc: &serde_json::Value, what: &str) {
    let errors: Vec<String> = v
        .iter_errors(doc)
        .map(|e| format!("{e} at {}", e.instance_path))
        .collect();
    assert!(errors.is_empty(), "{what}: {errors:#?}");
}

#[test]
fn configs_validate_against_the_config_schema() {
    let v = schema("config");
    for path in [
        "fixtures/demo/bdpay.toml",
        "fixtures/rules/CFG001-config-placeholder/bad/bdpay.toml",
        "crates/bdpay-core/src/starter.toml",
        "crates/bdpay-core/src/starter.zh.toml",
    ] {
        valid(
            &v,
            &toml_json(&std::fs::read_to_string(path).unwrap()),
            path,
        );
    }
    // What the config reader refuses, the schema refuses: an unknown key, a wrong type, an
    // ignore without its reason, an unknown language.
    for bad in [
        "[merchant]\napp_kee = \"MMMabc\"\n",
        "[test]\namounts = [\"1\"]\n",
        "[[lint.ignore]]\nrule = \"RSP001\"\n",
        "[keys]\nlanguage = \"cobol\"\n",
    ] {
        assert!(!v.is_valid(&toml_json(bad)), "accepted: {bad}");
    }
}

#[test]
fn json_and_ndjson_output_validate_against_their_schemas() {
    let doc = schema("output");
    let line = schema("ndjson");
    let runs: [&[&str]; 4] = [
        &[
            "check",
            "--config",
            "fixtures/demo/bdpay.toml",
            "fixtures/demo/payloads",
        ],
        &[
            "diagnose",
            "fixtures/demo/payloads/notify.form",
            "--key",
            "fixtures/demo/keys/platform_public_key.pem",
        ],
        &[
            "check",
            "fixtures/no-such-file.json",
            "fixtures/demo/payloads/order.js",
        ],
        &["check", "--config", "fixtures/no-such-config.toml"],
    ];
    for args in runs {
        let (_, out, _) = output(bin().args(["--format", "json"]).args(args));
        let v: serde_json::Value = serde_json::from_str(&out).unwrap();
        valid(&doc, &v, &args.join(" "));
        let (_, out, _) = output(bin().args(["--format", "ndjson"]).args(args));
        assert!(!out.is_empty());
        for l in out.lines() {
            let v = serde_json::from_str(l)
                .unwrap_or_else(|e| panic!("not one JSON object per line: {e}: {l}"));
            valid(&line, &v, l);
        }
    }
    // A document of another shape is refused.
    assert!(!doc.is_valid(&serde_json::json!({"version": 1, "diagnostics": [{"code": 7}]})));
}
