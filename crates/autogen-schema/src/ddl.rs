//! The SQL text of the model's objects — `CREATE TABLE`, columns, types,
//! constraints, indexes, sequences, comments — as the migrations and
//! `autogen inspect --format sql` write them. Which statements a script
//! holds, and in what order, is the plan's business (autogen-diff): the
//! canonical DDL of a schema is the plan that builds it from nothing
//! (`autogen_emit::schema_sql`), so there is one order, not two.

use std::fmt::Write as _;

use crate::comments::CommentTarget;
use crate::ident::{quote_ident, quote_literal, QualifiedName};
use crate::model::{
    Attribute, CheckConstraint, Collation, Column, CompositeType, Deferrable, Domain, DomainCheck,
    ExclusionConstraint, ForeignKey, Index, IndexKey, IndexTarget, MatchType, OperatorClass,
    PrimaryKey, ReferentialAction, ReplicaIdentity, Schema, SequenceOptions, Statistics,
    StatisticsKind, Table, UniqueConstraint,
};
use crate::types::SqlType;

/// `CREATE COLLATION name (provider = p, locale = 'l', deterministic =
/// false, rules = 'r');` — a libc collation with `locale` when its
/// `LC_COLLATE` and `LC_CTYPE` are one, else `lc_collate` and `lc_ctype`.
pub fn create_collation_sql(collation: &Collation) -> String {
    let mut options = vec![format!("provider = {}", collation.provider.name())];
    match (&collation.locale, &collation.lc_collate, &collation.lc_ctype) {
        (Some(locale), _, _) => options.push(format!("locale = {}", quote_literal(locale))),
        (None, Some(collate), Some(ctype)) if collate == ctype => {
            options.push(format!("locale = {}", quote_literal(collate)));
        }
        (None, collate, ctype) => {
            if let Some(collate) = collate {
                options.push(format!("lc_collate = {}", quote_literal(collate)));
            }
            if let Some(ctype) = ctype {
                options.push(format!("lc_ctype = {}", quote_literal(ctype)));
            }
        }
    }
    if collation.nondeterministic {
        options.push("deterministic = false".to_owned());
    }
    if let Some(rules) = &collation.rules {
        options.push(format!("rules = {}", quote_literal(rules)));
    }
    format!("CREATE COLLATION {} ({});", collation.name, options.join(", "))
}

/// `COMMENT ON <target> IS 'text';` (`IS NULL` for `None`).
pub fn comment_sql(target: &CommentTarget, comment: Option<&str>) -> String {
    let text = comment.map_or_else(|| "NULL".to_owned(), quote_literal);
    format!("COMMENT ON {} IS {text};", target.sql())
}

/// The comment `CREATE EXTENSION` gave extension `name` (its control
/// file's), put back: only the server knows its text, so a `DO` block reads
/// it from `pg_available_extensions`. autogen-sql reads this exact form
/// back ([`restored_extension_comment`]).
pub fn restore_extension_comment_sql(name: &str) -> String {
    format!("DO $autogen${}$autogen$;", restore_extension_comment_body(name))
}

/// The extension whose comment the `DO` block `body` puts back, when the
/// body is exactly what [`restore_extension_comment_sql`] writes.
pub fn restored_extension_comment(body: &str) -> Option<String> {
    let rest = body.strip_prefix(RESTORE_EXTENSION_COMMENT_START)?.strip_prefix('\'')?;
    let mut name = String::new();
    let mut characters = rest.chars().peekable();
    loop {
        match characters.next()? {
            '\'' if characters.peek() == Some(&'\'') => {
                characters.next();
                name.push('\'');
            }
            '\'' => break,
            character => name.push(character),
        }
    }
    (restore_extension_comment_body(&name) == body).then_some(name)
}

const RESTORE_EXTENSION_COMMENT_START: &str =
    "BEGIN EXECUTE format('COMMENT ON EXTENSION %I IS %L', ";

fn restore_extension_comment_body(name: &str) -> String {
    let literal = quote_literal(name);
    format!(
        "{RESTORE_EXTENSION_COMMENT_START}{literal}, (SELECT comment FROM \
         pg_catalog.pg_available_extensions WHERE name = {literal})); END"
    )
}

