//! lodash's `kebabCase`, which OPA on AWS's `opa:get-component-info` applies to a component
//! name: the string split into words as lodash's `words` does (case changes, digits, ordinals
//! and separators), joined lower-case with `-`.
//!
//! ASCII and Latin-1 follow lodash 4.17 exactly: `deburr` (Latin-1 letters folded to ASCII,
//! combining marks dropped), apostrophes dropped, then its `reUnicodeWord` alternatives, tried in
//! order at each position. Whitespace and general punctuation (U+2000–U+206F, U+0080–U+00BF,
//! `×`, `÷`) separate words, and any other letter is one of lodash's "misc" characters, which
//! join either case. Unlike lodash, Latin Extended-A letters (`ł`, `ő`…) are not folded and
//! emoji are dropped rather than kept as words.

/// What a character is to lodash's word pattern.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Class {
    Upper,
    Lower,
    Digit,
    Break,
    Misc,
}

fn class(c: char) -> Class {
    match c {
        'A'..='Z' => Class::Upper,
        'a'..='z' => Class::Lower,
        '0'..='9' => Class::Digit,
        _ if c.is_ascii() => Class::Break,
        '\u{80}'..='\u{bf}' | '\u{d7}' | '\u{f7}' | '\u{2000}'..='\u{206f}' => Class::Break,
        // Dingbats and astral characters (emoji) are neither words nor misc letters in lodash.
        '\u{2700}'..='\u{27bf}' | '\u{10000}'.. => Class::Break,
        _ if c.is_whitespace() => Class::Break,
        _ => Class::Misc,
    }
}

/// `kebabCase(text)` as lodash computes it.
pub fn kebab_case(text: &str) -> String {
    let mut chars = Vec::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\'' | '\u{2019}' => {}
            '\u{300}'..='\u{36f}' | '\u{fe20}'..='\u{fe2f}' | '\u{20d0}'..='\u{20ff}' => {}
            _ => match deburr(c) {
                Some(folded) => chars.extend(folded.chars()),
                None => chars.push(c),
            },
        }
    }
    words(&chars)
        .into_iter()
        .map(|w| w.iter().collect::<String>().to_lowercase())
        .collect::<Vec<_>>()
        .join("-")
}

/// lodash's `deburr` of a Latin-1 letter.
fn deburr(c: char) -> Option<&'static str> {
    Some(match c {
        '\u{c0}'..='\u{c5}' => "A",
        '\u{e0}'..='\u{e5}' => "a",
        '\u{c7}' => "C",
        '\u{e7}' => "c",
        '\u{d0}' => "D",
        '\u{f0}' => "d",
        '\u{c8}'..='\u{cb}' => "E",
        '\u{e8}'..='\u{eb}' => "e",
        '\u{cc}'..='\u{cf}' => "I",
        '\u{ec}'..='\u{ef}' => "i",
        '\u{d1}' => "N",
        '\u{f1}' => "n",
        '\u{d2}'..='\u{d6}' | '\u{d8}' => "O",
        '\u{f2}'..='\u{f6}' | '\u{f8}' => "o",
        '\u{d9}'..='\u{dc}' => "U",
        '\u{f9}'..='\u{fc}' => "u",
        '\u{dd}' => "Y",
        '\u{fd}' | '\u{ff}' => "y",
        '\u{c6}' => "Ae",
        '\u{e6}' => "ae",
        '\u{de}' => "Th",
        '\u{fe}' => "th",
        '\u{df}' => "ss",
        _ => return None,
    })
}

/// lodash's `unicodeWords`: at each position the first alternative that matches wins; a
/// position where none matches is skipped.
fn words(chars: &[char]) -> Vec<&[char]> {
    let classes: Vec<Class> = chars.iter().map(|&c| class(c)).collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        match word_at(chars, &classes, i) {
            Some(end) => {
                out.push(&chars[i..end]);
                i = end;
            }
            None => i += 1,
        }
    }
    out
}

