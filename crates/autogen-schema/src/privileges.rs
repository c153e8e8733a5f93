//! Privileges granted on views, materialized views and routines (`relacl`,
//! `proacl`): not diffed, only kept.
//!
//! autogen does not model privileges as part of a schema's value: two
//! schemas that differ only in their grants are equal, and no plan grants
//! or revokes to make them alike. But a plan that drops an object to
//! create it again (a view rebuilt around a column type change, a function
//! whose result type changes) would lose what was granted on it: the
//! object's [`Grants`] say what to grant again after it is created.
//! [`Grants`] is therefore outside `==`, `Hash`, `Ord` and JSON, like
//! [`crate::ViewDependencies`].
//!
//! Canonical form: the ACL's entries other than the owner's own, as
//! [`Grant`]s in grantee order (`PUBLIC` first), each grantee's privileges
//! without and with `WITH GRANT OPTION` apart, privileges in PostgreSQL's
//! ACL order (`INSERT`, `SELECT`, `UPDATE`, `DELETE`, `TRUNCATE`,
//! `REFERENCES`, `TRIGGER`, `EXECUTE`, `MAINTAIN`); who granted them is not
//! kept (grants made again are the migration's role's).

use crate::ident::quote_ident;

/// An object's privileges as known: `None` — unknown, or PostgreSQL's
/// defaults (`relacl`/`proacl` null); `Some` — the explicit ACL's entries
/// but the owner's. For a routine the defaults include `EXECUTE` to
/// `PUBLIC`: an explicit list without it means it was revoked.
#[derive(Debug, Clone, Default)]
pub struct Grants(pub Option<Vec<Grant>>);

/// One grantee's privileges on an object, with or without `WITH GRANT
/// OPTION`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Grant {
    pub grantee: Grantee,
    /// Privilege keywords (`SELECT`, `EXECUTE`, …) in ACL order, each once.
    pub privileges: Vec<String>,
    pub with_grant_option: bool,
}

/// Who a [`Grant`] is to.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Grantee {
    /// `PUBLIC`: every role (grantee oid 0).
    Public,
    /// A role, by name.
    Role(String),
}

/// What privileges are on: the phrase after `ON` is made by the caller
/// (`TABLE public.v`, `FUNCTION public.f(integer)`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum GrantedOn {
    /// A view or materialized view (`ON TABLE`): no default grants.
    Relation,
    /// A function or procedure: `EXECUTE` to `PUBLIC` by default.
    Routine,
}

/// The privilege keywords in PostgreSQL's ACL order (`aclitemout`'s
/// letters `arwdDxtXm`).
pub const PRIVILEGE_ORDER: &[&str] = &[
    "INSERT",
    "SELECT",
    "UPDATE",
    "DELETE",
    "TRUNCATE",
    "REFERENCES",
    "TRIGGER",
    "EXECUTE",
    "MAINTAIN",
];

/// The privileges `ALL` stands for on a relation (versions 15 and 16:
/// PostgreSQL 17 adds `MAINTAIN`) and on a routine.
pub const ALL_ON_RELATION: &[&str] =
    &["INSERT", "SELECT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES", "TRIGGER"];
pub const ALL_ON_ROUTINE: &[&str] = &["EXECUTE"];

impl Grants {
    /// The default privileges (`relacl`/`proacl` null).
    pub fn unknown() -> Self {
        Self(None)
    }

    /// An explicit ACL from its entries (grantee, privilege keyword, grant
    /// option) in any order, duplicates merged (a privilege held with the
    /// grant option from one grantor and without from another is held with
    /// it).
    pub fn from_entries(entries: impl IntoIterator<Item = (Grantee, String, bool)>) -> Self {
        let mut held: std::collections::BTreeMap<(Grantee, String), bool> = Default::default();
        for (grantee, privilege, grantable) in entries {
            let privilege = privilege.to_uppercase();
            *held.entry((grantee, privilege)).or_insert(false) |= grantable;
        }
        Self(Some(Self::grouped(held)))
    }

