//! Literal values in the form PostgreSQL's output functions print them
//! (`jsonb_out`, `interval_out`), so a default written `'{"b":1, "a":2}'`
//! compares equal to the catalog's `'{"a": 2, "b": 1}'::jsonb`. `None` when
//! the input is outside what is handled here (the caller says so).

/// `jsonb`: keys sorted (shorter first, then bytewise), duplicates resolved
/// to the last, `", "` and `": "` as separators.
pub fn jsonb(text: &str) -> Option<String> {
    let mut parser = Json { bytes: text.as_bytes(), position: 0 };
    let value = parser.value()?;
    parser.whitespace();
    if parser.position != parser.bytes.len() {
        return None;
    }
    let mut out = String::new();
    write_json(&value, &mut out);
    Some(out)
}

enum JsonValue {
    Null,
    Bool(bool),
    Number(String),
    String(String),
    Array(Vec<JsonValue>),
    Object(Vec<(String, JsonValue)>),
}

struct Json<'a> {
    bytes: &'a [u8],
    position: usize,
}

impl Json<'_> {
    fn whitespace(&mut self) {
        while self.bytes.get(self.position).is_some_and(|byte| b" \t\n\r".contains(byte)) {
            self.position += 1;
        }
    }

    fn literal(&mut self, word: &str) -> bool {
        if self.bytes[self.position..].starts_with(word.as_bytes()) {
            self.position += word.len();
            true
        } else {
            false
        }
    }

    fn value(&mut self) -> Option<JsonValue> {
        self.whitespace();
        match self.bytes.get(self.position)? {
            b'n' if self.literal("null") => Some(JsonValue::Null),
            b't' if self.literal("true") => Some(JsonValue::Bool(true)),
            b'f' if self.literal("false") => Some(JsonValue::Bool(false)),
            b'"' => self.string().map(JsonValue::String),
            b'[' => {
                self.position += 1;
                let mut items = Vec::new();
                self.whitespace();
                if self.bytes.get(self.position) == Some(&b']') {
                    self.position += 1;
                    return Some(JsonValue::Array(items));
                }
                loop {
                    items.push(self.value()?);
                    self.whitespace();
                    match self.bytes.get(self.position)? {
                        b',' => self.position += 1,
                        b']' => {
                            self.position += 1;
                            return Some(JsonValue::Array(items));
                        }
                        _ => return None,
                    }
                }
            }
            b'{' => {
                self.position += 1;
                let mut members: Vec<(String, JsonValue)> = Vec::new();
                self.whitespace();
                if self.bytes.get(self.position) == Some(&b'}') {
                    self.position += 1;
                    return Some(JsonValue::Object(members));
                }
                loop {
                    self.whitespace();
                    let key = self.string()?;
                    self.whitespace();
                    if self.bytes.get(self.position) != Some(&b':') {
                        return None;
                    }
                    self.position += 1;
                    let value = self.value()?;
                    members.retain(|(existing, _)| *existing != key);
                    members.push((key, value));
                    self.whitespace();
                    match self.bytes.get(self.position)? {
                        b',' => self.position += 1,
                        b'}' => {
                            self.position += 1;
                            members.sort_by(|(a, _), (b, _)| {
                                a.len().cmp(&b.len()).then_with(|| a.as_bytes().cmp(b.as_bytes()))
                            });
                            return Some(JsonValue::Object(members));
                        }
                        _ => return None,
                    }
                }
            }
            b'-' | b'0'..=b'9' => {
                let start = self.position;
                while self
                    .bytes
                    .get(self.position)
                    .is_some_and(|byte| byte.is_ascii_digit() || b"+-.eE".contains(byte))
                {
                    self.position += 1;
                }
                let number = std::str::from_utf8(&self.bytes[start..self.position]).ok()?;
                // Exponents are printed expanded by numeric_out: not handled.
                if number.contains(['e', 'E']) || number.parse::<f64>().is_err() {
                    return None;
                }
                Some(JsonValue::Number(number.to_owned()))
            }
            _ => None,
        }
    }

    fn string(&mut self) -> Option<String> {
        if self.bytes.get(self.position) != Some(&b'"') {
            return None;
        }
        self.position += 1;
        let mut out = Vec::new();
        loop {
            let byte = *self.bytes.get(self.position)?;
            self.position += 1;
            match byte {
                b'"' => return String::from_utf8(out).ok(),
                b'\\' => {
                    let escape = *self.bytes.get(self.position)?;
                    self.position += 1;
                    let character = match escape {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => {
                            let hex = std::str::from_utf8(
                                self.bytes.get(self.position..self.position + 4)?,
                            )
                            .ok()?;
                            self.position += 4;
                            char::from_u32(u32::from_str_radix(hex, 16).ok()?)?
                        }
                        _ => return None,
                    };
                    let mut buffer = [0; 4];
                    out.extend_from_slice(character.encode_utf8(&mut buffer).as_bytes());
                }
                byte if byte < 0x20 => return None,
                byte => out.push(byte),
            }
        }
    }
}

