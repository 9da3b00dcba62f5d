//! `opinio batch POSITION... --incidents FILE`: a case database, one
//! incident per line, under several positions in one pass.

use std::io::{BufRead, IsTerminal, Read, Write};
use std::process::ExitCode;

use opinio::batch::{Evaluators, Failure, InputFormat, Layout, Outcome, OutputFormat, Plan, Results, Summary};
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

/// How many bytes of JSON Lines records a chunk holds at most (besides its
/// last record): records of whole incidents with their sources are tens of
/// kilobytes each.
const CHUNK_BYTES: usize = 8 << 20;

/// How many bytes of JSON Lines are read at a time.
const READ: usize = 1 << 20;

/// How many records a worker evaluates in one go: their rows, counts and
/// failures are handed over together, in order.
const PIECE: usize = 256;

/// Records as read, before evaluation: JSON Lines share one buffer.
struct Chunk {
    /// The bytes of the JSON Lines records, one after the other.
    bytes: Vec<u8>,
    records: Vec<Record>,
}

/// A record as read, before evaluation.
enum Record {
    /// A line of JSON Lines: its number and where it is in the chunk's bytes.
    Json(u64, std::ops::Range<usize>),
    Csv(u64, Vec<String>),
    /// A record that could not be read (a CSV error, an input error).
    Unreadable(u64, String),
}

/// What a worker gives for a piece of a chunk.
struct Piece {
    /// The output rows of the records evaluated.
    rows: String,
    /// Their counts, and the records skipped.
    summary: Summary,
    /// The records that could not be evaluated, in order.
    failures: Vec<Failure>,
    /// Whether the piece stopped at its last failure (`--fail-fast`).
    stopped: bool,
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
            Ok(f) => Box::new(std::io::BufReader::with_capacity(READ, f)),
            Err(e) => {
                eprintln!("error: cannot read `{}`: {e}", args.incidents);
                return Ok(ExitCode::from(1));
            }
        }
    };
    let mut source = match input_format {
        InputFormat::JsonLines => Source::Json { reader, line: 0, carry: Vec::new() },
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
        None => Sink::Stdout(std::io::BufWriter::with_capacity(1 << 16, std::io::stdout())),
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
    let mut text = String::new();
    if let Some(h) = plan.header(format, layout) {
        text.push_str(&h);
    }
    // The input is read on a thread of its own, a chunk ahead of the
    // evaluation. It is not joined: if the run stops early, a reader still
    // waiting on standard input must not keep the process alive.
    let (tx, rx) = std::sync::mpsc::sync_channel::<Chunk>(1);
    std::thread::spawn(move || loop {
        let chunk = source.next_chunk(CHUNK);
        let end = chunk.records.is_empty();
        if tx.send(chunk).is_err() || end {
            break;
        }
    });
    let fail_fast = args.fail_fast;
    // The pieces of a chunk are written on a thread of their own too, while
    // the workers evaluate the next chunk; it tells this thread to stop
    // (`halt`) after a failure with `--fail-fast`, or when the output's
    // reader has gone.
    let halt = std::sync::atomic::AtomicBool::new(false);
    let (pieces_tx, pieces_rx) = std::sync::mpsc::sync_channel::<(Vec<Piece>, usize)>(1);
    let end = std::thread::scope(|scope| {
        let writer = scope.spawn(|| {
            let mut summary = plan.summary();
            let mut stopped = false;
            for (pieces, records) in pieces_rx {
                for piece in &pieces {
                    summary.merge(&piece.summary);
                    text.push_str(&piece.rows);
                    for failure in &piece.failures {
                        if let Some(bar) = &progress {
                            bar.suspend(|| out.diagnostics(&failure.diagnostics, &failure.sources));
                        } else {
                            out.diagnostics(&failure.diagnostics, &failure.sources);
                        }
                    }
                    if piece.stopped {
                        stopped = true;
                        break;
                    }
                }
                match write_out(&mut sink, &text) {
                    Ok(true) => {}
                    // The reader went away (`opinio batch ... | head`): stop quietly.
                    Ok(false) => {
                        halt.store(true, std::sync::atomic::Ordering::Relaxed);
                        return End::Closed;
                    }
                    Err(e) => {
                        halt.store(true, std::sync::atomic::Ordering::Relaxed);
                        return End::Failed(e);
                    }
                }
                text.clear();
                if let Some(bar) = &progress {
                    bar.inc(records as u64);
                }
                if stopped {
                    halt.store(true, std::sync::atomic::Ordering::Relaxed);
                    break;
                }
            }
            if let Some(bar) = &progress {
                bar.finish_and_clear();
            }
            match write_out(&mut sink, &text).and_then(|open| if open { flushed(&mut sink) } else { Ok(false) }) {
                Ok(true) => End::Done { summary, stopped, sink },
                Ok(false) => End::Closed,
                Err(e) => End::Failed(e),
            }
        });
        for chunk in rx {
            let records = &chunk.records;
            if records.is_empty() || halt.load(std::sync::atomic::Ordering::Relaxed) {
                break;
            }
            // Records are evaluated, counted and their rows written out on
            // the workers, a piece at a time; the writer gathers the pieces
            // and writes them, in order.
            let pieces: Vec<Piece> = pool.install(|| {
                records
                    .par_chunks(PIECE)
                    .map_init(
                        || plan.evaluators(),
                        |ev: &mut Evaluators<'_>, records| {
                            let mut piece = Piece { rows: String::new(), summary: plan.summary(), failures: Vec::new(), stopped: false };
                            // Adds a record's result to the piece; false to stop.
                            let mut take = |result: Result<Results<'_>, Failure>| match result {
                                Ok(results) => {
                                    plan.count(&results, &mut piece.summary);
                                    plan.write(&results, format, layout, &mut piece.rows);
                                    true
                                }
                                Err(failure) => {
                                    piece.summary.failed += 1;
                                    piece.failures.push(failure);
                                    piece.stopped = fail_fast;
                                    !fail_fast
                                }
                            };
                            // Lines of JSON go to the plan together (it evaluates
                            // them a block at a time); other records one by one.
                            let mut rest = records;
                            while let Some(first) = rest.first() {
                                let json = rest.iter().take_while(|r| matches!(r, Record::Json(..))).count();
                                let go_on = if json > 0 {
                                    let lines = rest[..json].iter().filter_map(|r| match r {
                                        Record::Json(line, range) => Some((*line, &chunk.bytes[range.clone()])),
                                        _ => None,
                                    });
                                    let mut go_on = true;
                                    plan.json_lines(&name, lines, ev, |result| {
                                        go_on = take(result);
                                        go_on
                                    });
                                    rest = &rest[json..];
                                    go_on
                                } else {
                                    rest = &rest[1..];
                                    evaluate(&plan, &name, &header, first, ev).map(|r| r.map(Results::of)).is_none_or(&mut take)
                                };
                                if !go_on {
                                    break;
                                }
                            }
                            piece
                        },
                    )
                    .collect()
            });
            if pieces_tx.send((pieces, records.len())).is_err() {
                break;
            }
        }
        drop(pieces_tx);
        writer.join().unwrap_or_else(|_| End::Failed(std::io::Error::other("the writing thread stopped")))
    });
    let (summary, stopped, sink) = match end {
        End::Done { summary, stopped, sink } => (summary, stopped, sink),
        End::Closed => return Ok(ExitCode::SUCCESS),
        End::Failed(e) => return Ok(write_failed(&args, e)),
    };
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

