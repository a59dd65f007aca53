#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| noesis_fuzz::edge_checks::edge_allowlist(data));
