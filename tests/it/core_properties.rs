//! Properties of the triage core on random cases and random chat sessions.
//!
//! The verifier (`spotcheck check`) proves the safety properties on every answer path of the chat;
//! these tests check the same properties from the outside, on cases the chat never builds (exact
//! numbers, any mix of unknown facts, as `spotcheck assess` receives them) and on sessions driven
//! through the public `Session` API (back, save and restore, stale answers, typed findings).
//!
//! Each proptest runs a few hundred cases and writes no regression files: a failure prints the
//! minimal case, which belongs in a vignette or a unit test once understood.

use proptest::prelude::*;
use proptest::test_runner::Config;

use spotcheck::triage::{
    assess, level, AnswerError, Case, Edge, Fact, FactId, FactKind, Level, Protocol, QuestionId,
    RecheckFinding, Session, Step, Value,
};

/// The red-flag findings of the contract and the protocol: any one of them alone is an emergency.
const RED_FLAG_FACTS: &[&str] = &[
    "drowsy_or_confused",
    "seizure",
    "fast_breathing_or_heart",
    "cold_hands_feet_or_mottled",
    "weak_high_pitched_cry",
];

/// Glass test answers that the rules read as "the spots stay".
const SPOTS_STAY: &[&str] = &["stays", "unsure", "not_done"];

fn protocol() -> &'static Protocol {
    &crate::support::dialogues().protocol
}

fn config(cases: u32) -> Config {
    Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    }
}

fn fact_id(key: &str) -> FactId {
    protocol()
        .fact_id(key)
        .unwrap_or_else(|| panic!("the protocol has no fact `{key}`"))
}

fn choice(key: &str, value: &str) -> Value {
    let FactKind::Choice { values } = &protocol().facts[fact_id(key)].kind else {
        panic!("`{key}` is not a choice fact");
    };
    let index = values
        .iter()
        .position(|candidate| candidate == value)
        .unwrap_or_else(|| panic!("`{key}` has no value `{value}`"));
    Value::Choice(index)
}

fn bands(fact: &Fact) -> &[spotcheck::triage::Band] {
    match &fact.kind {
        FactKind::Number { bands } => bands,
        _ => &[],
    }
}

/// The largest number a random value of a number fact may take (the last band is open-ended).
fn number_ceiling(fact: &Fact) -> f64 {
    if fact.key == "age_years" {
        100.0
    } else {
        30.0
    }
}

// ------------------------------------------------------------------------------------------------
// Random cases

/// A random known value of one fact.
fn known_value_strategy(fact: &Fact) -> BoxedStrategy<Value> {
    match &fact.kind {
        FactKind::Bool => any::<bool>().prop_map(Value::Bool).boxed(),
        FactKind::Number { bands } => {
            let typical: Vec<Value> = bands.iter().map(|band| Value::Number(band.typical)).collect();
            let ceiling = number_ceiling(fact);
            prop_oneof![
                proptest::sample::select(typical),
                (0.0..=ceiling).prop_map(Value::Number),
            ]
            .boxed()
        }
        FactKind::Choice { values } => (0..values.len()).prop_map(Value::Choice).boxed(),
    }
}

/// How often a random case leaves a fact unknown, and how often it gives it a random value instead
/// of the least alarming one (per thousand). With every value equally likely almost every case is
/// an emergency (one unknown danger sign is enough), so cases come in three kinds, from nearly
/// well to much unknown, and all four levels turn up.
const PROFILES: &[(u32, u32)] = &[(10, 40), (50, 150), (150, 400)];

/// A random case: each fact unknown, a random value, or its least alarming value (facts without
/// an order, age, always get a random value when known).
fn case_strategy() -> impl Strategy<Value = Case> {
    let facts: Vec<_> = protocol()
        .facts
        .iter()
        .map(|fact| (0..1000_u32, known_value_strategy(fact)))
        .collect();
    (proptest::sample::select(PROFILES), facts).prop_map(|((unknown, random), rolls)| {
        let protocol = protocol();
        let mut case = Case::unknown(protocol);
        for (fact, (roll, known)) in rolls.into_iter().enumerate() {
            let value = if roll < unknown {
                None
            } else if roll < unknown + random {
                Some(known)
            } else {
                protocol.facts[fact].best().or(Some(known))
            };
            case.set(fact, value);
        }
        case
    })
}

