//! `docker history` output, column for column.

use layerlab_image::history::{render, Row};

#[test]
fn history_reads_as_docker_prints_it() {
    let rows = vec![
        Row { id: Some("sha256:beefdbd8a1da6d2915566fde36db9db0b524eb737fc57cd1367effd16dc0d06d".into()), age: Some(21 * 86400), created_by: "/bin/sh -c #(nop)  CMD [\"/bin/sh\"]".into(), size: 0, comment: String::new() },
        Row { id: None, age: Some(21 * 86400), created_by: "/bin/sh -c #(nop) ADD file:7e9002edaafd4e4579b65c8f0aaabde1aeb7fd3f8d95579f7fd3443cef785fd1 in / ".into(), size: 7_797_760, comment: String::new() },
    ];
    assert_eq!(
        render(&rows, false),
        concat!(
            "IMAGE          CREATED       CREATED BY                                      SIZE      COMMENT\n",
            "beefdbd8a1da   3 weeks ago   /bin/sh -c #(nop)  CMD [\"/bin/sh\"]              0B        \n",
            "<missing>      3 weeks ago   /bin/sh -c #(nop) ADD file:7e9002edaafd4e457…   7.8MB     \n",
        )
    );
    let full = render(&rows, true);
    assert!(full.starts_with("IMAGE                                                                     CREATED"));
    assert!(full.contains("ADD file:7e9002edaafd4e4579b65c8f0aaabde1aeb7fd3f8d95579f7fd3443cef785fd1 in /    7.8MB"));
}