/// `CREATE [UNIQUE] INDEX name ON table USING method (keys) …` without the
/// trailing semicolon.
pub fn index_sql(table: &QualifiedName, index: &Index) -> String {
    create_index_sql(table, index, "")
}

/// `CREATE [UNIQUE] INDEX CONCURRENTLY name ON table …`: built without
/// blocking writes, outside a transaction.
pub fn concurrent_index_sql(table: &QualifiedName, index: &Index) -> String {
    create_index_sql(table, index, "CONCURRENTLY ")
}

fn create_index_sql(table: &QualifiedName, index: &Index, concurrently: &str) -> String {
    let mut sql = String::from("CREATE ");
    if index.unique {
        sql.push_str("UNIQUE ");
    }
    let keys: Vec<String> = index.keys.iter().map(index_key_sql).collect();
    let _ = write!(
        sql,
        "INDEX {concurrently}{} ON {} USING {} ({})",
        quote_ident(&index.name),
        table,
        index.method.name(),
        keys.join(", ")
    );
    if !index.include.is_empty() {
        let _ = write!(sql, " INCLUDE ({})", column_list(&index.include));
    }
    if index.nulls_not_distinct {
        sql.push_str(" NULLS NOT DISTINCT");
    }
    if !index.with.is_empty() {
        let _ = write!(sql, " WITH ({})", parameter_list(&index.with));
    }
    if let Some(predicate) = &index.predicate {
        let _ = write!(sql, " WHERE {predicate}");
    }
    sql
}

/// `CONSTRAINT name FOREIGN KEY (…) REFERENCES table (…) …`
pub fn foreign_key_sql(foreign_key: &ForeignKey) -> String {
    let mut sql = format!(
        "CONSTRAINT {} FOREIGN KEY ({}) REFERENCES {} ({})",
        quote_ident(&foreign_key.name),
        column_list(&foreign_key.columns),
        foreign_key.referenced_table,
        column_list(&foreign_key.referenced_columns)
    );
    match foreign_key.match_type {
        MatchType::Simple => {}
        MatchType::Full => sql.push_str(" MATCH FULL"),
        MatchType::Partial => sql.push_str(" MATCH PARTIAL"),
    }
    if foreign_key.on_update != ReferentialAction::NoAction {
        let _ = write!(sql, " ON UPDATE {}", foreign_key.on_update.sql());
    }
    if foreign_key.on_delete != ReferentialAction::NoAction {
        let _ = write!(sql, " ON DELETE {}", foreign_key.on_delete.sql());
    }
    sql.push_str(deferrable_sql(foreign_key.deferrable));
    if foreign_key.not_valid {
        sql.push_str(" NOT VALID");
    }
    sql
}

/// `CONSTRAINT name CHECK (expression) [NO INHERIT] [NOT VALID]`
pub fn check_sql(check: &CheckConstraint) -> String {
    let mut sql = format!("CONSTRAINT {} CHECK ({})", quote_ident(&check.name), check.expression);
    if check.no_inherit {
        sql.push_str(" NO INHERIT");
    }
    if check.not_valid {
        sql.push_str(" NOT VALID");
    }
    sql
}

/// `ALTER DOMAIN d ADD CONSTRAINT name CHECK (…) [NOT VALID];`
pub fn add_domain_check_sql(domain: &QualifiedName, check: &DomainCheck) -> String {
    let mut sql = format!(
        "ALTER DOMAIN {domain} ADD CONSTRAINT {} CHECK ({})",
        quote_ident(&check.name),
        check.expression
    );
    if check.not_valid {
        sql.push_str(" NOT VALID");
    }
    sql.push(';');
    sql
}

/// `CONSTRAINT name PRIMARY KEY (…) …`
pub fn primary_key_sql(primary_key: &PrimaryKey) -> String {
    let mut sql = format!(
        "CONSTRAINT {} PRIMARY KEY ({})",
        quote_ident(&primary_key.name),
        column_list(&primary_key.columns)
    );
    sql.push_str(&index_parameters(&primary_key.include, &primary_key.with));
    sql.push_str(deferrable_sql(primary_key.deferrable));
    sql
}

