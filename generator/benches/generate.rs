//! `Config::generate` per schema of `schemas/`, all four together (the target: under 100 ms in release), and all four
//! as the `generated` crate's build script generates them (`Config::contract_only`).
//!
//! `cargo bench -p generator --bench generate`

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, criterion_group, criterion_main};
use generator::{Config, Source};

fn schemas() -> Vec<Source> {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../schemas");
    let mut paths: Vec<_> = std::fs::read_dir(&dir)
        .expect("schemas/ is readable")
        .map(|entry| entry.expect("schemas/ is readable").path())
        .filter(|p| p.extension().is_some_and(|e| e == "graphql") && !p.ends_with("rules.graphql"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path).expect("a schema is readable");
            Source::new(path, text)
        })
        .collect()
}

fn generate(c: &mut Criterion) {
    let sources = schemas();
    let config = Config::new();
    let mut group = c.benchmark_group("generate");
    group
        .sample_size(20)
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(5));
    for source in &sources {
        let name = source
            .path
            .file_stem()
            .unwrap()
            .to_string_lossy()
            .into_owned();
        let one = std::slice::from_ref(source);
        group.bench_function(name, |b| {
            b.iter(|| {
                config
                    .generate(black_box(one))
                    .expect("the schema generates")
            })
        });
    }
    group.bench_function("all", |b| {
        b.iter(|| {
            config
                .generate(black_box(&sources))
                .expect("the schemas generate")
        })
    });
    let mut contract = Config::new();
    contract.contract_only(true);
    group.bench_function("all_contract_only", |b| {
        b.iter(|| {
            contract
                .generate(black_box(&sources))
                .expect("the schemas generate")
        })
    });
    group.finish();
}

criterion_group!(benches, generate);
criterion_main!(benches);
