//! Partitioned tables, partitions and inheritance applied as PostgreSQL
//! applies them: a partition's columns copied from its parent, a child's
//! merged with its parents', bounds checked and printed as
//! `pg_get_expr(relpartbound)` prints them (`TimeZone = UTC`, `DateStyle =
//! ISO`), and what a partition or child has from its parent (checks,
//! primary key, unique constraints, foreign keys, indexes attached to the
//! parent's) kept aside in [`Inherited`] — not in the model, as the
//! catalog readers leave it out — until `DETACH PARTITION` or `NO
//! INHERIT` makes it the table's own.

use std::collections::BTreeMap;

use autogen_schema::partitions::InheritedOnly;
use autogen_schema::{
    naming, CheckConstraint, Column, Index, IndexTarget, PartitionBound, PartitionBy, PartitionKey,
    PartitionOf, PartitionStrategy, QualifiedName, Rewritten, SqlType, Table,
};
use sqlparser::ast::{Expr, UnaryOperator, Value};

use super::Builder;
use crate::ddl::{
    AlterTable, BoundSpec, ColumnChange, Constraint, ConstraintKind, CreateIndex, Name,
    PartitionOfDef, PartitionSpec, RangeDatum, TableElement,
};
use crate::expr;

/// What partitions and children hold from their parents, by table: a
/// `Table` of the checks, keys, foreign keys and indexes the catalog
/// readers leave out of it.
pub(super) type Inherited = BTreeMap<QualifiedName, Table>;

impl Builder {
    /// `CREATE TABLE name PARTITION OF parent [(options)] bound`.
    pub(super) fn create_partition(
        &mut self,
        name: QualifiedName,
        unlogged: bool,
        elements: &[TableElement],
        of: &PartitionOfDef,
        warnings: &mut Vec<String>,
    ) -> Result<(), String> {
        let parent_name = self.partitioned_parent(&of.parent)?;
        let parent = self.table(&parent_name).clone();
        let mut table = Table::new(name.clone());
        table.unlogged = unlogged;
        table.columns = parent.columns.iter().map(inherited_column).collect();
        let mut constraints: Vec<&Constraint> = Vec::new();
        let mut defaults = Vec::new();
        for element in elements {
            match element {
                TableElement::Constraint(constraint) => constraints.push(constraint),
                TableElement::Column(options) => {
                    let Some(column) =
                        table.columns.iter_mut().find(|column| column.name == options.name)
                    else {
                        return Err(format!("column \"{}\" does not exist", options.name));
                    };
                    if options.not_null == Some(true) {
                        column.nullable = false;
                    }
                    if options.default.is_some() {
                        column.default = None;
                        defaults.push(options);
                    }
                    constraints.extend(options.constraints.iter());
                }
            }
        }
        for options in defaults {
            let mut definition = options.clone();
            definition.generated = None;
            self.column_expressions(&mut table, &definition, warnings)?;
        }
        let bound = self.bound(&parent, &name, &of.bound, warnings)?;
        table.partition_of = Some(PartitionOf { parent: parent_name.clone(), bound });
        self.insert_table(table);
        self.add_constraints_in_order(&name, constraints, warnings)?;
        self.clone_from_parent(&parent_name, &name)?;
        Ok(())
    }

    /// `CREATE TABLE name (elements) INHERITS (parents)`: the parents'
    /// columns first, in order, merged by name; the table's own merged
    /// into them or after them.
    pub(super) fn create_inheriting(
        &mut self,
        name: QualifiedName,
        unlogged: bool,
        elements: &[TableElement],
        parents: &[Name],
        warnings: &mut Vec<String>,
    ) -> Result<(), String> {
        let mut table = Table::new(name.clone());
        table.unlogged = unlogged;
        let mut parent_names = Vec::new();
        for parent in parents {
            let parent_name = self.inheritable_parent(parent)?;
            if parent_names.contains(&parent_name) {
                return Err(format!(
                    "relation \"{}\" would be inherited from more than once",
                    parent_name.name
                ));
            }
            for column in &self.table(&parent_name).columns {
                match table.columns.iter_mut().find(|merged| merged.name == column.name) {
                    Some(merged) => {
                        if merged.data_type != column.data_type {
                            return Err(format!(
                                "inherited column \"{}\" has a type conflict",
                                column.name
                            ));
                        }
                        merged.nullable &= column.nullable;
                        if merged.default.is_none() {
                            merged.default = column.default.clone();
                        }
                    }
                    None => {
                        let mut column = inherited_column(column);
                        column.inherited_only = InheritedOnly(true);
                        table.columns.push(column);
                    }
                }
            }
            parent_names.push(parent_name);
        }
        let mut constraints: Vec<&Constraint> = Vec::new();
        let mut pending = Vec::new();
        let mut seen = Vec::new();
        for element in elements {
            match element {
                TableElement::Constraint(constraint) => constraints.push(constraint),
                TableElement::Column(definition) => {
                    if seen.contains(&&definition.name) {
                        return Err(format!(
                            "column `{}` is given more than once in `{name}`",
                            definition.name
                        ));
                    }
                    seen.push(&definition.name);
                    let column = self.new_column(&table, definition)?;
                    match table.columns.iter().position(|merged| merged.name == column.name) {
                        Some(position) => {
                            let merged = &mut table.columns[position];
                            // Declared here too: its own as well.
                            merged.inherited_only = InheritedOnly(false);
                            if merged.data_type != column.data_type {
                                return Err(format!(
                                    "column \"{}\" has a type conflict",
                                    column.name
                                ));
                            }
                            merged.nullable &= column.nullable;
                            if definition.default.is_some() {
                                merged.default = None;
                            }
                            if column.collation.is_some() {
                                merged.collation = column.collation;
                            }
                        }
                        None => table.columns.push(column),
                    }
                    constraints.extend(definition.constraints.iter());
                    pending.push(definition);
                }
            }
        }
        for definition in pending {
            self.column_expressions(&mut table, definition, warnings)?;
        }
        table.inherits = parent_names.clone();
        self.insert_table(table);
        self.add_constraints_in_order(&name, constraints, warnings)?;
        for parent in &parent_names {
            let checks = self.inheritable_checks(parent);
            self.merge_checks(&name, checks, false)?;
        }
        Ok(())
    }

    /// A new table's constraints: index-backed ones first (their names are
    /// chosen as the table's indexes are built), then checks, then foreign
    /// keys, as PostgreSQL adds them.
    pub(super) fn add_constraints_in_order(
        &mut self,
        name: &QualifiedName,
        constraints: Vec<&Constraint>,
        warnings: &mut Vec<String>,
    ) -> Result<(), String> {
        let (checks, rest): (Vec<_>, Vec<_>) = constraints
            .into_iter()
            .partition(|constraint| matches!(constraint.kind, ConstraintKind::Check { .. }));
        let (foreign_keys, indexed): (Vec<_>, Vec<_>) = rest
            .into_iter()
            .partition(|constraint| matches!(constraint.kind, ConstraintKind::ForeignKey { .. }));
        for constraint in indexed.iter().chain(&checks).chain(&foreign_keys) {
            self.add_constraint(name, constraint, warnings)?;
        }
        Ok(())
    }

    fn partitioned_parent(&self, name: &Name) -> Result<QualifiedName, String> {
        let Some(parent) = self.find_table(name) else {
            return Err(format!("relation \"{}\" does not exist", name.object()));
        };
        if self.table(&parent).partition_by.is_none() {
            return Err(format!("table \"{}\" is not partitioned", parent.name));
        }
        Ok(parent)
    }

