import Foundation

/// Turns raw text into tokens: Unicode NFC, lower case, diacritics folded, split on
/// non-letters; e-mail addresses, URLs and phone numbers stay whole.
///
/// ```swift
/// Normalizer.tokens("Wachtwoord vergeten? mail@x.nl")
/// // wachtwoord, vergeten, mail@x.nl (email)
/// ```
public enum Normalizer {
    /// Splits and folds `text` into tokens.
    public static func tokens(_ text: String) -> [Token] {
        var result: [Token] = []
        result.reserveCapacity(16)
        let ascii = text.utf8.allSatisfy { $0 < 0x80 }
        let chunks =
            ascii ? text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" || $0 == "\r\n" || $0 == "\r" }) : text.split(whereSeparator: \.isWhitespace)
        for chunk in chunks {
            if let kind = wholeKind(chunk) {
                let trimmed = chunk.trimmingCharacters(in: CharacterSet(charactersIn: ".,;:!?()[]\"'"))
                result.append(Token(original: trimmed, folded: fold(trimmed), kind: kind))
                continue
            }
            splitWords(chunk, into: &result)
        }
        return result
    }

    /// Lower-cases and removes diacritics: `"Één"` → `"een"`.
    public static func fold<S: StringProtocol>(_ text: S) -> String {
        var ascii = true
        for byte in text.utf8 where byte >= 0x80 {
            ascii = false
            break
        }
        if ascii { return text.lowercased() }
        let decomposed = String(text).decomposedStringWithCanonicalMapping
        var scalars = String.UnicodeScalarView()
        for scalar in decomposed.unicodeScalars {
            switch scalar.value {
            case 0x0300...0x036F: continue  // combining marks
            default: scalars.append(scalar)
            }
        }
        return String(scalars).lowercased()
    }

    private static func splitASCII(_ chunk: Substring, into result: inout [Token]) {
        let bytes = Array(chunk.utf8)
        var start = 0
        while start < bytes.count {
            let isLetter = { (b: UInt8) in (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A }
            let isDigit = { (b: UInt8) in b >= 0x30 && b <= 0x39 }
            guard isLetter(bytes[start]) || isDigit(bytes[start]) else {
                start += 1
                continue
            }
            let number = isDigit(bytes[start])
            var end = start
            while end < bytes.count, number ? isDigit(bytes[end]) : isLetter(bytes[end]) { end += 1 }
            let original = String(decoding: bytes[start..<end], as: UTF8.self)
            let folded = String(decoding: bytes[start..<end].map { isLetter($0) ? $0 | 0x20 : $0 }, as: UTF8.self)
            result.append(Token(original: original, folded: folded, kind: number ? .number : .word))
            start = end
        }
    }

    private static func wholeKind(_ chunk: Substring) -> Token.Kind? {
        // Fast path: a chunk of only ASCII letters is a plain word.
        if chunk.utf8.allSatisfy({ ($0 | 0x20) >= 0x61 && ($0 | 0x20) <= 0x7A }) { return nil }
        let lower = chunk.lowercased()
        if lower.hasPrefix("http://") || lower.hasPrefix("https://") || lower.hasPrefix("www.") {
            return .url
        }
        if let at = chunk.firstIndex(of: "@"), at != chunk.startIndex,
            chunk[chunk.index(after: at)...].contains("."), !chunk[chunk.index(after: at)...].hasPrefix(".")
        {
            return .email
        }
        var digits = 0
        var other = 0
        for ch in chunk {
            if ch.isNumber {
                digits += 1
            } else if !"+-() ".contains(ch) {
                other += 1
            }
        }
        if digits >= 9 && other == 0 { return .phone }
        return nil
    }

    private static func splitWords(_ chunk: Substring, into result: inout [Token]) {
        if chunk.utf8.allSatisfy({ $0 < 0x80 }) {
            splitASCII(chunk, into: &result)
            return
        }
        var current = ""
        var currentIsNumber = false
        func flush() {
            guard !current.isEmpty else { return }
            result.append(Token(original: current, folded: fold(current), kind: currentIsNumber ? .number : .word))
            current = ""
        }
        for ch in chunk {
            if ch.isLetter {
                if currentIsNumber { flush() }
                currentIsNumber = false
                current.append(ch)
            } else if ch.isNumber {
                if !currentIsNumber { flush() }
                currentIsNumber = true
                current.append(ch)
            } else {
                flush()
            }
        }
        flush()
    }
}