/// How alarming a fact's value is, by the fact's order: `None` for a fact without an order (age).
/// An unknown value is worse than every known one (the worse answer is assumed), except for a fact
/// whose unknown counts as absent: its unknown sits just above the least alarming value (absent
/// for the rules, but never good enough to satisfy an exception).
fn value_rank(fact: &Fact, value: Option<Value>) -> Option<f64> {
    if fact.order.is_empty() {
        return None;
    }
    match value {
        None if fact.unknown_is_absent => Some(0.5),
        None => Some(f64::INFINITY),
        Some(Value::Number(number)) => {
            let band = fact.band_of(number)?;
            fact.order
                .iter()
                .position(|ordered| matches!(ordered, Value::Number(typical) if fact.band_of(*typical) == Some(band)))
                .map(|rank| rank as f64)
        }
        Some(value) => fact.rank(value).map(|rank| rank as f64),
    }
}

/// The values a fact can take, for picking a worse one: every answer value, unknown, and for number
/// facts both edges of each band and a number inside it.
fn candidate_values(fact: &Fact) -> Vec<Option<Value>> {
    let mut candidates: Vec<Option<Value>> = fact.answer_values().into_iter().map(Some).collect();
    for (low, high) in band_ranges(fact) {
        candidates.push(Some(Value::Number(low)));
        candidates.push(Some(Value::Number(high)));
        candidates.push(Some(Value::Number(low + (high - low) * 0.37)));
    }
    candidates.push(None);
    candidates
}

/// The smallest and the largest number inside each band of a number fact.
fn band_ranges(fact: &Fact) -> Vec<(f64, f64)> {
    let mut ranges = Vec::new();
    let mut low = 0.0_f64;
    for band in bands(fact) {
        let (high, next_low) = match band.upper {
            Some(Edge::Below(edge)) => (next_down(edge), edge),
            Some(Edge::AtMost(edge)) => (edge, next_up(edge)),
            None => (number_ceiling(fact), f64::INFINITY),
        };
        ranges.push((low, high));
        low = next_low;
    }
    ranges
}

/// The next representable number below a positive one.
fn next_down(number: f64) -> f64 {
    assert!(number > 0.0, "band edges are positive");
    f64::from_bits(number.to_bits() - 1)
}

fn next_up(number: f64) -> f64 {
    assert!(number >= 0.0);
    f64::from_bits(number.to_bits() + 1)
}

fn describe_value(fact: &Fact, value: Option<Value>) -> String {
    match value {
        None => "unknown".to_string(),
        Some(Value::Number(number)) => {
            format!("{number} ({})", fact.value_name(Value::Number(number)))
        }
        Some(value) => fact.value_name(value),
    }
}

// ------------------------------------------------------------------------------------------------
// Sessions

/// How alarming an option of a question is, as the verifier ranks it: the place of its value in
/// the fact's order (doubled), with "not sure" between the best and the worst value. `None` when
/// the fact has no order (age).
fn option_rank(protocol: &Protocol, question: QuestionId, option: usize) -> Option<usize> {
    let values = protocol.questions[question].option_values(protocol, option);
    let ranks: Option<Vec<usize>> = values
        .iter()
        .map(|&(fact, value)| answer_rank(protocol, fact, value))
        .collect();
    // A checklist sets several facts: its options rank by how many alarming answers they give.
    ranks.map(|ranks| ranks.iter().sum())
}

