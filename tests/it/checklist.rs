//! The `checklist` question (contract §4): several findings on one screen, "tick all that apply".
//! Through the fake Bot API with the defaults people get (pacing on); and in the terminal.

use std::time::Duration;

use serde_json::{json, Map, Value};
use spotcheck::bot::StorageChoice;
use spotcheck::conversation::{self, Turn};
use spotcheck::triage::{Session, Step};

use crate::support::answers::presses_for;
use crate::support::fake_telegram::{FakeTelegram, Request};
use crate::support::harness::{level_of, question_id, Harness};
use crate::support::people::{answer_until_advice, is_advice, is_question, requests_in, Follower};
use crate::support::redis::RedisServer;
use crate::vignettes::with_convention;

const STEP_WITHIN: Duration = Duration::from_secs(15);

async fn paced_bot() -> Harness {
    paced_bot_on(StorageChoice::Memory).await
}

async fn paced_bot_on(storage: StorageChoice) -> Harness {
    let fake = FakeTelegram::start().await;
    let mut config = Harness::config(&fake, storage);
    config.throttle = true;
    Harness::start_config(fake, config).await
}

/// Waits until the press `query` is answered, and returns its notice ("" for none).
async fn answered(fake: &FakeTelegram, query: &str) -> String {
    let deadline = tokio::time::Instant::now() + STEP_WITHIN;
    loop {
        if let Some(text) = answer_to(fake, query) {
            return text;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "press {query} never answered"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

fn facts_of(facts: Value) -> Map<String, Value> {
    let Value::Object(facts) = facts else {
        unreachable!()
    };
    with_convention(&crate::support::dialogues().protocol, &facts)
}

/// Answers every question from `facts` until `wanted` is asked; returns that question.
async fn answer_until(
    harness: &Harness,
    follower: &mut Follower,
    facts: &Map<String, Value>,
    wanted: &str,
) -> Request {
    let protocol = &harness.dialogues.protocol;
    harness.fake.private_text(follower.chat, "/check");
    loop {
        let chat = follower.chat;
        let asked = follower
            .next(STEP_WITHIN, |request| is_question(request) && request.delivered())
            .await
            .unwrap_or_else(|| panic!("no question: {:#?}", requests_in(&harness.fake, chat)));
        let id = question_id(&asked);
        if id == wanted {
            return asked;
        }
        let message = asked.message_id().unwrap();
        for option in presses_for(protocol, &id, facts) {
            harness.fake.callback(chat, message, &format!("a:{id}:{option}"));
        }
    }
}

/// The labels of a message's buttons whose data is `a:more:<item>`, by item.
fn item_labels(request: &Request) -> Vec<(String, String)> {
    request.body["reply_markup"]["inline_keyboard"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|row| row.as_array().cloned().unwrap_or_default())
        .filter_map(|button| {
            let data = button["callback_data"].as_str()?;
            let item = data.strip_prefix("a:more:")?;
            Some((item.to_string(), button["text"].as_str()?.to_string()))
        })
        .collect()
}

/// The edits that showed a checklist's ticks, oldest first.
fn tick_edits(fake: &FakeTelegram) -> Vec<Request> {
    fake.requests()
        .into_iter()
        .filter(|request| request.method == "editMessageReplyMarkup" && !item_labels(request).is_empty())
        .collect()
}

/// The text a press was answered with ("" for none).
fn answer_to(fake: &FakeTelegram, query: &str) -> Option<String> {
    fake.requests()
        .into_iter()
        .find(|request| {
            request.method == "answerCallbackQuery"
                && request.body["callback_query_id"].as_str() == Some(query)
        })
        .map(|request| request.body["text"].as_str().unwrap_or_default().to_string())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn quick_presses_on_a_checklist_are_all_taken_in_order_and_its_ticks_are_shown() {
    let harness = paced_bot().await;
    let chat = 9100;
    // A well adult whose rash fades; at the checklist they tap "vomiting", "tick bite", then
    // "vomiting" again to untick it, and Done, all before the first tick is shown.
    let facts = facts_of(json!({"age_years": 30, "blanching": "fades", "tick_bite_or_travel": true}));
    let mut follower = Follower::new(&harness.fake, chat);
    let checklist = answer_until(&harness, &mut follower, &facts, "more").await;
    assert!(item_labels(&checklist)
        .iter()
        .all(|(_, label)| !label.starts_with('✅')));
    let message = checklist.message_id().unwrap();
    let presses: Vec<String> = ["vomiting", "tick_bite_or_travel", "vomiting", "done"]
        .iter()
        .map(|item| {
            harness
                .fake
                .callback_query(chat, message, &format!("a:more:{item}"))
                .1
        })
        .collect();
    let watching = Follower::new(&harness.fake, chat);
    let run = answer_until_advice(watching, &facts, Duration::ZERO, STEP_WITHIN)
        .await
        .unwrap_or_else(|stalled| panic!("{stalled}"));
    // A tick bite with a fading rash: routine; had "vomiting" stayed ticked it would be urgent.
    assert_eq!(level_of(run.text()), "routine", "{}", run.text());
    assert!(
        harness.fake.unanswered_presses().is_empty(),
        "every press answered"
    );
    for press in &presses {
        assert_eq!(
            answer_to(&harness.fake, press).as_deref(),
            Some(""),
            "press {press} acted"
        );
    }
    // The keyboard was edited after each toggle; the last edit shows only the tick bite ticked.
    let edits: Vec<Request> = tick_edits(&harness.fake)
        .into_iter()
        .filter(|request| request.body["message_id"].as_i64() == Some(message))
        .collect();
    assert_eq!(
        edits.len(),
        3,
        "one edit per toggle: {:#?}",
        requests_in(&harness.fake, chat)
    );
    let ticked = |request: &Request| -> Vec<String> {
        item_labels(request)
            .into_iter()
            .filter(|(item, label)| {
                label.starts_with('✅') && !matches!(item.as_str(), "done" | "none" | "unsure")
            })
            .map(|(item, _)| item)
            .collect()
    };
    assert_eq!(ticked(&edits[0]), ["vomiting"]);
    assert_eq!(ticked(&edits[1]), ["vomiting", "tick_bite_or_travel"]);
    assert_eq!(ticked(&edits[2]), ["tick_bite_or_travel"]);
    harness.assert_no_violations();
    harness.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tick_that_alone_decides_an_emergency_ends_the_checklist_at_once() {
    let harness = paced_bot().await;
    let chat = 9200;
    // A stiff neck, then "being sick" ticked: an emergency with or without a fever.
    let facts = facts_of(json!({"age_years": 30, "blanching": "fades", "stiff_neck": true}));
    let mut follower = Follower::new(&harness.fake, chat);
    let checklist = answer_until(&harness, &mut follower, &facts, "more").await;
    let message = checklist.message_id().unwrap();
    harness.fake.callback(chat, message, "a:more:vomiting");
    let advice = follower
        .next(STEP_WITHIN, |request| is_advice(request) && request.delivered())
        .await
        .unwrap_or_else(|| panic!("no advice: {:#?}", requests_in(&harness.fake, chat)));
    let text = advice.text().unwrap();
    assert_eq!(level_of(text), "emergency", "{text}");
    let reason = harness
        .dialogues
        .language("en")
        .texts
        .plain("reason-stiff_neck_meningitis_signs");
    assert!(text.contains(&reason), "{text}");
    // Done, pressed after, is stale: answered with the notice, and nothing else happens.
    let (_, late) = harness.fake.callback_query(chat, message, "a:more:done");
    let stale = harness.dialogues.language("en").texts.plain("bot-stale-button");
    assert_eq!(answered(&harness.fake, &late).await, stale);
    harness.assert_no_violations();
    harness.stop().await;
}

/// Forged or stale presses on a checklist: an item of another question, an unknown item, an
/// empty one, and a tick on an earlier question's message. Each is answered with the stale-button
/// notice and ticks nothing; the checklist then still takes its answer.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forged_and_stale_checklist_presses_tick_nothing() {
    let harness = paced_bot().await;
    let chat = 9300;
    let facts = facts_of(json!({"age_years": 30, "blanching": "fades"}));
    let mut follower = Follower::new(&harness.fake, chat);
    let checklist = answer_until(&harness, &mut follower, &facts, "more").await;
    let message = checklist.message_id().unwrap();
    let earlier = harness
        .fake
        .requests()
        .into_iter()
        .find(|request| {
            request.chat_id() == Some(chat) && is_question(request) && question_id(request) == "age"
        })
        .and_then(|request| request.message_id())
        .expect("the age question");
    let stale = harness.dialogues.language("en").texts.plain("bot-stale-button");
    for (on, data) in [
        (message, "a:more:seizure"),
        (message, "a:more:bogus"),
        (message, "a:more:"),
        (earlier, "a:more:vomiting"),
    ] {
        let (_, query) = harness.fake.callback_query(chat, on, data);
        assert_eq!(answered(&harness.fake, &query).await, stale, "{data} on {on}");
    }
    let edits = tick_edits(&harness.fake).len();
    assert_eq!(edits, 0, "nothing was ticked");
    harness.fake.callback(chat, message, "a:more:none");
    let run = answer_until_advice(follower, &facts, Duration::ZERO, STEP_WITHIN)
        .await
        .unwrap_or_else(|stalled| panic!("{stalled}"));
    assert_eq!(level_of(run.text()), "self_care", "{}", run.text());
    harness.stop_with_every_press_answered().await;
}

/// A tick that cannot be saved (Redis full) is told, shows no tick, and works once there is room.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_tick_the_storage_cannot_save_is_told_and_can_be_made_again() {
    let Some(redis) = RedisServer::start_or_skip() else {
        return;
    };
    let harness = paced_bot_on(StorageChoice::Redis(redis.url.clone())).await;
    let chat = 9400;
    let facts = facts_of(json!({"age_years": 30, "blanching": "fades"}));
    let mut follower = Follower::new(&harness.fake, chat);
    let checklist = answer_until(&harness, &mut follower, &facts, "more").await;
    let message = checklist.message_id().unwrap();
    redis
        .wait_for_state(chat, |state| state.contains(r#""question":"glass_test""#))
        .await;
    redis.cap_memory(1);
    harness.fake.callback(chat, message, "a:more:vomiting");
    let notice = follower
        .next_message(STEP_WITHIN)
        .await
        .expect("a reply to the tick");
    let unavailable = harness
        .dialogues
        .language("en")
        .texts
        .plain("bot-storage-unavailable");
    assert_eq!(notice.text(), Some(unavailable.as_str()));
    redis.cap_memory(0);
    harness.fake.callback(chat, message, "a:more:vomiting");
    let edit = follower
        .next(STEP_WITHIN, |request| {
            request.method == "editMessageReplyMarkup" && !item_labels(request).is_empty()
        })
        .await
        .expect("the tick is shown once it is saved");
    let ticked: Vec<String> = item_labels(&edit)
        .into_iter()
        .filter(|(_, label)| label.starts_with('✅'))
        .map(|(item, _)| item)
        .collect();
    assert_eq!(ticked, ["vomiting"], "one tick, not two");
    assert_eq!(
        tick_edits(&harness.fake).len(),
        1,
        "the unsaved tick was never shown"
    );
    harness.stop_with_every_press_answered().await;
}

/// The terminal takes every item that applies on one line ("4 6"), 0 for none; "not sure"
/// leaves the items not ticked unknown.
#[test]
fn the_terminal_takes_several_numbers_on_one_line() {
    let dialogues = crate::support::dialogues();
    let protocol = &dialogues.protocol;
    let language = dialogues.language("en");
    let facts = facts_of(json!({"age_years": 30, "blanching": "fades"}));
    let mut session = Session::new();
    let more = protocol.question_id("more").unwrap();
    while let Step::Ask(question) = session.next(protocol) {
        if question == more {
            break;
        }
        let id = &protocol.questions[question].id;
        let option = crate::support::answers::option_for(protocol, id, &facts);
        let index = protocol.questions[question].option_index(&option).unwrap();
        session.answer(protocol, question, index).unwrap();
    }
    assert_eq!(session.next(protocol), Step::Ask(more));
    let value = |session: &Session, key: &str| {
        session
            .next_with_case(protocol)
            .1
            .get(protocol.fact_id(key).unwrap())
    };
    // Items 4 and 6 of `more`: vomiting, a tick bite or travel.
    for (typed, vomiting, tick) in [
        ("4 6", Some(true), Some(true)),
        ("6", Some(false), Some(true)),
        ("0", Some(false), Some(false)),
        ("not sure", None, None),
    ] {
        let mut answered = session.clone();
        let turn = conversation::typed(dialogues, language, &mut answered, typed);
        assert!(matches!(turn, Turn::Answered(_)), "{typed}: {turn:?}");
        let vomiting_value =
            value(&answered, "vomiting").map(|value| value == spotcheck::triage::Value::Bool(true));
        let tick_value = value(&answered, "tick_bite_or_travel")
            .map(|value| value == spotcheck::triage::Value::Bool(true));
        assert_eq!((vomiting_value, tick_value), (vomiting, tick), "{typed}");
    }
    let mut refused = session.clone();
    assert!(matches!(
        conversation::typed(dialogues, language, &mut refused, "1 9"),
        Turn::NotUnderstood(_)
    ));
}

/// A checklist ends early only when the ticks so far decide an emergency whatever the rest say,
/// including the items that lower the level (a hard cough before spots only above the nipples).
/// Every vignette's checklists are ticked one item at a time, in their order and in reverse, as a
/// person taps: no early end may come on a vignette whose advice is not an emergency, and where
/// one comes, the whole answer gives an emergency too.
#[test]
fn ticking_one_item_at_a_time_never_ends_early_unless_the_whole_answer_is_an_emergency() {
    use spotcheck::triage::QuestionKind;
    let protocol = &crate::support::dialogues().protocol;
    let mut early_ends = 0;
    for vignette in crate::support::vignettes::all() {
        if !vignette.facts.get("age_years").is_some_and(|age| age.is_number()) {
            continue;
        }
        let facts = with_convention(protocol, &vignette.facts);
        let (whole, assessment) = crate::support::answers::check_in_core(protocol, &facts);
        let mut session = Session::new();
        for &(question, option) in whole.answers() {
            let definition = &protocol.questions[question];
            if definition.kind == QuestionKind::Checklist {
                let ticked = definition.ticked(option);
                let reversed: Vec<_> = ticked.iter().rev().copied().collect();
                for order in [&ticked, &reversed] {
                    for count in 1..=order.len() {
                        if session
                            .emergency_from_ticks(protocol, question, &order[..count])
                            .is_some()
                        {
                            early_ends += 1;
                            assert_eq!(
                                assessment.level.key(),
                                "emergency",
                                "{}: ticking {:?} of `{}` ended the check early",
                                vignette.id,
                                &order[..count]
                                    .iter()
                                    .map(|&fact| protocol.facts[fact].key.as_str())
                                    .collect::<Vec<_>>(),
                                definition.id
                            );
                        }
                    }
                }
            }
            session
                .answer(protocol, question, option)
                .expect("the current question");
        }
    }
    assert!(
        early_ends > 0,
        "no tick ever ended a check early: the test tries nothing"
    );
}

/// "Not sure about some" on the warning-signs screen leaves the red flags not ticked unknown,
/// which is decided as if they were there: emergency advice at once, whatever else was ticked.
#[test]
fn not_sure_on_the_warning_signs_is_an_emergency_at_once() {
    let protocol = &crate::support::dialogues().protocol;
    let question = protocol.question_id("red_flags").expect("the first screen");
    let definition = &protocol.questions[question];
    let headache = protocol.fact_id("headache").expect("a fact");
    for ticked in [vec![], vec![headache]] {
        let mut session = Session::new();
        assert_eq!(session.next(protocol), Step::Ask(question));
        let unsure = definition.submission(&ticked, true).expect("a submission");
        match session
            .answer(protocol, question, unsure)
            .expect("the current question")
        {
            Step::Done(assessment) => assert_eq!(assessment.level.key(), "emergency"),
            step => panic!("{} ticked, not sure: the check went on to {step:?}", ticked.len()),
        }
        let none = definition.submission(&ticked, false).expect("a submission");
        let mut calm = Session::new();
        assert!(
            matches!(calm.answer(protocol, question, none), Ok(Step::Ask(_))),
            "the same ticks with Done carry on"
        );
    }
}
