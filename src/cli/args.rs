//! Raw arguments as clap parses them; each subcommand turns them into library types.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

use stance::evaluation::BootstrapParams;
use stance::features::{DocFreq, TfidfParams, VectorParams};
use stance::model::{ClassWeight, LogisticParams, Loss};
use stance::shared::GroupWeights;
use stance::text::{AnalyzerParams, CharSource, Hashtags};

/// Label every paragraph of a news article with its stance toward military intervention
/// and its sentiment, learnt from paragraphs you labelled.
#[derive(Debug, Parser)]
#[command(name = "stance", version, about, max_term_width = 100)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Fit TF-IDF features and one logistic model per label column; write a model file.
    Train(TrainArgs),
    /// Label the paragraphs of articles (files, directories, or standard input) or the rows of a data file.
    Predict(PredictArgs),
    /// Score a model on labelled data: accuracy, macro-F1, per-class figures, confusion matrix.
    Evaluate(EvaluateArgs),
    /// Rank unlabelled rows by how much labelling them would teach the model; write them for labelling.
    Suggest(SuggestArgs),
    /// Search features, C and class weights on validation data (or by cross-validation); write the best model.
    Tune(TuneArgs),
}

/// Parses `A-B` (or `A`) into an inclusive range.
pub fn parse_range(s: &str) -> Result<(usize, usize), String> {
    let (a, b) = s.split_once('-').unwrap_or((s, s));
    let a: usize = a
        .trim()
        .parse()
        .map_err(|_| format!("`{s}` is not a range like 1-2"))?;
    let b: usize = b
        .trim()
        .parse()
        .map_err(|_| format!("`{s}` is not a range like 1-2"))?;
    Ok((a, b))
}

/// Columns of a labelled data file.
#[derive(Debug, Args, Clone)]
pub struct DataColumns {
    /// Column (CSV) or field (JSON Lines) holding the text.
    #[arg(long, default_value = "text", value_name = "NAME")]
    pub text_column: String,
    /// A label column, one task each; repeat for several. Default: `stance` and `sentiment`, whichever exist.
    #[arg(long = "label", value_name = "COLUMN")]
    pub labels: Vec<String>,
}

/// Feature options.
#[derive(Debug, Args, Clone)]
pub struct FeatureArgs {
    /// Word n-gram range.
    #[arg(long, default_value = "1-2", value_parser = parse_range, value_name = "MIN-MAX")]
    pub ngrams: (usize, usize),
    /// Character n-gram range inside words (like scikit-learn's char_wb). Default: off.
    #[arg(long, value_parser = parse_range, value_name = "MIN-MAX")]
    pub char_ngrams: Option<(usize, usize)>,
    /// With --char-ngrams: take them inside each `tokens` (`#`, `nowar`, `!`) or inside each
    /// white-space-separated `words` (`#nowar!`, as scikit-learn's char_wb over raw text).
    #[arg(long, value_enum, default_value = "tokens", value_name = "WHAT")]
    pub char_source: CharSourceArg,
    /// `split` follows each hashtag of two or more words with its words, found by case and
    /// digits (`#StopHillary2016` → `#StopHillary2016 Stop Hillary 2016`), before
    /// normalisation; `keep` leaves hashtags as they are.
    #[arg(long, value_enum, default_value = "keep", value_name = "HOW")]
    pub hashtags: HashtagsArg,
    /// Ignore terms in fewer documents than this: a count (2) or a fraction (0.01).
    #[arg(
        allow_negative_numbers = true,
        long,
        default_value = "1",
        value_name = "N|F"
    )]
    pub min_df: DocFreq,
    /// Ignore terms in more documents than this: a count or a fraction (1.0 keeps all).
    #[arg(
        allow_negative_numbers = true,
        long,
        default_value = "1.0",
        value_name = "N|F"
    )]
    pub max_df: DocFreq,
    /// Keep only this many of the most frequent terms. Default: all.
    #[arg(allow_negative_numbers = true, long, value_name = "N")]
    pub max_features: Option<usize>,
    /// Use 1 + ln(tf) instead of raw term counts.
    #[arg(long)]
    pub sublinear_tf: bool,
    /// Do not smooth idf (smoothing adds one to every document frequency).
    #[arg(long)]
    pub no_smooth_idf: bool,
    /// Do not scale rows to unit length.
    #[arg(long)]
    pub no_norm: bool,
    /// Count each term once per text, however often it occurs.
    #[arg(long)]
    pub binary_tf: bool,
    /// With --char-ngrams: `row` scales each row to unit length as a whole, `parts` scales
    /// its word part and its character part each to unit length (scikit-learn's FeatureUnion).
    #[arg(long, value_enum, default_value = "row", value_name = "HOW")]
    pub norm: NormArg,
    #[command(flatten)]
    pub vectors: VectorArgs,
}