    fn inheritable_parent(&self, name: &Name) -> Result<QualifiedName, String> {
        let Some(parent) = self.find_table(name) else {
            return Err(format!("relation \"{}\" does not exist", name.object()));
        };
        let table = self.table(&parent);
        if table.partition_by.is_some() {
            return Err(format!("cannot inherit from partitioned table \"{}\"", parent.name));
        }
        if table.partition_of.is_some() {
            return Err(format!("cannot inherit from partition \"{}\"", parent.name));
        }
        Ok(parent)
    }

    /// Everything `name` has, its own and its parent's: what its
    /// partitions are given.
    fn everything_of(&self, name: &QualifiedName) -> Table {
        let mut table = self.table(name).clone();
        if let Some(inherited) = self.inherited.get(name) {
            table.check_constraints.extend(inherited.check_constraints.iter().cloned());
            table.foreign_keys.extend(inherited.foreign_keys.iter().cloned());
            table.indexes.extend(inherited.indexes.iter().cloned());
            table.unique_constraints.extend(inherited.unique_constraints.iter().cloned());
            if table.primary_key.is_none() {
                table.primary_key = inherited.primary_key.clone();
            }
        }
        table
    }

    fn inheritable_checks(&self, parent: &QualifiedName) -> Vec<CheckConstraint> {
        let parent = self.everything_of(parent);
        parent.check_constraints.into_iter().filter(|check| !check.no_inherit).collect()
    }

    /// `checks` of a parent become the child's inherited ones: a check of
    /// the child with the same name and expression merges into it (when
    /// `must_exist`, as `ATTACH PARTITION` and `INHERIT` require), else it
    /// is added as the parent's.
    fn merge_checks(
        &mut self,
        child: &QualifiedName,
        checks: Vec<CheckConstraint>,
        must_exist: bool,
    ) -> Result<(), String> {
        for check in checks {
            let held = self.inherited.get(child).is_some_and(|inherited| {
                inherited.check_constraints.iter().any(|c| c.name == check.name)
            });
            if held {
                continue;
            }
            let own = self.table(child).check_constraints.iter().position(|c| c.name == check.name);
            match own {
                Some(position) => {
                    let existing = &self.table(child).check_constraints[position];
                    if existing.expression != check.expression {
                        return Err(format!(
                            "child table \"{}\" has different definition for check constraint \"{}\"",
                            child.name, check.name
                        ));
                    }
                    let existing = self.table_mut(child).check_constraints.remove(position);
                    self.inherited_mut(child).check_constraints.push(existing);
                }
                None if must_exist => {
                    return Err(format!("child table is missing constraint \"{}\"", check.name));
                }
                None => self.inherited_mut(child).check_constraints.push(check),
            }
        }
        Ok(())
    }

    fn inherited_mut(&mut self, name: &QualifiedName) -> &mut Table {
        self.inherited.entry(name.clone()).or_insert_with(|| Table::new(name.clone()))
    }

    /// A partition takes its parent's checks, keys, foreign keys and
    /// indexes: an equal one of its own is attached (and becomes the
    /// parent's), else one is made for it, named as PostgreSQL names it.
    fn clone_from_parent(
        &mut self,
        parent: &QualifiedName,
        child: &QualifiedName,
    ) -> Result<(), String> {
        let everything = self.everything_of(parent);
        let checks =
            everything.check_constraints.iter().filter(|c| !c.no_inherit).cloned().collect();
        self.merge_checks(child, checks, false)?;
        if let Some(key) = &everything.primary_key {
            let own =
                self.table(child).primary_key.as_ref().is_some_and(|own| {
                    (&own.columns, &own.include) == (&key.columns, &key.include)
                });
            let key = match own {
                true => self.table_mut(child).primary_key.take().expect("checked"),
                false => {
                    let mut key = key.clone();
                    key.name = naming::primary_key_name(&child.name, |candidate| {
                        self.relation_taken(&child.schema, candidate)
                    });
                    key
                }
            };
            self.inherited_mut(child).primary_key = Some(key);
        }
        for unique in &everything.unique_constraints {
            let own = self.table(child).unique_constraints.iter().position(|own| {
                (&own.columns, &own.include, own.nulls_not_distinct)
                    == (&unique.columns, &unique.include, unique.nulls_not_distinct)
            });
            let unique = match own {
                Some(position) => self.table_mut(child).unique_constraints.remove(position),
                None => {
                    let mut unique = unique.clone();
                    let columns: Vec<&String> =
                        unique.columns.iter().chain(&unique.include).collect();
                    unique.name =
                        naming::unique_constraint_name(&child.name, &columns, |candidate| {
                            self.relation_taken(&child.schema, candidate)
                        });
                    unique
                }
            };
            self.inherited_mut(child).unique_constraints.push(unique);
        }
        for key in &everything.foreign_keys {
            let own = self.table(child).foreign_keys.iter().position(|own| {
                let mut renamed = own.clone();
                renamed.name = key.name.clone();
                &renamed == key
            });
            let key = match own {
                Some(position) => self.table_mut(child).foreign_keys.remove(position),
                None => key.clone(),
            };
            self.inherited_mut(child).foreign_keys.push(key);
        }
        for index in &everything.indexes {
            self.attach_or_make_index(index, child);
        }
        // A partitioned table attached: the keys it takes cover its key.
        if let Some(by) = self.table(child).partition_by.clone() {
            check_unique_keys(&self.with_parents_keys(child), &by)?;
        }
        Ok(())
    }

    /// Table `name` with the primary key and unique constraints it has
    /// from its parent as well as its own.
    fn with_parents_keys(&self, name: &QualifiedName) -> Table {
        let mut table = self.table(name).clone();
        if let Some(inherited) = self.inherited.get(name) {
            table.primary_key = table.primary_key.or_else(|| inherited.primary_key.clone());
            table.unique_constraints.extend(inherited.unique_constraints.iter().cloned());
        }
        table
    }

    /// `index` of a partitioned table reaches its partition `child`: an
    /// equal index of the child is attached (`CompareIndexInfo`), else one
    /// is made; a sub-partitioned child passes it on.
    fn attach_or_make_index(&mut self, index: &Index, child: &QualifiedName) {
        let own = self.table(child).indexes.iter().position(|own| same_index(own, index));
        let made = match own {
            Some(position) => self.table_mut(child).indexes.remove(position),
            None => {
                let mut made = index.clone();
                let columns = naming::index_name_columns(index);
                made.name = naming::index_name(&child.name, &columns, |candidate| {
                    self.relation_taken(&child.schema, candidate)
                });
                made
            }
        };
        self.inherited_mut(child).indexes.push(made.clone());
        // A sub-partitioned child's partitions take it too.
        if self.table(child).partition_by.is_some() {
            for grandchild in self.partitions_of(child) {
                let has = self.inherited.get(&grandchild).is_some_and(|inherited| {
                    inherited.indexes.iter().any(|existing| same_index(existing, &made))
                });
                if !has {
                    self.attach_or_make_index(&made, &grandchild);
                }
            }
        }
    }

    /// The partitions of `parent`, in name order.
    pub(super) fn partitions_of(&self, parent: &QualifiedName) -> Vec<QualifiedName> {
        self.schema.children_of(parent).into_iter().map(|table| table.name.clone()).collect()
    }

    /// Every partition and child below `parent`, depth first.
    pub(super) fn descendants_of(&self, parent: &QualifiedName) -> Vec<QualifiedName> {
        let mut found = Vec::new();
        for child in self.partitions_of(parent) {
            found.push(child.clone());
            found.extend(self.descendants_of(&child));
        }
        found
    }

    /// Whether a relation (or an index kept aside for a partition) is
    /// called `name` in `schema`.
    pub(super) fn relation_taken(&self, schema: &str, name: &str) -> bool {
        use crate::expr::Relations as _;
        self.relation_exists(schema, name)
    }

