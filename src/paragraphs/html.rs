//! Web pages: an HTML article laid out as plain text for [`super::split_article`].
//!
//! Articles saved from a browser are HTML, and their paragraphs are the page's block elements
//! (`<p>`, headings, list items, quotations, text-holding `<div>`s), not its source lines, which
//! wrap anywhere. Much of a page is not the article either: scripts, styles, menus, headers,
//! footers, sidebars, comments, captions, hidden elements. So the page is decoded and parsed as
//! a browser would (html5ever, through `scraper`: character references decoded, broken markup
//! repaired), its article part is chosen, and each block element becomes one block of text with
//! blank lines around it. Headings are written as Markdown `#` lines and list items as `- `
//! bullets, so the text splitter's rules (headings and boilerplate kept but not classified,
//! long paragraphs cut) apply to web pages unchanged.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use ego_tree::iter::Edge;
use ego_tree::{NodeId, NodeRef};
use encoding_rs::{Encoding, UTF_16BE, UTF_16LE, UTF_8, WINDOWS_1252};
use scraper::node::Element;
use scraper::{ElementRef, Html, Node};

/// File extensions read as HTML.
pub const HTML_EXTENSIONS: [&str; 3] = ["html", "htm", "xhtml"];

/// Elements whose content is never article text: code, media, page furniture, form controls
/// and photo captions. (`<form>` is not among them: some sites wrap the whole page in one; nor
/// is `<header>`, which is furniture only outside the article.)
#[rustfmt::skip]
const SKIPPED: &[&str] = &[
    "head", "script", "style", "noscript", "template", "svg", "math", "canvas", "iframe",
    "object", "embed", "video", "audio", "nav", "footer", "aside", "figure", "figcaption",
    "button", "select", "option", "textarea", "input", "label", "dialog", "menu", "pre",
];

/// ARIA roles of page furniture (menus, banners, sidebars, pop-ups, search boxes).
#[rustfmt::skip]
const SKIPPED_ROLES: &[&str] = &[
    "navigation", "menu", "menubar", "banner", "contentinfo", "complementary", "dialog",
    "alertdialog", "search", "toolbar",
];

/// Class names that hide an element, or show it to screen readers only.
#[rustfmt::skip]
const HIDING_CLASSES: &[&str] = &[
    "hidden", "hide", "sr-only", "visually-hidden", "visuallyhidden", "screen-reader-text",
    "offscreen", "d-none", "invisible",
];

/// Words of class names and ids that mark page furniture: comments, related links, sharing,
/// newsletters, author bios, captions, pull quotes, cookie notices, ads.
#[rustfmt::skip]
const FURNITURE_WORDS: &[&str] = &[
    "comment", "comments", "related", "recommended", "share", "sharing", "social", "newsletter",
    "subscribe", "signup", "promo", "sponsored", "ads", "advert", "advertisement", "author",
    "bio", "byline", "caption", "gallery", "cookie", "cookies", "consent", "breadcrumb",
    "breadcrumbs", "sidebar", "popup", "modal", "paywall", "footer", "pullquote", "gdpr",
    "onetrust", "cmp",
];

/// Furniture names written as one word (a class name with its separators taken out contains
/// one): pull quotes, WordPress Jetpack's sharing and related-posts boxes.
const FURNITURE_RUNS: &[&str] = &["pullquote", "sharedaddy", "relatedpost"];

/// A name made of one of these and one of [`BODY_WORDS`] names the story's body (`article-body`,
/// `entry-content`, `storyText`), which outweighs a furniture word in another of its names
/// (`article-body js-comments-enabled`).
const STORY_WORDS: &[&str] = &["article", "story", "entry", "post", "main", "news"];

/// See [`STORY_WORDS`].
const BODY_WORDS: &[&str] = &["body", "content", "text"];

/// Class-name prefixes that describe what a story is about, not what the element is
/// (WordPress's `tag-social-security`, `category-ads`).
const TOPIC_PREFIXES: &[&str] = &["tag-", "category-", "topic-", "section-", "keyword-"];

/// Elements that start and end a block of text.
#[rustfmt::skip]
const BLOCKS: &[&str] = &[
    "html", "body", "main", "article", "header", "section", "div", "p", "blockquote", "address",
    "center", "details", "summary", "fieldset", "legend", "form", "ul", "ol", "dl", "dt", "dd",
    "table", "caption", "thead", "tbody", "tfoot", "tr", "td", "th", "hr",
];

const HEADINGS: &[&str] = &["h1", "h2", "h3", "h4", "h5", "h6"];

/// A run of text outside `<p>` counts as prose from this many words: paragraphs written as
/// `<div>`s or between `<br>`s are prose; labels, dates and one-line promotions are not.
const PROSE_WORDS: usize = 10;

