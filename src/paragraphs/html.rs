//! Web pages: an HTML article laid out as plain text for [`super::split_article`].
//!
//! Articles saved from a browser are HTML, and their paragraphs are the page's block elements
//! (`<p>`, headings, list items, quotations), not its source lines, which wrap anywhere. Much of
//! a page is not the article either: scripts, styles, menus, headers, footers, sidebars, captions,
//! hidden elements. So the page is parsed as a browser would (html5ever, through `scraper`:
//! character references decoded, broken markup repaired), its article part is chosen, and each
//! block element becomes one block of text with blank lines around it. Headings are written as
//! Markdown `#` lines and list items as `- ` bullets, so the text splitter's rules (headings and
//! boilerplate kept but not classified, long paragraphs cut) apply to web pages unchanged.

use std::path::Path;

use ego_tree::iter::Edge;
use ego_tree::NodeId;
use scraper::node::Element;
use scraper::{ElementRef, Html, Node};

/// File extensions read as HTML.
pub const HTML_EXTENSIONS: [&str; 3] = ["html", "htm", "xhtml"];

/// Elements whose content is never article text: code, media, page furniture, form controls
/// and photo captions. (`<form>` is not among them: some sites wrap the whole page in one.)
const SKIPPED: &[&str] = &[
    "head",
    "script",
    "style",
    "noscript",
    "template",
    "svg",
    "math",
    "canvas",
    "iframe",
    "object",
    "embed",
    "video",
    "audio",
    "nav",
    "header",
    "footer",
    "aside",
    "figure",
    "figcaption",
    "button",
    "select",
    "option",
    "textarea",
    "dialog",
    "menu",
];

/// Elements that start and end a block of text.
const BLOCKS: &[&str] = &[
    "html",
    "body",
    "main",
    "article",
    "section",
    "div",
    "p",
    "blockquote",
    "pre",
    "address",
    "center",
    "details",
    "summary",
    "fieldset",
    "legend",
    "form",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "table",
    "caption",
    "thead",
    "tbody",
    "tfoot",
    "tr",
    "td",
    "th",
    "hr",
];

/// Whether an article is a web page: its file name ends in `.html`, `.htm` or `.xhtml`, or its
/// text opens with `<!DOCTYPE html` or `<html` (a page piped in on standard input, or saved
/// under another name).
pub fn is_html(path: Option<&Path>, text: &str) -> bool {
    let extension = path
        .and_then(Path::extension)
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    if extension.is_some_and(|e| HTML_EXTENSIONS.contains(&e.as_str())) {
        return true;
    }
    let start = text.trim_start_matches('\u{feff}').trim_start();
    let opens = |prefix: &str| {
        start
            .get(..prefix.len())
            .is_some_and(|s| s.eq_ignore_ascii_case(prefix))
    };
    opens("<!doctype html") || opens("<html")
}

/// The article text of an HTML page: one block per paragraph, heading (`# `) or list item
/// (`- `), blank lines between them, white space collapsed as a browser shows it and `<br>` kept
/// as a line break.
///
/// The article part is the page's `<article>` elements when they hold at least half of the
/// text in its `<p>` elements (a page whose only `<article>`s are its comments or teasers keeps
/// the rest), else its `<main>` element on the same condition, else the whole body.
pub fn to_text(html: &str) -> String {
    let page = Html::parse_document(html);
    let mut writer = Writer::default();
    for root in article_part(page.root_element()) {
        for edge in visible(root) {
            writer.edge(edge);
        }
        writer.break_block();
    }
    writer.out.truncate(writer.out.trim_end().len());
    writer.out
}

