/// Masks personal data a resident types by mistake before it is stored, logged or shown:
/// a BSN (9 digits passing the 11-test), an IBAN (mod-97 valid), and a password after words
/// such as "wachtwoord" or "password".
///
/// ```swift
/// PrivacyFilter.mask("mijn bsn is 111222333") // "mijn bsn is [BSN]"
/// ```
public enum PrivacyFilter {
    /// Words after which the next word is treated as a password.
    static let passwordCues: Set<String> = [
        "wachtwoord", "wachtwoord:", "password", "password:", "paswoord", "ww", "ww:", "pincode", "pin", "pin:", "wachtwoort", "code",
    ]
    static let filler: Set<String> = ["is", "=", ":", "was", "are", "luidt", "het", "mijn", "my", "de"]

    /// The text with BSNs, IBANs and passwords replaced by `[BSN]`, `[IBAN]`, `[WACHTWOORD]`.
    public static func mask(_ text: String) -> String {
        // Split into words and the whitespace between them, so line breaks and tabs survive.
        var parts: [(word: String, gap: String)] = []
        var word = ""
        var gap = ""
        for ch in text {
            if ch.isWhitespace {
                gap.append(ch)
            } else {
                if !gap.isEmpty || parts.isEmpty && word.isEmpty && !gap.isEmpty {
                    parts.append((word, gap))
                    word = ""
                    gap = ""
                }
                word.append(ch)
            }
        }
        parts.append((word, gap))
        var words = parts.map(\.word)
        // IBANs are often written in groups of four: join candidates first.
        var i = 0
        while i < words.count {
            if let length = ibanLength(words, from: i) {
                let trailing = trailingPunctuation(words[i + length - 1])
                for k in (i + 1)..<(i + length) { words[k] = "" }
                words[i] = "[IBAN]" + trailing
            } else if let length = bsnLength(words, from: i) {
                let trailing = trailingPunctuation(words[i + length - 1])
                for k in i..<(i + length) { words[k] = "" }
                words[i] = "[BSN]" + trailing
            }
            i += 1
        }
        var expectPassword = false
        for index in words.indices where !words[index].isEmpty {
            let folded = words[index].lowercased().trimmingCharacters(in: .punctuationCharacters)
            if expectPassword {
                if filler.contains(folded) || folded.isEmpty { continue }
                words[index] = "[WACHTWOORD]"
                expectPassword = false
                continue
            }
            let bare = words[index].lowercased()
            if passwordCues.contains(bare) || passwordCues.contains(folded) {
                expectPassword = true
            } else if let separator = bare.firstIndex(where: { $0 == ":" || $0 == "=" }), passwordCues.contains(String(bare[..<separator])),
                bare.index(after: separator) < bare.endIndex
            {
                // "wachtwoord:geheim", "password=hunter2"
                words[index] = String(words[index][..<words[index].index(after: separator)]) + "[WACHTWOORD]"
            }
        }
        var result = ""
        for (index, part) in parts.enumerated() {
            result += words[index]
            // Words swallowed into an IBAN also drop the gap before them.
            if index + 1 < parts.count, words[index + 1].isEmpty, !parts[index + 1].word.isEmpty { continue }
            result += part.gap
        }
        return result
    }

    private static func trailingPunctuation(_ word: String) -> String {
        String(word.reversed().prefix { ".,;:!?)".contains($0) }.reversed())
    }

    /// If words starting at `start` form a BSN, possibly written in groups ("111 222 333"), how many words.
    static func bsnLength(_ words: [String], from start: Int) -> Int? {
        var joined = ""
        for count in 1...min(3, words.count - start) {
            let word = words[start + count - 1]
            guard !word.isEmpty, word.allSatisfy({ $0.isNumber || ".-,;:!?)(".contains($0) }) else { return nil }
            joined += word.trimmingCharacters(in: .punctuationCharacters)
            if isBSN(joined) { return count }
            if joined.filter(\.isNumber).count >= 9 { return nil }
        }
        return nil
    }

    /// A BSN: 9 digits (8 with a leading zero dropped) passing the 11-test; dots/spaces removed.
    static func isBSN(_ word: String) -> Bool {
        let digits = word.filter(\.isNumber)
        guard word.allSatisfy({ $0.isNumber || $0 == "." || $0 == "-" || ",;:!?)(".contains($0) }) else { return false }
        guard digits.count == 9 || digits.count == 8 else { return false }
        let values = (digits.count == 8 ? "0" + digits : digits).compactMap(\.wholeNumberValue)
        guard values.count == 9, values.contains(where: { $0 != 0 }) else { return false }
        var sum = 0
        for (position, value) in values.enumerated() { sum += (position == 8 ? -1 : 9 - position) * value }
        return sum % 11 == 0
    }

    /// If words starting at `start` form a valid IBAN (possibly in groups), how many words.
    static func ibanLength(_ words: [String], from start: Int) -> Int? {
        var joined = ""
        for count in 1...min(9, words.count - start) {
            joined += words[start + count - 1].trimmingCharacters(in: .punctuationCharacters).uppercased()
            if joined.count > 34 { return nil }
            if joined.count >= 15, isIBAN(joined) { return count }
            if count == 1, !(joined.count >= 2 && joined.prefix(2).allSatisfy(\.isLetter)) { return nil }
        }
        return nil
    }

    /// Mod-97 check of an IBAN without spaces.
    static func isIBAN(_ text: String) -> Bool {
        let chars = Array(text)
        guard chars.count >= 15, chars.count <= 34, chars[0].isLetter, chars[1].isLetter, chars[2].isNumber, chars[3].isNumber,
            chars.allSatisfy({ ($0.isASCII && $0.isLetter) || $0.isNumber })
        else { return false }
        var remainder = 0
        for ch in chars[4...] + chars[..<4] {
            if let digit = ch.wholeNumberValue {
                remainder = (remainder * 10 + digit) % 97
            } else if let ascii = ch.asciiValue {
                let value = Int(ascii) - 55  // A = 10
                remainder = (remainder * 100 + value) % 97
            }
        }
        return remainder == 1
    }
}