/// `CONSTRAINT name UNIQUE [NULLS NOT DISTINCT] (…) …`
pub fn unique_sql(unique: &UniqueConstraint) -> String {
    let mut sql = format!("CONSTRAINT {} UNIQUE ", quote_ident(&unique.name));
    if unique.nulls_not_distinct {
        sql.push_str("NULLS NOT DISTINCT ");
    }
    let _ = write!(sql, "({})", column_list(&unique.columns));
    sql.push_str(&index_parameters(&unique.include, &unique.with));
    sql.push_str(deferrable_sql(unique.deferrable));
    sql
}

/// `CONSTRAINT name EXCLUDE USING method (key WITH operator, …) [INCLUDE
/// (…)] [WITH (…)] [WHERE (predicate)] [DEFERRABLE …]`, as
/// `pg_get_constraintdef` prints it after the name.
pub fn exclusion_sql(exclusion: &ExclusionConstraint) -> String {
    let elements: Vec<String> = exclusion
        .elements
        .iter()
        .map(|element| format!("{} WITH {}", index_key_sql(&element.key), element.operator))
        .collect();
    let mut sql = format!(
        "CONSTRAINT {} EXCLUDE USING {} ({})",
        quote_ident(&exclusion.name),
        exclusion.method.name(),
        elements.join(", ")
    );
    sql.push_str(&index_parameters(&exclusion.include, &exclusion.with));
    if let Some(predicate) = &exclusion.predicate {
        let _ = write!(sql, " WHERE ({predicate})");
    }
    sql.push_str(deferrable_sql(exclusion.deferrable));
    sql
}

/// `ALTER TABLE t ALTER COLUMN c SET STORAGE …;`, `SET COMPRESSION …;`,
/// `SET STATISTICS n;` for what a column sets apart from its defaults.
/// (`STORAGE` in a column definition needs PostgreSQL 16.)
pub fn column_settings_sql(table: &QualifiedName, column: &Column) -> Vec<String> {
    let mut statements = Vec::new();
    let alter = format!("ALTER TABLE {table} ALTER COLUMN {}", quote_ident(&column.name));
    if let Some(storage) = column.storage {
        statements.push(format!("{alter} SET STORAGE {};", storage.sql()));
    }
    if let Some(compression) = &column.compression {
        statements.push(format!("{alter} SET COMPRESSION {};", quote_ident(compression)));
    }
    if let Some(target) = column.statistics_target {
        statements.push(format!("{alter} SET STATISTICS {target};"));
    }
    statements
}

/// `ALTER TABLE t REPLICA IDENTITY …;`
pub fn replica_identity_sql(table: &QualifiedName, identity: &ReplicaIdentity) -> String {
    format!("ALTER TABLE {table} REPLICA IDENTITY {};", identity.sql())
}

/// `ALTER TABLE t CLUSTER ON index;`, or `SET WITHOUT CLUSTER` for `None`.
pub fn cluster_on_sql(table: &QualifiedName, index: Option<&String>) -> String {
    match index {
        Some(index) => format!("ALTER TABLE {table} CLUSTER ON {};", quote_ident(index)),
        None => format!("ALTER TABLE {table} SET WITHOUT CLUSTER;"),
    }
}

/// `CREATE STATISTICS name [(kinds)] ON columns, (expressions) FROM table;`
/// and, for a target, `ALTER STATISTICS name SET STATISTICS n;`. The kinds
/// are left out when they are every kind (or none can be given).
pub fn create_statistics_sql(table: &QualifiedName, statistics: &Statistics) -> Vec<String> {
    let mut sql = format!("CREATE STATISTICS {}", statistics.name);
    if !statistics.kinds.is_empty() && statistics.kinds != StatisticsKind::ALL {
        let kinds: Vec<&str> = statistics.kinds.iter().map(|kind| kind.name()).collect();
        let _ = write!(sql, " ({})", kinds.join(", "));
    }
    let elements: Vec<String> = (statistics.columns.iter().map(|column| quote_ident(column)))
        .chain(statistics.expressions.iter().map(|expression| {
            if crate::expression::is_parenthesized(expression) {
                expression.clone()
            } else {
                format!("({expression})")
            }
        }))
        .collect();
    let _ = write!(sql, " ON {} FROM {table};", elements.join(", "));
    let mut statements = vec![sql];
    if let Some(target) = statistics.target {
        statements.push(statistics_target_sql(&statistics.name, Some(target)));
    }
    statements
}

