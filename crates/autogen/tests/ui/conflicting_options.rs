use autogen::Model;

#[derive(Model)]
pub struct Invoice {
    #[autogen(primary_key, identity, default = "1")]
    pub id: i64,
    #[autogen(on_delete = "cascade")]
    pub customer_id: i64,
}

fn main() {}
