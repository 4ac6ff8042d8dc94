//! Parser throughput on the real-world corpus (shared/corpus/real-dockerfiles).
//! Run with `cargo bench -p layerlab-dockerfile`; criterion prints time per
//! iteration and bytes per second. The target (issue 3): parsing plus
//! checking the largest file well under 100 µs.

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use layerlab_dockerfile::fuzz_entry::front_end;
use layerlab_dockerfile::{checks, instructions, syntax};
use std::hint::black_box;

// The allocator the native CLI uses (crates/cli/src/main.rs): the figures are the CLI's.
#[global_allocator]
static ALLOCATOR: layerlab_alloc::Allocator = layerlab_alloc::Allocator;

fn corpus() -> Vec<(String, String)> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/corpus/real-dockerfiles");
    let mut files: Vec<(String, String)> = std::fs::read_dir(dir)
        .expect("the corpus lives in ../shared next to the repository")
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().unwrap() != "MANIFEST.txt")
        .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read_to_string(&p).unwrap()))
        .collect();
    files.sort();
    files
}

fn bench(c: &mut Criterion) {
    let files = corpus();
    let total: usize = files.iter().map(|(_, t)| t.len()).sum();
    let (largest_name, largest) = files.iter().max_by_key(|(_, t)| t.len()).unwrap().clone();

    let mut group = c.benchmark_group("corpus");
    group.throughput(Throughput::Bytes(total as u64));
    group.bench_function(format!("parse+check all {} files ({total} bytes)", files.len()), |b| {
        b.iter(|| files.iter().map(|(_, t)| front_end(black_box(t))).sum::<usize>())
    });
    group.finish();

    let mut group = c.benchmark_group("largest");
    group.throughput(Throughput::Bytes(largest.len() as u64));
    group.bench_function(format!("parse+check {largest_name} ({} bytes)", largest.len()), |b| {
        b.iter(|| front_end(black_box(&largest)))
    });
    group.finish();

    // Where the time goes: each phase of the front end on the largest file.
    let mut group = c.benchmark_group("phases");
    group.throughput(Throughput::Bytes(largest.len() as u64));
    group.bench_function("syntax", |b| b.iter(|| syntax::parse(black_box(&largest)).map(|a| a.nodes.len())));
    let ast = syntax::parse(&largest).unwrap();
    // The model takes the tree's text: each iteration parses a copy (the copy is timed too,
    // so this figure is an upper bound of the phase).
    group.bench_function("instructions", |b| b.iter(|| instructions::parse(black_box(ast.clone())).map(|f| f.stages.len())));
    let file = instructions::parse(ast).unwrap();
    group.bench_function("checks", |b| {
        b.iter(|| checks::check(black_box(&file), &checks::CheckOptions::default()).findings.len())
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