/// `ALTER STATISTICS name SET STATISTICS n;` (-1 for the default).
pub fn statistics_target_sql(name: &QualifiedName, target: Option<i32>) -> String {
    format!("ALTER STATISTICS {name} SET STATISTICS {};", target.unwrap_or(-1))
}

/// ` WITH (…)` of `CREATE TABLE`: the table's storage parameters, then its
/// TOAST table's as `toast.name`; empty when there are none.
pub fn table_parameters_sql(table: &Table) -> String {
    let parameters: Vec<String> = (table.with.iter())
        .map(|(key, value)| parameter_sql("", key, value))
        .chain(table.toast_with.iter().map(|(key, value)| parameter_sql("toast.", key, value)))
        .collect();
    if parameters.is_empty() {
        return String::new();
    }
    format!(" WITH ({})", parameters.join(", "))
}

/// Sequence options as `CREATE SEQUENCE` and identity columns write them;
/// empty when every option is the default.
pub fn sequence_options_sql(options: &SequenceOptions) -> String {
    let mut parts: Vec<String> = Vec::new();
    if let Some(start) = options.start {
        parts.push(format!("START WITH {start}"));
    }
    if let Some(increment) = options.increment {
        parts.push(format!("INCREMENT BY {increment}"));
    }
    if let Some(min_value) = options.min_value {
        parts.push(format!("MINVALUE {min_value}"));
    }
    if let Some(max_value) = options.max_value {
        parts.push(format!("MAXVALUE {max_value}"));
    }
    if let Some(cache) = options.cache {
        parts.push(format!("CACHE {cache}"));
    }
    if options.cycle {
        parts.push("CYCLE".to_owned());
    }
    parts.join(" ")
}

/// ` INCLUDE (…) WITH (…)` of a constraint's backing index.
fn index_parameters(include: &[String], with: &[(String, String)]) -> String {
    let mut sql = String::new();
    if !include.is_empty() {
        let _ = write!(sql, " INCLUDE ({})", column_list(include));
    }
    if !with.is_empty() {
        let _ = write!(sql, " WITH ({})", parameter_list(with));
    }
    sql
}

/// ` DEFERRABLE [INITIALLY DEFERRED]` as a constraint's definition ends
/// with it; nothing for `NOT DEFERRABLE`.
pub fn deferrable_sql(deferrable: Deferrable) -> &'static str {
    match deferrable {
        Deferrable::NotDeferrable => "",
        Deferrable::InitiallyImmediate => " DEFERRABLE",
        Deferrable::InitiallyDeferred => " DEFERRABLE INITIALLY DEFERRED",
    }
}

fn column_list(columns: &[String]) -> String {
    columns.iter().map(|column| quote_ident(column)).collect::<Vec<_>>().join(", ")
}

/// `key='value', …` as PostgreSQL prints storage parameters
/// (`flatten_reloptions`): a value stays bare when it is a plain identifier.
pub fn parameter_list(parameters: &[(String, String)]) -> String {
    parameters
        .iter()
        .map(|(key, value)| parameter_sql("", key, value))
        .collect::<Vec<_>>()
        .join(", ")
}

/// One storage parameter, `prefix` before its name (`toast.`).
pub fn parameter_sql(prefix: &str, key: &str, value: &str) -> String {
    let value =
        if crate::ident::needs_quoting(value) { quote_literal(value) } else { value.to_owned() };
    format!("{prefix}{}={value}", quote_ident(key))
}

/// An operator class or collation name as PostgreSQL prints it with
/// `search_path = public`: bare when visible, qualified otherwise.
fn visible_name(name: &QualifiedName) -> String {
    if matches!(name.schema.as_str(), "pg_catalog" | "public") {
        quote_ident(&name.name)
    } else {
        name.to_string()
    }
}

