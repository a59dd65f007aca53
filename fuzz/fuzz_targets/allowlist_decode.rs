#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| noesis_fuzz::checks::allowlist_decode(data));