fn article_part(root: ElementRef<'_>) -> Vec<ElementRef<'_>> {
    let (mut articles, mut main) = (Vec::new(), None);
    // Only outermost articles: an article's comments are often articles inside it.
    let mut depth = 0;
    for edge in visible(root) {
        match edge {
            Edge::Open(node) => match element(node.value()).map(Element::name) {
                Some("article") => {
                    if depth == 0 {
                        articles.extend(ElementRef::wrap(node));
                    }
                    depth += 1;
                }
                Some("main") if main.is_none() => main = ElementRef::wrap(node),
                _ => {}
            },
            Edge::Close(node) if element(node.value()).map(Element::name) == Some("article") => {
                depth -= 1;
            }
            Edge::Close(_) => {}
        }
    }
    let total = prose_len(root);
    let holds_most = |part: &[ElementRef]| {
        total > 0 && part.iter().map(|&e| prose_len(e)).sum::<usize>() * 2 >= total
    };
    if !articles.is_empty() && holds_most(&articles) {
        articles
    } else if let Some(main) = main.filter(|&m| holds_most(&[m])) {
        vec![main]
    } else {
        vec![root]
    }
}

/// Characters of visible text inside `<p>` elements.
fn prose_len(root: ElementRef<'_>) -> usize {
    let (mut depth, mut len) = (0usize, 0);
    for edge in visible(root) {
        match edge {
            Edge::Open(node) => match node.value() {
                Node::Element(e) if e.name() == "p" => depth += 1,
                Node::Text(t) if depth > 0 => len += t.trim().chars().count(),
                _ => {}
            },
            Edge::Close(node) => {
                if element(node.value()).is_some_and(|e| e.name() == "p") {
                    depth -= 1;
                }
            }
        }
    }
    len
}

fn element(node: &Node) -> Option<&Element> {
    match node {
        Node::Element(e) => Some(e),
        _ => None,
    }
}

/// Elements a reader does not see: those in [`SKIPPED`] and those hidden by `hidden`,
/// `aria-hidden="true"` or an inline `display: none` / `visibility: hidden`.
fn is_skipped(e: &Element) -> bool {
    let hidden_style = e.attr("style").is_some_and(|style| {
        let style: String = style
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_lowercase();
        style.contains("display:none") || style.contains("visibility:hidden")
    });
    SKIPPED.contains(&e.name())
        || e.attr("hidden").is_some()
        || e.attr("aria-hidden")
            .is_some_and(|v| v.eq_ignore_ascii_case("true"))
        || hidden_style
}

/// The tree under `root` in document order, without skipped elements and what they hold.
/// An iterator rather than recursion, so that a page nested thousands of elements deep cannot
/// overflow the stack.
fn visible<'a>(root: ElementRef<'a>) -> impl Iterator<Item = Edge<'a, Node>> {
    let mut skipping: Option<NodeId> = None;
    root.traverse().filter(move |edge| match (*edge, skipping) {
        (Edge::Close(node), Some(id)) if node.id() == id => {
            skipping = None;
            false
        }
        (_, Some(_)) => false,
        (Edge::Open(node), None) if element(node.value()).is_some_and(is_skipped) => {
            skipping = Some(node.id());
            false
        }
        _ => true,
    })
}

/// Writes text and block breaks as the page's edges go by.
#[derive(Default)]
struct Writer {
    out: String,
    /// Where the current block's text begins (after its marker, if it has one).
    start: usize,
    /// Where the marker of the current block (`# `, `- `) begins, while the block is empty.
    marker: Option<usize>,
}

impl Writer {
    fn edge(&mut self, edge: Edge<'_, Node>) {
        match edge {
            Edge::Open(node) => match node.value() {
                Node::Text(text) => self.text(text),
                Node::Element(e) => match e.name() {
                    "br" => self.line_break(),
                    "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => self.open_marked("# "),
                    "li" => self.open_marked("- "),
                    name if BLOCKS.contains(&name) => self.break_block(),
                    _ => {}
                },
                _ => {}
            },
            Edge::Close(node) => match element(node.value()).map(Element::name) {
                Some("h1" | "h2" | "h3" | "h4" | "h5" | "h6" | "li") => self.close_marked(),
                Some(name) if BLOCKS.contains(&name) => self.break_block(),
                _ => {}
            },
        }
    }

    fn block_text(&self) -> &str {
        &self.out[self.start..]
    }

    /// White space collapses to one space, none at the start of a line.
    fn text(&mut self, text: &str) {
        for c in text.chars() {
            if !c.is_whitespace() {
                self.out.push(c);
            } else if !self.block_text().is_empty() && !self.out.ends_with([' ', '\n']) {
                self.out.push(' ');
            }
        }
    }

    /// `<br>`: a new line in the block; two in a row leave a blank line, which splits it.
    fn line_break(&mut self) {
        if self.block_text().trim().is_empty() || self.block_text().ends_with("\n\n") {
            return;
        }
        self.out.truncate(self.out.trim_end_matches(' ').len());
        self.out.push('\n');
    }

    /// Ends the current block, if it has text, with a blank line. An empty block keeps its
    /// marker, for the text of a paragraph inside a list item or heading.
    fn break_block(&mut self) {
        let len = self.block_text().trim_end().len();
        if len == 0 {
            return;
        }
        self.out.truncate(self.start + len);
        self.out.push_str("\n\n");
        self.start = self.out.len();
        self.marker = None;
    }

    fn open_marked(&mut self, marker: &str) {
        self.break_block();
        // An empty list item's or heading's marker gives way to the next.
        if let Some(at) = self.marker.take() {
            self.out.truncate(at);
        }
        self.marker = Some(self.out.len());
        self.out.push_str(marker);
        self.start = self.out.len();
    }

