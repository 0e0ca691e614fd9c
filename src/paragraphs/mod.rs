//! Splits a plain-text or Markdown news article into blocks in reading order.
//!
//! Scraped articles come in many layouts: one paragraph per line, blank or NBSP-only separator
//! lines, text hard-wrapped to a fixed width (with or without blank lines or first-line
//! indents between paragraphs), Markdown headings and bullets, a whole body on one line, plus
//! web-page furniture (dates, breadcrumbs, tag lists, comment forms). Only real paragraphs
//! carry a stance, so headings and boilerplate are kept and reported, letting the user see what
//! was skipped, but they are never handed to the classifier. Over-long paragraphs are cut at
//! sentence boundaries because the classifier was trained on paragraph-sized texts.
//!
//! Web pages are first laid out as such text by [`html`].

pub mod html;

use BlockKind::{Boilerplate, Heading, Paragraph};

/// What a block of an article is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BlockKind {
    Paragraph,
    Heading,
    Boilerplate,
}

/// One block of an article with its normalised text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    pub kind: BlockKind,
    pub text: String,
}

/// Max words for one paragraph before it is split at sentence boundaries.
pub const MAX_PARAGRAPH_WORDS: usize = 120;

/// A line without final punctuation longer than this is a run-on fragment, not a title.
const MAX_HEADING_WORDS: usize = 16;

const CLOSERS: &[char] = &['"', '\'', '”', '’', ')', ']', '»'];
const OPENERS: &[char] = &['"', '\'', '“', '‘', '(', '[', '«'];

/// Splits an article into blocks in reading order. Paragraph text is whitespace-normalised
/// (runs of whitespace incl. NBSP -> one space, trimmed); markdown emphasis markers `**` are
/// removed from heading text.
pub fn split_article(text: &str) -> Vec<Block> {
    // A BOM is dropped by `normalize`; a "\r\n" must not count as two line breaks.
    let lines: Vec<Line> = (text.replace("\r\n", "\n"))
        .split(['\n', '\r', '\u{2028}', '\u{2029}'])
        .map(|raw| {
            // E-mail and Markdown quotes: "> " (nested: "> > ", ">> ") before each line.
            let body = raw.trim_start();
            let quoted = body.starts_with('>');
            let body = body.trim_start_matches(|c: char| c == '>' || c.is_whitespace());
            Line {
                text: normalize(if quoted { body } else { raw }),
                // Any white space, a non-breaking one pasted from a web page included.
                indented: raw.starts_with(char::is_whitespace) && !quoted,
                quoted,
            }
        })
        .collect();
    let mut blocks: Vec<Block> = Vec::new();
    // Lines that are empty after normalisation (blank, NBSP-only) separate runs.
    for run in lines.split(|line| line.text.is_empty()) {
        for unit in units(run) {
            let block = classify(&unit, &blocks);
            if block.kind == Paragraph {
                let chunks = split_long(&block.text).into_iter();
                blocks.extend(chunks.map(|text| Block {
                    kind: Paragraph,
                    text,
                }));
            } else {
                blocks.push(block);
            }
        }
    }
    blocks
}

/// The classifiable paragraphs only (kind == Paragraph), in order.
pub fn paragraphs(text: &str) -> Vec<String> {
    split_article(text)
        .into_iter()
        .filter(|b| b.kind == Paragraph)
        .map(|b| b.text)
        .collect()
}

