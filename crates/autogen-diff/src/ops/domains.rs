//! Domains: created, dropped once no column uses them, renamed when a hint
//! says so, changed in place
//! (`ALTER DOMAIN`: default, `NOT NULL`, checks added, dropped, renamed,
//! validated) or — base type or collation changed, which `ALTER DOMAIN`
//! cannot do — replaced: the old one renamed, the new one created, each
//! column moved over, the old one dropped.

use autogen_schema::ddl::{add_domain_check_sql, Renderer};
use autogen_schema::{quote_ident, Domain, DomainCheck, QualifiedName, Schema};

use super::columns::{loses_data, narrows};
use super::Family;
use crate::operation::{
    collation_keys, enum_keys, expression_collation_keys, type_keys, Hazard, Key, Operation, Step,
    SwappedColumn,
};
use crate::order::Phase;

/// `CREATE DOMAIN`, `DROP DOMAIN`, `ALTER DOMAIN` (`RENAME TO` too), and
/// the replacement.
pub(super) struct Domains;

/// One change `ALTER DOMAIN` makes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DomainChange {
    /// `SET DEFAULT expression` / `DROP DEFAULT`
    Default(Option<String>),
    /// `SET NOT NULL` (true) / `DROP NOT NULL`
    NotNull(bool),
    /// `ADD CONSTRAINT name CHECK (…) [NOT VALID]`
    AddCheck(DomainCheck),
    /// `DROP CONSTRAINT name`
    DropCheck(DomainCheck),
    /// `RENAME CONSTRAINT old TO new`: the same check under another name.
    RenameCheck { old: String, new: String },
    /// `VALIDATE CONSTRAINT name`
    ValidateCheck(String),
}

/// Domains created, dropped, altered or replaced.
pub(crate) fn diff(from: &Schema, to: &Schema, steps: &mut Vec<Step>) {
    for (name, domain) in &to.domains {
        match from.domains.get(name) {
            None => steps.push(create_domain(to, domain)),
            Some(old) if old == domain => {}
            Some(old) if old.data_type != domain.data_type || old.collation != domain.collation => {
                steps.push(replace_domain(from, to, old, domain));
            }
            Some(old) => alter_domain(to, old, domain, steps),
        }
    }
    for (name, domain) in &from.domains {
        if !to.domains.contains_key(name) {
            steps.push(
                Step::new(Operation::DropDomain(domain.clone()))
                    .removes([Key::Type(name.clone())])
                    .releases([Key::Schema(name.schema.clone())])
                    .releases(type_keys(&domain.data_type))
                    .releases(collation_keys(domain.collation.as_ref()))
                    .releases(expression_types(from, domain)),
            );
        }
    }
}

fn create_domain(to: &Schema, domain: &Domain) -> Step {
    Step::new(Operation::CreateDomain(domain.clone()))
        .produces([Key::Type(domain.name.clone())])
        .consumes([Key::Schema(domain.name.schema.clone())])
        .consumes(type_keys(&domain.data_type))
        .consumes(collation_keys(domain.collation.as_ref()))
        .consumes(expression_types(to, domain))
}

/// The enum types the domain's default and checks cast to, and the
/// collations they name.
fn expression_types(schema: &Schema, domain: &Domain) -> Vec<Key> {
    let expressions = || {
        (domain.default.iter().map(String::as_str))
            .chain(domain.checks.iter().map(|check| check.expression.as_str()))
    };
    let mut keys = enum_keys(schema, expressions());
    keys.extend(expression_collation_keys(schema, expressions()));
    keys.extend(super::functions::called_routine_keys(schema, expressions()));
    keys
}