    fn close_marked(&mut self) {
        match self.marker.take() {
            Some(at) if self.block_text().trim().is_empty() => {
                self.out.truncate(at);
                self.start = at;
            }
            marker => {
                self.marker = marker;
                self.break_block();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::paragraphs::{paragraphs, split_article, BlockKind};

    fn page(body: &str) -> String {
        format!("<!DOCTYPE html><html><head><title>T</title></head><body>{body}</body></html>")
    }

    #[test]
    fn paragraphs_are_block_elements_not_source_lines() {
        let html = page(
            "<p>The Pentagon has drawn up plans\n   for strikes on cartel labs,\nofficials said.</p>\
             <p>Mexico&rsquo;s president said &ldquo;no&rdquo; &amp; called it a violation.</p>",
        );
        assert_eq!(
            to_text(&html),
            "The Pentagon has drawn up plans for strikes on cartel labs, officials said.\n\n\
             Mexico’s president said “no” & called it a violation."
        );
    }

    #[test]
    fn scripts_styles_menus_and_hidden_elements_are_dropped() {
        let html = page(
            "<nav><a href='/'>Home</a> | <a href='/world'>World</a></nav>\
             <script>var s = '<p>not text</p>';</script><style>p { color: red }</style>\
             <p>Troops crossed the border at dawn.</p>\
             <div hidden>Hidden one.</div><div aria-hidden='true'>Hidden two.</div>\
             <p style='display: none'>Hidden three.</p>\
             <figure><img src='x.jpg'><figcaption>A soldier on patrol.</figcaption></figure>\
             <footer>&copy; 2025 News Corp</footer>",
        );
        assert_eq!(to_text(&html), "Troops crossed the border at dawn.");
    }

    #[test]
    fn headings_and_list_items_keep_their_kinds() {
        let html = page(
            "<h1>Strikes Weighed</h1><p>The plan was discussed on Tuesday.</p>\
             <ul><li>Drones over Sinaloa</li><li></li><li><p>Troops on the border</p></li></ul>",
        );
        let text = to_text(&html);
        assert_eq!(
            text,
            "# Strikes Weighed\n\nThe plan was discussed on Tuesday.\n\n\
             - Drones over Sinaloa\n\n- Troops on the border"
        );
        let kinds: Vec<BlockKind> = split_article(&text).iter().map(|b| b.kind).collect();
        use BlockKind::{Heading, Paragraph};
        assert_eq!(kinds, [Heading, Paragraph, Paragraph, Paragraph]);
    }

    #[test]
    fn line_breaks_are_kept_and_two_split_a_block() {
        let html = page("<div>First line<br>second line<br><br>Another block.</div>");
        assert_eq!(to_text(&html), "First line\nsecond line\n\nAnother block.");
    }

    #[test]
    fn the_article_is_preferred_when_it_holds_the_prose() {
        let body = "<p>Subscribe to our newsletter for more.</p>\
                    <article><p>The Senate debated the war powers resolution for six hours.</p>\
                    <article><p>Comment: agreed.</p></article></article>";
        assert_eq!(
            to_text(&page(body)),
            "The Senate debated the war powers resolution for six hours.\n\nComment: agreed."
        );
        // Articles that are only teasers beside a longer story outside them are not it.
        let body = "<div><p>The Senate debated the war powers resolution for six hours on \
                    Tuesday, and no vote was taken.</p></div>\
                    <article><p>Teaser.</p></article>";
        assert!(to_text(&page(body)).starts_with("The Senate debated"));
        // Likewise <main>.
        let body = "<p>Cookie notice.</p><main><p>Officials met in Mexico City.</p></main>";
        assert_eq!(to_text(&page(body)), "Officials met in Mexico City.");
    }

    #[test]
    fn deep_nesting_does_not_overflow_the_stack() {
        // (html5ever's own parsing time grows with the square of the depth: 0.8 s here.)
        let html = page(&format!("{}<p>Deep.</p>", "<div>".repeat(20_000)));
        assert_eq!(to_text(&html), "Deep.");
    }

    #[test]
    fn pages_are_told_by_name_or_opening() {
        assert!(is_html(Some(Path::new("a/b.HTM")), "plain"));
        assert!(is_html(Some(Path::new("b.xhtml")), ""));
        assert!(is_html(None, "\u{feff}\n  <!doctype HTML><html>"));
        assert!(is_html(
            Some(Path::new("saved.txt")),
            "<html lang=en><body>"
        ));
        assert!(!is_html(
            Some(Path::new("a.txt")),
            "Plain text with <b>tags</b>."
        ));
        assert!(!is_html(None, "<htm"));
        assert!(!is_html(
            Some(Path::new("a.md")),
            "# Title\n\n<html> is a tag."
        ));
    }

    /// The seed articles as a site would serve them (a `<p>` per paragraph line, headings as
    /// `<h2>`, in an `<article>` between a menu and a footer) give the seed's own paragraphs.
    #[test]
    fn seed_articles_as_web_pages_give_the_same_paragraphs() {
        let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/training-data/articles");
        let mut seen = 0;
        for entry in std::fs::read_dir(dir).unwrap() {
            let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
            let mut body = String::from("<nav><ul><li>Home</li><li>World</li></ul></nav><article>");
            for block in split_article(&text) {
                let escaped = block
                    .text
                    .replace('&', "&amp;")
                    .replace('<', "&lt;")
                    .replace('>', "&gt;");
                body.push_str(&match block.kind {
                    BlockKind::Heading => format!("<h2>{escaped}</h2>\n"),
                    _ => format!("<p>\n  {escaped}\n</p>\n"),
                });
            }
            body.push_str("</article><footer>Contact us</footer>");
            assert_eq!(paragraphs(&to_text(&page(&body))), paragraphs(&text));
            seen += 1;
        }
        assert_eq!(seen, 5);
    }
}
