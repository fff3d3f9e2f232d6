//! Telegram's limits on what a bot sends: text length, HTML, buttons, commands.

use super::*;

/// Text as the user will see it: HTML is parsed (and refused the way
/// Telegram refuses it); other modes are counted as sent.
pub(super) fn visible_text(text: &str, parse_mode: Option<&str>) -> Result<String, TgError> {
    if !parse_mode.is_some_and(|mode| mode.eq_ignore_ascii_case("html")) {
        return Ok(text.to_owned());
    }
    parse_html(text).map_err(|reason| TgError::bad_request(format!("can't parse entities: {reason}")))
}

/// 1..=4096 characters after entity parsing. Telegram counts characters
/// here, while entity offsets are in UTF-16 units.
pub(super) fn check_text(visible: &str, too_long: &str) -> Result<(), TgError> {
    if visible.trim().is_empty() {
        return Err(TgError::bad_request("message text is empty"));
    }
    let length = visible.chars().count();
    if length > 4096 {
        let detail = format!(" ({length} characters, limit 4096)");
        return Err(TgError::bad_request(too_long).detail(detail));
    }
    Ok(())
}

const HTML_TAGS: &[&str] = &[
    "b",
    "strong",
    "i",
    "em",
    "u",
    "ins",
    "s",
    "strike",
    "del",
    "span",
    "tg-spoiler",
    "a",
    "code",
    "pre",
    "blockquote",
    "tg-emoji",
];

/// Parses Telegram's HTML subset; returns the visible text, or the reason
/// Telegram would give for refusing it.
fn parse_html(html: &str) -> Result<String, String> {
    let mut visible = String::new();
    let mut open_tags = Vec::new();
    let mut at = 0;
    while let Some(c) = html[at..].chars().next() {
        match c {
            '<' => {
                let length = tag_length(&html[at..])
                    .ok_or_else(|| format!("Unclosed start tag at byte offset {at}"))?;
                handle_tag(&html[at + 1..at + length - 1], at, &mut open_tags)?;
                at += length;
            }
            '&' => {
                let (decoded, length) = decode_entity(&html[at..]);
                visible.push(decoded);
                at += length;
            }
            _ => {
                visible.push(c);
                at += c.len_utf8();
            }
        }
    }
    match open_tags.last() {
        Some(tag) => Err(format!("Can't find end tag corresponding to start tag \"{tag}\"")),
        None => Ok(visible),
    }
}

/// Bytes from `<` to the matching `>`, skipping `>` inside quoted values.
fn tag_length(s: &str) -> Option<usize> {
    let mut quote = None;
    for (i, c) in s.char_indices().skip(1) {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(q), _) if c == q => quote = None,
            (None, '>') => return Some(i + 1),
            _ => {}
        }
    }
    None
}

fn handle_tag(inner: &str, at: usize, open_tags: &mut Vec<String>) -> Result<(), String> {
    if let Some(name) = inner.strip_prefix('/') {
        let name = name.trim().to_ascii_lowercase();
        return match open_tags.pop() {
            None => Err(format!("Unexpected end tag at byte offset {at}")),
            Some(open) if open == name => Ok(()),
            Some(open) => Err(format!(
                "Unmatched end tag at byte offset {at}, expected \"</{open}>\", found \"</{name}>\""
            )),
        };
    }
    let name_end = inner
        .find(|c: char| c.is_whitespace() || c == '/')
        .unwrap_or(inner.len());
    let name = inner[..name_end].to_ascii_lowercase();
    if !HTML_TAGS.contains(&name.as_str()) {
        return Err(format!("Unsupported start tag \"{name}\" at byte offset {at}"));
    }
    if name == "span" && !has_spoiler_class(&inner[name_end..]) {
        return Err(format!(
            "Tag \"span\" must have class \"tg-spoiler\" at byte offset {at}"
        ));
    }
    open_tags.push(name);
    Ok(())
}

fn has_spoiler_class(attributes: &str) -> bool {
    attributes.split_whitespace().any(|attribute| {
        attribute
            .strip_prefix("class=")
            .map(|v| v.trim_matches(['"', '\'']))
            == Some("tg-spoiler")
    })
}