/// Whether an article is a web page: its file name ends in `.html`, `.htm` or `.xhtml` and it
/// has markup, or its text opens (after comments and an XML declaration) with `<!DOCTYPE html`,
/// `<html` or `<head` (a page piped in on standard input, or saved under another name).
pub fn is_html(path: Option<&Path>, text: &str) -> bool {
    if path.is_some_and(|p| has_extension(p, &HTML_EXTENSIONS)) {
        // A text file named `.html` is read as what it is.
        return text.contains('<');
    }
    let mut start = text.trim_start_matches('\u{feff}').trim_start();
    // "<!-- saved from url=... -->", "<?xml version="1.0"?>" come before the document.
    while let Some((rest, close)) = [("<!--", "-->"), ("<?", "?>")]
        .iter()
        .find_map(|&(open, close)| Some((start.strip_prefix(open)?, close)))
    {
        start = rest
            .split_once(close)
            .map_or("", |(_, after)| after.trim_start());
    }
    let opens = |prefix: &str| {
        start
            .get(..prefix.len())
            .is_some_and(|s| s.eq_ignore_ascii_case(prefix))
    };
    opens("<!doctype html") || opens("<html") || opens("<head")
}

/// Whether a file's name ends in one of `extensions`, in any case.
pub fn has_extension(path: &Path, extensions: &[&str]) -> bool {
    let extension = path.extension().and_then(|e| e.to_str());
    extension.is_some_and(|e| extensions.iter().any(|x| e.eq_ignore_ascii_case(x)))
}

/// Whether a file is a web archive (MIME, `.mht`/`.mhtml`: Chrome's "Webpage, Single File"),
/// whose HTML is encoded inside it and cannot be read as a page or as text.
pub fn is_web_archive(path: Option<&Path>, text: &str) -> bool {
    let head = text
        .get(..text.len().min(2048))
        .unwrap_or(text)
        .to_ascii_lowercase();
    path.is_some_and(|p| has_extension(p, &["mht", "mhtml"]))
        || (head.trim_start().starts_with("from:")
            || head.trim_start().starts_with("mime-version:"))
            && head.contains("multipart/related")
}

/// The text of a page's bytes, read as a browser reads them: by its byte-order mark; else in the
/// encoding it declares (`<?xml encoding=...?>`, `<meta charset="iso-8859-1">` or `charset=` in
/// a `<meta http-equiv="Content-Type">`, within its first 64 KiB); else as UTF-8 when its bytes
/// are UTF-8 but for a few stray ones (four good non-ASCII characters for each bad one), else
/// as windows-1252 (older pages that declare nothing).
pub fn decode(bytes: &[u8]) -> String {
    if let Some((encoding, bom)) = Encoding::for_bom(bytes) {
        return encoding
            .decode_without_bom_handling(&bytes[bom..])
            .0
            .into_owned();
    }
    let encoding = match declared_encoding(&bytes[..bytes.len().min(64 * 1024)]) {
        // A page cannot declare UTF-16 in ASCII bytes; browsers ignore such a declaration.
        Some(e) if e != UTF_16LE && e != UTF_16BE => e,
        _ if mostly_utf8(bytes) => UTF_8,
        _ => WINDOWS_1252,
    };
    encoding.decode_without_bom_handling(bytes).0.into_owned()
}

/// UTF-8 with at least four good non-ASCII characters for each bad sequence: a stray byte in
/// a UTF-8 page, not a page in a one-byte encoding (where next to every non-ASCII byte is bad).
fn mostly_utf8(bytes: &[u8]) -> bool {
    let text = String::from_utf8_lossy(bytes);
    let bad = text.chars().filter(|&c| c == '\u{fffd}').count();
    let good = text
        .chars()
        .filter(|&c| !c.is_ascii() && c != '\u{fffd}')
        .count();
    good >= bad * 4
}

/// The encoding named by an XML declaration at the start, or by `charset` in the first `<meta>`
/// element that has one.
fn declared_encoding(head: &[u8]) -> Option<&'static Encoding> {
    let head = String::from_utf8_lossy(head).to_ascii_lowercase();
    let label = |value: &str| -> Option<&'static Encoding> {
        let label: String = value
            .trim_start_matches([' ', '"', '\''])
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | ':' | '.'))
            .collect();
        Encoding::for_label(label.as_bytes())
    };
    let xml = head.trim_start().strip_prefix("<?xml").and_then(|decl| {
        let decl = &decl[..decl.find("?>")?];
        label(value_of(decl, "encoding")?)
    });
    xml.or_else(|| {
        head.split("<meta").skip(1).find_map(|tag| {
            let tag = &tag[..tag.find('>').unwrap_or(tag.len())];
            label(value_of(tag, "charset")?)
        })
    })
}

/// What follows `key=` in a tag's text (`encoding="utf-8"?>` → `"utf-8"?>`).
fn value_of<'a>(tag: &'a str, key: &str) -> Option<&'a str> {
    tag.split_once(key)?.1.trim_start().strip_prefix('=')
}