    /// The entries, one (grantee, privilege, grant option) each.
    pub fn entries(&self) -> Vec<(Grantee, String, bool)> {
        let mut entries = Vec::new();
        for grant in self.0.iter().flatten() {
            for privilege in &grant.privileges {
                entries.push((grant.grantee.clone(), privilege.clone(), grant.with_grant_option));
            }
        }
        entries
    }

    fn grouped(held: std::collections::BTreeMap<(Grantee, String), bool>) -> Vec<Grant> {
        let mut grants: Vec<Grant> = Vec::new();
        for ((grantee, privilege), grantable) in held {
            match (grants.iter_mut())
                .find(|grant| grant.grantee == grantee && grant.with_grant_option == grantable)
            {
                Some(grant) => grant.privileges.push(privilege),
                None => grants.push(Grant {
                    grantee,
                    privileges: vec![privilege],
                    with_grant_option: grantable,
                }),
            }
        }
        for grant in &mut grants {
            grant.privileges.sort_by_key(|privilege| privilege_rank(privilege));
        }
        grants.sort_by(|left, right| {
            (&left.grantee, left.with_grant_option).cmp(&(&right.grantee, right.with_grant_option))
        });
        grants
    }

    /// The ACL made explicit: the defaults of an object `on` when unknown
    /// (nothing for a relation, `EXECUTE` to `PUBLIC` for a routine), as
    /// the first `GRANT` or `REVOKE` on it makes them.
    fn explicit(&self, on: GrantedOn) -> Vec<(Grantee, String, bool)> {
        match (&self.0, on) {
            (Some(_), _) => self.entries(),
            (None, GrantedOn::Relation) => Vec::new(),
            (None, GrantedOn::Routine) => vec![(Grantee::Public, "EXECUTE".to_owned(), false)],
        }
    }

    /// `GRANT privileges ON … TO grantees [WITH GRANT OPTION]` applied to
    /// an object `on`.
    pub fn grant(
        &mut self,
        on: GrantedOn,
        privileges: &[String],
        grantees: &[Grantee],
        option: bool,
    ) {
        let mut entries = self.explicit(on);
        for grantee in grantees {
            for privilege in privileges {
                entries.push((grantee.clone(), privilege.clone(), option));
            }
        }
        *self = Self::from_entries(entries);
    }

    /// `REVOKE [GRANT OPTION FOR] privileges ON … FROM grantees` applied
    /// to an object `on`: the privileges gone, or only their grant option.
    pub fn revoke(
        &mut self,
        on: GrantedOn,
        privileges: &[String],
        grantees: &[Grantee],
        option_only: bool,
    ) {
        let mut entries = self.explicit(on);
        let revoked = |grantee: &Grantee, privilege: &String| {
            grantees.contains(grantee)
                && privileges.iter().any(|p| p.eq_ignore_ascii_case(privilege))
        };
        if option_only {
            for (grantee, privilege, grantable) in &mut entries {
                if revoked(grantee, privilege) {
                    *grantable = false;
                }
            }
        } else {
            entries.retain(|(grantee, privilege, _)| !revoked(grantee, privilege));
        }
        *self = Self::from_entries(entries);
    }

    /// The statements that give an object `on`, just created with
    /// PostgreSQL's defaults, these privileges: for a routine without
    /// `EXECUTE` to `PUBLIC`, `REVOKE EXECUTE … FROM PUBLIC` first; then a
    /// `GRANT` per grantee and grant option. `object` is what follows `ON`
    /// (`TABLE public.v`). Nothing when unknown.
    pub fn sql(&self, on: GrantedOn, object: &str) -> Vec<String> {
        let Some(grants) = &self.0 else { return Vec::new() };
        let mut statements = Vec::new();
        let public_execute = grants.iter().any(|grant| {
            grant.grantee == Grantee::Public && grant.privileges.iter().any(|p| p == "EXECUTE")
        });
        if on == GrantedOn::Routine && !public_execute {
            statements.push(format!("REVOKE EXECUTE ON {object} FROM PUBLIC;"));
        }
        for grant in grants {
            let privileges: Vec<&str> = (grant.privileges.iter())
                .map(String::as_str)
                // What a new routine has already.
                .filter(|privilege| {
                    !(on == GrantedOn::Routine
                        && *privilege == "EXECUTE"
                        && grant.grantee == Grantee::Public
                        && !grant.with_grant_option)
                })
                .collect();
            if privileges.is_empty() {
                continue;
            }
            let option = if grant.with_grant_option { " WITH GRANT OPTION" } else { "" };
            statements.push(format!(
                "GRANT {} ON {object} TO {}{option};",
                privileges.join(", "),
                grant.grantee.sql()
            ));
        }
        statements
    }

