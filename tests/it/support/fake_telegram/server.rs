//! HTTP: a listener whose connections a handler can sever, and the handler that records and
//! answers each request.

use super::*;

/// Per-connection switch, handed to handlers as connect info, so that
/// `Fault::Drop` can close its own connection without answering.
#[derive(Clone, Debug, Default)]
pub(super) struct Conn {
    killed: Arc<AtomicBool>,
}

impl Conn {
    fn kill(&self) {
        self.killed.store(true, Ordering::SeqCst);
    }
}

impl Connected<IncomingStream<'_, KillableListener>> for Conn {
    fn connect_info(stream: IncomingStream<'_, KillableListener>) -> Self {
        stream.remote_addr().clone()
    }
}

pub(super) struct KillableListener(pub(super) TcpListener);

impl Listener for KillableListener {
    type Io = KillableStream;
    type Addr = Conn;

    async fn accept(&mut self) -> (KillableStream, Conn) {
        // axum's own TcpListener impl already retries failed accepts.
        let (stream, _peer) = <TcpListener as Listener>::accept(&mut self.0).await;
        let conn = Conn::default();
        (
            KillableStream {
                inner: stream,
                killed: conn.killed.clone(),
            },
            conn,
        )
    }

    fn local_addr(&self) -> io::Result<Conn> {
        Ok(Conn::default())
    }
}

/// A TCP stream that fails all I/O once killed. hyper then abandons the
/// connection before writing the response, and dropping the socket closes
/// it: the client sees the connection end with no answer at all.
pub(super) struct KillableStream {
    pub(super) inner: TcpStream,
    killed: Arc<AtomicBool>,
}

impl KillableStream {
    fn alive(&self) -> io::Result<()> {
        if self.killed.load(Ordering::SeqCst) {
            Err(io::Error::new(io::ErrorKind::ConnectionAborted, "Fault::Drop"))
        } else {
            Ok(())
        }
    }
}

impl AsyncRead for KillableStream {
    fn poll_read(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        this.alive()?;
        Pin::new(&mut this.inner).poll_read(cx, buf)
    }
}

impl AsyncWrite for KillableStream {
    fn poll_write(self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        let this = self.get_mut();
        this.alive()?;
        Pin::new(&mut this.inner).poll_write(cx, buf)
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        this.alive()?;
        Pin::new(&mut this.inner).poll_flush(cx)
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        this.alive()?;
        Pin::new(&mut this.inner).poll_shutdown(cx)
    }
}

/// Every Bot API call: `POST /bot{token}/{method}`. The request is
/// recorded, with its answer, just before the answer goes out.
pub(super) async fn handle(
    With(shared): With<Arc<Shared>>,
    ConnectInfo(conn): ConnectInfo<Conn>,
    Path((token_segment, raw_method)): Path<(String, String)>,
    request: axum::extract::Request,
) -> Response {
    let at = Instant::now();
    let method = canonical_method(&raw_method);
    let (body, answered) = match read_body(request).await {
        Ok(body) => {
            let answered = answer(&shared, &method, &token_segment, &body, &conn).await;
            (body, answered)
        }
        Err(error) => (Value::Null, Answered::plain(shared.refuse(&method, error))),
    };
    let response = answered
        .reply
        .as_ref()
        .map_or(Value::Null, |(_, json)| json.clone());
    shared.record(Request {
        method,
        body,
        at,
        response,
        fault: answered.fault.clone(),
    });
    if let (Some(Fault::HtmlServerError(_)), Some((status, _))) = (&answered.fault, &answered.reply) {
        let page = format!(
            "<html>\r\n<head><title>{status}</title></head>\r\n<body>\r\n<center><h1>{status}</h1></center>\r\n\
             <hr><center>nginx</center>\r\n</body>\r\n</html>\r\n"
        );
        return (*status, [(axum::http::header::CONTENT_TYPE, "text/html")], page).into_response();
    }
    match answered.reply {
        Some(_) if answered.lost => StatusCode::INTERNAL_SERVER_ERROR.into_response(), // the connection is gone
        Some((status, json)) => (status, Json(json)).into_response(),
        None => StatusCode::INTERNAL_SERVER_ERROR.into_response(), // the connection is gone
    }
}

/// What the fake did with a request.
pub(super) struct Answered {
    /// What Telegram answered, or `None` when the connection was dropped
    /// before anything happened.
    pub(super) reply: Option<(StatusCode, Value)>,
    /// The connection was dropped after `reply` was decided.
    pub(super) lost: bool,
    pub(super) fault: Option<Fault>,
}

impl Answered {
    fn plain(reply: (StatusCode, Value)) -> Answered {
        Answered {
            reply: Some(reply),
            lost: false,
            fault: None,
        }
    }

    fn faulted(reply: Option<(StatusCode, Value)>, fault: Fault) -> Answered {
        Answered {
            reply,
            lost: false,
            fault: Some(fault),
        }
    }
}

