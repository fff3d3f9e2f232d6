//! The abuse suite: the real bot, against the fake Bot API server, fed what people and scripts
//! send besides answers. For each input the test says whether the bot answers it (and with what)
//! or ignores it on purpose; after each, a normal check must still work, and no request the bot
//! made may be one Telegram would refuse.

use std::time::{Duration, Instant};

use crate::support::fake_telegram::{FakeTelegram, RateLimits, Request, BOT_USERNAME};
use crate::support::harness::{level_of, question_id, Harness, WAIT};
use crate::support::people::{complete_check, is_advice, is_question, is_send, start_bot, Follower, Noise};
use crate::support::vignettes;
use serde_json::json;
use spotcheck::bot::StorageChoice;

/// How long to wait before deciding the bot ignored something.
const QUIET: Duration = Duration::from_millis(600);

fn text_of(harness: &Harness, id: &str) -> String {
    harness.dialogues.language("en").texts.plain(id)
}

/// Every send to `chat`, delivered or not.
fn sends_to(fake: &FakeTelegram, chat: i64) -> Vec<Request> {
    fake.requests()
        .into_iter()
        .filter(|request| is_send(request) && request.chat_id() == Some(chat))
        .collect()
}

/// The first `count` button answers after request number `from`.
async fn answers_after(fake: &FakeTelegram, from: usize, count: usize) -> Vec<Request> {
    let deadline = Instant::now() + WAIT;
    loop {
        let answers: Vec<Request> = fake.requests()[from..]
            .iter()
            .filter(|request| request.method == "answerCallbackQuery")
            .cloned()
            .collect();
        if answers.len() >= count || Instant::now() >= deadline {
            return answers;
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

/// The bot still does a whole check, by buttons, and ends at the vignette's level.
async fn a_normal_check_still_works(harness: &Harness, chat: i64) {
    let vignette = &vignettes::at("urgent", 1)[0];
    let run = complete_check(&harness.fake, chat, &vignette.facts, Duration::ZERO, WAIT)
        .await
        .unwrap_or_else(|stalled| panic!("after the abuse, a normal check stalled: {stalled}"));
    assert_eq!(level_of(run.text()), vignette.expected, "{}", run.text());
}

/// Sends one input into a chat.
type Input = Box<dyn Fn(&FakeTelegram, i64)>;

/// What people send that is not an answer: each kind in its own chat.
fn odd_inputs(noise: &mut Noise) -> Vec<(String, Input)> {
    let mut inputs: Vec<(String, Input)> = Vec::new();
    let mut text = |name: String, text: String| {
        inputs.push((
            name,
            Box::new(move |fake: &FakeTelegram, chat| {
                fake.private_text(chat, &text);
            }),
        ));
    };
    for index in 0..16 {
        text(format!("random Unicode #{index}"), noise.odd_text(300));
    }
    text("4096 letters".into(), "a".repeat(4096));
    text("4096 emoji".into(), "😀".repeat(4096));
    text("4096 random".into(), noise.odd_text(4096));
    text("right-to-left override".into(), "\u{202E}kcehc/ مرحبا".into());
    text(
        "only zero-width".into(),
        "\u{200B}\u{200C}\u{200D}\u{FEFF}".into(),
    );
    text(
        "control characters".into(),
        "\u{0000}\u{0007}\u{001B}[2J\u{007F}".into(),
    );
    text("empty text".into(), String::new());
    text("unknown command".into(), "/foo".into());
    text("unknown command with arguments".into(), "/foo bar baz".into());
    text("another bot's /start".into(), "/start@otherbot".into());
    text("another bot's /check".into(), "/check@otherbot check".into());
    text("a lone slash".into(), "/".into());
    text(
        "HTML".into(),
        "<b>bold</b> <script>alert(1)</script> &amp; &#0;".into(),
    );
    inputs.push((
        "sticker".into(),
        Box::new(|fake, chat| {
            fake.sticker(chat);
        }),
    ));
    inputs.push((
        "photo without caption".into(),
        Box::new(|fake, chat| {
            fake.photo(chat);
        }),
    ));
    inputs.push((
        "voice message".into(),
        Box::new(|fake, chat| {
            fake.voice(chat);
        }),
    ));
    inputs
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn odd_messages_outside_a_check_get_the_no_check_answer() {
    let harness = Harness::start(StorageChoice::Memory).await;
    let inputs = odd_inputs(&mut Noise::new(8));
    let first_chat = 1000;
    for (index, (_, send)) in inputs.iter().enumerate() {
        send(&harness.fake, first_chat + index as i64);
    }
    let no_check = text_of(&harness, "bot-no-check");
    for (index, (name, _)) in inputs.iter().enumerate() {
        let chat = first_chat + index as i64;
        let mut follower = Follower::from_start(&harness.fake, chat);
        let reply = follower.next(WAIT, is_send).await;
        let reply = reply.unwrap_or_else(|| panic!("{name}: no answer at all"));
        assert_eq!(reply.text(), Some(no_check.as_str()), "{name}: {:?}", reply.body);
        assert_eq!(
            reply.callback_data(),
            vec!["k:start".to_string()],
            "{name}: offers a check"
        );
    }
    assert!(harness.fake.wait_until_idle(WAIT).await);
    tokio::time::sleep(QUIET).await;
    for (index, (name, _)) in inputs.iter().enumerate() {
        let sends = sends_to(&harness.fake, first_chat + index as i64);
        assert_eq!(sends.len(), 1, "{name}: one answer, not {}", sends.len());
    }
    a_normal_check_still_works(&harness, 1999).await;
    harness.assert_no_violations();
    harness.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn odd_messages_during_a_check_get_a_nudge_and_the_same_question() {
    let harness = Harness::start(StorageChoice::Memory).await;
    let inputs = odd_inputs(&mut Noise::new(9));
    let nudge = text_of(&harness, "bot-nudge");
    let first_chat = 2000;
    // Everyone is at the second question (age) when the odd input arrives.
    let mut followers = Vec::new();
    for (index, _) in inputs.iter().enumerate() {
        let chat = first_chat + index as i64;
        let mut follower = Follower::new(&harness.fake, chat);
        harness.fake.private_text(chat, "/check");
        let first = follower.next_message(WAIT).await.expect("the first question");
        harness
            .fake
            .callback(chat, first.message_id().unwrap(), "a:red_flags:none");
        followers.push(follower);
    }
    for (index, ((name, send), mut follower)) in inputs.iter().zip(followers).enumerate() {
        let chat = first_chat + index as i64;
        let age = follower
            .next(WAIT, |request| request.delivered() && is_question(request))
            .await;
        let age = age.unwrap_or_else(|| panic!("{name}: the age question was never asked"));
        assert_eq!(question_id(&age), "age");
        send(&harness.fake, chat);
        let first = follower.next_message(WAIT).await;
        let first = first.unwrap_or_else(|| panic!("{name}: no answer"));
        assert_eq!(first.text(), Some(nudge.as_str()), "{name}: a nudge first");
        let again = follower.next_message(WAIT).await;
        let again = again.unwrap_or_else(|| panic!("{name}: the question did not come again"));
        assert_eq!(question_id(&again), "age", "{name}: the same question again");
        // The check goes on from there.
        harness
            .fake
            .callback(chat, again.message_id().unwrap(), "a:age:16_to_64y");
        let next = follower
            .next(WAIT, |request| request.delivered() && is_question(request))
            .await;
        assert_eq!(
            next.map(|request| question_id(&request)).as_deref(),
            Some("fever"),
            "{name}: the check continues"
        );
    }
    harness.assert_no_violations();
    harness.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forged_and_stale_button_data_is_answered_and_changes_nothing() {
    let harness = Harness::start(StorageChoice::Memory).await;
    let stale = text_of(&harness, "bot-stale-button");
    let mut noise = Noise::new(10);
    let mut pressed = 0;
    // Four people at the age question, each pressing a dozen forged or stale buttons, one at a
    // time as a person (or a patient script) would.
    for chat in 3000..3004 {
        let mut follower = Follower::new(&harness.fake, chat);
        harness.fake.private_text(chat, "/check");
        let first = follower.next_message(WAIT).await.expect("the first question");
        let first_id = first.message_id().unwrap();
        let before = harness.fake.requests().len();
        harness.fake.callback(chat, first_id, "a:red_flags:none");
        let age = follower
            .next(WAIT, |request| request.delivered() && is_question(request))
            .await
            .expect("the age question");
        let age_id = age.message_id().unwrap();
        // The real press is answered once (before the next question is sent: tests/it/bot.rs).
        assert_eq!(answers_after(&harness.fake, before, 1).await.len(), 1);
        let mut forged: Vec<(String, i64)> = vec![
            ("a:glass_test:stays".into(), first_id),
            ("a:red_flags:seizure".into(), first_id),
            ("a:glass_test:stays".into(), age_id),
            ("a::".into(), age_id),
            ("a:nonexistent:x".into(), age_id),
            ("a:age:".into(), age_id),
            ("a:age:16_to_64y:extra".into(), age_id),
            ("k:".into(), age_id),
            ("k:summary".into(), age_id),
            ("l:xx".into(), age_id),
            ("a:age:16_to_64y".into(), age_id + 1000), // a message that does not exist
        ];
        while forged.len() < 14 {
            // Random bytes, made text the way Telegram delivers callback data. Forged card and
            // country presses do post a card or a setting: the groups tests cover those.
            let bytes: Vec<u8> = (0..=noise.below(64)).map(|_| noise.next() as u8).collect();
            let data: String = String::from_utf8_lossy(&bytes).chars().take(64).collect();
            if !data.starts_with("c:") && !data.starts_with("n:") {
                forged.push((data, age_id));
            }
        }
        for (data, message) in &forged {
            let before = harness.fake.requests().len();
            harness.fake.callback(chat, *message, data);
            let answered = answers_after(&harness.fake, before, 1).await;
            assert_eq!(answered.len(), 1, "{data:?}: answered once");
            assert_eq!(
                answered[0].body["text"].as_str(),
                Some(stale.as_str()),
                "{data:?}"
            );
            pressed += 1;
        }
        assert!(harness.fake.wait_until_idle(WAIT).await);
        tokio::time::sleep(Duration::from_millis(100)).await;
        let sends = sends_to(&harness.fake, chat);
        assert_eq!(
            sends.len(),
            2,
            "nothing but the two questions was sent: {sends:#?}"
        );
        // The check is where it was: the age question takes its answer.
        harness.fake.callback(chat, age_id, "a:age:16_to_64y");
        let next = follower
            .next(WAIT, |request| request.delivered() && is_question(request))
            .await
            .expect("the check goes on");
        assert_eq!(question_id(&next), "fever");
    }
    assert_eq!(pressed, 56);
    harness.assert_no_violations();
    harness.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn edited_messages_are_not_requested_and_ignored_if_they_come() {
    let harness = Harness::start(StorageChoice::Memory).await;
    let chat = 4000;
    let mut follower = Follower::new(&harness.fake, chat);
    harness.fake.private_text(chat, "/check");
    let first = follower.next_message(WAIT).await.expect("the first question");
    let allowed = harness
        .fake
        .allowed_updates()
        .expect("the bot says what it wants");
    assert_eq!(
        allowed,
        vec![
            "callback_query",
            "channel_post",
            "inline_query",
            "message",
            "my_chat_member"
        ],
        "edited messages are not asked for"
    );
    // Telegram keeps updates queued before the bot set allowed_updates: an edit can still come.
    // Editing an old message into an emergency phrase does not restart the triage behind the
    // person's back; what they type next does.
    let typed = harness.fake.private_text(chat, "no");
    harness.fake.push_update_anyway(json!({ "edited_message": {
        "message_id": typed, "date": 0, "edit_date": 1,
        "chat": { "id": chat, "type": "private", "first_name": "Edit" },
        "from": { "id": chat, "is_bot": false, "first_name": "Edit" },
        "text": "she is having a fit",
    }}));
    harness.fake.edited_text(chat, typed, "having a seizure");
    let age = follower
        .next(WAIT, |request| request.delivered() && is_question(request))
        .await
        .expect("the typed no is answered");
    assert_eq!(question_id(&age), "age");
    assert!(harness.fake.wait_until_idle(WAIT).await);
    tokio::time::sleep(QUIET).await;
    let sends = sends_to(&harness.fake, chat);
    assert_eq!(sends.len(), 2, "the edits were ignored: {sends:#?}");
    assert!(
        harness.fake.pending_updates().is_empty(),
        "the edits were taken and dropped"
    );
    let _ = first;
    a_normal_check_still_works(&harness, 4001).await;
    harness.assert_no_violations();
    harness.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn channel_posts_inline_queries_and_group_noise() {
    let harness = Harness::start(StorageChoice::Memory).await;
    let mut noise = Noise::new(11);
    let channel = -100_500;
    let group = -100_600;
    // Channel posts that are not card commands are ignored on purpose.
    let ignored_posts = [
        noise.odd_text(200),
        "x".repeat(4096),
        "/glasstest@otherbot".to_string(),
        "/foo".to_string(),
        String::new(),
    ];
    for post in &ignored_posts {
        harness.fake.channel_post(channel, post);
    }
    // Inline queries: Telegram allows up to 256 characters.
    let queries = [
        String::new(),
        noise.odd_text(256),
        "glass".repeat(51),
        "\u{202E}ssalg".to_string(),
        "%s%n%x".to_string(),
        "\u{0000}".to_string(),
    ];
    for (index, query) in queries.iter().enumerate() {
        harness.fake.inline_query(7000 + index as i64, query);
    }
    // Group messages that are not for SpotCheck are ignored; odd commands for it too.
    for text in [
        noise.odd_text(300),
        "/check@otherbot".to_string(),
        "/foo@".to_string() + BOT_USERNAME,
        "y".repeat(4096),
    ] {
        harness.fake.group_text(group, 8000, &text);
    }
    harness.fake.sticker(group);
    let answered = harness
        .fake
        .wait_for_count(WAIT, queries.len(), |request| {
            request.method == "answerInlineQuery"
        })
        .await;
    assert_eq!(answered.len(), queries.len(), "every inline query is answered");
    for request in &answered {
        let results = request.body["results"].as_array().map_or(0, Vec::len);
        assert!(results <= 50, "{results} results");
    }
    assert!(harness.fake.wait_until_idle(WAIT).await);
    tokio::time::sleep(QUIET).await;
    for chat in [channel, group] {
        assert!(
            sends_to(&harness.fake, chat).is_empty(),
            "chat {chat} got a reply"
        );
    }
    // A real card command in the channel still works.
    // Watching starts before the post: a reply can come before the next line runs.
    let mut watching = Follower::new(&harness.fake, channel);
    harness.fake.channel_post(channel, "/glasstest");
    let card = watching
        .next(WAIT, |request| is_send(request) && request.delivered())
        .await;
    assert!(card.is_some(), "the card was posted");
    a_normal_check_still_works(&harness, 5000).await;
    harness.assert_no_violations();
    harness.stop().await;
}

/// A flood of 200 updates in a second from one person, while someone else does a check.
async fn flood_while_another_checks(throttle: bool) -> FloodFigures {
    let fake = FakeTelegram::start().await;
    fake.enforce_rate_limits(RateLimits::telegram());
    let harness = start_bot(fake, throttle).await;
    let flooder = 6000;
    let person = 6001;
    let vignette = vignettes::at("urgent", 1).remove(0);
    // The person starts their check just before the flood and goes on through it, reading each
    // question for a moment.
    let checking = tokio::spawn({
        let fake = harness.fake.clone();
        async move {
            complete_check(
                &fake,
                person,
                &vignette.facts,
                Duration::from_millis(400),
                Duration::from_secs(30),
            )
            .await
            .map(|run| (run, vignette.expected))
        }
    });
    tokio::time::sleep(Duration::from_millis(300)).await;
    let flood_started = Instant::now();
    let mut last_sent = flood_started;
    for index in 0..200 {
        match index % 10 {
            // The last one asks for something only it is answered with.
            _ if index == 199 => harness.fake.private_text(flooder, "/help"),
            0 => harness.fake.sticker(flooder),
            1 => harness.fake.callback(flooder, 1, "a:red_flags:none"),
            _ => harness.fake.private_text(flooder, &format!("spam {index}")),
        };
        last_sent = Instant::now();
        tokio::time::sleep(Duration::from_millis(4)).await;
    }
    let flood_took = last_sent - flood_started;
    let (run, expected) = checking
        .await
        .unwrap()
        .unwrap_or_else(|stalled| panic!("{stalled}"));
    assert_eq!(level_of(run.text()), expected, "{}", run.text());
    assert!(harness.fake.wait_until_idle(Duration::from_secs(30)).await);
    let notice = text_of(&harness, "bot-flood");
    let to_flooder = sends_to(&harness.fake, flooder);
    let notices = to_flooder
        .iter()
        .filter(|request| request.text() == Some(notice.as_str()) && request.delivered())
        .count();
    // Once it has calmed down, the bot carries on by itself, as the notice promised: the latest
    // update held back (the `/help`) is answered.
    let help = text_of(&harness, "bot-help");
    let carried_on = harness
        .fake
        .wait_for(Duration::from_secs(15), |request| {
            request.chat_id() == Some(flooder) && request.text() == Some(help.as_str()) && request.delivered()
        })
        .await;
    assert!(harness.fake.wait_until_idle(Duration::from_secs(30)).await);
    let spinning = harness.fake.unanswered_presses();
    let to_flooder = sends_to(&harness.fake, flooder);
    // And the flooder is answered again when they next write.
    let mut follower = Follower::new(&harness.fake, flooder);
    harness.fake.private_text(flooder, "/check");
    let resumed = follower.next_message(Duration::from_secs(10)).await;
    let figures = FloodFigures {
        carried_on_after: carried_on.map(|request| request.at.saturating_duration_since(last_sent)),
        spinning,
        flood_took,
        replies_to_flooder: to_flooder
            .iter()
            .filter(|request| request.delivered() && request.text() != Some(notice.as_str()))
            .count(),
        notices,
        person_waits: run.waits,
        flooder_rate_limit_hits: harness
            .fake
            .rate_limit_hits()
            .iter()
            .filter(|hit| hit.chat_id == flooder)
            .count(),
        storm_hits: harness
            .fake
            .rate_limit_hits()
            .iter()
            .filter(|hit| hit.during_penalty)
            .count(),
        resumed: resumed.is_some_and(|request| is_question(&request)),
    };
    harness.assert_no_violations();
    harness.stop().await;
    eprintln!("flood (throttle {throttle}): {figures:?}");
    figures
}

#[derive(Debug)]
struct FloodFigures {
    /// When, after the flood, the bot answered the latest held-back update by itself.
    carried_on_after: Option<Duration>,
    /// Presses never answered.
    spinning: Vec<String>,
    flood_took: Duration,
    replies_to_flooder: usize,
    notices: usize,
    person_waits: Vec<Duration>,
    flooder_rate_limit_hits: usize,
    storm_hits: usize,
    resumed: bool,
}

/// What the flood may cost the flooder and the other person, paced or not.
fn assert_flood_contained(figures: &FloodFigures) {
    assert!(figures.flood_took < Duration::from_millis(1500), "{figures:?}");
    assert_eq!(figures.notices, 1, "{figures:?}");
    assert!(
        figures.replies_to_flooder <= 31,
        "at most a burst of updates is answered, and the latest once calm: {figures:?}"
    );
    assert!(figures.spinning.is_empty(), "every press answered: {figures:?}");
    // Not before the flood had been quiet for a while (intake.rs's `CALM`, three seconds).
    assert!(
        figures
            .carried_on_after
            .is_some_and(|after| after >= Duration::from_secs(3)),
        "the bot carried on by itself once calm: {figures:?}"
    );
    // The person's steps while the flood came in and was worked through.
    let during: Vec<Duration> = figures.person_waits.iter().take(6).copied().collect();
    let slowest = during.iter().max().copied().unwrap_or_default();
    // The person's own pace is all they wait for: Throttle spaces the two messages of each step
    // in their chat by Telegram's limit (about 0.6 s), unpaced it is milliseconds. Before the
    // flooder's updates were capped on arrival (intake.rs), teloxide's dispatcher held up
    // everyone's updates while the flooder had 64 waiting: 5.6 s. Without flood control at all,
    // minutes.
    assert!(
        slowest < Duration::from_millis(1500),
        "the other person's replies kept coming: {figures:?}"
    );
    // Unpaced, the bot's first replies to a flood can outrun Telegram's burst for one chat; it
    // then waits as told, never asking again early (no 429 storm).
    assert!(figures.flooder_rate_limit_hits <= 10, "{figures:?}");
    assert_eq!(figures.storm_hits, 0, "{figures:?}");
    assert!(
        figures.resumed,
        "the flooder is answered again after a quiet moment"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flood_gets_one_notice_and_hardly_holds_up_anyone_else() {
    assert_flood_contained(&flood_while_another_checks(false).await);
}

/// As in production: teloxide's `Throttle` paces the replies to the flooder's chat.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_flood_is_contained_with_production_pacing_too() {
    assert_flood_contained(&flood_while_another_checks(true).await);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_fast_person_is_never_slowed() {
    let fake = FakeTelegram::start().await;
    fake.enforce_rate_limits(RateLimits::telegram());
    let harness = start_bot(fake, false).await;
    let chat = 6100;
    let flood = text_of(&harness, "bot-flood");
    let vignette = vignettes::at("self_care", 1).remove(0);
    let protocol = &harness.dialogues.protocol;
    let mut follower = Follower::new(&harness.fake, chat);
    harness.fake.private_text(chat, "/check");
    // A tap every 300 ms, each on the question just shown (a checklist's items and Done at
    // once), until the advice.
    let started = Instant::now();
    let mut waits = Vec::new();
    let mut taps = 0u32;
    loop {
        let step = follower
            .next(WAIT, |request| {
                request.delivered() && (is_question(request) || is_advice(request))
            })
            .await
            .unwrap_or_else(|| panic!("tap {taps}: the next step never came"));
        if taps > 0 {
            waits.push(
                step.at
                    .saturating_duration_since(started + Duration::from_millis(300 * u64::from(taps))),
            );
        }
        if is_advice(&step) {
            break;
        }
        let id = question_id(&step);
        taps += 1;
        tokio::time::sleep_until((started + Duration::from_millis(300 * u64::from(taps))).into()).await;
        for option in crate::support::answers::presses_for(protocol, &id, &vignette.facts) {
            harness
                .fake
                .callback(chat, step.message_id().unwrap(), &format!("a:{id}:{option}"));
        }
    }
    let took = started.elapsed();
    assert!(harness.fake.wait_until_idle(WAIT).await);
    let sends = sends_to(&harness.fake, chat);
    assert!(
        sends.iter().all(|request| request.text() != Some(flood.as_str())),
        "no flood notice for a person"
    );
    assert!(taps >= 5, "a check of {taps} questions shows too little");
    assert_eq!(
        sends.len() as u32,
        taps + 1,
        "{taps} answers: {taps} questions and the advice: {sends:#?}"
    );
    let slowest = waits.iter().max().copied().unwrap_or_default();
    assert!(slowest < Duration::from_millis(300), "{waits:?}");
    eprintln!("fast person: {taps} taps in {took:?}, slowest reply {slowest:?}");
    assert_eq!(harness.fake.rate_limit_hits().len(), 0, "within Telegram's burst");
    harness.assert_no_violations();
    harness.stop().await;
}
