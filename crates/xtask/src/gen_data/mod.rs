//! `cargo xtask gen-data`: placeholder until the data generator lands (issue 4).

pub fn run(_args: &[String]) -> Result<(), String> {
    Err("gen-data is not built yet (issue 4)".into())
}
