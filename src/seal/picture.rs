//! The stamp picture carried in a seal (SES_ESPictrueInfo), and what format it is in.

use core::fmt;

/// The stamp picture of a seal: its declared type, the image bytes and the display size.
///
/// The type is case-insensitive in practice (D4): real seals write `"png"`, `"PNG"`, `"GIF"`,
/// and `"ofd"` for tax seals, whose picture is a whole OFD package.
#[derive(Clone, PartialEq, Eq)]
pub struct Picture {
    /// The type string exactly as written in the seal.
    pub kind: String,
    /// The image bytes (for type `ofd`, an OFD zip package).
    pub data: Vec<u8>,
    /// The display width in millimetres.
    pub width: i64,
    /// The display height in millimetres.
    pub height: i64,
}

impl Picture {
    /// A picture of the given format, bytes and size in millimetres.
    pub fn new(format: PictureFormat, data: Vec<u8>, width: i64, height: i64) -> Self {
        Self {
            kind: format.name().to_string(),
            data,
            width,
            height,
        }
    }

    /// The format the type string names, read case-insensitively; `None` for an unknown name.
    pub fn format(&self) -> Option<PictureFormat> {
        PictureFormat::from_name(&self.kind)
    }

    /// The format the bytes themselves show (by their magic number), whatever the type says.
    pub fn sniffed_format(&self) -> Option<PictureFormat> {
        PictureFormat::sniff(&self.data)
    }
}

impl fmt::Debug for Picture {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Picture")
            .field("kind", &self.kind)
            .field("data_len", &self.data.len())
            .field("width", &self.width)
            .field("height", &self.height)
            .finish()
    }
}

/// An image format a seal picture can have.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PictureFormat {
    /// PNG.
    Png,
    /// JPEG (the standard's name is `JPG`).
    Jpg,
    /// GIF.
    Gif,
    /// BMP.
    Bmp,
    /// SVG.
    Svg,
    /// A whole OFD package (a zip file) used as the stamp image (D4).
    Ofd,
}

impl PictureFormat {
    /// The name written into seals this library makes: `PNG`, `JPG`, `GIF`, `BMP`, `SVG`, `OFD`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Png => "PNG",
            Self::Jpg => "JPG",
            Self::Gif => "GIF",
            Self::Bmp => "BMP",
            Self::Svg => "SVG",
            Self::Ofd => "OFD",
        }
    }

    /// The usual file extension, in lower case.
    pub fn extension(self) -> &'static str {
        match self {
            Self::Png => "png",
            Self::Jpg => "jpg",
            Self::Gif => "gif",
            Self::Bmp => "bmp",
            Self::Svg => "svg",
            Self::Ofd => "ofd",
        }
    }

    /// The format a type string names, case-insensitively (`JPEG` is read as `JPG`).
    pub fn from_name(name: &str) -> Option<Self> {
        let upper = name.trim().to_ascii_uppercase();
        Some(match upper.as_str() {
            "PNG" => Self::Png,
            "JPG" | "JPEG" => Self::Jpg,
            "GIF" => Self::Gif,
            "BMP" => Self::Bmp,
            "SVG" => Self::Svg,
            "OFD" => Self::Ofd,
            _ => return None,
        })
    }

    /// The format `bytes` start like: PNG, JPEG, GIF and BMP signatures, a zip header (OFD), or
    /// an XML/SVG start.
    pub fn sniff(bytes: &[u8]) -> Option<Self> {
        const SIGNATURES: [(&[u8], PictureFormat); 7] = [
            (b"\x89PNG\r\n\x1a\n", PictureFormat::Png),
            (b"\xff\xd8\xff", PictureFormat::Jpg),
            (b"GIF87a", PictureFormat::Gif),
            (b"GIF89a", PictureFormat::Gif),
            (b"BM", PictureFormat::Bmp),
            (b"PK\x03\x04", PictureFormat::Ofd),
            (b"<svg", PictureFormat::Svg),
        ];
        if let Some((_, format)) = SIGNATURES
            .iter()
            .find(|(magic, _)| bytes.starts_with(magic))
        {
            return Some(*format);
        }
        let head = bytes.get(..bytes.len().min(512)).unwrap_or_default();
        let head = String::from_utf8_lossy(head);
        (head.trim_start().starts_with("<?xml") && head.contains("<svg")).then_some(Self::Svg)
    }

    /// Whether the standard spells this format's name in the seal (every one but OFD, which
    /// only real tax seals use, D4).
    pub(super) fn is_standard_name(name: &str) -> bool {
        matches!(name, "PNG" | "JPG" | "GIF" | "BMP" | "SVG")
    }
}

impl fmt::Display for PictureFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_case_insensitive_d4() {
        assert_eq!(PictureFormat::from_name("png"), Some(PictureFormat::Png));
        assert_eq!(PictureFormat::from_name("ofd"), Some(PictureFormat::Ofd));
        assert_eq!(PictureFormat::from_name("jpeg"), Some(PictureFormat::Jpg));
        assert_eq!(PictureFormat::from_name("tiff"), None);
    }

    #[test]
    fn sniffing() {
        assert_eq!(
            PictureFormat::sniff(b"\x89PNG\r\n\x1a\nrest"),
            Some(PictureFormat::Png)
        );
        assert_eq!(
            PictureFormat::sniff(b"PK\x03\x04...."),
            Some(PictureFormat::Ofd)
        );
        assert_eq!(
            PictureFormat::sniff(b"<?xml version=\"1.0\"?><svg/>"),
            Some(PictureFormat::Svg)
        );
        assert_eq!(PictureFormat::sniff(b"\x00\x01"), None);
    }
}
