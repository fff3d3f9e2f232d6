//! Checks the fake Telegram server with the real teloxide client, so the
//! end-to-end tests built on it can trust what it answers.

use std::time::{Duration, Instant};

use crate::support::fake_telegram::{FakeTelegram, Fault, BOT_ID, BOT_USERNAME, TOKEN};
use serde_json::json;
use teloxide::prelude::*;
use teloxide::types::{
    AllowedUpdate, BotCommand, InlineKeyboardButton, InlineKeyboardMarkup, InputFile, MessageId, ParseMode,
    UpdateKind,
};
use teloxide::{ApiError, RequestError};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

const WAIT: Duration = Duration::from_secs(5);
const CHAT: i64 = 4242;
const GROUP: i64 = -100_777;

fn keyboard(data: &str) -> InlineKeyboardMarkup {
    InlineKeyboardMarkup::new([[InlineKeyboardButton::callback("Press", data)]])
}

fn api_error(result: Result<impl std::fmt::Debug, RequestError>) -> ApiError {
    match result {
        Err(RequestError::Api(error)) => error,
        other => panic!("expected a Telegram API error, got {other:?}"),
    }
}

/// Speaks HTTP by hand, to see exactly what goes over the wire.
async fn raw_post(tg: &FakeTelegram, path: &str, body: &str) -> String {
    let address = tg.api_url().trim_start_matches("http://").to_owned();
    let mut stream = TcpStream::connect(&address).await.expect("connect");
    let request = format!(
        "POST {path} HTTP/1.1\r\nHost: {address}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).await.expect("write");
    let mut answer = Vec::new();
    let _ = stream.read_to_end(&mut answer).await; // a dropped connection may end in a reset
    String::from_utf8_lossy(&answer).into_owned()
}

#[tokio::test]
async fn get_me_describes_the_test_bot() {
    let tg = FakeTelegram::start().await;
    let bot = Bot::new(TOKEN).set_api_url(tg.api_url().parse().unwrap());

    let me = bot.get_me().await.expect("getMe");

    assert_eq!(me.username(), BOT_USERNAME);
    assert_eq!(me.id.0 as i64, BOT_ID);
    assert!(me.is_bot);
    assert_eq!(
        tg.requests()[0].method,
        "getMe",
        "teloxide sends GetMe, recorded as Telegram names it"
    );
}

#[tokio::test]
async fn sent_message_with_inline_keyboard_is_recorded_and_echoed() {
    let tg = FakeTelegram::start().await;
    let bot = tg.bot();

    let sent = bot
        .send_message(ChatId(CHAT), "<b>Press</b> a &lt;button&gt;")
        .parse_mode(ParseMode::Html)
        .reply_markup(keyboard("glass:yes"))
        .await
        .expect("sendMessage");

    assert_eq!(sent.text(), Some("Press a <button>"));
    assert_eq!(sent.reply_markup(), Some(&keyboard("glass:yes")));
    assert!(sent.chat.is_private());
    let recorded = tg.sent_to(CHAT);
    assert_eq!(recorded.len(), 1);
    assert_eq!(recorded[0].callback_data(), ["glass:yes"]);
    assert_eq!(recorded[0].body["parse_mode"], "HTML");
    assert_eq!(recorded[0].message_id(), Some(i64::from(sent.id.0)));
    assert_eq!(recorded[0].result().unwrap()["text"], "Press a <button>");
    assert_eq!(tg.last_bot_message_id(CHAT), Some(i64::from(sent.id.0)));
    assert!(tg.violations().is_empty(), "{:?}", tg.violations());
}

#[tokio::test]
async fn callback_data_over_64_bytes_is_button_data_invalid() {
    let tg = FakeTelegram::start().await;

    let result = tg
        .bot()
        .send_message(ChatId(CHAT), "hi")
        .reply_markup(keyboard(&"x".repeat(70)))
        .await;

    assert_eq!(api_error(result), ApiError::ButtonDataInvalid);
    let violations = tg.violations();
    assert_eq!(violations.len(), 1, "{violations:?}");
    assert!(
        violations[0].starts_with("sendMessage: Bad Request: BUTTON_DATA_INVALID"),
        "{violations:?}"
    );
    assert!(violations[0].contains("70 bytes"), "{violations:?}");
    let refused = &tg.requests()[0];
    assert_eq!(refused.error(), Some("Bad Request: BUTTON_DATA_INVALID"));
    assert_eq!(refused.response["error_code"], 400);
    assert!(refused.result().is_none());
    assert!(
        tg.bot_messages(CHAT).is_empty(),
        "a refused message is not in the chat"
    );
}

#[tokio::test]
async fn text_limits_count_visible_characters() {
    let tg = FakeTelegram::start().await;
    let bot = tg.bot();

    let too_long = bot.send_message(ChatId(CHAT), "é".repeat(5000)).await;
    assert_eq!(api_error(too_long), ApiError::MessageIsTooLong);

    // Tags do not count: 4096 visible characters are fine.
    let at_limit = format!("<b>{}</b>", "a".repeat(4096));
    bot.send_message(ChatId(CHAT), at_limit)
        .parse_mode(ParseMode::Html)
        .await
        .expect("4096 visible chars");

    let empty = bot
        .send_message(ChatId(CHAT), "<i> </i>")
        .parse_mode(ParseMode::Html)
        .await;
    assert_eq!(api_error(empty), ApiError::MessageTextIsEmpty);
    assert_eq!(tg.violations().len(), 2);
}

#[tokio::test]
async fn html_outside_telegrams_subset_cannot_be_parsed() {
    let tg = FakeTelegram::start().await;
    let bot = tg.bot();
    let send = |text: &str| {
        bot.send_message(ChatId(CHAT), text.to_owned())
            .parse_mode(ParseMode::Html)
    };

    let cases = [
        ("<div>x</div>", "Unsupported start tag \"div\" at byte offset 0"),
        ("<b>open", "Can't find end tag corresponding to start tag \"b\""),
        (
            "<b><i>x</b></i>",
            "Unmatched end tag at byte offset 7, expected \"</i>\", found \"</b>\"",
        ),
        ("x</b>", "Unexpected end tag at byte offset 1"),
        (
            "<span>x</span>",
            "Tag \"span\" must have class \"tg-spoiler\" at byte offset 0",
        ),
    ];
    for (html, reason) in cases {
        let expected = format!("Bad Request: can't parse entities: {reason}");
        assert_eq!(
            api_error(send(html).await),
            ApiError::CantParseEntities(expected),
            "{html}"
        );
    }

    let allowed = "<b>b</b><strong>s</strong><i>i</i><u>u</u><s>s</s><tg-spoiler>t</tg-spoiler>\
        <span class=\"tg-spoiler\">x</span><a href=\"https://example.org/?a=1&amp;b=2\">a</a>\
        <code>c</code><pre>p</pre><blockquote>q</blockquote> AT&T &#128308;";
    let sent = send(allowed).await.expect("Telegram's own tags are fine");
    assert_eq!(sent.text(), Some("bsiustxacpq AT&T 🔴"));
    assert_eq!(tg.violations().len(), cases.len());
}

#[tokio::test]
async fn edits_and_deletes_follow_telegrams_rules() {
    let tg = FakeTelegram::start().await;
    let bot = tg.bot();
    let sent = bot
        .send_message(ChatId(CHAT), "one")
        .reply_markup(keyboard("a"))
        .await
        .unwrap();

    let same = bot
        .edit_message_text(ChatId(CHAT), sent.id, "one")
        .reply_markup(keyboard("a"))
        .await;
    assert_eq!(api_error(same), ApiError::MessageNotModified);

    let edited = bot
        .edit_message_text(ChatId(CHAT), sent.id, "two")
        .await
        .expect("edit");
    assert_eq!(edited.text(), Some("two"));
    assert!(
        edited.reply_markup().is_none(),
        "an edit without markup removes the keyboard"
    );
    assert!(edited.edit_date().is_some());
    assert_eq!(tg.bot_messages(CHAT)[0]["text"], "two");

    let missing = bot.edit_message_text(ChatId(CHAT), MessageId(9999), "x").await;
    assert_eq!(api_error(missing), ApiError::MessageToEditNotFound);

    bot.delete_message(ChatId(CHAT), sent.id).await.expect("delete");
    let again = bot.delete_message(ChatId(CHAT), sent.id).await;
    assert_eq!(api_error(again), ApiError::MessageToDeleteNotFound);
    assert!(tg.bot_messages(CHAT).is_empty());
}

#[tokio::test]
async fn callback_queries_can_be_answered_once() {
    let tg = FakeTelegram::start().await;
    let bot = tg.bot();
    let sent = bot
        .send_message(ChatId(CHAT), "Spots?")
        .reply_markup(keyboard("glass:yes"))
        .await
        .unwrap();

    tg.callback(CHAT, i64::from(sent.id.0), "glass:yes");
    let updates = bot.get_updates().await.expect("getUpdates");
    let UpdateKind::CallbackQuery(query) = &updates[0].kind else {
        panic!("expected a callback query, got {:?}", updates[0].kind);
    };
    assert_eq!(query.data.as_deref(), Some("glass:yes"));
    assert_eq!(query.from.id.0 as i64, CHAT);
    let message = query.regular_message().expect("the bot's message");
    assert_eq!((message.id, message.text()), (sent.id, Some("Spots?")));

    let too_long = bot
        .answer_callback_query(query.id.clone())
        .text("x".repeat(201))
        .await;
    assert_eq!(api_error(too_long), ApiError::EditedMessageIsTooLong); // "MESSAGE_TOO_LONG"
    bot.answer_callback_query(query.id.clone())
        .text("Noted")
        .await
        .expect("first answer");

    // Telegram says "query ID", teloxide's InvalidQueryId expects "query id":
    // the error reaches the bot as Unknown, in production too.
    let twice = api_error(bot.answer_callback_query(query.id.clone()).await);
    assert!(
        matches!(&twice, ApiError::Unknown(d) if d.ends_with("query ID is invalid")),
        "{twice:?}"
    );
}

#[tokio::test]
async fn get_updates_returns_pushed_updates_and_honours_offset_and_limit() {
    let tg = FakeTelegram::start().await;
    let bot = tg.bot();
    let first = tg.private_text(CHAT, "/start now");
    let second = tg.group_text(GROUP, 55, "hello");
    let third = tg.push_update(json!({ "update_id": 900, "message": {
        "message_id": 1, "date": 0, "chat": { "id": 7, "type": "private", "first_name": "Raw" },
        "text": "hand made",
    }}));
    assert_eq!((first, second, third), (1, 2, 900));

    let updates = bot.get_updates().limit(2).await.expect("getUpdates");
    let ids: Vec<u32> = updates.iter().map(|u| u.id.0).collect();
    assert_eq!(ids, [1, 2]);
    let UpdateKind::Message(start) = &updates[0].kind else {
        panic!("{:?}", updates[0])
    };
    assert_eq!(start.text(), Some("/start now"));
    assert_eq!(start.entities().unwrap()[0].length, "/start".len());
    let UpdateKind::Message(hello) = &updates[1].kind else {
        panic!("{:?}", updates[1])
    };
    assert!(hello.chat.is_supergroup());
    assert_eq!(hello.from.as_ref().unwrap().id.0, 55);

    assert_eq!(bot.get_updates().await.unwrap().len(), 3, "nothing confirmed yet");
    let rest = bot.get_updates().offset(3).await.unwrap();
    assert_eq!(rest.len(), 1);
    assert_eq!(rest[0].id.0, 900);
    assert!(bot.get_updates().offset(901).await.unwrap().is_empty());
    assert!(tg.pending_updates().is_empty(), "offset confirmed everything");
}

#[tokio::test]
async fn long_polls_are_capped_at_a_second_and_wake_on_new_updates() {
    let tg = FakeTelegram::start().await;
    let bot = tg.bot();

    let started = Instant::now();
    assert!(bot.get_updates().timeout(30).await.unwrap().is_empty());
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_millis(900) && waited < Duration::from_secs(3),
        "{waited:?}"
    );

    let pusher = tg.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_millis(200)).await;
        pusher.private_text(CHAT, "late");
    });
    let started = Instant::now();
    assert_eq!(bot.get_updates().timeout(30).await.unwrap().len(), 1);
    assert!(
        started.elapsed() < Duration::from_millis(900),
        "{:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn every_update_builder_is_a_valid_teloxide_update() {
    let tg = FakeTelegram::start().await;
    let bot = tg.bot();
    tg.private_text(CHAT, "hi");
    tg.group_text(GROUP, 55, "/help@spotcheck_test_bot");
    tg.callback(GROUP, 12345, "never:sent");
    tg.sticker(CHAT);
    tg.photo(CHAT);
    tg.channel_post(-100_555, "news");
    tg.inline_query(CHAT, "spots");
    tg.my_chat_member_added(GROUP, 55);
    tg.my_chat_member_added(CHAT, CHAT);

    let updates = bot.get_updates().await.expect("teloxide parses them all");
    let kinds: Vec<&str> = updates
        .iter()
        .map(|u| match &u.kind {
            UpdateKind::Message(m) if m.sticker().is_some() => "sticker",
            UpdateKind::Message(m) if m.photo().is_some() => "photo",
            UpdateKind::Message(_) => "message",
            UpdateKind::CallbackQuery(_) => "callback",
            UpdateKind::ChannelPost(p) if p.chat.is_channel() => "channel_post",
            UpdateKind::InlineQuery(_) => "inline_query",
            UpdateKind::MyChatMember(m) if m.new_chat_member.is_present() => "my_chat_member",
            other => panic!("unexpected or unparsed update: {other:?}"),
        })
        .collect();
    let expected = [
        "message",
        "message",
        "callback",
        "sticker",
        "photo",
        "channel_post",
        "inline_query",
        "my_chat_member",
        "my_chat_member",
    ];
    assert_eq!(kinds, expected);

    // A user's photo can be sent back by file id.
    let UpdateKind::Message(photo) = &updates[4].kind else {
        unreachable!()
    };
    let file = photo.photo().unwrap().last().unwrap().file.id.clone();
    bot.send_photo(ChatId(CHAT), InputFile::file_id(file))
        .await
        .expect("known file id");
}