    /// Whether an index, key or unique constraint kept aside takes the
    /// relation name.
    pub(super) fn inherited_relation(&self, qualified: &QualifiedName) -> bool {
        self.inherited.values().any(|table| {
            table.name.schema == qualified.schema
                && (table.indexes.iter().any(|index| index.name == qualified.name)
                    || table.primary_key.as_ref().is_some_and(|key| key.name == qualified.name)
                    || table.unique_constraints.iter().any(|key| key.name == qualified.name))
        })
    }

    /// `PARTITION BY …` of a table just made.
    pub(super) fn set_partition_by(
        &mut self,
        name: &QualifiedName,
        spec: &PartitionSpec,
        warnings: &mut Vec<String>,
    ) -> Result<(), String> {
        let table = self.table(name).clone();
        if !table.inherits.is_empty() {
            return Err("cannot create partitioned table as inheritance child".to_owned());
        }
        let method = match spec.strategy {
            PartitionStrategy::Hash => autogen_schema::IndexMethod::Hash,
            _ => autogen_schema::IndexMethod::Btree,
        };
        let (keys, _) = self.index_keys(&table, &method, spec.keys.iter(), warnings)?;
        let keys: Vec<PartitionKey> = keys
            .into_iter()
            .map(|key| PartitionKey {
                target: key.target,
                collation: key.collation,
                opclass: key.opclass.map(|opclass| opclass.name),
            })
            .collect();
        let by = PartitionBy { strategy: spec.strategy, keys };
        // Its own keys and those of its parent (a sub-partitioned partition).
        check_unique_keys(&self.with_parents_keys(name), &by)?;
        self.table_mut(name).partition_by = Some(by);
        Ok(())
    }

    /// The type of each key of a partitioned table, where known.
    fn key_types(&self, parent: &Table, warnings: &mut Vec<String>) -> Vec<Option<SqlType>> {
        let Some(by) = &parent.partition_by else { return Vec::new() };
        by.keys
            .iter()
            .map(|key| match &key.target {
                IndexTarget::Column(column) => parent.column(column).map(|c| c.data_type.clone()),
                IndexTarget::Expression(text) => {
                    let parsed = crate::ddl::reparse_expression(text).ok()?;
                    let canonical =
                        expr::index_expression(&parsed, &self.scope(&parent.columns)).ok()?;
                    warnings.extend(canonical.uncertain);
                    canonical.data_type
                }
            })
            .collect()
    }

    /// A partition's bound, checked against the parent's key and its
    /// other partitions, printed as the catalog prints it where sure.
    fn bound(
        &self,
        parent: &Table,
        partition: &QualifiedName,
        spec: &BoundSpec,
        warnings: &mut Vec<String>,
    ) -> Result<PartitionBound, String> {
        let Some(by) = &parent.partition_by else {
            return Err(format!("table \"{}\" is not partitioned", parent.name.name));
        };
        let siblings: Vec<&Table> = self
            .schema
            .children_of(&parent.name)
            .into_iter()
            .filter(|sibling| &sibling.name != partition)
            .collect();
        let invalid =
            |strategy: &str| format!("invalid bound specification for a {strategy} partition");
        let types = self.key_types(parent, warnings);
        let mut sure = true;
        let text = match (spec, by.strategy) {
            (BoundSpec::Default, PartitionStrategy::Hash) => {
                return Err("a hash-partitioned table may not have a default partition".to_owned())
            }
            (BoundSpec::Default, _) => {
                if let Some(other) = siblings.iter().find(|sibling| {
                    matches!(
                        &sibling.partition_of,
                        Some(PartitionOf { bound: PartitionBound::Default, .. })
                    )
                }) {
                    return Err(format!(
                        "partition \"{}\" conflicts with existing default partition \"{}\"",
                        partition.name, other.name.name
                    ));
                }
                return Ok(PartitionBound::Default);
            }
            (BoundSpec::In(values, _), PartitionStrategy::List) => {
                let mut printed = Vec::new();
                for value in values {
                    let (text, certain) =
                        bound_value(value, types.first().cloned().flatten(), true)?;
                    sure &= certain;
                    if !printed.contains(&text) {
                        printed.push(text);
                    }
                }
                if sure {
                    for sibling in &siblings {
                        let Some(other) = sibling_values(sibling, "IN (") else { continue };
                        if printed.iter().any(|value| other.contains(value)) {
                            return Err(format!(
                                "partition \"{}\" would overlap partition \"{}\"",
                                partition.name, sibling.name.name
                            ));
                        }
                    }
                }
                format!("IN ({})", printed.join(", "))
            }
            (BoundSpec::In(..), PartitionStrategy::Range) => return Err(invalid("range")),
            (BoundSpec::In(..), PartitionStrategy::Hash) => return Err(invalid("hash")),
            (BoundSpec::Range { from, to, .. }, PartitionStrategy::Range) => {
                let mut sides = Vec::new();
                for (datums, word) in [(from, "FROM"), (to, "TO")] {
                    if datums.len() != by.keys.len() {
                        return Err(format!(
                            "{word} must specify exactly one value per partitioning column"
                        ));
                    }
                    let mut printed = Vec::new();
                    let mut after: Option<&str> = None;
                    for (datum, key_type) in datums.iter().zip(&types) {
                        let text = match datum {
                            RangeDatum::MinValue => "MINVALUE".to_owned(),
                            RangeDatum::MaxValue => "MAXVALUE".to_owned(),
                            RangeDatum::Value(value) => {
                                if matches!(value, Expr::Value(v) if v.value == Value::Null) {
                                    return Err("cannot specify NULL in range bound".to_owned());
                                }
                                let (text, certain) = bound_value(value, key_type.clone(), false)?;
                                sure &= certain;
                                text
                            }
                        };
                        if let Some(previous) = after {
                            if text != previous {
                                return Err(format!(
                                    "every bound following {previous} must also be {previous}"
                                ));
                            }
                        }
                        if text == "MINVALUE" || text == "MAXVALUE" {
                            after = Some(if text == "MINVALUE" { "MINVALUE" } else { "MAXVALUE" });
                        }
                        printed.push(text);
                    }
                    sides.push(printed);
                }
                if sure {
                    let lower = range_values(&sides[0], &types);
                    let upper = range_values(&sides[1], &types);
                    if let (Some(lower), Some(upper)) = (&lower, &upper) {
                        if lower >= upper {
                            return Err(format!(
                                "empty range bound specified for partition \"{}\"",
                                partition.name
                            ));
                        }
                        for sibling in &siblings {
                            let Some((other_lower, other_upper)) = sibling_range(sibling, &types)
                            else {
                                continue;
                            };
                            if lower < &other_upper && &other_lower < upper {
                                return Err(format!(
                                    "partition \"{}\" would overlap partition \"{}\"",
                                    partition.name, sibling.name.name
                                ));
                            }
                        }
                    }
                }
                format!("FROM ({}) TO ({})", sides[0].join(", "), sides[1].join(", "))
            }
            (BoundSpec::Range { .. }, PartitionStrategy::List) => return Err(invalid("list")),
            (BoundSpec::Range { .. }, PartitionStrategy::Hash) => return Err(invalid("hash")),
            (BoundSpec::Hash { modulus, remainder, .. }, PartitionStrategy::Hash) => {
                if *modulus <= 0 {
                    return Err(
                        "modulus for hash partition must be an integer value greater than zero"
                            .to_owned(),
                    );
                }
                if *remainder < 0 {
                    return Err("remainder for hash partition must be an integer value greater than or equal to zero".to_owned());
                }
                if remainder >= modulus {
                    return Err("remainder for hash partition must be less than modulus".to_owned());
                }
                for sibling in &siblings {
                    let Some((other_modulus, other_remainder)) = sibling_hash(sibling) else {
                        continue;
                    };
                    let (greater, lesser) = match other_modulus >= *modulus {
                        true => (other_modulus, *modulus),
                        false => (*modulus, other_modulus),
                    };
                    if greater % lesser != 0 {
                        return Err("every hash partition modulus must be a factor of the next larger modulus"
                            .to_owned());
                    }
                    if other_remainder % lesser == remainder % lesser
                        && (other_modulus >= *modulus && other_remainder % modulus == *remainder
                            || other_modulus < *modulus
                                && remainder % other_modulus == other_remainder)
                    {
                        return Err(format!(
                            "partition \"{}\" would overlap partition \"{}\"",
                            partition.name, sibling.name.name
                        ));
                    }
                }
                format!("WITH (modulus {modulus}, remainder {remainder})")
            }
            (BoundSpec::Hash { .. }, PartitionStrategy::List) => return Err(invalid("list")),
            (BoundSpec::Hash { .. }, PartitionStrategy::Range) => return Err(invalid("range")),
        };
        Ok(PartitionBound::Values(if sure {
            Rewritten::catalog(text)
        } else {
            warnings.push(format!(
                "the bound of partition `{partition}` may differ from PostgreSQL's text \
                 (autogen cannot print every value as the catalog does)"
            ));
            Rewritten::normalised(text)
        }))
    }

