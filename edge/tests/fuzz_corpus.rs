//! Replays the kept corpus of the `edge_allowlist` fuzz target (`fuzz/corpus/edge_allowlist/`)
//! through the check the target runs (`fuzz/src/edge_checks.rs`, included below), on stable.

#[path = "../../fuzz/src/edge_checks.rs"]
mod edge_checks;

#[test]
fn edge_allowlist_corpus() {
    let folder = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fuzz/corpus/edge_allowlist");
    let mut files: Vec<_> =
        std::fs::read_dir(&folder).expect("the corpus folder").map(|entry| entry.expect("an entry").path()).collect();
    files.sort();
    assert!(!files.is_empty(), "the edge_allowlist corpus is empty");
    for path in files {
        let data = std::fs::read(&path).expect("a corpus file reads");
        if std::panic::catch_unwind(|| edge_checks::edge_allowlist(&data)).is_err() {
            panic!("{} fails the edge_allowlist check (see the panic above)", path.display());
        }
    }
}
