//! Connecting, with errors that say what went wrong and never show a password.

use std::time::Duration;

use sqlx::Connection as _;

use crate::Error;

/// How long to wait for a server to answer before giving up.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(15);

/// Opens one connection to `url` (`postgres://user:password@host:port/db`).
pub async fn connect(url: &str) -> Result<sqlx::PgConnection, Error> {
    let shown = redact_url(url);
    let parsed = url::Url::parse(url)
        .map_err(|error| Error::BadUrl { url: shown.clone(), reason: error.to_string() })?;
    if !matches!(parsed.scheme(), "postgres" | "postgresql") {
        return Err(Error::BadUrl {
            url: shown,
            reason: format!(
                "the scheme is `{}`; expected postgres:// or postgresql://",
                parsed.scheme()
            ),
        });
    }
    let attempt = sqlx::PgConnection::connect(url);
    match tokio::time::timeout(CONNECT_TIMEOUT, attempt).await {
        Err(_) => Err(Error::Connect {
            url: shown,
            reason: format!("no answer within {} seconds", CONNECT_TIMEOUT.as_secs()),
        }),
        Ok(Ok(connection)) => Ok(connection),
        Ok(Err(error)) => Err(connect_error(shown, &error, url)),
    }
}

fn connect_error(shown: String, error: &sqlx::Error, url: &str) -> Error {
    let reason = match error {
        sqlx::Error::Configuration(source) => {
            return Error::BadUrl { url: shown, reason: scrub(&source.to_string(), url) };
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
    Error::Connect { url: shown, reason: scrub(&reason, url) }
}

/// Removes the password of `url` from `message`, should a driver ever echo it.
fn scrub(message: &str, url: &str) -> String {
    match url::Url::parse(url).ok().and_then(|parsed| parsed.password().map(str::to_owned)) {
        Some(password) if !password.is_empty() => message.replace(&password, "***"),
        _ => message.to_owned(),
    }
}

/// `url` with its password replaced by `***` (also when it does not parse).
pub fn redact_url(url: &str) -> String {
    if let Ok(mut parsed) = url::Url::parse(url) {
        if parsed.password().is_some() && parsed.set_password(Some("***")).is_ok() {
            return parsed.to_string();
        }
        return url.to_owned();
    }
    // Not a URL we can parse: hide anything between `user:` and the last `@`.
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let authority = &url[scheme_end + 3..at];
            match authority.find(':') {
                Some(colon) => {
                    format!("{}{}:***{}", &url[..scheme_end + 3], &authority[..colon], &url[at..])
                }
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::redact_url;

    #[test]
    fn passwords_are_hidden() {
        assert_eq!(
            redact_url("postgres://alice:s3cret@db:5432/app"),
            "postgres://alice:***@db:5432/app"
        );
        assert_eq!(redact_url("postgres://alice@db/app"), "postgres://alice@db/app");
        assert_eq!(redact_url("postgres://alice:p%40ss@db/app"), "postgres://alice:***@db/app");
        // unparsable port, password still hidden
        assert_eq!(
            redact_url("postgres://bob:hunter2@db:notaport/app"),
            "postgres://bob:***@db:notaport/app"
        );
    }
}