/// The article text of an HTML page: one block per paragraph, heading (`# `) or list item
/// (`- `), blank lines between them, white space collapsed as a browser shows it.
///
/// Which part of the page is the article is decided on its prose: the text outside links of
/// its `<p>` elements and of its other blocks' runs of ten words or more, outside furniture:
/// - its largest outermost `<article>`, with the sibling articles of the same first class and
///   without a title of their own (the posts of a live blog), when they hold at least half of
///   the page's prose;
/// - else its `<main>` element, on the same condition;
/// - else the story's container: from the page down, the child (not a paragraph itself) that
///   holds nine tenths of its parent's prose, as long as there is one.
///
/// Besides what is dropped everywhere (skipped tags, furniture roles and names, hidden
/// elements), the article part loses blocks that are mostly links (menus, lists of headlines,
/// "Read more" lines) and `aria-hidden` elements without prose. A single `<br>` inside a
/// paragraph is a space; elsewhere it ends a line, and two end a block.
pub fn to_text(html: &str) -> String {
    let page = Html::parse_document(html);
    let root = page.root_element();
    let rules = Rules::new(root);
    let counts = count(root, &rules);
    // Names are the least sure rule: when nothing marks the story (no title, article or main
    // to frame it) and they take most of the page's prose (its whole body in a `<div
    // class="is-showingSidebar">`), they are wrong. Where a frame shields the story, what they
    // take is beside it (a comment thread longer than the story).
    if rules.frame.is_empty() {
        let unnamed = Rules {
            names: false,
            frame: HashSet::new(),
        };
        let unnamed_counts = count(root, &unnamed);
        let prose =
            |counts: &HashMap<NodeId, Counts>| counts.get(&root.id()).map_or(0, |c| c.prose);
        if prose(&counts) * 2 < prose(&unnamed_counts) {
            return article_text(root, &unnamed, &unnamed_counts);
        }
    }
    article_text(root, &rules, &counts)
}

fn article_text(root: ElementRef<'_>, rules: &Rules, counts: &HashMap<NodeId, Counts>) -> String {
    let get = |node: NodeId| counts.get(&node).copied().unwrap_or_default();
    let linky = |node: NodeRef<'_, Node>, e: &Element| {
        let c = get(node.id());
        let mostly_links = is_block(e.name()) && c.text > 0 && c.link * 5 >= c.text * 4;
        let aria_hidden = e
            .attr("aria-hidden")
            .is_some_and(|v| v.eq_ignore_ascii_case("true"));
        mostly_links || (aria_hidden && c.prose == 0)
    };
    let mut writer = Writer::default();
    for part in article_part(root, &|node| get(node).prose, rules) {
        let skip = |node: NodeRef<'_, Node>, e: &Element| {
            node.id() != part.id() && (rules.not_article(node, e) || linky(node, e))
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
/// prose: the text outside links of its paragraphs, that is of its `<p>` elements and of its
/// other blocks' runs of [`PROSE_WORDS`] words or more (a `<div>` paragraph, text between
/// `<br>`s), links and emphasis inside a run included.
#[derive(Debug, Default, Clone, Copy)]
struct Counts {
    text: usize,
    link: usize,
    prose: usize,
}

/// An element open during [`count`]: its counts so far and, for a block, the run of inline
/// text it holds directly (words, and characters outside links).
struct Open {
    id: NodeId,
    block: bool,
    /// Where in the stack the nearest block around (or at) this element is.
    block_at: Option<usize>,
    p: bool,
    counts: Counts,
    run_words: usize,
    run_chars: usize,
}

impl Open {
    /// Ends the block's current run of text: prose when it is a paragraph's, or long.
    fn end_run(&mut self) {
        if self.p || self.run_words >= PROSE_WORDS {
            self.counts.prose += self.run_chars;
        }
        self.run_words = 0;
        self.run_chars = 0;
    }
}

/// [`Counts`] of every element under `root` that [`Rules::not_article`] keeps, in one pass.
fn count(root: ElementRef<'_>, rules: &Rules) -> HashMap<NodeId, Counts> {
    let mut counts = HashMap::new();
    let mut open: Vec<Open> = Vec::new();
    let mut in_link = 0usize;
    for edge in visible(root, |n, e| rules.not_article(n, e)) {
        match edge {
            Edge::Open(node) => match node.value() {
                Node::Element(e) => {
                    let block = is_block(e.name());
                    let outer = open.last().and_then(|o| o.block_at);
                    // A block inside a block, or a line break, ends the outer block's run.
                    if let Some(i) = outer.filter(|_| block || e.name() == "br") {
                        open[i].end_run();
                    }
                    in_link += usize::from(e.name() == "a");
                    open.push(Open {
                        id: node.id(),
                        block,
                        block_at: if block { Some(open.len()) } else { outer },
                        p: e.name() == "p",
                        counts: Counts::default(),
                        run_words: 0,
                        run_chars: 0,
                    });
                }
                Node::Text(t) => {
                    let n = t.chars().filter(|c| !c.is_whitespace()).count();
                    if let Some(top) = open.last_mut() {
                        top.counts.text += n;
                        top.counts.link += if in_link > 0 { n } else { 0 };
                    }
                    if let Some(i) = open.last().and_then(|o| o.block_at) {
                        open[i].run_words += t.split_whitespace().count();
                        open[i].run_chars += if in_link > 0 { 0 } else { n };
                    }
                }
                _ => {}
            },
            Edge::Close(node) => {
                if let Some(name) = tag(node) {
                    in_link -= usize::from(name == "a");
                    if let Some(mut o) = open.pop() {
                        if o.block {
                            o.end_run();
                        }
                        if let Some(parent) = open.last_mut() {
                            parent.counts.text += o.counts.text;
                            parent.counts.link += o.counts.link;
                            parent.counts.prose += o.counts.prose;
                        }
                        counts.insert(o.id, o.counts);
                    }
                }
            }
        }
    }
    counts
}

fn is_block(name: &str) -> bool {
    BLOCKS.contains(&name) || HEADINGS.contains(&name) || name == "li"
}

fn article_part<'a>(
    root: ElementRef<'a>,
    prose: &dyn Fn(NodeId) -> usize,
    rules: &Rules,
) -> Vec<ElementRef<'a>> {
    let total = prose(root.id());
    let (mut articles, mut main) = (Vec::new(), None);
    // Only outermost articles: an article's comments are often articles inside it.
    let mut depth = 0;
    for edge in visible(root, |n, e| rules.not_article(n, e)) {
        match edge {
            Edge::Open(node) => match tag(node) {
                Some("article") => {
                    if depth == 0 {
                        articles.extend(ElementRef::wrap(node));
                    }
                    depth += 1;
                }
                Some("main") if main.is_none() => main = ElementRef::wrap(node),
                _ => {}
            },
            Edge::Close(node) if tag(node) == Some("article") => {
                depth -= 1;
            }
            Edge::Close(_) => {}
        }
    }
    if total == 0 {
        return vec![root];
    }
    let holds_half =
        |part: &[ElementRef]| part.iter().map(|e| prose(e.id())).sum::<usize>() * 2 >= total;
    // The largest article and its like beside it: a live blog's posts are articles of one
    // class (the first written: `post`, `post is-key-event`) under one parent, each maybe in a
    // list item of its own; teasers and cards elsewhere, and a next story with its own title
    // (appended by endless scrolling), are not the story.
    if let Some(largest) = articles.iter().copied().max_by_key(|a| prose(a.id())) {
        let kind = |a: &ElementRef<'a>| (post_parent(**a), first_class(a.value()));
        let titled = |a: &ElementRef<'a>| a.descendants().any(|d| tag(d) == Some("h1"));
        let key = kind(&largest);
        articles.retain(|a| a.id() == largest.id() || (kind(a) == key && !titled(a)));
        if holds_half(&articles) {
            return articles;
        }
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

/// The first class written in an element's `class` (scraper's `classes()` are sorted).
fn first_class(e: &Element) -> Option<&str> {
    e.attr("class")?.split_ascii_whitespace().next()
}

/// The element under which a post's siblings are found: its parent, or past a list item or
/// `<div>` that holds it alone (BBC-style `<li><article>` posts).
fn post_parent(post: NodeRef<'_, Node>) -> Option<NodeId> {
    let mut node = post;
    loop {
        let parent = node.parent()?;
        let alone = parent
            .children()
            .filter(|c| c.value().is_element())
            .take(2)
            .count()
            == 1;
        let wrapper = matches!(tag(parent), Some("li" | "div"));
        if !(alone && wrapper) {
            return Some(parent.id());
        }
        node = parent;
    }
}

fn element(node: &Node) -> Option<&Element> {
    match node {
        Node::Element(e) => Some(e),
        _ => None,
    }
}

/// A node's tag name, when it is an element.
fn tag<'a>(node: NodeRef<'a, Node>) -> Option<&'a str> {
    element(node.value()).map(Element::name)
}

