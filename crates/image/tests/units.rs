//! Docker's size and duration strings (go-units), with the examples the reference gives.

use layerlab_image::units::{format_g, human_duration, human_size, human_size_with_precision};

#[test]
fn sizes_read_as_docker_prints_them() {
    let history = |b: f64| human_size_with_precision(b, 3);
    assert_eq!(history(0.0), "0B");
    assert_eq!(history(1234.0), "1.23kB");
    assert_eq!(history(12345.0), "12.3kB");
    assert_eq!(history(8_460_000.0), "8.46MB");
    assert_eq!(history(1000.0), "1kB");
    assert_eq!(history(999_500.0), "1e+03kB", "the %g quirk");
    assert_eq!(history(74_873_925.0), "74.9MB");
    assert_eq!(history(116_616_144.0), "117MB");
    assert_eq!(human_size(2048.0), "2.048kB");
    assert_eq!(human_size(3072.0), "3.072kB");
    assert_eq!(human_size(999.0), "999B");
}

#[test]
fn go_percent_g() {
    assert_eq!(format_g(0.0001234, 3), "0.000123");
    assert_eq!(format_g(0.00001234, 3), "1.23e-05");
    assert_eq!(format_g(123456.0, 3), "1.23e+05");
    assert_eq!(format_g(100.0, 3), "100");
    assert_eq!(format_g(2.5, 1), "2", "ties round to even");
}

#[test]
fn durations_read_as_docker_prints_them() {
    assert_eq!(human_duration(0), "Less than a second");
    assert_eq!(human_duration(1), "1 second");
    assert_eq!(human_duration(59), "59 seconds");
    assert_eq!(human_duration(60), "About a minute");
    assert_eq!(human_duration(45 * 60), "45 minutes");
    assert_eq!(human_duration(3600), "About an hour");
    assert_eq!(human_duration(5 * 3600), "5 hours");
    assert_eq!(human_duration(3 * 86400), "3 days");
    assert_eq!(human_duration(21 * 86400), "3 weeks");
    assert_eq!(human_duration(90 * 86400), "3 months");
    assert_eq!(human_duration(3 * 365 * 86400), "3 years");
}

#[test]
fn hours_round_as_go_units_rounds_them() {
    assert_eq!(human_duration(90 * 60), "2 hours", "1.5 h rounds to 2");
    assert_eq!(human_duration(47 * 3600 + 1800), "2 days", "47.5 h rounds to 48 h");
}