    /// `ALTER TABLE parent ATTACH PARTITION name bound`.
    pub(super) fn attach_partition(
        &mut self,
        parent_name: &QualifiedName,
        partition: &Name,
        spec: &BoundSpec,
        warnings: &mut Vec<String>,
    ) -> Result<(), String> {
        let parent = self.table(parent_name).clone();
        if parent.partition_by.is_none() {
            return Err(format!("table \"{}\" is not partitioned", parent_name.name));
        }
        let Some(child_name) = self.find_table(partition) else {
            return Err(format!("relation \"{}\" does not exist", partition.object()));
        };
        let child = self.table(&child_name).clone();
        if child.partition_of.is_some() {
            return Err(format!("\"{}\" is already a partition", child_name.name));
        }
        if !child.inherits.is_empty() {
            return Err("cannot attach inheritance child as partition".to_owned());
        }
        if self.schema.tables.values().any(|other| other.inherits.contains(&child_name)) {
            return Err("cannot attach inheritance parent as partition".to_owned());
        }
        if child_name == *parent_name || self.descendants_of(&child_name).contains(parent_name) {
            return Err(format!(
                "cannot attach \"{}\" as a partition of \"{}\": it would make a cycle",
                child_name.name, parent_name.name
            ));
        }
        if child.unlogged != parent.unlogged {
            return Err(format!(
                "cannot attach a {} relation as partition of {} relation \"{}\"",
                if child.unlogged { "temporary" } else { "permanent" },
                if parent.unlogged { "temporary" } else { "permanent" },
                parent_name.name
            ));
        }
        self.columns_match(&parent, &child, true)?;
        let bound = self.bound(&parent, &child_name, spec, warnings)?;
        let checks = self.inheritable_checks(parent_name);
        self.merge_checks(&child_name, checks, true)?;
        self.table_mut(&child_name).partition_of =
            Some(PartitionOf { parent: parent_name.clone(), bound });
        self.clone_from_parent(parent_name, &child_name)?;
        Ok(())
    }

    /// The columns a table must have to become a partition or child of
    /// `parent`: each of the parent's, of the same type, `NOT NULL` where
    /// the parent's is; a partition none else.
    fn columns_match(&self, parent: &Table, child: &Table, partition: bool) -> Result<(), String> {
        for column in &parent.columns {
            let Some(own) = child.column(&column.name) else {
                return Err(format!("child table is missing column \"{}\"", column.name));
            };
            if own.data_type != column.data_type {
                return Err(format!(
                    "child table \"{}\" has different type for column \"{}\"",
                    child.name.name, column.name
                ));
            }
            if own.collation != column.collation {
                return Err(format!(
                    "child table \"{}\" has different collation for column \"{}\"",
                    child.name.name, column.name
                ));
            }
            if !column.nullable && own.nullable {
                return Err(format!(
                    "column \"{}\" in child table must be marked NOT NULL",
                    column.name
                ));
            }
        }
        if partition {
            if let Some(extra) = child.columns.iter().find(|c| parent.column(&c.name).is_none()) {
                return Err(format!(
                    "table \"{}\" contains column \"{}\" not found in parent \"{}\"",
                    child.name.name, extra.name, parent.name.name
                ));
            }
        }
        Ok(())
    }

    /// `ALTER TABLE parent DETACH PARTITION name`: what the partition had
    /// as the parent's becomes its own.
    pub(super) fn detach_partition(
        &mut self,
        parent_name: &QualifiedName,
        partition: &Name,
    ) -> Result<(), String> {
        let Some(child_name) = self.find_table(partition) else {
            return Err(format!("relation \"{}\" does not exist", partition.object()));
        };
        let is_partition = matches!(&self.table(&child_name).partition_of,
            Some(of) if &of.parent == parent_name);
        if !is_partition {
            return Err(format!(
                "relation \"{}\" is not a partition of relation \"{}\"",
                child_name.name, parent_name.name
            ));
        }
        self.table_mut(&child_name).partition_of = None;
        self.give_back(&child_name);
        Ok(())
    }

    /// What `name` held as its parent's becomes its own.
    fn give_back(&mut self, name: &QualifiedName) {
        let Some(inherited) = self.inherited.remove(name) else { return };
        let table = self.table_mut(name);
        table.check_constraints.extend(inherited.check_constraints);
        table.foreign_keys.extend(inherited.foreign_keys);
        table.indexes.extend(inherited.indexes);
        table.unique_constraints.extend(inherited.unique_constraints);
        if table.primary_key.is_none() {
            table.primary_key = inherited.primary_key;
        }
        table.sort();
    }

    /// `ALTER TABLE child INHERIT parent`.
    pub(super) fn inherit(
        &mut self,
        child_name: &QualifiedName,
        parent: &Name,
    ) -> Result<(), String> {
        let parent_name = self.inheritable_parent(parent)?;
        let child = self.table(child_name).clone();
        if child.partition_of.is_some() {
            return Err("cannot change inheritance of a partition".to_owned());
        }
        if child.partition_by.is_some() {
            return Err("cannot change inheritance of partitioned table".to_owned());
        }
        if &parent_name == child_name
            || self.inheritance_descendants(child_name).contains(&parent_name)
        {
            return Err(format!(
                "circular inheritance not allowed: \"{}\" is already a child of \"{}\"",
                parent_name.name, child_name.name
            ));
        }
        if child.inherits.contains(&parent_name) {
            return Err(format!(
                "relation \"{}\" would be inherited from more than once",
                parent_name.name
            ));
        }
        let parent = self.table(&parent_name).clone();
        self.columns_match(&parent, &child, false)?;
        let checks = self.inheritable_checks(&parent_name);
        self.merge_checks(child_name, checks, true)?;
        self.table_mut(child_name).inherits.push(parent_name);
        Ok(())
    }

    /// Every table inheriting from `parent`, at any depth.
    fn inheritance_descendants(&self, parent: &QualifiedName) -> Vec<QualifiedName> {
        let mut found = Vec::new();
        for table in self.schema.tables.values() {
            if table.inherits.contains(parent) {
                found.push(table.name.clone());
                found.extend(self.inheritance_descendants(&table.name));
            }
        }
        found
    }

