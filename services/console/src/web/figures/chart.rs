//! Bar charts drawn on the server as SVG, so they show without JavaScript. A chart is a
//! picture of figures the page also gives as a table: it is one image with a short text
//! alternative that points to the table, and its colours are the Design System's, each
//! series also named in a legend.

use std::fmt::Write;

/// The Design System's colours that keep 3:1 contrast with white, for the series in turn.
const COLOURS: [&str; 6] = [
    "#1d70b8", "#00703c", "#4c2c92", "#d4351c", "#505a5f", "#912b88",
];

const WIDTH: u32 = 640;
const PLOT_HEIGHT: u32 = 220;
const LEFT: u32 = 56;
const TOP: u32 = 12;
const LABELS: u32 = 40;
const LEGEND_ROW: u32 = 22;

/// Columns, one for each category (a week, say), each a stack of the series' values.
pub struct StackedBars {
    /// What the chart shows, for its text alternative.
    pub alt: String,
    /// Each category's label, on two lines if it has a line break.
    pub categories: Vec<String>,
    /// Each series' name and its value for each category, in the categories' order.
    pub series: Vec<(String, Vec<i64>)>,
}

fn escape(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// A round step for the value axis, so that about four lines span `max`.
fn step(max: i64) -> i64 {
    let rough = (max.max(1) as f64 / 4.0).ceil();
    let magnitude = 10f64.powi(rough.log10().floor() as i32);
    let step = [1.0, 2.0, 5.0, 10.0]
        .into_iter()
        .map(|m| m * magnitude)
        .find(|s| *s >= rough)
        .unwrap_or(rough);
    step.max(1.0) as i64
}

impl StackedBars {
    /// The tallest stack.
    fn max(&self) -> i64 {
        (0..self.categories.len())
            .map(|i| {
                self.series
                    .iter()
                    .map(|(_, v)| v.get(i).copied().unwrap_or(0).max(0))
                    .sum::<i64>()
            })
            .max()
            .unwrap_or(0)
    }

    pub fn svg(&self) -> String {
        let step = step(self.max());
        let lines = (self.max() + step - 1) / step;
        let top_value = (lines.max(1) * step) as f64;
        let legend_rows = self.series.len().div_ceil(2) as u32;
        let height = TOP + PLOT_HEIGHT + LABELS + legend_rows * LEGEND_ROW;
        let mut svg = String::new();
        let _ = write!(
            svg,
            r#"<svg class="app-chart" viewBox="0 0 {WIDTH} {height}" width="100%" role="img" aria-label="{}" xmlns="http://www.w3.org/2000/svg" font-family="GDS Transport, arial, sans-serif" font-size="14">"#,
            escape(&self.alt)
        );
        let y = |value: f64| TOP as f64 + PLOT_HEIGHT as f64 * (1.0 - value / top_value);
        for line in 0..=lines.max(1) {
            let value = line * step;
            let at = y(value as f64);
            let _ = write!(
                svg,
                r##"<line x1="{LEFT}" x2="{WIDTH}" y1="{at:.1}" y2="{at:.1}" stroke="#b1b4b6" stroke-width="1"/><text x="{}" y="{:.1}" text-anchor="end" fill="#0b0c0c">{value}</text>"##,
                LEFT - 6,
                at + 5.0
            );
        }
        let slot = (WIDTH - LEFT) as f64 / self.categories.len().max(1) as f64;
        let bar = slot * 0.6;
        for (i, category) in self.categories.iter().enumerate() {
            let x = LEFT as f64 + slot * i as f64 + (slot - bar) / 2.0;
            let mut base = 0.0;
            for (s, (_, values)) in self.series.iter().enumerate() {
                let value = values.get(i).copied().unwrap_or(0).max(0) as f64;
                if value > 0.0 {
                    let (from, to) = (y(base), y(base + value));
                    let _ = write!(
                        svg,
                        r#"<rect x="{x:.1}" y="{to:.1}" width="{bar:.1}" height="{:.1}" fill="{}"/>"#,
                        from - to,
                        COLOURS[s % COLOURS.len()]
                    );
                }
                base += value;
            }
            // A label's second line goes under its first, so long labels do not run together.
            let centre = x + bar / 2.0;
            let _ = write!(
                svg,
                r##"<text x="{centre:.1}" y="{}" text-anchor="middle" fill="#0b0c0c" font-size="12">"##,
                TOP + PLOT_HEIGHT + 18,
            );
            for (l, line) in category.lines().enumerate() {
                let dy = if l == 0 { 0 } else { 14 };
                let _ = write!(
                    svg,
                    r#"<tspan x="{centre:.1}" dy="{dy}">{}</tspan>"#,
                    escape(line)
                );
            }
            svg.push_str("</text>");
        }
        for (s, (name, _)) in self.series.iter().enumerate() {
            let (column, row) = (s as u32 % 2, s as u32 / 2);
            let (x, y) = (
                LEFT + column * (WIDTH - LEFT) / 2,
                TOP + PLOT_HEIGHT + LABELS + row * LEGEND_ROW,
            );
            let _ = write!(
                svg,
                r##"<rect x="{x}" y="{y}" width="14" height="14" fill="{}"/><text x="{}" y="{}" fill="#0b0c0c">{}</text>"##,
                COLOURS[s % COLOURS.len()],
                x + 20,
                y + 12,
                escape(name)
            );
        }
        svg.push_str("</svg>");
        svg
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_axis_steps_are_round() {
        assert_eq!(step(0), 1);
        assert_eq!(step(7), 2);
        assert_eq!(step(130), 50);
        assert_eq!(step(132_000), 50_000);
    }

    #[test]
    fn a_chart_draws_a_bar_for_each_value_above_nothing_and_escapes_its_words() {
        let chart = StackedBars {
            alt: "Households <by> type".into(),
            categories: vec!["1 Dec".into(), "8 Dec".into()],
            series: vec![("B&B".into(), vec![3, 0]), ("Hostel".into(), vec![2, 5])],
        };
        let svg = chart.svg();
        assert_eq!(
            svg.matches("<rect x=\"").count(),
            3 + 2,
            "three bars and two keys"
        );
        assert!(svg.contains("aria-label=\"Households &lt;by&gt; type\""));
        assert!(svg.contains(">B&amp;B</text>"));
    }

    #[test]
    fn a_label_with_a_line_break_is_drawn_on_two_lines() {
        let chart = StackedBars {
            alt: "Lets".into(),
            categories: vec!["Jan\n2026".into()],
            series: vec![("Lets".into(), vec![1])],
        };
        assert!(chart.svg().contains(
            r#"<tspan x="348.0" dy="0">Jan</tspan><tspan x="348.0" dy="14">2026</tspan>"#
        ));
    }
}