/// How alarming one fact's value is: its place in the fact's order, doubled; "not sure" between.
fn answer_rank(protocol: &Protocol, fact: usize, value: Option<Value>) -> Option<usize> {
    let fact = &protocol.facts[fact];
    match value {
        Some(value) => fact.rank(value).map(|rank| rank * 2),
        None => (!fact.order.is_empty()).then_some(1),
    }
}

/// Whether `worse` gives every fact of the question a value at least as alarming as `chosen`
/// does, and one a more alarming value: for a checklist, ticks added or "not sure" for the rest.
fn is_worse(protocol: &Protocol, question: QuestionId, worse: usize, chosen: usize) -> bool {
    let definition = &protocol.questions[question];
    let worse_values = definition.option_values(protocol, worse);
    let chosen_values = definition.option_values(protocol, chosen);
    let mut strictly = false;
    for (&(fact, worse_value), &(_, chosen_value)) in worse_values.iter().zip(&chosen_values) {
        let (Some(worse_rank), Some(chosen_rank)) = (
            answer_rank(protocol, fact, worse_value),
            answer_rank(protocol, fact, chosen_value),
        ) else {
            return false;
        };
        if worse_rank < chosen_rank {
            return false;
        }
        strictly |= worse_rank > chosen_rank;
    }
    strictly
}

/// The option setting the least alarming values (the first option for a question without an order).
fn least_alarming_option(protocol: &Protocol, question: QuestionId) -> usize {
    (0..protocol.questions[question].options.len())
        .min_by_key(|&option| option_rank(protocol, question, option).unwrap_or(0))
        .unwrap_or(0)
}

/// The option a random choice (0..16) stands for: three times in four the least alarming option, so
/// random paths reach every level (uniform answers end almost every path in an emergency at the
/// first question), otherwise any option. A question without an order (age) gets any option.
fn pick_option(protocol: &Protocol, question: QuestionId, choice: usize) -> usize {
    let ordered = option_rank(protocol, question, 0).is_some();
    if ordered && choice < 12 {
        least_alarming_option(protocol, question)
    } else {
        choice % protocol.questions[question].options.len()
    }
}

/// Answers the questions as they come, the n-th with `pick_option(choices[n])`.
/// Returns the finished session and its assessment level.
fn walk(protocol: &Protocol, choices: &[usize]) -> (Session, Level) {
    let mut session = Session::new();
    let mut step = session.next(protocol);
    let mut asked = 0;
    while let Step::Ask(question) = step {
        assert!(
            asked < protocol.questions.len(),
            "more questions than the protocol has"
        );
        let option = pick_option(protocol, question, choices[asked % choices.len()]);
        step = session
            .answer(protocol, question, option)
            .expect("the current question takes its options");
        asked += 1;
    }
    let level = step.level().expect("a finished walk has a level");
    (session, level)
}

/// Like `walk`, but stops after `stop_after` answers (or at the end).
fn partial_walk(protocol: &Protocol, choices: &[usize], stop_after: usize) -> Session {
    let mut session = Session::new();
    while let Step::Ask(question) = session.next(protocol) {
        let steps = session.answers().len();
        if steps == stop_after {
            break;
        }
        let option = pick_option(protocol, question, choices[steps % choices.len()]);
        session
            .answer(protocol, question, option)
            .expect("the current question takes its options");
    }
    session
}

fn describe_path(protocol: &Protocol, session: &Session) -> String {
    session
        .answers()
        .iter()
        .map(|&(question, option)| {
            let question = &protocol.questions[question];
            format!("{}={}", question.id, question.options[option])
        })
        .collect::<Vec<_>>()
        .join(" ")
}

// ------------------------------------------------------------------------------------------------
// (a) Monotonicity over random cases

