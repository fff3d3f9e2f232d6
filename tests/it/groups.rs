//! Groups, channels and inline mode, end to end: SpotCheck teaches there and never asks anyone
//! about their own health; checks happen only in private.

use crate::support::fake_telegram::{Fault, Request, BOT_USERNAME};
use crate::support::harness::{Harness, WAIT};
use spotcheck::bot::StorageChoice;

const GROUP: i64 = -100_123;

fn url_buttons(request: &Request) -> Vec<String> {
    let mut urls = Vec::new();
    if let Some(rows) = request.body["reply_markup"]["inline_keyboard"].as_array() {
        for row in rows {
            for button in row.as_array().into_iter().flatten() {
                if let Some(url) = button["url"].as_str() {
                    urls.push(url.to_string());
                }
            }
        }
    }
    urls
}

/// No message the bot sent to the group carries answer buttons of a check.
fn assert_no_check_in(harness: &Harness, chat: i64) {
    for request in harness.fake.requests() {
        if request.chat_id() == Some(chat) {
            assert!(
                request.callback_data().iter().all(|data| !data.starts_with("a:")),
                "answer buttons sent into a group: {:?}",
                request.body
            );
        }
    }
}

async fn next_to(harness: &Harness, chat: i64, method: &str) -> Request {
    harness
        .fake
        .wait_for(WAIT, |request| {
            request.method == method && request.chat_id() == Some(chat)
        })
        .await
        .unwrap_or_else(|| panic!("no {method} to chat {chat}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn check_in_a_group_gives_the_private_deep_link_and_no_questions() {
    let harness = Harness::start(StorageChoice::Memory).await;
    harness
        .fake
        .group_text(GROUP, 1000, &format!("/check@{BOT_USERNAME}"));
    let reply = next_to(&harness, GROUP, "sendMessage").await;
    assert_eq!(
        url_buttons(&reply),
        vec![format!("https://t.me/{BOT_USERNAME}?start=check")]
    );
    assert!(
        reply.body.get("reply_parameters").is_some(),
        "it replies to the person who asked"
    );
    // A command for another bot is not ours.
    harness.fake.group_text(GROUP, 1000, "/check@some_other_bot");
    harness
        .fake
        .group_text(GROUP, 1000, &format!("/glasstest@{BOT_USERNAME}"));
    let card = next_to(&harness, GROUP, "sendPhoto").await;
    assert!(
        card.text().unwrap().contains("Sources"),
        "a card cites its sources"
    );
    assert_no_check_in(&harness, GROUP);
    harness.assert_no_violations();
    harness.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn card_commands_and_the_learn_menu_post_cards_as_replies() {
    let harness = Harness::start(StorageChoice::Memory).await;
    let texts = &harness.dialogues.language("en").texts;
    harness
        .fake
        .group_text(GROUP, 1000, &format!("/redflags@{BOT_USERNAME}"));
    let card = next_to(&harness, GROUP, "sendMessage").await;
    assert!(card
        .text()
        .unwrap()
        .starts_with(&texts.plain("card-redflags")[..20]));
    assert!(card.body.get("reply_parameters").is_some());
    assert_eq!(url_buttons(&card).len(), 1, "with the Check privately button");
    harness
        .fake
        .group_text(GROUP, 1000, &format!("/learn@{BOT_USERNAME}"));
    let menu = next_to(&harness, GROUP, "sendMessage").await;
    let cards = menu.callback_data();
    assert_eq!(cards.len(), harness.dialogues.cards.len(), "one button per card");
    assert!(cards.iter().all(|data| data.starts_with("c:")));
    let menu_id = harness.fake.last_bot_message_id(GROUP).unwrap();
    harness.fake.callback(GROUP, menu_id, "c:darkskin");
    let posted = next_to(&harness, GROUP, "sendMessage").await;
    assert!(posted
        .text()
        .unwrap()
        .starts_with(&texts.plain("card-darkskin")[..20]));
    // A check's answer button forged into a group changes nothing and gets a notice.
    harness.fake.callback(GROUP, menu_id, "a:red_flags:seizure");
    let answered = harness
        .fake
        .wait_for(WAIT, |request| {
            request.method == "answerCallbackQuery" && request.body.get("text").is_some()
        })
        .await
        .expect("a notice");
    assert!(!answered.body["text"].as_str().unwrap().is_empty());
    assert_no_check_in(&harness, GROUP);
    harness.assert_no_violations();
    harness.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn being_added_to_a_group_gives_a_three_line_introduction() {
    let harness = Harness::start(StorageChoice::Memory).await;
    harness.fake.my_chat_member_added(GROUP, 1000);
    let intro = next_to(&harness, GROUP, "sendMessage").await;
    let text = intro.text().unwrap();
    assert_eq!(
        text.lines().filter(|line| !line.trim().is_empty()).count(),
        3,
        "{text}"
    );
    assert!(text.contains("/learn"));
    harness.assert_no_violations();
    harness.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_card_command_in_a_channel_becomes_the_card_and_the_command_is_deleted() {
    let harness = Harness::start(StorageChoice::Memory).await;
    let channel = -100_777;
    harness.fake.channel_post(channel, "/causes");
    let card = next_to(&harness, channel, "sendMessage").await;
    assert_eq!(
        url_buttons(&card).len(),
        1,
        "the card has its Check privately button"
    );
    next_to(&harness, channel, "deleteMessage").await;
    harness.assert_no_violations();
    harness.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn inline_queries_offer_matching_cards() {
    let harness = Harness::start(StorageChoice::Memory).await;
    harness.fake.inline_query(900, "glass");
    let answer = harness
        .fake
        .wait_for(WAIT, |request| request.method == "answerInlineQuery")
        .await
        .expect("the inline query is answered");
    let results = answer.body["results"].as_array().unwrap();
    assert!(
        results.iter().any(|result| result["id"] == "glasstest"),
        "{results:?}"
    );
    assert!(
        results.len() < harness.dialogues.cards.len(),
        "only matching cards"
    );
    assert!(answer.body["cache_time"].as_u64().unwrap() > 0);
    harness.fake.inline_query(900, "");
    let all = harness
        .fake
        .wait_for(WAIT, |request| request.method == "answerInlineQuery")
        .await
        .unwrap();
    assert_eq!(
        all.body["results"].as_array().unwrap().len(),
        harness.dialogues.cards.len()
    );
    harness.assert_no_violations();
    harness.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_deep_link_starts_a_check_in_private_and_group_messages_never_touch_it() {
    let harness = Harness::start(StorageChoice::Memory).await;
    harness.fake.private_text(1000, "/start check");
    let (first, _) = harness.next_question(1000).await;
    assert_eq!(crate::support::harness::question_id(&first), "red_flags");
    // The same person writes in a group: their private check is untouched.
    harness
        .fake
        .group_text(GROUP, 1000, &format!("/check@{BOT_USERNAME}"));
    next_to(&harness, GROUP, "sendMessage").await;
    harness.fake.private_text(1000, "no");
    let (second, _) = harness.next_question(1000).await;
    assert_eq!(crate::support::harness::question_id(&second), "age");
    harness.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_command_menus_are_set_per_scope_and_language() {
    let harness = Harness::start(StorageChoice::Memory).await;
    let calls = harness
        .fake
        .wait_for_count(WAIT, 2 * harness.dialogues.languages.len(), |request| {
            request.method == "setMyCommands"
        })
        .await;
    assert_eq!(calls.len(), 2 * harness.dialogues.languages.len());
    let private = calls
        .iter()
        .find(|call| {
            call.body["scope"]["type"] == "all_private_chats" && call.body.get("language_code").is_none()
        })
        .expect("an English private menu");
    let names: Vec<&str> = private.body["commands"]
        .as_array()
        .unwrap()
        .iter()
        .map(|command| command["command"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        ["check", "learn", "reminders", "help", "privacy", "forget"]
    );
    let group = calls
        .iter()
        .find(|call| {
            call.body["scope"]["type"] == "all_group_chats" && call.body.get("language_code").is_none()
        })
        .expect("an English group menu");
    assert!(group.body["commands"]
        .as_array()
        .unwrap()
        .iter()
        .any(|command| command["command"] == "glasstest"));
    harness.assert_no_violations();
    harness.stop().await;
}

/// A private check in each language, chosen with /language, ends with advice in that language;
/// the choice and the country survive a restart (SQLite) and the country's number is in the advice.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn language_and_country_choices_persist_and_shape_the_advice() {
    let folder = tempfile::tempdir().unwrap();
    let database = folder.path().join("spotcheck.db").display().to_string();
    let harness = Harness::start(StorageChoice::Sqlite(database.clone())).await;
    for (chat, code) in [(601, "es"), (602, "fr"), (603, "en")] {
        harness.fake.private_text(chat, "/language");
        let menu = next_to(&harness, chat, "sendMessage").await;
        assert!(menu.callback_data().contains(&format!("l:{code}")));
        let menu_id = harness.fake.last_bot_message_id(chat).unwrap();
        harness.fake.callback(chat, menu_id, &format!("l:{code}"));
        let confirmed = next_to(&harness, chat, "sendMessage").await;
        let texts = &harness.dialogues.language(code).texts;
        assert_eq!(confirmed.text(), Some(texts.plain("bot-language-set").as_str()));
    }
    harness.fake.private_text(601, "/country");
    next_to(&harness, 601, "sendMessage").await;
    let menu_id = harness.fake.last_bot_message_id(601).unwrap();
    harness.fake.callback(601, menu_id, "n:MX");
    next_to(&harness, 601, "sendMessage").await;
    let fake = harness.stop().await;

    let harness = Harness::start_with(fake, StorageChoice::Sqlite(database)).await;
    for (chat, code) in [(601, "es"), (602, "fr"), (603, "en")] {
        // A feverish toddler whose spots stay: emergency, in the chat's language.
        harness.fake.private_text(chat, "/check");
        for (question, option) in [
            ("red_flags", "none"),
            ("age", "1_to_4y"),
            ("fever", "yes"),
            ("glass_test", "stays"),
        ] {
            let (asked, id) = harness.next_question(chat).await;
            assert_eq!(crate::support::harness::question_id(&asked), question);
            let texts = &harness.dialogues.language(code).texts;
            let start: String = texts.plain(&format!("q-{question}")).chars().take(12).collect();
            assert!(asked.text().unwrap().contains(&start), "{code}");
            harness.fake.callback(chat, id, &format!("a:{question}:{option}"));
        }
        let advice = harness.advice(chat).await;
        assert!(advice.starts_with("🔴"));
        let texts = &harness.dialogues.language(code).texts;
        let first_reason = texts.plain("reason-stays_with_fever");
        assert!(advice.contains(&first_reason), "{code} advice:\n{advice}");
        if chat == 601 {
            assert!(
                advice.contains("911"),
                "Mexico's number after a restart:\n{advice}"
            );
        }
    }
    harness.assert_no_violations();
    harness.stop().await;
}

/// In a group, only an admin can change the language; the cards then come in that language.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn only_group_admins_change_the_group_language() {
    let harness = Harness::start(StorageChoice::Memory).await;
    harness.fake.make_admin(GROUP, 1001);
    harness
        .fake
        .group_text(GROUP, 1000, &format!("/language@{BOT_USERNAME}"));
    next_to(&harness, GROUP, "sendMessage").await;
    let menu = harness.fake.last_bot_message_id(GROUP).unwrap();
    // A member (1000) presses: refused with a notice, nothing changes.
    harness.fake.callback(GROUP, menu, "l:fr");
    let refused = harness
        .fake
        .wait_for(WAIT, |request| request.method == "answerCallbackQuery")
        .await
        .unwrap();
    let english = &harness.dialogues.language("en").texts;
    assert_eq!(
        refused.body["text"].as_str(),
        Some(english.plain("bot-admins-only").as_str())
    );
    // The admin (1001) presses: the group speaks French from now on.
    harness.fake.push_update(serde_json::json!({
        "callback_query": {
            "id": "admin-press",
            "from": {"id": 1001, "is_bot": false, "first_name": "Admin"},
            "chat_instance": "group",
            "data": "l:fr",
            "message": {"message_id": menu, "date": 0, "chat": {"id": GROUP, "type": "supergroup", "title": "Health"}}
        }
    }));
    let french = &harness.dialogues.language("fr").texts;
    let confirmed = next_to(&harness, GROUP, "sendMessage").await;
    assert_eq!(confirmed.text(), Some(french.plain("bot-language-set").as_str()));
    harness
        .fake
        .group_text(GROUP, 1000, &format!("/darkskin@{BOT_USERNAME}"));
    let card = next_to(&harness, GROUP, "sendMessage").await;
    let start: String = french.plain("card-darkskin").chars().take(15).collect();
    assert!(card.text().unwrap().starts_with(&start), "{:?}", card.text());
    harness.assert_no_violations();
    harness.stop().await;
}

/// An admin (1001) opens a group menu with `command` and presses `data`: the confirmation's text.
async fn choose(harness: &Harness, command: &str, data: &str) -> String {
    harness
        .fake
        .group_text(GROUP, 1001, &format!("/{command}@{BOT_USERNAME}"));
    next_to(harness, GROUP, "sendMessage").await;
    let menu = harness.fake.last_bot_message_id(GROUP).unwrap();
    harness.fake.callback(GROUP, menu, data);
    let confirmed = next_to(harness, GROUP, "sendMessage").await;
    confirmed.text().unwrap_or_default().to_string()
}

/// A group's confirmation names what the admin chose. It once read the settings after the
/// choice, so once a group had a country every later choice was confirmed as that country.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_group_choice_is_confirmed_as_what_was_chosen() {
    let harness = Harness::start(StorageChoice::Memory).await;
    harness.fake.make_admin(GROUP, 1001);
    let mexico = harness
        .dialogues
        .countries
        .iter()
        .find(|country| country.code == "MX")
        .unwrap();
    let english = &harness.dialogues.language("en").texts;
    let french = &harness.dialogues.language("fr").texts;
    let country_set = english.get(
        "bot-country-set",
        &[("country", &mexico.name), ("number", &mexico.number)],
    );
    assert_eq!(choose(&harness, "country", "n:MX").await, country_set);
    // The group has a country now; choosing a language must confirm the language.
    assert_eq!(
        choose(&harness, "language", "l:fr").await,
        french.plain("bot-language-set")
    );
    // "Other" clears the country: the confirmation names the common numbers, in French.
    let common = french.get(
        "bot-country-cleared",
        &[("numbers", &french.plain("emergency-numbers"))],
    );
    assert_eq!(choose(&harness, "country", "n:none").await, common);
    harness.assert_no_violations();
    harness.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_group_button_whose_work_fails_is_still_answered_and_says_so() {
    let harness = Harness::start(StorageChoice::Memory).await;
    let failed = harness.dialogues.language("en").texts.plain("bot-button-failed");
    harness
        .fake
        .group_text(GROUP, 1000, &format!("/learn@{BOT_USERNAME}"));
    next_to(&harness, GROUP, "sendMessage").await;
    let menu_id = harness.fake.last_bot_message_id(GROUP).unwrap();
    // Every try of the card fails (the bot tries a call four times).
    harness
        .fake
        .fail_next("sendMessage", Fault::QuickServerError(500), 4);
    let (_, query) = harness.fake.callback_query(GROUP, menu_id, "c:darkskin");
    let answer = harness
        .fake
        .wait_for(WAIT, |request| {
            request.method == "answerCallbackQuery" && request.body["callback_query_id"] == query
        })
        .await
        .expect("the press is answered");
    assert_eq!(answer.body["text"], failed.as_str(), "and says it did not work");
    harness.stop().await;
}