#[tokio::test]
async fn allowed_updates_stick_like_on_telegram() {
    let tg = FakeTelegram::start().await;
    let bot = tg.bot();
    bot.get_updates()
        .allowed_updates([AllowedUpdate::Message])
        .await
        .unwrap();

    tg.inline_query(CHAT, "not subscribed");
    tg.private_text(CHAT, "subscribed");
    let updates = bot.get_updates().await.unwrap(); // no allowed_updates: the setting persists
    assert_eq!(updates.len(), 1);
    assert!(matches!(updates[0].kind, UpdateKind::Message(_)));
}

#[tokio::test]
async fn flood_control_surfaces_as_retry_after() {
    let tg = FakeTelegram::start().await;
    let bot = tg.bot();
    tg.fail_next("sendMessage", Fault::TooManyRequests { retry_after: 3 }, 1);

    let flooded = bot.send_message(ChatId(CHAT), "hi").await;
    assert!(
        matches!(flooded, Err(RequestError::RetryAfter(s)) if s.seconds() == 3),
        "{flooded:?}"
    );
    bot.send_message(ChatId(CHAT), "hi")
        .await
        .expect("the fault was used up");
    assert!(
        tg.violations().is_empty(),
        "injected faults are not the bot's fault"
    );
}

#[tokio::test]
async fn dropped_connections_send_nothing_back() {
    let tg = FakeTelegram::start().await;
    let bot = tg.bot();

    tg.fail_next("getMe", Fault::Drop, 1);
    let dropped = bot.get_me().await;
    assert!(matches!(dropped, Err(RequestError::Network(_))), "{dropped:?}");
    assert_eq!(tg.requests().len(), 1, "reqwest did not retry behind our back");
    assert!(tg.requests()[0].response.is_null(), "no answer was sent");
    bot.get_me().await.expect("the next call is answered");

    tg.fail_next("getMe", Fault::Drop, 1);
    assert_eq!(raw_post(&tg, &format!("/bot{TOKEN}/getMe"), "{}").await, "");
}

