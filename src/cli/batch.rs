//! `opinio batch POSITION... --incidents FILE`: a case database, one
//! incident per line, under several positions in one pass.

use std::io::{BufRead, IsTerminal, Write};
use std::process::ExitCode;

use opinio::batch::{Evaluators, Failure, InputFormat, Layout, Outcome, OutputFormat, Plan};
use rayon::prelude::*;

use super::{Output, Usage};

/// Evaluate positions on a case database (JSON Lines or CSV), streaming.
#[derive(Debug, clap::Args)]
pub struct Args {
    /// The position (or norm) files, in the order of the output.
    #[arg(required = true)]
    positions: Vec<String>,
    /// The case database: a `.jsonl` (or `.ndjson`, `.json`) file of one JSON
    /// object per line, a `.csv` file with a header of fact names, or `-` for
    /// standard input (JSON Lines unless `--input-format` says otherwise).
    #[arg(long, value_name = "FILE")]
    incidents: String,
    /// The input's format, when its extension does not say it.
    #[arg(long, value_enum)]
    input_format: Option<InputArg>,
    /// The output's format.
    #[arg(long, value_enum, default_value_t = OutputArg::Jsonl)]
    format: OutputArg,
    /// One row per incident, with a column per position and conclusion
    /// (`position.conclusion`), instead of one row per incident and position.
    #[arg(long)]
    wide: bool,
    /// Write only these conclusions (repeatable; default: all).
    #[arg(long = "conclusion", value_name = "NAME")]
    conclusions: Vec<String>,
    /// Add a status column for each conclusion (`applied`, `burden_not_met`, `open`, ...).
    #[arg(long)]
    status: bool,
    /// Add a provenance column for each conclusion (`stated` or `inherited`).
    #[arg(long)]
    provenance: bool,
    /// The key (JSON) or column (CSV) that identifies an incident rather
    /// than giving a fact.
    #[arg(long = "id", value_name = "KEY", default_value = "id")]
    id_key: String,
    /// Write the output to this file (replaced atomically) instead of standard output.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    output: Option<String>,
    /// Threads evaluating records (default: the cores available); the output keeps the input's order.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    jobs: Option<u16>,
    /// Stop at the first record that cannot be evaluated, instead of skipping it.
    #[arg(long)]
    fail_fast: bool,
    /// Print no summary and no progress bar on standard error.
    #[arg(long, short = 'q')]
    quiet: bool,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum InputArg {
    /// One JSON object per line.
    Jsonl,
    /// Comma-separated values with a header of fact names.
    Csv,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum OutputArg {
    /// One JSON object per line.
    Jsonl,
    /// Comma-separated values with a header.
    Csv,
}

/// How many records are read, evaluated in parallel and written at a time:
/// memory stays bounded whatever the input's size.
const CHUNK: usize = 4096;

/// A record as read, before evaluation.
enum Record {
    Json(u64, String),
    Csv(u64, Vec<String>),
    /// A record that could not be read (invalid UTF-8, a CSV error).
    Unreadable(u64, String),
}

pub fn run(args: Args, out: &Output) -> Result<ExitCode, Usage> {
    let input_format = match (args.input_format, args.incidents.as_str()) {
        (Some(InputArg::Jsonl), _) => InputFormat::JsonLines,
        (Some(InputArg::Csv), _) => InputFormat::Csv,
        (None, "-") => InputFormat::JsonLines,
        (None, path) => InputFormat::from_path(path).ok_or_else(|| {
            Usage(format!("cannot tell the format of `{path}` from its name; name it `.jsonl` or `.csv`, or give `--input-format`"))
        })?,
    };
    let mut programs = Vec::new();
    let mut failed = false;
    for path in &args.positions {
        let c = out.compile_file(path);
        out.diagnostics(&c.diagnostics, &c.sources);
        failed |= c.program.is_none();
        programs.extend(c.program);
    }
    if failed {
        return Ok(ExitCode::from(1));
    }
    for (i, p) in programs.iter().enumerate() {
        if programs[..i].iter().any(|q| q.name == p.name) {
            return Err(Usage(format!("the position `{}` is named twice; evaluate each position once", p.name)));
        }
    }
    let plan = Plan::new(&programs, &args.conclusions, &args.id_key).map_err(Usage)?;
    let layout = Layout { wide: args.wide, status: args.status, provenance: args.provenance };
    let format = match args.format {
        OutputArg::Jsonl => OutputFormat::JsonLines,
        OutputArg::Csv => OutputFormat::Csv,
    };
    let jobs = args.jobs.map_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()), usize::from);
    let pool = rayon::ThreadPoolBuilder::new().num_threads(jobs).build().map_err(|e| Usage(format!("cannot start {jobs} threads: {e}")))?;