/// Pretrained word vectors.
#[derive(Debug, Args, Clone)]
pub struct VectorArgs {
    /// Pretrained word vectors in text form (GloVe; word2vec and fastText `.vec`), or a model
    /// trained with them, whose stored vectors are taken: each text's mean word vector is
    /// appended to its TF-IDF features, and the vectors are stored in the model. Helps most
    /// with few labelled rows. Default: none.
    #[arg(long, value_name = "FILE")]
    pub vectors: Option<PathBuf>,
    /// With --vectors: the length of the word-vector part of each row, the TF-IDF part's being 1
    /// (at most 1000).
    #[arg(
        allow_negative_numbers = true,
        long,
        default_value_t = 1.0,
        value_name = "W",
        requires = "vectors"
    )]
    pub vector_weight: f64,
    /// With --vectors: take only its first N words (files list the most frequent first).
    #[arg(
        allow_negative_numbers = true,
        long,
        default_value_t = 100_000,
        value_name = "N",
        requires = "vectors"
    )]
    pub vector_words: usize,
}

impl VectorArgs {
    /// The word-vector options with their table read, when --vectors is given.
    pub fn params(&self) -> stance::Result<Option<VectorParams>> {
        let Some(path) = &self.vectors else {
            return Ok(None);
        };
        if self.vector_words == 0 {
            return Err(stance::Error::param("--vector-words", "must be at least 1"));
        }
        let table = stance::modelfile::read_word_vectors(path, self.vector_words)?;
        Ok(Some(VectorParams::new(table, self.vector_weight)))
    }
}

/// How a row with word and character n-grams is scaled to unit length.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum NormArg {
    Row,
    Parts,
}

impl NormArg {
    pub fn per_part(self) -> bool {
        self == NormArg::Parts
    }
}

/// What character n-grams are taken inside.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CharSourceArg {
    Tokens,
    Words,
}

impl From<CharSourceArg> for CharSource {
    fn from(a: CharSourceArg) -> Self {
        match a {
            CharSourceArg::Tokens => CharSource::Tokens,
            CharSourceArg::Words => CharSource::Words,
        }
    }
}

/// What happens to hashtags before normalisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum HashtagsArg {
    Keep,
    Split,
}

impl From<HashtagsArg> for Hashtags {
    fn from(a: HashtagsArg) -> Self {
        match a {
            HashtagsArg::Keep => Hashtags::Keep,
            HashtagsArg::Split => Hashtags::Split,
        }
    }
}

impl FeatureArgs {
    /// The TF-IDF options, reading the word vectors if --vectors is given.
    pub fn params(&self) -> stance::Result<TfidfParams> {
        Ok(TfidfParams {
            analyzer: AnalyzerParams {
                word_ngrams: self.ngrams,
                char_ngrams: self.char_ngrams,
                char_source: self.char_source.into(),
                hashtags: self.hashtags.into(),
            },
            min_df: self.min_df,
            max_df: self.max_df,
            max_features: self.max_features,
            sublinear_tf: self.sublinear_tf,
            smooth_idf: !self.no_smooth_idf,
            l2_norm: !self.no_norm,
            binary_tf: self.binary_tf,
            norm_per_part: self.norm.per_part(),
            vectors: self.vectors.params()?,
        })
    }
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ClassWeightArg {
    None,
    Balanced,
}

/// Model options.
#[derive(Debug, Args, Clone)]
pub struct ModelArgs {
    /// Inverse L2 penalty strength (scikit-learn's C; larger fits the data more closely).
    #[arg(
        short = 'C',
        long = "C",
        default_value_t = 1.0,
        value_name = "C",
        allow_negative_numbers = true
    )]
    pub c: f64,
    /// Fit first at these C values, in order, each fit starting from the one before, then at
    /// C (default: none, one fit from scratch). `stance tune` fits its choice this way and
    /// stores the path in the model (`c_path`); give it here to get tune's model again.
    #[arg(
        allow_negative_numbers = true,
        long,
        value_delimiter = ',',
        value_name = "C,C,..."
    )]
    pub c_path: Vec<f64>,
    /// Class weights: none, or balanced (every class weighs the same in the loss).
    #[arg(long, value_enum, default_value = "none")]
    pub class_weight: ClassWeightArg,
    /// The loss: `logistic` (multinomial log-loss, calibrated probabilities) or
    /// `squared-hinge` (one-vs-rest L2-loss linear SVM; its probabilities are the softmax of
    /// its scores, a ranking, not calibrated).
    #[arg(long, default_value = "logistic", value_name = "LOSS")]
    pub loss: Loss,
    /// Maximum solver iterations (Newton steps).
    #[arg(
        allow_negative_numbers = true,
        long,
        default_value_t = 1000,
        value_name = "N"
    )]
    pub max_iter: u64,
    /// Stop when the largest gradient component of the mean loss falls below this
    /// (scikit-learn's `tol`).
    #[arg(
        allow_negative_numbers = true,
        long,
        default_value_t = 1e-4,
        value_name = "TOL"
    )]
    pub tol: f64,
}

