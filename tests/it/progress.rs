//! The progress line ("Question 3 of about 6") stays honest on the project's vignettes: the
//! number is the question's place, the estimate is never below it, and the estimate only grows
//! after an answer that is not the least alarming one (which can open questions); a check answered
//! calmly from the first question ends exactly where the first line said.

use spotcheck::triage::{least_alarming_option, Session, Step};

use crate::support::answers::option_for;
use crate::support::{dialogues, vignettes};

#[test]
fn the_progress_estimate_grows_only_after_a_worrying_answer_on_every_vignette() {
    let protocol = &dialogues().protocol;
    let mut walked = 0;
    let mut grew = 0;
    for vignette in vignettes::all() {
        if !vignette.facts.get("age_years").is_some_and(|age| age.is_number()) {
            continue;
        }
        let facts = vignettes::with_convention(protocol, &vignette.facts);
        let mut session = Session::new();
        let mut estimate: Option<(usize, bool)> = None;
        while let Step::Ask(question) = session.next(protocol) {
            let (current, total) = session.progress(protocol);
            assert_eq!(current, session.answers().len() + 1, "{}", vignette.id);
            assert!(
                total >= current,
                "{}: question {current} of about {total}",
                vignette.id
            );
            if let Some((before, was_calm)) = estimate {
                if was_calm {
                    assert_eq!(
                        total, before,
                        "{}: a calm answer changed the estimate",
                        vignette.id
                    );
                } else if total > before {
                    grew += 1;
                }
            }
            let option = protocol.questions[question]
                .option_index(&option_for(protocol, &protocol.questions[question].id, &facts))
                .expect("an option of the question");
            estimate = Some((total, option == least_alarming_option(protocol, question)));
            session
                .answer(protocol, question, option)
                .expect("the current question");
        }
        walked += 1;
    }
    assert!(walked >= 180, "only {walked} vignettes");
    assert!(
        grew > 0,
        "no vignette ever opened a question: the test walks nothing worrying"
    );
}

#[test]
fn a_calm_check_ends_where_its_first_progress_line_said() {
    let protocol = &dialogues().protocol;
    let mut session = Session::new();
    let (_, announced) = session.progress(protocol);
    let mut asked = 0;
    while let Step::Ask(question) = session.next(protocol) {
        session
            .answer(protocol, question, least_alarming_option(protocol, question))
            .expect("the current question");
        asked += 1;
    }
    assert_eq!(asked, announced);
    assert!(asked <= 6, "a calm check takes {asked} questions");
}
