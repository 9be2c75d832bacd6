//! The harness's short form (`kehu soak --quick`): the real binary, started as its own
//! process, through kill -9 cycles, a sign-in flood, the bad-input corpus and a little load.

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_quick_soak_finds_no_hole() {
    let bin = std::path::PathBuf::from(env!("CARGO_BIN_EXE_kehu"));
    kehu::soak::run(kehu::soak::Options::new(true, bin)).await.expect("the soak found a hole");
}
