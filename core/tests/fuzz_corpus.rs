//! Replays the kept fuzz corpus (`fuzz/corpus/<target>/`) through the very checks the fuzz
//! targets run (`fuzz/src/checks.rs`, included below), on stable and in seconds, so that every
//! input the fuzzer found interesting, and every crash it ever found, is re-run by `cargo test`.
//! Fuzzing itself: `docs/security.md`.

#[path = "../../fuzz/src/checks.rs"]
mod checks;

use std::path::PathBuf;

/// Every file of `fuzz/corpus/<target>/`, read, in name order.
fn corpus(target: &str) -> Vec<(String, Vec<u8>)> {
    let folder = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../fuzz/corpus").join(target);
    let mut files: Vec<_> = std::fs::read_dir(&folder)
        .unwrap_or_else(|err| panic!("{}: {err}", folder.display()))
        .map(|entry| entry.expect("a directory entry").path())
        .collect();
    files.sort();
    let files: Vec<_> = files
        .into_iter()
        .map(|path| (path.display().to_string(), std::fs::read(&path).expect("a corpus file reads")))
        .collect();
    assert!(!files.is_empty(), "the corpus of {target} is empty");
    files
}

/// Runs `check` on every corpus file of `target`, naming the file that fails.
fn replay(target: &str, check: fn(&[u8])) {
    for (name, data) in corpus(target) {
        if std::panic::catch_unwind(|| check(&data)).is_err() {
            panic!("{name} fails the {target} check (see the panic above)");
        }
    }
}

/// One test per target, named after it, replaying its corpus through its check.
macro_rules! replays {
    ($($target:ident),* $(,)?) => {
        $(#[test]
        fn $target() {
            replay(stringify!($target), checks::$target);
        })*
    };
}

replays!(engine_request, workflow_request, key_parsing, allowlist_decode, request_id);

#[test]
fn the_seeds_reach_success_in_every_engine() {
    // A corpus that only ever produced refusals would fuzz the parser and nothing behind it.
    let ok: std::collections::BTreeSet<usize> = corpus("engine_request")
        .iter()
        .filter(|(_, data)| {
            let (selector, level, body) = checks::split_selected(data);
            let engines = noesis_core::engines::registry::all();
            let id = engines[selector % engines.len()].meta().id;
            noesis_core::engines::calculate(id, body, level, checks::fixed_now(), noesis_core::engines::ServedBy::Edge)
                .is_ok()
        })
        .map(|(_, data)| usize::from(data[0]) % noesis_core::engines::registry::all().len())
        .collect();
    assert_eq!(ok.len(), noesis_core::engines::registry::all().len(), "engines answered: {ok:?}");
}
