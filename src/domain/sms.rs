//! How long a text message is, as a phone network counts it. A message in the GSM 03.38 default
//! alphabet takes 7 bits a character: 160 fit in one message, and a longer one is sent in parts
//! of 153 (each part gives 7 characters to the header that joins them). The extension table's
//! characters (`€ [ ] { } \ ^ ~ |` and form feed) take two (an escape, then the character), and
//! never straddle two parts. A single character outside the alphabet (a curly quote, an emoji)
//! sends the whole message as UCS-2: 70 UTF-16 units, or parts of 67, a surrogate pair never split.

/// The default alphabet, in code order (0x1B, the escape, is not a character of its own).
const BASIC: &str = "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?\
                     ¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà";

/// The extension table: each takes an escape and itself.
const EXTENSION: &str = "\u{c}^{}\\[~]|€";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    Gsm7,
    Ucs2,
}

/// A message's length in its encoding's units and the parts it is sent in.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Size {
    pub encoding: Encoding,
    /// Septets for GSM-7 (an extension character counts two), UTF-16 units for UCS-2.
    pub units: usize,
    pub segments: usize,
}

impl Size {
    pub fn of(text: &str) -> Size {
        let gsm: Option<Vec<usize>> = text.chars().map(septets).collect();
        let (encoding, widths, single, part) = match gsm {
            Some(widths) => (Encoding::Gsm7, widths, 160, 153),
            None => (
                Encoding::Ucs2,
                text.chars().map(char::len_utf16).collect(),
                70,
                67,
            ),
        };
        let units = widths.iter().sum();
        let segments = if units == 0 {
            0
        } else if units <= single {
            1
        } else {
            // Parts are filled in order; a character that does not fit whole starts the next.
            let mut segments = 1;
            let mut used = 0;
            for w in widths {
                if used + w > part {
                    segments += 1;
                    used = 0;
                }
                used += w;
            }
            segments
        };
        Size {
            encoding,
            units,
            segments,
        }
    }

    /// "148 characters, 1 message" or "172 characters, 2 messages (Unicode: ’)".
    pub fn describe(&self, text: &str) -> String {
        let parts = if self.segments == 1 {
            "1 message".to_string()
        } else {
            format!("{} messages", self.segments)
        };
        match self.encoding {
            Encoding::Gsm7 => format!("{} characters, {parts}", self.units),
            Encoding::Ucs2 => format!(
                "{} characters, {parts}, sent as Unicode because of {}",
                self.units,
                outside(text)
                    .map(|c| format!("“{c}”"))
                    .collect::<Vec<_>>()
                    .join(" ")
            ),
        }
    }
}

/// Septets a character takes in GSM-7, or `None` if it is not in the alphabet.
fn septets(c: char) -> Option<usize> {
    if BASIC.contains(c) {
        Some(1)
    } else if EXTENSION.contains(c) {
        Some(2)
    } else {
        None
    }
}

/// The characters (each once) that force a message out of the GSM alphabet.
pub fn outside(text: &str) -> impl Iterator<Item = char> + '_ {
    text.char_indices()
        .filter(|(_, c)| septets(*c).is_none())
        .filter(move |(i, c)| !text[..*i].contains(*c))
        .map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_alphabet_has_its_128_places() {
        // 127 characters and the escape's place.
        assert_eq!(BASIC.chars().count(), 127);
        assert_eq!(EXTENSION.chars().count(), 10);
    }

    #[test]
    fn one_message_holds_160_and_longer_ones_go_in_parts_of_153() {
        let at = |n: usize| Size::of(&"a".repeat(n));
        assert_eq!(at(0).segments, 0);
        assert_eq!(at(160).segments, 1);
        assert_eq!(at(161).segments, 2);
        assert_eq!(at(306).segments, 2);
        assert_eq!(at(307).segments, 3);
        assert_eq!(at(160).encoding, Encoding::Gsm7);
    }

    #[test]
    fn extension_characters_count_two_and_are_never_split() {
        // 159 plain and a euro: 161 septets, two parts.
        let text = format!("{}€", "a".repeat(159));
        assert_eq!(
            Size::of(&text),
            Size {
                encoding: Encoding::Gsm7,
                units: 161,
                segments: 2
            }
        );
        // 152 plain then a euro: the euro does not fit in the first part's last septet.
        let text = format!("{}€{}", "a".repeat(152), "b".repeat(152));
        let size = Size::of(&text);
        assert_eq!(size.units, 306);
        assert_eq!(size.segments, 3);
        // £ is in the basic alphabet: one septet.
        assert_eq!(Size::of("£10.00").units, 6);
    }

    #[test]
    fn a_character_outside_the_alphabet_makes_it_unicode() {
        let text = format!("We’ve written {}", "a".repeat(56));
        let size = Size::of(&text);
        assert_eq!(size.encoding, Encoding::Ucs2);
        assert_eq!(size.units, 70);
        assert_eq!(size.segments, 1);
        let longer = format!("{text}a");
        assert_eq!(Size::of(&longer).segments, 2);
        assert!(
            size.describe(&text).contains("“’”"),
            "{}",
            size.describe(&text)
        );
        // An emoji is two UTF-16 units.
        assert_eq!(Size::of("🙂").units, 2);
        assert_eq!(
            Size::of("hello").describe("hello"),
            "5 characters, 1 message"
        );
    }
}
