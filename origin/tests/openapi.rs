//! `docs/openapi.json` is the document `GET /api/openapi.json` serves, generated from the code;
//! this test fails when they differ. After changing a route or a type, rewrite the file with
//! `NOESIS_BLESS=1 cargo test -p noesis-origin --test openapi`.

use std::path::PathBuf;

#[test]
fn docs_openapi_json_is_the_generated_document() {
    let generated = serde_json::to_string_pretty(&noesis_origin::routes::openapi::document()).unwrap() + "\n";
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../docs/openapi.json");
    if std::env::var_os("NOESIS_BLESS").is_some() {
        std::fs::write(&path, &generated).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == generated,
        "docs/openapi.json is not the generated document; run NOESIS_BLESS=1 cargo test -p noesis-origin --test openapi"
    );
}