/// The in-place changes of a domain whose base type and collation stay.
fn alter_domain(to: &Schema, old: &Domain, new: &Domain, steps: &mut Vec<Step>) {
    let name = &new.name;
    let step = |change: DomainChange| {
        Step::new(Operation::AlterDomain { name: name.clone(), change })
            .consumes([Key::Type(name.clone())])
    };
    if old.default != new.default {
        steps.push(
            step(DomainChange::Default(new.default.clone())).consumes(expression_types(to, new)),
        );
    }
    if old.not_null != new.not_null {
        let mut altered = step(DomainChange::NotNull(new.not_null));
        if new.not_null {
            // Every column of the domain is scanned; a NULL refuses it.
            altered = altered.hazard(Hazard::BlockingLock).hazard(Hazard::MayFailOnData);
        }
        steps.push(altered);
    }
    // Checks by name; one that only changed its name is renamed.
    let mut added: Vec<&DomainCheck> =
        new.checks.iter().filter(|check| !old.checks.contains(check)).collect();
    let mut dropped: Vec<&DomainCheck> =
        old.checks.iter().filter(|check| !new.checks.contains(check)).collect();
    // Made valid: validated in place.
    dropped.retain(|before| {
        let validated = before.not_valid
            && added.iter().any(|after| {
                after.name == before.name
                    && after.expression == before.expression
                    && !after.not_valid
            });
        if validated {
            added.retain(|after| after.name != before.name);
            steps.push(
                step(DomainChange::ValidateCheck(before.name.clone()))
                    .hazard(Hazard::MayFailOnData),
            );
        }
        !validated
    });
    dropped.retain(|before| {
        let renamed = added.iter().position(|after| {
            after.expression == before.expression
                && after.not_valid == before.not_valid
                && !old.checks.iter().any(|check| check.name == after.name)
                && !new.checks.iter().any(|check| check.name == before.name)
        });
        match renamed {
            Some(position) => {
                let after = added.remove(position);
                steps.push(step(DomainChange::RenameCheck {
                    old: before.name.clone(),
                    new: after.name.clone(),
                }));
                false
            }
            None => true,
        }
    });
    for before in dropped {
        steps.push(
            step(DomainChange::DropCheck(before.clone())).removes([check_key(name, &before.name)]),
        );
    }
    for after in added {
        let mut altered = step(DomainChange::AddCheck(after.clone()))
            .produces([check_key(name, &after.name)])
            .consumes(expression_types(to, new));
        if !after.not_valid {
            altered = altered.hazard(Hazard::BlockingLock).hazard(Hazard::MayFailOnData);
        }
        steps.push(altered);
    }
}

/// A domain's check, as a constraint key (a changed check is dropped
/// before it is added again).
fn check_key(domain: &QualifiedName, check: &str) -> Key {
    Key::Constraint(domain.clone(), check.to_owned())
}

/// The domain replaced by one of another base type or collation.
fn replace_domain(from: &Schema, to: &Schema, old: &Domain, new: &Domain) -> Step {
    let columns = super::enums::columns_kept_on_type(from, to, &new.name);
    let mut step = Step::new(Operation::ReplaceDomain {
        from: old.clone(),
        to: new.clone(),
        columns: columns.clone(),
    })
    .removes([Key::Type(old.name.clone())])
    .produces([Key::Type(new.name.clone())])
    .consumes(type_keys(&new.data_type))
    .consumes(collation_keys(new.collation.as_ref()))
    .consumes(expression_types(to, new))
    .releases(type_keys(&old.data_type))
    .releases(collation_keys(old.collation.as_ref()))
    .releases(expression_types(from, old))
    .consumes(
        columns.iter().map(|column| Key::Column(column.table.clone(), column.column.clone())),
    );
    if !columns.is_empty() {
        step = step
            .hazard(Hazard::TableRewrite)
            .hazard(Hazard::BlockingLock)
            .hazard(Hazard::MayFailOnData);
        if loses_data(&old.data_type, &new.data_type) {
            step = step.hazard(Hazard::DataLoss);
        }
        if narrows(&old.data_type, &new.data_type) {
            step = step.hazard(Hazard::MayFailOnData);
        }
    }
    step
}

impl Family for Domains {
    fn describe(&self, operation: &Operation) -> String {
        match operation {
            Operation::CreateDomain(domain) => format!("create domain {}", domain.name),
            Operation::DropDomain(domain) => format!("drop domain {}", domain.name),
            Operation::AlterDomain { name, change } => match change {
                DomainChange::Default(Some(_)) => format!("set default of domain {name}"),
                DomainChange::Default(None) => format!("drop default of domain {name}"),
                DomainChange::NotNull(true) => format!("set not null on domain {name}"),
                DomainChange::NotNull(false) => format!("drop not null on domain {name}"),
                DomainChange::AddCheck(check) => {
                    format!("add constraint {} to domain {name}", quote_ident(&check.name))
                }
                DomainChange::DropCheck(check) => {
                    format!("drop constraint {} of domain {name}", quote_ident(&check.name))
                }
                DomainChange::RenameCheck { old, new } => format!(
                    "rename constraint {} of domain {name} to {}",
                    quote_ident(old),
                    quote_ident(new)
                ),
                DomainChange::ValidateCheck(check) => {
                    format!("validate constraint {} of domain {name}", quote_ident(check))
                }
            },
            Operation::ReplaceDomain { to, .. } => {
                format!("replace domain {} (base type {})", to.name, to.data_type)
            }
            Operation::RenameDomain { old, new } => {
                format!("rename domain {old} to {}", quote_ident(new))
            }
            other => super::not_mine("domains", other),
        }
    }

