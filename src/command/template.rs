//! A command line with `{workers}` where the worker count goes.
//!
//! `sort --parallel={workers} data.txt`, `mpirun -n {workers}`: the text is
//! split on whitespace into a program and its arguments and run without a
//! shell, so nothing in it is interpreted (no globs, no pipes, no `$VAR`);
//! `{workers}` is replaced inside any word. A program whose thread count
//! comes from the environment (`OMP_NUM_THREADS`) has no `{workers}` in its
//! words: `--env` sets it instead (`spec.rs`). MPI launchers
//! (`launcher.rs`) and measured commands are both templates.

/// Where a template puts the worker count.
pub const WORKERS: &str = "{workers}";

/// A command line split into words, `{workers}` not yet replaced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Template {
    text: String,
    words: Vec<String>,
}

impl Template {
    /// `text` split on whitespace (it may have no words at all: the caller
    /// says why that is wrong in its own terms).
    pub fn split(text: &str) -> Template {
        Template {
            text: text.trim().to_string(),
            words: text.split_whitespace().map(String::from).collect(),
        }
    }

    /// The text as typed, trimmed.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// Whether any word has `{workers}`.
    pub fn has_placeholder(&self) -> bool {
        self.text.contains(WORKERS)
    }

    /// The program: the first word (empty for an empty template).
    pub fn program(&self) -> &str {
        self.words.first().map_or("", String::as_str)
    }

    /// The words with `{workers}` replaced by `workers`.
    pub fn words_at(&self, workers: usize) -> Vec<String> {
        self.words.iter().map(|w| fill(w, workers)).collect()
    }
}

/// `text` with `{workers}` replaced by `workers`.
pub fn fill(text: &str, workers: usize) -> String {
    text.replace(WORKERS, &workers.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_are_split_on_whitespace_and_the_count_filled_in_anywhere() {
        let t = Template::split("  sort --parallel={workers}  -S 256M data-{workers}.txt ");
        assert_eq!(
            t.text(),
            "sort --parallel={workers}  -S 256M data-{workers}.txt"
        );
        assert!(t.has_placeholder());
        assert_eq!(t.program(), "sort");
        assert_eq!(
            t.words_at(4),
            ["sort", "--parallel=4", "-S", "256M", "data-4.txt"]
        );
        let plain = Template::split("xz -T0 file");
        assert!(!plain.has_placeholder());
        assert_eq!(plain.words_at(3), ["xz", "-T0", "file"]);
        assert_eq!(Template::split("   ").program(), "");
    }
}
