//! Functions, procedures and aggregates from `functions.sql` and
//! `aggregates.sql`: the rows, the type oids they need looked up (with the
//! columns', in types.sql), and the assembly into [`Function`]s and
//! [`Aggregate`]s.

use sqlx::postgres::types::Oid;
use sqlx::postgres::PgRow;
use sqlx::PgConnection;

use autogen_schema::{
    Aggregate, Argument, ArgumentMode, Body, Function, Parallel, QualifiedName, Returns, Rewritten,
    Schema, SqlType, Volatility,
};

use crate::privileges::grants;
use crate::rows::{fetch, get};
use crate::Error;

const FUNCTIONS: &str = include_str!("queries/functions.sql");
const AGGREGATES: &str = include_str!("queries/aggregates.sql");

/// The rows of the two queries.
pub(crate) struct RoutineRows {
    functions: Vec<PgRow>,
    aggregates: Vec<PgRow>,
}

impl RoutineRows {
    pub(crate) async fn fetch(
        connection: &mut PgConnection,
        namespaces: &[Oid],
    ) -> Result<Self, Error> {
        let functions = fetch(
            &mut *connection,
            "functions.sql",
            sqlx::query(FUNCTIONS).bind(namespaces.to_vec()),
        )
        .await?;
        let aggregates = fetch(
            &mut *connection,
            "aggregates.sql",
            sqlx::query(AGGREGATES).bind(namespaces.to_vec()),
        )
        .await?;
        Ok(Self { functions, aggregates })
    }

    /// The oids of every type the routines name (their modifier is always
    /// -1: PostgreSQL keeps none for arguments and results).
    pub(crate) fn type_oids(&self) -> Result<Vec<u32>, Error> {
        let mut oids = Vec::new();
        for row in &self.functions {
            oids.extend(get::<Vec<Oid>>(row, "argument_types")?.into_iter().map(|oid| oid.0));
            oids.push(get::<Oid>(row, "return_type")?.0);
        }
        for row in &self.aggregates {
            oids.extend(get::<Vec<Oid>>(row, "argument_types")?.into_iter().map(|oid| oid.0));
            oids.push(get::<Oid>(row, "state_type")?.0);
        }
        Ok(oids)
    }

    /// Adds the routines to `schema`, each type through `type_of`.
    pub(crate) fn add_to(
        self,
        schema: &mut Schema,
        type_of: &dyn Fn(u32) -> Result<SqlType, Error>,
    ) -> Result<(), Error> {
        for row in &self.functions {
            let function = function(row, type_of)?;
            schema.functions.insert(function.identity(), function);
        }
        for row in &self.aggregates {
            let aggregate = aggregate(row, type_of)?;
            schema.aggregates.insert(aggregate.identity(), aggregate);
        }
        Ok(())
    }
}

