//! How many questions, and how many taps, each of the project's vignettes takes to reach its
//! advice: the figures issue #24 asks for (median, 90th percentile and largest, overall, for
//! emergencies and for the other levels).
//!
//! `cargo bench --bench taps` prints them; it drives the triage core the way the chat does, one
//! answer per question, a checklist's items ticked and then Done. A vignette whose age is not a
//! number is left out: the chat always learns an age band. `SPOTCHECK_DIALOGUES=folder` measures
//! a draft protocol (`TAPS_LIST=1` lists the questions each vignette is asked), and any vignette it sends to another level than expected is named.

#[path = "../tests/it/support/answers.rs"]
#[allow(dead_code)]
mod answers;
#[path = "../tests/it/support/vignettes.rs"]
#[allow(dead_code)]
mod vignettes;

use spotcheck::content::Dialogues;
use spotcheck::triage::Level;

/// Questions and taps one vignette takes through the chat.
struct Walk {
    level: Level,
    questions: usize,
    taps: usize,
}

fn main() {
    // SPOTCHECK_DIALOGUES, as for the bot, measures another order of the questions.
    let (dialogues, _) = Dialogues::load_from(None).unwrap_or_else(|error| panic!("{error}"));
    let protocol = &dialogues.protocol;
    let walks: Vec<Walk> = vignettes::all()
        .iter()
        .filter(|vignette| vignette.facts.get("age_years").is_some_and(|age| age.is_number()))
        .map(|vignette| {
            let facts = vignettes::with_convention(protocol, &vignette.facts);
            let (session, assessment) = answers::check_in_core(protocol, &facts);
            let taps = session
                .answers()
                .iter()
                .map(|&(question, _)| {
                    answers::presses_for(protocol, &protocol.questions[question].id, &facts).len()
                })
                .sum();
            if assessment.level.key() != vignette.expected {
                println!(
                    "MISMATCH {}: expected {}, the chat gives {}",
                    vignette.id,
                    vignette.expected,
                    assessment.level.key()
                );
            }
            if std::env::var_os("TAPS_LIST").is_some() {
                let asked: Vec<&str> = session
                    .answers()
                    .iter()
                    .map(|&(question, _)| protocol.questions[question].id.as_str())
                    .collect();
                println!(
                    "{:<9} {:<45} {}",
                    assessment.level.key(),
                    vignette.id,
                    asked.join(" ")
                );
            }
            Walk {
                level: assessment.level,
                questions: session.answers().len(),
                taps,
            }
        })
        .collect();
    println!(
        "{} vignettes through the triage core (questions | taps)",
        walks.len()
    );
    let (_, announced) = spotcheck::triage::Session::new().progress(protocol);
    let longer = walks.iter().filter(|walk| walk.questions > announced).count();
    println!("the first progress line says \"of about {announced}\"; {longer} vignettes take more questions");
    type Belongs = fn(&Walk) -> bool;
    let groups: [(&str, Belongs); 3] = [
        ("all", |_| true),
        ("emergency", |walk| walk.level == Level::Emergency),
        ("other levels", |walk| walk.level != Level::Emergency),
    ];
    for (name, belongs) in groups {
        let chosen: Vec<&Walk> = walks.iter().filter(|walk| belongs(walk)).collect();
        let questions = figures(chosen.iter().map(|walk| walk.questions).collect());
        let taps = figures(chosen.iter().map(|walk| walk.taps).collect());
        println!(
            "{name:>13} ({:>3}): median / p90 / largest: questions {questions}  |  taps {taps}",
            chosen.len()
        );
    }
}

/// "median / 90th percentile / largest (mean)" of a sample (nearest rank).
fn figures(mut sample: Vec<usize>) -> String {
    if sample.is_empty() {
        return "-".into();
    }
    sample.sort_unstable();
    let rank = |fraction: f64| sample[((fraction * sample.len() as f64).ceil() as usize).max(1) - 1];
    let mean = sample.iter().sum::<usize>() as f64 / sample.len() as f64;
    format!(
        "{} / {} / {} (mean {mean:.2})",
        rank(0.5),
        rank(0.9),
        sample[sample.len() - 1]
    )
}