    /// `ALTER TABLE child NO INHERIT parent`: the checks it had from the
    /// parent become its own.
    pub(super) fn no_inherit(
        &mut self,
        child_name: &QualifiedName,
        parent: &Name,
    ) -> Result<(), String> {
        if self.table(child_name).partition_of.is_some() {
            return Err("cannot change inheritance of a partition".to_owned());
        }
        let Some(parent_name) = self.find_table(parent) else {
            return Err(format!("relation \"{}\" does not exist", parent.object()));
        };
        let Some(position) =
            self.table(child_name).inherits.iter().position(|name| name == &parent_name)
        else {
            return Err(format!(
                "relation \"{}\" is not a parent of relation \"{}\"",
                parent_name.name, child_name.name
            ));
        };
        self.table_mut(child_name).inherits.remove(position);
        // What it had from that parent alone is its own now.
        let remaining: Vec<QualifiedName> = self.table(child_name).inherits.clone();
        let from_others = |builder: &Self, column: &str| {
            remaining.iter().any(|other| builder.table(other).column(column).is_some())
        };
        let columns: Vec<String> =
            self.table(child_name).columns.iter().map(|column| column.name.clone()).collect();
        for column in columns {
            if !from_others(self, &column) {
                let table = self.table_mut(child_name);
                if let Some(found) = table.columns.iter_mut().find(|c| c.name == column) {
                    found.inherited_only = InheritedOnly(false);
                }
            }
        }
        let parent_checks: Vec<String> =
            self.inheritable_checks(&parent_name).into_iter().map(|check| check.name).collect();
        let still: Vec<String> = self
            .table(child_name)
            .inherits
            .clone()
            .iter()
            .flat_map(|other| self.inheritable_checks(other))
            .map(|check| check.name)
            .collect();
        if let Some(inherited) = self.inherited.get_mut(child_name) {
            let (given, kept): (Vec<_>, Vec<_>) =
                std::mem::take(&mut inherited.check_constraints).into_iter().partition(|check| {
                    parent_checks.contains(&check.name) && !still.contains(&check.name)
                });
            inherited.check_constraints = kept;
            self.table_mut(child_name).check_constraints.extend(given);
        }
        Ok(())
    }

    /// `CREATE INDEX` on a partitioned table without `ONLY`: every
    /// partition takes it.
    pub(super) fn index_partitions(&mut self, table: &QualifiedName, index: &str) {
        if self.table(table).partition_by.is_none() {
            return;
        }
        let Some(made) = self.table(table).indexes.iter().find(|i| i.name == index).cloned() else {
            return;
        };
        for child in self.partitions_of(table) {
            self.attach_or_make_index(&made, &child);
        }
    }

    /// `ALTER INDEX parent_index ATTACH PARTITION partition_index`.
    pub(super) fn attach_index(
        &mut self,
        index: &Name,
        partition_index: &Name,
    ) -> Result<(), String> {
        let Some((parent_table, parent_index)) = self.find_any_index(index) else {
            return Err(format!("relation \"{}\" does not exist", index.object()));
        };
        let Some((child_table, child_index)) = self.find_any_index(partition_index) else {
            return Err(format!("relation \"{}\" does not exist", partition_index.object()));
        };
        // Attached already (when the table was): nothing to do.
        let held = self.inherited.get(&child_table).is_some_and(|inherited| {
            inherited.indexes.iter().any(|index| index.name == child_index)
                || inherited.primary_key.as_ref().is_some_and(|key| key.name == child_index)
                || inherited.unique_constraints.iter().any(|key| key.name == child_index)
        });
        if held && self.find_index(partition_index).is_none() {
            return Ok(());
        }
        let is_partition = matches!(&self.table(&child_table).partition_of,
            Some(of) if of.parent == parent_table);
        if !is_partition {
            return Err(format!(
                "cannot attach index \"{child_index}\" as a partition of index \"{parent_index}\""
            ));
        }
        let everything = self.everything_of(&parent_table);
        let child = self.table(&child_table).clone();
        if let Some(key) = everything.primary_key.as_ref().filter(|key| key.name == parent_index) {
            match &child.primary_key {
                Some(own) if own.name == child_index && own.columns == key.columns => {
                    let own = self.table_mut(&child_table).primary_key.take();
                    self.inherited_mut(&child_table).primary_key = own;
                    return Ok(());
                }
                _ => {}
            }
        }
        if let Some(unique) = everything.unique_constraints.iter().find(|u| u.name == parent_index)
        {
            if let Some(position) = child
                .unique_constraints
                .iter()
                .position(|own| own.name == child_index && own.columns == unique.columns)
            {
                let own = self.table_mut(&child_table).unique_constraints.remove(position);
                self.inherited_mut(&child_table).unique_constraints.push(own);
                return Ok(());
            }
        }
        if let Some(parent) = everything.indexes.iter().find(|i| i.name == parent_index) {
            if let Some(position) = child
                .indexes
                .iter()
                .position(|own| own.name == child_index && same_index(own, parent))
            {
                let own = self.table_mut(&child_table).indexes.remove(position);
                self.inherited_mut(&child_table).indexes.push(own);
                return Ok(());
            }
        }
        Err(format!(
            "cannot attach index \"{child_index}\" as a partition of index \"{parent_index}\": \
             the index definitions do not match"
        ))
    }

    /// An index (or a key's or unique constraint's) by name, of a table's
    /// own or kept aside as its parent's.
    fn find_any_index(&self, name: &Name) -> Option<(QualifiedName, String)> {
        if let Some(found) = self.find_index(name) {
            return Some(found);
        }
        let mut found = None;
        self.lookup(name, |qualified| {
            found = self
                .inherited
                .values()
                .find(|table| {
                    table.name.schema == qualified.schema && {
                        let name = &qualified.name;
                        table.indexes.iter().any(|index| &index.name == name)
                            || table.primary_key.as_ref().is_some_and(|key| &key.name == name)
                            || table.unique_constraints.iter().any(|key| &key.name == name)
                    }
                })
                .map(|table| (table.name.clone(), qualified.name.clone()));
            found.is_some()
        });
        found
    }

    /// A check, primary key, unique constraint or foreign key added to a
    /// table without `ONLY`: its partitions (and, for a check, its
    /// children) take it as the parent's.
    pub(super) fn constraint_reaches_children(
        &mut self,
        table: &QualifiedName,
        constraint: &Constraint,
        only: bool,
    ) -> Result<(), String> {
        let partitioned = self.table(table).partition_by.is_some();
        let is_check = matches!(constraint.kind, ConstraintKind::Check { no_inherit: false, .. });
        if only {
            if partitioned && is_check && !self.partitions_of(table).is_empty() {
                return Err("constraint must be added to child tables too".to_owned());
            }
            return Ok(());
        }
        let children: Vec<QualifiedName> = match partitioned {
            true => self.partitions_of(table),
            false if is_check => self.inheritance_children(table),
            false => return Ok(()),
        };
        for child in children {
            if is_check || partitioned {
                self.clone_new_constraints(table, &child)?;
            }
            let grandchildren = self.table(&child).partition_by.is_some()
                || !self.inheritance_children(&child).is_empty();
            if grandchildren {
                self.constraint_reaches_children(&child, constraint, false)?;
            }
        }
        Ok(())
    }

    fn inheritance_children(&self, parent: &QualifiedName) -> Vec<QualifiedName> {
        (self.schema.tables.values())
            .filter(|table| table.inherits.contains(parent))
            .map(|table| table.name.clone())
            .collect()
    }

