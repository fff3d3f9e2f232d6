//! What the fake Telegram keeps (updates, messages, files, webhook) and the Bot API methods it
//! implements: only those SpotCheck and teloxide call.

use super::*;

/// Button presses the bot was sent, and how many it answered.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Presses {
    pub sent: usize,
    pub answered: usize,
}

#[derive(Default)]
pub(super) struct State {
    pub(super) updates: VecDeque<Value>,
    pub(super) last_update_id: i64,
    /// `None` until the bot sets it: then Telegram's default applies.
    pub(super) allowed_updates: Option<HashSet<String>>,
    poll_generation: u64,
    /// Since when the bot has been long-polling with nothing left to take.
    pub(super) polling_idle_since: Option<Instant>,
    webhook_url: String,
    pub(super) requests: Vec<Request>,
    pub(super) cursor: usize,
    pub(super) violations: Vec<String>,
    pub(super) unknown_methods: Vec<String>,
    pub(super) faults: HashMap<String, VecDeque<Fault>>,
    last_message_id: i64,
    pub(super) messages: HashMap<(i64, i64), StoredMessage>,
    pub(super) chat_types: HashMap<i64, &'static str>,
    pub(super) last_user_in_chat: HashMap<i64, i64>,
    pub(super) open_callback_queries: HashSet<String>,
    /// Button presses queued for the bot, and how many of them it answered.
    pub(super) presses: Presses,
    open_inline_queries: HashSet<String>,
    last_number: u64,
    /// The photos the bot sent, by file id, to send again by id.
    pub(super) files: HashMap<String, Value>,
    /// (chat, user) pairs that administer the chat, for `getChatMember`.
    pub(super) admins: HashSet<(i64, i64)>,
    pub(super) random_faults: Option<RandomFaults>,
    pub(super) rate_limiter: Option<RateLimiter>,
    pub(super) rate_limit_hits: Vec<RateLimitHit>,
    /// Updates delivered whatever `allowed_updates` says.
    pub(super) delivered_anyway: HashSet<i64>,
}

pub(super) struct StoredMessage {
    pub(super) from_bot: bool,
    /// Text and parse mode as the bot sent them; `None` for media.
    raw_text: Option<(String, Option<String>)>,
    /// Inline keyboard, the only kind Telegram echoes in a Message.
    pub(super) markup: Option<Value>,
    pub(super) json: Value,
}

pub(super) struct PollRequest {
    pub(super) generation: u64,
    pub(super) limit: usize,
    pub(super) wait: Duration,
}

/// Methods as Telegram names them; requests match these case-insensitively.
const METHODS: &[&str] = &[
    "getUpdates",
    "getMe",
    "getWebhookInfo",
    "setWebhook",
    "deleteWebhook",
    "setMyCommands",
    "sendMessage",
    "sendPhoto",
    "editMessageText",
    "editMessageReplyMarkup",
    "deleteMessage",
    "answerCallbackQuery",
    "answerInlineQuery",
    "getChatMember",
];

/// teloxide sends `SendMessage`; Telegram documents `sendMessage`.
pub(super) fn canonical_method(raw: &str) -> String {
    if let Some(known) = METHODS.iter().find(|m| m.eq_ignore_ascii_case(raw)) {
        return (*known).to_owned();
    }
    let mut chars = raw.chars();
    chars
        .next()
        .map(|c| c.to_ascii_lowercase().to_string() + chars.as_str())
        .unwrap_or_default()
}

/// Update kinds Telegram leaves out unless the bot asks for them.
const NOT_DELIVERED_BY_DEFAULT: [&str; 3] = ["chat_member", "message_reaction", "message_reaction_count"];

impl State {
    /// An owner for the pairs marked with `make_admin`, else an ordinary member.
    fn chat_member(&self, body: &Value) -> Value {
        let chat = body.get("chat_id").and_then(as_i64).unwrap_or_default();
        let user = body.get("user_id").and_then(as_i64).unwrap_or_default();
        let person = json!({"id": user, "is_bot": false, "first_name": "Member"});
        if self.admins.contains(&(chat, user)) {
            json!({"status": "creator", "user": person, "is_anonymous": false})
        } else {
            json!({"status": "member", "user": person})
        }
    }

    pub(super) fn next_number(&mut self) -> u64 {
        self.last_number += 1;
        self.last_number
    }

