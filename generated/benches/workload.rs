//! Writes a kintone CSV export of a given size for the command-line
//! benchmark, every action mixed and varied as in the `parsers` bench:
//!
//! ```text
//! cargo bench -p auditcat --bench workload -- /tmp/kintone-1g.csv 1073741824
//! ```
//!
//! Without a path it writes nothing (so that a plain `cargo bench` passes by).

use std::fs::File;
use std::io::{BufWriter, Write};

mod common;

fn main() -> std::io::Result<()> {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let Some(path) = args.first() else {
        println!("workload: no path given, nothing written");
        return Ok(());
    };
    let size: u64 = args
        .get(1)
        .map_or(Ok(1 << 30), |s| s.parse())
        .expect("a size in bytes");
    let file = File::create(path)?;
    let mut out = CountingWriter {
        inner: BufWriter::with_capacity(1 << 20, file),
        written: 0,
    };
    let mut chunk = 0u64;
    while out.written < size {
        let entries = common::kintone_entries(10_000, 1 + chunk);
        common::write_kintone_csv(&mut out, &entries, 1 + chunk, chunk == 0)?;
        chunk += 1;
    }
    out.flush()?;
    println!(
        "workload: wrote {} bytes, {} rows, to {path}",
        out.written,
        chunk * 10_000
    );
    Ok(())
}

struct CountingWriter<W> {
    inner: W,
    written: u64,
}

impl<W: Write> Write for CountingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = self.inner.write(buf)?;
        self.written += n as u64;
        Ok(n)
    }

    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}
