use layerlab_dockerfile::{checks, instructions, syntax};
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
fn run(mode: &str, text: &str) -> usize {
    match mode {
        "syntax" => syntax::parse(std::hint::black_box(text)).unwrap().nodes.len(),
        "parse" => instructions::parse_text(std::hint::black_box(text)).unwrap().stages.len(),
        _ => {
            let f = instructions::parse_text(std::hint::black_box(text)).unwrap();
            checks::check(&f, &Default::default()).findings.len()
        }
    }
}
fn main() {
    let n: usize = std::env::args().nth(1).unwrap().parse().unwrap();
    let mode = std::env::args().nth(2).unwrap_or("check".into());
    let text = std::fs::read_to_string(std::env::var("DF").unwrap_or("/work/shared/corpus/real-dockerfiles/43__moby_moby__Dockerfile".into())).unwrap();
    let mut acc = 0;
    if std::env::var("TIME").is_ok() {
        let mut best = f64::MAX;
        for _ in 0..20 {
            let t = std::time::Instant::now();
            for _ in 0..n { acc += run(&mode, &text); }
            let per = t.elapsed().as_secs_f64() / n as f64;
            if std::env::var("ALL").is_ok() { eprint!("{:.0} ", per * 1e6); }
            best = best.min(per);
        }
        eprintln!("{mode}: best {:.1} µs", best * 1e6);
    }
    for _ in 0..n { acc += run(&mode, &text); }
    println!("{acc}");
}