/// What makes an element page furniture, whatever its size.
struct Rules {
    /// The ancestors of the story's title (the page's visible `<h1>` that its `<title>` repeats,
    /// or its first visible `<h1>`) and of its `<main>` elements: the frame of the story, which
    /// a furniture-like name does not drop (`<div id="ad-portal">` around the whole page).
    frame: HashSet<NodeId>,
    /// Whether furniture names count (see [`to_text`]: not on a second reading).
    names: bool,
}

impl Rules {
    fn new(root: ElementRef<'_>) -> Self {
        let in_view = |node: NodeRef<'_, Node>| {
            !node
                .ancestors()
                .chain([node])
                .any(|a| element(a.value()).is_some_and(|e| concealed(a, e)))
        };
        let named = |name: &'static str| {
            root.descendants()
                .filter(move |n| tag(*n) == Some(name) && in_view(*n))
        };
        let text = |node: NodeRef<'_, Node>| {
            let text: String = node
                .descendants()
                .filter_map(|d| d.value().as_text().map(|t| t.to_string()))
                .collect();
            text.split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .to_lowercase()
        };
        let title = root
            .descendants()
            .find(|n| tag(*n) == Some("title"))
            .map(text)
            .unwrap_or_default();
        // Of the titles the <title> repeats, the longest: "Deployment approved | The Ledger"
        // repeats the site's name too.
        let h1s: Vec<_> = named("h1").collect();
        let heading = h1s
            .iter()
            .map(|&h| (h, text(h)))
            .filter(|(_, h)| {
                !h.is_empty() && (title.contains(h) || h.contains(&title) && !title.is_empty())
            })
            .max_by_key(|(_, h)| h.len())
            .map(|(h, _)| h)
            .or_else(|| h1s.first().copied());
        // The article holding the most paragraph text (articles are never furniture by name,
        // so this is what an `<article>`-less wrapper named `is-showingSidebar` holds).
        let paragraph_text = |node: NodeRef<'_, Node>| {
            node.descendants()
                .filter(|d| tag(*d) == Some("p"))
                .flat_map(|p| p.descendants())
                .filter_map(|d| d.value().as_text().map(|t| t.len()))
                .sum::<usize>()
        };
        let article = named("article").max_by_key(|a| paragraph_text(*a));
        let frame = heading
            .into_iter()
            .chain(article)
            .chain(named("main"))
            .flat_map(|n| n.ancestors().map(|a| a.id()))
            .collect();
        Rules { frame, names: true }
    }

    /// Elements that are never the article: those [`concealed`], and those named as furniture
    /// ([`names_furniture`]) outside the story's frame.
    fn not_article(&self, node: NodeRef<'_, Node>, e: &Element) -> bool {
        concealed(node, e) || (self.names && names_furniture(e) && !self.frame.contains(&node.id()))
    }
}

