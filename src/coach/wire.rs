//! The OpenAI chat-completions wire format as the servers teams run actually speak it:
//! Ollama, llama.cpp's `llama-server`, vLLM and LocalAI. Each differs a little in how it
//! reports errors and ends a stream; this file reads them all.

use serde_json::{Value, json};

/// One chat-completions request. `temperature` and `top_p` are always sent, since servers
/// default differently, and `max_tokens` is always bounded.
pub fn request_body(
    model: &str,
    system: &str,
    user: &str,
    max_tokens: u32,
    temperature: f32,
) -> Value {
    json!({
        "model": model,
        "messages": [
            {"role": "system", "content": system},
            {"role": "user", "content": user},
        ],
        "max_tokens": max_tokens,
        "temperature": temperature,
        "top_p": 0.9,
        "stream": true,
    })
}

/// What a finished answer carried, however it came (one JSON body or a stream).
#[derive(Debug, Default, PartialEq)]
pub struct Completion {
    pub text: String,
    pub finish_reason: Option<String>,
    pub prompt_tokens: Option<i64>,
    pub completion_tokens: Option<i64>,
}

/// An error a server reported, in any of the shapes they use:
/// `{"error":{"message":…,"code":<int or null>}}` (OpenAI, vLLM, llama.cpp),
/// `{"error":"…"}` (Ollama) or `{"object":"error","message":…,"code":…}` (older vLLM).
pub fn error_message(body: &Value) -> Option<String> {
    match body.get("error") {
        Some(Value::String(message)) => return Some(message.clone()),
        Some(Value::Object(error)) => {
            let message = error.get("message").and_then(Value::as_str).unwrap_or("");
            return Some(message.to_string());
        }
        _ => {}
    }
    if body.get("object").and_then(Value::as_str) == Some("error") {
        let message = body.get("message").and_then(Value::as_str).unwrap_or("");
        return Some(message.to_string());
    }
    None
}

/// True when an error says the prompt is longer than the model's context window.
pub fn is_context_length(message: &str) -> bool {
    let message = message.to_lowercase();
    [
        "context length",
        "context_length",
        "context window",
        "too many tokens",
        "exceeds the available context",
        "maximum context",
    ]
    .iter()
    .any(|sign| message.contains(sign))
}

/// A whole (non-streamed) answer; some servers ignore `stream` and send one.
pub fn read_whole(body: &Value) -> Result<Completion, String> {
    // The server's own words are not kept: some echo the prompt, and failures are logged.
    if error_message(body).is_some() {
        return Err("an error object in a 200 answer".into());
    }
    let choice = body
        .get("choices")
        .and_then(|choices| choices.get(0))
        .ok_or("an answer without choices")?;
    let text = choice
        .get("message")
        .and_then(|message| message.get("content"))
        .and_then(Value::as_str)
        .unwrap_or("")
        .to_string();
    let mut completion = Completion {
        text,
        finish_reason: finish_reason(choice),
        ..Completion::default()
    };
    read_usage(body, &mut completion);
    if completion.finish_reason.is_none() {
        return Err("an answer without a finish_reason".into());
    }
    Ok(completion)
}

fn finish_reason(choice: &Value) -> Option<String> {
    choice
        .get("finish_reason")
        .and_then(Value::as_str)
        .map(str::to_string)
}

fn read_usage(body: &Value, completion: &mut Completion) {
    if let Some(usage) = body.get("usage") {
        completion.prompt_tokens = usage.get("prompt_tokens").and_then(Value::as_i64);
        completion.completion_tokens = usage.get("completion_tokens").and_then(Value::as_i64);
    }
}

/// Reads a server-sent-events stream one chunk at a time: `data:` lines carry JSON chunks,
/// lines starting with `:` are keep-alive comments, `data: [DONE]` ends it. Only `content`
/// is kept: `reasoning` and `reasoning_content` (a thinking model's notes) are never read.
#[derive(Debug, Default)]
pub struct Stream {
    pending: Vec<u8>,
    completion: Completion,
    done: bool,
}

