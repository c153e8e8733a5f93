use autogen::{PgComposite, PgDomain};

#[derive(PgDomain)]
#[autogen(nmae = "year")]
#[autogen(check = "VALUE >")]
pub struct Year(i32);

#[derive(PgDomain)]
pub struct Span(i32, i32);

#[derive(PgDomain)]
pub struct Maybe(Option<i32>);

#[derive(PgComposite)]
pub struct Pair(i32, i32);

#[derive(PgComposite)]
pub struct Address {
    #[autogen(default = "''")]
    pub street: String,
}

fn main() {}
