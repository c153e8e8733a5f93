//! The safety net for what the model does not describe yet: a plan that
//! would drop or change something an unmodelled object depends on (a rule
//! on a column, a foreign table's column of an enum type), drop a table
//! the declared schema turns into something autogen does not model (a
//! foreign table), or create a relation whose name such an object holds,
//! is blocked: each reason is one message naming the object, what the
//! plan would do to it, and what unblocks it. So is what autogen models
//! but cannot change yet: a table's partitioning, a partition leaving its
//! parent with what the parent gave it, an enum swapped under a partition
//! key. Never SQL that fails at apply, never an object taken along
//! without a word.

use autogen_schema::{quote_ident, Dependency, QualifiedName, Reference, Schema, UnmodelledObject};

use crate::hints::toml_key;
use crate::operation::{Operation, Step};

/// What a step does to a modelled object.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Harm {
    /// Dropped on its own (a column, a type, a sequence, an index): every
    /// dependency on it refuses (or, for an automatic one, takes the
    /// dependent along).
    Drop,
    /// Dropped with its table: what belongs to the table (its triggers,
    /// policies, rules) goes with it; what only uses it refuses.
    DropWithTable,
    /// Its type changed: PostgreSQL refuses under a view, rule, policy or
    /// trigger that uses it.
    Alter,
    /// A view or materialized view dropped to be created again: what
    /// belongs to it (a trigger, a rule) would be lost, what uses it
    /// refuses.
    Rebuild,
}

/// The messages of what `steps` would break, in plan order; empty when
/// nothing.
pub(crate) fn check(steps: &[Step], from: &Schema, to: &Schema) -> Vec<String> {
    let mut blocked = Vec::new();
    for step in steps {
        let operation = &step.operation;
        if let Some(name) = created_relation(operation) {
            if let Some(object) = from.unmodelled.relation(name) {
                blocked.push(format!(
                    "cannot {}: the database holds {object} (autogen does not model {} yet), \
                     so the name is taken. Write this change by hand, or leave {name} alone \
                     with ignore = [{}]",
                    operation.describe(),
                    plural(&object.kind),
                    toml_key(&name.to_string()),
                ));
            }
        }
        if let Operation::DropTable(table) = operation {
            if let Some(object) = to.unmodelled.relation(&table.name) {
                blocked.push(format!(
                    "cannot drop table {}: the declared schema makes it {} {}, which autogen \
                     does not model yet, and dropping it would lose its rows. Write this change \
                     by hand, or leave it alone with ignore = [{}]",
                    table.name,
                    article(&object.kind),
                    object.kind,
                    toml_key(&table.name.to_string()),
                ));
            }
        }
        if let Operation::SwapEnum { from: swapped, columns, .. } = operation {
            // PostgreSQL cannot change the type of a partition key.
            for column in columns {
                let key = from.tables.get(&column.table).is_some_and(|table| {
                    table.partition_by.iter().flat_map(|by| &by.keys).any(|key| {
                        key.target == autogen_schema::IndexTarget::Column(column.column.clone())
                    })
                });
                if key {
                    blocked.push(format!(
                        "cannot {}: column {} of {} is a partition key of its type, and \
                         PostgreSQL cannot change a partition key's type. Write this change by \
                         hand (a new partitioned table, the rows moved), or keep the enum's \
                         values",
                        operation.describe(),
                        quote_ident(&column.column),
                        column.table,
                    ));
                }
            }
            // A domain over the enum keeps the old type: its drop would fail.
            let over = |domain: &&autogen_schema::Domain| {
                domain.data_type.element()
                    == &autogen_schema::SqlType::UserDefined { name: swapped.name.clone() }
            };
            for domain in from.domains.values().filter(over) {
                blocked.push(format!(
                    "cannot {}: domain {} is over it, and autogen does not move a domain to a \
                     swapped enum yet. Write this change by hand (drop the domain's use, swap \
                     the enum, create the domain again), or leave {} alone with ignore = [{}]",
                    operation.describe(),
                    domain.name,
                    swapped.name,
                    toml_key(&swapped.name.to_string()),
                ));
            }
        }
        if let Operation::ReplaceComposite { from: old, to: new, columns } = operation {
            blocked.extend(replaced_composite_users(from, old, new, columns));
        }
        if let Operation::DropSchema(schema) = operation {
            for object in from.unmodelled.objects.iter().filter(|object| object.schema == *schema) {
                blocked.push(format!(
                    "cannot drop schema {}: it holds {object}, which autogen does not model yet. \
                     Drop it by hand first, or keep the schema",
                    quote_ident(schema),
                ));
            }
        }
        let mut harmed = harmed(operation);
        // A view dropped and created again loses what belongs to it.
        for (reference, harm) in &mut harmed {
            if let Reference::View(name) | Reference::MaterializedView(name) = reference {
                if to.has_view(name) {
                    *harm = Harm::Rebuild;
                }
            }
        }
        for object in &from.unmodelled.objects {
            // One reason per object and step: the first thing it needs.
            let found = harmed.iter().find_map(|(reference, harm)| {
                object
                    .depends_on
                    .iter()
                    .find(|dependency| breaks(dependency, reference, *harm, object))
            });
            if let Some(dependency) = found {
                let owner = table_of(operation).unwrap_or_else(|| owner_name(&dependency.on));
                blocked.push(format!(
                    "cannot {}: {object} depends on {}, and autogen does not model {} yet \
                     (PostgreSQL would refuse the step, or take the {} with it). Change the {} \
                     by hand around this migration, or leave {owner} alone with ignore = [{}]",
                    operation.describe(),
                    dependency.on,
                    plural(&object.kind),
                    object.kind,
                    object.kind,
                    toml_key(&owner.to_string()),
                ));
            }
        }
    }
    blocked.extend(partitioning_refusals(from, to));
    blocked.dedup();
    blocked.into_iter().map(|message| autogen_schema::one_line(&message).into_owned()).collect()
}

