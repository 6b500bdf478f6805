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
        expect(!isIBAN(pieces[start].text), "an IBAN survived: \(pieces[start].text)")
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

private func isIBAN(_ text: String) -> Bool {
    let characters = Array(text.uppercased())
    guard (15...34).contains(characters.count), characters[0].isLetter, characters[1].isLetter, characters[2].isNumber,
        characters[3].isNumber
    else { return false }
    var remainder = 0
    for character in characters[4...] + characters[..<4] {
        let value = character.isNumber ? character.wholeNumberValue! : Int(character.asciiValue! - 55)
        for digit in String(value) { remainder = (remainder * 10 + digit.wholeNumberValue!) % 97 }
    }
    return remainder == 1
}
