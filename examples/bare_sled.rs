//! The baseline for `intake import`: the fastest and leanest way into sled 0.34, one `insert`
//! per record and a `flush`, with records the size of a stored customer.
//! `cargo run --release --example bare_sled -- ROWS DIR`
fn main() {
    let mut args = std::env::args().skip(1);
    let rows: u64 = args
        .next()
        .and_then(|a| a.parse().ok())
        .expect("usage: bare_sled ROWS DIR");
    let dir = args.next().expect("usage: bare_sled ROWS DIR");
    let db = sled::Config::new()
        .path(dir)
        .cache_capacity(64 * 1024 * 1024)
        .open()
        .expect("open");
    // About what a customer with a dozen fields encodes to.
    let value = vec![b'x'; 300];
    for i in 0..rows {
        db.insert(i.to_be_bytes(), value.as_slice())
            .expect("insert");
    }
    db.flush().expect("flush");
    println!("{rows} records");
}