/// What autogen does not change of a kept table's partitioning: a table
/// becoming partitioned (or plain again, or partitioned by other keys)
/// whose rows cannot be moved into a new table
/// ([`crate::ops::repartition::why_not_moved`]; the others were set aside
/// before the guard sees `from`), and a partition moving to another parent
/// (or detached, its clones' names unknown) while it holds what the parent
/// gave it (constraints and indexes PostgreSQL leaves on it under names of
/// its own choosing).
fn partitioning_refusals(from: &Schema, to: &Schema) -> Vec<String> {
    let mut blocked = Vec::new();
    for (name, new) in &to.tables {
        let Some(old) = from.tables.get(name) else { continue };
        if old.partition_by != new.partition_by {
            let what = match (&old.partition_by, &new.partition_by) {
                (None, Some(by)) => format!("make table {name} partitioned ({})", by.sql()),
                (Some(_), None) => format!("make partitioned table {name} a plain table"),
                (_, Some(by)) => format!("partition table {name} anew ({})", by.sql()),
                (None, None) => continue,
            };
            let why = crate::ops::repartition::why_not_moved(from, to, name)
                .unwrap_or_else(|| "its rows cannot be moved into a new table".to_owned());
            blocked.push(format!(
                "cannot {what}: PostgreSQL cannot change a table's partitioning in place, and \
                 autogen moves the rows into a new table only for a table at the top of its \
                 partitions: {why}. Or leave {name} alone with ignore = [{}]",
                toml_key(&name.to_string()),
            ));
        }
        // Detached for good, it takes over what it had under the names
        // the source says; moved to another parent, or with those names
        // unknown, it cannot.
        let leaves = match (&old.partition_of, &new.partition_of) {
            (Some(before), Some(after)) => before.parent != after.parent,
            (Some(_), None) => old.from_parents.0.is_none(),
            _ => false,
        };
        let Some(parent) = old.partition_of.as_ref().and_then(|of| from.tables.get(&of.parent))
        else {
            continue;
        };
        let gives = parent.primary_key.is_some()
            || !parent.unique_constraints.is_empty()
            || !parent.foreign_keys.is_empty()
            || !parent.exclusion_constraints.is_empty()
            || !parent.indexes.is_empty();
        if leaves && gives && to.tables.contains_key(&parent.name) {
            blocked.push(format!(
                "cannot detach partition {name} from {}: it holds the indexes and constraints \
                 {} gave it, which stay on it under names PostgreSQL chose, and autogen takes \
                 them over only for a partition that stays a table of its own, read from a \
                 source that names them (a database, SQL). Detach it by hand (and rename or \
                 drop what it keeps), or leave {name} alone with ignore = [{}]",
                parent.name,
                parent.name,
                toml_key(&name.to_string()),
            ));
        }
    }
    blocked
}

