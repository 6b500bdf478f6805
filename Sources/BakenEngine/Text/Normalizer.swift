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
        // Most messages are plain ASCII with no address, link or phone number in them: then the
        // whitespace chunks do not matter (words split at every non-letter anyway) and the whole
        // text is split in one pass over its bytes.
        if ascii, !mayHoldWholeToken(text.utf8) {
            var text = text
            text.withUTF8 { splitASCII($0, into: &result) }
            return result
        }
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

    /// Whether an ASCII text could hold an e-mail address, a link or a phone number: an `@`,
    /// `http` or `www.`, or nine digits. Without any of these no chunk is kept whole.
    private static func mayHoldWholeToken(_ bytes: String.UTF8View) -> Bool {
        var digits = 0
        var previous: (UInt8, UInt8, UInt8) = (0, 0, 0)
        for byte in bytes {
            let lower = byte | 0x20
            switch byte {
            case UInt8(ascii: "@"): return true
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                digits += 1
                if digits >= 9 { return true }
            case UInt8(ascii: "."), UInt8(ascii: "P"), UInt8(ascii: "p"):
                // "www." and "http": the byte before was the third of "www" or "htt".
                if previous == (0x77, 0x77, 0x77) && byte == UInt8(ascii: ".") { return true }
                if previous == (0x68, 0x74, 0x74) && lower == 0x70 { return true }
            default: break
            }
            previous = (previous.1, previous.2, (byte >= 0x41 && byte <= 0x5A) ? lower : byte)
        }
        return false
    }

    private static func splitASCII(_ chunk: Substring, into result: inout [Token]) {
        var chunk = chunk
        chunk.withUTF8 { splitASCII($0, into: &result) }
    }

    /// Letter runs become words, digit runs numbers; everything else separates.
    private static func splitASCII(_ bytes: UnsafeBufferPointer<UInt8>, into result: inout [Token]) {
        @inline(__always) func isLetter(_ b: UInt8) -> Bool { (b | 0x20) >= 0x61 && (b | 0x20) <= 0x7A }
        @inline(__always) func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }
        var start = 0
        while start < bytes.count {
            guard isLetter(bytes[start]) || isDigit(bytes[start]) else {
                start += 1
                continue
            }
            let number = isDigit(bytes[start])
            var end = start
            while end < bytes.count, number ? isDigit(bytes[end]) : isLetter(bytes[end]) { end += 1 }
            let run = UnsafeBufferPointer(rebasing: bytes[start..<end])
            let original = String(decoding: run, as: UTF8.self)
            let folded =
                run.contains(where: { $0 >= 0x41 && $0 <= 0x5A })
                ? String(unsafeUninitializedCapacity: run.count) { buffer in
                    for (i, byte) in run.enumerated() { buffer[i] = isLetter(byte) ? byte | 0x20 : byte }
                    return run.count
                } : original
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
