//! A letter's plain text, made from its HTML: the copy kept beside each printed letter and what
//! the workstation shows. A letter is a handful of kinds of block (paragraphs, headings, lists,
//! the references as a definition list, the statement as a table), so this small renderer lays
//! them out for a 78-column page as a typed letter would: headings underlined, list items
//! bulleted, the references in two aligned columns, the statement with its amounts right-aligned
//! and a rule under its headings and above its totals (a row of class `total`). A general
//! HTML-to-text converter did the same at about a millisecond a letter, most of the day's batch.
//!
//! Anything else a landlord's template holds is read leniently, as a browser would: unknown
//! elements are inline, unclosed ones close with their parent, `<style>` and `<script>` say
//! nothing, and character references are decoded.

use unicode_width::UnicodeWidthStr;

/// The page's width in columns.
const WIDTH: usize = 78;
/// A label of a definition list wider than this goes on a line of its own.
const LABEL_MOST: usize = 24;
/// Between the columns of a table, and after a definition's label.
const GAP: &str = "  ";

/// The letter (one or more `<section>`s, or a whole page) as plain text.
pub fn as_text(html: &str) -> String {
    let mut text = blocks(&parse(html).children, WIDTH).join("\n");
    text.push('\n');
    text
}

#[derive(Debug, Default)]
struct Element {
    name: String,
    class: String,
    href: Option<String>,
    alt: Option<String>,
    children: Vec<Node>,
}

#[derive(Debug)]
enum Node {
    Text(String),
    Element(Element),
}

impl Element {
    fn has_class(&self, class: &str) -> bool {
        self.class.split_ascii_whitespace().any(|c| c == class)
    }

    fn elements(&self) -> impl Iterator<Item = &Element> {
        self.children.iter().filter_map(|n| match n {
            Node::Element(e) => Some(e),
            Node::Text(_) => None,
        })
    }
}

const BLOCKS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "body",
    "caption",
    "dd",
    "div",
    "dl",
    "dt",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "head",
    "header",
    "hr",
    "html",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
];

const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
    "wbr",
];

/// Elements whose content is not text to show.
const SILENT: &[&str] = &["script", "style", "title", "template"];

fn is_block(name: &str) -> bool {
    BLOCKS.contains(&name)
}

/// The elements of `html`, under a root.
fn parse(html: &str) -> Element {
    let mut stack = vec![Element::default()];
    let mut rest = html;
    while !rest.is_empty() {
        if let Some(after) = rest.strip_prefix("<!--") {
            rest = after.find("-->").map_or("", |i| &after[i + 3..]);
        } else if let Some(after) = rest.strip_prefix("</") {
            let end = after.find('>').map_or(after.len(), |i| i + 1);
            close(&mut stack, &tag_name(&after[..end]));
            rest = &after[end..];
        } else if rest.starts_with('<') && rest[1..].starts_with(|c: char| c.is_ascii_alphabetic())
        {
            let (element, after) = start_tag(&rest[1..]);
            rest = after;
            if SILENT.contains(&element.name.as_str()) {
                rest = past_end_tag(rest, &element.name);
            } else if VOID.contains(&element.name.as_str()) {
                push(&mut stack, Node::Element(element));
            } else {
                open(&mut stack, element);
            }
        } else if rest.starts_with("<!") || rest.starts_with("<?") {
            rest = rest.find('>').map_or("", |i| &rest[i + 1..]);
        } else {
            // Text up to the next `<` (a `<` that starts no tag is text).
            let first = rest.chars().next().map_or(1, char::len_utf8);
            let end = rest[first..].find('<').map_or(rest.len(), |i| i + first);
            push(&mut stack, Node::Text(decode(&rest[..end])));
            rest = &rest[end..];
        }
    }
    while stack.len() > 1 {
        pop(&mut stack);
    }
    stack.pop().unwrap_or_default()
}

/// The lower-case name at the start of a tag's text.
fn tag_name(tag: &str) -> String {
    tag.split(|c: char| c.is_ascii_whitespace() || c == '/' || c == '>')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase()
}