    fn next_message_id(&mut self) -> i64 {
        self.last_message_id += 1;
        self.last_message_id
    }

    pub(super) fn enqueue(&mut self, mut update: Value) -> i64 {
        let id = match update.get("update_id").and_then(Value::as_i64) {
            Some(id) => id,
            None => {
                let id = self.last_update_id + 1;
                update["update_id"] = json!(id);
                id
            }
        };
        self.last_update_id = self.last_update_id.max(id);
        // Queries in hand-made updates must be answerable too.
        if let Some(query) = update.pointer("/callback_query/id").and_then(Value::as_str) {
            self.open_callback_queries.insert(query.to_owned());
            self.presses.sent += 1;
        }
        if let Some(query) = update.pointer("/inline_query/id").and_then(Value::as_str) {
            self.open_inline_queries.insert(query.to_owned());
        }
        self.updates.push_back(update);
        self.polling_idle_since = None;
        id
    }

    /// A message from a user (or a channel when `from` is `None`), wrapped
    /// in an update of `kind`.
    pub(super) fn incoming(&mut self, kind: &str, chat_id: i64, from: Option<i64>, content: Value) -> Value {
        let id = self.next_message_id();
        let mut message = json!({ "message_id": id, "chat": self.chat_json(chat_id), "date": now() });
        if let Some(user) = from {
            message["from"] = user_json(user);
        }
        merge(&mut message, content);
        let stored = StoredMessage {
            from_bot: false,
            raw_text: None,
            markup: None,
            json: message.clone(),
        };
        self.messages.insert((chat_id, id), stored);
        json!({ kind: message })
    }

    pub(super) fn user_in(&self, chat_id: i64) -> i64 {
        if chat_id > 0 {
            return chat_id;
        }
        self.last_user_in_chat
            .get(&chat_id)
            .copied()
            .unwrap_or(DEFAULT_GROUP_USER)
    }

    pub(super) fn chat_json(&self, chat_id: i64) -> Value {
        if chat_id > 0 {
            return json!({
                "id": chat_id, "type": "private",
                "first_name": format!("User{chat_id}"), "username": format!("user{chat_id}"),
            });
        }
        let kind = self.chat_types.get(&chat_id).copied().unwrap_or("supergroup");
        json!({ "id": chat_id, "type": kind, "title": format!("Test {kind} {chat_id}") })
    }

    /// The bot's message as it is now, or a stand-in if the fake never saw
    /// it (say, a button under a message from before a restart).
    pub(super) fn message_json_or_placeholder(&self, chat_id: i64, message_id: i64) -> Value {
        match self.messages.get(&(chat_id, message_id)) {
            Some(stored) => stored.json.clone(),
            None => json!({
                "message_id": message_id, "from": bot_user_json(),
                "chat": self.chat_json(chat_id), "date": now(), "text": "(unknown to the fake)",
            }),
        }
    }

    /// A fault planned with `fail_next`, else a random one, if any.
    pub(super) fn take_fault(&mut self, method: &str, body: &Value) -> Option<Fault> {
        if let Some(fault) = self.faults.get_mut(method).and_then(VecDeque::pop_front) {
            return Some(fault);
        }
        let chat = body.get("chat_id").and_then(as_i64).unwrap_or(0);
        self.random_faults.as_mut()?.draw(method, chat)
    }

    /// `Some((retry_after, during_penalty))` if Telegram would refuse this
    /// message now.
    pub(super) fn rate_limit(&mut self, method: &str, body: &Value) -> Option<(u32, bool)> {
        let limiter = self.rate_limiter.as_mut()?;
        if !RATE_LIMITED_METHODS.contains(&method) {
            return None;
        }
        let chat = body.get("chat_id").and_then(as_i64)?;
        limiter.admit(chat, Instant::now()).err()
    }

    pub(super) fn take_matching(
        &mut self,
        count: usize,
        pred: &dyn Fn(&Request) -> bool,
    ) -> (Vec<Request>, bool) {
        if count == 0 {
            return (Vec::new(), true);
        }
        let mut found = Vec::new();
        let unseen = self.requests.iter().enumerate().skip(self.cursor);
        for (index, request) in unseen.filter(|(_, request)| pred(request)) {
            found.push(request.clone());
            if found.len() == count {
                self.cursor = index + 1;
                return (found, true);
            }
        }
        (found, false)
    }

