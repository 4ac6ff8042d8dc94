//! The config JSON in BuildKit's exact shape (reference C6) and the image ID over its bytes.

use layerlab_image::config::{Empty, HistoryEntry, ImageConfig, RootFs, RunConfig};
use layerlab_image::identity::sha256_digest;

fn example() -> ImageConfig {
    ImageConfig {
        architecture: "amd64".into(),
        author: String::new(),
        config: RunConfig {
            user: "app".into(),
            exposed_ports: [("80/tcp".to_string(), Empty {})].into(),
            env: vec!["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin".into(), "A=1".into()],
            cmd: Some(vec!["sh".into()]),
            volumes: [("/data".to_string(), Empty {})].into(),
            working_dir: "/app".into(),
            labels: [("k".to_string(), "v".to_string())].into(),
            stop_signal: "SIGTERM".into(),
            args_escaped: true,
            ..RunConfig::default()
        },
        created: "2026-01-01T00:00:00Z".into(),
        history: vec![
            HistoryEntry { created: "2026-01-01T00:00:00Z".into(), created_by: "ENV A=1".into(), comment: "buildkit.dockerfile.v0".into(), empty_layer: true },
            HistoryEntry { created: "2026-01-01T00:00:00Z".into(), created_by: "RUN /bin/sh -c make # buildkit".into(), comment: "buildkit.dockerfile.v0".into(), empty_layer: false },
        ],
        os: "linux".into(),
        rootfs: RootFs { kind: "layers", diff_ids: vec!["sha256:aa".into()] },
    }
}

#[test]
fn config_json_has_buildkits_key_order() {
    assert_eq!(
        example().to_json(),
        concat!(
            r#"{"architecture":"amd64","config":{"User":"app","ExposedPorts":{"80/tcp":{}},"Env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin","A=1"],"#,
            r#""Cmd":["sh"],"Volumes":{"/data":{}},"WorkingDir":"/app","Labels":{"k":"v"},"StopSignal":"SIGTERM","ArgsEscaped":true},"#,
            r#""created":"2026-01-01T00:00:00Z","history":[{"created":"2026-01-01T00:00:00Z","created_by":"ENV A=1","comment":"buildkit.dockerfile.v0","empty_layer":true},"#,
            r#"{"created":"2026-01-01T00:00:00Z","created_by":"RUN /bin/sh -c make # buildkit","comment":"buildkit.dockerfile.v0"}],"#,
            r#""os":"linux","rootfs":{"type":"layers","diff_ids":["sha256:aa"]}}"#
        )
    );
}

#[test]
fn go_escapes_html_characters_and_the_id_hashes_the_bytes() {
    let mut config = example();
    config.config.labels = [("maintainer".to_string(), "NGINX <docker-maint@nginx.com> & co".to_string())].into();
    let json = config.to_json();
    assert!(json.contains(r#""maintainer":"NGINX \u003cdocker-maint@nginx.com\u003e \u0026 co""#), "{json}");
    assert_eq!(config.id(), sha256_digest(json.as_bytes()));
    config.config.labels = [("note".to_string(), "a\u{2028}b\u{2029}<".to_string())].into();
    assert!(config.to_json().contains(r#""note":"a\u2028b\u2029\u003c""#), "{}", config.to_json());
}