/// Why a composite type cannot be replaced as the plan would: its
/// attributes are reordered (values read as text would land in the wrong
/// fields), or something other than the columns the step moves holds it —
/// a domain over it, another composite type's attribute, a column through
/// one of those — and would keep the old type, so dropping it would fail.
fn replaced_composite_users(
    from: &Schema,
    old: &autogen_schema::CompositeType,
    new: &autogen_schema::CompositeType,
    moved: &[crate::operation::SwappedColumn],
) -> Vec<String> {
    let name = &old.name;
    let describe = format!("change the attribute types of {name}");
    let by_hand = format!(
        "Write this change by hand (move those users off the type, change it, move them \
         back), or leave {name} alone with ignore = [{}]",
        toml_key(&name.to_string())
    );
    let mut reasons = Vec::new();
    if !crate::ops::composites::keeps_attribute_order(old, new) {
        reasons.push(format!(
            "cannot {describe}: columns hold it and its attributes are reordered, so values \
             cannot be moved over field by field. {by_hand}"
        ));
    }
    let holds = |data_type: &autogen_schema::SqlType| contains_type(from, data_type, name, 0);
    let mut users: Vec<String> = Vec::new();
    for domain in from.domains.values().filter(|domain| holds(&domain.data_type)) {
        users.push(format!("domain {}", domain.name));
    }
    for composite in from.composites.values().filter(|composite| composite.name != *name) {
        if composite.attributes.iter().any(|attribute| holds(&attribute.data_type)) {
            users.push(format!("type {}", composite.name));
        }
    }
    for table in from.tables.values() {
        for column in table.columns.iter().filter(|column| holds(&column.data_type)) {
            let is_moved =
                moved.iter().any(|moved| moved.table == table.name && moved.column == column.name);
            if !is_moved {
                users.push(format!("column {}.{}", table.name, quote_ident(&column.name)));
            }
        }
    }
    if !users.is_empty() {
        reasons.push(format!(
            "cannot {describe}: PostgreSQL refuses it in place while columns hold the type, and \
             autogen replaces the type only when nothing but columns of it do; {} would keep \
             the old type. {by_hand}",
            users.join(", ")
        ));
    }
    reasons
}

/// Whether values of `data_type` hold type `name`: it is `name`, an array
/// of it, a domain over such a type, or a composite type with such an
/// attribute.
fn contains_type(
    schema: &Schema,
    data_type: &autogen_schema::SqlType,
    name: &QualifiedName,
    depth: usize,
) -> bool {
    let autogen_schema::SqlType::UserDefined { name: used } = data_type.element() else {
        return false;
    };
    if used == name {
        return true;
    }
    // Types cannot hold each other in a cycle; the bound only stops a
    // malformed model from looping.
    if depth > schema.domains.len() + schema.composites.len() {
        return false;
    }
    if let Some(domain) = schema.domains.get(used) {
        return contains_type(schema, &domain.data_type, name, depth + 1);
    }
    schema.composites.get(used).is_some_and(|composite| {
        (composite.attributes.iter())
            .any(|attribute| contains_type(schema, &attribute.data_type, name, depth + 1))
    })
}