    /// What `parent` has that `child` does not hold yet as the parent's.
    fn clone_new_constraints(
        &mut self,
        parent: &QualifiedName,
        child: &QualifiedName,
    ) -> Result<(), String> {
        let held = self.inherited.get(child).cloned().unwrap_or_else(|| Table::new(child.clone()));
        let everything = self.everything_of(parent);
        let partition = self.table(child).partition_of.is_some();
        let checks: Vec<CheckConstraint> = (everything.check_constraints.iter())
            .filter(|check| !check.no_inherit)
            .filter(|check| !held.check_constraints.iter().any(|h| h.name == check.name))
            .cloned()
            .collect();
        self.merge_checks(child, checks, false)?;
        if !partition {
            return Ok(());
        }
        if held.primary_key.is_none() && everything.primary_key.is_some() {
            let mut only_key = Table::new(parent.clone());
            only_key.primary_key = everything.primary_key.clone();
            self.clone_pieces(only_key, child)?;
        }
        let mut rest = Table::new(parent.clone());
        rest.unique_constraints = (everything.unique_constraints.iter())
            .filter(|u| !held.unique_constraints.iter().any(|h| h.columns == u.columns))
            .cloned()
            .collect();
        rest.foreign_keys = (everything.foreign_keys.iter())
            .filter(|k| !held.foreign_keys.iter().any(|h| h.name == k.name))
            .cloned()
            .collect();
        self.clone_pieces(rest, child)
    }

    fn clone_pieces(&mut self, pieces: Table, child: &QualifiedName) -> Result<(), String> {
        let name = pieces.name.clone();
        let saved = self.inherited.remove(&name);
        let real = self.schema.tables.insert(name.clone(), pieces);
        let result = self.clone_from_parent(&name, child);
        match real {
            Some(real) => self.schema.tables.insert(name.clone(), real),
            None => self.schema.tables.remove(&name),
        };
        if let Some(saved) = saved {
            self.inherited.insert(name, saved);
        }
        result
    }

    /// A column of a partition or child that it has from a parent: it
    /// cannot be dropped or renamed there.
    pub(super) fn inherited_column(&self, table: &QualifiedName, column: &str) -> bool {
        self.table(table).parents().iter().any(|parent| {
            self.schema.tables.get(*parent).is_some_and(|p| p.column(column).is_some())
        })
    }

    /// The tables an `ALTER TABLE` without `ONLY` reaches besides `table`:
    /// its partitions and children, at every depth.
    pub(super) fn recursion_targets(&self, table: &QualifiedName) -> Vec<QualifiedName> {
        let mut found = Vec::new();
        let mut stack = vec![table.clone()];
        while let Some(next) = stack.pop() {
            for child in self.schema.tables.values() {
                if child.parents().contains(&&next) && !found.contains(&child.name) {
                    found.push(child.name.clone());
                    stack.push(child.name.clone());
                }
            }
        }
        found
    }

    /// `CREATE INDEX … ON ONLY`, or without `ONLY` on a partitioned table.
    pub(super) fn created_index_reaches_partitions(
        &mut self,
        statement: &CreateIndex,
        table: &QualifiedName,
        before: usize,
    ) {
        if statement.only {
            return;
        }
        let added = self.table(table).indexes.get(before).map(|index| index.name.clone());
        if let Some(index) = added {
            self.index_partitions(table, &index);
        }
    }
}

/// A parent's column as a partition or child has it: no identity, no
/// owned sequence (the parent's), the rest copied.
fn inherited_column(column: &Column) -> Column {
    let mut column = column.clone();
    column.identity = None;
    column.owned_sequence = None;
    column.comment = None;
    column
}

/// `CompareIndexInfo`: the same keys, operator classes, collations,
/// expressions, predicate and uniqueness (names and storage aside).
fn same_index(left: &Index, right: &Index) -> bool {
    (&left.keys, left.unique, &left.method, &left.include, &left.predicate, left.nulls_not_distinct)
        == (
            &right.keys,
            right.unique,
            &right.method,
            &right.include,
            &right.predicate,
            right.nulls_not_distinct,
        )
}

/// A primary key or unique constraint of a partitioned table holds every
/// key column.
fn check_unique_keys(table: &Table, by: &PartitionBy) -> Result<(), String> {
    let mut constraints: Vec<(&str, &[String])> = Vec::new();
    if let Some(key) = &table.primary_key {
        constraints.push(("PRIMARY KEY", &key.columns));
    }
    for unique in &table.unique_constraints {
        constraints.push(("UNIQUE", &unique.columns));
    }
    for (kind, columns) in constraints {
        for key in &by.keys {
            match &key.target {
                IndexTarget::Column(column) if !columns.contains(column) => {
                    return Err(format!(
                        "unique constraint on partitioned table must include all partitioning \
                         columns: {kind} constraint on table \"{}\" lacks column \"{column}\" \
                         which is part of the partition key",
                        table.name.name
                    ));
                }
                IndexTarget::Expression(_) => {
                    return Err(format!(
                        "unsupported {kind} constraint with partition key definition"
                    ));
                }
                _ => {}
            }
        }
    }
    Ok(())
}

/// The check a key or unique constraint added to a partitioned table
/// must pass.
pub(super) fn check_partitioned_unique(table: &Table) -> Result<(), String> {
    match &table.partition_by {
        Some(by) => check_unique_keys(table, by),
        None => Ok(()),
    }
}

/// A bound's value as `pg_get_expr` prints it for a key of `key_type`,
/// and whether autogen is sure of that text.
fn bound_value(
    value: &Expr,
    key_type: Option<SqlType>,
    list: bool,
) -> Result<(String, bool), String> {
    let literal = literal_of(value);
    let normalised = || (value.to_string(), false);
    let Some(literal) = literal else { return Ok(normalised()) };
    let Some(key_type) = key_type else { return Ok(normalised()) };
    let text = match literal {
        Literal::Null if list => return Ok(("NULL".to_owned(), true)),
        Literal::Null => return Err("cannot specify NULL in range bound".to_owned()),
        Literal::Number(text) | Literal::String(text) => text,
        Literal::Bool(value) => value.to_string(),
    };
    let invalid =
        |type_name: &str| format!("invalid input syntax for type {type_name}: \"{text}\"");
    let printed = match &key_type {
        SqlType::Integer | SqlType::SmallInt | SqlType::BigInt => {
            let Ok(number) = parse_integer(&text) else {
                return Err(invalid(match key_type {
                    SqlType::Integer => "integer",
                    SqlType::SmallInt => "smallint",
                    _ => "bigint",
                }));
            };
            let (low, high, name) = match key_type {
                SqlType::SmallInt => (i16::MIN as i128, i16::MAX as i128, "smallint"),
                SqlType::Integer => (i32::MIN as i128, i32::MAX as i128, "integer"),
                _ => (i64::MIN as i128, i64::MAX as i128, "bigint"),
            };
            if number < low || number > high {
                return Err(format!("value \"{text}\" is out of range for type {name}"));
            }
            match (key_type, number >= 0) {
                (SqlType::Integer, true) => number.to_string(),
                _ => format!("'{number}'"),
            }
        }
        SqlType::Text | SqlType::Varchar { .. } => autogen_schema::quote_literal(&text),
        SqlType::Boolean => match text.trim().to_ascii_lowercase().as_str() {
            "t" | "true" | "y" | "yes" | "on" | "1" => "true".to_owned(),
            "f" | "false" | "n" | "no" | "off" | "0" => "false".to_owned(),
            _ => return Err(invalid("boolean")),
        },
        SqlType::Uuid => {
            let lower = text.trim().to_ascii_lowercase();
            let groups: Vec<&str> = lower.split('-').collect();
            let shape =
                groups.iter().map(|group| group.len()).collect::<Vec<_>>() == [8, 4, 4, 4, 12];
            if !shape || !lower.chars().all(|c| c == '-' || c.is_ascii_hexdigit()) {
                return Ok(normalised());
            }
            format!("'{lower}'")
        }
        SqlType::Date => match parse_timestamp(&text) {
            Some(stamp) if stamp.time == 0 && stamp.offset.is_none() => {
                format!("'{}'", stamp.date_text())
            }
            _ => return Ok(normalised()),
        },
        SqlType::Timestamp { with_time_zone: false, .. } => match parse_timestamp(&text) {
            Some(stamp) if stamp.offset.is_none() => format!("'{}'", stamp.text()),
            _ => return Ok(normalised()),
        },
        SqlType::Timestamp { with_time_zone: true, .. } => match parse_timestamp(&text) {
            Some(stamp) => format!("'{}+00'", stamp.in_utc().text()),
            None => return Ok(normalised()),
        },
        _ => return Ok(normalised()),
    };
    Ok((printed, true))
}

