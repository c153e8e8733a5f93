//! `GRANT` and `REVOKE` on tables, views, materialized views and routines
//! applied to their [`autogen_schema::Grants`], as PostgreSQL applies them
//! to `relacl`/`proacl` (the first one makes the defaults explicit: nothing
//! for a relation, `EXECUTE` to `PUBLIC` for a routine). Grants are never
//! compared; they are what a plan grants again on an object it drops and
//! creates again. A statement about a relation or routine the model does
//! not hold, or column privileges, changes nothing (it was passed over
//! before grants were read, and still is); a privilege the object does not have, or a
//! routine of another kind, is refused as PostgreSQL refuses it.

use autogen_schema::privileges::{ALL_ON_RELATION, ALL_ON_ROUTINE};
use autogen_schema::{GrantedOn, Grantee, Grants, QualifiedName, RoutineName};

use super::Builder;
use crate::ddl::{PrivilegeStatement, PrivilegeTarget, RoutineKind};

/// What one statement changes: the grants of each object, after it.
enum Changed {
    Table(QualifiedName, Grants),
    View(QualifiedName, Grants),
    Materialized(QualifiedName, Grants),
    Routine(RoutineName, Grants),
}

impl Builder {
    pub(super) fn apply_privileges(
        &mut self,
        statement: &PrivilegeStatement,
    ) -> Result<(), String> {
        let grantees: Vec<Grantee> = statement.grantees.iter().flatten().cloned().collect();
        let mut changes = Vec::new();
        match &statement.on {
            PrivilegeTarget::Relations(names) => {
                for name in names {
                    let found = self.lookup(name, |qualified| {
                        self.schema.tables.contains_key(qualified)
                            || self.schema.has_view(qualified)
                    });
                    let Some(found) = found else { continue };
                    let (grants, kind): (_, fn(QualifiedName, Grants) -> Changed) = match (
                        self.schema.views.get(&found),
                        self.schema.materialized_views.get(&found),
                        self.schema.tables.get(&found),
                    ) {
                        (Some(view), _, _) => (&view.grants, Changed::View),
                        (None, Some(view), _) => (&view.grants, Changed::Materialized),
                        (None, None, Some(table)) => (&table.grants, Changed::Table),
                        (None, None, None) => continue,
                    };
                    let privileges = privileges(statement, GrantedOn::Relation)?;
                    let changed =
                        apply(grants, statement, GrantedOn::Relation, &privileges, &grantees);
                    changes.push(kind(found, changed));
                }
            }
            PrivilegeTarget::Routines(kind, routines) => {
                for routine in routines {
                    let Some(found) = self.find_routine(*kind, routine)? else { continue };
                    // An aggregate's privileges are not kept.
                    let Some(function) = self.schema.functions.get(&found) else { continue };
                    let privileges = privileges(statement, GrantedOn::Routine)?;
                    let changed = apply(
                        &function.grants,
                        statement,
                        GrantedOn::Routine,
                        &privileges,
                        &grantees,
                    );
                    changes.push(Changed::Routine(found, changed));
                }
            }
            PrivilegeTarget::AllIn(..) => {}
        }
        if let PrivilegeTarget::AllIn(kind, schemas) = &statement.on {
            for schema in schemas {
                let schema = self.existing_schema(schema)?;
                match kind {
                    None => {
                        let on = GrantedOn::Relation;
                        for (name, table) in &self.schema.tables {
                            if name.schema == schema {
                                let privileges = privileges(statement, on)?;
                                let changed =
                                    apply(&table.grants, statement, on, &privileges, &grantees);
                                changes.push(Changed::Table(name.clone(), changed));
                            }
                        }
                        for (name, view) in &self.schema.views {
                            if name.schema == schema {
                                let privileges = privileges(statement, on)?;
                                let changed =
                                    apply(&view.grants, statement, on, &privileges, &grantees);
                                changes.push(Changed::View(name.clone(), changed));
                            }
                        }
                        for (name, view) in &self.schema.materialized_views {
                            if name.schema == schema {
                                let privileges = privileges(statement, on)?;
                                let changed =
                                    apply(&view.grants, statement, on, &privileges, &grantees);
                                changes.push(Changed::Materialized(name.clone(), changed));
                            }
                        }
                    }
                    Some(kind) => {
                        let on = GrantedOn::Routine;
                        for (name, function) in &self.schema.functions {
                            let of_kind = match kind {
                                RoutineKind::Function => !function.procedure,
                                RoutineKind::Procedure => function.procedure,
                                _ => true,
                            };
                            if name.name.schema == schema && of_kind {
                                let privileges = privileges(statement, on)?;
                                let changed =
                                    apply(&function.grants, statement, on, &privileges, &grantees);
                                changes.push(Changed::Routine(name.clone(), changed));
                            }
                        }
                    }
                }
            }
        }
        for change in changes {
            match change {
                Changed::View(name, grants) => self.view_mut(&name).grants = grants,
                Changed::Materialized(name, grants) => self.materialized_mut(&name).grants = grants,
                Changed::Table(name, grants) => {
                    if let Some(table) = self.schema.tables.get_mut(&name) {
                        table.grants = grants;
                    }
                }
                Changed::Routine(name, grants) => {
                    if let Some(function) = self.schema.functions.get_mut(&name) {
                        function.grants = grants;
                    }
                }
            }
        }
        Ok(())
    }
}

/// The statement's privileges on an object `on`: `ALL` spelled out, a
/// privilege the object does not have refused in PostgreSQL's words.
fn privileges(statement: &PrivilegeStatement, on: GrantedOn) -> Result<Vec<String>, String> {
    let all = match on {
        GrantedOn::Relation => ALL_ON_RELATION,
        GrantedOn::Routine => ALL_ON_ROUTINE,
    };
    let Some(listed) = &statement.privileges else {
        return Ok(all.iter().map(|privilege| (*privilege).to_owned()).collect());
    };
    for privilege in listed {
        let known = all.contains(&privilege.as_str())
            || (on == GrantedOn::Relation && privilege == "MAINTAIN");
        if !known {
            let what = match on {
                GrantedOn::Relation => "relation",
                GrantedOn::Routine => "function",
            };
            return Err(format!("invalid privilege type {privilege} for {what}"));
        }
    }
    Ok(listed.clone())
}

fn apply(
    grants: &Grants,
    statement: &PrivilegeStatement,
    on: GrantedOn,
    privileges: &[String],
    grantees: &[Grantee],
) -> Grants {
    let mut grants = grants.clone();
    match statement.grant {
        true => grants.grant(on, privileges, grantees, statement.grant_option),
        false => grants.revoke(on, privileges, grantees, statement.grant_option),
    }
    grants
}