    pub(super) fn call(&mut self, method: &str, body: &Value) -> Result<Value, TgError> {
        match method {
            "getMe" => Ok(me_json()),
            // teloxide's long polling asks first whether a webhook is set (to delete it).
            "getWebhookInfo" => Ok(self.webhook_info()),
            "setWebhook" => self.set_webhook(body),
            "deleteWebhook" => Ok(self.delete_webhook(body)),
            "setMyCommands" => self.set_my_commands(body),
            "sendMessage" => self.send_message(body),
            "sendPhoto" => self.send_photo(body),
            "editMessageText" => self.edit_message_text(body),
            "editMessageReplyMarkup" => self.edit_message_reply_markup(body),
            "deleteMessage" => self.delete_message(body),
            "answerCallbackQuery" => self.answer_callback_query(body),
            "answerInlineQuery" => self.answer_inline_query(body),
            "getChatMember" => Ok(self.chat_member(body)),
            _ => {
                self.unknown_methods.push(method.to_owned());
                Err(TgError::not_found())
            }
        }
    }

    // --- updates and webhooks ---

    pub(super) fn start_poll(&mut self, body: &Value) -> Result<PollRequest, TgError> {
        if !self.webhook_url.is_empty() {
            return Err(TgError::new(
                409,
                "Conflict: can't use getUpdates method while webhook is active; \
                 use deleteWebhook to delete the webhook first",
            ));
        }
        self.confirm(body.get("offset").and_then(Value::as_i64).unwrap_or(0));
        if let Some(kinds) = body.get("allowed_updates").and_then(Value::as_array) {
            // The setting sticks until changed; an empty list means the default.
            let kinds: HashSet<String> = kinds
                .iter()
                .filter_map(|k| k.as_str().map(str::to_owned))
                .collect();
            self.allowed_updates = (!kinds.is_empty()).then_some(kinds);
        }
        self.drop_unwanted_updates();
        if self.updates.is_empty() {
            self.polling_idle_since.get_or_insert_with(Instant::now);
        } else {
            self.polling_idle_since = None;
        }
        self.poll_generation += 1;
        let limit = body
            .get("limit")
            .and_then(Value::as_u64)
            .unwrap_or(100)
            .clamp(1, 100);
        let timeout = body.get("timeout").and_then(Value::as_u64).unwrap_or(0);
        Ok(PollRequest {
            generation: self.poll_generation,
            limit: limit as usize,
            wait: Duration::from_secs(timeout).min(MAX_LONG_POLL),
        })
    }

    /// Forgets updates below `offset`; a negative offset keeps only the last
    /// `-offset` updates.
    fn confirm(&mut self, offset: i64) {
        if offset < 0 {
            let keep = offset.unsigned_abs() as usize;
            let excess = self.updates.len().saturating_sub(keep);
            self.updates.drain(..excess);
        } else {
            self.updates
                .retain(|u| u["update_id"].as_i64().unwrap_or(0) >= offset);
        }
    }

    /// Up to `limit` queued updates, or `None` if there are none yet.
    pub(super) fn deliverable(&mut self, generation: u64, limit: usize) -> Result<Option<Value>, TgError> {
        if generation != self.poll_generation {
            return Err(TgError::new(
                409,
                "Conflict: terminated by other getUpdates request; \
                 make sure that only one bot instance is running",
            ));
        }
        self.drop_unwanted_updates();
        if self.updates.is_empty() {
            return Ok(None);
        }
        Ok(Some(self.updates.iter().take(limit).cloned().collect()))
    }

    fn drop_unwanted_updates(&mut self) {
        let allowed = self.allowed_updates.clone();
        let anyway = &self.delivered_anyway;
        self.updates.retain(|update| {
            if update["update_id"]
                .as_i64()
                .is_some_and(|id| anyway.contains(&id))
            {
                return true;
            }
            let kind = update_kind(update);
            let wanted = match &allowed {
                Some(kinds) => kinds.contains(&kind),
                None => !NOT_DELIVERED_BY_DEFAULT.contains(&kind.as_str()),
            };
            if !wanted {
                // Shown only when a test fails: explains an update that "vanished".
                eprintln!("fake_telegram: dropped a {kind} update, not in allowed_updates {allowed:?}");
            }
            wanted
        });
    }