enum Literal {
    Null,
    Number(String),
    String(String),
    Bool(bool),
}

fn literal_of(value: &Expr) -> Option<Literal> {
    match value {
        Expr::Value(value) => match &value.value {
            Value::Null => Some(Literal::Null),
            Value::Number(text, _) => Some(Literal::Number(text.clone())),
            Value::SingleQuotedString(text)
            | Value::EscapedStringLiteral(text)
            | Value::DollarQuotedString(sqlparser::ast::DollarQuotedString {
                value: text, ..
            }) => Some(Literal::String(text.clone())),
            Value::Boolean(value) => Some(Literal::Bool(*value)),
            _ => None,
        },
        Expr::UnaryOp { op: UnaryOperator::Minus, expr } => match literal_of(expr)? {
            Literal::Number(text) => Some(Literal::Number(format!("-{text}"))),
            _ => None,
        },
        Expr::UnaryOp { op: UnaryOperator::Plus, expr } => match literal_of(expr)? {
            Literal::Number(text) => Some(Literal::Number(text)),
            _ => None,
        },
        Expr::Nested(inner) => literal_of(inner),
        _ => None,
    }
}

/// An integer as `int4in` reads it (spaces around, a sign, digits; a
/// number in exponent or decimal form only where it is whole).
fn parse_integer(text: &str) -> Result<i128, ()> {
    let trimmed = text.trim();
    if let Ok(value) = trimmed.parse::<i128>() {
        return Ok(value);
    }
    Err(())
}

/// A timestamp read from text: days since 1970-01-01, microseconds into
/// the day, the offset from UTC in seconds where written.
struct Stamp {
    days: i64,
    time: i64,
    offset: Option<i64>,
}

impl Stamp {
    fn date_text(&self) -> String {
        let (year, month, day) = civil_from_days(self.days);
        format!("{year:04}-{month:02}-{day:02}")
    }

    fn text(&self) -> String {
        let seconds = self.time / 1_000_000;
        let micros = self.time % 1_000_000;
        let mut text = format!(
            "{} {:02}:{:02}:{:02}",
            self.date_text(),
            seconds / 3600,
            seconds / 60 % 60,
            seconds % 60
        );
        if micros != 0 {
            let fraction = format!("{micros:06}");
            text.push('.');
            text.push_str(fraction.trim_end_matches('0'));
        }
        text
    }

    fn in_utc(&self) -> Stamp {
        let total = self.days * 86_400_000_000 + self.time - self.offset.unwrap_or(0) * 1_000_000;
        Stamp {
            days: total.div_euclid(86_400_000_000),
            time: total.rem_euclid(86_400_000_000),
            offset: Some(0),
        }
    }
}

/// `YYYY-MM-DD[ HH:MM[:SS[.ffffff]]][±HH[:MM]|Z]` (`T` between date and
/// time too); anything else is not read (the text is then kept
/// normalised).
fn parse_timestamp(text: &str) -> Option<Stamp> {
    let text = text.trim();
    let (date, rest) = match text.find([' ', 'T']) {
        Some(at) => (&text[..at], text[at + 1..].trim()),
        None => (text, ""),
    };
    let mut parts = date.split('-');
    let year: i64 = parts.next()?.parse().ok()?;
    let month: i64 = parts.next()?.parse().ok()?;
    let day: i64 = parts.next()?.parse().ok()?;
    if parts.next().is_some() || !(1..=12).contains(&month) || day < 1 || day > days_in(year, month)
    {
        return None;
    }
    if !(1..=9999).contains(&year) {
        return None;
    }
    let days = days_from_civil(year, month, day);
    if rest.is_empty() {
        return Some(Stamp { days, time: 0, offset: None });
    }
    let (clock, offset) = match rest.find(['+', '-', 'Z', 'z']) {
        Some(at) => (rest[..at].trim(), Some(rest[at..].trim())),
        None => (rest, None),
    };
    let mut pieces = clock.split(':');
    let hour: i64 = pieces.next()?.parse().ok()?;
    let minute: i64 = pieces.next()?.parse().ok()?;
    let (second, micros) = match pieces.next() {
        None => (0, 0),
        Some(seconds) => match seconds.split_once('.') {
            None => (seconds.parse().ok()?, 0),
            Some((whole, fraction)) => {
                if fraction.len() > 6 || !fraction.bytes().all(|b| b.is_ascii_digit()) {
                    return None;
                }
                (whole.parse().ok()?, format!("{fraction:0<6}").parse().ok()?)
            }
        },
    };
    if pieces.next().is_some() || hour > 23 || minute > 59 || second > 59 {
        return None;
    }
    let offset = match offset {
        None => None,
        Some("Z" | "z") => Some(0),
        Some(offset) => {
            let sign = if offset.starts_with('-') { -1 } else { 1 };
            let digits = &offset[1..];
            let (hours, minutes) = match digits.split_once(':') {
                Some((hours, minutes)) => {
                    (hours.parse::<i64>().ok()?, minutes.parse::<i64>().ok()?)
                }
                None if digits.len() <= 2 => (digits.parse::<i64>().ok()?, 0),
                None if digits.len() == 4 => (digits[..2].parse().ok()?, digits[2..].parse().ok()?),
                None => return None,
            };
            if hours > 15 || minutes > 59 {
                return None;
            }
            Some(sign * (hours * 3600 + minutes * 60))
        }
    };
    let time = ((hour * 60 + minute) * 60 + second) * 1_000_000 + micros;
    Some(Stamp { days, time, offset })
}

