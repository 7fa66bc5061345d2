//! Reading one line of input without ever holding more than a set number of bytes of it.

use tokio::io::{AsyncBufRead, AsyncBufReadExt};

/// What [`read_line`] found.
#[derive(Debug, PartialEq, Eq)]
pub enum Line {
    /// A whole line is in the buffer (without its newline).
    Complete,
    /// The line was longer than the limit; it was read to its end and thrown away.
    TooLong,
    /// No more input.
    End,
}

/// Reads up to the next newline into `line`, keeping at most `max` bytes. Cancel-safe: the
/// only await is on `fill_buf`, and what was read before stays in `line`, so a cancelled call
/// can simply be made again.
pub async fn read_line<R>(input: &mut R, line: &mut Vec<u8>, max: usize) -> std::io::Result<Line>
where
    R: AsyncBufRead + Unpin,
{
    loop {
        let available = input.fill_buf().await?;
        if available.is_empty() {
            return Ok(match (line.is_empty(), line.len() > max) {
                (true, _) => Line::End,
                (false, true) => Line::TooLong,
                (false, false) => Line::Complete,
            });
        }
        let (chunk, found_end) = match available.iter().position(|b| *b == b'\n') {
            Some(end) => (&available[..end], true),
            None => (available, false),
        };
        // Past the limit, keep one byte more than `max` as the mark of a line too long.
        let room = (max + 1).saturating_sub(line.len());
        line.extend_from_slice(&chunk[..chunk.len().min(room)]);
        let used = chunk.len() + usize::from(found_end);
        input.consume(used);
        if found_end {
            return Ok(if line.len() > max {
                Line::TooLong
            } else {
                Line::Complete
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    async fn lines(input: &[u8], max: usize) -> Vec<(Line, Vec<u8>)> {
        let mut reader = tokio::io::BufReader::with_capacity(4, input);
        let mut out = Vec::new();
        loop {
            let mut line = Vec::new();
            let read = read_line(&mut reader, &mut line, max).await.expect("read");
            if read == Line::End {
                return out;
            }
            out.push((read, line));
        }
    }

    #[tokio::test]
    async fn lines_are_split_and_long_ones_are_skipped_whole() {
        let read = lines(b"short\nthis one is too long\nok\nlast", 8).await;
        let kinds: Vec<&Line> = read.iter().map(|(kind, _)| kind).collect();
        assert_eq!(
            kinds,
            [
                &Line::Complete,
                &Line::TooLong,
                &Line::Complete,
                &Line::Complete
            ]
        );
        assert_eq!(read[0].1, b"short");
        assert!(read[1].1.len() <= 9, "never more than the limit held");
        assert_eq!(read[2].1, b"ok");
        assert_eq!(read[3].1, b"last");
    }
}
