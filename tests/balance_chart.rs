//! The balance chart, decoded: a PNG of the expected size whose bars show the member's stored
//! weekly mix, and a chart that says so when there is nothing to show.

mod support;

use chrono::Duration;
use mentorbot::content::Mode;
use mentorbot::mentor::chart::{HEIGHT, LEADERSHIP, MANAGEMENT, WIDTH};
use mentorbot::mentor::{Command, MemberRef, Reply};
use support::{member, test_mentor};

fn decode(png_bytes: &[u8]) -> (u32, u32, Vec<u8>) {
    let decoder = png::Decoder::new(std::io::Cursor::new(png_bytes));
    let mut reader = decoder.read_info().expect("a PNG");
    let mut pixels = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut pixels).expect("a frame");
    assert_eq!(info.color_type, png::ColorType::Rgb);
    pixels.truncate(info.buffer_size());
    (info.width, info.height, pixels)
}

/// The rows above the plot hold the title and the legend's colour swatches.
const HEADER_ROWS: u32 = 64;

/// For each bar, left to right: (management pixels, leadership pixels) in its middle column.
fn bars(width: u32, height: u32, pixels: &[u8]) -> Vec<(usize, usize)> {
    let colour = |x: u32, y: u32| {
        let at = ((y * width + x) * 3) as usize;
        (pixels[at], pixels[at + 1], pixels[at + 2])
    };
    let blue = (MANAGEMENT.0, MANAGEMENT.1, MANAGEMENT.2);
    let orange = (LEADERSHIP.0, LEADERSHIP.1, LEADERSHIP.2);
    let in_bar: Vec<bool> = (0..width)
        .map(|x| (HEADER_ROWS..height).any(|y| colour(x, y) == blue || colour(x, y) == orange))
        .collect();
    let mut runs = Vec::new();
    let mut start = None;
    for x in 0..=width as usize {
        match (start, in_bar.get(x).copied().unwrap_or(false)) {
            (None, true) => start = Some(x),
            (Some(from), false) => {
                if x - from > 12 {
                    runs.push((from + x) / 2);
                }
                start = None;
            }
            _ => {}
        }
    }
    runs.into_iter()
        .map(|x| {
            let count = |wanted| {
                (HEADER_ROWS..height)
                    .filter(|y| colour(x as u32, *y) == wanted)
                    .count()
            };
            (count(blue), count(orange))
        })
        .collect()
}

async fn reflect(t: &support::TestMentor, who: &MemberRef, mode: Mode) {
    let command = Command::Reflect {
        text: Some("a week's note".into()),
        mode: Some(mode),
    };
    t.mentor.handle(who, command).await.expect("saved");
}

fn chart(reply: &Reply) -> &[u8] {
    let file = reply.attachment.as_ref().expect("a chart");
    assert_eq!(file.content_type, "image/png");
    assert!(file.filename.ends_with(".png"));
    &file.data
}

#[tokio::test]
async fn the_bars_show_the_stored_weekly_mix() {
    let t = test_mentor().await;
    let ana = member("ana");
    // Three weeks ago: 3 management, 1 leadership. Last week: 1 and 1. This week: 0 and 2.
    let now = support::start_time();
    t.clock.set(now - Duration::weeks(3));
    for mode in [
        Mode::Management,
        Mode::Management,
        Mode::Management,
        Mode::Leadership,
    ] {
        reflect(&t, &ana, mode).await;
    }
    t.clock.set(now - Duration::weeks(1));
    reflect(&t, &ana, Mode::Management).await;
    reflect(&t, &ana, Mode::Leadership).await;
    t.clock.set(now);
    reflect(&t, &ana, Mode::Leadership).await;
    reflect(&t, &ana, Mode::Leadership).await;
    let reply = t
        .mentor
        .handle(&ana, Command::Balance)
        .await
        .expect("balance");
    assert!(
        !reply.text.is_empty(),
        "the text answer stays for screen readers"
    );
    let (width, height, pixels) = decode(chart(&reply));
    assert_eq!((width, height), (WIDTH, HEIGHT));
    let bars = bars(width, height, &pixels);
    assert_eq!(bars.len(), 3, "one bar per week with entries: {bars:?}");
    let shares: Vec<f64> = bars
        .iter()
        .map(|(blue, orange)| *blue as f64 / (*blue + *orange) as f64)
        .collect();
    for (share, expected) in shares.iter().zip([0.75, 0.5, 0.0]) {
        assert!(
            (share - expected).abs() < 0.03,
            "management share {share:.3}, expected {expected}: {bars:?}"
        );
    }
}

#[tokio::test]
async fn a_member_without_reflections_gets_a_chart_that_says_so() {
    let t = test_mentor().await;
    let reply = t
        .mentor
        .handle(&member("new"), Command::Balance)
        .await
        .expect("balance");
    let (width, height, pixels) = decode(chart(&reply));
    assert_eq!((width, height), (WIDTH, HEIGHT));
    assert!(bars(width, height, &pixels).is_empty(), "no bars");
    let dark = pixels
        .chunks(3)
        .filter(|p| p.iter().all(|channel| *channel < 80))
        .count();
    assert!(
        dark > 500,
        "the chart carries text saying why it is empty: {dark}"
    );
    assert!(reply.text.contains("No reflections"), "{}", reply.text);
}

/// The background (title, legend, axes) is drawn once and then copied from what was kept: a
/// chart made from the kept background is the same picture, pixel for pixel, and bars left by
/// an earlier chart never show through.
#[test]
fn a_chart_from_the_kept_background_is_the_same_picture() {
    use mentorbot::mentor::chart::{Week, balance_png};
    let weeks = |shares: &[(u32, u32)]| -> Vec<Week> {
        shares
            .iter()
            .enumerate()
            .map(|(i, &(management, leadership))| Week {
                label: format!("W{i}"),
                management,
                leadership,
            })
            .collect()
    };
    let full = weeks(&[(3, 1); 12]);
    let sparse = weeks(&[
        (0, 0),
        (0, 0),
        (0, 0),
        (0, 0),
        (0, 0),
        (0, 0),
        (0, 0),
        (0, 0),
        (0, 0),
        (0, 0),
        (0, 0),
        (1, 1),
    ]);
    let drawn = decode(&balance_png(&sparse, 70, "Senior PM").expect("drawn"));
    // A chart with twelve bars in between, on the same background.
    let busy = decode(&balance_png(&full, 70, "Senior PM").expect("drawn"));
    let copied = decode(&balance_png(&sparse, 70, "Senior PM").expect("drawn"));
    assert_eq!(drawn, copied);
    assert_eq!(bars(busy.0, busy.1, &busy.2).len(), 12);
    assert_eq!(bars(copied.0, copied.1, &copied.2).len(), 1);
}