/// How the writing of the output ended.
enum End {
    /// Every piece written (or the run stopped by `--fail-fast`): the counts,
    /// whether it stopped, and the output, to be put in place.
    Done { summary: Summary, stopped: bool, sink: Sink },
    /// The output's reader has gone.
    Closed,
    /// The output could not be written.
    Failed(std::io::Error),
}

/// Evaluates a record other than a line of JSON (which go to
/// [`Plan::json_lines`] together); `None` for nothing to evaluate.
fn evaluate<'p, 'e>(
    plan: &Plan<'p>,
    name: &str,
    header: &[String],
    record: &Record,
    ev: &'e mut Evaluators<'p>,
) -> Option<Result<&'e Outcome, Failure>> {
    match record {
        Record::Json(..) => None,
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
    /// JSON Lines: the reader, the last line's number, and the start of a
    /// line read with the previous chunk and left for the next.
    Json {
        reader: Box<dyn BufRead + Send>,
        line: u64,
        carry: Vec<u8>,
    },
    Csv {
        reader: csv::Reader<Box<dyn BufRead + Send>>,
        header: Vec<String>,
    },
}

impl Source {
    /// Up to `n` records (fewer at the end of the input).
    fn next_chunk(&mut self, n: usize) -> Chunk {
        let mut out = Vec::with_capacity(n);
        let mut bytes = Vec::new();
        match self {
            Source::Json { reader, line, carry } => {
                // What the reader buffers is taken whole, and split at its
                // newlines: no copy and no call per line.
                bytes = std::mem::take(carry);
                let (mut start, mut scanned) = (0, 0);
                let mut push = |out: &mut Vec<Record>, bytes: &[u8], start: usize, mut end: usize| {
                    while end > start && (bytes[end - 1] == b'\n' || bytes[end - 1] == b'\r') {
                        end -= 1;
                    }
                    *line += 1;
                    out.push(Record::Json(*line, start..end));
                };
                loop {
                    while out.len() < n {
                        match memchr::memchr(b'\n', &bytes[scanned..]) {
                            Some(i) => {
                                push(&mut out, &bytes, start, scanned + i);
                                start = scanned + i + 1;
                                scanned = start;
                            }
                            None => {
                                scanned = bytes.len();
                                break;
                            }
                        }
                    }
                    // A chunk holds `n` records, or fewer as large as
                    // `CHUNK_BYTES` in all: memory stays bounded whatever
                    // the records' size.
                    if out.len() == n || start >= CHUNK_BYTES {
                        break;
                    }
                    // Read straight into the chunk: a read as large as the
                    // reader's buffer, when that is empty, bypasses it.
                    let filled = bytes.len();
                    bytes.resize(filled + READ, 0);
                    let read = reader.read(&mut bytes[filled..]);
                    bytes.truncate(filled + *read.as_ref().unwrap_or(&0));
                    match read {
                        Ok(0) => {
                            // The last line, without a newline.
                            if start < bytes.len() {
                                push(&mut out, &bytes, start, bytes.len());
                                start = bytes.len();
                            }
                            break;
                        }
                        Ok(_) => {}
                        Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                        Err(e) => {
                            *line += 1;
                            out.push(Record::Unreadable(*line, e.to_string()));
                            start = bytes.len();
                            break;
                        }
                    }
                }
                *carry = bytes[start..].to_vec();
                bytes.truncate(start);
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
        Chunk { bytes, records: out }
    }
}

/// Where the output goes.
enum Sink {
    Stdout(std::io::BufWriter<std::io::Stdout>),
    File(Box<opinio::io::AtomicFile>),
}

impl Write for Sink {
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
fn write_out(sink: &mut Sink, text: &str) -> std::io::Result<bool> {
    match sink.write_all(text.as_bytes()) {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(false),
        Err(e) => Err(e),
        Ok(()) => Ok(true),
    }
}

/// Flushes; `false` when the reader has gone.
fn flushed(sink: &mut Sink) -> std::io::Result<bool> {
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