/// The start tag at `tag` (just past its `<`), and what follows it.
fn start_tag(tag: &str) -> (Element, &str) {
    let name = tag_name(tag);
    let mut element = Element {
        name,
        ..Element::default()
    };
    let mut rest = &tag[element.name.len()..];
    loop {
        rest = rest.trim_start_matches(|c: char| c.is_ascii_whitespace() || c == '/');
        if rest.is_empty() {
            return (element, rest);
        }
        if let Some(after) = rest.strip_prefix('>') {
            return (element, after);
        }
        let end = rest
            .find(|c: char| c.is_ascii_whitespace() || matches!(c, '=' | '>' | '/'))
            .unwrap_or(rest.len())
            .max(1);
        let attribute = rest[..end].to_ascii_lowercase();
        rest = rest[end..].trim_start();
        let mut value = String::new();
        if let Some(after) = rest.strip_prefix('=') {
            let after = after.trim_start();
            let (raw, next) = match after.chars().next() {
                Some(quote @ ('"' | '\'')) => {
                    let body = &after[1..];
                    let close = body.find(quote).unwrap_or(body.len());
                    (&body[..close], body.get(close + 1..).unwrap_or(""))
                }
                _ => {
                    let close = after
                        .find(|c: char| c.is_ascii_whitespace() || c == '>')
                        .unwrap_or(after.len());
                    (&after[..close], &after[close..])
                }
            };
            value = decode(raw);
            rest = next;
        }
        match attribute.as_str() {
            "class" => element.class = value,
            "href" => element.href = Some(value),
            "alt" => element.alt = Some(value),
            _ => {}
        }
    }
}

/// What follows `</name>` in `rest` (the raw content of a silent element is skipped whole).
fn past_end_tag<'a>(rest: &'a str, name: &str) -> &'a str {
    let lower = rest.to_ascii_lowercase();
    let close = format!("</{name}");
    match lower.find(&close) {
        Some(i) => rest[i..].find('>').map_or("", |j| &rest[i + j + 1..]),
        None => "",
    }
}

fn push(stack: &mut [Element], node: Node) {
    if let Some(top) = stack.last_mut() {
        top.children.push(node);
    }
}

fn pop(stack: &mut Vec<Element>) {
    if stack.len() > 1
        && let Some(done) = stack.pop()
    {
        push(stack, Node::Element(done));
    }
}

/// Closes the innermost open `name`, and whatever is open inside it; a stray end tag is ignored.
fn close(stack: &mut Vec<Element>, name: &str) {
    if let Some(at) = stack.iter().skip(1).rposition(|e| e.name == name) {
        while stack.len() > at + 1 {
            pop(stack);
        }
    }
}

/// Opens `element`, first closing what its start tag ends in HTML: the previous item of a list,
/// row or cell, and an open paragraph when a block begins.
fn open(stack: &mut Vec<Element>, element: Element) {
    let (ends, within): (&[&str], &[&str]) = match element.name.as_str() {
        "li" => (&["li"], &["ul", "ol"]),
        "dt" | "dd" => (&["dt", "dd"], &["dl"]),
        "tr" => (&["tr"], &["table", "thead", "tbody", "tfoot"]),
        "td" | "th" => (&["td", "th"], &["tr", "table"]),
        "thead" | "tbody" | "tfoot" => (&["thead", "tbody", "tfoot"], &["table"]),
        _ => (&[], &[]),
    };
    let innermost = |stack: &[Element], ends: &[&str], stop: &dyn Fn(&str) -> bool| {
        stack
            .iter()
            .enumerate()
            .skip(1)
            .rev()
            .take_while(|(_, e)| !stop(&e.name))
            .find(|(_, e)| ends.contains(&e.name.as_str()))
            .map(|(i, _)| i)
    };
    let mut at = innermost(stack, ends, &|n| within.contains(&n));
    if at.is_none() && is_block(&element.name) {
        at = innermost(stack, &["p"], &|n| is_block(n) && n != "p");
    }
    if let Some(at) = at {
        while stack.len() > at {
            pop(stack);
        }
    }
    stack.push(element);
}

