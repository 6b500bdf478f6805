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
    ])
    func masks(input: String, expected: String) {
        #expect(PrivacyFilter.mask(input) == expected)
    }
}