    fn phase(&self, operation: &Operation) -> Phase {
        match operation {
            Operation::CreateDomain(_) => Phase::CreateTypes,
            Operation::DropDomain(_) => Phase::DropTypes,
            Operation::AlterDomain { change: DomainChange::DropCheck(_), .. } => {
                Phase::DropConstraints
            }
            Operation::AlterDomain { change: DomainChange::RenameCheck { .. }, .. }
            | Operation::RenameDomain { .. } => Phase::Renames,
            Operation::AlterDomain { .. } => Phase::AddChecks,
            _ => Phase::EnumValues,
        }
    }

    fn expressions<'o>(&self, operation: &'o Operation) -> Vec<&'o str> {
        match operation {
            Operation::CreateDomain(domain) | Operation::ReplaceDomain { to: domain, .. } => domain
                .default
                .iter()
                .map(String::as_str)
                .chain(domain.checks.iter().map(|check| check.expression.as_str()))
                .collect(),
            Operation::AlterDomain { change: DomainChange::Default(Some(default)), .. } => {
                vec![default.as_str()]
            }
            Operation::AlterDomain { change: DomainChange::AddCheck(check), .. } => {
                vec![check.expression.as_str()]
            }
            _ => Vec::new(),
        }
    }

    fn sql(&self, operation: &Operation, renderer: &Renderer<'_>) -> Vec<String> {
        match operation {
            Operation::CreateDomain(domain) => create_sql(renderer, domain),
            Operation::DropDomain(domain) => vec![format!("DROP DOMAIN {};", domain.name)],
            Operation::AlterDomain { name, change } => vec![match change {
                DomainChange::Default(Some(default)) => {
                    format!("ALTER DOMAIN {name} SET DEFAULT {default};")
                }
                DomainChange::Default(None) => format!("ALTER DOMAIN {name} DROP DEFAULT;"),
                DomainChange::NotNull(true) => format!("ALTER DOMAIN {name} SET NOT NULL;"),
                DomainChange::NotNull(false) => format!("ALTER DOMAIN {name} DROP NOT NULL;"),
                DomainChange::AddCheck(check) => add_domain_check_sql(name, check),
                DomainChange::DropCheck(check) => {
                    format!("ALTER DOMAIN {name} DROP CONSTRAINT {};", quote_ident(&check.name))
                }
                DomainChange::RenameCheck { old, new } => format!(
                    "ALTER DOMAIN {name} RENAME CONSTRAINT {} TO {};",
                    quote_ident(old),
                    quote_ident(new)
                ),
                DomainChange::ValidateCheck(check) => {
                    format!("ALTER DOMAIN {name} VALIDATE CONSTRAINT {};", quote_ident(check))
                }
            }],
            Operation::ReplaceDomain { from, to, columns } => {
                replace_sql(renderer, from, to, columns)
            }
            Operation::RenameDomain { old, new } => {
                vec![format!("ALTER DOMAIN {old} RENAME TO {};", quote_ident(new))]
            }
            other => super::not_mine("domains", other),
        }
    }
}

/// `CREATE DOMAIN` with its valid checks, then its `NOT VALID` ones.
fn create_sql(renderer: &Renderer<'_>, domain: &Domain) -> Vec<String> {
    let mut statements = vec![renderer.create_domain(domain)];
    statements.extend(
        domain
            .checks
            .iter()
            .filter(|check| check.not_valid)
            .map(|check| add_domain_check_sql(&domain.name, check)),
    );
    statements
}

/// Rename the old domain, create the new one, move each column over
/// (through the new base type), drop the old domain.
fn replace_sql(
    renderer: &Renderer<'_>,
    from: &Domain,
    to: &Domain,
    columns: &[SwappedColumn],
) -> Vec<String> {
    let old_name = QualifiedName::new(
        from.name.schema.clone(),
        autogen_schema::naming::truncate_identifier(&format!("{}__autogen_old", from.name.name)),
    );
    let mut statements =
        vec![format!("ALTER DOMAIN {} RENAME TO {};", from.name, quote_ident(&old_name.name))];
    statements.extend(create_sql(renderer, to));
    let base = renderer.type_sql(&to.data_type);
    statements.extend(super::enums::move_columns_sql(columns, &base, &to.name.to_string()));
    statements.push(format!("DROP DOMAIN {old_name};"));
    statements
}
