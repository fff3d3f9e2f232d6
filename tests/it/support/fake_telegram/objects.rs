//! JSON building blocks: users, chats, photos, message content.

use super::*;

pub(super) fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64)
}

pub(super) fn bot_user_json() -> Value {
    json!({ "id": BOT_ID, "is_bot": true, "first_name": "Spotcheck Test", "username": BOT_USERNAME })
}

/// `getMe`: a `User` plus the bot-only fields teloxide's `Me` requires.
pub(super) fn me_json() -> Value {
    let mut me = bot_user_json();
    merge(
        &mut me,
        json!({
            "can_join_groups": true,
            "can_read_all_group_messages": false,
            "supports_inline_queries": true,
            "can_connect_to_business": false,
            "has_main_web_app": false,
        }),
    );
    me
}

pub(super) fn user_json(id: i64) -> Value {
    json!({
        "id": id, "is_bot": false, "first_name": format!("User{id}"),
        "username": format!("user{id}"), "language_code": "en",
    })
}

pub(super) fn photo_size(file_id: &str, width: u32, height: u32, size: u64) -> Value {
    json!({
        "file_id": file_id, "file_unique_id": format!("u{file_id}"),
        "width": width, "height": height, "file_size": size,
    })
}

/// A text message's fields; a leading `/command` gets its `bot_command`
/// entity, measured in UTF-16 units as Telegram does.
pub(super) fn text_content(text: &str) -> Value {
    let mut content = json!({ "text": text });
    if text.starts_with('/') {
        let command = text.split_whitespace().next().unwrap_or(text);
        let length = command.encode_utf16().count();
        content["entities"] = json!([{ "type": "bot_command", "offset": 0, "length": length }]);
    }
    content
}

pub(super) fn update_kind(update: &Value) -> String {
    let mut keys = update.as_object().into_iter().flat_map(|o| o.keys());
    keys.find(|k| *k != "update_id").cloned().unwrap_or_default()
}

pub(super) fn merge(target: &mut Value, extra: Value) {
    if let (Some(target), Value::Object(extra)) = (target.as_object_mut(), extra) {
        target.extend(extra);
    }
}

pub(super) fn as_i64(value: &Value) -> Option<i64> {
    match value {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.parse().ok(),
        _ => None,
    }
}

pub(super) fn str_field<'a>(body: &'a Value, name: &str) -> Option<&'a str> {
    body.get(name)?.as_str()
}

pub(super) fn parse_mode(body: &Value) -> Option<&str> {
    str_field(body, "parse_mode")
}

/// The fake only knows numeric chat ids; `@channel` names are "not found".
pub(super) fn chat_id(body: &Value) -> Result<i64, TgError> {
    body.get("chat_id")
        .and_then(as_i64)
        .ok_or_else(|| TgError::bad_request("chat not found"))
}
