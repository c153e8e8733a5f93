//! Connecting, with errors that say what went wrong and never show a password.

use std::path::Path;
use std::time::Duration;

use sqlx::postgres::PgConnectOptions;
use sqlx::{ConnectOptions as _, Connection as _};

use crate::redact::{is_key_value_string, redact_message, redact_url};
use crate::Error;

/// How long to wait for a server to answer before giving up.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(15);

/// What a database URL looks like, for the errors about one.
const EXPECTED: &str = "expected postgres://user:password@host:port/database";

/// The URL parameters that name certificate or key files.
const FILE_PARAMETERS: &[&str] =
    &["sslrootcert", "ssl-root-cert", "ssl-ca", "sslcert", "ssl-cert", "sslkey", "ssl-key"];

/// Opens one connection to `url`
/// (`postgres://user:password@host:port/database?sslmode=…&sslrootcert=…`).
/// TLS is rustls with the webpki roots (Mozilla's CAs) and the CA file
/// `sslrootcert` names; `sslmode` is libpq's (`prefer` by default).
pub async fn connect(url: &str) -> Result<sqlx::PgConnection, Error> {
    let options = connect_options(url)?;
    let attempt = sqlx::PgConnection::connect_with(&options);
    match tokio::time::timeout(CONNECT_TIMEOUT, attempt).await {
        Err(_) => Err(Error::Connect {
            url: redact_url(url),
            reason: format!("no answer within {} seconds", CONNECT_TIMEOUT.as_secs()),
        }),
        Ok(Ok(connection)) => Ok(connection),
        Ok(Err(error)) => Err(connect_error(&error, url)),
    }
}

/// Whether `url` is one [`connect`] can use, without connecting: the same
/// checks and the same error (its secrets hidden) as `connect` gives.
pub fn check_url(url: &str) -> Result<(), Error> {
    connect_options(url).map(|_| ())
}

/// Whether a read of `url` takes a second connection: always for a server
/// elsewhere; for one on this machine (a Unix socket, `localhost` or a
/// loopback address), whose backends share this machine's cores with every
/// read running at once (`reads_at_once`), only when there is a core for
/// each of their connections.
pub(crate) fn takes_helper(url: &str, reads_at_once: usize) -> bool {
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    !connect_options(url).is_ok_and(|options| is_local(&options))
        || cores >= 2 * reads_at_once.max(1)
}

/// Whether the server of `options` is on this machine.
fn is_local(options: &PgConnectOptions) -> bool {
    let host = options.get_host();
    options.get_socket().is_some()
        || host.starts_with('/')
        || host.eq_ignore_ascii_case("localhost")
        || host
            .trim_start_matches('[')
            .trim_end_matches(']')
            .parse::<std::net::IpAddr>()
            .is_ok_and(|address| address.is_loopback())
}

/// `url` read as sqlx reads it, after the checks that turn a mistyped URL
/// into an error saying what is wrong with it.
fn connect_options(url: &str) -> Result<PgConnectOptions, Error> {
    let bad = |reason: String| Error::BadUrl {
        url: redact_url(url),
        reason: redact_message(&reason, url),
    };
    if is_key_value_string(url) {
        return Err(bad(format!("this is a key=value connection string; {EXPECTED}")));
    }
    let parsed = url::Url::parse(url).map_err(|error| bad(format!("{error}; {EXPECTED}")))?;
    if !matches!(parsed.scheme(), "postgres" | "postgresql") {
        return Err(bad(format!(
            "the scheme is `{}`; expected postgres:// or postgresql://",
            parsed.scheme()
        )));
    }
    if !url.split_once(':').is_some_and(|(_, rest)| rest.starts_with("//")) {
        return Err(bad(format!("`{}:` must be followed by `//`; {EXPECTED}", parsed.scheme())));
    }
    for (key, value) in parsed.query_pairs() {
        let names_a_file = FILE_PARAMETERS.contains(&&*key) && !value.starts_with("-----BEGIN");
        if names_a_file && !Path::new(&*value).is_file() {
            return Err(bad(format!("{key}={value}: no such file")));
        }
    }
    PgConnectOptions::from_url(&parsed).map_err(|error| bad(configuration_reason(&error)))
}

