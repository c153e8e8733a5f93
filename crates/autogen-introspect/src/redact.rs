//! Hiding secrets in database URLs and connection strings: the one function
//! every message that shows a URL goes through.
//!
//! What is hidden, as `***`:
//! - the password of `user:password@` (the user stays when the URL has the
//!   `scheme://user:password@host` shape; when it does not — `postgres//…`,
//!   `postgres:u:pw@host`, a password holding `/`, `?` or `#` — everything
//!   before the last `@` goes);
//! - the value of every parameter whose name holds `password`, in any case
//!   and however it is percent-encoded (`password=`, `sslpassword=`);
//! - in a `key=value` connection string (`host=… password='…'`), the values
//!   of those keys.
//!
//! The text shown is on one line: control characters are percent-encoded, so
//! a URL in a SQL comment cannot end the comment.

/// `url` as it may be shown: secrets replaced by `***`, on one line. Also
/// for text that is not a valid URL (a mistyped one, a `key=value` string).
pub fn redact_url(url: &str) -> String {
    redact(url).shown
}

/// `message` with every secret of `url` (as written and percent-decoded)
/// replaced by `***`: for messages of a driver or a server that might echo
/// part of the URL.
pub fn redact_message(message: &str, url: &str) -> String {
    let mut secrets = redact(url).secrets;
    secrets.sort_by_key(|secret| std::cmp::Reverse(secret.len()));
    let mut message = message.to_owned();
    for secret in secrets {
        message = hide_occurrences(&message, &secret);
    }
    message
}

/// The text to show and the secrets taken out of it.
struct Redacted {
    shown: String,
    secrets: Vec<String>,
}

fn redact(text: &str) -> Redacted {
    let mut secrets = Vec::new();
    let shown = if is_key_value_string(text) {
        key_values(text, &mut secrets)
    } else {
        url_like(text, &mut secrets)
    };
    let decoded: Vec<String> = secrets.iter().map(|secret| percent_decode(secret)).collect();
    secrets.extend(decoded);
    secrets.retain(|secret| !secret.is_empty() && secret != "***");
    secrets.sort();
    secrets.dedup();
    Redacted { shown: one_line(&shown), secrets }
}

/// Whether `text` is a libpq `key=value` connection string rather than a
/// URL: it starts with a word and `=`.
pub(crate) fn is_key_value_string(text: &str) -> bool {
    let text = text.trim_start();
    let key_length =
        text.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(text.len());
    key_length > 0
        && text.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_')
        && text[key_length..].trim_start().starts_with('=')
}

/// A parameter name that holds a secret: `password`, `sslpassword`, in any
/// case.
fn is_secret_key(key: &str) -> bool {
    key.trim().to_ascii_lowercase().contains("password")
}

/// `host=… password=…`: the values of secret keys hidden (quoted values
/// as libpq reads them, `'…'` with `\` escapes).
fn key_values(text: &str, secrets: &mut Vec<String>) -> String {
    let mut shown = String::new();
    let mut rest = text;
    loop {
        let spaces = rest.len() - rest.trim_start().len();
        shown.push_str(&rest[..spaces]);
        rest = &rest[spaces..];
        if rest.is_empty() {
            return shown;
        }
        let key_end = rest.find(|c: char| c == '=' || c.is_whitespace()).unwrap_or(rest.len());
        let key = &rest[..key_end];
        shown.push_str(key);
        rest = &rest[key_end..];
        let after_spaces = rest.trim_start();
        if !after_spaces.starts_with('=') {
            continue;
        }
        shown.push_str(&rest[..rest.len() - after_spaces.len()]);
        shown.push('=');
        rest = &after_spaces[1..];
        let spaces = rest.len() - rest.trim_start().len();
        shown.push_str(&rest[..spaces]);
        rest = &rest[spaces..];
        let value_length = if rest.starts_with('\'') {
            quoted_length(rest)
        } else {
            rest.find(char::is_whitespace).unwrap_or(rest.len())
        };
        let value = &rest[..value_length];
        if is_secret_key(key) {
            shown.push_str("***");
            secrets.push(value.to_owned());
            if let Some(inner) = value.strip_prefix('\'') {
                let inner = inner.strip_suffix('\'').unwrap_or(inner);
                secrets.push(inner.replace("\\'", "'").replace("\\\\", "\\"));
            }
        } else {
            shown.push_str(value);
        }
        rest = &rest[value_length..];
    }
}

/// The length of a `'…'` value with `\` escapes at the start of `text`; all
/// of it when the quote is not closed.
fn quoted_length(text: &str) -> usize {
    let mut characters = text.char_indices().skip(1);
    while let Some((_, c)) = characters.next() {
        match c {
            '\\' => {
                characters.next();
            }
            '\'' => return characters.next().map_or(text.len(), |(index, _)| index),
            _ => {}
        }
    }
    text.len()
}

