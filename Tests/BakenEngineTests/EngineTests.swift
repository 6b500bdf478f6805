import Testing

@testable import BakenEngine

@Suite struct EngineTests {
    let engine = Shipped.engine

    @Test(arguments: [
        ("ik ben mijn wachtwoord van digid vergeten", "digid_inloggen"),
        ("digi d kwijt", "digid_inloggen"),
        ("wachtwoort vergete", "digid_inloggen"),
        ("hoe vraag ik een digid aan", "digid_aanvragen"),
        ("nieuwe telefoon digid app", "digid_app"),
        ("hoe kan ik mijn vader machtigen", "digid_machtigen"),
        ("belasting aangifde invullen", "belastingaangifte"),
        ("huurtoeslag aanvragen", "toeslagen"),
        ("wanneer krijg ik aow", "pensioen_aow"),
        ("ebook lenen", "ebooks"),
        ("kan ik hier printen", "printen_wifi"),
        ("ik wil beter nederlands leren", "taalhuis"),
        ("ik kreeg een sms van de bank met een link", "oplichting"),
        ("hallo", "begroeting"),
        ("dank je wel", "bedankt"),
        ("ik wil een mens spreken", "mens_spreken"),
        ("forgot my digid password", "digid_inloggen"),
        ("where can i print", "printen_wifi"),
    ])
    func answersWhatResidentsWrite(text: String, intent: String) {
        let decision = engine.decide(text)
        #expect(decision.kind == .answer, "\(text): \(decision.reason)")
        #expect(decision.intent == intent, "\(text): \(Explanation.text(decision))")
    }

    @Test(arguments: ["wat voor weer wordt het morgen", "recept voor appeltaart", "wie won er gisteren bij het voetbal"])
    func outOfScopeIsNotAnswered(text: String) {
        let decision = engine.decide(text)
        #expect(decision.kind == .outOfScope || decision.kind == .decline, "\(text): \(Explanation.text(decision))")
    }

    /// An opinion, the news or someone's job, with a word of a topic in it, asks nothing: it gets
    /// the out-of-scope answer — where, without the remarks rule, a topic would answer it — and
    /// the explanation names the word that decided.
    @Test(arguments: [
        ("mijn broer werkt bij het uwv in alkmaar", "werkt bij"),
        ("het nieuws over de aow leeftijd, jammer", "nieuws"),
        ("mijn zoon werkt bij de belastingdienst", "werkt bij"),
        ("the tax office is a disgrace", "disgrace"),
        ("pensioen in nederland is een puinhoop", "puinhoop"),
    ])
    func remarksAreNotAnsweredWithATopic(text: String, marker: String) {
        let withoutRule = Self.withoutRemarks.decide(text)
        #expect(withoutRule.kind == .answer || withoutRule.kind == .clarify, "\(text): \(Explanation.text(withoutRule))")
        let decision = engine.decide(text)
        #expect(decision.kind == .outOfScope, "\(text): \(Explanation.text(decision))")
        #expect(decision.rationale == .remark(marker: marker), "\(text): \(decision.reason)")
    }

    /// The shipped knowledge without `intents/remarks.yaml`.
    static let withoutRemarks: Engine = {
        var base = Shipped.loaded.0
        base.remarks = nil
        return Engine(knowledge: base)
    }()

    /// A remark word beside a request, a problem or a question mark changes nothing; nor does
    /// one in a sensitive situation, or in thanks.
    @Test(arguments: [
        ("haha ik ben mijn digid wachtwoord vergeten", "digid_inloggen"),
        ("mijn dochter werkt bij de bank, hoe zet ik de bank app op mijn telefoon", "bankieren"),
        ("leuk dat het kan: ebook lenen?", "ebooks"),
        ("irritant, ik kan niet inloggen met digid", "digid_inloggen"),
        ("bedankt, leuk", "bedankt"),
        ("haha bedankt", "bedankt"),
    ])
    func requestsWithARemarkWordAreStillAnswered(text: String, intent: String) {
        let decision = engine.decide(text)
        #expect(decision.kind == .answer, "\(text): \(Explanation.text(decision))")
        #expect(decision.intent == intent, "\(text): \(Explanation.text(decision))")
    }

    @Test func aSensitiveSituationIsNeverTakenForARemark() {
        let decision = engine.decide("mijn moeder is overleden, jammer dat ze het nieuws niet meer ziet")
        #expect(decision.kind != .outOfScope, "\(Explanation.text(decision))")
        if case .remark = decision.rationale { Issue.record("read as a remark: \(decision.reason)") }
    }

    @Test func gibberishIsNotAnswered() {
        #expect(engine.decide("asdkjh qwpoe").kind != .answer)
        #expect(engine.decide("").kind != .answer)
    }

    @Test func detectsEnglishAndRendersTheEnglishArticle() throws {
        let decision = engine.decide("how do i apply for a digid")
        #expect(decision.language == .en)
        #expect(decision.question == "digid_aanvragen/aanvragen")
        let reply = engine.render(decision)
        let english = try #require(engine.knowledge.article("digid_aanvragen/aanvragen", language: .en))
        #expect(reply.text == ArticleText.plain(english.body))
        #expect(reply.links == english.links)
        #expect(engine.render(engine.decide("digid aanvragen")).text != reply.text)
    }

    @Test func explicitLanguageWins() {
        #expect(engine.decide("digid aanvragen", language: .en).language == .en)
    }

    @Test func answersComeWithFollowUpButtonsAndHTTPSLinks() {
        let reply = engine.render(engine.decide("digid wachtwoord vergeten"))
        #expect(!reply.links.isEmpty)
        #expect(reply.links.allSatisfy { $0.url.hasPrefix("https://") })
        #expect(reply.article == "digid_inloggen/wachtwoord_vergeten")
        #expect(reply.question == "digid_inloggen/wachtwoord_vergeten")
        #expect(!reply.options.isEmpty)
    }

    @Test func clarifyOffersTheTopTwoAsButtons() {
        let decision = Decision(
            kind: .clarify, intent: nil, score: 4,
            candidates: [
                .init(intent: "digid_app", score: 4, ruleScore: 2, exampleSimilarity: 0.3, contextScore: 0, reasons: []),
                .init(intent: "digid_inloggen", score: 3.9, ruleScore: 2, exampleSimilarity: 0.3, contextScore: 0, reasons: []),
            ], language: .nl, analysis: engine.analyze("digid"), rationale: .chosen)
        let reply = engine.render(decision)
        #expect(reply.options.map(\.id) == ["digid_app", "digid_inloggen"])
    }

    @Test func explanationNamesTheCorrections() {
        let decision = engine.decide("wachtwoort vergete digi d")
        let text = Explanation.text(decision)
        #expect(text.contains("digi d"))
        #expect(text.contains("candidates:"))
        #expect(text.contains("decision: answer"))
    }

    @Test func renderedTextHasNoMarkdown() {
        for intent in engine.knowledge.intents {
            let reply = engine.render(engine.answer(intent: intent.id, language: .nl))
            #expect(!reply.text.contains("**"), "\(intent.id)")
            #expect(!reply.text.isEmpty, "\(intent.id)")
        }
    }
}
