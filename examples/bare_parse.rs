//! The baseline for `intake check`: the csv crate reading every record of a file, nothing
//! else. `cargo run --release --example bare_parse -- FILE`
fn main() {
    let path = std::env::args().nth(1).expect("usage: bare_parse FILE");
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(b';')
        .flexible(true)
        .from_path(&path)
        .expect("open");
    let mut record = csv::StringRecord::new();
    let mut rows = 0u64;
    while reader.read_record(&mut record).expect("read") {
        rows += 1;
    }
    println!("{rows} records");
}
