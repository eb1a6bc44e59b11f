//! The runtime fuzzer, seeded: a few thousand random call sequences through the real
//! `Executive`, every invariant checked after every extrinsic and block (see `fuzzing/mod.rs`).
//! The same harness runs for as long as wanted under `cargo fuzz` (`runtime/fuzz/`).
//!
//! `EHR_FUZZ_RUNS` sets the number of sequences (default 2,000), `EHR_FUZZ_SEED` the first seed.

// A test may unwrap, index and overflow: the panic fails the test (clippy.toml's test allowances
// do not reach an integration test's helpers).
#![allow(
	clippy::unwrap_used,
	clippy::expect_used,
	clippy::indexing_slicing,
	clippy::arithmetic_side_effects
)]
mod common;
mod fuzzing;

#[test]
fn random_call_sequences_keep_every_invariant() {
	let runs: u64 = std::env::var("EHR_FUZZ_RUNS")
		.ok()
		.and_then(|v| v.parse().ok())
		.unwrap_or(2_000);
	let first: u64 = std::env::var("EHR_FUZZ_SEED").ok().and_then(|v| v.parse().ok()).unwrap_or(0);
	let started = std::time::Instant::now();
	let mut total = fuzzing::Stats::default();
	for seed in first..first.saturating_add(runs) {
		let data = fuzzing::bytes_from_seed(seed, 1_500);
		let stats = std::panic::catch_unwind(|| fuzzing::run(&data)).unwrap_or_else(|_| {
			panic!("seed {seed} broke a check (EHR_FUZZ_SEED={seed} EHR_FUZZ_RUNS=1 reruns it)")
		});
		total.add(&stats);
	}
	let secs = started.elapsed().as_secs_f64();
	println!(
		"{} sequences, {} blocks, {} extrinsics ({} succeeded, {} failed in dispatch, {} invalid) in {secs:.1} s: {:.0} sequences/s",
		total.runs, total.blocks, total.extrinsics, total.succeeded, total.failed, total.invalid,
		total.runs as f64 / secs
	);
	for (name, c) in &total.calls {
		println!(
			"  {name:<45} ok {:>5}  proof measured/declared ≤ {:.2}  native time/declared ≤ {:.3}",
			c.ok, c.max_proof_ratio, c.max_time_ratio
		);
	}
	if std::env::var("EHR_FUZZ_ERRORS").is_ok() {
		for (e, n) in &total.errors {
			println!("  {n:>6} × {e}");
		}
	}
	// The sequences reach the chain's calls: most EHR calls succeed at least once.
	for call in [
		"EhrIdentity.register_patient",
		"EhrConsent.grant_consent",
		"EhrConsent.revoke_consent",
		"EhrRecords.anchor_record",
		"EhrRecords.record_access",
		"Balances.transfer_keep_alive",
	] {
		assert!(total.calls.get(call).is_some_and(|c| c.ok > 0), "{call} never succeeded");
	}
}
