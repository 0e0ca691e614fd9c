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

use std::collections::HashMap;

use ego_tree::iter::Edge;
use ego_tree::{NodeId, NodeRef};
use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8, WINDOWS_1252};
use scraper::node::Element;
use scraper::{ElementRef, Html, Node};

/// File extensions read as HTML.
pub const HTML_EXTENSIONS: [&str; 3] = ["html", "htm", "xhtml"];

/// Elements whose content is never article text: code, media, page furniture, form controls
/// and photo captions. (`<form>` is not among them: some sites wrap the whole page in one; nor
/// is `<header>`, which is furniture only outside an `<article>`.)
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
    "footer",
    "aside",
    "figure",
    "figcaption",
    "button",
    "select",
    "option",
    "textarea",
    "input",
    "label",
    "dialog",
    "menu",
    "pre",
];

/// ARIA roles of page furniture (menus, banners, sidebars, pop-ups, search boxes).
const SKIPPED_ROLES: &[&str] = &[
    "navigation",
    "menu",
    "menubar",
    "banner",
    "contentinfo",
    "complementary",
    "dialog",
    "alertdialog",
    "search",
    "toolbar",
];

/// Class names that hide an element, or show it to screen readers only.
const HIDING_CLASSES: &[&str] = &[
    "hidden",
    "hide",
    "sr-only",
    "visually-hidden",
    "visuallyhidden",
    "screen-reader-text",
    "offscreen",
    "d-none",
    "invisible",
];

/// Words of class names and ids that mark page furniture inside an article's part of the page:
/// comments, related links, sharing, newsletters, author bios, captions, cookie notices, ads.
/// They drop an element only when it holds less than half of the page's prose, so a badly
/// named container of the story itself is never lost.
const FURNITURE_WORDS: &[&str] = &[
    "comment",
    "comments",
    "related",
    "recommended",
    "share",
    "sharing",
    "social",
    "newsletter",
    "subscribe",
    "signup",
    "promo",
    "sponsored",
    "ad",
    "ads",
    "advert",
    "advertisement",
    "author",
    "bio",
    "byline",
    "caption",
    "gallery",
    "cookie",
    "cookies",
    "consent",
    "breadcrumb",
    "breadcrumbs",
    "sidebar",
    "popup",
    "modal",
    "paywall",
];

/// Elements that start and end a block of text.
const BLOCKS: &[&str] = &[
    "html",
    "body",
    "main",
    "article",
    "header",
    "section",
    "div",
    "p",
    "blockquote",
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

const HEADINGS: &[&str] = &["h1", "h2", "h3", "h4", "h5", "h6"];

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

/// The text of a page's bytes, read as a browser reads them: by its byte-order mark; else in the
/// encoding it declares within its first 1,024 bytes (`<meta charset="iso-8859-1">`, or
/// `charset=` in a `<meta http-equiv="Content-Type">`); else as UTF-8, or windows-1252 when
/// the bytes are not UTF-8 (older pages that declare nothing).
pub fn decode(bytes: &[u8]) -> String {
    if let Some((encoding, bom)) = Encoding::for_bom(bytes) {
        return encoding
            .decode_without_bom_handling(&bytes[bom..])
            .0
            .into_owned();
    }
    let encoding = match declared_encoding(&bytes[..bytes.len().min(1024)]) {
        // A page cannot declare UTF-16 in ASCII bytes; browsers take UTF-8 then.
        Some(e) if e != UTF_16LE && e != UTF_16BE => e,
        _ if std::str::from_utf8(bytes).is_ok() => UTF_8,
        _ => WINDOWS_1252,
    };
    encoding.decode_without_bom_handling(bytes).0.into_owned()
}

/// The encoding named by `charset` in the first `<meta>` element that has one.
fn declared_encoding(head: &[u8]) -> Option<&'static Encoding> {
    let head = String::from_utf8_lossy(head).to_ascii_lowercase();
    head.split("<meta").skip(1).find_map(|tag| {
        let tag = &tag[..tag.find('>').unwrap_or(tag.len())];
        let value = tag
            .split_once("charset")?
            .1
            .trim_start()
            .strip_prefix('=')?;
        let label: String = value
            .trim_start_matches([' ', '"', '\''])
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':' | '.'))
            .collect();
        Encoding::for_label(label.as_bytes())
    })
}

