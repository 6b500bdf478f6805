import BakenDesk
import FuzzSupport

/// Any text: after masking, no run of 9 digits passes the BSN 11-test and no run of letters
/// and digits spells a valid IBAN (whole, in groups, or after a label such as "iban:");
/// masking a masked text changes nothing.
///
/// The checks are written here, apart from the filter: the oracle must not share its bugs.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPrivacy(_ data: UnsafePointer<UInt8>, _ count: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: count), as: UTF8.self)
    let masked = PrivacyFilter.mask(text)
    let twice = PrivacyFilter.mask(masked)
    expect(twice == masked, "masking twice changes the text: \(masked.debugDescription) → \(twice.debugDescription)")
    // Runs of ASCII digits.
    for run in masked.split(whereSeparator: { !($0.isASCII && $0.isNumber) }) where run.count == 9 && isBSN(run) {
        expect(false, "a BSN survived: \(run)")
    }
    // Runs of ASCII letters and digits: an IBAN written whole ("NL91ABNA0417164300", also after
    // a label: "iban:NL91…") or in the printed groups of four ("NL91 ABNA 0417 1643 00", with
    // anything but letters, digits (of any script) and the brackets of a mask between the groups).
    var pieces: [(text: String, gapBefore: Substring)] = []
    var rest = masked[...]
    while let start = rest.firstIndex(where: isAlphanumeric) {
        let end = rest[start...].firstIndex(where: { !isAlphanumeric($0) }) ?? rest.endIndex
        pieces.append((String(rest[start..<end]), rest[rest.startIndex..<start]))
        rest = rest[end...]
    }
    for start in pieces.indices {
        // Whole, or after a label glued on ("ibanNL91…"): every suffix of the piece.
        let piece = Array(pieces[start].text)
        for offset in piece.indices where piece.count - offset >= 15 {
            expect(!isIBAN(String(piece[offset...])), "an IBAN survived: \(pieces[start].text)")
        }
        guard pieces[start].text.count == 4 else { continue }
        var joined = pieces[start].text
        for piece in pieces[(start + 1)...].prefix(8) {
            // Groups are apart by spaces, dots, dashes …, not by a letter or digit of any script
            // ("1643 r̃ 00" is no IBAN) nor by the brackets of a mask.
            guard (1...4).contains(piece.text.count),
                !piece.gapBefore.contains(where: { $0 == "[" || $0 == "]" || $0.isLetter || $0.isNumber })
            else { break }
            joined += piece.text
            expect(!isIBAN(joined), "an IBAN survived: \(joined)")
            if piece.text.count < 4 { break }
        }
    }
    return 0
}

private func isAlphanumeric(_ character: Character) -> Bool { character.isASCII && (character.isLetter || character.isNumber) }

private func isBSN(_ digits: Substring) -> Bool {
    let values = digits.compactMap(\.wholeNumberValue)
    guard values.count == 9, values.contains(where: { $0 != 0 }) else { return false }
    var sum = 0
    for (index, digit) in values.enumerated() { sum += (index == 8 ? -1 : 9 - index) * digit }
    return sum % 11 == 0
}

/// What counts as an IBAN (ISO 13616): a country of the registry with its exact length, two
/// check digits, an account part that is mostly digits, and the mod-97 check.
private func isIBAN(_ text: String) -> Bool {
    let characters = Array(text.uppercased())
    guard characters.count >= 15, let length = ibanLengths[String(characters[0..<2])], characters.count == length,
        characters[0].isLetter, characters[1].isLetter, characters[2].isNumber, characters[3].isNumber,
        characters[4...].filter(\.isNumber).count * 10 >= (characters.count - 4) * 6
    else { return false }
    var remainder = 0
    for character in characters[4...] + characters[..<4] {
        let value = character.isNumber ? character.wholeNumberValue! : Int(character.asciiValue! - 55)
        for digit in String(value) { remainder = (remainder * 10 + digit.wholeNumberValue!) % 97 }
    }
    return remainder == 1
}

/// The SWIFT IBAN registry's lengths.
private let ibanLengths: [String: Int] = [
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22, "BR": 29, "BY": 28, "CH": 21,
    "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DK": 18, "DO": 28, "EE": 20, "EG": 29, "ES": 24, "FI": 18, "FO": 18, "FR": 27,
    "GB": 22, "GE": 22, "GI": 23, "GL": 18, "GR": 27, "GT": 28, "HR": 21, "HU": 28, "IE": 22, "IL": 23, "IQ": 23, "IS": 26,
    "IT": 27, "JO": 30, "KW": 30, "KZ": 20, "LB": 28, "LC": 32, "LI": 21, "LT": 20, "LU": 20, "LV": 21, "MC": 27, "MD": 24,
    "ME": 22, "MK": 19, "MR": 27, "MT": 31, "MU": 30, "NL": 18, "NO": 15, "PK": 24, "PL": 28, "PS": 29, "PT": 25, "QA": 29,
    "RO": 24, "RS": 22, "SA": 24, "SC": 31, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "ST": 25, "SV": 28, "TL": 23, "TN": 24,
    "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20,
]
