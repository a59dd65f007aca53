//! `sqlx::migrate!` embeds the files of `migrations/` at compile time; a new migration file must
//! rebuild the crate even though no Rust source changed.

fn main() {
    println!("cargo:rerun-if-changed=../migrations");
}
