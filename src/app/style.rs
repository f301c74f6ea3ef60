//! How output looks, decided from the command line and the environment
//! (the formats read neither): colour as cargo decides it, and the width
//! diagnostics wrap at.

use std::io::IsTerminal;

use super::Failure;
use crate::cli::ColorChoice;
use crate::report::Style;

/// The width diagnostics wrap at without a usable `COLUMNS`.
const DEFAULT_WIDTH: usize = 100;
/// Narrower than this, miette's snippets stop being readable.
const MIN_WIDTH: usize = 40;

/// Where output goes: a terminal gets colour under `auto`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stream {
    Stdout,
    Stderr,
}

/// `--color` when given, else `CARGO_TERM_COLOR` (which cargo passes on to
/// the subcommands it runs), else `auto`. A `CARGO_TERM_COLOR` that is not
/// `auto`, `always` or `never` is an error, as it is for cargo.
pub fn color_choice(flag: Option<ColorChoice>) -> Result<ColorChoice, Failure> {
    if let Some(choice) = flag {
        return Ok(choice);
    }
    match std::env::var_os("CARGO_TERM_COLOR") {
        None => Ok(ColorChoice::Auto),
        Some(value) => parse_color(&value.to_string_lossy()).ok_or_else(|| {
            Failure::error(format!(
                "CARGO_TERM_COLOR must be `auto`, `always` or `never`, not `{}`",
                value.to_string_lossy()
            ))
        }),
    }
}

fn parse_color(value: &str) -> Option<ColorChoice> {
    match value {
        "auto" => Some(ColorChoice::Auto),
        "always" => Some(ColorChoice::Always),
        "never" => Some(ColorChoice::Never),
        _ => None,
    }
}

/// The style of output written to `stream`.
pub fn style(choice: ColorChoice, stream: Stream) -> Style {
    let color = match choice {
        ColorChoice::Always => true,
        ColorChoice::Never => false,
        ColorChoice::Auto => {
            std::env::var_os("NO_COLOR").is_none_or(|v| v.is_empty())
                && match stream {
                    Stream::Stdout => std::io::stdout().is_terminal(),
                    Stream::Stderr => std::io::stderr().is_terminal(),
                }
        }
    };
    Style {
        color,
        width: width(std::env::var("COLUMNS").ok().as_deref()),
    }
}

/// `COLUMNS` when it is a usable width (tests fix it), else 100.
fn width(columns: Option<&str>) -> usize {
    columns
        .and_then(|c| c.trim().parse().ok())
        .filter(|&w: &usize| w >= MIN_WIDTH)
        .unwrap_or(DEFAULT_WIDTH)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cargo_term_color_values_are_cargo_s() {
        assert_eq!(parse_color("always"), Some(ColorChoice::Always));
        assert_eq!(parse_color("never"), Some(ColorChoice::Never));
        assert_eq!(parse_color("auto"), Some(ColorChoice::Auto));
        assert_eq!(parse_color("yes"), None);
    }

    #[test]
    fn width_falls_back_when_columns_is_unusable() {
        assert_eq!(width(Some("120")), 120);
        assert_eq!(width(Some("12")), DEFAULT_WIDTH);
        assert_eq!(width(Some("wide")), DEFAULT_WIDTH);
        assert_eq!(width(None), DEFAULT_WIDTH);
    }
}
