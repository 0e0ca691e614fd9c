//! Prints the cross-validation fold of every row of a labelled file, as `stance tune --cv K`
//! and `stance train --cv K` assign them (stratified on the given label column), so that
//! another tool can be scored on exactly the same folds.
//!
//! `cargo run --release --example folds -- FILE LABEL K SEED` → CSV `id,fold`

use stance::data::{read, DataSpec};
use stance::evaluation::stratified_folds;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [file, label, k, seed] = args.as_slice() else {
        return Err("usage: folds FILE LABEL K SEED".into());
    };
    let spec = DataSpec {
        label_columns: vec![label.clone()],
        ..DataSpec::default()
    };
    let data = read(std::path::Path::new(file), &spec)?;
    let folds = stratified_folds(&data.labels(0), k.parse()?, seed.parse()?, label)?;
    let mut fold_of = vec![0; data.rows.len()];
    for (f, rows) in folds.iter().enumerate() {
        for &r in rows {
            fold_of[r] = f;
        }
    }
    println!("id,fold");
    for (row, f) in data.rows.iter().zip(fold_of) {
        println!("{},{f}", row.id.clone().unwrap_or_default());
    }
    Ok(())
}