    fn webhook_info(&self) -> Value {
        json!({
            "url": self.webhook_url,
            "has_custom_certificate": false,
            "pending_update_count": self.updates.len(),
        })
    }

    fn set_webhook(&mut self, body: &Value) -> Result<Value, TgError> {
        let url = str_field(body, "url").unwrap_or_default();
        if !url.is_empty() && !url.starts_with("https://") {
            return Err(TgError::bad_request(
                "bad webhook: An HTTPS URL must be provided for webhook",
            ));
        }
        self.webhook_url = url.to_owned();
        Ok(json!(true))
    }

    fn delete_webhook(&mut self, body: &Value) -> Value {
        self.webhook_url.clear();
        if body.get("drop_pending_updates") == Some(&json!(true)) {
            self.updates.clear();
        }
        json!(true)
    }

    fn set_my_commands(&mut self, body: &Value) -> Result<Value, TgError> {
        let commands = body
            .get("commands")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        check_commands(&commands)?;
        Ok(json!(true))
    }

    // --- messages ---

    fn send_message(&mut self, body: &Value) -> Result<Value, TgError> {
        let chat_id = chat_id(body)?;
        let text = str_field(body, "text").unwrap_or_default();
        let visible = visible_text(text, parse_mode(body))?;
        check_text(&visible, "message is too long")?;
        let markup = checked_markup(body)?;
        let raw = (text.to_owned(), parse_mode(body).map(str::to_owned));
        Ok(self.store_bot_message(chat_id, json!({ "text": visible }), Some(raw), markup))
    }

    fn send_photo(&mut self, body: &Value) -> Result<Value, TgError> {
        let chat_id = chat_id(body)?;
        let caption = visible_text(str_field(body, "caption").unwrap_or_default(), parse_mode(body))?;
        let length = caption.chars().count();
        if length > 1024 {
            let detail = format!(" ({length} characters, limit 1024)");
            return Err(TgError::bad_request("message caption is too long").detail(detail));
        }
        let markup = checked_markup(body)?;
        let photo = self.photo_from(body.get("photo"))?;
        let mut content = json!({ "photo": photo });
        if !caption.is_empty() {
            content["caption"] = json!(caption);
        }
        Ok(self.store_bot_message(chat_id, content, None, markup))
    }

    /// The photo for an upload, a URL, or a file id Telegram issued.
    fn photo_from(&mut self, source: Option<&Value>) -> Result<Value, TgError> {
        match source {
            None => Err(TgError::bad_request("there is no photo in the request")),
            Some(Value::Object(upload)) => {
                let size = upload.get("size").and_then(Value::as_u64).unwrap_or(0);
                if size == 0 {
                    return Err(TgError::bad_request("file must be non-empty"));
                }
                Ok(self.new_photo("photo", size))
            }
            Some(Value::String(url)) if url.starts_with("http://") || url.starts_with("https://") => {
                Ok(self.new_photo("photo", 100_000))
            }
            Some(Value::String(file_id)) => self
                .files
                .get(file_id)
                .cloned()
                .ok_or_else(|| TgError::bad_request("wrong file identifier/HTTP URL specified")),
            Some(_) => Err(TgError::bad_request("wrong file identifier/HTTP URL specified")),
        }
    }

    /// Issues file ids (`photo-1`, ...) that the bot can send again later: one for the photo,
    /// one for its thumbnail.
    pub(super) fn new_photo(&mut self, prefix: &str, size: u64) -> Value {
        let file_id = format!("{prefix}-{}", self.next_number());
        let thumb = photo_size(&format!("{file_id}-thumb"), 90, 68, size / 10);
        let photo = json!([thumb, photo_size(&file_id, 1280, 960, size)]);
        self.files.insert(format!("{file_id}-thumb"), photo.clone());
        self.files.insert(file_id, photo.clone());
        photo
    }

    fn store_bot_message(
        &mut self,
        chat_id: i64,
        content: Value,
        raw_text: Option<(String, Option<String>)>,
        markup: Option<Value>,
    ) -> Value {
        let id = self.next_message_id();
        let mut json = json!({
            "message_id": id, "from": bot_user_json(), "chat": self.chat_json(chat_id), "date": now(),
        });
        merge(&mut json, content);
        if let Some(markup) = &markup {
            json["reply_markup"] = markup.clone();
        }
        let stored = StoredMessage {
            from_bot: true,
            raw_text,
            markup,
            json: json.clone(),
        };
        self.messages.insert((chat_id, id), stored);
        json
    }