/// Elements a reader does not see, or that are page furniture by their kind: those in
/// [`SKIPPED`], a `<header>` outside any `<article>` or `<main>`, furniture by ARIA role, and
/// elements hidden by `hidden` (not `until-found`, which a find in the page opens), a hiding
/// class (unless a responsive class shows it on larger screens: `hidden md:block`), or an
/// inline `display: none` / `visibility: hidden`.
fn concealed(node: NodeRef<'_, Node>, e: &Element) -> bool {
    let name = e.name();
    let page_header = name == "header"
        && !node
            .ancestors()
            .any(|a| matches!(tag(a), Some("article" | "main")));
    let hidden_style = e.attr("style").is_some_and(|style| {
        let style: String = style
            .chars()
            .filter(|c| !c.is_whitespace())
            .collect::<String>()
            .to_ascii_lowercase();
        style.contains("display:none") || style.contains("visibility:hidden")
    });
    // Tailwind's `md:block`, Bootstrap's `d-md-flex`: shown from some screen width on.
    let shown = |class: &str| {
        let display = ["block", "flex", "grid", "inline", "table"]
            .iter()
            .any(|d| class.ends_with(d));
        let responsive = class.contains(':')
            || ["d-sm-", "d-md-", "d-lg-", "d-xl-", "d-xxl-"]
                .iter()
                .any(|b| class.starts_with(b));
        display && responsive
    };
    let hiding_class = e
        .classes()
        .any(|c| HIDING_CLASSES.iter().any(|h| c.eq_ignore_ascii_case(h)))
        && !e.classes().any(shown);
    let role = e.attr("role").map(str::to_ascii_lowercase);
    SKIPPED.contains(&name)
        || page_header
        || role.is_some_and(|r| SKIPPED_ROLES.contains(&r.as_str()))
        || e.attr("hidden")
            .is_some_and(|v| !v.eq_ignore_ascii_case("until-found"))
        || hiding_class
        || hidden_style
}

/// Whether an element's classes or id name it as furniture: one of them holds a furniture word
/// ([`FURNITURE_WORDS`], not after `with`, `has` or `no`: `storyBodyWithAds` is a story) or,
/// run together, a [`FURNITURE_RUNS`] entry; and none names the story's body alone (a name of
/// [`STORY_WORDS`] and [`BODY_WORDS`] without a furniture word: `article-body`, `entry-content`,
/// not `article-author` or `related-content`). The page's frame (`html`, `body`, `main`,
/// `article`) and topic classes ([`TOPIC_PREFIXES`]) are not read.
fn names_furniture(e: &Element) -> bool {
    if matches!(e.name(), "html" | "body" | "main" | "article") {
        return false;
    }
    let names: Vec<(String, Vec<String>)> = e
        .classes()
        .chain(e.id())
        .filter(|c| {
            let c = c.to_lowercase();
            !TOPIC_PREFIXES.iter().any(|p| c.starts_with(p))
        })
        .map(|n| {
            let run: String = n.chars().filter(|c| c.is_alphanumeric()).collect();
            (run.to_lowercase(), name_words(n))
        })
        .collect();
    let furniture = |(run, words): &(String, Vec<String>)| {
        let modifier =
            |i: usize| i > 0 && ["with", "has", "no", "without"].contains(&words[i - 1].as_str());
        words
            .iter()
            .enumerate()
            .any(|(i, w)| FURNITURE_WORDS.contains(&w.as_str()) && !modifier(i))
            || FURNITURE_RUNS.iter().any(|f| run.contains(f))
    };
    let story_body = |name: &(String, Vec<String>)| {
        let has = |set: &[&str]| name.1.iter().any(|w| set.contains(&w.as_str()));
        has(STORY_WORDS) && has(BODY_WORDS) && !furniture(name)
    };
    names.iter().any(furniture) && !names.iter().any(story_body)
}