#[tokio::test]
async fn server_errors_slow_answers_unknown_methods_and_bad_tokens() {
    let tg = FakeTelegram::start().await;
    let path = format!("/bot{TOKEN}/sendMessage");
    let body = json!({ "chat_id": CHAT, "text": "hi" }).to_string();

    // Raw HTTP: teloxide waits 10 s after any 5xx before reporting it.
    tg.fail_next("SENDMESSAGE", Fault::ServerError(502), 1);
    let answer = raw_post(&tg, &path, &body).await;
    assert!(answer.starts_with("HTTP/1.1 502"), "{answer}");
    assert!(
        answer.contains(r#""error_code":502"#) && answer.contains("Bad Gateway"),
        "{answer}"
    );

    tg.fail_next("getMe", Fault::Slow(Duration::from_millis(300)), 1);
    let started = Instant::now();
    tg.bot().get_me().await.expect("slow but fine");
    assert!(started.elapsed() >= Duration::from_millis(300));

    let unknown = raw_post(&tg, &format!("/bot{TOKEN}/fooBar"), "{}").await;
    assert!(unknown.starts_with("HTTP/1.1 404"), "{unknown}");
    assert!(unknown.contains("Not Found: method not found"), "{unknown}");
    assert_eq!(tg.unknown_methods(), ["fooBar"]);

    let wrong = Bot::new("1:WRONG")
        .set_api_url(tg.api_url().parse().unwrap())
        .get_me()
        .await;
    assert_eq!(api_error(wrong), ApiError::InvalidToken);
    assert_eq!(tg.violations(), ["getMe: Unauthorized"]);
}

#[tokio::test]
async fn photos_are_uploaded_as_multipart_and_get_reusable_file_ids() {
    let tg = FakeTelegram::start().await;
    let bot = tg.bot();

    let sent = bot
        .send_photo(
            ChatId(CHAT),
            InputFile::memory(vec![0xFF; 1000]).file_name("spot.jpg"),
        )
        .caption("<i>Glass test</i>")
        .parse_mode(ParseMode::Html)
        .reply_markup(keyboard("photo:ok"))
        .await
        .expect("sendPhoto");

    let largest = sent.photo().unwrap().last().unwrap().file.id.clone();
    assert!(largest.0.starts_with("photo-"), "{largest}");
    assert_eq!(sent.caption(), Some("Glass test"));
    let request = tg
        .wait_for(WAIT, |r| r.method == "sendPhoto")
        .await
        .expect("recorded");
    assert_eq!(
        request.body["photo"],
        json!({ "file_name": "spot.jpg", "size": 1000 })
    );
    assert_eq!(
        request.body["chat_id"], CHAT,
        "JSON-encoded multipart fields are decoded"
    );
    assert_eq!(request.callback_data(), ["photo:ok"]);
    assert_eq!(request.text(), Some("<i>Glass test</i>"));

    let again = bot
        .send_photo(ChatId(CHAT), InputFile::file_id(largest.clone()))
        .await
        .unwrap();
    assert_eq!(again.photo().unwrap().last().unwrap().file.id, largest);

    let unknown = bot
        .send_photo(ChatId(CHAT), InputFile::file_id("nope".into()))
        .await;
    assert_eq!(api_error(unknown), ApiError::WrongFileIdOrUrl);
    let long_caption = bot
        .send_photo(ChatId(CHAT), InputFile::file_id(largest))
        .caption("c".repeat(1025))
        .await;
    let long_caption = api_error(long_caption);
    assert_eq!(
        long_caption,
        ApiError::Unknown("Bad Request: message caption is too long".into())
    );
}

#[tokio::test]
async fn bot_commands_are_validated() {
    let tg = FakeTelegram::start().await;
    let bot = tg.bot();
    let commands = vec![BotCommand::new("start", "Begin the glass test")];

    bot.set_my_commands(commands).await.expect("valid commands");

    let invalid = [
        (vec![BotCommand::new("Start", "x")], "BOT_COMMAND_INVALID"),
        (vec![BotCommand::new("a".repeat(33), "x")], "BOT_COMMAND_INVALID"),
        (
            vec![BotCommand::new("help", "")],
            "BOT_COMMAND_DESCRIPTION_INVALID",
        ),
        (
            vec![BotCommand::new("help", "d".repeat(257))],
            "BOT_COMMAND_DESCRIPTION_INVALID",
        ),
        (vec![BotCommand::new("c", "d"); 101], "BOT_COMMANDS_TOO_MUCH"),
    ];
    for (commands, reason) in invalid {
        let error = api_error(bot.set_my_commands(commands).await);
        assert_eq!(error, ApiError::Unknown(format!("Bad Request: {reason}")));
    }
}

#[tokio::test]
async fn wait_for_walks_forward_through_requests() {
    let tg = FakeTelegram::start().await;
    let bot = tg.bot();
    for text in ["one", "two", "three"] {
        bot.send_message(ChatId(CHAT), text).await.unwrap();
    }
    let is_send = |r: &crate::support::fake_telegram::Request| r.method == "sendMessage";

    assert_eq!(tg.wait_for(WAIT, is_send).await.unwrap().text(), Some("one"));
    let next_two = tg.wait_for_count(WAIT, 2, is_send).await;
    let texts: Vec<_> = next_two.iter().map(|r| r.text().unwrap()).collect();
    assert_eq!(texts, ["two", "three"]);
    assert!(tg.wait_for(Duration::from_millis(100), is_send).await.is_none());

    let sender = bot.clone();
    tokio::spawn(async move { sender.send_message(ChatId(CHAT), "four").await });
    assert_eq!(tg.wait_for(WAIT, is_send).await.unwrap().text(), Some("four"));
}

#[tokio::test(flavor = "multi_thread")]
async fn a_teloxide_dispatcher_runs_against_the_fake() {
    let tg = FakeTelegram::start().await;
    let handler = Update::filter_message().endpoint(|bot: Bot, msg: Message| async move {
        bot.send_message(msg.chat.id, format!("pong: {}", msg.text().unwrap_or_default()))
            .await?;
        respond(())
    });
    let mut dispatcher = Dispatcher::builder(tg.bot(), handler).build();
    let running = tokio::spawn(async move { dispatcher.dispatch().await });

    let update = tg.private_text(CHAT, "/ping");
    let reply = tg
        .wait_for(WAIT, |r| r.method == "sendMessage")
        .await
        .expect("the bot replied");
    assert_eq!(reply.text(), Some("pong: /ping"));
    let confirming = tg
        .wait_for(WAIT, |r| {
            r.method == "getUpdates" && r.body["offset"].as_i64() == Some(update + 1)
        })
        .await;
    assert!(confirming.is_some(), "the next poll confirms the update");
    assert!(
        tg.pending_updates().is_empty(),
        "a confirmed update is not handed out again"
    );
    let first_poll = tg
        .requests()
        .into_iter()
        .find(|r| r.method == "getUpdates")
        .unwrap();
    assert_eq!(first_poll.body["allowed_updates"], json!(["message"]));
    assert!(tg.violations().is_empty(), "{:?}", tg.violations());
    // How fast teloxide's dispatcher stops is not the fake's to test: it can lose a shutdown
    // that arrives between two updates. SpotCheck bounds its own stop instead
    // (process::sigterm_stops_the_bot_with_exit_code_0_within_5_seconds).
    running.abort();
}

async fn is_listening(address: &str) -> bool {
    TcpStream::connect(address).await.is_ok()
}

/// Waits up to 2 s for the fake's port to stop accepting connections.
async fn stops_listening(address: &str) -> bool {
    for _ in 0..40 {
        if !is_listening(address).await {
            return true;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    false
}

#[tokio::test]
async fn shutdown_or_dropping_the_last_handle_stops_the_server() {
    let tg = FakeTelegram::start().await;
    tg.bot().get_me().await.unwrap(); // leaves a keep-alive connection open
    let address = tg.api_url().trim_start_matches("http://").to_owned();
    tg.shutdown();
    assert!(
        stops_listening(&address).await,
        "still listening after shutdown()"
    );
    assert!(tg.bot().get_me().await.is_err());

    let tg = FakeTelegram::start().await;
    let address = tg.api_url().trim_start_matches("http://").to_owned();
    let clone = tg.clone();
    drop(tg);
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(is_listening(&address).await, "a clone keeps the server alive");
    drop(clone);
    assert!(
        stops_listening(&address).await,
        "still listening after the last handle went"
    );
}