impl ModelArgs {
    pub fn params(&self) -> LogisticParams {
        LogisticParams::new()
            .c(self.c)
            .loss(self.loss)
            .class_weight(match self.class_weight {
                ClassWeightArg::None => ClassWeight::None,
                ClassWeightArg::Balanced => ClassWeight::Balanced,
            })
            .max_iterations(self.max_iter)
            .tolerance(self.tol)
    }
}

#[derive(Debug, Args)]
pub struct TrainArgs {
    /// Labelled data: CSV with a header row, or JSON Lines (.jsonl).
    #[arg(long, value_name = "FILE")]
    pub data: PathBuf,
    /// Where to write the model file (written atomically).
    #[arg(long, value_name = "MODEL")]
    pub out: PathBuf,
    /// Also report K-fold stratified cross-validated accuracy and macro-F1 per task. Default: off.
    #[arg(allow_negative_numbers = true, long, value_name = "K")]
    pub cv: Option<usize>,
    /// Seed for the cross-validation folds.
    #[arg(long, default_value_t = 42, value_name = "N")]
    pub seed: u64,
    /// Fit one model per value of this column (e.g. `target`); predict/evaluate route by it.
    #[arg(long, value_name = "COLUMN")]
    pub group_by: Option<String>,
    /// With --group-by: `separate` fits each group's vectorizer and model on its rows alone;
    /// `shared` fits one vectorizer and one model on all rows, each term weighted once for
    /// every group and once more for its own group (feature augmentation), which lets
    /// groups with few rows lean on the others.
    #[arg(
        long,
        default_value = "separate",
        value_name = "HOW",
        requires = "group_by"
    )]
    pub group_weights: GroupWeights,
    #[command(flatten)]
    pub columns: DataColumns,
    #[command(flatten)]
    pub features: FeatureArgs,
    #[command(flatten)]
    pub model: ModelArgs,
}

/// Output formats of `predict`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum PredictFormat {
    Table,
    Json,
    Jsonl,
    Csv,
    Html,
}

#[derive(Debug, Args)]
pub struct PredictArgs {
    /// The model file written by `stance train`.
    #[arg(long, value_name = "MODEL")]
    pub model: PathBuf,
    /// Articles: .txt/.md files, web pages (.html/.htm: the text of their article), directories
    /// (searched recursively), or - for standard input. With none, standard input is read when
    /// it is not a terminal.
    #[arg(value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Label the rows of this CSV/JSON Lines file instead of articles (keeps its `id`).
    #[arg(long, value_name = "FILE", conflicts_with = "paths")]
    pub data: Option<PathBuf>,
    /// Text column of --data.
    #[arg(long, default_value = "text", value_name = "NAME")]
    pub text_column: String,
    /// Group of a grouped model to use for articles (rows of --data use their own column).
    #[arg(long, value_name = "VALUE")]
    pub group: Option<String>,
    /// Output format (html: one self-contained page, best with --out). Default: table on a
    /// terminal, jsonl otherwise.
    #[arg(long, value_enum)]
    pub format: Option<PredictFormat>,
    /// Add the K n-grams that pushed each predicted label most (weight × tf-idf).
    #[arg(
        allow_negative_numbers = true,
        long,
        default_value_t = 0,
        value_name = "K"
    )]
    pub explain: usize,
    /// Write to this file (atomically) instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub out: Option<PathBuf>,
}