/// The lowercased words of a class name or id, split at punctuation and at camelCase humps
/// (`commentList`, `related-stories`), without hash-like parts (`__kBioXz`, `x7f3a`: digits, or
/// two humps of one or two letters) that CSS tooling appends.
fn name_words(name: &str) -> Vec<String> {
    let mut words = Vec::new();
    for part in name.split(|c: char| !c.is_alphanumeric()) {
        let mut humps = vec![String::new()];
        let mut prev_lower = false;
        for c in part.chars() {
            if c.is_uppercase() && prev_lower {
                humps.push(String::new());
            }
            humps.last_mut().unwrap().extend(c.to_lowercase());
            prev_lower = c.is_lowercase();
        }
        humps.retain(|h| !h.is_empty());
        let short = humps.iter().filter(|h| h.chars().count() <= 2).count();
        let hashed = part.chars().any(|c| c.is_ascii_digit()) || (humps.len() > 2 && short >= 2);
        if !hashed {
            words.extend(humps);
        }
    }
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
    /// `<p>` and heading elements open around the text.
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
                    name if HEADINGS.contains(&name) => {
                        self.in_p += 1;
                        self.open_marked("# ");
                    }
                    name if BLOCKS.contains(&name) => {
                        self.in_p += usize::from(name == "p");
                        self.break_block();
                    }
                    _ => {}
                },
                _ => {}
            },
            Edge::Close(node) => match tag(node) {
                Some("li") => self.close_marked(),
                Some(name) if HEADINGS.contains(&name) => {
                    self.in_p = self.in_p.saturating_sub(1);
                    self.close_marked();
                }
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

    /// `<br>`s before text: two or more end the block; one ends the line, or inside a `<p>` or
    /// a heading (where it is layout, not structure) is a space.
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
    fn furniture_is_named_by_class_or_id() {
        let story = "<p>The committee approved the deployment on Tuesday after a long debate.</p>";
        let html = page(&format!(
            "<div class='article-body'>{story}\
             <div class='authorBio'><p>Jane Doe covers defence.</p></div>\
             <div id='commentList'><p>Great article!</p></div>\
             <p class='photo-caption'>Troops at the border.</p>\
             <div class='pull-quote'><p>A long debate.</p></div>\
             <div class='sharedaddy sd-sharing-enabled'><p>Like this:</p></div>\
             <div class='overflow-hidden'><p>Officials said more would follow.</p></div></div>"
        ));
        assert_eq!(
            to_text(&html),
            "The committee approved the deployment on Tuesday after a long debate.\n\n\
             Officials said more would follow."
        );
        // The story's body named beside a furniture word, and a post tagged with a topic that
        // is a furniture word (WordPress), are the story.
        let html = page(&format!(
            "<div class='article-body js-comments-enabled'>{story}</div>"
        ));
        assert!(to_text(&html).starts_with("The committee approved"));
        let html = page(&format!(
            "<article class='post tag-social-security category-ads'>{story}</article>"
        ));
        assert!(to_text(&html).starts_with("The committee approved"));
    }

    #[test]
    fn comments_longer_than_the_story_do_not_displace_it() {
        let story = "<p>The committee approved the deployment on Tuesday after a long debate.</p>";
        let comments: String = (0..15)
            .map(|i| format!("<li><span>user{i}</span><p>I think this deployment is a terrible mistake for us.</p></li>"))
            .collect();
        let html = page(&format!(
            "<article>{story}</article><section class='comments'><ol>{comments}</ol></section>"
        ));
        assert_eq!(
            to_text(&html),
            "The committee approved the deployment on Tuesday after a long debate."
        );
    }

    #[test]
    fn stories_written_without_p_elements_are_found() {
        // Paragraphs as <div>s (Reuters), or between <br>s (Blogger, old sites), beside a
        // single <p> of furniture: the story is where the prose is, not where the <p> is.
        let divs: String = (1..=6)
            .map(|i| format!("<div data-testid='paragraph-{i}'>Paragraph {i} says the deployment vote in the Senate was close on Tuesday.</div>"))
            .collect();
        let html = page(&format!(
            "<div class='layout'><div class='body'>{divs}</div>\
             <div class='rail'><p>Sign up for our daily briefing.</p></div></div>"
        ));
        let text = to_text(&html);
        assert!(
            text.starts_with("Paragraph 1 says") && !text.contains("Sign up"),
            "{text}"
        );
        let brs: String = (1..=6)
            .map(|i| format!("Paragraph {i} says the deployment vote in the Senate was close on Tuesday.<br><br>"))
            .collect();
        let html = page(&format!(
            "<div class='post'>{brs}</div><div class='about'><p>About this blog.</p></div>"
        ));
        let text = to_text(&html);
        assert!(
            text.starts_with("Paragraph 1 says") && text.contains("\n\nParagraph 6"),
            "{text}"
        );
    }

    #[test]
    fn aria_hidden_prose_and_an_articles_own_header_are_kept() {
        // Modal scripts set aria-hidden on the page behind a pop-up: it is still the page; an
        // aria-hidden icon or label without prose is dropped.
        let html = page(
            "<header><p>Site slogan that is not news.</p></header>\
             <article><header><h1>Deployment</h1><p class='standfirst'>A vote, at last.</p>\
             </header><p>The vote was 12 to 3, and the committee approved it.</p>\
             <div aria-hidden='true'>» Related</div></article>",
        );
        assert_eq!(
            to_text(&html),
            "# Deployment\n\nA vote, at last.\n\nThe vote was 12 to 3, and the committee approved it."
        );
        let html = page(
            "<div aria-hidden='true'><p>The deployment was approved.</p>\
             <span aria-hidden='true'>»</span></div>",
        );
        assert_eq!(to_text(&html), "The deployment was approved.");
        // A header inside <main> is the story's too; hidden-until-found text and text hidden
        // only on small screens are shown.
        let html = page(
            "<main><header><p class='dek'>A vote, at last.</p></header>\
             <div hidden='until-found'><p>The vote was 12 to 3.</p></div>\
             <div class='hidden md:block'><p>Officials said more would follow.</p></div>\
             <div class='d-none'><p>Mobile only.</p></div></main>",
        );
        assert_eq!(
            to_text(&html),
            "A vote, at last.\n\nThe vote was 12 to 3.\n\nOfficials said more would follow."
        );
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
        let html = page("<h2>Troops deployed<br>to the border after long talks</h2>");
        assert_eq!(
            to_text(&html),
            "# Troops deployed to the border after long talks"
        );
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
    fn a_live_blogs_posts_are_all_kept() {
        let posts: String = ["The resolution has passed, 51 to 49.", "Senators are now voting on the resolution.", "Good morning and welcome to our coverage of the war powers vote, which is expected later today."]
            .iter()
            .map(|p| format!("<article class='block' id='b{}'><p>{p}</p></article>", p.len()))
            .collect();
        let html = page(&format!(
            "<main><div class='posts'>{posts}</div></main><aside><article class='card'><p>Other.</p></article></aside>"
        ));
        let text = to_text(&html);
        assert!(
            text.starts_with("The resolution has passed") && text.contains("Good morning"),
            "{text}"
        );
    }

    #[test]
    fn posts_are_siblings_by_their_first_written_class_and_past_lone_wrappers() {
        let post =
            |class: &str, text: &str| format!("<article class='{class}'><p>{text}</p></article>");
        // scraper sorts classes: `is-key-event` would come first.
        let html = page(&format!(
            "<main><h1>Live: the war powers vote</h1><div class='feed'>{}{}{}</div></main>",
            post("post is-key-event", "The resolution has passed, 51 to 49, after a long day."),
            post("post", "Senators are now voting on the war powers resolution in the chamber."),
            post("post", "Good morning and welcome to our live coverage of the war powers vote today, which is expected to be close.")
        ));
        let text = to_text(&html);
        assert!(
            text.contains("has passed") && text.contains("now voting"),
            "{text}"
        );
        // BBC-style: each post alone in a list item.
        let items: String = ["The resolution has passed, 51 to 49.", "Senators are now voting on the resolution.", "Good morning and welcome to our live coverage of the war powers vote, which is expected later today, after a long debate."]
            .iter()
            .map(|t| format!("<li>{}</li>", post("post", t)))
            .collect();
        let text = to_text(&page(&format!(
            "<ol>{items}</ol><div><p>About us.</p></div>"
        )));
        assert!(
            text.contains("has passed") && text.contains("now voting"),
            "{text}"
        );
        // A next story appended below (endless scrolling) has its own title: not this story.
        let story = |title: &str, n: usize| {
            let ps: String = (1..=n)
                .map(|i| {
                    format!("<p>Paragraph {i} of the story on {title}, told at some length.</p>")
                })
                .collect();
            format!("<article class='story'><h1>{title}</h1>{ps}</article>")
        };
        let html = page(&format!(
            "<main>{}{}</main>",
            story("the vote", 6),
            story("the budget", 4)
        ));
        let text = to_text(&html);
        assert!(
            text.contains("story on the vote") && !text.contains("the budget"),
            "{text}"
        );
    }

    #[test]
    fn div_paragraphs_broken_by_links_are_prose() {
        let para = |i: usize| {
            format!(
                "<div class='para'>Paragraph {i} says <a href='/s'>the Senate</a> voted on \
                 <strong>Tuesday</strong> to approve the <a href='/r'>resolution</a> that limits \
                 strikes.</div>"
            )
        };
        let story: String = (1..=6).map(para).collect();
        let html = page(&format!(
            "<div class='wrap'><div class='body'>{story}</div>\
             <div class='rail'><p>Get our free daily briefing.</p></div></div>"
        ));
        let text = to_text(&html);
        assert!(
            text.starts_with("Paragraph 1 says the Senate") && !text.contains("briefing"),
            "{text}"
        );
    }

    #[test]
    fn the_frame_is_the_titles_and_names_are_read_as_words() {
        let story = "<p>The committee approved the deployment on Tuesday after a long debate.</p>";
        // A sidebar whose widgets have <h1> titles is not protected by them; the story's <h1>
        // is the one the <title> repeats.
        let html = format!(
            "<html><head><title>Deployment approved | The Ledger</title></head><body>\
             <div class='sidebar'><h1 class='widget-title'>About</h1><p>The Ledger is a \
             nonprofit newsroom serving the valley since 1921.</p></div>\
             <div class='content'><h1>Deployment approved</h1>{story}</div></body></html>"
        );
        assert_eq!(
            to_text(&html),
            "# Deployment approved\n\nThe committee approved the deployment on Tuesday after a long debate."
        );
        // Utility classes that mention content do not make a newsletter box the story's body;
        // a story body "with ads" is a story body; hashes are not words.
        let html = page(&format!(
            "<div class='article-body'>{story}<div class='newsletter-signup d-flex \
             justify-content-between'><p>Our free morning newsletter brings you the news.</p></div>\
             </div><div class='storyBodyWithAds'><p>Officials said more would follow soon.</p></div>\
             <div class='Card_wrap__kBioXz'><p>Troops will stay until spring.</p></div>"
        ));
        assert_eq!(
            to_text(&html),
            "The committee approved the deployment on Tuesday after a long debate.\n\n\
             Officials said more would follow soon.\n\nTroops will stay until spring."
        );
        // The site's name in an <h1> of its own is not the title the <title> repeats.
        let html = format!(
            "<html><head><title>Deployment approved | The Ledger</title></head><body>\
             <div class='branding'><h1>The Ledger</h1></div><div class='layout sidebar-right'>\
             <h1>Deployment approved</h1>{story}</div></body></html>"
        );
        assert!(to_text(&html).ends_with("after a long debate."));
        // Short words in camelCase names are words (`newsletterSignUp`), and only responsive
        // display classes show what a hiding class hides.
        let html = page(&format!(
            "<div class='article-body'>{story}<div class='newsletterSignUp'><p>Sign up now.</p>\
             </div><p class='hidden sticky-block'>Hidden.</p><p class='sr-only label-inline'>\
             Hidden too.</p></div>"
        ));
        assert_eq!(
            to_text(&html),
            "The committee approved the deployment on Tuesday after a long debate."
        );
        // A page whose prose names mostly take (its body in a sidebar-named wrapper, and no
        // title, article or main to mark it) is read without them.
        let html = page(&format!(
            "<div class='brand'><p>The Ledger</p></div>\
             <div class='screen is-showingReadNextSidebar'>{story}</div>"
        ));
        assert!(
            to_text(&html).ends_with("after a long debate."),
            "{}",
            to_text(&html)
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
        // Declared after the first kilobyte, or by an XML declaration.
        let late = format!(
            "<html><head>{}<meta charset=windows-1251>",
            " ".repeat(3000)
        );
        let mut late = late.into_bytes();
        late.extend(b"<p>\xc2\xee\xe9\xed\xe0</p>");
        assert!(decode(&late).contains("Война"));
        let xml = b"<?xml version='1.0' encoding='windows-1251'?><html><p>\xc2\xee\xe9\xed\xe0</p>";
        assert!(decode(xml).contains("Война"));
        // Undeclared UTF-8 with one stray byte stays UTF-8.
        let mut stray = "<p>the senator’s “reply” – café, naïve, résumé</p>"
            .as_bytes()
            .to_vec();
        stray.push(0xff);
        assert!(decode(&stray).contains("senator’s “reply”"));
        // "utf-16" in an ASCII declaration means UTF-8; unknown labels are ignored.
        assert!(decode("<meta charset=utf-16><p>né</p>".as_bytes()).contains("né"));
        assert!(decode("<meta charset=klingon><p>né</p>".as_bytes()).contains("né"));
    }

    #[test]
    fn pages_are_told_by_name_or_opening() {
        assert!(is_html(Some(Path::new("a/b.HTM")), "<p>plain"));
        assert!(is_html(None, "\u{feff}\n  <!doctype HTML><html>"));
        assert!(is_html(
            Some(Path::new("saved.txt")),
            "<html lang=en><body>"
        ));
        assert!(is_html(
            None,
            "<!-- saved from url=(0014)about:internet -->\n<html>"
        ));
        assert!(is_html(
            None,
            "<?xml version=\"1.0\"?>\n<!-- x --><!DOCTYPE html>"
        ));
        assert!(is_html(None, "<head><title>T</title></head>"));
        // Text under a page's name is text.
        assert!(!is_html(Some(Path::new("b.xhtml")), ""));
        assert!(!is_html(
            Some(Path::new("b.html")),
            "Plain text, saved as a page."
        ));
        assert!(!is_html(
            Some(Path::new("a.txt")),
            "Plain text with <b>tags</b>."
        ));
        assert!(!is_html(None, "<htm"));
        assert!(!is_html(None, "<!-- unclosed comment <html>"));
        assert!(!is_html(
            Some(Path::new("a.md")),
            "# Title\n\n<html> is a tag."
        ));
        // Web archives are told apart, to be refused with a message.
        let mhtml = "From: <Saved by Blink>\nMIME-Version: 1.0\nContent-Type: multipart/related;";
        assert!(is_web_archive(None, mhtml));
        assert!(is_web_archive(Some(Path::new("page.MHT")), ""));
        assert!(!is_web_archive(None, "From: the editor\nTroops left."));
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