    // The input.
    let name = if args.incidents == "-" { "standard input".to_string() } else { args.incidents.clone() };
    let reader: Box<dyn BufRead + Send> = if args.incidents == "-" {
        Box::new(std::io::BufReader::new(std::io::stdin()))
    } else {
        match std::fs::File::open(&args.incidents) {
            Ok(f) => Box::new(std::io::BufReader::with_capacity(1 << 16, f)),
            Err(e) => {
                eprintln!("error: cannot read `{}`: {e}", args.incidents);
                return Ok(ExitCode::from(1));
            }
        }
    };
    let mut source = match input_format {
        InputFormat::JsonLines => Source::Json { reader, line: 0 },
        InputFormat::Csv => {
            let mut csv = csv::ReaderBuilder::new().has_headers(true).flexible(true).from_reader(reader);
            let header: Vec<String> = match csv.headers() {
                Ok(h) => h.iter().map(str::to_string).collect(),
                Err(e) => {
                    eprintln!("error[E0501]: {name}, line 1: the CSV header cannot be read: {e}");
                    return Ok(ExitCode::from(1));
                }
            };
            let unknown = plan.unknown_headers(&header);
            if !unknown.is_empty() {
                for (col, h) in unknown {
                    eprintln!(
                        "error[E0502]: {name}, line 1, column {}: `{h}` is neither a fact of the positions nor the id column `{}`",
                        col + 1,
                        args.id_key
                    );
                }
                eprintln!("help: name each column after a fact (a record's fields dotted, `territorial_state.knew`), or give `--id`");
                return Ok(ExitCode::from(1));
            }
            Source::Csv { reader: csv, header }
        }
    };

    // The output.
    let mut sink = match &args.output {
        Some(path) => match opinio::io::AtomicFile::create(std::path::Path::new(path)) {
            Ok(f) => Sink::File(Box::new(f)),
            Err(e) => {
                eprintln!("error[E0701]: cannot write `{path}`: {e}");
                return Ok(ExitCode::from(1));
            }
        },
        None => Sink::Stdout(std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock())),
    };
    let progress = (!args.quiet && std::io::stderr().is_terminal()).then(|| {
        let bar = indicatif::ProgressBar::new_spinner();
        bar.set_style(
            indicatif::ProgressStyle::with_template("{spinner} {human_pos} incidents, {per_sec} ({elapsed})")
                .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
        );
        bar
    });

    let header: Vec<String> = match &source {
        Source::Csv { header, .. } => header.clone(),
        Source::Json { .. } => Vec::new(),
    };
    let mut summary = plan.summary();
    let mut text = String::new();
    if let Some(h) = plan.header(format, layout) {
        text.push_str(&h);
    }
    // The input is read on a thread of its own, a chunk ahead of the
    // evaluation. It is not joined: if the run stops early, a reader still
    // waiting on standard input must not keep the process alive.
    let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<Record>>(1);
    std::thread::spawn(move || loop {
        let records = source.next_chunk(CHUNK);
        let end = records.is_empty();
        if tx.send(records).is_err() || end {
            break;
        }
    });
    let mut stopped = false;
    for records in rx {
        if records.is_empty() {
            break;
        }
        // Each record is evaluated and its rows written out on the workers;
        // this thread only counts, concatenates and writes, in order.
        let results: Vec<Option<Result<(Outcome, String), Failure>>> = pool.install(|| {
            records
                .par_iter()
                .map_init(
                    || plan.evaluators(),
                    |ev: &mut Evaluators<'_>, r| {
                        evaluate(&plan, &name, &header, r, ev).map(|result| {
                            result.map(|outcome| {
                                let mut rows = String::new();
                                plan.write(&outcome, format, layout, &mut rows);
                                (outcome, rows)
                            })
                        })
                    },
                )
                .collect()
        });
        for result in results.into_iter().flatten() {
            match result {
                Ok((outcome, rows)) => {
                    plan.count(&outcome, &mut summary);
                    text.push_str(&rows);
                }
                Err(failure) => {
                    summary.failed += 1;
                    if let Some(bar) = &progress {
                        bar.suspend(|| out.diagnostics(&failure.diagnostics, &failure.sources));
                    } else {
                        out.diagnostics(&failure.diagnostics, &failure.sources);
                    }
                    if args.fail_fast {
                        stopped = true;
                        break;
                    }
                }
            }
        }
        match write_out(&mut sink, &text) {
            Ok(true) => {}
            // The reader went away (`opinio batch ... | head`): stop quietly.
            Ok(false) => return Ok(ExitCode::SUCCESS),
            Err(e) => return Ok(write_failed(&args, e)),
        }
        text.clear();
        if let Some(bar) = &progress {
            bar.inc(records.len() as u64);
        }
        if stopped {
            break;
        }
    }
    if let Some(bar) = progress {
        bar.finish_and_clear();
    }
    match write_out(&mut sink, &text).and_then(|open| if open { flushed(&mut sink) } else { Ok(false) }) {
        Ok(true) => {}
        Ok(false) => return Ok(ExitCode::SUCCESS),
        Err(e) => return Ok(write_failed(&args, e)),
    }
    // An output file is put in place only when every record was read: after
    // `--fail-fast` stopped, the file asked for is left as it was (dropping
    // the temporary file removes it).
    if let Sink::File(file) = sink {
        if !stopped {
            if let Err(e) = file.commit() {
                return Ok(write_failed(&args, e));
            }
        }
    }
    if !args.quiet {
        eprint!("{}", plan.summary_text(&summary));
    }
    Ok(if summary.failed > 0 { ExitCode::from(1) } else { ExitCode::SUCCESS })
}

