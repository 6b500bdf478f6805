import Foundation

extension PrivacyFilter {
    /// An e-mail address.
    private static let email = try! NSRegularExpression(pattern: #"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}"#)
    /// A Dutch or international phone number: 06-12345678, 0223 123 456, +31 6 1234 5678.
    private static let phone = try! NSRegularExpression(pattern: #"(?<![\d])(?:\+\d{2}[\s-]?|00\d{2}[\s-]?|0)(?:\(0\))?\d(?:[\s-]?\d){7,9}(?![\d])"#)

    /// What a resident types, masked for storage: BSN, IBAN and passwords (``mask(_:)``), and
    /// also e-mail addresses and phone numbers. Transcripts and the unanswered inbox do not
    /// need them; where a contact is the point (a call-back ticket, a consented referral) it
    /// is asked for in a form of its own.
    public static func maskResident(_ text: String) -> String {
        maskContacts(mask(text))
    }

    /// E-mail addresses → `[E-MAIL]`, phone numbers → `[TELEFOON]`.
    public static func maskContacts(_ text: String) -> String {
        // Most messages hold neither, and a regular expression over each costs more than the
        // rest of masking: an address needs an "@", a phone number at least 9 digits. ICU's `\d`
        // is any decimal digit (Nd); every code point it matches was checked (2026-12-07, this
        // toolchain) to be `.decimalNumber` in Swift's Unicode data too, so none is missed here;
        // check again if a toolchain's ICU is ever newer than its standard library's tables.
        let hasAt = text.utf8.contains(UInt8(ascii: "@"))
        let digits = text.unicodeScalars.reduce(0) { $0 + ($1.properties.generalCategory == .decimalNumber ? 1 : 0) }
        var result = text
        for (pattern, replacement, possible) in [(email, "[E-MAIL]", hasAt), (phone, "[TELEFOON]", digits >= 9)] where possible {
            let range = NSRange(result.startIndex..., in: result)
            result = pattern.stringByReplacingMatches(in: result, range: range, withTemplate: replacement)
        }
        return result
    }
}