/// Output formats of `evaluate`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EvaluateFormat {
    Table,
    Json,
    Html,
}

#[derive(Debug, Args)]
pub struct EvaluateArgs {
    /// The model file written by `stance train`.
    #[arg(long, value_name = "MODEL")]
    pub model: PathBuf,
    /// Labelled data to score the model on.
    #[arg(long, value_name = "FILE")]
    pub data: PathBuf,
    /// Text column of --data.
    #[arg(long, default_value = "text", value_name = "NAME")]
    pub text_column: String,
    /// Label columns to score; repeat for several. Default: every model task the data has.
    #[arg(long = "label", value_name = "COLUMN")]
    pub labels: Vec<String>,
    /// Output format (html: one self-contained page).
    #[arg(long, value_enum, default_value = "table")]
    pub format: EvaluateFormat,
    /// Resample the rows N times and give each figure a 95% interval (percentile bootstrap):
    /// how far it could move with another sample of as many rows. 0 for none; otherwise at
    /// least 100 and at most 1,000,000.
    #[arg(allow_negative_numbers = true, long, default_value_t = BootstrapParams::default().resamples, value_name = "N")]
    pub bootstrap: usize,
    /// Seed of the bootstrap resamples.
    #[arg(long, default_value_t = BootstrapParams::default().seed, value_name = "N")]
    pub seed: u64,
    /// A second model to compare with --model on the same rows: each figure of both, the
    /// difference (this one minus --model), its 95% paired-bootstrap interval, and the share
    /// of resamples in which this one scores higher. Table or json output.
    #[arg(long, value_name = "MODEL")]
    pub compare: Option<PathBuf>,
}

#[derive(Debug, Args)]
pub struct SuggestArgs {
    /// The model file written by `stance train`.
    #[arg(long, value_name = "MODEL")]
    pub model: PathBuf,
    /// Candidate rows (CSV or JSON Lines); rows that already carry labels are passed over.
    #[arg(long, value_name = "FILE")]
    pub data: PathBuf,
    /// How many rows to suggest.
    #[arg(
        allow_negative_numbers = true,
        short = 'n',
        default_value_t = 50,
        value_name = "N"
    )]
    pub n: usize,
    /// Uncertainty measure: entropy or margin.
    #[arg(long, default_value = "entropy", value_name = "NAME")]
    pub strategy: stance::suggest::Strategy,
    /// Text column of --data.
    #[arg(long, default_value = "text", value_name = "NAME")]
    pub text_column: String,
    /// Write the suggestions to this CSV file (atomically) instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub out: Option<PathBuf>,
}

fn parse_char(x: &str) -> Result<Option<(usize, usize)>, String> {
    if x == "off" {
        Ok(None)
    } else {
        parse_range(x).map(Some)
    }
}

fn parse_on_off(x: &str) -> Result<bool, String> {
    match x {
        "on" => Ok(true),
        "off" => Ok(false),
        _ => Err(format!("`{x}` is neither on nor off")),
    }
}

