//! What a person reads: colour when the output is a terminal (or
//! `--color always`; never with `--color never` or `NO_COLOR`), `--quiet`
//! and `-v`, and a progress line on stderr during long work. Styled text
//! is written through `anstream`, which drops the colour codes where
//! colour is off, so the same text serves terminals, pipes and files.

use std::io::IsTerminal as _;
use std::sync::atomic::{AtomicBool, AtomicU8, Ordering};
use std::time::Duration;

use anstyle::{AnsiColor, Style};

static QUIET: AtomicBool = AtomicBool::new(false);
static VERBOSITY: AtomicU8 = AtomicU8::new(0);

thread_local! {
    /// The database this thread works on, in a run over many
    /// ([`within`]): its lines and warnings are marked with its name.
    static WITHIN: std::cell::RefCell<Option<String>> = const { std::cell::RefCell::new(None) };
}

/// Runs `work` with every line [`say`] and [`warn`] print on this thread
/// marked `[name] ` and on stderr (stdout is for the command's table or
/// JSON), and no progress line or spinner (threads working on other
/// databases print beside it).
pub(crate) fn within<T>(name: &str, work: impl FnOnce() -> T) -> T {
    struct Reset(Option<String>);
    impl Drop for Reset {
        fn drop(&mut self) {
            WITHIN.with(|within| *within.borrow_mut() = self.0.take());
        }
    }
    let previous = WITHIN.with(|within| within.borrow_mut().replace(name.to_owned()));
    let _reset = Reset(previous);
    work()
}

/// `[name] ` while [`within`] a database, or nothing.
fn mark() -> String {
    WITHIN.with(|within| {
        within.borrow().as_ref().map(|name| format!("[{name}] ")).unwrap_or_default()
    })
}

/// Whether this thread works on one database of many ([`within`]).
fn in_fleet() -> bool {
    WITHIN.with(|within| within.borrow().is_some())
}

/// When to colour, from `--color`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, clap::ValueEnum)]
pub enum Color {
    // When the output is a terminal and `NO_COLOR` is not set.
    #[default]
    Auto,
    // Also into pipes and files.
    Always,
    Never,
}

/// Sets the output settings of this run.
pub(crate) fn configure(color: Color, quiet: bool, verbosity: u8) {
    let choice = match color {
        Color::Auto => anstream::ColorChoice::Auto,
        Color::Always => anstream::ColorChoice::Always,
        Color::Never => anstream::ColorChoice::Never,
    };
    choice.write_global();
    QUIET.store(quiet, Ordering::Relaxed);
    VERBOSITY.store(verbosity, Ordering::Relaxed);
}

pub(crate) fn quiet() -> bool {
    QUIET.load(Ordering::Relaxed)
}

pub(crate) fn verbose() -> bool {
    VERBOSITY.load(Ordering::Relaxed) > 0
}

pub(crate) const GOOD: Style = AnsiColor::Green.on_default();
pub(crate) const BAD: Style = AnsiColor::Red.on_default();
pub(crate) const NOTE: Style = AnsiColor::Yellow.on_default();
pub(crate) const ERROR: Style = AnsiColor::Red.on_default().bold();
pub(crate) const WARNING: Style = AnsiColor::Yellow.on_default().bold();
pub(crate) const DIM: Style = Style::new().dimmed();

/// `text` in `style` (the codes are dropped on output where colour is off).
pub(crate) fn paint(style: Style, text: &str) -> String {
    format!("{style}{text}{style:#}")
}

/// `text` with each line in the style `style_of` gives it, if any.
pub(crate) fn paint_lines(text: &str, style_of: impl Fn(&str) -> Option<Style>) -> String {
    let mut painted = String::with_capacity(text.len());
    for line in text.split_inclusive('\n') {
        let (body, newline) = match line.strip_suffix('\n') {
            Some(body) => (body, "\n"),
            None => (line, ""),
        };
        match style_of(body) {
            Some(style) => painted.push_str(&paint(style, body)),
            None => painted.push_str(body),
        }
        painted.push_str(newline);
    }
    painted
}

/// Writes `text` to stdout, its colour codes dropped where colour is off;
/// a closed pipe (`| head`) is not an error.
pub(crate) fn print(text: &str) -> anyhow::Result<()> {
    use std::io::Write as _;
    let mut stdout = anstream::stdout().lock();
    match stdout.write_all(text.as_bytes()).and_then(|()| stdout.flush()) {
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => anyhow::Context::context(other, "writing to stdout"),
    }
}

/// A line for the person running the command, on stdout (on stderr
/// [`within`] a database of many); nothing with `--quiet`.
pub(crate) fn say(line: &str) {
    if quiet() {
        return;
    }
    if in_fleet() {
        // The command's own output (a table, JSON) is on stdout.
        use std::io::Write as _;
        let _ = writeln!(anstream::stderr(), "{}{line}", mark());
    } else {
        let _ = print(&format!("{line}\n"));
    }
}

/// A warning on stderr (also with `--quiet`).
pub(crate) fn warn(message: &str) {
    use std::io::Write as _;
    let message = printable(message);
    let _ = writeln!(anstream::stderr(), "{} {}{message}", paint(WARNING, "warning:"), mark());
}