/// Whether `dependency` of `object` stops a step that does `harm` to
/// `reference`.
fn breaks(
    dependency: &Dependency,
    reference: &Reference,
    harm: Harm,
    object: &UnmodelledObject,
) -> bool {
    match harm {
        Harm::Drop => {
            dependency.on == *reference && (dependency.blocks_drop || is_column(reference))
        }
        Harm::Alter => dependency.on == *reference,
        Harm::Rebuild => {
            let (Reference::View(view) | Reference::MaterializedView(view)) = reference else {
                return false;
            };
            dependency.on == *reference || on_table(&dependency.on, view)
        }
        Harm::DropWithTable => {
            let (Reference::Table(table)
            | Reference::View(table)
            | Reference::MaterializedView(table)) = reference
            else {
                return false;
            };
            // What belongs to the table goes with it.
            let belongs = object
                .depends_on
                .iter()
                .any(|other| !other.blocks_drop && other.on == Reference::Table(table.clone()));
            let belongs = belongs
                || object.depends_on.iter().any(|other| {
                    !other.blocks_drop
                        && matches!(&other.on, Reference::View(name) | Reference::MaterializedView(name) if name == table)
                });
            !belongs
                && dependency.blocks_drop
                && (on_table(&dependency.on, table) || dependency.on == *reference)
        }
    }
}

fn is_column(reference: &Reference) -> bool {
    matches!(reference, Reference::Column(..))
}

/// Whether `reference` is table `table`, one of its columns or one of its
/// indexes (an index name is checked by schema only: the caller passes
/// the table's index references separately).
fn on_table(reference: &Reference, table: &QualifiedName) -> bool {
    match reference {
        Reference::Table(name) | Reference::Column(name, _) => name == table,
        _ => false,
    }
}