fn write_json(value: &JsonValue, out: &mut String) {
    match value {
        JsonValue::Null => out.push_str("null"),
        JsonValue::Bool(value) => out.push_str(if *value { "true" } else { "false" }),
        JsonValue::Number(number) => out.push_str(number),
        JsonValue::String(text) => write_json_string(text, out),
        JsonValue::Array(items) => {
            out.push('[');
            for (index, item) in items.iter().enumerate() {
                if index > 0 {
                    out.push_str(", ");
                }
                write_json(item, out);
            }
            out.push(']');
        }
        JsonValue::Object(members) => {
            out.push('{');
            for (index, (key, item)) in members.iter().enumerate() {
                if index > 0 {
                    out.push_str(", ");
                }
                write_json_string(key, out);
                out.push_str(": ");
                write_json(item, out);
            }
            out.push('}');
        }
    }
}

/// `escape_json`
fn write_json_string(text: &str, out: &mut String) {
    out.push('"');
    for character in text.chars() {
        match character {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            character if (character as u32) < 0x20 => {
                out.push_str(&format!("\\u{:04x}", character as u32));
            }
            character => out.push(character),
        }
    }
    out.push('"');
}

/// `interval` in the default `postgres` output style:
/// `1 year 2 mons 3 days 04:05:06`.
pub fn interval(text: &str) -> Option<String> {
    let mut months: i64 = 0;
    let mut days: i64 = 0;
    let mut microseconds: i128 = 0;
    let words: Vec<&str> = text.split_whitespace().collect();
    let mut index = 0;
    let words: Vec<&str> = words.into_iter().filter(|word| *word != "@").collect();
    let mut ago = false;
    while index < words.len() {
        let word = words[index];
        if word.eq_ignore_ascii_case("ago") {
            ago = true;
            index += 1;
            continue;
        }
        if word.contains(':') {
            microseconds += clock(word)?;
            index += 1;
            continue;
        }
        // A number and its unit, written apart (`3 days`) or together (`3d`).
        let split = word.find(|c: char| c.is_ascii_alphabetic()).unwrap_or(word.len());
        let (number, mut unit) = word.split_at(split);
        if unit.is_empty() {
            // `3 days`, or a bare number: seconds.
            match words.get(index + 1) {
                Some(next)
                    if next.starts_with(|c: char| c.is_ascii_alphabetic())
                        && !next.eq_ignore_ascii_case("ago") =>
                {
                    unit = next;
                    index += 1;
                }
                _ => unit = "second",
            }
        }
        let value: f64 = number.parse().ok()?;
        let whole_number = !number.contains('.');
        let unit = unit.to_ascii_lowercase();
        let per_second = 1_000_000f64;
        let unit = match unit.as_str() {
            "ms" | "msec" | "msecs" | "millisecond" | "milliseconds" => "millisecond".to_owned(),
            "us" | "usec" | "usecs" | "microsecond" | "microseconds" => "microsecond".to_owned(),
            "s" | "sec" | "secs" | "second" | "seconds" => "second".to_owned(),
            other => other.trim_end_matches('s').to_owned(),
        };
        match unit.as_str() {
            "millennium" | "millennia" | "millennium_" => months += (value * 12_000.0) as i64,
            "centurie" | "century" => months += (value * 1200.0) as i64,
            "decade" => months += (value * 120.0) as i64,
            "year" | "y" | "yr" => {
                months += (value * 12.0).trunc() as i64;
            }
            "month" | "mon" => {
                months += value.trunc() as i64;
                let fraction = value.fract() * 30.0;
                days += fraction.trunc() as i64;
                microseconds += (fraction.fract() * 86_400.0 * per_second).round() as i128;
            }
            "week" | "w" => {
                let total = value * 7.0;
                days += total.trunc() as i64;
                microseconds += (total.fract() * 86_400.0 * per_second).round() as i128;
            }
            "day" | "d" => {
                days += value.trunc() as i64;
                microseconds += (value.fract() * 86_400.0 * per_second).round() as i128;
            }
            "hour" | "h" | "hr" => microseconds += (value * 3_600.0 * per_second).round() as i128,
            "minute" | "m" | "min" => microseconds += (value * 60.0 * per_second).round() as i128,
            "second" => microseconds += (value * per_second).round() as i128,
            "millisecond" => microseconds += (value * 1_000.0).round() as i128,
            "microsecond" => microseconds += value.round() as i128,
            _ => return None,
        }
        if !whole_number && matches!(unit.as_str(), "year" | "y" | "yr") {
            return None;
        }
        index += 1;
    }
    if ago {
        months = -months;
        days = -days;
        microseconds = -microseconds;
    }
    let mut parts = Vec::new();
    let years = months / 12;
    let months = months % 12;
    let plural = |value: i64, unit: &str| {
        if value == 1 {
            format!("{value} {unit}")
        } else {
            format!("{value} {unit}s")
        }
    };
    if years != 0 {
        parts.push(plural(years, "year"));
    }
    if months != 0 {
        parts.push(plural(months, "mon"));
    }
    if days != 0 {
        parts.push(plural(days, "day"));
    }
    if microseconds != 0 || parts.is_empty() {
        let negative = microseconds < 0;
        let total = microseconds.abs();
        let hours = total / 3_600_000_000;
        let minutes = (total / 60_000_000) % 60;
        let seconds = (total / 1_000_000) % 60;
        let fraction = total % 1_000_000;
        let mut clock =
            format!("{}{hours:02}:{minutes:02}:{seconds:02}", if negative { "-" } else { "" });
        if fraction != 0 {
            let digits = format!("{fraction:06}");
            clock.push('.');
            clock.push_str(digits.trim_end_matches('0'));
        }
        // A positive time after a negative part carries an explicit sign.
        if !negative && (years < 0 || months < 0 || days < 0) {
            clock.insert(0, '+');
        }
        parts.push(clock);
    }
    Some(parts.join(" "))
}