/// An error on stderr, as `main` reports it.
pub fn error(message: &str) {
    use std::io::Write as _;
    let message = printable(message);
    let _ = writeln!(anstream::stderr(), "{} {message}", paint(ERROR, "error:"));
}

/// `message` with its control characters but line breaks written as
/// `\u{…}`: a name from a schema or a file cannot send a terminal escape
/// sequence (move the cursor, rewrite the line) through a message.
fn printable(message: &str) -> std::borrow::Cow<'_, str> {
    let control = |character: char| character.is_control() && character != '\n';
    if !message.chars().any(control) {
        return std::borrow::Cow::Borrowed(message);
    }
    let mut shown = String::with_capacity(message.len() + 8);
    for character in message.chars() {
        if control(character) {
            shown.push_str(&format!("\\u{{{:x}}}", character as u32));
        } else {
            shown.push(character);
        }
    }
    std::borrow::Cow::Owned(shown)
}

/// `12 ms`, `1.4 s`.
pub(crate) fn duration(took: Duration) -> String {
    if took.as_millis() < 1000 {
        format!("{} ms", took.as_millis())
    } else {
        format!("{:.1} s", took.as_secs_f64())
    }
}

/// A progress line on stderr (`applying 3/12: 2026… add posts`),
/// rewritten in place, only when stderr is a terminal and not `--quiet`;
/// the lines of what was done go to stdout as usual.
pub(crate) struct Progress {
    total: usize,
    verb: &'static str,
    done: std::cell::Cell<usize>,
    shown: bool,
}

impl Progress {
    pub(crate) fn new(total: usize, verb: &'static str) -> Self {
        let shown = !quiet() && !in_fleet() && std::io::stderr().is_terminal();
        Progress { total, verb, done: std::cell::Cell::new(0), shown }
    }

    /// Work on `label` begins.
    pub(crate) fn step(&self, label: &str) {
        if self.shown {
            use std::io::Write as _;
            let mut stderr = anstream::stderr();
            let _ = write!(
                stderr,
                "\r\x1b[2K{} {}/{}: {label} …",
                self.verb,
                self.done.get() + 1,
                self.total
            );
            let _ = stderr.flush();
        }
    }

    /// The step finished: `line` on stdout.
    pub(crate) fn done(&self, line: &str) {
        self.clear();
        self.done.set(self.done.get() + 1);
        say(line);
    }

    fn clear(&self) {
        if self.shown {
            use std::io::Write as _;
            let mut stderr = anstream::stderr();
            let _ = write!(stderr, "\r\x1b[2K");
            let _ = stderr.flush();
        }
    }
}

impl Drop for Progress {
    /// However the work ends, the progress line goes.
    fn drop(&mut self) {
        self.clear();
    }
}

/// A spinner on stderr while `work` runs (introspecting a large database),
/// only when stderr is a terminal and not `--quiet`.
pub(crate) fn while_working<T>(label: &str, work: impl FnOnce() -> T) -> T {
    if quiet() || in_fleet() || !std::io::stderr().is_terminal() {
        return work();
    }
    let finished = std::sync::Arc::new(AtomicBool::new(false));
    let spinner = {
        let finished = finished.clone();
        let label = label.to_owned();
        std::thread::spawn(move || {
            use std::io::Write as _;
            let frames = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
            let start = std::time::Instant::now();
            let mut frame = 0;
            // Quick work shows nothing.
            while !finished.load(Ordering::Relaxed) {
                if start.elapsed() > Duration::from_millis(300) {
                    let _ = write!(
                        std::io::stderr(),
                        "\r\x1b[2K{} {label} ({:.0} s)",
                        frames[frame % frames.len()],
                        start.elapsed().as_secs_f64()
                    );
                    let _ = std::io::stderr().flush();
                    frame += 1;
                }
                std::thread::sleep(Duration::from_millis(100));
            }
            if start.elapsed() > Duration::from_millis(300) {
                let _ = write!(std::io::stderr(), "\r\x1b[2K");
            }
        })
    };
    let result = work();
    finished.store(true, Ordering::Relaxed);
    let _ = spinner.join();
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_carry_no_terminal_escapes() {
        assert_eq!(printable("plain\nlines"), "plain\nlines");
        assert_eq!(printable("a\u{1b}[2Kb\rc\u{7}"), "a\\u{1b}[2Kb\\u{d}c\\u{7}");
    }

    #[test]
    fn lines_within_a_database_carry_its_name() {
        assert_eq!(mark(), "");
        let inner = within("eu-1", || {
            let outer = mark();
            (outer, within("nested", mark))
        });
        assert_eq!(inner, ("[eu-1] ".to_owned(), "[nested] ".to_owned()));
        assert_eq!(mark(), "");
    }

    #[test]
    fn durations_read_as_people_say_them() {
        assert_eq!(duration(Duration::from_millis(12)), "12 ms");
        assert_eq!(duration(Duration::from_millis(1430)), "1.4 s");
    }

    #[test]
    fn painted_text_carries_its_codes() {
        assert_eq!(paint(GOOD, "ok"), "\u{1b}[32mok\u{1b}[0m");
    }
}
