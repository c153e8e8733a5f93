use autogen::Model;

mod pgvector {
    pub struct Vector;
}

#[derive(Model)]
pub struct Document {
    #[autogen(primary_key)]
    pub id: i64,
    pub embedding: Option<pgvector::Vector>,
}

fn main() {}