proptest! {
    #![proptest_config(config(400))]

    /// Replacing one fact's value by a worse one (by the fact's order; unknown counts as the worst,
    /// except for a fact whose unknown counts as absent) never lowers the level. Every fact with an
    /// order and every worse value of it is tried on each random case.
    #[test]
    fn a_worse_value_never_lowers_the_level(case in case_strategy()) {
        let protocol = protocol();
        let before = level(protocol, &case);
        let mut tried = 0;
        for (fact_id, fact) in protocol.facts.iter().enumerate() {
            let current = case.get(fact_id);
            let Some(current_rank) = value_rank(fact, current) else {
                // No order (age): no value is worse than another.
                continue;
            };
            for replacement in candidate_values(fact) {
                if value_rank(fact, replacement).is_none_or(|rank| rank <= current_rank) {
                    continue;
                }
                tried += 1;
                let after = level(protocol, &case.clone().with(fact_id, replacement));
                prop_assert!(
                    after >= before,
                    "`{}` from {} to {} lowered the level from {} to {}\ncase: {:?}",
                    fact.key,
                    describe_value(fact, current),
                    describe_value(fact, replacement),
                    before.key(),
                    after.key(),
                    case
                );
            }
        }
        prop_assert!(tried > 0, "no fact could be made worse in {:?}", case);
    }
}

// ------------------------------------------------------------------------------------------------
// (b) Red flags

proptest! {
    #![proptest_config(config(300))]

    /// Any red-flag finding makes a case an emergency, whatever else is known or unknown.
    #[test]
    fn any_red_flag_is_an_emergency(case in case_strategy(), flag in proptest::sample::select(RED_FLAG_FACTS)) {
        let protocol = protocol();
        let case = case.with(fact_id(flag), Some(Value::Bool(true)));
        let assessment = assess(protocol, &case);
        prop_assert_eq!(assessment.level, Level::Emergency, "{} = true is not an emergency in {:?}", flag, case);
        prop_assert!(!assessment.reasons.is_empty());
    }

    /// A child under 16 with a fever whose spots stay (or whose glass test is unsure or not done) is
    /// an emergency, whatever else is known or unknown.
    #[test]
    fn a_feverish_child_with_spots_that_stay_is_an_emergency(
        case in case_strategy(),
        age in prop_oneof![0.0..16.0_f64, Just(next_down(16.0)), Just(0.0)],
        blanching in proptest::sample::select(SPOTS_STAY),
    ) {
        let protocol = protocol();
        let case = case
            .with(fact_id("age_years"), Some(Value::Number(age)))
            .with(fact_id("blanching"), Some(choice("blanching", blanching)))
            .with(fact_id("fever"), Some(Value::Bool(true)));
        prop_assert_eq!(
            level(protocol, &case),
            Level::Emergency,
            "a {}-year-old with a fever and blanching {} is not an emergency in {:?}",
            age,
            blanching,
            case
        );
    }
}

// ------------------------------------------------------------------------------------------------
// (c) Random sessions

