//! A small element tree over quick-xml, enough for the OFD parts this module reads
//! (`OFD.xml`, `Signatures.xml`, `Signature.xml`).
//!
//! Names are compared by local name: real packages use the `ofd:` prefix bound to
//! `http://www.ofdspec.org/2016` or to `http://www.ofdspec.org`, and GB/T 33190 examples
//! also appear without a prefix (SEAL-SPEC D17), so the namespace is not checked.

use quick_xml::Reader;
use quick_xml::events::{BytesStart, Event};

use super::OfdError;

/// The deepest element nesting accepted; OFD signature parts nest 5 levels.
pub const MAX_XML_DEPTH: usize = 64;
/// The most elements accepted in one part; a Signature.xml has about 4 per referenced file.
pub const MAX_XML_ELEMENTS: usize = 200_000;

/// An element: its local name, attributes (local names, values unescaped), child elements
/// and text (unescaped, the text nodes joined).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Element {
    name: String,
    attributes: Vec<(String, String)>,
    children: Vec<Element>,
    text: String,
}

impl Element {
    /// Parses a whole XML part (UTF-8, an optional byte-order mark) into its root element.
    pub(crate) fn parse(part: &str, bytes: &[u8]) -> Result<Self, OfdError> {
        let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
        let xml_error = |reason: String| OfdError::Xml {
            part: part.to_owned(),
            reason,
        };
        let text = std::str::from_utf8(bytes).map_err(|e| xml_error(e.to_string()))?;
        let mut reader = Reader::from_str(text);
        let mut stack: Vec<Element> = Vec::new();
        let mut count = 0usize;
        loop {
            let event = reader
                .read_event()
                .map_err(|e| xml_error(format!("at byte {}: {e}", reader.error_position())))?;
            match event {
                Event::Start(_) | Event::Empty(_) if stack.len() >= MAX_XML_DEPTH => {
                    return Err(too_large(part, "levels of nesting", MAX_XML_DEPTH));
                }
                Event::Start(start) => {
                    count = counted(part, count)?;
                    stack.push(Self::open(&start).map_err(xml_error)?);
                }
                Event::Empty(start) => {
                    count = counted(part, count)?;
                    let element = Self::open(&start).map_err(xml_error)?;
                    if let Some(root) = attach(&mut stack, element) {
                        return finish(part, &mut reader, root);
                    }
                }
                Event::End(_) => {
                    // quick-xml checks that end names match their start.
                    let Some(element) = stack.pop() else {
                        return Err(xml_error("an end tag without a start".to_owned()));
                    };
                    if let Some(root) = attach(&mut stack, element) {
                        return finish(part, &mut reader, root);
                    }
                }
                Event::Text(text) => {
                    if let Some(open) = stack.last_mut() {
                        open.text.push_str(&text.xml10_content());
                    }
                }
                Event::CData(data) => {
                    if let Some(open) = stack.last_mut() {
                        open.text.push_str(&data.xml10_content());
                    }
                }
                Event::GeneralRef(reference) => {
                    if let Some(open) = stack.last_mut() {
                        open.text
                            .push(resolve_reference(&reference).map_err(xml_error)?);
                    }
                }
                Event::Eof => {
                    return Err(xml_error("the document ends inside an element".to_owned()));
                }
                Event::Decl(_) | Event::PI(_) | Event::Comment(_) | Event::DocType(_) => {}
            }
        }
    }

    fn open(start: &BytesStart<'_>) -> Result<Self, String> {
        let name = local(start.name().as_ref());
        let mut attributes = Vec::new();
        for attribute in start.attributes() {
            let attribute = attribute.map_err(|e| e.to_string())?;
            let key = attribute.key.as_ref();
            if key == "xmlns" || key.starts_with("xmlns:") {
                continue;
            }
            let value = attribute
                .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                .map_err(|e| e.to_string())?;
            attributes.push((local(key), value.into_owned()));
        }
        Ok(Self {
            name,
            attributes,
            ..Self::default()
        })
    }

    /// The local name (without prefix).
    pub(crate) fn name(&self) -> &str {
        &self.name
    }

    /// The child elements, in document order.
    pub(crate) fn children(&self) -> impl Iterator<Item = &Element> {
        self.children.iter()
    }

