//! The derives report the reader's mistakes as compile errors on the
//! offending tokens, with the messages the CLI prints (tests/ui/*.stderr).

#[test]
fn mistakes_are_compile_errors() {
    let cases = trybuild::TestCases::new();
    cases.compile_fail("tests/ui/*.rs");
}
