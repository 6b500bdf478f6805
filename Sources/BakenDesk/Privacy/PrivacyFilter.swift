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
    /// The cues without their ":" (ASCII bytes), to see quickly whether a text can hold one.
    static let cueLetters: [[UInt8]] = Set(passwordCues.map { $0.filter { $0 != ":" } }).sorted().map { Array($0.utf8) }
    /// Cues after which only a word that looks like a secret is masked, even after "is".
    static let weakCues: Set<String> = ["code"]
    /// Words that say the next word is the password ("mijn wachtwoord **is** …", "pin: …",
    /// "wachtwoord - …").
    static let assignment: Set<String> = ["is", "=", ":", "was", "are", "luidt", "=>", "->", "-", "–", "—", ",", "wordt"]
    /// Words skipped after a cue or after "is" ("mijn wachtwoord is **nu** …").
    static let filler: Set<String> = [
        "het", "mijn", "my", "de", "nu", "ook", "gewoon", "echt", "dus", "nog", "al", "wel", "toch", "now", "also", "just", "still",
    ]
    /// What residents write after a cue when they tell what is wrong, not the password itself:
    /// "wachtwoord vergeten", "mijn pincode is kwijt", "WW: hoe vraag ik dat aan". Such a word
    /// ends the cue.
    static let stateWords: Set<String> = [
        "vergeten", "vergeet", "kwijt", "kwijtgeraakt", "weg", "zoek", "fout", "verkeerd", "onjuist", "ongeldig", "kapot",
        "geblokkeerd", "geblokt", "verlopen", "veranderd", "gewijzigd", "hetzelfde", "gestopt", "stopt", "afgewezen", "binnen",
        "veranderen", "wijzigen", "aanpassen", "resetten", "herstellen", "instellen", "aanmaken", "maken", "kiezen", "aanvragen",
        "invoeren", "intypen", "opnieuw", "nieuw", "nieuwe", "werkt", "klopt", "niet", "geen", "nodig", "weet", "weten", "kan",
        "kun", "moet", "wil", "zit", "staat", "komt", "gekregen", "ontvangen", "hoe", "wat", "waar", "wanneer", "waarom", "wie",
        "welke", "wrong", "forgot", "forgotten", "lost", "reset", "change", "changed", "expired", "blocked", "not", "doesn't",
        "does", "new", "incorrect", "invalid", "again", "how", "what", "where", "when", "why", "who", "which", "stopped",
    ]
    /// Names residents write with capitals inside that are no password ("DigiD", "iPhone").
    static let knownNames: Set<String> = [
        "digid", "mijnoverheid", "ing", "abn", "amro", "sns", "asn", "rabo", "rabobank", "bunq", "knab", "sms", "pin", "tan",
        "iphone", "ipad", "whatsapp", "uwv", "svb", "cak", "duo", "ov", "id", "app", "ideal", "paypal", "gmail", "hotmail",
        "outlook", "android", "samsung", "facebook", "wifi", "pc", "e-mail", "email", "nfc", "sepa", "iban", "bsn",
    ]
    /// How many words after a cue the password may stand ("wachtwoord van mijn DigiD is …").
    static let cueWindow = 6

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
        func isLetter(_ offset: Int) -> Bool { offset < characters.count && characters[offset].isASCII && characters[offset].isLetter }
        func isASCIIDigit(_ offset: Int) -> Bool { offset < characters.count && characters[offset].isASCII && characters[offset].isNumber }
        var index = 0
        while index < words.count {
            // Where an IBAN may begin in this run: its start, or two letters and two digits inside
            // it (a label glued on: "ibanNL91…", "rekeningNL91…").
            let run = words[index]
            let starts = [run.lowerBound] + (run.lowerBound + 1..<run.upperBound).filter { p in
                isLetter(p) && isLetter(p + 1) && isASCIIDigit(p + 2) && isASCIIDigit(p + 3)
            }
            var found: (start: Int, last: Int)?
            for start in starts where found == nil {
                var joined = ""
                for next in index..<min(index + 9, words.count) {
                    if next > index, !joins(words[next - 1], words[next]) { break }
                    joined += String(characters[(next == index ? start : words[next].lowerBound)..<words[next].upperBound]).uppercased()
                    if joined.count > 34 { break }
                    if next == index, !(joined.count >= 2 && joined.prefix(2).allSatisfy(\.isLetter)) { break }
                    if joined.count >= 15, isIBAN(joined) {
                        found = (start, next)
                        break
                    }
                }
            }
            if let found {
                masked.append((found.start..<words[found.last].upperBound, "[IBAN]"))
                index = found.last + 1
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
        // Every cue is matched on a lowercased word, so a text in which no cue's letters stand
        // together has nothing to mask (most messages): skip splitting it into words.
        let lowered = Array(text.lowercased().utf8)
        guard cueLetters.contains(where: { lowered.firstRange(of: $0) != nil }) else { return text }
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
        // After a cue: how many more words may hold the password, whether "is", ":" … came, and
        // whether the cue is weak: "code" names a password less surely than "wachtwoord", so after
        // it, even after "is", only a word that looks like a secret is one ("de code is eindelijk
        // gekomen", "de code is 48213").
        var cue: (left: Int, assigned: Bool, weak: Bool)?
        for index in words.indices where !words[index].isEmpty {
            let bare = words[index].lowercased()
            let folded = bare.trimmingCharacters(in: .punctuationCharacters)
            if let current = cue {
                cue!.left -= 1
                if cue!.left <= 0 { cue = nil }
                if assignment.contains(bare) || assignment.contains(folded) || (folded.isEmpty && bare.contains(where: { "-–—,".contains($0) })) {
                    // "code: …", "code = …", "code is: …" name the code outright.
                    cue = (max(cue?.left ?? 0, 2), true, current.weak && !bare.contains(":") && !bare.contains("="))
                    continue
                }
                if filler.contains(folded) || folded.isEmpty { continue }
                if stateWords.contains(folded) {
                    cue = nil
                    continue
                }
                // A word that looks like a secret (a digit, a symbol, a capital inside) is one;
                // after "is", ":" … any word is.
                if (looksSecret(words[index]) && !knownNames.contains(folded)) || (current.assigned && !current.weak) {
                    words[index] = "[WACHTWOORD]"
                    cue = nil
                    continue
                }
                if !passwordCues.contains(folded) { continue }
            }
            if passwordCues.contains(bare) || passwordCues.contains(folded) {
                // "code" inside the window of a stronger cue ("pin code", "wachtwoord of code")
                // does not weaken it; "code:" and "code=" are not weak either.
                let strongOpen = cue.map { !$0.weak } ?? false
                let weak = weakCues.contains(folded) && !strongOpen && !bare.hasSuffix(":") && !bare.hasSuffix("=")
                cue = (cueWindow, bare.hasSuffix(":") || bare.hasSuffix(",") || bare.hasSuffix("="), weak)
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
        // A number alone is a PIN from four digits on ("3 keer fout" is no PIN).
        if !core.isEmpty, core.allSatisfy(\.isNumber) { return core.count >= 4 }
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


    /// IBAN lengths per country (ISO 13616 / the SWIFT IBAN registry).
    static let ibanLengths: [String: Int] = [
        "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22, "BR": 29, "BY": 28, "CH": 21,
        "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DK": 18, "DO": 28, "EE": 20, "EG": 29, "ES": 24, "FI": 18, "FO": 18, "FR": 27,
        "GB": 22, "GE": 22, "GI": 23, "GL": 18, "GR": 27, "GT": 28, "HR": 21, "HU": 28, "IE": 22, "IL": 23, "IQ": 23, "IS": 26,
        "IT": 27, "JO": 30, "KW": 30, "KZ": 20, "LB": 28, "LC": 32, "LI": 21, "LT": 20, "LU": 20, "LV": 21, "MC": 27, "MD": 24,
        "ME": 22, "MK": 19, "MR": 27, "MT": 31, "MU": 30, "NL": 18, "NO": 15, "PK": 24, "PL": 28, "PS": 29, "PT": 25, "QA": 29,
        "RO": 24, "RS": 22, "SA": 24, "SC": 31, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "ST": 25, "SV": 28, "TL": 23, "TN": 24,
        "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20,
    ]

    /// An IBAN without spaces: a country of the registry with its exact length, check digits,
    /// an account part of letters and digits that is mostly digits (words of a sentence glued
    /// together are not), and the mod-97 check.
    static func isIBAN(_ text: String) -> Bool {
        let chars = Array(text.uppercased())
        guard chars.count >= 15, chars.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }),
            ibanLengths[String(chars[0..<2])] == chars.count, chars[2].isNumber, chars[3].isNumber
        else { return false }
        let account = chars[4...]
        guard account.count { $0.isNumber } * 10 >= account.count * 6 else { return false }
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
