//! JSON and JSON Lines.
//!
//! JSON: `{"articles":[{"path","summary","skipped","paragraphs":[...]}]}` (or `{"rows":[...]}`
//! for data rows). JSON Lines: one object per paragraph or row with `article` (or `id`),
//! `paragraph`, `text` and, per task, `{"label","probabilities":{class: p}}`.

use std::io::{self, Write};

use serde_json::{json, Map, Value};

use super::{PredictionWriter, TaskInfo};
use crate::predict::{ArticleResult, ParagraphResult, Summary};

fn task_values(tasks: &[TaskInfo], p: &ParagraphResult, out: &mut Map<String, Value>) {
    for (t, pred) in tasks.iter().zip(&p.predictions) {
        let probs: Map<String, Value> = pred
            .probabilities
            .iter()
            .map(|(c, v)| (c.clone(), json!(v)))
            .collect();
        let mut obj = Map::new();
        obj.insert("label".into(), json!(pred.label));
        obj.insert("probabilities".into(), Value::Object(probs));
        if t.explain {
            obj.insert(
                "explanation".into(),
                Value::Array(
                    pred.explanation
                        .iter()
                        .map(|(term, w)| json!({"term": term, "weight": w}))
                        .collect(),
                ),
            );
        }
        out.insert(t.name.clone(), Value::Object(obj));
    }
}

/// One paragraph (or row) as a JSON object; `article` is set for articles, `id` for rows.
pub fn paragraph_value(tasks: &[TaskInfo], article: Option<&str>, p: &ParagraphResult) -> Value {
    let mut obj = Map::new();
    match article {
        Some(a) => {
            obj.insert("article".into(), json!(a));
        }
        None => {
            obj.insert("id".into(), json!(p.id));
        }
    }
    obj.insert("paragraph".into(), json!(p.index));
    obj.insert("text".into(), json!(p.text));
    task_values(tasks, p, &mut obj);
    Value::Object(obj)
}

/// An article summary as JSON.
pub fn summary_value(s: &Summary) -> Value {
    let tasks: Map<String, Value> = s
        .tasks
        .iter()
        .map(|(name, t)| {
            (
                name.clone(),
                json!({
                    "overall": t.overall,
                    "counts": t.counts,
                    "shares": t.shares,
                    "mean_probabilities": t.mean_probabilities,
                }),
            )
        })
        .collect();
    json!({"paragraphs": s.paragraphs, "skipped": s.skipped, "tasks": tasks})
}

/// A whole article as JSON.
pub fn article_value(tasks: &[TaskInfo], a: &ArticleResult) -> Value {
    let paragraphs: Vec<Value> = a
        .paragraphs
        .iter()
        .map(|p| {
            let mut v = paragraph_value(tasks, Some(&a.name), p);
            if let Some(o) = v.as_object_mut() {
                o.remove("article");
            }
            v
        })
        .collect();
    let skipped: Vec<Value> = a
        .skipped
        .iter()
        .map(|b| json!({"kind": format!("{:?}", b.kind).to_lowercase(), "text": b.text}))
        .collect();
    json!({
        "path": a.name,
        "summary": summary_value(&a.summary),
        "skipped": skipped,
        "paragraphs": paragraphs,
    })
}

/// Streams `{"articles":[...]}` (or `{"rows":[...]}`).
pub struct JsonWriter<W: Write> {
    out: W,
    tasks: Vec<TaskInfo>,
    opened: Option<&'static str>,
    first: bool,
}

impl<W: Write> JsonWriter<W> {
    pub fn new(out: W, tasks: Vec<TaskInfo>) -> Self {
        JsonWriter {
            out,
            tasks,
            opened: None,
            first: true,
        }
    }

    fn item(&mut self, key: &'static str, v: &Value) -> io::Result<()> {
        if self.opened.is_none() {
            write!(self.out, "{{\"{key}\":[")?;
            self.opened = Some(key);
        }
        if !self.first {
            self.out.write_all(b",")?;
        }
        self.first = false;
        serde_json::to_writer(&mut self.out, v)?;
        Ok(())
    }
}

impl<W: Write> PredictionWriter for JsonWriter<W> {
    fn article(&mut self, a: &ArticleResult) -> io::Result<()> {
        let v = article_value(&self.tasks, a);
        self.item("articles", &v)
    }

    fn rows(&mut self, rows: &[ParagraphResult]) -> io::Result<()> {
        for r in rows {
            let v = paragraph_value(&self.tasks, None, r);
            self.item("rows", &v)?;
        }
        Ok(())
    }

    fn finish(&mut self) -> io::Result<()> {
        if self.opened.is_none() {
            self.out.write_all(b"{\"articles\":[")?;
        }
        self.out.write_all(b"]}\n")?;
        self.out.flush()
    }
}

/// Writes one JSON object per paragraph or row.
pub struct JsonlWriter<W: Write> {
    out: W,
    tasks: Vec<TaskInfo>,
}

impl<W: Write> JsonlWriter<W> {
    pub fn new(out: W, tasks: Vec<TaskInfo>) -> Self {
        JsonlWriter { out, tasks }
    }
}

impl<W: Write> PredictionWriter for JsonlWriter<W> {
    fn article(&mut self, a: &ArticleResult) -> io::Result<()> {
        for p in &a.paragraphs {
            serde_json::to_writer(
                &mut self.out,
                &paragraph_value(&self.tasks, Some(&a.name), p),
            )?;
            self.out.write_all(b"\n")?;
        }
        Ok(())
    }

    fn rows(&mut self, rows: &[ParagraphResult]) -> io::Result<()> {
        for r in rows {
            serde_json::to_writer(&mut self.out, &paragraph_value(&self.tasks, None, r))?;
            self.out.write_all(b"\n")?;
        }
        Ok(())
    }

    fn finish(&mut self) -> io::Result<()> {
        self.out.flush()
    }
}
