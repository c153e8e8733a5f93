//! The privileges granted on a table, view, materialized view or routine,
//! from the `acl_*` columns tables.sql, views.sql and functions.sql read (`relacl` /
//! `proacl` exploded by `aclexplode`, the owner's own entries left out):
//! kept across a rebuild, never compared ([`autogen_schema::privileges`]).

use autogen_schema::{Grantee, Grants};
use sqlx::postgres::PgRow;

use crate::rows::get;
use crate::Error;

/// The row's grants: unknown (PostgreSQL's defaults) when the ACL is null.
pub(crate) fn grants(row: &PgRow) -> Result<Grants, Error> {
    if !get::<bool>(row, "acl_known")? {
        return Ok(Grants::unknown());
    }
    let grantees: Vec<Option<String>> = get(row, "acl_grantees")?;
    let privileges: Vec<String> = get(row, "acl_privileges")?;
    let grantable: Vec<bool> = get(row, "acl_grantable")?;
    if grantees.len() != privileges.len() || grantees.len() != grantable.len() {
        return Err(Error::Catalog { message: "ACL columns of unequal lengths".to_owned() });
    }
    Ok(Grants::from_entries(grantees.into_iter().zip(privileges).zip(grantable).map(
        |((grantee, privilege), grantable)| {
            (grantee.map_or(Grantee::Public, Grantee::Role), privilege, grantable)
        },
    )))
}
