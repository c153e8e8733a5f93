use autogen::{Model, PgEnum};

#[derive(Model)]
pub struct Item {
    #[autogen(primary_key, check = "id >")]
    pub id: i64,
}

#[derive(PgEnum)]
#[autogen(rename_all = "shouting")]
pub enum Mood {
    Happy(u8),
    Sad,
}

fn main() {}