/// Text with its character references decoded (`&amp;`, `&pound;`, `&#163;`, `&#xA3;`).
fn decode(raw: &str) -> String {
    if !raw.contains('&') {
        return raw.to_string();
    }
    let mut out = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let end = rest
            .char_indices()
            .skip(1)
            .take(40)
            .find(|(_, c)| !(c.is_ascii_alphanumeric() || *c == '#'))
            .filter(|(_, c)| *c == ';');
        let decoded = end.and_then(|(j, _)| reference(&rest[1..j]).map(|s| (s, j + 1)));
        match decoded {
            Some((text, len)) => {
                out.push_str(&text);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The text a character reference names (`amp`, `#163`, `#xA3`).
fn reference(name: &str) -> Option<String> {
    let code = if let Some(hex) = name.strip_prefix("#x").or_else(|| name.strip_prefix("#X")) {
        u32::from_str_radix(hex, 16).ok()
    } else if let Some(decimal) = name.strip_prefix('#') {
        decimal.parse().ok()
    } else {
        let (first, second) = web_atoms::NAMED_ENTITIES.get(format!("{name};").as_str())?;
        return Some(
            [*first, *second]
                .into_iter()
                .filter(|c| *c != 0)
                .filter_map(char::from_u32)
                .collect(),
        );
    };
    let c = code.and_then(char::from_u32).filter(|c| *c != '\0');
    Some(c.unwrap_or(char::REPLACEMENT_CHARACTER).to_string())
}

/// Running text as it flows: white space collapsed to one space, `\n` where a line is broken.
#[derive(Default)]
struct Inline {
    text: String,
}

impl Inline {
    fn push_text(&mut self, text: &str) {
        for c in text.chars() {
            if c.is_ascii_whitespace() {
                if !self.text.is_empty() && !self.text.ends_with([' ', '\n']) {
                    self.text.push(' ');
                }
            } else {
                self.text.push(c);
            }
        }
    }

    fn push_break(&mut self) {
        if self.text.ends_with(' ') {
            self.text.pop();
        }
        self.text.push('\n');
    }

    fn push_element(&mut self, e: &Element) {
        match e.name.as_str() {
            "br" => self.push_break(),
            "img" => self.push_text(e.alt.as_deref().unwrap_or_default()),
            name => {
                let block = is_block(name);
                if block {
                    self.push_break();
                }
                let start = self.text.len();
                self.push_children(&e.children);
                if let Some(href) = &e.href {
                    let target = href
                        .trim_start_matches("mailto:")
                        .trim_start_matches("tel:");
                    let shown = &self.text[start..];
                    let bare = target
                        .trim_start_matches("https://")
                        .trim_start_matches("http://")
                        .trim_end_matches('/');
                    if !target.is_empty() && !target.starts_with('#') && !shown.contains(bare) {
                        self.push_text(&format!(" ({target})"));
                    }
                }
                if block {
                    self.push_break();
                }
            }
        }
    }

    fn push_children(&mut self, children: &[Node]) {
        for child in children {
            match child {
                Node::Text(t) => self.push_text(t),
                Node::Element(e) => self.push_element(e),
            }
        }
    }

    fn of(e: &Element) -> String {
        let mut inline = Inline::default();
        inline.push_children(&e.children);
        inline.text
    }
}

/// `text` (running text, `\n` between its lines) wrapped at `width`, without blank lines at
/// either end; a long word is left whole rather than broken.
fn wrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    for line in text.split('\n') {
        let mut out = String::new();
        let mut used = 0;
        for word in line.split(' ').filter(|w| !w.is_empty()) {
            let w = word.width();
            if used > 0 && used + 1 + w > width {
                lines.push(std::mem::take(&mut out));
                used = 0;
            }
            if used > 0 {
                out.push(' ');
                used += 1;
            }
            out.push_str(word);
            used += w;
        }
        lines.push(out.replace('\u{a0}', " "));
    }
    let first = lines
        .iter()
        .position(|l| !l.is_empty())
        .unwrap_or(lines.len());
    let last = lines
        .iter()
        .rposition(|l| !l.is_empty())
        .map_or(0, |i| i + 1);
    lines
        .get(first..last)
        .map(<[String]>::to_vec)
        .unwrap_or_default()
}

/// The lines of `children` laid out in `width`, each block apart from the next by a blank line.
fn blocks(children: &[Node], width: usize) -> Vec<String> {
    let mut out = Vec::new();
    let mut inline = Inline::default();
    let add = |out: &mut Vec<String>, lines: Vec<String>| {
        if lines.is_empty() {
            return;
        }
        if !out.is_empty() {
            out.push(String::new());
        }
        out.extend(lines);
    };
    for child in children {
        match child {
            Node::Text(t) => inline.push_text(t),
            Node::Element(e) if !is_block(&e.name) => inline.push_element(e),
            Node::Element(e) => {
                add(&mut out, wrap(&std::mem::take(&mut inline.text), width));
                add(&mut out, block(e, width));
            }
        }
    }
    add(&mut out, wrap(&inline.text, width));
    out
}

fn block(e: &Element, width: usize) -> Vec<String> {
    match e.name.as_str() {
        "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
            let mut lines = wrap(&Inline::of(e), width);
            let rule = if e.name == "h1" { "=" } else { "-" };
            let long = lines.iter().map(|l| l.width()).max().unwrap_or(0);
            if long > 0 {
                lines.push(rule.repeat(long));
            }
            lines
        }
        "ul" | "ol" => list(e, width),
        "dl" => definitions(e, width),
        "table" => table(e, width),
        "pre" => {
            let mut text = String::new();
            raw_text(e, &mut text);
            let text = text.strip_prefix('\n').unwrap_or(&text);
            text.lines().map(|l| l.trim_end().to_string()).collect()
        }
        "blockquote" => indent(blocks(&e.children, width.saturating_sub(2)), "  ", "  "),
        "hr" => vec!["-".repeat(width)],
        "head" => Vec::new(),
        _ => blocks(&e.children, width),
    }
}

/// The text inside `e` as written, white space and all.
fn raw_text(e: &Element, out: &mut String) {
    for child in &e.children {
        match child {
            Node::Text(t) => out.push_str(t),
            Node::Element(c) if c.name == "br" => out.push('\n'),
            Node::Element(c) => raw_text(c, out),
        }
    }
}

/// `lines` with `first` before the first and `rest` before each other (a blank stays blank).
fn indent(lines: Vec<String>, first: &str, rest: &str) -> Vec<String> {
    lines
        .into_iter()
        .enumerate()
        .map(|(i, line)| {
            if line.is_empty() {
                line
            } else {
                format!("{}{line}", if i == 0 { first } else { rest })
            }
        })
        .collect()
}

/// Each item on its own line, after a bullet (or its number, in an `<ol>`).
fn list(e: &Element, width: usize) -> Vec<String> {
    let mut out = Vec::new();
    for (n, item) in e.elements().enumerate() {
        let marker = if e.name == "ol" {
            format!("{}. ", n + 1)
        } else {
            "• ".to_string()
        };
        let pad = " ".repeat(marker.width());
        let content = if item.name == "li" {
            blocks(&item.children, width.saturating_sub(pad.len()))
        } else {
            block(item, width.saturating_sub(pad.len()))
        };
        out.extend(indent(content, &marker, &pad));
    }
    out
}

/// Each term in a column, its description beside it.
fn definitions(e: &Element, width: usize) -> Vec<String> {
    let label = |d: &Element| wrap(&Inline::of(d), usize::MAX).join(" ");
    let column = e
        .elements()
        .filter(|d| d.name == "dt")
        .map(|d| label(d).width())
        .filter(|w| *w <= LABEL_MOST)
        .max()
        .unwrap_or(0);
    let pad = " ".repeat(column + GAP.len());
    let mut out: Vec<String> = Vec::new();
    let mut term: Option<String> = None;
    for d in e.elements() {
        if d.name == "dt" {
            out.extend(term.take());
            term = Some(label(d));
            continue;
        }
        let lines = blocks(&d.children, width.saturating_sub(pad.len()));
        match term.take() {
            Some(t) if t.width() <= column => {
                let first = format!("{t}{}{GAP}", " ".repeat(column - t.width()));
                out.extend(indent(lines, &first, &pad));
            }
            Some(t) => {
                out.push(t);
                out.extend(indent(lines, &pad, &pad));
            }
            None => out.extend(indent(lines, &pad, &pad)),
        }
    }
    out.extend(term);
    out
}

struct Cell {
    text: String,
    /// An amount: right-aligned.
    num: bool,
}

struct Row {
    cells: Vec<Cell>,
    header: bool,
    rule_above: bool,
}

/// The table in columns as wide as their widest cell (wrapped if the page is too narrow), with a
/// rule under the heading rows and above a row of class `total` or a `<tfoot>`.
fn table(e: &Element, width: usize) -> Vec<String> {
    let mut rows = Vec::new();
    let mut caption = Vec::new();
    collect_rows(e, false, &mut rows, &mut caption);
    let columns = rows.iter().map(|r| r.cells.len()).max().unwrap_or(0);
    let mut widths = vec![0; columns];
    let mut least = vec![0; columns];
    for row in &rows {
        for (i, cell) in row.cells.iter().enumerate() {
            for line in cell.text.split('\n') {
                widths[i] = widths[i].max(line.trim().width());
                let longest_word = line.split(' ').map(str::width).max().unwrap_or(0);
                least[i] = least[i].max(longest_word);
            }
        }
    }
    // Too wide for the page: narrow the widest column that can be, a column at a time.
    let total =
        |widths: &[usize]| widths.iter().sum::<usize>() + GAP.len() * columns.saturating_sub(1);
    while total(&widths) > width {
        let Some(i) = (0..columns)
            .filter(|&i| widths[i] > least[i])
            .max_by_key(|&i| widths[i])
        else {
            break;
        };
        widths[i] -= 1;
    }
    let rule = widths
        .iter()
        .map(|w| "-".repeat(*w))
        .collect::<Vec<_>>()
        .join(GAP);
    let mut out = caption;
    let mut after_header = false;
    for row in &rows {
        if after_header && !row.header || row.rule_above && !out.is_empty() {
            out.push(rule.clone());
        }
        after_header = row.header;
        let cells: Vec<Vec<String>> = row
            .cells
            .iter()
            .zip(&widths)
            .map(|(c, w)| wrap(&c.text, *w))
            .collect();
        let height = cells.iter().map(Vec::len).max().unwrap_or(0).max(1);
        for n in 0..height {
            let line = (0..columns)
                .map(|i| {
                    let text = cells
                        .get(i)
                        .and_then(|c| c.get(n))
                        .map_or("", String::as_str);
                    let pad = " ".repeat(widths[i].saturating_sub(text.width()));
                    if row.cells.get(i).is_some_and(|c| c.num) {
                        format!("{pad}{text}")
                    } else {
                        format!("{text}{pad}")
                    }
                })
                .collect::<Vec<_>>()
                .join(GAP);
            out.push(line.trim_end().to_string());
        }
    }
    if after_header {
        out.push(rule);
    }
    out
}

fn collect_rows(e: &Element, header: bool, rows: &mut Vec<Row>, caption: &mut Vec<String>) {
    for child in e.elements() {
        match child.name.as_str() {
            "caption" => caption.extend(wrap(&Inline::of(child), WIDTH)),
            "thead" => collect_rows(child, true, rows, caption),
            "tfoot" => {
                let first = rows.len();
                collect_rows(child, false, rows, caption);
                if let Some(row) = rows.get_mut(first) {
                    row.rule_above = true;
                }
            }
            "tbody" => collect_rows(child, false, rows, caption),
            "tr" => {
                let cells: Vec<Cell> = child
                    .elements()
                    .filter(|c| c.name == "td" || c.name == "th")
                    .map(|c| Cell {
                        text: Inline::of(c),
                        num: c.has_class("num"),
                    })
                    .collect();
                let all_th = child.elements().all(|c| c.name == "th");
                rows.push(Row {
                    header: header || (all_th && !cells.is_empty()),
                    rule_above: child.has_class("total"),
                    cells,
                });
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_wrap_at_the_page_and_breaks_keep_their_lines() {
        let words = "word ".repeat(30);
        let text = as_text(&format!(
            "<p>{words}</p>\n<p class=\"to\">Mrs  Ada\n Morgan<br>14 Chapel Row<br></p>\
             <p>Yours sincerely,<br><br>Terry</p>"
        ));
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines.iter().all(|l| l.width() <= WIDTH), "{text}");
        assert_eq!(lines[0].len(), 74, "{text}");
        assert_eq!(
            &lines[2..],
            [
                "",
                "Mrs Ada Morgan",
                "14 Chapel Row",
                "",
                "Yours sincerely,",
                "",
                "Terry"
            ],
            "{text}"
        );
    }

    #[test]
    fn character_references_are_decoded_and_what_is_not_shown_is_left_out() {
        let text = as_text(
            "<!DOCTYPE html><html><head><title>Not this</title><style>p { x: '</p>' }</style>\
             <script>if (a < b) {}</script></head><body><!-- nor <p>this</p> -->\
             <p>&pound;12&#46;50 &amp; &#xA3;3 &ndash; a&nbsp;b &nosuch; AT&T &lt;ok&gt;</p></body></html>",
        );
        assert_eq!(text, "£12.50 & £3 – a b &nosuch; AT&T <ok>\n");
    }

    #[test]
    fn unclosed_items_rows_and_cells_close_as_a_browser_closes_them() {
        let text = as_text(
            "<ol><li>one<li>two</ol><p>open paragraph<div>a block</div>\
             <table><tr><th>A<th class=num>B<tr><td>x<td class=num>1.00</table>",
        );
        assert_eq!(
            text,
            "1. one\n2. two\n\nopen paragraph\n\na block\n\nA     B\n-  ----\nx  1.00\n"
        );
    }

    #[test]
    fn a_table_too_wide_for_the_page_wraps_its_widest_column() {
        let long = "a long description of what was paid and why ".repeat(3);
        let text = as_text(&format!(
            "<table><thead><tr><th>Date</th><th>Description</th><th class=\"num\">Paid</th></tr></thead>\
             <tbody><tr><td>01/11/2026</td><td>{long}</td><td class=\"num\">£5.00</td></tr>\
             <tr class=\"total\"><td></td><td>Total</td><td class=\"num\">£5.00</td></tr></tbody></table>"
        ));
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines.iter().all(|l| l.width() <= WIDTH), "{text}");
        assert!(lines[2].starts_with("01/11/2026  a long"), "{text}");
        assert!(lines[2].ends_with("£5.00"), "{text}");
        assert!(lines[3].starts_with("            "), "{text}");
        assert_eq!(
            lines[lines.len() - 2],
            lines[1],
            "a rule above the totals: {text}"
        );
        let total = lines[lines.len() - 1];
        assert!(
            total.contains("  Total  ") && total.ends_with("£5.00"),
            "{text}"
        );
    }

    #[test]
    fn a_link_shows_where_it_goes_unless_its_words_say_it() {
        let text = as_text(
            "<p><a href=\"https://example.org/pay\">Pay online</a>, \
             <a href=\"mailto:rents@example.org\">rents@example.org</a>, \
             <a href=\"https://example.org/\">example.org</a></p>",
        );
        assert_eq!(
            text,
            "Pay online (https://example.org/pay), rents@example.org, example.org\n"
        );
    }

    #[test]
    fn terms_line_up_and_a_long_one_stands_on_its_own_line() {
        let text = as_text(
            "<dl><dt>Date</dt><dd>23 November 2026</dd><dt>Rent reference</dt><dd>300001/1</dd>\
             <dt>A term far too long to stand beside its description</dt><dd>yes</dd></dl>",
        );
        assert_eq!(
            text,
            "Date            23 November 2026\nRent reference  300001/1\n\
             A term far too long to stand beside its description\n                yes\n"
        );
    }
}