fn normalize(s: &str) -> String {
    // Zero-width characters, BOMs and soft hyphens survive HTML-to-text conversion but are not
    // whitespace, so they would otherwise glue words together or make a blank line non-blank.
    let visible: String = s
        .chars()
        .filter(|c| !matches!(c, '\u{200b}' | '\u{2060}' | '\u{feff}' | '\u{ad}'))
        .collect();
    visible.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn words(s: &str) -> usize {
    s.split_whitespace().count()
}

/// One line of the article, whitespace-normalised and without quote marks, whether it began
/// with white space (the first-line indent that marks a paragraph in some hard-wrapped text),
/// and whether it was quoted with `>`.
struct Line {
    text: String,
    indented: bool,
    quoted: bool,
}

/// The blocks of one run of non-blank lines. Hard-wrapped text (lines filled to a fixed width of
/// 50-100 chars, most of them breaking mid-sentence) is joined back into paragraphs; otherwise,
/// as in all the seed articles, every line is its own block.
///
/// Inside wrapped text a paragraph ends at a line well short of the width (the fill stops
/// there), before a first-line indent (when only some lines are indented), before a Markdown
/// marker, and around a title or a line in capitals; so paragraphs separated by blank lines,
/// by a short last line or by a first-line indent all come apart, while a hanging indent, a
/// bullet's indented second line or a block quote's lines stay together.
fn units(run: &[Line]) -> Vec<String> {
    let char_len = |l: &Line| l.text.chars().count();
    let max = run.iter().map(char_len).max().unwrap_or(0);
    let min = max * 3 / 5;
    let filled = |l: &Line| char_len(l) >= min;
    // The last line of a run is where a fill stops, so it says nothing about wrapping.
    let init = run.split_last().map_or(&[][..], |(_, init)| init);
    let full: Vec<&Line> = init.iter().filter(|l| filled(l)).collect();
    // Wrapping breaks lines mid-sentence; one-sentence-per-line paragraphs end in punctuation.
    // (A line ending in "Jan." or "U.S." most likely breaks one too.)
    let breaks = |t: &str| !ends_sentence(t) || t.strip_suffix('.').is_some_and(is_abbreviation);
    let open = full.iter().filter(|l| breaks(&l.text)).count();
    // A list of headlines is unpunctuated too, but wrapped prose ends a sentence somewhere (at
    // the latest on its last line) and starts some line with a lowercase word, or a caseless
    // script's; a list whose every line is a capitalised, unfinished phrase is no paragraph.
    let headlines = run
        .iter()
        .all(|l| !ends_sentence(&l.text) && starts_with_capital(&l.text));
    let wrapped = (50..=100).contains(&max)
        && !full.is_empty()
        && full.len() * 2 >= init.len()
        && open * 2 > full.len()
        && !headlines;
    if !wrapped {
        return run.iter().map(|l| l.text.clone()).collect();
    }
    // An indent marks paragraph starts only where some lines have it and most do not; a whole
    // run indented alike (a quoted or code-like block) says nothing.
    let indents = run.iter().skip(1).filter(|l| l.indented).count();
    let indent_starts = indents > 0 && indents * 2 < run.len();
    let mut out: Vec<String> = Vec::new();
    // Whether the last unit may take the next line.
    let mut open_unit = false;
    // How many lines in a row of the last unit, up to the last line, were indented.
    let mut indented_lines = 0;
    // Whether the last unit is a bullet item at the margin (whose next lines may hang indented).
    let mut bullet = false;
    for (i, line) in run.iter().enumerate() {
        let mark = strip_marker(&line.text).0;
        let after_sentence = out.last().is_some_and(|u| ends_sentence(u));
        let after_colon = out.last().is_some_and(|u| u.ends_with(':'));
        // A title after a sentence's end, where the paragraph's last line happened to fill.
        // A title starts with a capital letter: "30, 2005, where ..." after "for Jan." is the
        // sentence going on.
        let capital = starts_with_capital(&line.text);
        let title = (!filled(line) && capital && looks_like_heading(&line.text) && after_sentence)
            || is_all_caps(&line.text);
        // An indented line is a first-line indent after a sentence's end, a colon or a title,
        // or where it starts with a capital; an indented lowercase word after a mid-sentence
        // break continues the sentence (a hanging indent, a bullet's second line, the next
        // line of a block quote). A line back at the margin after a sentence's end leaves a
        // block quote (two or more indented lines) or a bullet item with its second line
        // indented; after one indented line of prose, it is the second line of a paragraph
        // with a first-line indent.
        let after_title = out
            .last()
            .is_some_and(|u| looks_like_heading(u) && is_title_case(u));
        let new_indent = indent_starts
            && if line.indented {
                after_sentence || after_colon || after_title || first_is_upper(&line.text)
            } else {
                after_sentence && (indented_lines >= 2 || (bullet && indented_lines >= 1))
            };
        // "- " after a line broken mid-sentence is a dash ("the war - saying such papers"),
        // not a bullet; after a finished sentence or a colon, or at a run's start, a bullet.
        let marker = match mark {
            Some(Paragraph) => !open_unit || after_sentence || after_colon,
            marked => marked.is_some(),
        };
        // A quotation begins and ends where its marks do.
        let quote_edge = i > 0 && run[i - 1].quoted != line.quoted;
        let starts = !open_unit || title || marker || new_indent || quote_edge;
        match out.last_mut() {
            Some(last) if !starts => {
                last.push(' ');
                last.push_str(&line.text);
            }
            _ => out.push(line.text.clone()),
        }
        // A `#` or bold heading is one line of its own, however long.
        open_unit = filled(line) && mark != Some(Heading) && !title;
        if starts {
            bullet = mark == Some(Paragraph) && !line.indented;
        }
        indented_lines = match (line.indented, starts) {
            (false, _) => 0,
            (true, true) => 1,
            (true, false) => indented_lines + 1,
        };
    }
    out
}

/// Whether the first letter or digit of `text` is a capital letter (unlike `first_is_upper`,
/// a digit or a caseless script's letter is not).
fn starts_with_capital(text: &str) -> bool {
    text.chars()
        .find(|c| c.is_alphanumeric())
        .is_some_and(char::is_uppercase)
}

/// A line in capitals only ("SENATORS CITE WAR POWERS ACT"): a wire-style heading, not a
/// line of a paragraph.
fn is_all_caps(text: &str) -> bool {
    let letters = || text.chars().filter(|c| c.is_alphabetic());
    letters().count() >= 8 && letters().all(char::is_uppercase)
}

/// Markdown markup that decides the kind by itself: `#` headings and short `**bold**` lines are
/// headings, bullet items are paragraphs even when short and unpunctuated.
fn strip_marker(line: &str) -> (Option<BlockKind>, &str) {
    let hashes = line.chars().take_while(|&c| c == '#').count();
    // '#' is one byte, so `hashes` is also a byte offset.
    let after_hashes = line.get(hashes..).and_then(|r| r.strip_prefix(' '));
    if let Some(rest) = after_hashes.filter(|_| (1..=6).contains(&hashes)) {
        return (Some(Heading), rest.trim_end_matches(['#', ' ']));
    }
    let bold = line.strip_prefix("**").and_then(|r| r.strip_suffix("**"));
    if let Some(inner) = bold.filter(|i| !i.contains("**") && words(i) <= MAX_HEADING_WORDS) {
        return (Some(Heading), inner);
    }
    let bullet = ["- ", "* ", "+ ", "• "]
        .iter()
        .find_map(|b| line.strip_prefix(b));
    bullet.map_or((None, line), |rest| (Some(Paragraph), rest))
}

fn classify(line: &str, prior: &[Block]) -> Block {
    // Nothing readable: stray markup such as a lone `**`, `---` or `* * *`, or numbers alone
    // ("1.", "2 / 5": page numbers, list numbers, counters), which take no side.
    if !line.chars().any(char::is_alphabetic) {
        let (kind, text) = (Boilerplate, line.to_string());
        return Block { kind, text };
    }
    let (forced, rest) = strip_marker(line);
    // Strip the footnote first: a trailing "2" would otherwise make a sentence look like a title.
    let text = strip_footnote(&normalize(&rest.replace("**", "")));
    let kind = match forced {
        _ if is_boilerplate(&text, prior) => Boilerplate,
        Some(kind) => kind,
        None if looks_like_heading(&text) => Heading,
        None => Paragraph,
    };
    Block { kind, text }
}

fn last_char(text: &str) -> Option<char> {
    text.trim_end_matches(CLOSERS).chars().next_back()
}

/// Full stops, question and exclamation marks of other scripts: CJK (full width), Devanagari
/// (danda), Arabic.
const OTHER_SENTENCE_ENDS: &[char] = &['。', '．', '！', '？', '।', '॥', '؟'];

fn ends_sentence(text: &str) -> bool {
    last_char(text)
        .is_some_and(|c| matches!(c, '.' | '!' | '?' | '…') || OTHER_SENTENCE_ENDS.contains(&c))
}

fn first_is_upper(word: &str) -> bool {
    word.chars()
        .find(|c| c.is_alphanumeric())
        .is_some_and(|c| !c.is_lowercase())
}

/// Titles are short and unpunctuated ("Looking Ahead"); a short line ending in `?`, `!` or `:`
/// is a heading only in title case, since a plain-case one is a question or a lead-in sentence.
fn looks_like_heading(text: &str) -> bool {
    words(text) <= MAX_HEADING_WORDS
        && first_is_upper(text)
        && match last_char(text) {
            Some('.' | ',' | ';' | '…' | '。' | '．' | '，' | '；' | '،' | '।' | '॥') | None => {
                false
            }
            Some('?' | '!' | ':' | '？' | '！' | '：' | '؟') => is_title_case(text),
            Some(_) => true,
        }
}

fn is_title_case(text: &str) -> bool {
    const MINOR: &str = "a an and as at but by for from in into of on or over the to vs with";
    let major: Vec<&str> = text
        .split_whitespace()
        .filter(|w| !MINOR.split(' ').any(|m| m.eq_ignore_ascii_case(w)))
        .collect();
    let caps = major.iter().filter(|w| first_is_upper(w)).count();
    // Scripts without case (Arabic, CJK, Devanagari) have no title case.
    let cased = text.chars().any(|c| c.is_uppercase() || c.is_lowercase());
    cased && major.len() >= 2 && caps * 4 >= major.len() * 3
}

// Page furniture, matched at the start of the lowercased line at a word boundary, and only on
// lines of at most the group's number of words so that a real paragraph that happens to open
// with the same words ("Sign up rates rose ...") still gets classified.
const LEADS: &[(usize, &str)] = &[
    // sharing and social widgets
    (12, "share this|share on|click to share|follow us"),
    (2, "share|like this|loading|related|comments"),
    // calls to action and newsletter promos closing an article
    (25, "stay updated|stay tuned|stay informed|subscribe"),
    (25, "sign up|click here"),
    // links to other stories, ads and section labels
    (20, "read more|read also|also read|see also|related:"),
    (6, "most popular|most read|trending|comments are closed"),
    (6, "recommended|you may also like|more stories"),
    (6, "advertisement|sponsored"),
    // comment forms
    (8, "leave a reply|leave a comment|please enter your"),
    (8, "cancel reply|post comment"),
    // legal footers, credits and taxonomy
    (30, "copyright|©|save my name|posted by|posted on"),
    (30, "written by|published by|reporting by|filed under"),
    (30, "photo:|image:"),
    // cookie and consent banners
    (
        45,
        "we use cookies|this site uses cookies|this website uses cookies|we value your privacy",
    ),
    (45, "we and our partners"),
    (60, "tags:|tagged:"),
];

fn leads_with(lower: &str, phrase: &str) -> bool {
    lower
        .strip_prefix(phrase)
        .is_some_and(|rest| !rest.starts_with(char::is_alphanumeric))
}

fn is_boilerplate(text: &str, prior: &[Block]) -> bool {
    let lower = text.to_lowercase();
    let n = words(text);
    LEADS.iter().any(|&(max, ps)| n <= max && ps.split('|').any(|p| leads_with(&lower, p)))
        // Legal notices can sit anywhere in a short footer line.
        || (n <= 30 && lower.contains("all rights reserved"))
        // "By Jane Doe", "By admin": bylines are short and unpunctuated, unlike "By contrast, ...".
        || (leads_with(&lower, "by") && n <= 4 && !ends_sentence(text))
        || is_dateline(&lower)
        || is_breadcrumb(text)
        || is_term_list(text)
        || is_echo(&lower, text, prior)
}

/// A line made only of date parts ("Sunday, May 4, 2025", "Updated 10:30 am ET, 2025-05-04"):
/// the page's publication stamp, not content.
fn is_dateline(lower: &str) -> bool {
    const NAMES: &str = "january february march april may june july august september october \
        november december jan feb mar apr jun jul aug sep sept oct nov dec monday tuesday \
        wednesday thursday friday saturday sunday mon tue tues wed thu thur thurs fri sat sun";
    const FILLERS: &str = "updated published posted last on at am pm a.m p.m et gmt utc est edt";
    let tokens: Vec<&str> = lower
        .split(|c: char| c.is_whitespace() || c == ',' || c == '|')
        .map(|t| t.trim_matches(['.', ':', '(', ')']))
        .filter(|t| !t.is_empty())
        .collect();
    // Digits with date/time separators and an optional "th"/"pm"-style suffix.
    let numeric = |t: &str| {
        let d = t.trim_end_matches(|c: char| c.is_ascii_alphabetic());
        d.contains(|c: char| c.is_ascii_digit()) && d.chars().all(|c| "0123456789-/:.".contains(c))
    };
    let is_in = |list: &str, t: &str| list.split_whitespace().any(|w| w == t);
    let named = tokens.iter().any(|t| is_in(NAMES, t));
    let slashed = tokens.iter().any(|t| numeric(t) && t.contains(['-', '/']));
    tokens.len() <= 12
        && tokens.iter().any(|t| numeric(t))
        && (named || slashed)
        && tokens
            .iter()
            .all(|t| is_in(NAMES, t) || is_in(FILLERS, t) || numeric(t))
}

/// Navigation trail: menu labels glued together when the HTML was flattened
/// ("HomePoliticsMexico ..."), or explicit separators ("Home > World > Americas").
fn is_breadcrumb(text: &str) -> bool {
    let glued_home = text.strip_prefix("Home").is_some_and(|rest| {
        let separated = rest
            .trim_start()
            .starts_with(['>', '»', '›', '/', '|', '→']);
        separated || rest.starts_with(char::is_uppercase)
    });
    // French and German quotation marks (« … », » … «) are not separators.
    let quotes = text.contains('«');
    let separators = [" > ", " » ", " › ", " → "]
        .iter()
        .filter(|s| !(quotes && s.contains('»')))
        .map(|s| text.matches(s).count())
        .sum::<usize>();
    glued_home || separators >= 2
}

/// Keyword/tag lines: many short comma-separated noun phrases and no closing punctuation; prose
/// with that many commas has longer clauses or ends in a full stop. Pipes separate menu items.
fn is_term_list(text: &str) -> bool {
    let short_items = |sep: char, min: usize| {
        let items: Vec<&str> = text.split(sep).collect();
        items.len() >= min && items.iter().all(|i| (1..=4).contains(&words(i)))
    };
    !ends_sentence(text) && (short_items(',', 5) || short_items('|', 3))
}

/// Templates echo the title (breadcrumb tail, page title, og:title). A heading-like line that
/// repeats an earlier block, or ends an earlier boilerplate line, is that echo.
fn is_echo(lower: &str, text: &str, prior: &[Block]) -> bool {
    words(text) >= 3
        && looks_like_heading(text)
        // Only the page header is searched: that is where templates repeat the title, and it
        // keeps the check linear on huge inputs.
        && prior.iter().take(20).any(|b| {
            let earlier = b.text.to_lowercase();
            earlier == lower || (b.kind == Boilerplate && earlier.ends_with(lower))
        })
}

/// Scraped text sometimes keeps a footnote marker glued to the final full stop ("...States.2").
/// A digit before the stop means a decimal ("rose 2.5"), which is left alone.
fn strip_footnote(text: &str) -> String {
    // Bracketed references after a sentence's end: "veto.[2]", "abroad.[1][3]",
    // "[citation needed]" (wiki pages, documents exported to HTML).
    let mut bare = text;
    while let Some((body, _)) = bare
        .strip_suffix(']')
        .and_then(|t| t.rsplit_once('['))
        .filter(|(_, note)| note.chars().count() <= 20)
    {
        bare = body;
    }
    let text = if ends_sentence(bare) { bare } else { text };
    let body = text.trim_end_matches(|c: char| c.is_ascii_digit());
    let mut rev = body.trim_end_matches(CLOSERS).chars().rev();
    let glued = (1..=3).contains(&(text.len() - body.len()))
        && matches!(rev.next(), Some('.' | '!' | '?'))
        && rev.next().is_some_and(|c| !c.is_ascii_digit());
    if glued { body } else { text }.to_string()
}

const ABBREVIATIONS: &str =
    "mr mrs ms dr st jr sr prof gen gov sen rep lt col sgt capt maj adm rev \
    vs jan feb aug sept oct nov dec approx e.g i.e";

/// Titles, month abbreviations and initials ("U.S.", "J.") end in a period without ending the
/// sentence.
fn is_abbreviation(before: &str) -> bool {
    let word = before
        .rsplit(' ')
        .next()
        .unwrap_or_default()
        .trim_start_matches(OPENERS);
    let initials = !word.is_empty()
        && word
            .split('.')
            .all(|p| p.chars().count() == 1 && p.chars().all(char::is_alphabetic));
    let lower = word.to_lowercase();
    initials || ABBREVIATIONS.split_whitespace().any(|a| a == lower)
}

/// Sentences of normalised text: `.`, `!` or `?` (plus closing quotes/brackets), a space, then
/// an uppercase letter, digit or opening quote. Joining the result with spaces gives `text` back.
fn sentences(text: &str) -> Vec<&str> {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let mut out = Vec::new();
    let mut start = 0;
    for (i, &(pos, c)) in chars.iter().enumerate() {
        if !matches!(c, '.' | '!' | '?') || pos < start {
            continue;
        }
        let mut j = i + 1;
        while chars
            .get(j)
            .is_some_and(|&(_, c)| matches!(c, '.' | '!' | '?') || CLOSERS.contains(&c))
        {
            j += 1;
        }
        if let (Some(&(space, ' ')), Some(&(next, n))) = (chars.get(j), chars.get(j + 1)) {
            let opens = n.is_uppercase() || n.is_ascii_digit() || OPENERS.contains(&n);
            if opens && !(c == '.' && is_abbreviation(&text[start..pos])) {
                out.push(&text[start..space]);
                start = next;
            }
        }
    }
    out.push(&text[start..]);
    out
}

/// Greedy packing of whole sentences into chunks of at most `MAX_PARAGRAPH_WORDS` words; a
/// single longer sentence stays whole rather than being cut mid-thought.
fn split_long(text: &str) -> Vec<String> {
    if words(text) <= MAX_PARAGRAPH_WORDS {
        return vec![text.to_string()];
    }
    let mut chunks: Vec<String> = Vec::new();
    let mut count = 0;
    for sentence in sentences(text) {
        let n = words(sentence);
        match chunks.last_mut() {
            Some(chunk) if count + n <= MAX_PARAGRAPH_WORDS => {
                chunk.push(' ');
                chunk.push_str(sentence);
                count += n;
            }
            _ => {
                chunks.push(sentence.to_string());
                count = n;
            }
        }
    }
    chunks
}

#[cfg(test)]
mod tests {
    use super::*;

    macro_rules! seed {
        ($name:literal) => {
            include_str!(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/training-data/articles/",
                $name
            ))
        };
    }

    /// `spec` lists every block in reading order as "<P|H|B> <text>", separated by newlines or
    /// `|`; a text ending in `…` is a prefix, anything else must match exactly.
    fn check(article: &str, spec: &str) {
        let blocks = split_article(article);
        let spec: Vec<_> = spec
            .split(['\n', '|'])
            .filter_map(|l| l.trim().split_once(' '))
            .collect();
        assert_eq!(blocks.len(), spec.len(), "{blocks:#?}");
        for (block, (kind, want)) in blocks.iter().zip(spec) {
            let kind_ok = format!("{:?}", block.kind).starts_with(kind);
            let text_ok = match want.strip_suffix('…') {
                Some(prefix) => block.text.starts_with(prefix),
                None => block.text == want,
            };
            assert!(kind_ok && text_ok, "{block:?} does not match {kind} {want}");
        }
    }

    fn kinds(text: &str) -> Vec<BlockKind> {
        split_article(text).iter().map(|b| b.kind).collect()
    }

    const SEED_000: &str = "
        B **
        P In a defining moment for U.S.-Mexico rel…
        H Trump’s Military Proposal and Mexico’s Firm Response
        P During a recent press conference in Mexi…
        P Sheinbaum, Mexico’s first female preside…
        P “Mexico will not permit any foreign mili…
        P Her administration plans to focus on str…
        H U.S.-Mexico Tensions Over Cartel Strategies
        P This isn’t the first time Trump has push…
        P Past U.S.-backed efforts, like the 2006 …
        H Political Reactions and Future Implications
        P Trump’s remarks have sparked debate in both nations:
        P U.S. conservatives support tough action against cartels.
        P Critics warn unauthorized strikes could …
        P In Mexico, Sheinbaum’s stance resonates …
        H What’s Next for U.S.-Mexico Security Cooperation?
        P With Sheinbaum taking office in October …
        P Sheinbaum’s rejection sends a clear sign…
        B Stay updated with the latest on U.S.-Mexico relations and security policies.
        B **";

    const SEED_001: &str = "
        P Mexico City — Mexican President Claudia …
        H Trump Pushes for Immediate Military Action
        P According to sources, President Trump ha…
        P Despite the urgency highlighted by Trump…
        H Domestic Backlash Intensifies
        P Sheinbaum’s rejection has sparked backla…
        P Supporters of the president, however, ar…
        H Security Challenges Remain
        P Mexico continues to face escalating viol…
        P While Trump’s plan offered a high-profil…
        H International Implications
        P The disagreement underscores the delicat…
        P Observers caution that the debate over f…
        H Looking Ahead
        P As the controversy grows, Sheinbaum face…
        P The outcome of this standoff could have …
        B By admin";

    const SEED_002: &str = "
        H Claudia Sheinbaum rejects Trump's military assistance proposal to combat drug cartels
        P Claudia Sheinbaum confirmed that Donald …
        P She rejected the offer, asserting the im…
        P The escalating tensions signal a potenti…
        P In recent statements made by Claudia She…
        P The conversation reportedly revolved aro…
        P However, Trump's approach to addressing …";

    const SEED_003: &str = "
        H Sheinbaum Rejects US Military Intervention in Mexico’s Drug War
        P Claudia Sheinbaum, the President of Mexi…
        P Sheinbaum recounted a recent conversatio…
        P She further stated that both she and Tru…
        P There are reports suggesting that Trump …
        P The proposed strategy includes limited c…
        H Secondary Article: Mexico’s Approach to Drug Cartel Activity
        P In recent years, Mexico has strengthened…
        P Mexico also emphasizes community-driven …
        P Furthermore, Mexico has been active in p…";

    const SEED_004: &str = r#"
        B Sunday, May 4, 2025
        B HomePoliticsMexico Rejects US Military Aid to Fight Cartels: Sovereignty
        B Mexico Rejects US Military Aid to Fight Cartels: Sovereignty
        B Claudia Sheinbaum, Donald Trump, Mexico, U.S. military assistance, drug…
        H Mexican President Sheinbaum Rejects U.S. Military Intervention in Cartel Fight, Tensions Linger
        P Mexico City – Newly elected Mexican Pres…
        P According to the report, Trump directly …
        P "No, President Trump, our territory is i…
        P The rejection highlights a complex and o…
        P The White House responded to Sheinbaum’s…
        P Despite Sheinbaum’s public stance, some …
        P However, the White House maintains that …
        P The debate over potential U.S. military …
        P The Heritage Foundation’s report suggest…
        P The foundation anticipates that Mexico’s…
        P The issue of cartel violence has become …
        P The relationship between the U.S. and Me…
        B RELATED ARTICLES
        B LEAVE A REPLY
        B Please enter your comment!
        B Please enter your name here
        B Most Popular"#;

    #[test]
    fn seed_000_one_paragraph_per_line() {
        check(seed!("000_632b579303366732.txt"), SEED_000);
    }

    #[test]
    fn seed_001_blank_and_nbsp_separated() {
        check(seed!("001_00c2a469af9feb9e.txt"), SEED_001);
    }

    #[test]
    fn seed_002_one_line_body_is_chunked() {
        let text = seed!("002_6afff10da7a3cbd5.txt");
        check(text, SEED_002);
        let (chunks, body) = (&paragraphs(text)[3..], text.lines().last());
        assert_eq!(chunks.join(" "), normalize(body.unwrap_or_default()));
        let ok = |c: &String| words(c) <= MAX_PARAGRAPH_WORDS && c.ends_with('.');
        assert!(chunks.iter().all(ok));
    }

    #[test]
    fn seed_003_bold_headings() {
        check(seed!("003_80c497f40841e184.txt"), SEED_003);
    }

    #[test]
    fn seed_004_web_boilerplate() {
        check(seed!("004_82a63f2f43a008bb.txt"), SEED_004);
    }

    #[test]
    fn separators_line_endings_bom_and_markers() {
        let nbsp = "One.\n\u{a0}\n\nTwo\u{a0}\u{a0} here.\n \u{a0}\t\nThree.";
        check(nbsp, "P One.|P Two here.|P Three.");
        let crlf = "\u{feff}Looking Ahead\r\nBody one.\r\n\r\nTwo.\r\n";
        check(crlf, "H Looking Ahead|P Body one.|P Two.");
        let md = "- One.\n* Two item\n• Three.\n-\n# Big Title #\n**Bold Title**";
        let want = "P One.|P Two item|P Three.|B -|H Big Title|H Bold Title";
        check(md, want);
        let titles = "Why Mexico Said No?\nWhy did it say no?\nTrump’s remarks sparked debate:";
        let want = "H Why Mexico Said No?|P Why did it say no?|P Trump’s remarks sparked debate:";
        check(titles, want);
    }

    #[test]
    fn hard_wrapped_paragraph_is_joined() {
        let text = "Looking Ahead\nAs the controversy grows, Sheinbaum faces mounting\n\
            pressure to present alternative strategies to tackle\nthe cartels.\n\nNext one.";
        let want = "H Looking Ahead|P As the controversy grows, Sheinbaum faces mounting pressure \
            to present alternative strategies to tackle the cartels.|P Next one.";
        check(text, want);
        let short_paras = "Mexico rejected the offer of American troops on Monday.\n\
            The White House said cooperation would continue regardless.\n\
            Analysts expect the dispute to return before the summit.";
        assert_eq!(kinds(short_paras), [Paragraph; 3]);
    }

    /// `text` filled to `width` characters as a typewriter would: each line of it broken at
    /// spaces into lines of at most `width` (longer words alone), the first prefixed by `indent`.
    fn hard_wrap(text: &str, width: usize, indent: &str) -> String {
        let mut out = Vec::new();
        for line in text.lines() {
            let mut current = indent.to_string();
            for word in line.split_whitespace() {
                let fits = current.chars().count() + 1 + word.chars().count() <= width;
                if current.trim().is_empty() || fits {
                    if !current.trim().is_empty() {
                        current.push(' ');
                    }
                    current.push_str(word);
                } else {
                    out.push(std::mem::replace(&mut current, word.to_string()));
                }
            }
            out.push(current);
        }
        out.join("\n")
    }

    #[test]
    fn hard_wrap_helper_fills_lines() {
        let wrapped = hard_wrap("aa bb cc dd\n\nee", 6, "  ");
        assert_eq!(wrapped, "  aa\nbb cc\ndd\n  \n  ee");
    }

    /// Regression: hard-wrapped text with no blank lines between paragraphs was split into one
    /// block per line, so headings were found in capitalised line starts and the classifier
    /// saw sentence fragments. A paragraph's short last line, or the next one's indent, ends it.
    #[test]
    fn hard_wrapped_paragraphs_without_blank_lines() {
        let first = "Mexico rejected the offer of American troops on Monday, saying that \
            its sovereignty was not negotiable and that cooperation would go on.";
        let second = "The White House said the proposal remained on the table and that \
            officials from both countries would meet again before the summit in June.";
        let third = "Analysts expect the dispute to return.";
        let article = format!("Looking Ahead\n{first}\n{second}\n{third}");
        let want = format!("H Looking Ahead|P {first}|P {second}|P {third}");
        // The paragraphs end at short lines here.
        check(&hard_wrap(&article, 60, ""), &want);
        // Here the first paragraph's last line is nearly full: only the indents tell.
        let wrapped = hard_wrap(&article, 72, "    ");
        check(&wrapped, &want);
        assert_eq!(split_article(&wrapped.replace("    ", "")).len(), 3);
        // A Markdown heading as long as the width does not take the next line.
        let marked = format!("## {}\n{first}", "Word ".repeat(14));
        let want = format!("H {}|P {first}", "Word ".repeat(14).trim_end());
        check(&hard_wrap(&marked, 72, ""), &want);
        // (Regression: headlines of a link list, unpunctuated and nearly as long as each other,
        // read as hard-wrapped text and were joined into one paragraph.)
        let headlines = "Mexico rejects American troops as cartel violence spreads north\n\
            Sheinbaum and Trump agree to talk again before the June summit\n\
            Border towns brace for new tariffs on steel and farm exports\n\
            What the cartel designation means for banks and their customers";
        assert_eq!(kinds(headlines), [Heading; 4]);
        // A title after a paragraph whose last line filled still stands alone.
        let titled = format!("{first} {second}\nWhat Comes Next\n{third}");
        let want = format!("P {first} {second}|H What Comes Next|P {third}");
        let wrapped = hard_wrap(&titled, 60, "");
        assert_eq!(wrapped.lines().nth(4).map(str::len), Some(43));
        check(&wrapped, &want);
    }

    /// Regressions from exploratory runs of 1761d2e and 3f4b394: wrapped text whose line
    /// starts are mostly capitalised (names, "U.S.", numbers) or caseless was cut per line with
    /// halves taken for headings; an indented block quote or a bullet's indented second line
    /// was cut at every line; a heading in capitals, as long as the text's lines, took the
    /// next paragraph; a dash at a line's start was taken for a bullet.
    #[test]
    fn hard_wrapped_text_of_every_kind() {
        let capitals = "Mexico rejected the offer of troops on Monday, according to President\n\
            Claudia Sheinbaum, who spoke at her morning press conference.\n\n\
            The White House said the proposal remained on the table, said press\n\
            Secretary Karoline Leavitt, adding that talks would go on.";
        check(
            capitals,
            "P Mexico rejected the offer of troops on Monday, according to President Claudia \
             Sheinbaum, who spoke at her morning press conference.|P The White House said the \
             proposal remained on the table, said press Secretary Karoline Leavitt, adding that \
             talks would go on.",
        );
        let arabic = "رفضت الرئيسة المكسيكية كلاوديا شينباوم يوم الاثنين عرض\n\
            الرئيس الأمريكي دونالد ترامب بإرسال قوات عسكرية أمريكية إلى\n\
            المكسيك لمحاربة عصابات المخدرات.";
        assert_eq!(kinds(arabic), [Paragraph]);
        let quote = "In a statement read out at the start of her morning press conference,\n\
            the president repeated the position her government has held since March.\n\
            \x20   We will never accept the presence of foreign troops on our soil,\n\
            \x20   whatever the threat from the cartels, and we will go on working\n\
            \x20   with our neighbours on the basis of mutual respect and trust.\n\
            Officials in Washington said the offer remained open and that the two\n\
            governments would keep talking before the summit in June.";
        check(
            quote,
            "P In a statement…|P We will never accept the presence of foreign troops on our \
             soil, whatever the threat from the cartels, and we will go on working with our \
             neighbours on the basis of mutual respect and trust.|P Officials in Washington…",
        );
        let bullets = "The report set out a series of recommendations for the administration\n\
            to consider before any deployment of American troops. Among them:\n\
            - Upgrading intelligence sharing with the Mexican navy, which has been\n\
            \x20 the most reliable partner of U.S. agencies in the fight against cartels.\n\
            - Designating the largest cartels as foreign terrorist organisations so\n\
            \x20 that their finances can be targeted by the Treasury.\n\
            The foundation said the measures could be in place within six months.";
        check(
            bullets,
            "P The report set out…|P Upgrading intelligence sharing with the Mexican navy, which \
             has been the most reliable partner of U.S. agencies in the fight against cartels.|P \
             Designating the largest cartels as foreign terrorist organisations so that their \
             finances can be targeted by the Treasury.|P The foundation said…",
        );
        let caps = "WASHINGTON (AP) -- The Senate on Tuesday approved a resolution that\n\
            would bar the president from sending troops into Mexico without the\n\
            approval of Congress, a rare rebuke from members of his own party.\n\
            SENATORS CITE WAR POWERS ACT IN REBUKE OF WHITE HOUSE\n\
            Supporters of the measure said the War Powers Resolution of 1973 gave\n\
            Congress, not the president, the power to decide when the country goes\n\
            to war.";
        check(
            caps,
            "P WASHINGTON (AP) -- The Senate…|H SENATORS CITE WAR POWERS ACT IN REBUKE OF WHITE \
             HOUSE|P Supporters of the measure…",
        );
        // E-mail quotes: the marks go, and the quotation is a paragraph of its own (it was
        // joined with its marks and then skipped as a breadcrumb trail, for its " > ").
        let email = "On Mon, Mar 3, 2025 at 9:14 AM, Jane Doe wrote:\n\
            > I think the decision to send troops across the border would be a grave\n\
            > mistake, and one that the administration will come to regret once the\n\
            > costs become clear to voters in the border states.\n\
            >\n\
            > The cartels are a law-enforcement problem, not a military one.\n\n\
            I disagree. The cartels now control territory, run their own armed\n\
            units and have killed thousands of soldiers and police officers.";
        check(
            email,
            "H On Mon, Mar 3, 2025 at 9:14 AM, Jane Doe wrote:|P I think the decision to send \
             troops across the border would be a grave mistake, and one that the administration \
             will come to regret once the costs become clear to voters in the border states.|P \
             The cartels are a law-enforcement problem, not a military one.|P I disagree. The \
             cartels now control territory, run their own armed units and have killed thousands \
             of soldiers and police officers.",
        );
        // A line after an abbreviation's full stop that starts with a digit goes on.
        let date =
            "The extended train wreck that has been American-dominated Iraq is winding its\n\
            way toward a decisive intersection: the national elections scheduled for Jan.\n\
            30, 2005, where voters will be asked";
        assert_eq!(kinds(date), [Paragraph]);
        // A first-line indent of non-breaking spaces, as pasted from a web page.
        let nbsp = quote
            .replace("    ", "")
            .replace("Officials in", "\u{a0}\u{a0}\u{a0}Officials in");
        let nbsp = nbsp.replace("In a statement", "\u{a0}\u{a0}\u{a0}In a statement");
        assert_eq!(split_article(&nbsp).len(), 2, "{:#?}", split_article(&nbsp));
        let dash = "The government refuses to publish the attorney general's advice on the war\n\
            - saying such papers have always been kept confidential - but critics say\n\
            this case is different because of the scale of the decision involved.";
        check(
            dash,
            "P The government refuses to publish the attorney general's advice on the war - \
             saying such papers have always been kept confidential - but critics say this case \
             is different because of the scale of the decision involved.",
        );
    }

    /// Hard-wrapping an article with indented first lines and no blank lines, at any usual
    /// width, gives back the blocks of the original.
    #[test]
    fn seeds_hard_wrapped_keep_their_blocks() {
        let seeds = [
            seed!("000_632b579303366732.txt"),
            seed!("001_00c2a469af9feb9e.txt"),
            seed!("002_6afff10da7a3cbd5.txt"),
            seed!("003_80c497f40841e184.txt"),
            seed!("004_82a63f2f43a008bb.txt"),
        ];
        for (i, seed) in seeds.iter().enumerate() {
            let original = split_article(seed);
            // The blank lines go, as in text without them.
            let dense: String = seed
                .lines()
                .filter(|l| !normalize(l).is_empty())
                .collect::<Vec<_>>()
                .join("\n");
            for width in [60, 72, 80] {
                let wrapped = split_article(&hard_wrap(&dense, width, "   "));
                assert_eq!(wrapped, original, "seed {i} at width {width}");
            }
        }
    }

    #[test]
    fn long_line_splits_at_sentences_without_losing_text() {
        let very = |i: usize| "very ".repeat(i % 7);
        let text: String = (0..40)
            .map(|i| format!("N{i} saw {}U.S. troops left. ", very(i)))
            .collect();
        assert!(words(&text) >= 300);
        let chunks = paragraphs(&text);
        let ok = |c: &String| words(c) <= MAX_PARAGRAPH_WORDS && c.ends_with("left.");
        assert!(chunks.len() >= 3 && chunks.iter().all(ok));
        assert_eq!(chunks.join(" "), normalize(&text));
        // A single over-long sentence stays whole.
        let long = format!("{}end. Short one.", "word ".repeat(130));
        assert_eq!(words(&paragraphs(&long)[0]), 131);
    }

    #[test]
    fn abbreviations_do_not_end_sentences() {
        let text =
            "Mr. Smith met U.S. troops. Dr. J. Doe came Jan. 5 to St. Louis! He said “No.” 2 left.";
        let want =
            "Mr. Smith met U.S. troops.|Dr. J. Doe came Jan. 5 to St. Louis!|He said “No.”|2 left.";
        assert_eq!(sentences(text).join("|"), want);
    }

    #[test]
    fn trailing_footnote_digit_is_stripped() {
        check(
            "Ties with the United States.2",
            "P Ties with the United States.",
        );
        assert_eq!(strip_footnote("rose to 2.5"), "rose to 2.5");
        assert_eq!(strip_footnote("He said “no.”1"), "He said “no.”");
        // Bracketed references, as wiki pages and exported documents have them.
        check(
            "It was passed over a veto.[2]",
            "P It was passed over a veto.",
        );
        assert_eq!(strip_footnote("Troops left.[1][13]"), "Troops left.");
        assert_eq!(
            strip_footnote("Troops left.[citation needed]"),
            "Troops left."
        );
        assert_eq!(strip_footnote("the options [a]"), "the options [a]");
        assert_eq!(strip_footnote("the options [a][b]"), "the options [a][b]");
    }

    #[test]
    fn sentences_of_other_scripts_are_paragraphs() {
        let lines = "中国外交部表示，反对任何外国军事干预。;米軍の派遣について政府は慎重だ！;
            सरकार ने सेना भेजने का फैसला किया।;هل سترسل الحكومة قوات إلى الحدود؟";
        for line in lines.split(';').map(str::trim) {
            assert_eq!(kinds(line), [Paragraph], "{line}");
        }
        // Without a sentence's end they are still titles.
        assert_eq!(kinds("الحكومة ترسل قوات"), [Heading]);
    }

    #[test]
    fn empty_and_whitespace_only() {
        assert!(split_article("").is_empty());
        assert!(split_article(" \n\u{a0}\n\t \r\n\u{200b}\u{3000}\u{feff}").is_empty());
        assert!(paragraphs("\n\n").is_empty());
    }

    #[test]
    fn boilerplate_rules() {
        let boilerplate = "Share this:; Click to share on X (Opens in new window); Advertisement;
            Like this:; Loading...; Related; Comments are closed.; Photo: Reuters;
            Read more: Mexico rejects US aid; Subscribe to our newsletter; Follow us on X;
            Copyright 2025 Example Media; Example Media 2025. All rights reserved.;
            Posted by Jane Doe; By Jane Doe; Tags: Mexico, cartels; Leave a comment; * * *;
            Monday, January 6, 2025; Updated 2025-05-04 10:30 am ET; Home > World > Americas;
            HomeWorldMexico story; Mexico, cartels, sovereignty, border security, U.S. Army;
            Facebook | Twitter | WhatsApp; Home » World » Americas; 1.; 2 / 5; 12;
            We use cookies to improve your experience. By continuing, you agree to our use of cookies.;
            We and our partners store and access information on your device, such as cookies.";
        for line in boilerplate.split(';').map(str::trim) {
            assert_eq!(kinds(line), [Boilerplate], "{line}");
        }
        let prose = "By contrast, Mexico refused the offer.; Subscribers rose sharply in May.;
            May 4 was the day Mexico refused the troops.;
            Sheinbaum, Trump, Ebrard, Kelly and Rubio met in Washington on Monday.;
            Le ministre a parlé d'« ingérence » et de « menace » avant le vote des « députés ».;
            Der Minister sprach von » Einmischung « und » Drohung « vor der Abstimmung.";
        for line in prose.split(';').map(str::trim) {
            assert_eq!(kinds(line), [Paragraph], "{line}");
        }
        // A repeated title is a template echo; the first occurrence is the heading.
        let echo = "Mexico Says No\n\nMexico Says No\n\nBody.";
        check(echo, "H Mexico Says No|B Mexico Says No|P Body.");
    }

    #[test]
    fn never_panics_on_odd_input() {
        let odd = "\u{feff}\u{feff}|#|# |- |...|?! ?!|Home|By|é.2|a.\u{a0}B|“”|**a**|****|U.S.|\
            e\u{301}\u{301}. X|🇲🇽. 🇺🇸!|مرحبا. عالم|\r\r\n\n\r|\u{2028}x\u{2029}|1.2.3.|.|Mr.|\u{0}";
        for s in odd.split('|') {
            split_article(s);
        }
        // Deterministic pseudo-random strings over an alphabet of awkward characters.
        let alphabet: Vec<char> = "aZ .!?\"“”’)(#*-•\u{a0}\n\r\u{feff}2é🇲🇽,:|>"
            .chars()
            .collect();
        let mut seed = 0x2545_f491_u64;
        for len in 0..400 {
            let mut next = || {
                seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                alphabet[(seed >> 33) as usize % alphabet.len()]
            };
            split_article(&(0..len).map(|_| next()).collect::<String>());
        }
    }
}
