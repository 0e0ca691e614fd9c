//! Prints the classifiable paragraphs of articles as CSV rows `id,source,article,text`,
//! exactly as `stance predict` splits them; used to prepare seed articles for labelling.
//!
//! `cargo run --example seed_paragraphs -- training-data/articles/*.txt`

use std::path::Path;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut out = csv::Writer::from_writer(std::io::stdout());
    out.write_record(["id", "source", "article", "text"])?;
    for arg in std::env::args().skip(1) {
        let path = Path::new(&arg);
        let name = path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let stem = path
            .file_stem()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        // As predict reads it: a web page becomes its article's text.
        let source = stance::predict::Source::File(path.to_path_buf());
        let text = stance::predict::read_source(&source)?.text;
        for (i, p) in stance::paragraphs::paragraphs(&text)
            .into_iter()
            .enumerate()
        {
            out.write_record([
                format!("seed-{stem}-p{}", i + 1),
                "seed".into(),
                name.clone(),
                p,
            ])?;
        }
    }
    out.flush()?;
    Ok(())
}
