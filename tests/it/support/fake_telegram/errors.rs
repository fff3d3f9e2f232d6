//! Errors as Telegram sends them; one the bot caused is also recorded as a violation.

use super::*;

#[derive(Debug)]
pub(super) struct TgError {
    pub(super) code: u16,
    pub(super) description: String,
    pub(super) retry_after: Option<u32>,
    /// Extra context for the violation log; never sent to the bot.
    pub(super) detail: String,
}

impl TgError {
    pub(super) fn new(code: u16, description: impl Into<String>) -> Self {
        TgError {
            code,
            description: description.into(),
            retry_after: None,
            detail: String::new(),
        }
    }

    pub(super) fn bad_request(what: impl std::fmt::Display) -> Self {
        TgError::new(400, format!("Bad Request: {what}"))
    }

    pub(super) fn unauthorized() -> Self {
        TgError::new(401, "Unauthorized")
    }

    pub(super) fn not_found() -> Self {
        TgError::new(404, "Not Found: method not found")
    }

    pub(super) fn flood(retry_after: u32) -> Self {
        let mut error = TgError::new(429, format!("Too Many Requests: retry after {retry_after}"));
        error.retry_after = Some(retry_after);
        error
    }

    pub(super) fn server(code: u16) -> Self {
        let reason = StatusCode::from_u16(code).ok().and_then(|s| s.canonical_reason());
        TgError::new(code, reason.unwrap_or("Internal Server Error"))
    }

    pub(super) fn detail(mut self, detail: String) -> Self {
        self.detail = detail;
        self
    }

    /// Refusals caused by the bot breaking the rules. Not 404 (the fake's
    /// gap, see `unknown_methods`) nor 409 (a superseded long poll, whose
    /// client has normally gone already).
    pub(super) fn is_violation(&self) -> bool {
        matches!(self.code, 400 | 401 | 403)
    }
}

impl TgError {
    /// The HTTP status and body Telegram sends for this error.
    pub(super) fn answer(&self) -> (StatusCode, Value) {
        let mut body = json!({ "ok": false, "error_code": self.code, "description": self.description });
        if let Some(seconds) = self.retry_after {
            body["parameters"] = json!({ "retry_after": seconds });
        }
        let status = StatusCode::from_u16(self.code).unwrap_or(StatusCode::BAD_REQUEST);
        (status, body)
    }
}

impl IntoResponse for TgError {
    fn into_response(self) -> Response {
        let (status, body) = self.answer();
        (status, Json(body)).into_response()
    }
}