impl Stream {
    /// Feeds bytes as they arrive; an error inside the stream ends it as a failure.
    pub fn feed(&mut self, bytes: &[u8]) -> Result<(), String> {
        self.pending.extend_from_slice(bytes);
        while let Some(end) = self.pending.iter().position(|b| *b == b'\n') {
            let line: Vec<u8> = self.pending.drain(..=end).collect();
            let line = String::from_utf8_lossy(&line);
            self.line(line.trim_end_matches(['\r', '\n']))?;
        }
        Ok(())
    }

    fn line(&mut self, line: &str) -> Result<(), String> {
        if self.done || line.is_empty() || line.starts_with(':') {
            return Ok(());
        }
        let Some(data) = line.strip_prefix("data:") else {
            // `event:`, `id:` and `retry:` fields carry nothing we need.
            return Ok(());
        };
        let data = data.trim();
        if data == "[DONE]" {
            self.done = true;
            return Ok(());
        }
        let chunk: Value = serde_json::from_str(data)
            .map_err(|_| "a stream chunk that is not JSON".to_string())?;
        if error_message(&chunk).is_some() {
            return Err("an error inside the stream".into());
        }
        read_usage(&chunk, &mut self.completion);
        let Some(choice) = chunk.get("choices").and_then(|choices| choices.get(0)) else {
            return Ok(());
        };
        if let Some(piece) = choice
            .get("delta")
            .and_then(|delta| delta.get("content"))
            .and_then(Value::as_str)
        {
            self.completion.text.push_str(piece);
        }
        if let Some(reason) = finish_reason(choice) {
            self.completion.finish_reason = Some(reason);
        }
        Ok(())
    }

    /// The answer once the stream has closed. A stream that ends without a `finish_reason`
    /// was cut off (a crashed server, a dropped connection) and counts as a failure.
    pub fn finish(mut self) -> Result<Completion, String> {
        if !self.pending.is_empty() {
            let rest = String::from_utf8_lossy(&std::mem::take(&mut self.pending)).to_string();
            self.line(rest.trim_end())?;
        }
        if self.completion.finish_reason.is_none() {
            return Err("the stream ended without a finish_reason".into());
        }
        Ok(self.completion)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_error_shape_is_read() {
        let shapes = [
            json!({"error": {"message": "model not found", "code": 404}}),
            json!({"error": {"message": "model not found", "code": null}}),
            json!({"error": "model not found"}),
            json!({"object": "error", "message": "model not found", "code": 40401}),
        ];
        for body in shapes {
            assert_eq!(error_message(&body).as_deref(), Some("model not found"));
        }
        assert_eq!(error_message(&json!({"choices": []})), None);
    }

    #[test]
    fn a_stream_keeps_content_and_skips_comments_and_reasoning() {
        let mut stream = Stream::default();
        let sse = concat!(
            ": keep-alive\n\n",
            "data: {\"choices\":[{\"delta\":{\"reasoning_content\":\"secret plan\"}}]}\n\n",
            "data: {\"choices\":[{\"delta\":{\"content\":\"What \"}}]}\r\n\r\n",
            "data: {\"choices\":[{\"delta\":{\"content\":\"next?\"},\"finish_reason\":\"stop\"}]}\n\n",
            "data: [DONE]\n\n"
        );
        // Bytes arrive in arbitrary pieces, splitting lines and characters.
        for piece in sse.as_bytes().chunks(7) {
            stream.feed(piece).expect("feeds");
        }
        let completion = stream.finish().expect("a complete stream");
        assert_eq!(completion.text, "What next?");
        assert_eq!(completion.finish_reason.as_deref(), Some("stop"));
    }

    #[test]
    fn a_cut_stream_and_an_error_inside_one_fail() {
        let mut cut = Stream::default();
        cut.feed(b"data: {\"choices\":[{\"delta\":{\"content\":\"half\"}}]}\n\n")
            .expect("feeds");
        assert!(cut.finish().is_err());
        let mut failed = Stream::default();
        let error =
            failed.feed(b"data: {\"error\":{\"message\":\"out of memory\",\"code\":500}}\n");
        assert_eq!(error, Err("an error inside the stream".to_string()));
    }

    #[test]
    fn context_length_errors_are_recognised() {
        assert!(is_context_length(
            "This model's maximum context length is 4096 tokens"
        ));
        assert!(is_context_length(
            "the request exceeds the available context size"
        ));
        assert!(!is_context_length("model is loading"));
    }
}
