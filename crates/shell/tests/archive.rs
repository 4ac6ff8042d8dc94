//! tar, gzip and gunzip on files with real bytes, against GNU tar 1.34 and gzip 1.12 on
//! bookworm (same commands run in a chroot; directory listings compared sorted, since
//! GNU tar lists in the filesystem's readdir order).

mod common;

use common::out;

const FILES: &str = "mkdir -p /w/src/sub && cd /w && echo hello > src/a.txt && printf '%0200d' 0 > src/sub/b.txt && ln -s a.txt src/link";

#[test]
fn tar_creates_lists_and_extracts() {
    let script = format!(
        "{FILES}\ntar -cf plain.tar src; echo \"exit $?\"\nwc -c < plain.tar\ntar -tf plain.tar | sort\nmkdir out && tar -xf plain.tar -C out --strip-components=1 && find out | sort\ncat out/sub/b.txt | wc -c\nreadlink out/link"
    );
    assert_eq!(
        out(&script),
        (0, "exit 0\n10240\nsrc/\nsrc/a.txt\nsrc/link\nsrc/sub/\nsrc/sub/b.txt\nout\nout/a.txt\nout/link\nout/sub\nout/sub/b.txt\n200\na.txt\n".into())
    );
}

#[test]
fn tar_fails_as_gnu_tar_does() {
    let script = format!("{FILES}\ntar -xf nosuch.tar; echo \"exit $?\"\ntar -cf x.tar src; tar -xf x.tar -C missing; echo \"exit $?\"\ntar -cf empty.tar; echo \"exit $?\"\ntar -cf y.tar nosuch; echo \"exit $?\"\nwc -c < y.tar");
    assert_eq!(
        out(&script),
        (
            0,
            "tar: nosuch.tar: Cannot open: No such file or directory\ntar: Error is not recoverable: exiting now\nexit 2\n\
             tar: missing: Cannot open: No such file or directory\ntar: Error is not recoverable: exiting now\nexit 2\n\
             tar: Cowardly refusing to create an empty archive\nTry 'tar --help' or 'tar --usage' for more information.\nexit 2\n\
             tar: nosuch: Cannot stat: No such file or directory\ntar: Exiting with failure status due to previous errors\nexit 2\n10240\n"
                .into()
        )
    );
}

#[test]
fn gzip_round_trips_and_complains_like_gzip() {
    let script = format!("{FILES}\ngzip src/a.txt; ls src\ngunzip src/a.txt.gz; ls src; cat src/a.txt\ngunzip src/sub/b.txt; echo \"exit $?\"\ngzip nosuch; echo \"exit $?\"\ntar -czf t.tgz src && mkdir x && tar -xzf t.tgz -C x && cat x/src/a.txt");
    assert_eq!(
        out(&script),
        (0, "a.txt.gz\nlink\nsub\na.txt\nlink\nsub\nhello\ngzip: src/sub/b.txt: unknown suffix -- ignored\nexit 2\ngzip: nosuch: No such file or directory\nexit 1\nhello\n".into())
    );
}

#[test]
fn catalog_content_is_sized_but_never_guessed() {
    // /usr/bin/perl is catalog content: tar sizes an archive of it exactly (a header, the
    // bytes padded to 512, two zero blocks, rounded to 10 KiB), and refuses to gzip it.
    let (status, log) = out("cd /tmp && stat -c %s /usr/bin/perl && tar -cf perl.tar /usr/bin/perl; stat -c %s perl.tar; tar -czf perl.tgz /usr/bin/perl");
    assert_eq!(status, 1);
    let mut lines = log.lines();
    let size: u64 = lines.next().unwrap().parse().unwrap();
    assert_eq!(lines.next(), Some("tar: Removing leading `/' from member names"));
    let expected = (512 + size.div_ceil(512) * 512 + 1024).div_ceil(10_240) * 10_240;
    assert_eq!(lines.next(), Some(expected.to_string().as_str()));
    assert!(log.ends_with("gzip compresses them is unknown, so `tar -z` cannot be simulated\n"), "{log}");
}