    /// The (chat, message) a request points at, if that message exists.
    pub(super) fn target(&self, body: &Value, not_found: &str) -> Result<(i64, i64), TgError> {
        let chat = body.get("chat_id").and_then(as_i64);
        let message = body.get("message_id").and_then(as_i64);
        let (Some(chat), Some(message)) = (chat, message) else {
            return Err(TgError::bad_request("message identifier is not specified"));
        };
        if !self.messages.contains_key(&(chat, message)) {
            return Err(TgError::bad_request(not_found));
        }
        Ok((chat, message))
    }

    fn edit_message_text(&mut self, body: &Value) -> Result<Value, TgError> {
        let text = str_field(body, "text").unwrap_or_default();
        let visible = visible_text(text, parse_mode(body))?;
        check_text(&visible, "MESSAGE_TOO_LONG")?;
        let markup = checked_markup(body)?;
        if body.get("inline_message_id").is_some() {
            return Ok(json!(true)); // inline messages are not tracked
        }
        let key = self.target(body, "message to edit not found")?;
        let new_raw = Some((text.to_owned(), parse_mode(body).map(str::to_owned)));
        let stored = self.messages.get_mut(&key).expect("checked by target");
        if !stored.from_bot {
            return Err(TgError::bad_request("message can't be edited"));
        }
        if stored.raw_text.is_none() {
            return Err(TgError::bad_request("there is no text in the message to edit"));
        }
        if stored.raw_text == new_raw && stored.markup == markup {
            return Err(not_modified());
        }
        stored.raw_text = new_raw;
        stored.json["text"] = json!(visible);
        Ok(stored.replace_markup(markup))
    }

    fn edit_message_reply_markup(&mut self, body: &Value) -> Result<Value, TgError> {
        let markup = checked_markup(body)?;
        if body.get("inline_message_id").is_some() {
            return Ok(json!(true));
        }
        let key = self.target(body, "message to edit not found")?;
        let stored = self.messages.get_mut(&key).expect("checked by target");
        if !stored.from_bot {
            return Err(TgError::bad_request("message can't be edited"));
        }
        if stored.markup == markup {
            return Err(not_modified());
        }
        Ok(stored.replace_markup(markup))
    }

    fn delete_message(&mut self, body: &Value) -> Result<Value, TgError> {
        let key = self.target(body, "message to delete not found")?;
        self.messages.remove(&key);
        Ok(json!(true))
    }

    // --- queries ---

    fn answer_callback_query(&mut self, body: &Value) -> Result<Value, TgError> {
        let id = str_field(body, "callback_query_id").unwrap_or_default();
        if !self.open_callback_queries.contains(id) {
            return Err(TgError::bad_request(QUERY_TOO_OLD));
        }
        let length = str_field(body, "text").map_or(0, |t| t.chars().count());
        if length > 200 {
            let detail = format!(" (text is {length} characters, limit 200)");
            return Err(TgError::bad_request("MESSAGE_TOO_LONG").detail(detail));
        }
        self.open_callback_queries.remove(id);
        self.presses.answered += 1;
        Ok(json!(true))
    }

    fn answer_inline_query(&mut self, body: &Value) -> Result<Value, TgError> {
        let id = str_field(body, "inline_query_id").unwrap_or_default();
        if !self.open_inline_queries.contains(id) {
            return Err(TgError::bad_request(QUERY_TOO_OLD));
        }
        let results = body.get("results").and_then(Value::as_array).map_or(0, Vec::len);
        if results > 50 {
            return Err(TgError::bad_request("RESULTS_TOO_MUCH").detail(format!(" ({results} results)")));
        }
        self.open_inline_queries.remove(id);
        Ok(json!(true))
    }
}

impl StoredMessage {
    /// Sets the inline keyboard (an edit without one removes it) and returns
    /// the edited message.
    fn replace_markup(&mut self, markup: Option<Value>) -> Value {
        let message = self.json.as_object_mut().expect("messages are objects");
        match &markup {
            Some(markup) => message.insert("reply_markup".into(), markup.clone()),
            None => message.remove("reply_markup"),
        };
        message.insert("edit_date".into(), json!(now()));
        self.markup = markup;
        self.json.clone()
    }
}