#[derive(Debug, Args)]
pub struct TuneArgs {
    /// Labelled training data.
    #[arg(long, value_name = "FILE")]
    pub data: PathBuf,
    /// Labelled validation data to score settings on (never the test file).
    #[arg(long, value_name = "FILE", conflicts_with = "cv")]
    pub validation: Option<PathBuf>,
    /// Score settings by K-fold stratified cross-validation instead of a validation file.
    #[arg(allow_negative_numbers = true, long, value_name = "K")]
    pub cv: Option<usize>,
    /// Where to write the best model.
    #[arg(long, value_name = "MODEL")]
    pub out: PathBuf,
    /// Tune and fit one model per value of this column.
    #[arg(long, value_name = "COLUMN")]
    pub group_by: Option<String>,
    /// With --group-by: group weightings to try, `separate` and/or `shared` (see `stance
    /// train --help`); shared weights are chosen for all groups together (--select pooled).
    #[arg(
        long,
        default_value = "separate",
        value_delimiter = ',',
        value_name = "LIST",
        requires = "group_by"
    )]
    pub group_weights_values: Vec<GroupWeights>,
    #[command(flatten)]
    pub columns: DataColumns,
    /// C values to try.
    #[arg(
        allow_negative_numbers = true,
        long,
        default_value = "0.1,0.3,1,3,10,30,100",
        value_delimiter = ',',
        value_name = "LIST"
    )]
    pub c_values: Vec<f64>,
    /// Losses to try: `logistic`, `squared-hinge` (`logistic,squared-hinge` is worth trying on
    /// small data sets such as tweets; see `stance train --help`).
    #[arg(
        long,
        default_value = "logistic",
        value_delimiter = ',',
        value_name = "LIST"
    )]
    pub losses: Vec<Loss>,
    /// Class weightings to try.
    #[arg(
        long,
        default_value = "none,balanced",
        value_delimiter = ',',
        value_name = "LIST"
    )]
    pub class_weights: Vec<ClassWeight>,
    /// Word n-gram ranges to try.
    #[arg(long, default_value = "1-1,1-2,1-3", value_delimiter = ',', value_parser = parse_range, value_name = "LIST")]
    pub ngram_values: Vec<(usize, usize)>,
    /// Character n-gram ranges to try (`off` for none).
    #[arg(long, default_value = "off,2-5", value_delimiter = ',', value_parser = parse_char, value_name = "LIST")]
    pub char_ngram_values: Vec<Option<(usize, usize)>>,
    /// What character n-grams are taken inside, to try: `tokens`, `words` (white-space-separated,
    /// punctuation attached; `tokens,words` is worth trying on tweets).
    #[arg(
        long,
        value_enum,
        default_value = "tokens",
        value_delimiter = ',',
        value_name = "LIST"
    )]
    pub char_source_values: Vec<CharSourceArg>,
    /// Hashtag treatments to try: `keep`, `split` (see `stance train --help`; `keep,split` is
    /// worth trying on tweets).
    #[arg(
        long,
        value_enum,
        default_value = "keep",
        value_delimiter = ',',
        value_name = "LIST"
    )]
    pub hashtags_values: Vec<HashtagsArg>,
    /// Sublinear tf settings to try.
    #[arg(long, default_value = "off,on", value_delimiter = ',', value_parser = parse_on_off, value_name = "LIST")]
    pub sublinear_values: Vec<bool>,
    /// Norms to try with character n-grams: `row` (the whole row to unit length), `parts`
    /// (words and characters each to unit length).
    #[arg(
        long,
        value_enum,
        default_value = "row,parts",
        value_delimiter = ',',
        value_name = "LIST"
    )]
    pub norm_values: Vec<NormArg>,
    /// min_df values to try.
    #[arg(
        allow_negative_numbers = true,
        long,
        default_value = "1,2",
        value_delimiter = ',',
        value_name = "LIST"
    )]
    pub min_df_values: Vec<DocFreq>,
    /// With --vectors: word-vector blocks to try, `off` and/or `on`. Default: off,on with
    /// --vectors, off without.
    #[arg(long, value_delimiter = ',', value_parser = parse_on_off, value_name = "LIST")]
    pub vector_values: Option<Vec<bool>>,
    #[command(flatten)]
    pub vectors: VectorArgs,
    /// Ignore terms in more documents than this (not searched).
    #[arg(
        allow_negative_numbers = true,
        long,
        default_value = "1.0",
        value_name = "N|F"
    )]
    pub max_df: DocFreq,
    /// Maximum solver iterations per fit (Newton steps).
    #[arg(
        allow_negative_numbers = true,
        long,
        default_value_t = 1000,
        value_name = "N"
    )]
    pub max_iter: u64,
    /// Stop each fit when the largest gradient component of the mean loss falls below this.
    #[arg(
        allow_negative_numbers = true,
        long,
        default_value_t = 1e-4,
        value_name = "TOL"
    )]
    pub tol: f64,
    /// Seed for the cross-validation folds.
    #[arg(long, default_value_t = 42, value_name = "N")]
    pub seed: u64,
    /// With --group-by: `pooled` chooses one setting for all groups on their pooled scores,
    /// `per-group` lets each group choose on its own rows.
    #[arg(long, default_value = "pooled", value_name = "HOW")]
    pub select: stance::tune::Selection,
    /// How many settings of the ranking to print per group.
    #[arg(
        allow_negative_numbers = true,
        long,
        default_value_t = 10,
        value_name = "N"
    )]
    pub top: usize,
    /// After choosing on the validation file, fit the final model on training + validation rows.
    #[arg(long, requires = "validation")]
    pub refit_all: bool,
}
