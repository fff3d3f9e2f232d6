//! Sending the built-in pictures: uploaded once, then sent again by the `file_id` Telegram gave.

use teloxide::types::{ChatId, FileId, InlineKeyboardMarkup, InputFile, Message, MessageId};
use teloxide::RequestError;

use super::context::Context;
use super::telegram::Tg;

impl Context {
    /// Posts a message, as the caption of `picture` when there is one (see `Tg::post`).
    pub async fn post(
        &self,
        bot: &Tg,
        chat: ChatId,
        text: String,
        picture: Option<&str>,
        buttons: Option<InlineKeyboardMarkup>,
        reply_to: Option<MessageId>,
    ) -> Result<Message, RequestError> {
        let file = picture.map(|name| self.picture_file(name));
        let sent = bot.post(chat, text, file, buttons, reply_to).await?;
        if let (Some(name), Some(largest)) = (picture, sent.photo().and_then(|sizes| sizes.last())) {
            self.remember_picture(name, largest.file.id.clone());
        }
        Ok(sent)
    }

    /// A picture to send: its `file_id` once Telegram has it, else the bytes.
    fn picture_file(&self, name: &str) -> InputFile {
        match self.known_picture(name) {
            Some(file_id) => InputFile::file_id(file_id),
            None => {
                let bytes = self.dialogues.pictures.get(name).cloned().unwrap_or_default();
                InputFile::memory(bytes).file_name(format!("{name}.png"))
            }
        }
    }

    fn known_picture(&self, name: &str) -> Option<FileId> {
        self.pictures
            .lock()
            .ok()
            .and_then(|cache| cache.get(name).cloned())
    }

    fn remember_picture(&self, name: &str, file_id: FileId) {
        if let Ok(mut cache) = self.pictures.lock() {
            cache.insert(name.to_string(), file_id);
        }
    }
}
