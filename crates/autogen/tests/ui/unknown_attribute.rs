use autogen::Model;

#[derive(Model)]
pub struct User {
    #[autogen(primary_kye)]
    pub id: i64,
}

fn main() {}