/// The article text of an HTML page: one block per paragraph, heading (`# `) or list item
/// (`- `), blank lines between them, white space collapsed as a browser shows it.
///
/// Which part of the page is the article is decided on its prose, the text of its `<p>`
/// elements outside links:
/// - its outermost `<article>` elements, less those with under a fifth of the largest one's
///   prose (teasers, comments), when they hold at least half of the page's prose;
/// - else its `<main>` element, on the same condition;
/// - else the story's container: from the page down, the child that holds nine tenths of its
///   parent's prose, as long as there is one.
///
/// Inside it, besides what [`SKIPPED`] and the hiding rules drop, go blocks that are mostly
/// links (menus, lists of headlines, "Read more" lines), hidden-from-readers elements without
/// prose (`aria-hidden`), and elements named as furniture ([`FURNITURE_WORDS`]) that hold less
/// than half of the prose. A single `<br>` inside a paragraph is a space; elsewhere it ends a
/// line, and two end a block.
pub fn to_text(html: &str) -> String {
    let page = Html::parse_document(html);
    let root = page.root_element();
    let counts = count(root);
    let prose = |node: NodeId| counts.get(&node).map_or(0, |c| c.prose);
    let total = prose(root.id());
    let furniture = |node: NodeRef<'_, Node>, e: &Element| {
        let c = counts.get(&node.id()).copied().unwrap_or_default();
        let block = BLOCKS.contains(&e.name()) || HEADINGS.contains(&e.name()) || e.name() == "li";
        let mostly_links = block && c.text > 0 && c.link * 5 >= c.text * 4;
        let aria_hidden = e
            .attr("aria-hidden")
            .is_some_and(|v| v.eq_ignore_ascii_case("true"));
        mostly_links || (aria_hidden && c.prose == 0) || (c.prose * 2 < total && names_furniture(e))
    };
    let mut writer = Writer::default();
    for part in article_part(root, &prose) {
        let skip = |node: NodeRef<'_, Node>, e: &Element| {
            node.id() != part.id() && (hidden(node, e) || furniture(node, e))
        };
        for edge in visible(part, skip) {
            writer.edge(edge);
        }
        writer.break_block();
    }
    writer.out.truncate(writer.out.trim_end().len());
    writer.out
}

/// Characters (white space aside) of an element's visible text: all of it, inside links, and
/// prose (inside `<p>`, outside links).
#[derive(Debug, Default, Clone, Copy)]
struct Counts {
    text: usize,
    link: usize,
    prose: usize,
}

/// [`Counts`] of every visible element under `root`, in one pass.
fn count(root: ElementRef<'_>) -> HashMap<NodeId, Counts> {
    let mut counts = HashMap::new();
    let mut open: Vec<(NodeId, Counts)> = Vec::new();
    let (mut in_p, mut in_link) = (0usize, 0usize);
    for edge in visible(root, hidden) {
        match edge {
            Edge::Open(node) => match node.value() {
                Node::Element(e) => {
                    in_p += usize::from(e.name() == "p");
                    in_link += usize::from(e.name() == "a");
                    open.push((node.id(), Counts::default()));
                }
                Node::Text(t) => {
                    if let Some((_, c)) = open.last_mut() {
                        let n = t.chars().filter(|c| !c.is_whitespace()).count();
                        c.text += n;
                        c.link += if in_link > 0 { n } else { 0 };
                        c.prose += if in_p > 0 && in_link == 0 { n } else { 0 };
                    }
                }
                _ => {}
            },
            Edge::Close(node) => {
                if let Some(e) = element(node.value()) {
                    in_p -= usize::from(e.name() == "p");
                    in_link -= usize::from(e.name() == "a");
                    if let Some((id, c)) = open.pop() {
                        if let Some((_, parent)) = open.last_mut() {
                            parent.text += c.text;
                            parent.link += c.link;
                            parent.prose += c.prose;
                        }
                        counts.insert(id, c);
                    }
                }
            }
        }
    }
    counts
}

