//! Bring your own workload: a Mandelbrot set, measured by `speedup` from a
//! crate of its own.
//!
//! Everything the harness needs is here: the parameters (a struct that is
//! also the command line's flags), the chunks (blocks of image rows), what
//! one chunk computes (each pixel's escape count), the merge (rows in
//! order) and a checksum of every bit of the result. `main.rs` then names
//! the program's workloads and hands over to `speedup::cli::main`, which
//! gives `run`, `sweep` and `report` under every strategy, child processes
//! included: a process worker is this very program started again, and it
//! finds `mandelbrot` in the same list.
//!
//! What a student should notice: the rows near the middle of the image,
//! where the set itself lies, cost up to `max_iter` steps a pixel; the rows
//! at the top and bottom escape within a few. Static blocks therefore load
//! the middle workers more: compare `--schedule static` and `dynamic`.

use serde::{Deserialize, Serialize};
use speedup::seeds::ChunkRng;
use speedup::{Checksum, Outcome, Result, Workload, bail};

speedup::workload_set! {
    /// The workloads of this program: its own, and the library's
    /// integration study beside it (any mix will do).
    pub enum Workloads {
        /// A Mandelbrot set image, rows in chunks: an uneven load (your own workload)
        Mandelbrot => Mandelbrot,
        /// Random-interval integration of 1/(1+x²) (the library's workload)
        Integration => speedup::workloads::integration::Integration,
    }
}

/// The image: `width` × `height` pixels over the complex plane from
/// (-2.5, -1.25) to (1.0, 1.25), `rows` rows a chunk.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, clap::Args)]
pub struct Mandelbrot {
    /// Pixels across
    #[arg(long, default_value_t = Mandelbrot::default().width)]
    pub width: usize,
    /// Pixels down
    #[arg(long, default_value_t = Mandelbrot::default().height)]
    pub height: usize,
    /// The most iterations a pixel may take before it counts as inside the set
    #[arg(long, default_value_t = Mandelbrot::default().max_iter)]
    pub max_iter: u32,
    /// Image rows in one chunk
    #[arg(long, default_value_t = Mandelbrot::default().rows)]
    pub rows: usize,
}

impl Default for Mandelbrot {
    fn default() -> Self {
        Mandelbrot {
            width: 800,
            height: 600,
            max_iter: 500,
            rows: 10,
        }
    }
}

impl Workload for Mandelbrot {
    const NAME: &'static str = "mandelbrot";
    /// Escape counts of the chunk's pixels, row after row.
    type Part = Vec<u32>;
    type Output = Image;

    fn validate(&self) -> Result<()> {
        if self.width == 0 || self.height == 0 {
            bail!("--width and --height must be at least 1");
        }
        if self.rows == 0 {
            bail!("--rows must be at least 1");
        }
        if self.width.saturating_mul(self.height) > 100_000_000 {
            bail!("--width × --height is more than 10^8 pixels");
        }
        Ok(())
    }

    fn chunk_count(&self) -> usize {
        self.height.div_ceil(self.rows)
    }

    /// No randomness: a pixel's count depends on its place alone, so the
    /// chunk's stream goes unused and every strategy gets the same bits.
    fn run_chunk(&self, chunk: usize, _rng: &mut ChunkRng) -> Vec<u32> {
        let first = chunk * self.rows;
        let last = (first + self.rows).min(self.height);
        let mut counts = Vec::with_capacity((last - first) * self.width);
        for row in first..last {
            let im = -1.25 + 2.5 * (row as f64 + 0.5) / self.height as f64;
            for column in 0..self.width {
                let re = -2.5 + 3.5 * (column as f64 + 0.5) / self.width as f64;
                counts.push(escape_count(re, im, self.max_iter));
            }
        }
        counts
    }

    fn merge(&self, parts: Vec<Vec<u32>>) -> Image {
        Image {
            width: self.width,
            max_iter: self.max_iter,
            counts: parts.concat(),
        }
    }
}

/// Iterations of z ← z² + c from z = 0 until |z| > 2, at most `max_iter`.
fn escape_count(re: f64, im: f64, max_iter: u32) -> u32 {
    let (mut x, mut y) = (0.0f64, 0.0f64);
    let mut n = 0;
    while n < max_iter && x * x + y * y <= 4.0 {
        (x, y) = (x * x - y * y + re, 2.0 * x * y + im);
        n += 1;
    }
    n
}

/// The merged image: every pixel's escape count, row after row.
#[derive(Debug, Clone, PartialEq)]
pub struct Image {
    pub width: usize,
    pub max_iter: u32,
    pub counts: Vec<u32>,
}

impl Image {
    /// The share of pixels that never escaped: an estimate of the set's
    /// area over the image's 8.75 square units.
    pub fn inside_share(&self) -> f64 {
        let inside = self.counts.iter().filter(|&&n| n == self.max_iter).count();
        inside as f64 / self.counts.len() as f64
    }
}

impl Outcome for Image {
    fn summary(&self) -> serde_json::Value {
        serde_json::json!({
            "pixels": self.counts.len(),
            "inside_share": self.inside_share(),
            "area_estimate": self.inside_share() * 8.75,
        })
    }

    fn describe(&self) -> String {
        format!(
            "pixels         {}\ninside         {:.4} of the image\narea estimate  {:.4} (the set's area is about 1.5066)",
            self.counts.len(),
            self.inside_share(),
            self.inside_share() * 8.75
        )
    }

    fn to_json(&self) -> serde_json::Value {
        serde_json::json!({ "width": self.width, "max_iter": self.max_iter, "counts": self.counts })
    }

    fn checksum(&self) -> Checksum {
        Checksum::of(&self.counts)
    }
}
