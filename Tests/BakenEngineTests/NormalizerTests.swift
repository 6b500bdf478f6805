import Testing

@testable import BakenEngine

@Suite struct NormalizerTests {
    @Test func foldsCaseAndDiacritics() {
        #expect(Normalizer.tokens("Één Ideeën ÇA").map(\.folded) == ["een", "ideeen", "ca"])
        #expect(Normalizer.tokens("Één").first?.original == "Één")
    }

    @Test func keepsEmailURLAndPhoneWhole() {
        let tokens = Normalizer.tokens("mail jan.de.vries@example.nl of bel 06-12345678 zie https://www.digid.nl/x.")
        #expect(tokens.contains(Token(original: "jan.de.vries@example.nl", folded: "jan.de.vries@example.nl", kind: .email)))
        #expect(tokens.contains { $0.kind == .phone && $0.original == "06-12345678" })
        #expect(tokens.contains { $0.kind == .url && $0.original == "https://www.digid.nl/x" })
    }

    /// Plain messages take a one-pass path; a link, address or phone number anywhere sends the
    /// whole message through the chunk-by-chunk path. Both read every word the same way.
    @Test(arguments: [
        "Ga naar WWW.DigiD.nl en klik op Inloggen", "zie HTTP://digid.nl!", "ik heb 12345678 9 euro", "Mijn 06 1234 5678 (nieuw)",
        "DigiD? Kwijt... 2x geprobeerd", "schrijf naar info@bieb.nl, graag",
    ])
    func plainAndMarkedMessagesReadWordsAlike(text: String) {
        // An e-mail address at the end sends the whole text down the chunk-by-chunk path; without
        // it, a plain text takes the one-pass path. The words before it must come out the same.
        let asGiven = Normalizer.tokens(text).filter { $0.kind == .word || $0.kind == .number }
        let chunkwise = Normalizer.tokens(text + " x@y.nl").filter { $0.kind == .word || $0.kind == .number }
        #expect(asGiven == chunkwise)
        #expect(Normalizer.tokens("Ga naar WWW.DigiD.nl nu").contains { $0.kind == .url && $0.original == "WWW.DigiD.nl" })
        #expect(Normalizer.tokens("Zie HTTPS://digid.nl").contains { $0.kind == .url })
        #expect(Normalizer.tokens("Kwijt VERGETEN").map(\.folded) == ["kwijt", "vergeten"])
    }

    @Test func splitsOnPunctuationAndKeepsNumbers() {
        let tokens = Normalizer.tokens("digid?? kwijt!!2024")
        #expect(tokens.map(\.folded) == ["digid", "kwijt", "2024"])
        #expect(tokens.last?.kind == .number)
    }

    @Test(arguments: [
        ("wachtwoorden", "wachtwoord"), ("vergete", "verget"), ("vergeten", "verget"), ("aanvragen", "aanvrag"),
        ("aanvraag", "aanvrag"), ("toeslagen", "toeslag"), ("huurtoeslag", "huurtoeslag"), ("boeken", "boek"),
        ("lichamelijk", "licham"), ("mogelijkheden", "mogelijk"),
    ])
    func dutchStems(word: String, stem: String) {
        #expect(DutchStemmer.stem(word) == stem)
    }

    @Test func spellingBudgetGrowsWithLength() {
        let corrector = SpellingCorrector(vocabulary: ["wachtwoord": 3, "digid": 5, "aangifte": 2, "werk": 1])
        #expect(corrector.correct("wachtwort") == "wachtwoord")
        #expect(corrector.correct("wahctwoord") == "wachtwoord")  // adjacent swap
        #expect(corrector.correct("aangifde") == "aangifte")
        #expect(corrector.correct("digit") == "digid")
        #expect(corrector.correct("weer") == nil)  // 4 letters: no budget
        #expect(corrector.correct("xyzxyzxyz") == nil)
    }

    /// "parts" is one edit from "darts" and from "party": equally near and equally frequent. The
    /// answer must not depend on the order a hashed set yields its variants (which changes
    /// with every process), so the alphabetically first word wins — in any vocabulary order.
    @Test func spellingTiesAreBrokenByTheWordItself() {
        for vocabulary in [["party": 2, "darts": 2], ["darts": 2, "party": 2], ["party": 2, "darts": 2, "pasta": 1]] {
            #expect(SpellingCorrector(vocabulary: vocabulary).correct("parts") == "darts")
        }
        #expect(SpellingCorrector(vocabulary: ["party": 3, "darts": 2]).correct("parts") == "party")  // the more used word first
    }

    /// A real word the knowledge base does not use keeps its meaning: "erachter" was read as
    /// "rechter" (a judge: a sensitive legal matter) and a DigiD question was not answered;
    /// "traag" as "vraag", "thriller" as "trillen", "reëel" as "regel".
    @Test(arguments: [("erachter", "rechter"), ("traag", "vraag"), ("thriller", "trillen"), ("invaller", "invullen"), ("reëel", "regel")])
    func commonWordsAreNotCorrectedIntoOthers(word: String, wrongReading: String) {
        let token = Shipped.engine.analyze("hoe kom ik \(word)").tokens.last!
        #expect(!token.readAs.contains(wrongReading), "\(word) read as \(token.readAs)")
        #expect(token.recognition != .spelling)
    }

    /// Misspellings are not in the word list and are still corrected; a real word that sounds
    /// like a vocabulary word is still read as it.
    @Test func misspellingsAreStillCorrected() {
        #expect(Shipped.engine.analyze("wachtwort").tokens[0].readAs == ["wachtwoord"])
        #expect(Shipped.engine.analyze("aangifde").tokens[0].readAs == ["aangifte"])
        #expect(Shipped.engine.analyze("ideaal").tokens[0].readAs == ["ideal"])  // a sound-alike
        #expect(Shipped.engine.analyze("werkeloos").tokens[0].concepts.contains("@ov_werkloos"))
        #expect(Shipped.loaded.0.commonWords.contains("erachter"))
        #expect(!Shipped.loaded.0.commonWords.contains("wachtwort"))
    }

    @Test func theDigidQuestionWithErachterIsAnswered() {
        let decision = Shipped.engine.decide("Ik weet mijn DigiD gebruikersnaam niet meer. Hoe kom ik erachter?")
        #expect(decision.kind == .answer, "\(decision.reason)")
        #expect(decision.intent == "digid_inloggen")
    }

    @Test func phoneticKeysMatchSoundAlikes() {
        #expect(Phonetic.key("wachtwoort") == Phonetic.key("wachtwoord"))
        #expect(Phonetic.key("paswoort") == Phonetic.key("paswoord"))
        #expect(Phonetic.key("digid") != Phonetic.key("aow"))
    }
}