proptest! {
    #![proptest_config(config(300))]

    /// A session answered at random ends in advice within as many steps as there are questions;
    /// at every step: a stale answer or an unknown option is refused and changes nothing, `back`
    /// and the same answer again give the same step, and save → restore gives the same session.
    #[test]
    fn random_sessions_behave(
        choices in prop::collection::vec(0..16_usize, 32),
        stale_picks in prop::collection::vec(any::<prop::sample::Index>(), 32),
    ) {
        let protocol = protocol();
        let questions = protocol.questions.len();
        let mut session = Session::new();
        let mut step = session.next(protocol);
        let mut steps = 0;
        while let Step::Ask(question) = step.clone() {
            prop_assert!(
                steps < questions,
                "more than {} questions on the path {}",
                questions,
                describe_path(protocol, &session)
            );
            let options = protocol.questions[question].options.len();
            let option = pick_option(protocol, question, choices[steps]);
            let before = session.clone();

            let (current, total) = session.progress(protocol);
            prop_assert_eq!(current, steps + 1);
            prop_assert!(total >= current);

            // A stale button: any other question.
            let stale = (question + 1 + stale_picks[steps].index(questions - 1)) % questions;
            prop_assert_ne!(stale, question);
            prop_assert_eq!(session.answer(protocol, stale, 0), Err(AnswerError::NotCurrentQuestion));
            prop_assert_eq!(&session, &before, "a stale answer changed the session");
            prop_assert_eq!(session.answer(protocol, question, options), Err(AnswerError::UnknownOption));
            prop_assert_eq!(&session, &before, "an unknown option changed the session");

            let next = session
                .answer(protocol, question, option)
                .map_err(|error| TestCaseError::fail(format!("the current question refused option {option}: {error}")))?;
            prop_assert_eq!(session.answers().len(), steps + 1);

            // Back, and the same answer again.
            let mut again = session.clone();
            prop_assert!(again.back());
            prop_assert_eq!(&again, &before, "back did not undo the answer");
            prop_assert_eq!(again.next(protocol), Step::Ask(question));
            let redo = again.answer(protocol, question, option);
            prop_assert_eq!(redo, Ok(next.clone()), "back then the same answer gave another step");
            prop_assert_eq!(&again, &session);

            // Save and restore, also through JSON as a store would keep it.
            let saved = session.save(protocol);
            let restored = Session::restore(protocol, &saved);
            prop_assert_eq!(restored.as_ref(), Ok(&session), "restore did not give the saved session back");
            let json = serde_json::to_string(&saved).expect("a saved session serialises");
            let from_json: spotcheck::triage::SavedSession = serde_json::from_str(&json).expect("and reads back");
            prop_assert_eq!(&from_json, &saved);

            step = next;
            steps += 1;
        }
        prop_assert!(session.answers().len() <= questions);
        let Step::Done(assessment) = &step else { unreachable!() };
        prop_assert!(!assessment.reasons.is_empty(), "advice without a reason on {}", describe_path(protocol, &session));

        // A finished check refuses every answer and stays as it is.
        let finished = session.clone();
        for question in 0..questions {
            prop_assert_eq!(session.answer(protocol, question, 0), Err(AnswerError::Finished));
        }
        prop_assert_eq!(&session, &finished);
        prop_assert_eq!(session.next(protocol), step);
    }

    /// An emergency typed in free text at any point of a check ("he is having a fit") ends it with
    /// emergency advice, and a session with such a finding saves and restores.
    #[test]
    fn a_typed_red_flag_ends_any_session_in_an_emergency(
        choices in prop::collection::vec(0..16_usize, 32),
        stop_after in 0..24_usize,
        flag in proptest::sample::select(RED_FLAG_FACTS),
    ) {
        let protocol = protocol();
        let mut session = partial_walk(protocol, &choices, stop_after);
        let step = session.add_finding(protocol, fact_id(flag));
        prop_assert_eq!(
            step.level(),
            Some(Level::Emergency),
            "typing a red flag ({}) after {} did not give emergency advice",
            flag,
            describe_path(protocol, &session)
        );
    }

    /// A session with a finding typed in free text saves and restores like any other, so a check
    /// that ended on a typed emergency survives a restart of the bot (its summary included).
    #[test]
    fn a_session_with_a_typed_finding_saves_and_restores(
        choices in prop::collection::vec(0..16_usize, 32),
        stop_after in 0..24_usize,
        flag in proptest::sample::select(RED_FLAG_FACTS),
    ) {
        let protocol = protocol();
        let mut session = partial_walk(protocol, &choices, stop_after);
        session.add_finding(protocol, fact_id(flag));
        let saved = session.save(protocol);
        let restored = Session::restore(protocol, &saved);
        prop_assert_eq!(
            restored.as_ref(),
            Ok(&session),
            "a session with the typed finding {} after {} does not restore from {:?}",
            flag,
            describe_path(protocol, &session),
            saved
        );
    }
}

// ------------------------------------------------------------------------------------------------
// (d) Replaying a path with one answer made worse

