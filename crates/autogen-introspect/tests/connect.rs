//! `connect` and `introspect` errors as a library caller sees them: which
//! kind (a URL that cannot be used, a server that cannot be reached), and a
//! message that shows the URL without any password.

use autogen_introspect::Error;

const SECRET: &str = "S3cr3t-pw";

fn closed_port() -> u16 {
    let listener = std::net::TcpListener::bind(("127.0.0.1", 0)).unwrap();
    listener.local_addr().unwrap().port()
}

fn connect_error(url: &str) -> Error {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
    let options = autogen_introspect::Options::default();
    let connect = runtime.block_on(autogen_introspect::connect(url)).err();
    let introspect = runtime.block_on(autogen_introspect::introspect(url, &options)).err();
    let (connect, introspect) = (connect.unwrap(), introspect.unwrap());
    assert_eq!(connect.to_string(), introspect.to_string());
    connect
}

#[test]
fn errors_say_what_is_wrong_and_hide_the_password() {
    let port = closed_port();
    let unreachable = [
        format!("postgres://app:{SECRET}@127.0.0.1:{port}/app"),
        format!("postgres://app@127.0.0.1:{port}/app?password={SECRET}"),
        format!("postgresql://app@127.0.0.1:{port}/app?sslmode=prefer&Password={SECRET}"),
    ];
    for url in &unreachable {
        let error = connect_error(url);
        let message = error.to_string();
        assert!(matches!(error, Error::Connect { .. }), "{url}: {message}");
        assert!(message.contains("connection refused"), "{message}");
        assert!(!message.contains(SECRET), "{message}");
    }
    let unusable = [
        (format!("postgres//app:{SECRET}@127.0.0.1/app"), "postgres//***@127.0.0.1/app"),
        (format!("postgres:app:{SECRET}@127.0.0.1"), "must be followed by `//`"),
        (format!("postgres://app:{SECRET}@127.0.0.1:70000/app"), "invalid port number"),
        (format!("postgres://app:{SECRET}%FF@127.0.0.1/app"), "does not decode to UTF-8"),
        (format!("host=127.0.0.1 password='{SECRET}'"), "key=value connection string"),
        (format!("postgres://app:{SECRET}@127.0.0.1/app?sslmode=maybe"), "`ssl_mode`"),
        (
            format!(
                "postgres://app:{SECRET}@127.0.0.1/app?sslmode=verify-full&sslrootcert=/none.pem"
            ),
            "sslrootcert=/none.pem: no such file",
        ),
    ];
    for (url, expected) in &unusable {
        let error = connect_error(url);
        let message = error.to_string();
        assert!(matches!(error, Error::BadUrl { .. }), "{url}: {message}");
        assert!(message.contains(expected), "{url}: {message}");
        assert!(!message.contains(SECRET), "{message}");
    }
}