    /// Whether these privileges differ from those an object `on` is
    /// created with (whether [`Grants::sql`] writes anything).
    pub fn differ_from_defaults(&self, on: GrantedOn) -> bool {
        !self.sql(on, "").is_empty()
    }
}

impl Grantee {
    /// `PUBLIC`, or the role's name quoted where needed.
    pub fn sql(&self) -> String {
        match self {
            Grantee::Public => "PUBLIC".to_owned(),
            Grantee::Role(name) => quote_ident(name),
        }
    }
}

fn privilege_rank(privilege: &str) -> usize {
    PRIVILEGE_ORDER.iter().position(|known| *known == privilege).unwrap_or(PRIVILEGE_ORDER.len())
}

crate::never_compared!(Grants);

#[cfg(test)]
mod tests {
    use super::*;

    fn role(name: &str) -> Grantee {
        Grantee::Role(name.to_owned())
    }

    #[test]
    fn entries_are_grouped_by_grantee_and_grant_option_in_acl_order() {
        let grants = Grants::from_entries([
            (role("b"), "select".to_owned(), false),
            (Grantee::Public, "SELECT".to_owned(), false),
            (role("a b"), "UPDATE".to_owned(), true),
            (role("b"), "INSERT".to_owned(), false),
            (role("b"), "INSERT".to_owned(), true),
        ]);
        assert_eq!(
            grants.sql(GrantedOn::Relation, "TABLE public.v"),
            [
                "GRANT SELECT ON TABLE public.v TO PUBLIC;",
                "GRANT UPDATE ON TABLE public.v TO \"a b\" WITH GRANT OPTION;",
                "GRANT SELECT ON TABLE public.v TO b;",
                "GRANT INSERT ON TABLE public.v TO b WITH GRANT OPTION;",
            ]
        );
        assert!(Grants::unknown().sql(GrantedOn::Routine, "FUNCTION f()").is_empty());
        assert_eq!(grants, Grants::unknown(), "never part of a value's equality");
    }

    #[test]
    fn a_routine_without_execute_to_public_revokes_it() {
        let mut grants = Grants::unknown();
        grants.revoke(GrantedOn::Routine, &["EXECUTE".to_owned()], &[Grantee::Public], false);
        grants.grant(GrantedOn::Routine, &["EXECUTE".to_owned()], &[role("pg_monitor")], false);
        assert_eq!(
            grants.sql(GrantedOn::Routine, "FUNCTION public.f(integer)"),
            [
                "REVOKE EXECUTE ON FUNCTION public.f(integer) FROM PUBLIC;",
                "GRANT EXECUTE ON FUNCTION public.f(integer) TO pg_monitor;",
            ]
        );
        let mut kept = Grants::unknown();
        kept.grant(GrantedOn::Routine, &["EXECUTE".to_owned()], &[role("x")], true);
        assert_eq!(
            kept.sql(GrantedOn::Routine, "FUNCTION f()"),
            ["GRANT EXECUTE ON FUNCTION f() TO x WITH GRANT OPTION;"]
        );
        kept.revoke(GrantedOn::Routine, &["EXECUTE".to_owned()], &[role("x")], true);
        assert_eq!(
            kept.sql(GrantedOn::Routine, "FUNCTION f()"),
            ["GRANT EXECUTE ON FUNCTION f() TO x;"]
        );
    }
}