fn article_part<'a>(root: ElementRef<'a>, prose: &dyn Fn(NodeId) -> usize) -> Vec<ElementRef<'a>> {
    let total = prose(root.id());
    let (mut articles, mut main) = (Vec::new(), None);
    // Only outermost articles: an article's comments are often articles inside it.
    let mut depth = 0;
    for edge in visible(root, hidden) {
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
    if total == 0 {
        return vec![root];
    }
    let largest = articles.iter().map(|a| prose(a.id())).max().unwrap_or(0);
    articles.retain(|a| prose(a.id()) * 5 >= largest);
    let holds_half =
        |part: &[ElementRef]| part.iter().map(|e| prose(e.id())).sum::<usize>() * 2 >= total;
    if !articles.is_empty() && holds_half(&articles) {
        return articles;
    }
    if let Some(main) = main.filter(|&m| holds_half(&[m])) {
        return vec![main];
    }
    // Down to the story's container, a step at a time while one child (not a paragraph itself)
    // holds nine tenths of the prose: a smaller share means part of the story is beside it (a
    // "read more" block).
    let mut part = root;
    while let Some(child) = part
        .children()
        .filter_map(ElementRef::wrap)
        .filter(|c| c.value().name() != "p")
        .find(|c| prose(c.id()) * 10 >= prose(part.id()) * 9)
    {
        part = child;
    }
    vec![part]
}

fn element(node: &Node) -> Option<&Element> {
    match node {
        Node::Element(e) => Some(e),
        _ => None,
    }
}

/// Elements a reader does not see or that are never the article: those in [`SKIPPED`], a
/// `<header>` outside any `<article>`, furniture by ARIA role, and elements hidden by
/// `hidden`, a hiding class or an inline `display: none` / `visibility: hidden`.
fn hidden(node: NodeRef<'_, Node>, e: &Element) -> bool {
    let name = e.name();
    let page_header = name == "header"
        && !node
            .ancestors()
            .any(|a| element(a.value()).is_some_and(|a| a.name() == "article"));
    let hidden_style = e.attr("style").is_some_and(|style| {
        let style: String = style
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_lowercase();
        style.contains("display:none") || style.contains("visibility:hidden")
    });
    let role = e.attr("role").map(str::to_ascii_lowercase);
    SKIPPED.contains(&name)
        || page_header
        || role.is_some_and(|r| SKIPPED_ROLES.contains(&r.as_str()))
        || e.attr("hidden").is_some()
        || e.classes()
            .any(|c| HIDING_CLASSES.iter().any(|h| c.eq_ignore_ascii_case(h)))
        || hidden_style
}

/// Whether an element's classes or id name it as furniture: a word of them (split at
/// punctuation and at camelCase humps: `commentList`, `related-stories`) is one of
/// [`FURNITURE_WORDS`].
fn names_furniture(e: &Element) -> bool {
    let names = e.classes().chain(e.id());
    names
        .flat_map(name_words)
        .any(|w| FURNITURE_WORDS.contains(&w.as_str()))
}

fn name_words(name: &str) -> Vec<String> {
    let mut words = vec![String::new()];
    let mut prev_lower = false;
    for c in name.chars() {
        if !c.is_alphanumeric() || (c.is_uppercase() && prev_lower) {
            words.push(String::new());
        }
        if c.is_alphanumeric() {
            words.last_mut().unwrap().extend(c.to_lowercase());
        }
        prev_lower = c.is_lowercase();
    }
    words.retain(|w| !w.is_empty());
    words
}

