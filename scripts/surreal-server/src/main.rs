//! SurrealDB's own `surreal` command (`surreal start …`), as its binary builds it.
fn main() -> std::process::ExitCode {
    surrealdb_server::init(surrealdb_server::core::CommunityComposer())
}