/// Decodes `&lt;`, `&gt;`, `&amp;`, `&quot;` and numeric entities; any other
/// `&` is literal text, as in Telegram. Returns the char and bytes consumed.
fn decode_entity(s: &str) -> (char, usize) {
    let end = s.char_indices().take(12).find(|(_, c)| *c == ';').map(|(i, _)| i);
    let decoded = end.and_then(|end| Some((entity_char(&s[1..end])?, end + 1)));
    decoded.unwrap_or(('&', 1))
}

fn entity_char(name: &str) -> Option<char> {
    match name {
        "lt" => Some('<'),
        "gt" => Some('>'),
        "amp" => Some('&'),
        "quot" => Some('"'),
        _ => {
            let number = name.strip_prefix('#')?;
            let code = match number.strip_prefix(['x', 'X']) {
                Some(hex) => u32::from_str_radix(hex, 16).ok()?,
                None => number.parse().ok()?,
            };
            char::from_u32(code)
        }
    }
}

const BUTTON_ACTIONS: &[&str] = &[
    "url",
    "login_url",
    "callback_data",
    "web_app",
    "switch_inline_query",
    "switch_inline_query_current_chat",
    "switch_inline_query_chosen_chat",
    "copy_text",
    "callback_game",
    "pay",
];

/// Checks `reply_markup`; returns it if Telegram would echo it in the
/// Message, which it does for inline keyboards only.
pub(super) fn checked_markup(body: &Value) -> Result<Option<Value>, TgError> {
    let Some(markup) = body.get("reply_markup") else {
        return Ok(None);
    };
    if markup.get("inline_keyboard").is_none() {
        return Ok(None);
    }
    for button in inline_buttons(body) {
        check_button(button)?;
    }
    Ok(Some(markup.clone()))
}

pub(super) fn inline_buttons(body: &Value) -> impl Iterator<Item = &Value> {
    let rows = body
        .pointer("/reply_markup/inline_keyboard")
        .and_then(Value::as_array);
    rows.into_iter().flatten().filter_map(Value::as_array).flatten()
}

fn check_button(button: &Value) -> Result<(), TgError> {
    if let Some(data) = button.get("callback_data") {
        let bytes = data.as_str().map_or(0, str::len);
        if !(1..=64).contains(&bytes) {
            let detail = format!(" (callback_data is {bytes} bytes, allowed 1..=64: {data})");
            return Err(TgError::bad_request("BUTTON_DATA_INVALID").detail(detail));
        }
    }
    if let Some(url) = button.get("url").and_then(Value::as_str) {
        if !["http://", "https://", "tg://"]
            .iter()
            .any(|scheme| url.starts_with(scheme))
        {
            return Err(TgError::bad_request("BUTTON_URL_INVALID").detail(format!(" ({url})")));
        }
    }
    if !BUTTON_ACTIONS.iter().any(|action| button.get(action).is_some()) {
        return Err(TgError::bad_request(
            "can't parse inline keyboard button: Text buttons are unallowed in the inline keyboard",
        ));
    }
    Ok(())
}

/// At most 100 commands; names `^[a-z0-9_]{1,32}$`; descriptions 1..=256.
pub(super) fn check_commands(commands: &[Value]) -> Result<(), TgError> {
    if commands.len() > 100 {
        let detail = format!(" ({} commands, limit 100)", commands.len());
        return Err(TgError::bad_request("BOT_COMMANDS_TOO_MUCH").detail(detail));
    }
    for command in commands {
        let name = command.get("command").and_then(Value::as_str).unwrap_or_default();
        let name_ok = (1..=32).contains(&name.len())
            && name
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_');
        if !name_ok {
            return Err(TgError::bad_request("BOT_COMMAND_INVALID").detail(format!(" ({name:?})")));
        }
        let description = command
            .get("description")
            .and_then(Value::as_str)
            .unwrap_or_default();
        if !(1..=256).contains(&description.chars().count()) {
            let detail = format!(" (/{name}: {} characters)", description.chars().count());
            return Err(TgError::bad_request("BOT_COMMAND_DESCRIPTION_INVALID").detail(detail));
        }
    }
    Ok(())
}

pub(super) fn not_modified() -> TgError {
    TgError::bad_request(
        "message is not modified: specified new message content and reply markup are \
         exactly the same as a current content and reply markup of the message",
    )
}