proptest! {
    #![proptest_config(config(400))]

    /// Take a complete path, change one answer to a worse option, replay the later answers where
    /// the same question is asked (new questions get their least alarming option): the final level
    /// is not lower. Every answer of the path and every worse option of it is tried.
    #[test]
    fn a_worse_answer_on_a_path_never_lowers_the_outcome(choices in prop::collection::vec(0..16_usize, 32)) {
        let protocol = protocol();
        let (original, original_level) = walk(protocol, &choices);
        let answers = original.answers().to_vec();
        prop_assert!(!answers.is_empty());
        for (position, &(question, chosen)) in answers.iter().enumerate() {
            // Age has no order: no option is worse than another.
            for worse_option in 0..protocol.questions[question].options.len() {
                if !is_worse(protocol, question, worse_option, chosen) {
                    continue;
                }
                let (replay, replay_level) = replay_with(protocol, &answers, position, worse_option);
                prop_assert!(
                    replay_level >= original_level,
                    "answering `{}` instead of `{}` to `{}` lowered the level from {} to {}\noriginal: {}\nreplay:   {}",
                    protocol.questions[question].options[worse_option],
                    protocol.questions[question].options[chosen],
                    protocol.questions[question].id,
                    original_level.key(),
                    replay_level.key(),
                    describe_path(protocol, &original),
                    describe_path(protocol, &replay)
                );
            }
        }
    }
}

proptest! {
    #![proptest_config(config(300))]

    /// A reminder's re-check (`Session::revised`): "the spots don't fade now" never lowers the
    /// level, whatever the questions the change opens are answered (questions asked again get the
    /// same answer as before: only the spots changed); "they still fade" after a check that found
    /// them fading changes nothing; and answers are kept wherever still asked.
    #[test]
    fn a_recheck_that_finds_spots_staying_never_lowers_the_level(
        choices in prop::collection::vec(0..16_usize, 32),
        later in prop::collection::vec(0..16_usize, 16),
    ) {
        let protocol = protocol();
        let recheck = protocol.recheck.as_ref().expect("the protocol defines its re-check");
        let (original, original_level) = walk(protocol, &choices);
        let mut revised = original.revised(protocol, recheck.question, recheck.no_longer_fades);
        for (position, &(question, option)) in revised.answers().iter().enumerate() {
            let kept = original.answers().contains(&(question, option));
            prop_assert!(
                kept || (question == recheck.question && option == recheck.no_longer_fades),
                "answer {position} of the revised check was neither kept nor the re-check's"
            );
        }
        let mut step = revised.next(protocol);
        let mut asked = 0;
        while let Step::Ask(question) = step {
            let option = original
                .answers()
                .iter()
                .find(|&&(answered, _)| answered == question)
                .map_or_else(|| pick_option(protocol, question, later[asked % later.len()]), |&(_, option)| option);
            step = revised.answer(protocol, question, option).expect("the current question");
            asked += 1;
        }
        let revised_level = step.level().expect("a finished check has a level");
        prop_assert!(
            revised_level >= original_level,
            "spots that stopped fading lowered the level from {} to {}\noriginal: {}\nrevised:  {}",
            original_level.key(),
            revised_level.key(),
            describe_path(protocol, &original),
            describe_path(protocol, &revised)
        );
        let found_fading = original
            .answers()
            .contains(&(recheck.question, recheck.still_fades));
        if found_fading {
            prop_assert_eq!(original.rechecked(protocol, RecheckFinding::StillFades), original.clone());
        }
        prop_assert!(
            original.rechecked(protocol, RecheckFinding::Worse).is_empty(),
            "feeling worse starts the check again, warning signs first"
        );
    }
}

