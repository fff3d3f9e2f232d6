//! How fast the triage core and the verifier are.
//!
//! `cargo bench --bench triage` (add `-- --quick` for a short run). What matters:
//! - `assess/*`: one case to a level with its reasons (batch `assess`, every chat step);
//! - `session/walk`: a whole chat check, start to advice, through `next` and `answer`;
//! - `session/progress`: the progress line shown with every question;
//! - `verify/embedded`: the proof over every answer path, paid at every start of the bot and by
//!   every `spotcheck` command.

use std::hint::black_box;
use std::time::Duration;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion};
use spotcheck::content::{verify, Dialogues, FileSet};
use spotcheck::triage::{assess, Case, FactKind, Protocol, Session, Step, Value};

fn dialogues() -> Dialogues {
    Dialogues::from_files(&FileSet::embedded()).expect("the built-in dialogues load")
}

/// A case from (fact, value) pairs: `true`/`false`, a number, or a choice value's name. Facts not
/// named stay unknown.
fn case(protocol: &Protocol, facts: &[(&str, &str)]) -> Case {
    let mut case = Case::unknown(protocol);
    for &(key, value) in facts {
        let fact = protocol.fact_id(key).unwrap_or_else(|| panic!("no fact {key}"));
        let value = match &protocol.facts[fact].kind {
            FactKind::Bool => Value::Bool(value == "true"),
            FactKind::Number { .. } => Value::Number(value.parse().expect("a number")),
            FactKind::Choice { values } => Value::Choice(
                values
                    .iter()
                    .position(|name| name == value)
                    .expect("a value of the fact"),
            ),
        };
        case.set(fact, Some(value));
    }
    case
}

/// Every yes/no fact known to be absent, then the given facts.
fn well_case(protocol: &Protocol, facts: &[(&str, &str)]) -> Case {
    let mut case = Case::unknown(protocol);
    for (fact, definition) in protocol.facts.iter().enumerate() {
        if definition.kind == FactKind::Bool {
            case.set(fact, Some(Value::Bool(false)));
        }
    }
    let given = self::case(protocol, facts);
    for fact in 0..protocol.facts.len() {
        if let Some(value) = given.get(fact) {
            case.set(fact, Some(value));
        }
    }
    case
}

/// The option of a question by name.
fn option(protocol: &Protocol, question: usize, name: &str) -> usize {
    protocol.questions[question]
        .option_index(name)
        .unwrap_or_else(|| panic!("{} has no option {name}", protocol.questions[question].id))
}

/// A realistic check: a well adult whose spots stay under a tight strap, every other answer "no".
/// The longest kind of path (about 20 questions) ending in self-care.
fn strap_walk(protocol: &Protocol) -> Session {
    let mut session = Session::new();
    let mut step = session.next(protocol);
    while let Step::Ask(question) = step {
        let name = match protocol.questions[question].id.as_str() {
            "age" => "16_to_64y",
            "glass_test" => "stays",
            "spot_size" => "pinpoint",
            "friction" => "yes",
            "days" => "under_1d",
            _ => "no",
        };
        step = session
            .answer(protocol, question, option(protocol, question, name))
            .expect("the current question takes its options");
    }
    session
}

fn bench_assess(c: &mut Criterion) {
    let dialogues = dialogues();
    let protocol = &dialogues.protocol;
    let cases = [
        (
            "contract_example",
            case(
                protocol,
                &[("age_years", "2"), ("blanching", "stays"), ("fever", "true")],
            ),
        ),
        ("all_unknown", Case::unknown(protocol)),
        (
            "well_adult_fading",
            well_case(
                protocol,
                &[
                    ("age_years", "30"),
                    ("blanching", "fades"),
                    ("days_present", "0.5"),
                    ("spot_size", "pinpoint"),
                ],
            ),
        ),
        (
            "adult_spots_stay_strap",
            well_case(
                protocol,
                &[
                    ("age_years", "30"),
                    ("blanching", "stays"),
                    ("days_present", "1"),
                    ("spot_size", "pinpoint"),
                    ("recent_injury_or_friction_at_site", "true"),
                ],
            ),
        ),
    ];
    let mut group = c.benchmark_group("assess");
    for (name, case) in &cases {
        group.bench_with_input(BenchmarkId::from_parameter(name), case, |b, case| {
            b.iter(|| assess(black_box(protocol), black_box(case)))
        });
    }
    group.finish();
}

fn bench_session(c: &mut Criterion) {
    let dialogues = dialogues();
    let protocol = &dialogues.protocol;
    let finished = strap_walk(protocol);
    assert!(finished.answers().len() >= 15, "the walk is a long path");
    let mut group = c.benchmark_group("session");
    group.bench_function("walk", |b| b.iter(|| strap_walk(black_box(protocol))));
    // The progress line at the first question and half-way through.
    let mut halfway = finished.clone();
    for _ in 0..finished.answers().len() / 2 {
        halfway.back();
    }
    group.bench_function("progress/start", |b| {
        let start = Session::new();
        b.iter(|| black_box(&start).progress(black_box(protocol)))
    });
    group.bench_function("progress/halfway", |b| {
        b.iter(|| black_box(&halfway).progress(black_box(protocol)))
    });
    group.bench_function("save_restore", |b| {
        b.iter(|| Session::restore(protocol, &black_box(&finished).save(protocol)))
    });
    group.finish();
}

fn bench_verify(c: &mut Criterion) {
    let dialogues = dialogues();
    let mut group = c.benchmark_group("verify");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(15));
    group.bench_function("embedded", |b| {
        b.iter(|| verify::verify(black_box(&dialogues)).expect("verifies"))
    });
    group.finish();
}

criterion_group!(benches, bench_assess, bench_session, bench_verify);
criterion_main!(benches);