    /// The first child element with local name `name`.
    pub(crate) fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|child| child.name == name)
    }

    /// The child elements with local name `name`, in document order.
    pub(crate) fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> {
        self.children.iter().filter(move |child| child.name == name)
    }

    /// The value of the attribute with local name `name`.
    pub(crate) fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    }

    /// The text content, without leading and trailing white space.
    pub(crate) fn text(&self) -> &str {
        self.text.trim()
    }

    /// The trimmed text of the child `name`, if it has that child and the text is not empty.
    pub(crate) fn child_text(&self, name: &str) -> Option<&str> {
        self.child(name)
            .map(Element::text)
            .filter(|text| !text.is_empty())
    }
}

/// Adds a closed element to its parent, or returns it if it is the root.
fn attach(stack: &mut [Element], element: Element) -> Option<Element> {
    match stack.last_mut() {
        Some(parent) => {
            parent.children.push(element);
            None
        }
        None => Some(element),
    }
}

/// After the root: only comments, processing instructions and white space may follow.
fn finish(part: &str, reader: &mut Reader<&[u8]>, root: Element) -> Result<Element, OfdError> {
    loop {
        let event = reader.read_event().map_err(|e| OfdError::Xml {
            part: part.to_owned(),
            reason: e.to_string(),
        })?;
        match event {
            Event::Eof => return Ok(root),
            Event::Comment(_) | Event::PI(_) => {}
            Event::Text(text) if text.trim().is_empty() => {}
            _ => {
                return Err(OfdError::Xml {
                    part: part.to_owned(),
                    reason: "content after the root element".to_owned(),
                });
            }
        }
    }
}

fn counted(part: &str, count: usize) -> Result<usize, OfdError> {
    if count >= MAX_XML_ELEMENTS {
        return Err(too_large(part, "elements", MAX_XML_ELEMENTS));
    }
    Ok(count + 1)
}

fn too_large(part: &str, what: &'static str, limit: usize) -> OfdError {
    OfdError::XmlTooLarge {
        part: part.to_owned(),
        what,
        limit,
    }
}

/// The local part of a qualified name.
fn local(name: &str) -> String {
    name.rsplit_once(':')
        .map_or(name, |(_, local)| local)
        .to_owned()
}

/// A character reference or one of the five predefined entities (XML 1.0 §4.6); documents
/// cannot define others here because DOCTYPE declarations are not interpreted.
fn resolve_reference(reference: &quick_xml::events::BytesRef<'_>) -> Result<char, String> {
    if let Some(character) = reference.resolve_char_ref().map_err(|e| e.to_string())? {
        return Ok(character);
    }
    quick_xml::escape::resolve_predefined_entity(reference)
        .and_then(|text| text.chars().next())
        .ok_or_else(|| format!("the entity &{}; is not defined", &**reference))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixed_and_unprefixed_names_read_alike() {
        let with = br#"<?xml version="1.0"?><ofd:A xmlns:ofd="http://www.ofdspec.org/2016" ofd:X="1"><ofd:B>t &amp; u&#x41;</ofd:B></ofd:A>"#;
        let without = br#"<A xmlns="http://www.ofdspec.org" X="1"><B>t &amp; uA</B></A>"#;
        let a = Element::parse("a", with).unwrap();
        let b = Element::parse("b", without).unwrap();
        assert_eq!(a, b);
        assert_eq!(a.child_text("B"), Some("t & uA"));
        assert_eq!(a.attribute("X"), Some("1"));
    }

    #[test]
    fn malformed_documents_are_rejected() {
        for bad in [
            &b"<A><B></A>"[..],
            b"<A>",
            b"",
            b"<A/><B/>",
            b"<A>&foo;</A>",
            b"\xff<A/>",
        ] {
            assert!(
                matches!(Element::parse("p", bad), Err(OfdError::Xml { .. })),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn nesting_and_element_limits() {
        let deep = "<a>".repeat(MAX_XML_DEPTH + 1) + &"</a>".repeat(MAX_XML_DEPTH + 1);
        assert_eq!(
            Element::parse("p", deep.as_bytes()).unwrap_err(),
            too_large("p", "levels of nesting", MAX_XML_DEPTH)
        );
        let wide = format!("<a>{}</a>", "<b/>".repeat(MAX_XML_ELEMENTS));
        assert_eq!(
            Element::parse("p", wide.as_bytes()).unwrap_err(),
            too_large("p", "elements", MAX_XML_ELEMENTS)
        );
    }
}
