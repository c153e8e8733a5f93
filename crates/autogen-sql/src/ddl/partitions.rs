//! The syntax of partitioned tables, partitions and inheritance:
//! `PARTITION BY strategy (keys)`, `PARTITION OF parent [(options)] FOR
//! VALUES … | DEFAULT`, `INHERITS (parents)`, `ALTER TABLE … ATTACH |
//! DETACH PARTITION`, `[NO] INHERIT`, `ALTER INDEX … ATTACH PARTITION`.

use sqlparser::ast::{DataType, Expr};
use sqlparser::tokenizer::Token;

use autogen_schema::PartitionStrategy;

use super::{ColumnDef, Cursor, Error, IndexElement, Name, TableElement};
use crate::Location;

/// `PARTITION BY RANGE | LIST | HASH (key [COLLATE c] [opclass], …)`
#[derive(Debug, Clone, PartialEq)]
pub struct PartitionSpec {
    pub strategy: PartitionStrategy,
    /// Read as `CREATE INDEX` keys (a column, a function call or `(
    /// expression )`, a collation, an operator class).
    pub keys: Vec<IndexElement>,
    pub location: Location,
}

/// `PARTITION OF parent … bound`
#[derive(Debug, Clone, PartialEq)]
pub struct PartitionOfDef {
    pub parent: Name,
    pub bound: BoundSpec,
}

/// `DEFAULT` or `FOR VALUES …`
#[derive(Debug, Clone, PartialEq)]
pub enum BoundSpec {
    Default,
    /// `IN (value, …)`
    In(Vec<Expr>, Location),
    /// `FROM (datum, …) TO (datum, …)`
    Range {
        from: Vec<RangeDatum>,
        to: Vec<RangeDatum>,
        location: Location,
    },
    /// `WITH (MODULUS m, REMAINDER r)`
    Hash {
        modulus: i64,
        remainder: i64,
        location: Location,
    },
}

/// One value of a range bound.
// A short-lived syntax tree: variant sizes do not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq)]
pub enum RangeDatum {
    MinValue,
    MaxValue,
    Value(Expr),
}

impl Cursor {
    /// After `PARTITION BY`: `strategy (keys)`.
    pub(super) fn partition_spec(&mut self) -> Result<PartitionSpec, Error> {
        let location = self.location();
        let strategy = if self.eat("range") {
            PartitionStrategy::Range
        } else if self.eat("list") {
            PartitionStrategy::List
        } else if self.eat("hash") {
            PartitionStrategy::Hash
        } else {
            let word = self.identifier()?;
            return Err((location, format!("unrecognized partitioning strategy \"{word}\"")));
        };
        self.expect_token(&Token::LParen)?;
        let mut keys = vec![self.partition_key()?];
        while self.eat_token(&Token::Comma) {
            keys.push(self.partition_key()?);
        }
        self.expect_token(&Token::RParen)?;
        if strategy == PartitionStrategy::List && keys.len() > 1 {
            return Err((
                location,
                "cannot use \"list\" partition strategy with more than one column".into(),
            ));
        }
        Ok(PartitionSpec { strategy, keys, location })
    }

    fn partition_key(&mut self) -> Result<IndexElement, Error> {
        let location = self.location();
        let element = self.index_element()?;
        if element.descending.is_some() || element.nulls_first.is_some() {
            return Err((location, "syntax error: a partition key has no ordering".into()));
        }
        if !element.opclass_params.is_empty() {
            return Err((
                location,
                "syntax error: a partition key's operator class takes no parameters".into(),
            ));
        }
        Ok(element)
    }

    /// `DEFAULT` or `FOR VALUES …`.
    pub(super) fn bound_spec(&mut self) -> Result<BoundSpec, Error> {
        if self.eat("default") {
            return Ok(BoundSpec::Default);
        }
        self.expect("for")?;
        self.expect("values")?;
        let location = self.location();
        if self.eat("in") {
            self.expect_token(&Token::LParen)?;
            let mut values = vec![self.expression_until(&[])?];
            while self.eat_token(&Token::Comma) {
                values.push(self.expression_until(&[])?);
            }
            self.expect_token(&Token::RParen)?;
            return Ok(BoundSpec::In(values, location));
        }
        if self.eat("from") {
            let from = self.range_datums()?;
            self.expect("to")?;
            let to = self.range_datums()?;
            return Ok(BoundSpec::Range { from, to, location });
        }
        if self.eat("with") {
            self.expect_token(&Token::LParen)?;
            let (mut modulus, mut remainder) = (None, None);
            loop {
                let at = self.location();
                let word = self.identifier()?;
                let value = self.integer()?;
                let slot = match word.as_str() {
                    "modulus" => &mut modulus,
                    "remainder" => &mut remainder,
                    _ => {
                        return Err((
                            at,
                            format!("unrecognized hash partition bound specification \"{word}\""),
                        ))
                    }
                };
                if slot.is_some() {
                    return Err((
                        at,
                        format!(
                            "{} for hash partition provided more than once",
                            word.to_uppercase()
                        ),
                    ));
                }
                *slot = Some(value);
                if !self.eat_token(&Token::Comma) {
                    break;
                }
            }
            self.expect_token(&Token::RParen)?;
            let Some(modulus) = modulus else {
                return Err((location, "modulus for hash partition must be specified".into()));
            };
            let Some(remainder) = remainder else {
                return Err((location, "remainder for hash partition must be specified".into()));
            };
            return Ok(BoundSpec::Hash { modulus, remainder, location });
        }
        Err(self.unexpected("IN, FROM or WITH"))
    }

    fn range_datums(&mut self) -> Result<Vec<RangeDatum>, Error> {
        self.expect_token(&Token::LParen)?;
        let mut datums = Vec::new();
        loop {
            let ends = |cursor: &Cursor| {
                matches!(
                    cursor.tokens.get(cursor.index + 1).map(|token| &token.token),
                    Some(Token::Comma | Token::RParen)
                )
            };
            if self.is("minvalue") && ends(self) {
                self.index += 1;
                datums.push(RangeDatum::MinValue);
            } else if self.is("maxvalue") && ends(self) {
                self.index += 1;
                datums.push(RangeDatum::MaxValue);
            } else {
                datums.push(RangeDatum::Value(self.expression_until(&[])?));
            }
            if !self.eat_token(&Token::Comma) {
                break;
            }
        }
        self.expect_token(&Token::RParen)?;
        Ok(datums)
    }

    /// An element of `PARTITION OF parent ( … )`: a table constraint, or
    /// `column [WITH OPTIONS] options` (a column of the parent; its type is
    /// the parent's: `DataType::Unspecified`).
    pub(super) fn partition_element(&mut self) -> Result<TableElement, Error> {
        let starts_constraint = ["constraint", "primary", "unique", "check", "foreign", "exclude"]
            .iter()
            .any(|word| self.is(word));
        if starts_constraint {
            return self.table_constraint().map(TableElement::Constraint);
        }
        let location = self.location();
        let name = self.identifier()?;
        self.eat_all(&["with", "options"]);
        let mut column = ColumnDef::new(name, DataType::Unspecified, location);
        self.column_options(&mut column)?;
        Ok(TableElement::Column(column))
    }
}