/// A URL, or something meant to be one.
fn url_like(text: &str, secrets: &mut Vec<String>) -> String {
    let scheme_length = if text.starts_with(|c: char| c.is_ascii_alphabetic()) {
        text.find(|c: char| !(c.is_ascii_alphanumeric() || matches!(c, '+' | '.' | '-')))
            .unwrap_or(text.len())
    } else {
        0
    };
    let after_scheme = &text[scheme_length..];
    let colon = usize::from(after_scheme.starts_with(':'));
    let after_colon = &after_scheme[colon..];
    let slashes = after_colon.len() - after_colon.trim_start_matches('/').len();
    let (prefix, rest) = text.split_at(scheme_length + colon + slashes);
    let mut shown = prefix.to_owned();
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    let rest = match (rest[..authority_end].rfind('@'), rest.rfind('@')) {
        // `scheme://user:password@host…`
        (Some(at), _) if scheme_length > 0 && colon == 1 && slashes == 2 => {
            let userinfo = &rest[..at];
            match userinfo.find(':') {
                Some(colon) => {
                    shown.push_str(&userinfo[..colon]);
                    shown.push_str(":***");
                    secrets.push(userinfo[colon + 1..].to_owned());
                }
                None => shown.push_str(userinfo),
            }
            shown.push('@');
            &rest[at + 1..]
        }
        // Not that shape, or an `@` further on (a password holding `/`,
        // `?` or `#`): everything before the last `@` may be a secret.
        (_, Some(at)) => {
            if at > 0 {
                shown.push_str("***");
                secrets.push(rest[..at].to_owned());
            }
            shown.push('@');
            &rest[at + 1..]
        }
        (_, None) => rest,
    };
    let (before_query, query) = match rest.split_once('?') {
        Some((before, query)) => (before, Some(query)),
        None => (rest, None),
    };
    shown.push_str(&hide_assignments(before_query, secrets));
    if let Some(query) = query {
        shown.push('?');
        let parameters: Vec<String> = query
            .split('&')
            .map(|parameter| match parameter.split_once('=') {
                Some((key, value)) if is_secret_key(&percent_decode(&key.replace('+', " "))) => {
                    secrets.push(value.to_owned());
                    format!("{key}=***")
                }
                _ => hide_assignments(parameter, secrets),
            })
            .collect();
        shown.push_str(&parameters.join("&"));
    }
    shown
}

/// `text` with the value after every `password=` (any case, `sslpassword`
/// too, spaces around `=` allowed) hidden up to the next `&`.
fn hide_assignments(text: &str, secrets: &mut Vec<String>) -> String {
    let lower = text.to_ascii_lowercase();
    let mut shown = String::new();
    let mut copied = 0;
    let mut search = 0;
    while let Some(found) = lower[search..].find("password") {
        let key_end = search + found + "password".len();
        search = key_end;
        let Some(value) = text[key_end..].trim_start().strip_prefix('=') else { continue };
        let value_start = text.len() - value.len();
        let value_end = value.find('&').map_or(text.len(), |end| value_start + end);
        if value_end > value_start {
            shown.push_str(&text[copied..value_start]);
            shown.push_str("***");
            secrets.push(text[value_start..value_end].trim().to_owned());
            copied = value_end;
        }
        search = value_end;
    }
    shown.push_str(&text[copied..]);
    shown
}

/// `%XX` sequences decoded (invalid ones kept as written; invalid UTF-8
/// replaced).
fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut index = 0;
    while index < bytes.len() {
        let hex = |at: usize| bytes.get(at).and_then(|byte| char::from(*byte).to_digit(16));
        match (bytes[index], hex(index + 1), hex(index + 2)) {
            (b'%', Some(high), Some(low)) => {
                decoded.push(u8::try_from(high * 16 + low).unwrap_or(b'?'));
                index += 3;
            }
            (byte, _, _) => {
                decoded.push(byte);
                index += 1;
            }
        }
    }
    String::from_utf8_lossy(&decoded).into_owned()
}

/// Control characters (a newline, a tab, …) percent-encoded.
fn one_line(text: &str) -> String {
    let mut shown = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_control() {
            let mut buffer = [0; 4];
            for byte in c.encode_utf8(&mut buffer).bytes() {
                shown.push_str(&format!("%{byte:02X}"));
            }
        } else {
            shown.push(c);
        }
    }
    shown
}

