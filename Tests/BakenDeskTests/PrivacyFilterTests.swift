import Testing

@testable import BakenDesk

@Suite struct PrivacyFilterTests {
    @Test func aBSNPassingTheElevenTestIsMasked() {
        #expect(PrivacyFilter.isBSN("111222333"))
        #expect(PrivacyFilter.mask("mijn bsn is 111222333") == "mijn bsn is [BSN]")
        #expect(PrivacyFilter.mask("bsn: 111.222.333 graag") == "bsn: [BSN] graag")
    }

    @Test func nineDigitsFailingTheElevenTestAreKept() {
        #expect(!PrivacyFilter.isBSN("123456789"))
        #expect(!PrivacyFilter.isBSN("000000000"))
        #expect(PrivacyFilter.mask("bestelnummer 123456789") == "bestelnummer 123456789")
    }

    @Test func anIBANIsMaskedWholeOrInGroups() {
        #expect(PrivacyFilter.isIBAN("NL91ABNA0417164300"))
        #expect(PrivacyFilter.mask("iban NL91ABNA0417164300") == "iban [IBAN]")
        #expect(PrivacyFilter.mask("mijn rekening NL91 ABNA 0417 1643 00 graag") == "mijn rekening [IBAN] graag")
        #expect(PrivacyFilter.mask("nl91 abna 0417 1643 00") == "[IBAN]")
    }

    @Test func anIBANWithABadCheckIsKept() {
        #expect(!PrivacyFilter.isIBAN("NL91ABNA0417164301"))
        #expect(PrivacyFilter.mask("NL91 ABNA 0417 1643 01") == "NL91 ABNA 0417 1643 01")
    }

    @Test func aPasswordAfterACueIsMasked() {
        #expect(PrivacyFilter.mask("mijn wachtwoord is geheim123") == "mijn wachtwoord is [WACHTWOORD]")
        #expect(PrivacyFilter.mask("wachtwoord: geheim123") == "wachtwoord: [WACHTWOORD]")
        #expect(PrivacyFilter.mask("wachtwoord:geheim123") == "wachtwoord:[WACHTWOORD]")
        #expect(PrivacyFilter.mask("my password is hunter2 thanks") == "my password is [WACHTWOORD] thanks")
    }

    @Test func ordinaryTextIsUnchanged() {
        let text = "Ik ben mijn DigiD kwijt, wat moet ik doen?"
        #expect(PrivacyFilter.mask(text) == text)
    }
}
