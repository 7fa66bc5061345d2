//! Reading a model server's answer: a stream or one body, each bounded in size, each
//! server's error shape and status sorted into a [`Failure`].

use super::{Failure, wire};

/// The largest answer body read; anything longer is refused, not buffered.
const MAX_BODY_BYTES: usize = 256 * 1024;

pub(super) async fn read_completion(
    response: reqwest::Response,
) -> Result<wire::Completion, Failure> {
    let status = response.status();
    if status.is_redirection() {
        return Err(Failure::Redirect);
    }
    let streamed = response
        .headers()
        .get(reqwest::header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.starts_with("text/event-stream"));
    if status.is_success() && streamed {
        return read_stream(response).await;
    }
    let body = read_body(response).await?;
    let parsed: Option<serde_json::Value> = serde_json::from_slice(&body).ok();
    if !status.is_success() {
        let message = parsed
            .as_ref()
            .and_then(wire::error_message)
            .unwrap_or_default();
        return Err(match status.as_u16() {
            503 => Failure::Loading,
            400 | 413 if wire::is_context_length(&message) => Failure::ContextTooLong,
            code => Failure::Status(code),
        });
    }
    let parsed = parsed.ok_or_else(|| Failure::Garbage("a body that is not JSON".into()))?;
    wire::read_whole(&parsed).map_err(Failure::Garbage)
}

async fn read_stream(mut response: reqwest::Response) -> Result<wire::Completion, Failure> {
    let mut stream = wire::Stream::default();
    let mut read = 0;
    while let Some(chunk) = response.chunk().await.map_err(|_| {
        Failure::Garbage("the connection dropped in the middle of the answer".into())
    })? {
        read += chunk.len();
        if read > MAX_BODY_BYTES {
            return Err(Failure::Garbage("an answer longer than 256 KiB".into()));
        }
        stream.feed(&chunk).map_err(Failure::Garbage)?;
    }
    stream.finish().map_err(Failure::Garbage)
}

pub(super) async fn read_body(mut response: reqwest::Response) -> Result<Vec<u8>, Failure> {
    let mut body = Vec::new();
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|_| Failure::Garbage("the connection dropped while reading".into()))?
    {
        if body.len() + chunk.len() > MAX_BODY_BYTES {
            return Err(Failure::Garbage("an answer longer than 256 KiB".into()));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}