/// What the operation drops or changes the type of.
fn harmed(operation: &Operation) -> Vec<(Reference, Harm)> {
    let index = |table: &QualifiedName, name: &str| {
        Reference::Index(QualifiedName::new(table.schema.clone(), name))
    };
    match operation {
        Operation::DropTable(table) => {
            let mut harmed = vec![(Reference::Table(table.name.clone()), Harm::DropWithTable)];
            let indexes = (table.primary_key.iter().map(|key| &key.name))
                .chain(table.unique_constraints.iter().map(|unique| &unique.name))
                .chain(table.indexes.iter().map(|index| &index.name));
            harmed.extend(indexes.map(|name| (index(&table.name, name), Harm::Drop)));
            harmed
        }
        Operation::DropColumn { table, column } => {
            vec![(Reference::Column(table.clone(), column.name.clone()), Harm::Drop)]
        }
        Operation::DropView(view) => {
            vec![(Reference::View(view.name.clone()), Harm::DropWithTable)]
        }
        Operation::DropMaterializedView(view) => {
            let mut harmed =
                vec![(Reference::MaterializedView(view.name.clone()), Harm::DropWithTable)];
            harmed.extend(
                view.indexes.iter().map(|dropped| (index(&view.name, &dropped.name), Harm::Drop)),
            );
            harmed
        }
        Operation::AlterColumnType { table, from, .. } => {
            vec![(Reference::Column(table.clone(), from.name.clone()), Harm::Alter)]
        }
        Operation::AlterVectorColumn { table, from, dropped, .. } => {
            let mut harmed =
                vec![(Reference::Column(table.clone(), from.name.clone()), Harm::Alter)];
            harmed.extend(dropped.iter().map(|dropped| (index(table, &dropped.name), Harm::Drop)));
            harmed
        }
        Operation::DropEnum(enum_type) => {
            vec![(Reference::Type(enum_type.name.clone()), Harm::Drop)]
        }
        Operation::SwapEnum { from, .. } => vec![(Reference::Type(from.name.clone()), Harm::Drop)],
        Operation::DropDomain(domain) => vec![(Reference::Type(domain.name.clone()), Harm::Drop)],
        Operation::DropComposite(composite) => {
            vec![(Reference::Type(composite.name.clone()), Harm::Drop)]
        }
        Operation::ReplaceDomain { from, .. } => {
            vec![(Reference::Type(from.name.clone()), Harm::Drop)]
        }
        Operation::ReplaceComposite { from, .. } => {
            vec![(Reference::Type(from.name.clone()), Harm::Drop)]
        }
        Operation::DropCollation(collation) => {
            vec![(Reference::Collation(collation.name.clone()), Harm::Drop)]
        }
        Operation::DropFunction(function) => {
            vec![(Reference::Function(function.name.clone()), Harm::Drop)]
        }
        Operation::DropAggregate(aggregate) => {
            vec![(Reference::Function(aggregate.name.clone()), Harm::Drop)]
        }
        Operation::DropSequence(sequence) => {
            vec![(Reference::Sequence(sequence.name.clone()), Harm::Drop)]
        }
        Operation::DropOwnedSequence { sequence, .. } => {
            vec![(Reference::Sequence(sequence.name.clone()), Harm::Drop)]
        }
        Operation::DropIndex { table, index: dropped, .. } => {
            vec![(index(table, &dropped.name), Harm::Drop)]
        }
        Operation::DropConstraint {
            table,
            name,
            kind: crate::ConstraintKind::PrimaryKey | crate::ConstraintKind::Unique,
        } => vec![(index(table, name), Harm::Drop)],
        _ => Vec::new(),
    }
}

/// The table an operation on an index or constraint works on: what an
/// `ignore` entry names to leave it alone.
fn table_of(operation: &Operation) -> Option<QualifiedName> {
    match operation {
        Operation::DropTable(table) => Some(table.name.clone()),
        Operation::DropIndex { table, .. }
        | Operation::DropConstraint { table, .. }
        | Operation::AlterVectorColumn { table, .. } => Some(table.clone()),
        _ => None,
    }
}

/// The relation an operation creates, by name.
fn created_relation(operation: &Operation) -> Option<&QualifiedName> {
    match operation {
        Operation::CreateTable(table) => Some(&table.name),
        Operation::CreateSequence(sequence) => Some(&sequence.name),
        Operation::CreateComposite(composite) => Some(&composite.name),
        Operation::CreateOwnedSequence { sequence, .. } => Some(&sequence.name),
        Operation::CreateView(view) => Some(&view.name),
        Operation::CreateMaterializedView { view, .. } => Some(&view.name),
        _ => None,
    }
}

/// The object an `ignore` entry names to leave a reference alone: its
/// table, or the type, sequence or index itself.
fn owner_name(reference: &Reference) -> QualifiedName {
    match reference {
        Reference::Table(name)
        | Reference::Column(name, _)
        | Reference::Type(name)
        | Reference::Sequence(name)
        | Reference::Collation(name)
        | Reference::Index(name)
        | Reference::Function(name)
        | Reference::View(name)
        | Reference::MaterializedView(name) => name.clone(),
    }
}

/// `views` for `view`, as a kind is said in general.
fn plural(kind: &str) -> String {
    match kind {
        "table inheritance" | "row level security" => kind.to_owned(),
        "policy" => "policies".to_owned(),
        _ if kind.ends_with('s') => kind.to_owned(),
        _ => format!("{kind}s"),
    }
}

fn article(kind: &str) -> &'static str {
    match kind.chars().next() {
        Some('a' | 'e' | 'i' | 'o' | 'u') => "an",
        _ => "a",
    }
}