/// The end of the word starting at `i`, trying lodash's alternatives in their order.
fn word_at(chars: &[char], classes: &[Class], i: usize) -> Option<usize> {
    let at = |k: usize| classes.get(k).copied();
    let run = |from: usize, ok: &dyn Fn(Class) -> bool| {
        let mut k = from;
        while at(k).is_some_and(ok) {
            k += 1;
        }
        k
    };
    let is_lower = |c: Class| c == Class::Lower;
    let misc_lower = |c: Class| matches!(c, Class::Lower | Class::Misc);
    let misc_upper = |c: Class| matches!(c, Class::Upper | Class::Misc);

    // 1. rsUpper? rsLower+ (?= rsBreak | rsUpper | $)
    let start = if at(i) == Some(Class::Upper) {
        i + 1
    } else {
        i
    };
    let end = run(start, &is_lower);
    if end > start && matches!(at(end), None | Some(Class::Break | Class::Upper)) {
        return Some(end);
    }
    // 2. rsMiscUpper+ (?= rsBreak | rsUpper rsMiscLower | $), backtracking to the longest run
    // whose lookahead holds.
    let longest = run(i, &misc_upper);
    for end in (i + 1..=longest).rev() {
        let ahead = match at(end) {
            None | Some(Class::Break) => true,
            Some(Class::Upper) => at(end + 1).is_some_and(misc_lower),
            _ => false,
        };
        if ahead {
            return Some(end);
        }
    }
    // 3. rsUpper? rsMiscLower+
    let start = if at(i) == Some(Class::Upper) && at(i + 1).is_some_and(misc_lower) {
        i + 1
    } else {
        i
    };
    let end = run(start, &misc_lower);
    if end > start {
        return Some(end);
    }
    // 4. rsUpper+
    let end = run(i, &|c| c == Class::Upper);
    if end > i {
        return Some(end);
    }
    // 5./6. ordinals (1ST, 2nd, 4th…), then 7. digits.
    if let Some(end) = ordinal(chars, i, true).or_else(|| ordinal(chars, i, false)) {
        return Some(end);
    }
    let end = run(i, &|c| c == Class::Digit);
    (end > i).then_some(end)
}

/// `\d*(?:1st|2nd|3rd|(?![123])\dth)(?=\b|[A-Z_])` (lower) or its upper-case twin
/// `\d*(?:1ST|2ND|3RD|(?![123])\dTH)(?=\b|[a-z_])`, backtracking over the digits.
fn ordinal(chars: &[char], i: usize, upper: bool) -> Option<usize> {
    let digits = chars[i..].iter().take_while(|c| c.is_ascii_digit()).count();
    let word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    for n in (0..digits).rev() {
        let d = chars[i + n];
        let suffix = match d {
            '1' => "st",
            '2' => "nd",
            '3' => "rd",
            _ => "th",
        };
        let s: Vec<char> = suffix.chars().collect();
        let found = chars.get(i + n + 1..i + n + 3).is_some_and(|got| {
            got.iter().zip(&s).all(|(g, want)| {
                if upper {
                    *g == want.to_ascii_uppercase()
                } else {
                    g == want
                }
            })
        });
        if !found {
            continue;
        }
        let end = i + n + 3;
        // (?=\b|…): a word boundary after the suffix's last letter, or the other case's letter.
        let ahead = match chars.get(end) {
            None => true,
            Some(&c) if !word(c) => true,
            Some(&c) => {
                c == '_' || (upper && c.is_ascii_lowercase()) || (!upper && c.is_ascii_uppercase())
            }
        };
        if ahead {
            return Some(end);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::kebab_case;

    /// Expected values from lodash 4.18.1's `kebabCase` under Node.
    #[test]
    fn matches_lodash() {
        let cases = [
            ("myComponent", "my-component"),
            ("Foo Bar", "foo-bar"),
            ("fooBar", "foo-bar"),
            ("__FOO_BAR__", "foo-bar"),
            ("XMLHttpRequest", "xml-http-request"),
            ("foo2bar", "foo-2-bar"),
            ("version1.2.3", "version-1-2-3"),
            ("already-kebab", "already-kebab"),
            ("snake_case_name", "snake-case-name"),
            ("orders-API-v2", "orders-api-v-2"),
            ("ABCdef", "ab-cdef"),
            ("isHTML5Ready", "is-html-5-ready"),
            ("the1stPlace", "the-1st-place"),
            ("21ST century", "21st-century"),
            ("11th", "11-th"),
            ("it's mine", "its-mine"),
            ("  spaced  out  ", "spaced-out"),
            ("", ""),
            ("123", "123"),
            ("a", "a"),
            ("A", "a"),
            ("ÀB", "ab"),
            ("1ST2ndThing", "1-st-2nd-thing"),
            ("x3RDy", "x-3rd-y"),
            ("4THa", "4th-a"),
            ("a4th_b", "a-4th-b"),
            ("ÄpfelSaft", "apfel-saft"),
            ("ПриветМир", "приветмир"),
            ("日本語Name", "日本語-name"),
            ("fooBAR", "foo-bar"),
            ("FOObar", "fo-obar"),
            ("a1b2c3", "a-1-b-2-c-3"),
            ("HTTPServer2Go", "http-server-2-go"),
        ];
        for (input, want) in cases {
            assert_eq!(kebab_case(input), want, "kebabCase({input:?})");
        }
    }
}
