//! The values path allocates nothing per incident (issue 15, point 7): an
//! evaluator, once made, evaluates incident after incident without touching
//! the heap, assessments included. A counting allocator measures it.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use opinio::eval::{Evaluator, Input};
use opinio::value::{Type, Value};

struct Counting;

// Counted per thread, so that tests running side by side do not count
// each other's allocations.
thread_local! {
    static COUNTING: Cell<bool> = const { Cell::new(false) };
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
}

fn count() {
    let _ = COUNTING.try_with(|on| {
        if on.get() {
            let _ = ALLOCATIONS.try_with(|n| n.set(n.get() + 1));
        }
    });
}

/// Runs `f` and returns how many allocations this thread made meanwhile.
fn allocations_in(f: impl FnOnce()) -> usize {
    ALLOCATIONS.with(|n| n.set(0));
    COUNTING.with(|on| on.set(true));
    f();
    COUNTING.with(|on| on.set(false));
    ALLOCATIONS.with(Cell::get)
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        count();
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        count();
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static GLOBAL: Counting = Counting;

/// Pseudo-random incidents for a program whose facts are booleans and numbers.
fn incidents(program: &opinio::ir::Program, n: usize) -> Vec<Vec<Value>> {
    let mut state = 42u64;
    let mut next = move || {
        state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        state >> 33
    };
    (0..n)
        .map(|_| {
            program
                .slots
                .iter()
                .map(|slot| match (slot.ty, next() % 10) {
                    (_, 0) => Value::Unknown,
                    (Type::Bool, r) => Value::Bool(r % 2 == 0),
                    (_, _) => Value::Number((next() % 4) as f64),
                })
                .collect()
        })
        .collect()
}

#[test]
fn the_values_path_allocates_nothing_per_incident() {
    // The peers' reference rules: attribution, due diligence, an eight-factor
    // score, use of force and armed attack.
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/benches/data/reference.norm");
    let text = std::fs::read_to_string(path).unwrap();
    let compiled = opinio::compile("benches/data/reference.norm", &text, &mut opinio::io::FsLoader);
    let program = compiled.program.expect("the reference rules compile");
    let data = incidents(&program, 2_000);
    let mut ev = Evaluator::new(&program);
    // A first run sizes what the evaluator keeps.
    ev.run(Input { values: &data[0], proofs: &[], rates: &[] }).unwrap();
    let mut evaluated = 0;
    let allocations = allocations_in(|| {
        for slots in &data {
            if ev.run(Input { values: slots, proofs: &[], rates: &[] }).is_ok() {
                evaluated += 1;
            }
        }
    });
    assert_eq!(evaluated, data.len());
    assert_eq!(allocations, 0, "allocations over {} incidents", data.len());
}

/// The same for the shipped positions, whose open questions make the
/// evaluator track what each value rests on: the supports are held inline
/// and their vectors kept from run to run.
#[test]
fn shipped_positions_allocate_nothing_per_incident() {
    let root = env!("CARGO_MANIFEST_DIR");
    let mut positions: Vec<_> = std::fs::read_dir(format!("{root}/examples/positions")).unwrap().flatten().map(|e| e.path()).collect();
    positions.sort();
    for position in positions {
        let compiled = opinio::io::compile_file_with(position.to_str().unwrap(), None);
        let program = compiled.program.expect("the shipped position compiles");
        for name in ["notpetya.json", "stuxnet.toml", "viasat_2022.toml"] {
            let path = format!("{root}/examples/incidents/{name}");
            let text = std::fs::read_to_string(&path).unwrap();
            let format = opinio::incident::Format::from_path(&path).unwrap();
            let mut sources = opinio::source::SourceMap::new();
            let file = sources.add(name, text.clone());
            let incident = opinio::incident::load(&program, file, &text, format).unwrap();
            let mut ev = Evaluator::new(&program);
            ev.run(incident.input()).unwrap();
            let allocations = allocations_in(|| {
                for _ in 0..20 {
                    ev.run(incident.input()).unwrap();
                }
            });
            assert_eq!(allocations, 0, "{} on {name}", program.name);
        }
    }
}

/// The fast path (`opinio::eval::fast`) on the peers' three positions,
/// lowered together: loading a block of incidents into the lanes, running
/// the flat code and reading every result allocate nothing; nor does
/// `batch`'s library path, once its buffers have their size, per record.
#[test]
fn the_fast_path_allocates_nothing_per_incident() {
    use opinio::eval::fast::{Code, LANES};
    let root = env!("CARGO_MANIFEST_DIR");
    let programs: Vec<_> = ["us", "france", "china"]
        .iter()
        .map(|p| opinio::io::compile_file_with(&format!("{root}/benches/data/peers/{p}.norm"), None).program.expect("compiles"))
        .collect();
    let code = Code::lower(&programs).expect("the peers' positions have the fast path's shape");
    let data = incidents(&programs[0], 2_000);
    let mut run = code.run();
    let mut true_count = 0;
    let allocations = allocations_in(|| {
        for block in data.chunks(LANES) {
            run.clear(&code);
            for (lane, slots) in block.iter().enumerate() {
                for (s, v) in slots.iter().enumerate() {
                    run.set(&code, code.slot_input(0, opinio::ir::SlotId::new(s)), lane, v);
                }
            }
            run.eval(&code, block.len());
            for lane in 0..block.len() {
                for (p, program) in programs.iter().enumerate() {
                    for c in 0..program.conclusions.len() {
                        let (value, _) = run.result(&code, p, opinio::ir::ConclusionId::new(c), lane);
                        true_count += usize::from(value == Value::Bool(true));
                    }
                }
            }
        }
    });
    assert!(true_count > 1000);
    assert_eq!(allocations, 0, "allocations over {} incidents", data.len());

    // `batch`'s library path: lines read, evaluated, counted and written.
    let plan = opinio::batch::Plan::new(&programs, &[], "id").expect("a plan");
    let lines: Vec<String> = (0..2_000)
        .map(|i| format!("{{\"id\":{i},\"state_organ\":{},\"deaths\":{},\"attribution_evidence\":\"preponderance\"}}", i % 2 == 0, i % 5))
        .collect();
    let mut ev = plan.evaluators();
    let mut summary = plan.summary();
    let layout = opinio::batch::Layout { wide: true, status: true, provenance: false };
    let mut out = String::with_capacity(1 << 20);
    let mut evaluate = |lines: &[String], out: &mut String| {
        out.clear();
        let numbered = lines.iter().enumerate().map(|(i, l)| (i as u64 + 1, l.as_bytes()));
        plan.json_lines("bench", numbered, &mut ev, |result| {
            let Ok(results) = result else { panic!("every line evaluates") };
            plan.count(&results, &mut summary);
            plan.write(&results, opinio::batch::OutputFormat::Csv, layout, out);
            true
        });
    };
    // A first pass sizes the output and the counts.
    evaluate(&lines, &mut out);
    let allocations = allocations_in(|| evaluate(&lines, &mut out));
    // The block of a call is its only allocation: none per record.
    assert!(allocations <= 1, "{allocations} allocations over {} records", lines.len());
}
