import BakenDesk
import Testing

/// The shapes the review found unmasked: a BSN typed in groups, `password=…`.
@Suite struct PrivacyFilterGroupsTests {
    @Test(arguments: [
        ("mijn bsn is 111 222 333", "mijn bsn is [BSN]"),
        ("bsn 111 222 333, klopt dat?", "bsn [BSN], klopt dat?"),
        ("password=hunter2 werkt niet", "password=[WACHTWOORD] werkt niet"),
        ("wachtwoord:geheim", "wachtwoord:[WACHTWOORD]"),
        ("bel me op 06 12345678", "bel me op 06 12345678"),
        // Found by the fuzz target FuzzPrivacy: a number glued to its label was kept in clear.
        ("BSN:111222333", "BSN:[BSN]"),
        ("mijn bsn=111222333.", "mijn bsn=[BSN]."),
        ("iban:NL91 ABNA 0417 1643 00 graag", "iban:[IBAN] graag"),
        ("(NL91ABNA0417164300)", "([IBAN])"),
        ("NL91-ABNA-0417-1643-00", "[IBAN]"),
        // Arabic-Indic digits, as a phone keyboard set to Arabic types them.
        ("bsn ١١١٢٢٢٣٣٣", "bsn [BSN]"),
    ])
    func masks(input: String, expected: String) {
        #expect(PrivacyFilter.mask(input) == expected)
    }
}