/// sqlx's complaint about a URL, without its nested "error with
/// configuration:" prefixes.
fn configuration_reason(error: &sqlx::Error) -> String {
    let message = match error {
        sqlx::Error::Configuration(source) => source.to_string(),
        other => other.to_string(),
    };
    let message = message.trim_start_matches("error with configuration: ");
    if message.starts_with("invalid utf-8") {
        format!("a percent-encoded part does not decode to UTF-8 ({message})")
    } else {
        message.to_owned()
    }
}

fn connect_error(error: &sqlx::Error, url: &str) -> Error {
    let reason = match error {
        sqlx::Error::Configuration(_) => {
            return Error::BadUrl {
                url: redact_url(url),
                reason: redact_message(&configuration_reason(error), url),
            };
        }
        sqlx::Error::Database(database_error) => database_error.message().to_owned(),
        sqlx::Error::Io(io_error) => match io_error.kind() {
            std::io::ErrorKind::ConnectionRefused => {
                "connection refused (is a server running at that host and port?)".to_owned()
            }
            _ => io_error.to_string(),
        },
        other => other.to_string(),
    };
    // rustls's verdicts come as sqlx's TLS errors or inside I/O errors.
    let reason = if matches!(error, sqlx::Error::Tls(_)) || is_about_tls(&reason) {
        tls_reason(&reason)
    } else {
        reason
    };
    Error::Connect { url: redact_url(url), reason: redact_message(&reason, url) }
}

fn is_about_tls(message: &str) -> bool {
    ["certificate", "TLS", "tls", "handshake", "UnknownIssuer"]
        .iter()
        .any(|word| message.contains(word))
}

/// A TLS failure, with what to do about the usual ones.
fn tls_reason(message: &str) -> String {
    let hint = if message.contains("UnknownIssuer") || message.contains("BadSignature") {
        " (the server's certificate is not signed by a CA autogen trusts: name its CA with \
         sslrootcert=PATH, or use sslmode=require to encrypt without verifying)"
    } else if message.contains("NotValidForName") {
        " (the server's certificate does not name this host; sslmode=verify-ca checks the CA \
         only)"
    } else if message.contains("does not support TLS") {
        " (sslmode=require and stricter need a server with ssl=on)"
    } else {
        ""
    };
    let message = message
        .trim_start_matches("error occurred while attempting to establish a TLS connection: ");
    format!("TLS: {message}{hint}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_server_on_this_machine_is_told_apart() {
        let local = |url: &str| is_local(&connect_options(url).unwrap());
        for url in [
            "postgres://localhost/app",
            "postgres://LOCALHOST:5433/app",
            "postgres://127.0.0.1/app",
            "postgres://127.0.0.2/app",
            "postgres://[::1]:5432/app",
            "postgres:///app?host=/var/run/postgresql",
            "postgres://%2Ftmp%2Fpg/app",
        ] {
            assert!(local(url), "{url}");
        }
        for url in ["postgres://db.example.com/app", "postgres://10.0.0.7/app"] {
            assert!(!local(url), "{url}");
        }
    }

    #[test]
    fn a_read_takes_a_second_connection_where_a_core_serves_it() {
        let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
        // Elsewhere, the server's cores are its own.
        assert!(takes_helper("postgres://db.example.com/app", 2));
        assert!(takes_helper("postgres://db.example.com/app", 64));
        // Here, every connection of the reads at once needs a core.
        assert_eq!(takes_helper("postgres://localhost/app", 1), cores >= 2);
        assert_eq!(takes_helper("postgres://localhost/app", 0), cores >= 2);
        assert_eq!(takes_helper("postgres://127.0.0.1/app", 2), cores >= 4);
    }
}