fn evaluate<'p>(
    plan: &Plan<'p>,
    name: &str,
    header: &[String],
    record: &Record,
    ev: &mut Evaluators<'p>,
) -> Option<Result<Outcome, Failure>> {
    match record {
        Record::Json(line, text) => plan.json_line(name, *line, text, ev),
        Record::Csv(line, cells) => Some(plan.csv_record(name, *line, header, cells, ev)),
        Record::Unreadable(line, why) => {
            let mut sources = opinio::source::SourceMap::new();
            let file = sources.add(format!("{name}, line {line}"), String::new());
            let d = opinio::diagnostics::Diagnostic::new(
                &opinio::diagnostics::codes::INCIDENT_SYNTAX,
                opinio::source::Span::new(file, 0, 0),
                format!("the record cannot be read: {why}"),
            )
            .help("write the database in UTF-8, one record per line");
            Some(Err(Failure { line: *line, diagnostics: vec![d], sources }))
        }
    }
}

/// Where records come from.
enum Source {
    Json { reader: Box<dyn BufRead + Send>, line: u64 },
    Csv { reader: csv::Reader<Box<dyn BufRead + Send>>, header: Vec<String> },
}

impl Source {
    /// Up to `n` records (fewer at the end of the input).
    fn next_chunk(&mut self, n: usize) -> Vec<Record> {
        let mut out = Vec::with_capacity(n);
        match self {
            Source::Json { reader, line } => {
                let mut buf = Vec::new();
                while out.len() < n {
                    buf.clear();
                    match reader.read_until(b'\n', &mut buf) {
                        Ok(0) => break,
                        Ok(_) => {
                            *line += 1;
                            while buf.last().is_some_and(|b| *b == b'\n' || *b == b'\r') {
                                buf.pop();
                            }
                            match String::from_utf8(std::mem::take(&mut buf)) {
                                Ok(text) => out.push(Record::Json(*line, text)),
                                Err(_) => out.push(Record::Unreadable(*line, "it is not valid UTF-8".into())),
                            }
                        }
                        Err(e) => {
                            *line += 1;
                            out.push(Record::Unreadable(*line, e.to_string()));
                            break;
                        }
                    }
                }
            }
            Source::Csv { reader, .. } => {
                let mut record = csv::StringRecord::new();
                while out.len() < n {
                    match reader.read_record(&mut record) {
                        Ok(false) => break,
                        Ok(true) => {
                            let line = record.position().map_or(0, |p| p.line());
                            out.push(Record::Csv(line, record.iter().map(str::to_string).collect()));
                        }
                        Err(e) => {
                            let line = e.position().map_or(0, |p| p.line());
                            out.push(Record::Unreadable(line, e.to_string()));
                            if !matches!(e.kind(), csv::ErrorKind::Utf8 { .. } | csv::ErrorKind::UnequalLengths { .. }) {
                                break;
                            }
                        }
                    }
                }
            }
        }
        out
    }
}

/// Where the output goes.
enum Sink<'a> {
    Stdout(std::io::BufWriter<std::io::StdoutLock<'a>>),
    File(Box<opinio::io::AtomicFile>),
}

impl Write for Sink<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self {
            Sink::Stdout(w) => w.write(buf),
            Sink::File(f) => f.write(buf),
        }
    }
    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            Sink::Stdout(w) => w.flush(),
            Sink::File(f) => f.flush(),
        }
    }
}

/// Writes; `false` when the reader has gone (a closed pipe), which ends the run.
fn write_out(sink: &mut Sink<'_>, text: &str) -> std::io::Result<bool> {
    match sink.write_all(text.as_bytes()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(false),
        Err(e) => Err(e),
        Ok(()) => Ok(true),
    }
}

/// Flushes; `false` when the reader has gone.
fn flushed(sink: &mut Sink<'_>) -> std::io::Result<bool> {
    match sink.flush() {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(false),
        Err(e) => Err(e),
        Ok(()) => Ok(true),
    }
}

fn write_failed(args: &Args, e: std::io::Error) -> ExitCode {
    match &args.output {
        Some(path) => eprintln!("error[E0701]: cannot write `{path}`: {e}"),
        None => eprintln!("error: cannot write the output: {e}"),
    }
    ExitCode::from(1)
}
