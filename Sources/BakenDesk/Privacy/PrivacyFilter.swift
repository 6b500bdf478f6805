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
    /// Words that say the next word is the password ("mijn wachtwoord **is** …", "pin: …").
    static let assignment: Set<String> = ["is", "=", ":", "was", "are", "luidt", "=>", "->"]
    /// Words skipped between a cue and the password ("wachtwoord van mijn …").
    static let filler: Set<String> = ["het", "mijn", "my", "de"]
    /// What residents write after a cue when they tell what is wrong, not the password itself:
    /// "wachtwoord vergeten", "mijn pincode is kwijt", "de code van de brief".
    static let notAPassword: Set<String> = [
        "vergeten", "vergeet", "kwijt", "kwijtgeraakt", "fout", "verkeerd", "onjuist", "geblokkeerd", "verlopen", "veranderd",
        "gewijzigd", "veranderen", "wijzigen", "aanpassen", "resetten", "herstellen", "instellen", "aanmaken", "maken", "kiezen",
        "aanvragen", "invoeren", "intypen", "opnieuw", "nieuw", "nieuwe", "werkt", "klopt", "niet", "geen", "nodig", "weet", "weten",
        "kan", "kun", "moet", "wil", "zit", "staat", "komt", "gekregen", "ontvangen", "via", "per", "van", "voor", "bij", "in", "op",
        "met", "en", "of", "te", "om", "sms", "brief", "app", "digid", "bank", "pas", "vergeten?", "wrong", "forgot", "forgotten",
        "lost", "reset", "change", "changed", "expired", "blocked", "not", "doesn't", "does", "for", "of", "to", "from", "with",
        "and", "on", "in", "new", "incorrect", "invalid", "again",
    ]

    /// The text with BSNs, IBANs and passwords replaced by `[BSN]`, `[IBAN]`, `[WACHTWOORD]`.
    public static func mask(_ text: String) -> String {
        // A mask can free a number glued to the one it replaced ("…333yN13…" → "[BSN]yN13…"):
        // mask again until nothing changes. Each pass shortens the text, so this ends.
        var result = text
        while true {
            let next = maskNumbers(result)
            if next == result { break }
            result = next
        }
        return maskPasswords(result)
    }

    /// BSNs and IBANs → `[BSN]`, `[IBAN]`, wherever they stand: alone, in groups
    /// ("NL91 ABNA 0417 1643 00", "111.222.333") or glued to a label ("bsn:111222333",
    /// "iban:NL91…"). Everything around them is kept as typed.
    static func maskNumbers(_ text: String) -> String {
        let characters = Array(text)
        guard characters.contains(where: isDigit) else { return text }
        // Runs of characters of one kind, as [start, end) offsets into `characters`; `kind` is nil
        // for characters outside any run. A run ends where the kind changes, so an IBAN (ASCII by
        // definition) or a BSN typed in Arabic-Indic digits is never glued to digits of another script.
        func runs(kind: (Character) -> Int?) -> [Range<Int>] {
            var result: [Range<Int>] = []
            var start: Int?
            var current: Int?
            for index in characters.indices {
                let next = kind(characters[index])
                if next != current, let first = start {
                    result.append(first..<index)
                    start = nil
                }
                if next != nil, start == nil { start = index }
                current = next
            }
            if let first = start { result.append(first..<characters.count) }
            return result
        }
        // Between the groups of one number: characters that are neither letters nor digits
        // ("111 222 333", "111.222.333", "NL91-ABNA-…", "1643/00"); for a BSN at most three.
        // The checksum decides.
        // Not a bracket: a mask already there (`[IBAN]`) is never joined into a new number, so
        // masking a masked text changes nothing.
        func joins(_ left: Range<Int>, _ right: Range<Int>, maxGap: Int = .max) -> Bool {
            right.lowerBound - left.upperBound <= maxGap
                && characters[left.upperBound..<right.lowerBound].allSatisfy { !$0.isLetter && !isDigit($0) && $0 != "[" && $0 != "]" }
        }
        var masked: [(range: Range<Int>, label: String)] = []
        // IBANs first: their digits may hold a 9-digit run.
        let words = runs { $0.isASCII && ($0.isLetter || $0.isNumber) ? 0 : nil }
        var index = 0
        while index < words.count {
            var joined = ""
            var found: Int?
            for next in index..<min(index + 9, words.count) {
                if next > index, !joins(words[next - 1], words[next]) { break }
                joined += String(characters[words[next]]).uppercased()
                if joined.count > 34 { break }
                if next == index, !(joined.count >= 2 && joined.prefix(2).allSatisfy(\.isLetter)) { break }
                if joined.count >= 15, isIBAN(joined) {
                    found = next
                    break
                }
            }
            if let found {
                masked.append((words[index].lowerBound..<words[found].upperBound, "[IBAN]"))
                index = found + 1
            } else {
                index += 1
            }
        }
        let digitRuns = runs { isDigit($0) ? ($0.isASCII ? 0 : 1) : nil }.filter { run in !masked.contains { $0.range.overlaps(run) } }
        index = 0
        while index < digitRuns.count {
            var digits = ""
            var found: Int?
            for next in index..<min(index + 3, digitRuns.count) {
                if next > index, !joins(digitRuns[next - 1], digitRuns[next], maxGap: 3) { break }
                digits += String(characters[digitRuns[next]])
                if isBSN(digits) {
                    found = next
                    break
                }
                if digits.count >= 9 { break }
            }
            if let found {
                masked.append((digitRuns[index].lowerBound..<digitRuns[found].upperBound, "[BSN]"))
                index = found + 1
            } else {
                index += 1
            }
        }
        guard !masked.isEmpty else { return text }
        var result = ""
        var position = 0
        for (range, label) in masked.sorted(by: { $0.range.lowerBound < $1.range.lowerBound }) {
            result += String(characters[position..<range.lowerBound]) + label
            position = range.upperBound
        }
        return result + String(characters[position...])
    }

    private static func isDigit(_ character: Character) -> Bool { character.isNumber && character.wholeNumberValue != nil }

    /// The word after a password cue ("wachtwoord", "password:", "pin") → `[WACHTWOORD]`.
    static func maskPasswords(_ text: String) -> String {
        // Split into words and the whitespace between them, so line breaks and tabs survive.
        var parts: [(word: String, gap: String)] = []
        var word = ""
        var gap = ""
        for ch in text {
            if ch.isWhitespace {
                gap.append(ch)
            } else {
                if !gap.isEmpty {
                    parts.append((word, gap))
                    word = ""
                    gap = ""
                }
                word.append(ch)
            }
        }
        parts.append((word, gap))
        var words = parts.map(\.word)
        // After a cue: nil (no cue), false (a cue), true (a cue and "is", ":", "=" …).
        var expectPassword: Bool?
        for index in words.indices where !words[index].isEmpty {
            let folded = words[index].lowercased().trimmingCharacters(in: .punctuationCharacters)
            if let assigned = expectPassword {
                if assignment.contains(words[index].lowercased()) || assignment.contains(folded) {
                    expectPassword = true
                    continue
                }
                if filler.contains(folded) || folded.isEmpty { continue }
                expectPassword = nil
                // A word that looks like a secret (a digit, a symbol, a capital inside) is one;
                // after "is", ":" … any word is, unless it tells what is wrong ("is vergeten").
                if looksSecret(words[index]) || (assigned && !notAPassword.contains(folded)) {
                    words[index] = "[WACHTWOORD]"
                    continue
                }
                if !passwordCues.contains(folded) { continue }
            }
            let bare = words[index].lowercased()
            if passwordCues.contains(bare) || passwordCues.contains(folded) {
                expectPassword = bare.hasSuffix(":")
            } else if let separator = bare.firstIndex(where: { $0 == ":" || $0 == "=" }), passwordCues.contains(String(bare[..<separator])),
                bare.index(after: separator) < bare.endIndex
            {
                // "wachtwoord:geheim", "password=hunter2"
                words[index] = String(words[index][..<words[index].index(after: separator)]) + "[WACHTWOORD]"
            }
        }
        var result = ""
        for (index, part) in parts.enumerated() { result += words[index] + part.gap }
        return result
    }

    /// A digit, a symbol other than closing punctuation, or a capital after the first letter:
    /// "geheim123", "Zomer!2024", "hunTer".
    static func looksSecret(_ word: String) -> Bool {
        var core = Substring(word)
        while let last = core.last, ".,;:!?)\"'".contains(last) { core = core.dropLast() }
        while let first = core.first, "(\"'".contains(first) { core = core.dropFirst() }
        return core.contains { $0.isNumber || (!$0.isLetter && $0 != "-" && $0 != "'") } || core.dropFirst().contains(where: \.isUppercase)
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