/// The tree under `root` in document order, without the elements `skip` picks and what they
/// hold. An iterator rather than recursion, so that a page nested thousands of elements deep
/// cannot overflow the stack.
fn visible<'a>(
    root: ElementRef<'a>,
    skip: impl Fn(NodeRef<'a, Node>, &Element) -> bool,
) -> impl Iterator<Item = Edge<'a, Node>> {
    let mut skipping: Option<NodeId> = None;
    root.traverse().filter(move |edge| match (*edge, skipping) {
        (Edge::Close(node), Some(id)) if node.id() == id => {
            skipping = None;
            false
        }
        (_, Some(_)) => false,
        (Edge::Open(node), None) if element(node.value()).is_some_and(|e| skip(node, e)) => {
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
    /// `<p>` elements open around the text.
    in_p: usize,
    /// `<br>`s since the last text, written when text follows (trailing ones mean nothing).
    breaks: usize,
}

impl Writer {
    fn edge(&mut self, edge: Edge<'_, Node>) {
        match edge {
            Edge::Open(node) => match node.value() {
                Node::Text(text) => self.text(text),
                Node::Element(e) => match e.name() {
                    "br" => self.breaks += 1,
                    "li" => self.open_marked("- "),
                    name if HEADINGS.contains(&name) => self.open_marked("# "),
                    name if BLOCKS.contains(&name) => {
                        self.in_p += usize::from(name == "p");
                        self.break_block();
                    }
                    _ => {}
                },
                _ => {}
            },
            Edge::Close(node) => match element(node.value()).map(Element::name) {
                Some("li") => self.close_marked(),
                Some(name) if HEADINGS.contains(&name) => self.close_marked(),
                Some(name) if BLOCKS.contains(&name) => {
                    self.in_p = self.in_p.saturating_sub(usize::from(name == "p"));
                    self.break_block();
                }
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
                self.line_breaks();
                self.out.push(c);
            } else if !self.block_text().is_empty() && !self.out.ends_with([' ', '\n']) {
                self.out.push(' ');
            }
        }
    }

    /// `<br>`s before text: two or more end the block; one ends the line, or inside a `<p>`
    /// (where it is layout, not structure) is a space.
    fn line_breaks(&mut self) {
        let breaks = std::mem::take(&mut self.breaks);
        if breaks == 0 || self.block_text().trim().is_empty() {
            return;
        }
        self.out.truncate(self.out.trim_end_matches(' ').len());
        match breaks {
            1 if self.in_p > 0 => self.out.push(' '),
            1 => self.out.push('\n'),
            _ => self.break_block(),
        }
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
        self.breaks = 0;
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
    fn menus_and_link_lists_are_dropped_by_their_links() {
        let html = page(
            "<div class='module'><ul class='tier-1'><li><a href='/sport'>Sport</a></li>\
             <li><a href='/afl'>AFL</a></li></ul></div>\
             <div role='navigation'>Skip to content</div><span class='sr-only'>Menu</span>\
             <p>The committee approved the deployment on Tuesday.</p>\
             <p><a href='/more'>Read more: Troops return home</a></p>\
             <ul><li>Two <a href='/b'>battalions</a> will deploy in March.</li></ul>",
        );
        assert_eq!(
            to_text(&html),
            "The committee approved the deployment on Tuesday.\n\n\
             - Two battalions will deploy in March."
        );
    }

    #[test]
    fn furniture_is_named_by_class_or_id_unless_it_holds_the_story() {
        let story = "<p>The committee approved the deployment on Tuesday after a long debate.</p>";
        let html = page(&format!(
            "<div class='article-body'>{story}\
             <div class='authorBio'><p>Jane Doe covers defence.</p></div>\
             <div id='commentList'><p>Great article!</p></div>\
             <p class='photo-caption'>Troops at the border.</p>\
             <div class='overflow-hidden'><p>Officials said more would follow.</p></div></div>"
        ));
        assert_eq!(
            to_text(&html),
            "The committee approved the deployment on Tuesday after a long debate.\n\n\
             Officials said more would follow."
        );
        // A story whose container happens to be named like furniture is kept.
        let html = page(&format!("<div class='js-comments-enabled'>{story}</div>"));
        assert!(to_text(&html).starts_with("The committee approved"));
    }

    #[test]
    fn aria_hidden_prose_and_an_articles_own_header_are_kept() {
        // Modal scripts set aria-hidden on the page behind a pop-up: it is still the page.
        let html = page(
            "<div aria-hidden='true'><p>The committee approved the deployment.</p>\
             <span aria-hidden='true'>»</span></div>\
             <header><p>Site slogan that is not news.</p></header>\
             <article><header><h1>Deployment</h1><p class='standfirst'>A vote, at last.</p>\
             </header><p>The vote was 12 to 3, and the committee approved it.</p></article>",
        );
        assert_eq!(
            to_text(&html),
            "# Deployment\n\nA vote, at last.\n\nThe vote was 12 to 3, and the committee approved it."
        );
        let html = page("<div aria-hidden='true'><p>The deployment was approved.</p></div>");
        assert_eq!(to_text(&html), "The deployment was approved.");
    }

    #[test]
    fn a_single_break_inside_a_paragraph_is_a_space() {
        let html =
            page("<p>Troops will stay for as long as necessary<br>and no ceasefire is near.</p>");
        assert_eq!(
            to_text(&html),
            "Troops will stay for as long as necessary and no ceasefire is near."
        );
        let html = page("<p>First part.<br><br>Second part.</p><pre>rekt: { list: [] }</pre>");
        assert_eq!(to_text(&html), "First part.\n\nSecond part.");
    }

    #[test]
    fn without_article_or_main_the_storys_container_is_found() {
        let sidebar =
            "<div class='rail'><p>Other story one, with a long standfirst here.</p></div>";
        let story: String = (1..=9)
            .map(|i| format!("<p>Paragraph {i} of the story about the deployment vote.</p>"))
            .collect();
        let html = page(&format!(
            "<div id='wrap'>{sidebar}<div class='story'>{story}</div></div>"
        ));
        let text = to_text(&html);
        assert!(
            text.starts_with("Paragraph 1 of") && !text.contains("Other story"),
            "{text}"
        );
        // A story in two parts, the second in its own block (as behind a "read more" button),
        // is found whole.
        let html = page(&format!(
            "<div class='content'>{}<div class='toggle'>{}</div></div>{sidebar}",
            &story[..story.len() / 3],
            &story[story.len() / 3..]
        ));
        let text = to_text(&html);
        assert!(
            text.starts_with("Paragraph 1 of") && text.contains("Paragraph 9"),
            "{text}"
        );
    }

    #[test]
    fn teaser_articles_beside_the_story_are_dropped() {
        let story: String = (1..=6)
            .map(|i| format!("<p>Paragraph {i} of the story about the deployment vote.</p>"))
            .collect();
        let html = page(&format!(
            "<article>{story}</article><article class='in-column'><p>A teaser.</p></article>"
        ));
        let text = to_text(&html);
        assert!(
            !text.contains("teaser") && text.contains("Paragraph 6"),
            "{text}"
        );
    }

    #[test]
    fn deep_nesting_does_not_overflow_the_stack() {
        // (html5ever's own parsing time grows with the square of the depth: 0.8 s here.)
        let html = page(&format!("{}<p>Deep.</p>", "<div>".repeat(20_000)));
        assert_eq!(to_text(&html), "Deep.");
    }

    #[test]
    fn pages_are_read_in_their_own_encoding() {
        // "Sheinbaum’s reply: «non»" in windows-1252 and ISO-8859-1 bytes.
        let latin = b"<html><head><meta charset=\"windows-1252\"></head><body><p>Sheinbaum\x92s reply: \xabnon\xbb</p></body></html>";
        assert!(decode(latin).contains("Sheinbaum’s reply: «non»"));
        let http_equiv = b"<html><head><META HTTP-EQUIV='Content-Type' CONTENT='text/html; charset=ISO-8859-1'></head><p>caf\xe9</p>";
        assert!(decode(http_equiv).contains("café"));
        // Undeclared: UTF-8 when the bytes are UTF-8, else windows-1252.
        assert!(decode("<p>café – ok</p>".as_bytes()).contains("café – ok"));
        assert!(decode(b"<p>caf\xe9</p>").contains("café"));
        // A byte-order mark decides over a declaration.
        let mut utf16 = vec![0xff, 0xfe];
        for unit in "<meta charset=latin1><p>né</p>".encode_utf16() {
            utf16.extend(unit.to_le_bytes());
        }
        assert!(decode(&utf16).contains("<p>né</p>"));
        // "utf-16" in an ASCII declaration means UTF-8; unknown labels are ignored.
        assert!(decode("<meta charset=utf-16><p>né</p>".as_bytes()).contains("né"));
        assert!(decode("<meta charset=klingon><p>né</p>".as_bytes()).contains("né"));
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