/// A row of functions.sql.
fn function(
    row: &PgRow,
    type_of: &dyn Fn(u32) -> Result<SqlType, Error>,
) -> Result<Function, Error> {
    let name = QualifiedName::new(get::<String>(row, "schema")?, get::<String>(row, "name")?);
    let procedure: bool = get(row, "procedure")?;
    let types: Vec<Oid> = get(row, "argument_types")?;
    let modes: Vec<String> = get(row, "argument_modes")?;
    let names: Vec<String> = get(row, "argument_names")?;
    let defaults: Vec<Option<String>> = get(row, "argument_defaults")?;
    let mut arguments = Vec::with_capacity(types.len());
    let mut table = Vec::new();
    for (position, oid) in types.iter().enumerate() {
        let data_type = type_of(oid.0)?;
        let argument_name = names.get(position).filter(|name| !name.is_empty()).cloned();
        let mode = match modes.get(position).map(String::as_str).unwrap_or("i") {
            "i" => ArgumentMode::In,
            "o" => ArgumentMode::Out,
            "b" => ArgumentMode::InOut,
            "v" => ArgumentMode::Variadic,
            "t" => {
                table.push((argument_name.unwrap_or_default(), data_type));
                continue;
            }
            other => {
                return Err(Error::Catalog {
                    message: format!("function {name} has an argument of unknown mode `{other}`"),
                })
            }
        };
        let default = defaults.get(position).cloned().flatten();
        arguments.push(Argument { mode, name: argument_name, data_type, default });
    }
    let returns = if procedure {
        None
    } else if !table.is_empty() {
        Some(Returns::Table(table))
    } else {
        Some(Returns::Type {
            data_type: type_of(get::<Oid>(row, "return_type")?.0)?,
            setof: get(row, "returns_set")?,
        })
    };
    let language: String = get(row, "language")?;
    let body = match get::<Option<String>>(row, "standard_body")? {
        Some(text) => Body::Standard(Rewritten::catalog(text)),
        None => match get::<Option<String>>(row, "object_file")? {
            Some(file) if language == "c" => Body::Object { file, symbol: get(row, "source")? },
            _ => Body::Source(get(row, "source")?),
        },
    };
    let settings = (get::<Vec<String>>(row, "settings")?.into_iter())
        .map(|setting| match setting.split_once('=') {
            Some((name, value)) => (name.to_owned(), value.to_owned()),
            None => (setting, String::new()),
        })
        .collect();
    Ok(Function {
        procedure,
        arguments,
        returns,
        language,
        body,
        volatility: match get::<String>(row, "volatility")?.as_str() {
            "i" => Volatility::Immutable,
            "s" => Volatility::Stable,
            _ => Volatility::Volatile,
        },
        strict: get(row, "strict")?,
        security_definer: get(row, "security_definer")?,
        leakproof: get(row, "leakproof")?,
        parallel: parallel(&get::<String>(row, "parallel")?),
        cost: if get(row, "default_cost")? { None } else { Some(get(row, "cost")?) },
        rows: if get(row, "default_rows")? { None } else { Some(get(row, "rows")?) },
        settings,
        comment: get(row, "comment")?,
        grants: grants(row)?,
        name,
    })
}

/// A row of aggregates.sql.
fn aggregate(
    row: &PgRow,
    type_of: &dyn Fn(u32) -> Result<SqlType, Error>,
) -> Result<Aggregate, Error> {
    let function = |schema: &'static str, name: &'static str| -> Result<_, Error> {
        Ok(match (get::<Option<String>>(row, schema)?, get::<Option<String>>(row, name)?) {
            (Some(schema), Some(name)) => Some(QualifiedName::new(schema, name)),
            _ => None,
        })
    };
    let arguments = (get::<Vec<Oid>>(row, "argument_types")?.into_iter())
        .map(|oid| type_of(oid.0))
        .collect::<Result<Vec<_>, _>>()?;
    let name = QualifiedName::new(get::<String>(row, "schema")?, get::<String>(row, "name")?);
    Ok(Aggregate {
        arguments,
        direct_arguments: get::<Option<i16>>(row, "direct_arguments")?
            .map(|count| u32::try_from(count).unwrap_or(0)),
        state_function: function("state_function_schema", "state_function")?.ok_or_else(|| {
            Error::Catalog { message: format!("aggregate {name} has no state function") }
        })?,
        state_type: type_of(get::<Oid>(row, "state_type")?.0)?,
        final_function: function("final_function_schema", "final_function")?,
        combine_function: function("combine_function_schema", "combine_function")?,
        initial_condition: get(row, "initial_condition")?,
        sort_operator: get(row, "sort_operator")?,
        parallel: parallel(&get::<String>(row, "parallel")?),
        comment: get(row, "comment")?,
        name,
    })
}

fn parallel(code: &str) -> Parallel {
    match code {
        "s" => Parallel::Safe,
        "r" => Parallel::Restricted,
        _ => Parallel::Unsafe,
    }
}
