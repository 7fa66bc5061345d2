//! The balance chart: a member's weekly mix of management and leadership work over the last
//! twelve weeks, against their stage's target, as a PNG. Blue and orange from the Okabe-Ito
//! palette stay distinct for colour-blind readers; the text answer stays for screen readers.

use std::sync::{Mutex, OnceLock};

use plotters::coord::types::RangedCoordf64;
use plotters::prelude::*;
use plotters::style::{FontStyle, register_font};

pub const WIDTH: u32 = 720;
pub const HEIGHT: u32 = 360;
pub const WEEKS: usize = 12;
/// Management (Okabe-Ito blue).
pub const MANAGEMENT: RGBColor = RGBColor(0, 114, 178);
/// Leadership (Okabe-Ito orange).
pub const LEADERSHIP: RGBColor = RGBColor(230, 159, 0);
const TARGET: RGBColor = RGBColor(0, 0, 0);
const GRID: RGBColor = RGBColor(225, 225, 225);
const FONT: &str = "sans-serif";

/// One week: its label and how many reflections of each hat.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Week {
    pub label: String,
    pub management: u32,
    pub leadership: u32,
}

/// The chart as PNG bytes. `target_management` is the stage's share of management work, in
/// percent; `stage` names it in the legend.
pub fn balance_png(weeks: &[Week], target_management: u8, stage: &str) -> anyhow::Result<Vec<u8>> {
    register_font_once()?;
    let mut studio = lock(&STUDIO);
    let Studio { canvas, kept } = &mut *studio;
    canvas.resize((WIDTH * HEIGHT * 3) as usize, 255);
    let empty = weeks.iter().all(|w| w.management + w.leadership == 0);
    background(canvas, kept, weeks, target_management, stage, empty)?;
    if !empty {
        draw_bars(canvas, weeks, target_management)?;
    }
    encode(canvas)
}

/// One canvas, reused, and the backgrounds drawn lately. A fresh 760 KB picture per chart left
/// that much behind in the allocator of each thread that drew one. Charts take turns: each is
/// drawn and encoded in about a millisecond.
struct Studio {
    canvas: Vec<u8>,
    kept: Vec<(String, Vec<Run>)>,
}

static STUDIO: Mutex<Studio> = Mutex::new(Studio {
    canvas: Vec::new(),
    kept: Vec::new(),
});

/// Backgrounds drawn lately, so most charts only draw their bars: the text is the slow part.
const BACKGROUNDS_KEPT: usize = 16;

/// A stretch of pixels of one colour, left to right and row after row. A background is mostly
/// white, so kept as runs it takes a fraction of its 760 KB.
#[derive(Clone, Copy)]
struct Run {
    length: u32,
    colour: [u8; 3],
}

/// Draws on `pixels` the title, legend, axes and week labels (or the empty-chart note) for these
/// labels and this stage: drawn once, then copied from the kept runs.
fn background(
    pixels: &mut [u8],
    kept: &mut Vec<(String, Vec<Run>)>,
    weeks: &[Week],
    target: u8,
    stage: &str,
    empty: bool,
) -> anyhow::Result<()> {
    let labels: Vec<&str> = weeks.iter().map(|w| w.label.as_str()).collect();
    let key = format!("{stage}|{target}|{empty}|{}", labels.join(","));
    if let Some((_, runs)) = kept.iter().find(|(k, _)| *k == key) {
        paint_runs(pixels, runs);
        return Ok(());
    }
    draw_background(pixels, weeks, target, stage, empty)?;
    if kept.len() >= BACKGROUNDS_KEPT {
        kept.remove(0);
    }
    kept.push((key, runs_of(pixels)));
    Ok(())
}

/// A lock that a panic while it was held (a drawing error) does not make unusable: the
/// canvas is drawn afresh each time and the kept backgrounds are only ever replaced whole.
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn runs_of(pixels: &[u8]) -> Vec<Run> {
    let mut runs: Vec<Run> = Vec::new();
    for pixel in pixels.chunks_exact(3) {
        let colour = [pixel[0], pixel[1], pixel[2]];
        match runs.last_mut() {
            Some(run) if run.colour == colour => run.length += 1,
            _ => runs.push(Run { length: 1, colour }),
        }
    }
    runs.shrink_to_fit();
    runs
}

fn paint_runs(pixels: &mut [u8], runs: &[Run]) {
    let mut at = 0;
    for run in runs {
        let end = at + 3 * run.length as usize;
        let Some(stretch) = pixels.get_mut(at..end) else {
            return;
        };
        match run.colour {
            // White and the greys of the text: one byte repeated, the fastest fill there is.
            [r, g, b] if r == g && g == b => stretch.fill(r),
            colour => stretch
                .chunks_exact_mut(3)
                .for_each(|pixel| pixel.copy_from_slice(&colour)),
        }
        at = end;
    }
}

fn register_font_once() -> anyhow::Result<()> {
    static REGISTERED: OnceLock<bool> = OnceLock::new();
    let ok = *REGISTERED.get_or_init(|| {
        let font: &'static [u8] = include_bytes!("../../assets/DejaVuSans.ttf");
        register_font(FONT, FontStyle::Normal, font).is_ok()
    });
    anyhow::ensure!(ok, "the chart font could not be loaded");
    Ok(())
}