/// What Telegram would answer, with any injected fault.
pub(super) async fn answer(
    shared: &Shared,
    method: &str,
    token_segment: &str,
    body: &Value,
    conn: &Conn,
) -> Answered {
    if token_segment != format!("bot{TOKEN}") {
        return Answered::plain(shared.refuse(method, TgError::unauthorized()));
    }
    let fault = shared.with_state(|s| s.take_fault(method, body));
    match &fault {
        Some(Fault::TooManyRequests { retry_after }) => {
            let reply = TgError::flood(*retry_after).answer();
            return Answered::faulted(
                Some(reply),
                Fault::TooManyRequests {
                    retry_after: *retry_after,
                },
            );
        }
        Some(Fault::ServerError(code)) => {
            return Answered::faulted(Some(TgError::server(*code).answer()), Fault::ServerError(*code));
        }
        Some(Fault::HtmlServerError(code)) => {
            let status = StatusCode::from_u16(*code).unwrap_or(StatusCode::BAD_GATEWAY);
            return Answered::faulted(Some((status, Value::Null)), Fault::HtmlServerError(*code));
        }
        Some(Fault::QuickServerError(code)) => {
            let (_, json) = TgError::server(*code).answer();
            return Answered::faulted(Some((StatusCode::OK, json)), Fault::QuickServerError(*code));
        }
        Some(Fault::Drop) => {
            conn.kill();
            return Answered::faulted(None, Fault::Drop);
        }
        Some(Fault::Slow(delay)) => tokio::time::sleep(*delay).await,
        Some(Fault::AnswerLost) | None => {}
    }
    if let Some((retry_after, during_penalty)) = shared.with_state(|s| s.rate_limit(method, body)) {
        let mut answered = Answered::plain(TgError::flood(retry_after).answer());
        answered.fault = fault.filter(|f| matches!(f, Fault::Slow(_)));
        let chat_id = chat_id(body).unwrap_or_default();
        let hit = RateLimitHit {
            chat_id,
            during_penalty,
        };
        shared.with_state(|s| s.rate_limit_hits.push(hit));
        return answered;
    }
    let result = if method == "getUpdates" {
        get_updates(shared, body).await
    } else {
        shared.with_state(|s| s.call(method, body))
    };
    let reply = match result {
        Ok(result) => (StatusCode::OK, json!({ "ok": true, "result": result })),
        Err(error) => shared.refuse(method, error),
    };
    let lost = fault == Some(Fault::AnswerLost);
    if lost {
        conn.kill();
    }
    Answered {
        reply: Some(reply),
        lost,
        fault,
    }
}

/// Long polling: answers at once if updates are queued, otherwise waits for
/// one up to min(timeout, 1 s). Like Telegram, a newer `getUpdates` ends an
/// older one with 409.
async fn get_updates(shared: &Shared, body: &Value) -> Result<Value, TgError> {
    let poll = shared.with_state(|s| s.start_poll(body))?;
    shared.poll_wakeup.notify_waiters();
    let deadline = tokio::time::Instant::now() + poll.wait;
    loop {
        let wakeup = shared.poll_wakeup.notified();
        if let Some(updates) = shared.with_state(|s| s.deliverable(poll.generation, poll.limit))? {
            return Ok(updates);
        }
        if tokio::time::timeout_at(deadline, wakeup).await.is_err() {
            return Ok(json!([]));
        }
    }
}

/// Turns the body into JSON, whether it came as JSON or multipart.
async fn read_body(request: axum::extract::Request) -> Result<Value, TgError> {
    let content_type = request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    if content_type.starts_with("multipart/form-data") {
        let multipart = Multipart::from_request(request, &())
            .await
            .map_err(|e| TgError::bad_request(e.body_text()))?;
        return read_multipart(multipart).await;
    }
    let bytes = axum::body::to_bytes(request.into_body(), UPLOAD_LIMIT)
        .await
        .map_err(|e| TgError::bad_request(e.to_string()))?;
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Ok(json!({})); // e.g. getMe sent without a body
    }
    serde_json::from_slice(&bytes).map_err(|e| TgError::bad_request(format!("can't parse JSON: {e}")))
}

/// Fields whose multipart value is free text, never JSON to decode.
const FREE_TEXT_FIELDS: &[&str] = &["text", "caption", "parse_mode", "title", "description"];

async fn read_multipart(mut multipart: Multipart) -> Result<Value, TgError> {
    let mut parts = Vec::new();
    while let Some(field) = multipart.next_field().await.map_err(multipart_error)? {
        let name = field.name().unwrap_or_default().to_owned();
        let file_name = field.file_name().map(str::to_owned);
        let bytes = field.bytes().await.map_err(multipart_error)?;
        parts.push((name, file_name, bytes));
    }
    // teloxide sends `photo=attach://<id>` plus a file part named `<id>`.
    let attached: HashSet<String> = parts
        .iter()
        .filter_map(|(_, _, bytes)| std::str::from_utf8(bytes).ok()?.strip_prefix("attach://"))
        .map(str::to_owned)
        .collect();
    let mut fields = Map::new();
    let mut files = Map::new();
    for (name, file_name, bytes) in parts {
        if file_name.is_some() || attached.contains(&name) {
            let file = json!({ "file_name": file_name.unwrap_or_default(), "size": bytes.len() });
            files.insert(name, file);
        } else {
            let value = multipart_value(&name, String::from_utf8_lossy(&bytes).into_owned());
            fields.insert(name, value);
        }
    }
    for value in fields.values_mut() {
        let id = value
            .as_str()
            .and_then(|v| v.strip_prefix("attach://"))
            .map(str::to_owned);
        if let Some(file) = id.and_then(|id| files.remove(&id)) {
            *value = file;
        }
    }
    fields.extend(files); // files nobody referred to, under their part names
    Ok(Value::Object(fields))
}

fn multipart_error(error: axum::extract::multipart::MultipartError) -> TgError {
    TgError::bad_request(error.body_text())
}

/// Multipart carries every non-file field as text; structured ones
/// (`reply_markup`, numbers, booleans) are JSON-encoded.
fn multipart_value(name: &str, text: String) -> Value {
    if FREE_TEXT_FIELDS.contains(&name) {
        return Value::String(text);
    }
    serde_json::from_str(&text).unwrap_or(Value::String(text))
}