/// `message` with `secret` replaced by `***`. A secret shorter than four
/// characters is replaced only where it stands alone (not inside a word),
/// so that the message stays readable.
fn hide_occurrences(message: &str, secret: &str) -> String {
    if secret.chars().count() >= 4 {
        return message.replace(secret, "***");
    }
    let mut shown = String::new();
    let mut rest = message;
    while let Some(found) = rest.find(secret) {
        let before = rest[..found].chars().next_back();
        let after = rest[found + secret.len()..].chars().next();
        let alone =
            !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric);
        shown.push_str(&rest[..found]);
        shown.push_str(if alone { "***" } else { secret });
        rest = &rest[found + secret.len()..];
    }
    shown.push_str(rest);
    shown
}

#[cfg(test)]
mod tests {
    use super::{redact_message, redact_url};

    /// Each form a URL or connection string takes, and how it is shown.
    #[test]
    fn every_form_hides_the_password() {
        let cases = [
            ("postgres://alice:S3cr3t-pw@db:5432/app", "postgres://alice:***@db:5432/app"),
            ("postgres://alice@db/app", "postgres://alice@db/app"),
            ("postgres://alice:S3cr3t-pw%40x@db/app", "postgres://alice:***@db/app"),
            (
                "postgres://alice:S3cr3t-pw@db/app?sslmode=require",
                "postgres://alice:***@db/app?sslmode=require",
            ),
            // a password holding `@`: the last `@` ends the userinfo
            ("postgres://alice:S3cr3t-pw@x@db/app", "postgres://alice:***@db/app"),
            // a bad port or a space: the URL does not parse; still hidden
            ("postgres://bob:S3cr3t-pw@db:notaport/app", "postgres://bob:***@db:notaport/app"),
            ("postgres://bob:S3cr3t-pw@my host/app", "postgres://bob:***@my host/app"),
            // mistyped schemes: the whole userinfo goes
            ("postgres//bob:S3cr3t-pw@db/app", "postgres//***@db/app"),
            ("postgres:/bob:S3cr3t-pw@db/app", "postgres:/***@db/app"),
            ("postgres:bob:S3cr3t-pw@db", "postgres:***@db"),
            ("//bob:S3cr3t-pw@db/app", "//***@db/app"),
            ("bob:S3cr3t-pw@db/app", "bob:***@db/app"),
            // a password holding `/`, `?` or `#`
            ("postgres://bob:S3cr/3t-pw@db/app", "postgres://***@db/app"),
            ("postgres://bob:12#S3cr3t-pw@db/app", "postgres://***@db/app"),
            // parameters, in any case, percent-encoded names too
            ("postgres://bob@db/app?password=S3cr3t-pw", "postgres://bob@db/app?password=***"),
            (
                "postgres://db/app?sslmode=require&PassWord=S3cr3t-pw&application_name=x",
                "postgres://db/app?sslmode=require&PassWord=***&application_name=x",
            ),
            ("postgres://db/app?%70assword=S3cr3t-pw", "postgres://db/app?%70assword=***"),
            ("postgres://db/app?sslpassword=S3cr3t-pw", "postgres://db/app?sslpassword=***"),
            ("postgres://db/app&password=S3cr3t-pw", "postgres://db/app&password=***"),
            ("postgres://db:x/app?password = S3cr3t-pw", "postgres://db:x/app?password =***"),
            ("postgres://db/app?x=1 password=S3cr3t-pw", "postgres://db/app?x=1 password=***"),
            // key=value connection strings
            (
                "host=db user=bob password=S3cr3t-pw dbname=app",
                "host=db user=bob password=*** dbname=app",
            ),
            ("host=db password = 'S3cr3t-pw x' port=5", "host=db password = *** port=5"),
            ("host=db PASSWORD='S3cr3t-pw\\' unterminated", "host=db PASSWORD=***"),
            ("host=db sslpassword=S3cr3t-pw", "host=db sslpassword=***"),
            // one line
            ("postgres://db/app\nDROP TABLE x", "postgres://db/app%0ADROP TABLE x"),
        ];
        for (url, expected) in cases {
            let shown = redact_url(url);
            assert_eq!(shown, expected, "redact_url({url:?})");
            assert!(!shown.contains("3cr"), "{url:?} shown as {shown:?}");
        }
    }

    #[test]
    fn messages_lose_every_form_of_the_secret() {
        let url = "postgres://bob:S3cr3t-pw%21@db/app?sslpassword=an%20other";
        let message = "driver said: S3cr3t-pw%21, S3cr3t-pw! and an other";
        assert_eq!(redact_message(message, url), "driver said: ***, *** and ***");
        // a short secret only where it stands alone
        assert_eq!(redact_message("tabs: ab", "postgres://u:ab@db"), "tabs: ***");
    }
}
