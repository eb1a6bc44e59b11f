//! `cargo fuzz run runtime`: the runtime fuzzer's harness (`runtime/tests/fuzzing/mod.rs`) on
//! libFuzzer's inputs. Every check of the harness is an assertion: a broken one is a crash,
//! saved by libFuzzer under `artifacts/runtime/` and replayed with `cargo fuzz run runtime <file>`.
#![no_main]

#[allow(dead_code)]
#[path = "../../tests/common/mod.rs"]
mod common;
#[allow(dead_code)]
#[path = "../../tests/fuzzing/mod.rs"]
mod fuzzing;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
	// Coverage instrumentation slows every line: the times are not the runtime's, so only the
	// seeded test (an optimised build) compares them with the declared ref time.
	fuzzing::CHECK_TIME.store(false, std::sync::atomic::Ordering::Relaxed);
	fuzzing::run(data);
});