fn index_key_sql(key: &IndexKey) -> String {
    let mut sql = match &key.target {
        IndexTarget::Column(column) => quote_ident(column),
        IndexTarget::Expression(expression) => expression.clone(),
    };
    if let Some(collation) = &key.collation {
        let _ = write!(sql, " COLLATE {}", visible_name(collation));
    }
    if let Some(opclass) = &key.opclass {
        let _ = write!(sql, " {}", opclass_sql(opclass));
    }
    if key.descending {
        sql.push_str(" DESC");
        if !key.nulls_first {
            sql.push_str(" NULLS LAST");
        }
    } else if key.nulls_first {
        sql.push_str(" NULLS FIRST");
    }
    sql
}

fn opclass_sql(opclass: &OperatorClass) -> String {
    let mut sql = visible_name(&opclass.name);
    if !opclass.params.is_empty() {
        let _ = write!(sql, " ({})", parameter_list(&opclass.params));
    }
    sql
}

/// `CREATE SEQUENCE name AS type [options];`
pub fn create_sequence_sql(
    name: &QualifiedName,
    data_type: &SqlType,
    options: &SequenceOptions,
) -> String {
    let mut sql = format!("CREATE SEQUENCE {name} AS {data_type}");
    let options = sequence_options_sql(options);
    if !options.is_empty() {
        let _ = write!(sql, " {options}");
    }
    sql.push(';');
    sql
}

/// Tables, columns and types as `CREATE TABLE` writes them, for a schema
/// (pgvector's types are qualified when the extension is not in `public`).
pub struct Renderer<'a> {
    /// Where pgvector's types live, to qualify them outside `public`.
    pub vector_schema: Option<&'a str>,
}

impl<'a> Renderer<'a> {
    pub fn for_schema(schema: &'a Schema) -> Self {
        Self { vector_schema: schema.vector_extension().map(|extension| extension.schema.as_str()) }
    }

    /// `CREATE TABLE t (columns, primary key, unique, valid checks and
    /// exclusion constraints) [INHERITS (…)] [PARTITION BY …];` — foreign
    /// keys, `NOT VALID` checks and indexes come separately. A partition:
    /// `CREATE TABLE t PARTITION OF parent FOR VALUES … [PARTITION BY
    /// …];`, its columns the parent's.
    pub fn create_table(&self, table: &Table) -> String {
        if let Some(partition_of) = &table.partition_of {
            let by = table.partition_by.as_ref().map(|by| format!(" {}", by.sql()));
            return format!(
                "CREATE TABLE {} PARTITION OF {} {}{};",
                table.name,
                partition_of.parent,
                partition_of.bound.sql(),
                by.unwrap_or_default()
            );
        }
        let mut lines: Vec<String> =
            table.columns.iter().map(|column| self.column_sql(table, column)).collect();
        if let Some(primary_key) = &table.primary_key {
            lines.push(primary_key_sql(primary_key));
        }
        for unique in &table.unique_constraints {
            lines.push(unique_sql(unique));
        }
        for check in table.check_constraints.iter().filter(|check| !check.not_valid) {
            lines.push(check_sql(check));
        }
        for exclusion in &table.exclusion_constraints {
            lines.push(exclusion_sql(exclusion));
        }
        let create = if table.unlogged { "CREATE UNLOGGED TABLE" } else { "CREATE TABLE" };
        let mut parameters = String::new();
        if !table.inherits.is_empty() {
            let parents: Vec<String> = table.inherits.iter().map(ToString::to_string).collect();
            let _ = write!(parameters, " INHERITS ({})", parents.join(", "));
        }
        if let Some(by) = &table.partition_by {
            let _ = write!(parameters, " {}", by.sql());
        }
        parameters.push_str(&table_parameters_sql(table));
        if lines.is_empty() {
            return format!("{create} {} (){parameters};", table.name);
        }
        format!("{create} {} (\n    {}\n){parameters};", table.name, lines.join(",\n    "))
    }

