import Foundation
import Testing

@testable import BakenDesk

@Suite struct JSONWriterTests {
    /// Every string the protocol sends reads back as itself with a standard JSON parser:
    /// quotes, backslashes, newlines, control characters, accents and emoji — and a combining
    /// mark right after an escaped character, which makes one character of both.
    @Test(arguments: [
        "plain text", "Stap 1: ga naar \"Mijn DigiD\"\nStap 2: klik\r\nop \\Inloggen\\", "tab\there", "bell\u{07}nul\u{00}esc\u{1B}",
        "café, reëel, € 12,50 👍🏽", "\"\u{301} quote with a combining accent", "\n\u{301}", "\\\u{308}", "", "\u{1F}\u{7F}",
    ])
    func escapedStringsReadBackUnchanged(text: String) throws {
        var writer = JSONWriter()
        writer.string("text", text)
        let json = writer.finish()
        let object = try #require(JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: String])
        // Scalar by scalar: String == would accept a writer that changed the normal form.
        #expect(object["text"].map { Array($0.unicodeScalars) } == Array(text.unicodeScalars), "\(json)")
    }

    @Test func controlCharactersUseLowerCaseUnicodeEscapes() {
        var writer = JSONWriter()
        writer.string("t", "a\u{01}b\u{1f}")
        #expect(writer.finish() == #"{"t":"a\u0001b\u001f"}"#)
    }
}