fn days_in(year: i64, month: i64) -> i64 {
    match month {
        2 if year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date.
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let day_of_year = (153 * (month + if month > 2 { -3 } else { 9 }) + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let days = days + 719_468;
    let era = days.div_euclid(146_097);
    let day_of_era = days - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let mp = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = year_of_era + era * 400 + if month <= 2 { 1 } else { 0 };
    (year, month, day)
}

/// The values of a sibling's list bound, as printed.
fn sibling_values(sibling: &Table, prefix: &str) -> Option<Vec<String>> {
    let Some(PartitionOf { bound: PartitionBound::Values(values), .. }) = &sibling.partition_of
    else {
        return None;
    };
    let inner = values.text.strip_prefix(prefix)?.strip_suffix(')')?;
    Some(split_top(inner))
}

/// Splits `a, 'b,c', d` at its top-level commas.
fn split_top(text: &str) -> Vec<String> {
    let mut parts = Vec::new();
    let mut current = String::new();
    let mut quoted = false;
    for character in text.chars() {
        match character {
            '\'' => {
                quoted = !quoted;
                current.push(character);
            }
            ',' if !quoted => parts.push(std::mem::take(&mut current).trim().to_owned()),
            _ => current.push(character),
        }
    }
    parts.push(current.trim().to_owned());
    parts
}

/// One value of a range bound, comparable where autogen knows the order
/// of its type (integers, dates, timestamps).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Ordered {
    MinValue,
    Value(i128),
    MaxValue,
}

fn range_values(printed: &[String], types: &[Option<SqlType>]) -> Option<Vec<Ordered>> {
    printed
        .iter()
        .zip(types)
        .map(|(text, key_type)| match text.as_str() {
            "MINVALUE" => Some(Ordered::MinValue),
            "MAXVALUE" => Some(Ordered::MaxValue),
            _ => {
                let bare = text.trim_matches('\'');
                match key_type.as_ref()? {
                    SqlType::Integer | SqlType::SmallInt | SqlType::BigInt => {
                        bare.parse().ok().map(Ordered::Value)
                    }
                    SqlType::Date | SqlType::Timestamp { .. } => {
                        let stamp = parse_timestamp(bare.trim_end_matches("+00"))?;
                        Some(Ordered::Value(
                            stamp.days as i128 * 86_400_000_000 + stamp.time as i128,
                        ))
                    }
                    _ => None,
                }
            }
        })
        .collect()
}

fn sibling_range(
    sibling: &Table,
    types: &[Option<SqlType>],
) -> Option<(Vec<Ordered>, Vec<Ordered>)> {
    let Some(PartitionOf { bound: PartitionBound::Values(values), .. }) = &sibling.partition_of
    else {
        return None;
    };
    let rest = values.text.strip_prefix("FROM (")?;
    let (lower, upper) = rest.split_once(") TO (")?;
    let upper = upper.strip_suffix(')')?;
    Some((range_values(&split_top(lower), types)?, range_values(&split_top(upper), types)?))
}

fn sibling_hash(sibling: &Table) -> Option<(i64, i64)> {
    let Some(PartitionOf { bound: PartitionBound::Values(values), .. }) = &sibling.partition_of
    else {
        return None;
    };
    let rest = values.text.strip_prefix("WITH (modulus ")?;
    let (modulus, remainder) = rest.strip_suffix(')')?.split_once(", remainder ")?;
    Some((modulus.parse().ok()?, remainder.parse().ok()?))
}

impl Builder {
    /// One action of `ALTER TABLE [ONLY] table`: applied to the table,
    /// then (without `ONLY`) to its partitions and children where
    /// PostgreSQL recurses.
    pub(super) fn alter_table_and_children(
        &mut self,
        table: QualifiedName,
        only: bool,
        action: &AlterTable,
        warnings: &mut Vec<String>,
    ) -> Result<QualifiedName, String> {
        let partitioned = self.table(&table).partition_by.is_some();
        match action {
            AlterTable::DropColumn { name, .. } if self.inherited_column(&table, name) => {
                return Err(format!("cannot drop inherited column \"{name}\""));
            }
            AlterTable::RenameColumn { old, .. } if self.inherited_column(&table, old) => {
                return Err(format!("cannot rename inherited column \"{old}\""));
            }
            AlterTable::AlterColumn { name, change: ColumnChange::Type { .. } }
                if self.inherited_column(&table, name) =>
            {
                return Err(format!("cannot alter inherited column \"{name}\""));
            }
            AlterTable::AlterColumn { name, change: ColumnChange::DropNotNull }
                if self.table(&table).partition_of.as_ref().is_some_and(|of| {
                    self.table(&of.parent).column(name).is_some_and(|column| !column.nullable)
                }) =>
            {
                return Err(format!("column \"{name}\" is marked NOT NULL in parent table"));
            }
            AlterTable::AddColumn { .. }
                if only && partitioned && !self.partitions_of(&table).is_empty() =>
            {
                return Err("column must be added to child tables too".to_owned());
            }
            AlterTable::DropColumn { .. }
                if only && partitioned && !self.partitions_of(&table).is_empty() =>
            {
                return Err(
                    "cannot drop column from only the partitioned table when partitions exist"
                        .to_owned(),
                );
            }
            AlterTable::AddColumn { .. } if self.table(&table).partition_of.is_some() => {
                return Err("cannot add column to a partition".to_owned());
            }
            _ => {}
        }
        let recursive = match action {
            AlterTable::AddColumn { .. }
            | AlterTable::DropColumn { .. }
            | AlterTable::RenameColumn { .. } => true,
            AlterTable::AlterColumn { change, .. } => matches!(
                change,
                ColumnChange::SetNotNull
                    | ColumnChange::DropNotNull
                    | ColumnChange::SetDefault(_)
                    | ColumnChange::DropDefault
                    | ColumnChange::Type { .. }
            ),
            _ => false,
        };
        let children = match recursive && !only {
            true => self.recursion_targets(&table),
            false => Vec::new(),
        };
        let renamed = self.alter_table(table, action, warnings)?;
        for child in children {
            let has = |column: &str| self.table(&child).column(column).is_some();
            let partition = self.table(&child).partition_of.is_some();
            // A column a child declared itself stays when its parent's goes.
            let own = |column: &str| {
                !partition && self.table(&child).column(column).is_some_and(|c| !c.inherited_only.0)
            };
            let skip = match action {
                AlterTable::AddColumn { column, .. } => has(&column.name),
                AlterTable::DropColumn { name, .. } => !has(name) || own(name),
                AlterTable::AlterColumn { name, .. } => !has(name),
                AlterTable::RenameColumn { old, .. } => !has(old),
                _ => false,
            };
            if !skip {
                self.alter_table(child.clone(), action, warnings)?;
                if let (AlterTable::AddColumn { column, .. }, false) = (action, partition) {
                    let table = self.table_mut(&child);
                    if let Some(added) = table.columns.iter_mut().find(|c| c.name == column.name) {
                        added.inherited_only = InheritedOnly(true);
                    }
                }
            }
        }
        if let AlterTable::AddConstraint(constraint) = action {
            check_partitioned_unique(self.table(&renamed))?;
            self.constraint_reaches_children(&renamed, constraint, only)?;
        }
        Ok(renamed)
    }

    /// `DROP TABLE parent`: its partitions go with it; children by
    /// inheritance only with `CASCADE`.
    pub(super) fn drop_partitions_and_children(
        &mut self,
        table: &QualifiedName,
        cascade: bool,
    ) -> Result<(), String> {
        let children: Vec<(QualifiedName, bool)> = (self.schema.tables.values())
            .filter(|child| child.parents().contains(&table))
            .map(|child| (child.name.clone(), child.partition_of.is_some()))
            .collect();
        for (child, partition) in children {
            if !partition && !cascade {
                return Err(format!(
                    "cannot drop table {} because other objects depend on it: table {} \
                     depends on table {} (use CASCADE)",
                    table.name, child.name, table.name
                ));
            }
            if !self.schema.tables.contains_key(&child) {
                continue;
            }
            if !partition && self.table(&child).inherits.len() > 1 {
                // A child of several parents loses only this one.
                self.table_mut(&child).inherits.retain(|parent| parent != table);
                continue;
            }
            let name = Name(vec![child.schema.clone(), child.name.clone()]);
            self.drop(crate::ddl::DropKind::Table, false, &name, cascade)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timestamps_are_printed_as_postgresql_prints_them_in_utc() {
        let stamp = parse_timestamp("2025-06-02 10:30+02").unwrap();
        assert_eq!(stamp.in_utc().text(), "2025-06-02 08:30:00");
        let stamp = parse_timestamp("2025-1-2").unwrap();
        assert_eq!(stamp.text(), "2025-01-02 00:00:00");
        let stamp = parse_timestamp("2025-01-01 00:30:00.50-01:00").unwrap();
        assert_eq!(stamp.in_utc().text(), "2025-01-01 01:30:00.5");
        assert_eq!(parse_timestamp("2025-02-29"), None);
        assert_eq!(civil_from_days(days_from_civil(2024, 2, 29)), (2024, 2, 29));
    }

    impl PartialEq for Stamp {
        fn eq(&self, other: &Self) -> bool {
            (self.days, self.time, self.offset) == (other.days, other.time, other.offset)
        }
    }
    impl std::fmt::Debug for Stamp {
        fn fmt(&self, formatter: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            formatter.write_str(&self.text())
        }
    }
}