/// `HH:MM[:SS[.f]]` in microseconds.
fn clock(text: &str) -> Option<i128> {
    let (negative, text) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let fields: Vec<&str> = text.split(':').collect();
    let (hours, minutes, seconds) = match fields.as_slice() {
        [hours, minutes] => (*hours, *minutes, "0"),
        [hours, minutes, seconds] => (*hours, *minutes, *seconds),
        _ => return None,
    };
    let hours: i128 = hours.parse().ok()?;
    let minutes: i128 = minutes.parse().ok()?;
    let seconds: f64 = seconds.parse().ok()?;
    let total =
        (hours * 3_600 + minutes * 60) * 1_000_000 + (seconds * 1_000_000.0).round() as i128;
    Some(if negative { -total } else { total })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn jsonb_is_printed_as_postgresql_prints_it() {
        assert_eq!(
            jsonb(r#"{"theme":"dark","beta":false,"columns":[1,2,3]}"#).unwrap(),
            r#"{"beta": false, "theme": "dark", "columns": [1, 2, 3]}"#
        );
        assert_eq!(jsonb("{}").unwrap(), "{}");
        assert_eq!(jsonb(r#"{"a":1,"a":2}"#).unwrap(), r#"{"a": 2}"#);
        assert_eq!(jsonb("[ ]").unwrap(), "[]");
        assert!(jsonb("{").is_none());
    }

    #[test]
    fn intervals_are_printed_as_postgresql_prints_them() {
        assert_eq!(interval("14 days").unwrap(), "14 days");
        assert_eq!(interval("1 hour").unwrap(), "01:00:00");
        assert_eq!(interval("2 days 3 hours").unwrap(), "2 days 03:00:00");
        assert_eq!(interval("12 hours").unwrap(), "12:00:00");
        assert_eq!(interval("1 year 2 months").unwrap(), "1 year 2 mons");
        assert_eq!(interval("1 week").unwrap(), "7 days");
        assert_eq!(interval("90 minutes").unwrap(), "01:30:00");
        assert_eq!(interval("0").unwrap(), "00:00:00");
        assert_eq!(interval("1 day ago").unwrap(), "-1 days");
        assert!(interval("3 fortnights").is_none());
    }
}