    /// A column definition: name, type (or serial spelling), collation,
    /// generation, identity, default, NOT NULL.
    pub fn column_sql(&self, table: &Table, column: &Column) -> String {
        if let Some(serial) = column.serial_spelling(&table.name) {
            return format!("{} {serial}", quote_ident(&column.name));
        }
        let mut sql = format!("{} {}", quote_ident(&column.name), self.type_sql(&column.data_type));
        if let Some(collation) = &column.collation {
            let _ = write!(sql, " COLLATE {}", visible_name(collation));
        }
        if let Some(generated) = &column.generated {
            let _ = write!(sql, " GENERATED ALWAYS AS ({generated}) STORED");
        }
        if let Some(identity) = &column.identity {
            let generation = match identity.generation {
                crate::model::IdentityGeneration::Always => "ALWAYS",
                crate::model::IdentityGeneration::ByDefault => "BY DEFAULT",
            };
            let _ = write!(sql, " GENERATED {generation} AS IDENTITY");
            let mut options = Vec::new();
            let default_sequence = QualifiedName::new(
                table.name.schema.clone(),
                crate::naming::default_sequence_name(&table.name.name, &column.name),
            );
            if identity.sequence_name != default_sequence {
                options.push(format!("SEQUENCE NAME {}", identity.sequence_name));
            }
            let sequence_options = sequence_options_sql(&identity.options);
            if !sequence_options.is_empty() {
                options.push(sequence_options);
            }
            if !options.is_empty() {
                let _ = write!(sql, " ({})", options.join(" "));
            }
        }
        if let Some(default) = &column.default {
            let _ = write!(sql, " DEFAULT {default}");
        }
        if !column.nullable {
            sql.push_str(" NOT NULL");
        }
        sql
    }

    /// `CREATE TYPE t AS (attribute type [COLLATE c], …);`
    pub fn create_composite(&self, composite: &CompositeType) -> String {
        let attributes: Vec<String> =
            composite.attributes.iter().map(|attribute| self.attribute_sql(attribute)).collect();
        format!("CREATE TYPE {} AS ({});", composite.name, attributes.join(", "))
    }

    /// A collation's name as `COLLATE` writes it (bare when visible).
    pub fn collation_sql(&self, collation: &QualifiedName) -> String {
        visible_name(collation)
    }

    /// `name type [COLLATE c]`: an attribute of a composite type.
    pub fn attribute_sql(&self, attribute: &Attribute) -> String {
        let mut sql =
            format!("{} {}", quote_ident(&attribute.name), self.type_sql(&attribute.data_type));
        if let Some(collation) = &attribute.collation {
            let _ = write!(sql, " COLLATE {}", visible_name(collation));
        }
        sql
    }

    /// `CREATE DOMAIN d AS type [COLLATE c] [DEFAULT e] [NOT NULL]
    /// [CONSTRAINT n CHECK (e)]…;` — the valid checks (`NOT VALID` ones
    /// cannot be created so: [`add_domain_check_sql`]).
    pub fn create_domain(&self, domain: &Domain) -> String {
        let mut sql =
            format!("CREATE DOMAIN {} AS {}", domain.name, self.type_sql(&domain.data_type));
        if let Some(collation) = &domain.collation {
            let _ = write!(sql, " COLLATE {}", visible_name(collation));
        }
        if let Some(default) = &domain.default {
            let _ = write!(sql, " DEFAULT {default}");
        }
        if domain.not_null {
            sql.push_str(" NOT NULL");
        }
        for check in domain.checks.iter().filter(|check| !check.not_valid) {
            let _ = write!(
                sql,
                " CONSTRAINT {} CHECK ({})",
                quote_ident(&check.name),
                check.expression
            );
        }
        sql.push(';');
        sql
    }

    /// A type name as a column definition writes it.
    pub fn type_sql(&self, data_type: &SqlType) -> String {
        match (data_type, self.vector_schema) {
            (SqlType::Vector { .. }, Some(schema)) if schema != "public" => {
                format!("{}.{data_type}", quote_ident(schema))
            }
            (SqlType::Array { element, dimensions }, _) => {
                let mut sql = self.type_sql(element);
                for _ in 0..(*dimensions).max(1) {
                    sql.push_str("[]");
                }
                sql
            }
            _ => data_type.to_string(),
        }
    }
}