/// The plot's coordinates on a picture: the same layout for the background and the bars.
fn plot_area<'a>(
    root: &DrawingArea<BitMapBackend<'a>, plotters::coord::Shift>,
) -> anyhow::Result<ChartContext<'a, BitMapBackend<'a>, Cartesian2d<RangedCoordf64, RangedCoordf64>>>
{
    let (_, body) = root.split_vertically(HEADER_HEIGHT);
    ChartBuilder::on(&body)
        .margin_left(12)
        .margin_right(18)
        .margin_bottom(6)
        .x_label_area_size(26)
        .y_label_area_size(52)
        .build_cartesian_2d(0_f64..WEEKS as f64, 0_f64..100_f64)
        .map_err(plot_error)
}

const HEADER_HEIGHT: u32 = 62;

fn draw_background(
    pixels: &mut [u8],
    weeks: &[Week],
    target: u8,
    stage: &str,
    empty: bool,
) -> anyhow::Result<()> {
    let root = BitMapBackend::with_buffer(pixels, (WIDTH, HEIGHT)).into_drawing_area();
    root.fill(&WHITE).map_err(plot_error)?;
    let (header, _) = root.split_vertically(HEADER_HEIGHT);
    draw_header(&header, target, stage)?;
    let mut chart = plot_area(&root)?;
    chart
        .configure_mesh()
        .disable_x_mesh()
        .x_labels(0)
        .y_labels(5)
        .max_light_lines(0)
        .bold_line_style(GRID)
        .y_label_formatter(&|share| format!("{share:.0}%"))
        .label_style((FONT, 12))
        .draw()
        .map_err(plot_error)?;
    for (index, week) in weeks.iter().enumerate().filter(|(i, _)| i % 2 == 1) {
        let (x, y) = chart.backend_coord(&(index as f64 + 0.5, 0.0));
        let label = Text::new(week.label.clone(), (x - 18, y + 6), (FONT, 12).into_font());
        root.draw(&label).map_err(plot_error)?;
    }
    if empty {
        let (x, y) = chart.backend_coord(&(WEEKS as f64 / 2.0, 55.0));
        let note = Text::new(
            "No reflections in these 12 weeks yet",
            (x - 170, y),
            (FONT, 20).into_font().color(&BLACK),
        );
        root.draw(&note).map_err(plot_error)?;
    }
    root.present().map_err(plot_error)
}

/// Each week's bar, management below and leadership above, and the target line over them.
fn draw_bars(pixels: &mut [u8], weeks: &[Week], target: u8) -> anyhow::Result<()> {
    let root = BitMapBackend::with_buffer(pixels, (WIDTH, HEIGHT)).into_drawing_area();
    let mut chart = plot_area(&root)?;
    for (index, week) in weeks.iter().enumerate() {
        let total = week.management + week.leadership;
        if total == 0 {
            continue;
        }
        let share = 100.0 * f64::from(week.management) / f64::from(total);
        let (left, right) = (index as f64 + 0.15, index as f64 + 0.85);
        chart
            .draw_series([
                Rectangle::new([(left, 0.0), (right, share)], MANAGEMENT.filled()),
                Rectangle::new([(left, share), (right, 100.0)], LEADERSHIP.filled()),
            ])
            .map_err(plot_error)?;
    }
    let target = f64::from(target);
    chart
        .draw_series(DashedLineSeries::new(
            [(0.0, target), (WEEKS as f64, target)],
            6,
            4,
            TARGET.stroke_width(2),
        ))
        .map_err(plot_error)?;
    root.present().map_err(plot_error)
}

/// The title and the legend, above the bars so nothing covers them.
fn draw_header(
    area: &DrawingArea<BitMapBackend<'_>, plotters::coord::Shift>,
    target: u8,
    stage: &str,
) -> anyhow::Result<()> {
    let title = "Management and leadership, week by week (last 12 weeks)";
    area.draw(&Text::new(title, (14, 8), (FONT, 18).into_font()))
        .map_err(plot_error)?;
    let label = (FONT, 13).into_font();
    let y = 42;
    area.draw(&Rectangle::new(
        [(14, y - 6), (28, y + 6)],
        MANAGEMENT.filled(),
    ))
    .map_err(plot_error)?;
    area.draw(&Text::new("management (below)", (34, y - 7), label.clone()))
        .map_err(plot_error)?;
    area.draw(&Rectangle::new(
        [(170, y - 6), (184, y + 6)],
        LEADERSHIP.filled(),
    ))
    .map_err(plot_error)?;
    area.draw(&Text::new(
        "leadership (above)",
        (190, y - 7),
        label.clone(),
    ))
    .map_err(plot_error)?;
    area.draw(&PathElement::new(
        [(322, y), (346, y)],
        TARGET.stroke_width(2),
    ))
    .map_err(plot_error)?;
    let target_label = format!("target for {stage}: {target}% management");
    area.draw(&Text::new(target_label, (352, y - 7), label))
        .map_err(plot_error)?;
    Ok(())
}

fn plot_error(error: impl std::fmt::Display) -> anyhow::Error {
    anyhow::anyhow!("drawing the balance chart: {error}")
}

fn encode(pixels: &[u8]) -> anyhow::Result<Vec<u8>> {
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, WIDTH, HEIGHT);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::Fast);
    let mut writer = encoder.write_header()?;
    writer.write_image_data(pixels)?;
    writer.finish()?;
    Ok(out)
}