/// Replays `answers` with the answer at `position` replaced by `option`; later questions get their
/// answer from `answers` when they were asked there, and their least alarming option otherwise.
fn replay_with(
    protocol: &Protocol,
    answers: &[(QuestionId, usize)],
    position: usize,
    option: usize,
) -> (Session, Level) {
    let mut replay = Session::new();
    for &(earlier, earlier_option) in &answers[..position] {
        replay
            .answer(protocol, earlier, earlier_option)
            .expect("the same answers ask the same questions");
    }
    let mut step = replay
        .answer(protocol, answers[position].0, option)
        .expect("the changed question is the current one");
    while let Step::Ask(next) = step {
        assert!(
            replay.answers().len() <= protocol.questions.len(),
            "the replay does not end"
        );
        let option = answers
            .iter()
            .find(|&&(asked, _)| asked == next)
            .map(|&(_, option)| option)
            .unwrap_or_else(|| least_alarming_option(protocol, next));
        step = replay
            .answer(protocol, next, option)
            .expect("the current question takes its options");
    }
    let level = step.level().expect("a finished replay has a level");
    (replay, level)
}

// ------------------------------------------------------------------------------------------------
// (e) Bands stand for numbers (contract §2)

proptest! {
    #![proptest_config(config(400))]

    /// For every band of every number fact, an exact number anywhere inside the band (its lowest
    /// and highest numbers included) decides like the band's typical value, the number a chat
    /// answer stands for.
    #[test]
    fn an_exact_number_decides_like_its_band(case in case_strategy(), where_in_band in 0.0..=1.0_f64) {
        let protocol = protocol();
        let mut number_facts = 0;
        for (fact_id, fact) in protocol.facts.iter().enumerate() {
            if !matches!(fact.kind, FactKind::Number { .. }) {
                continue;
            }
            number_facts += 1;
            for (band, (low, high)) in band_ranges(fact).into_iter().enumerate() {
                let typical = case.clone().with(fact_id, Some(Value::Number(bands(fact)[band].typical)));
                let by_band = assess(protocol, &typical);
                let inside = (low + (high - low) * where_in_band).clamp(low, high);
                for number in [low, inside, high] {
                    prop_assert_eq!(fact.band_of(number), Some(band), "{} is not in band {}", number, bands(fact)[band].id);
                    let exact = case.clone().with(fact_id, Some(Value::Number(number)));
                    let by_number = assess(protocol, &exact);
                    prop_assert_eq!(
                        by_number.level,
                        by_band.level,
                        "{} = {} decides {} but its band {} decides {}\ncase: {:?}",
                        &fact.key,
                        number,
                        by_number.level.key(),
                        &bands(fact)[band].id,
                        by_band.level.key(),
                        &exact
                    );
                    prop_assert_eq!(&by_number.reasons, &by_band.reasons);
                }
            }
        }
        prop_assert!(number_facts >= 2, "age_years and days_present are number facts");
    }
}

// ------------------------------------------------------------------------------------------------
// The generators themselves

/// The random cases reach every level, so the properties above are not only tried on emergencies.
#[test]
fn random_cases_reach_every_level() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;

    let protocol = protocol();
    let mut runner = TestRunner::deterministic();
    let strategy = case_strategy();
    let mut per_level = [0_usize; 4];
    for _ in 0..2000 {
        let case = strategy.new_tree(&mut runner).expect("a case").current();
        per_level[level(protocol, &case) as usize] += 1;
    }
    println!("levels of 2000 random cases (self-care, routine, urgent, emergency): {per_level:?}");
    for (index, count) in per_level.iter().enumerate() {
        assert!(
            *count >= 10,
            "only {count} random cases at {}: {per_level:?}",
            Level::ALL[index].key()
        );
    }
}

/// Random walks reach every level too.
#[test]
fn random_walks_reach_every_level() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;

    let protocol = protocol();
    let mut runner = TestRunner::deterministic();
    let strategy = prop::collection::vec(0..16_usize, 32);
    let mut per_level = [0_usize; 4];
    for _ in 0..2000 {
        let choices = strategy.new_tree(&mut runner).expect("choices").current();
        per_level[walk(protocol, &choices).1 as usize] += 1;
    }
    println!("levels of 2000 random walks (self-care, routine, urgent, emergency): {per_level:?}");
    assert!(per_level.iter().all(|&count| count > 0), "{per_level:?}");
}
