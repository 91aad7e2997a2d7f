//! `auditcat`: parse, validate and count real audit-log exports.
//!
//! Every source compiled into the crate is available by its id; what a source
//! reads (CSV or JSON) and how comes from the generated modules, so this file
//! knows no source, module, action or property by name.

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, IsTerminal, Read, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use auditcat::runtime::output::{InputFormat, Output, SourceInfo};
use auditcat::SOURCES;
use clap::{Args, Parser, Subcommand, ValueEnum};

/// The catalog this binary was generated from.
const CATALOG_JSON: &str = include_str!("../../catalog.json");

#[derive(Parser)]
#[command(
    name = "auditcat",
    version,
    about = "Parse and validate audit-log exports against the auditcat catalog"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Write one JSON object per input record (NDJSON) to standard output.
    Parse(Input),
    /// Report every violation; exit 1 when there is any.
    Validate(Input),
    /// Count records per module, action, level and result.
    Stats(Input),
    /// List sources, modules and actions.
    Catalog {
        /// Only this source.
        #[arg(long)]
        source: Option<String>,
        /// Print the catalog's flat JSON export instead.
        #[arg(long)]
        json: bool,
    },
}

#[derive(Args)]
struct Input {
    /// The source the export comes from (see `auditcat catalog`).
    #[arg(long)]
    source: String,
    /// The file to read; `-` or nothing for standard input.
    file: Option<PathBuf>,
    /// The input's format; by default the source's own (CSV or JSON).
    #[arg(long, value_enum, default_value_t = FormatArg::Auto)]
    format: FormatArg,
    /// The input's encoding.
    #[arg(long, value_enum, default_value_t = EncodingArg::Utf8)]
    encoding: EncodingArg,
    /// No progress bar.
    #[arg(long, short)]
    quiet: bool,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum FormatArg {
    Auto,
    Csv,
    Json,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
enum EncodingArg {
    #[value(name = "utf-8")]
    Utf8,
    #[value(name = "shift-jis")]
    ShiftJis,
}

/// A failure that ends the run with exit code 2.
struct Fatal(String);

impl From<io::Error> for Fatal {
    fn from(e: io::Error) -> Self {
        Fatal(e.to_string())
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Parse(input) => parse(&input),
        Command::Validate(input) => validate(&input),
        Command::Stats(input) => stats(&input),
        Command::Catalog { source, json } => catalog(source.as_deref(), json),
    };
    match result {
        Ok(code) => code,
        Err(Fatal(message)) => {
            eprintln!("auditcat: {message}");
            ExitCode::from(2)
        }
    }
}

fn source(id: &str) -> Result<&'static SourceInfo, Fatal> {
    SOURCES.iter().find(|s| s.id == id).ok_or_else(|| {
        let known: Vec<&str> = SOURCES.iter().map(|s| s.id).collect();
        Fatal(format!(
            "unknown source `{id}` (known: {})",
            known.join(", ")
        ))
    })
}

/// Opens the input, decoded to UTF-8, with a progress bar where it helps.
fn open(input: &Input, info: &SourceInfo) -> Result<Box<dyn BufRead>, Fatal> {
    let wanted = match input.format {
        FormatArg::Auto => info.format,
        FormatArg::Csv => InputFormat::Csv,
        FormatArg::Json => InputFormat::Json,
    };
    if wanted != info.format {
        return Err(Fatal(format!(
            "source `{}` reads {}",
            info.id,
            match info.format {
                InputFormat::Csv => "CSV",
                InputFormat::Json => "JSON",
            }
        )));
    }
    let (reader, length): (Box<dyn Read>, Option<u64>) = match &input.file {
        None => (Box::new(io::stdin().lock()), None),
        Some(p) if p.as_os_str() == "-" => (Box::new(io::stdin().lock()), None),
        Some(p) => {
            let file =
                File::open(p).map_err(|e| Fatal(format!("cannot read {}: {e}", p.display())))?;
            let length = file.metadata().ok().map(|m| m.len());
            (Box::new(file), length)
        }
    };
    let reader: Box<dyn Read> = match length {
        Some(len) if !input.quiet && io::stderr().is_terminal() => {
            let bar = indicatif::ProgressBar::new(len).with_style(
                indicatif::ProgressStyle::with_template(
                    "{bar:40} {bytes}/{total_bytes} {bytes_per_sec} {eta}",
                )
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
            );
            Box::new(bar.wrap_read(reader))
        }
        _ => reader,
    };
    let reader: Box<dyn Read> = match input.encoding {
        EncodingArg::Utf8 => reader,
        EncodingArg::ShiftJis => Box::new(
            encoding_rs_io::DecodeReaderBytesBuilder::new()
                .encoding(Some(encoding_rs::SHIFT_JIS))
                .build(reader),
        ),
    };
    Ok(Box::new(BufReader::with_capacity(1 << 16, reader)))
}

/// Reads every record of the input into `sink`.
fn read(input: &Input, sink: &mut dyn FnMut(Output)) -> Result<(), Fatal> {
    let info = source(&input.source)?;
    let mut reader = open(input, info)?;
    (info.read)(&mut reader, sink).map_err(|e| {
        let what = input
            .file
            .as_ref()
            .map_or_else(|| "standard input".to_owned(), |p| p.display().to_string());
        Fatal(format!("cannot read {what}: {e}"))
    })
}

fn parse(input: &Input) -> Result<ExitCode, Fatal> {
    let stdout = io::stdout().lock();
    let mut out = BufWriter::new(stdout);
    let mut failed: Option<io::Error> = None;
    read(input, &mut |record| {
        if failed.is_none() {
            let written = serde_json::to_writer(&mut out, &record)
                .map_err(io::Error::from)
                .and_then(|()| out.write_all(b"\n"));
            if let Err(e) = written {
                failed = Some(e);
            }
        }
    })?;
    match failed.map_or_else(|| out.flush(), Err) {
        Ok(()) => Ok(ExitCode::SUCCESS),
        // A closed pipe (`| head`) is the reader's choice, not a failure.
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(ExitCode::SUCCESS),
        Err(e) => Err(Fatal(format!("cannot write: {e}"))),
    }
}

fn validate(input: &Input) -> Result<ExitCode, Fatal> {
    let stdout = io::stdout().lock();
    let mut out = BufWriter::new(stdout);
    let mut by_code: BTreeMap<&'static str, u64> = BTreeMap::new();
    let mut records = 0u64;
    let mut bad = 0u64;
    read(input, &mut |record| {
        records += 1;
        if !record.violations.is_empty() {
            bad += 1;
        }
        for v in &record.violations {
            *by_code.entry(v.code.as_str()).or_default() += 1;
            let at = match record.line {
                Some(line) => format!("record {} (line {line})", record.record),
                None => format!("record {}", record.record),
            };
            let path = if v.path.is_empty() {
                String::new()
            } else {
                format!(" at {}", v.path)
            };
            let _ = writeln!(out, "{at}: {}{path}: {}", v.code, v.message);
        }
    })?;
    let total: u64 = by_code.values().sum();
    let _ = writeln!(
        out,
        "{records} records, {bad} with violations, {total} violations"
    );
    for (code, n) in &by_code {
        let _ = writeln!(out, "  {code}: {n}");
    }
    let code = if total == 0 {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    };
    finish(out.flush()).map(|_| code)
}

/// The end of writing: a closed pipe (`| head`) is the reader's choice, not a
/// failure; other write errors are.
fn finish(result: io::Result<()>) -> Result<ExitCode, Fatal> {
    match result {
        Ok(()) => Ok(ExitCode::SUCCESS),
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(ExitCode::SUCCESS),
        Err(e) => Err(Fatal(format!("cannot write: {e}"))),
    }
}

fn stats(input: &Input) -> Result<ExitCode, Fatal> {
    let mut tables: [(&str, BTreeMap<String, u64>); 4] = [
        ("module / action", BTreeMap::new()),
        ("level", BTreeMap::new()),
        ("result", BTreeMap::new()),
        ("violation", BTreeMap::new()),
    ];
    let mut records = 0u64;
    read(input, &mut |r| {
        records += 1;
        let unknown = || "(none)".to_owned();
        let shown = |s: &String| {
            if s.is_empty() {
                "(empty)".to_owned()
            } else {
                s.clone()
            }
        };
        let action = match (&r.module, &r.action, r.candidates.is_empty()) {
            (_, _, false) => format!("(one of: {})", r.candidates.join(", ")),
            (m, a, true) => format!(
                "{} / {}",
                m.as_ref().map_or_else(unknown, shown),
                a.as_ref().map_or_else(unknown, shown)
            ),
        };
        *tables[0].1.entry(action).or_default() += 1;
        if let Some(level) = &r.level {
            *tables[1].1.entry(shown(level)).or_default() += 1;
        }
        if let Some(result) = &r.result {
            *tables[2].1.entry(shown(result)).or_default() += 1;
        }
        for v in &r.violations {
            *tables[3].1.entry(v.code.as_str().to_owned()).or_default() += 1;
        }
    })?;
    let mut out = BufWriter::new(io::stdout().lock());
    finish(write_stats(&mut out, records, &input.source, &tables).and_then(|()| out.flush()))
}

/// The counts of `stats`, largest first.
fn write_stats(
    out: &mut impl Write,
    records: u64,
    source: &str,
    tables: &[(&str, BTreeMap<String, u64>)],
) -> io::Result<()> {
    writeln!(out, "{records} records of source {source}")?;
    for (title, table) in tables {
        if table.is_empty() {
            continue;
        }
        writeln!(out, "\n{title}:")?;
        let mut rows: Vec<(&String, &u64)> = table.iter().collect();
        rows.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        for (name, n) in rows {
            writeln!(out, "{n:>10}  {name}")?;
        }
    }
    Ok(())
}

fn catalog(only: Option<&str>, json: bool) -> Result<ExitCode, Fatal> {
    let sources: Vec<&SourceInfo> = match only {
        Some(id) => vec![source(id)?],
        None => SOURCES.iter().collect(),
    };
    let mut out = BufWriter::new(io::stdout().lock());
    if json {
        let text = match only {
            None => CATALOG_JSON.to_owned(),
            Some(id) => {
                let mut catalog: serde_json::Value = serde_json::from_str(CATALOG_JSON)
                    .map_err(|e| Fatal(format!("the embedded catalog.json is broken: {e}")))?;
                if let Some(list) = catalog.get_mut("sources").and_then(|s| s.as_array_mut()) {
                    list.retain(|s| s.get("id").and_then(|v| v.as_str()) == Some(id));
                }
                let mut text = serde_json::to_string_pretty(&catalog).unwrap_or_default();
                text.push('\n');
                text
            }
        };
        return finish(out.write_all(text.as_bytes()).and_then(|()| out.flush()));
    }
    for s in sources {
        writeln!(out, "{}: {}", s.id, s.title)?;
        for (module, service, actions) in (s.catalog)() {
            match service {
                Some(service) => writeln!(out, "  {module} ({service})")?,
                None => writeln!(out, "  {module}")?,
            }
            for action in actions {
                writeln!(out, "    {action}")?;
            }
        }
    }
    finish(out.flush())
}
