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
        expectAnswered(text, with: intent)
    }

    /// `text` is answered (not clarified or declined) with `intent`.
    func expectAnswered(_ text: String, with intent: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        let decision = engine.decide(text)
        #expect(decision.kind == .answer, "\(text): \(Explanation.text(decision))", sourceLocation: sourceLocation)
        #expect(decision.intent == intent, "\(text): \(Explanation.text(decision))", sourceLocation: sourceLocation)
    }

    @Test(arguments: ["wat voor weer wordt het morgen", "recept voor appeltaart", "wie won er gisteren bij het voetbal"])
    func outOfScopeIsNotAnswered(text: String) {
        let decision = engine.decide(text)
        #expect(decision.kind == .outOfScope || decision.kind == .decline, "\(text): \(Explanation.text(decision))")
    }

    /// An opinion, the news or someone's job, with a word of a topic in it, asks nothing: it is
    /// declined — where, without the remarks rule, a topic would answer it — with that topic
    /// still offered as a button, and the explanation names the word that decided.
    @Test(arguments: [
        ("mijn broer werkt bij het uwv in alkmaar", "werkt bij het"),
        ("het nieuws over de aow leeftijd, jammer", "nieuws"),
        ("mijn zoon werkt bij de belastingdienst", "werkt bij de"),
        ("the tax office is a disgrace", "disgrace"),
        ("pensioen in nederland is een puinhoop", "puinhoop"),
        ("wat vind jij van de digid app", "wat vind jij"),
    ])
    func remarksAreNotAnsweredWithATopic(text: String, marker: String) throws {
        let withoutRule = Self.without(remarks: true).decide(text)
        #expect(withoutRule.kind == .answer || withoutRule.kind == .clarify, "\(text): \(Explanation.text(withoutRule))")
        let decision = engine.decide(text)
        #expect(decision.kind == .decline, "\(text): \(Explanation.text(decision))")
        #expect(decision.rationale == .remark(marker: marker), "\(text): \(decision.reason)")
        let topic = try #require(withoutRule.intent ?? withoutRule.candidates.first?.intent)
        let reply = engine.render(decision)
        #expect(reply.options.map(\.id).contains(topic), "\(text): the buttons \(reply.options.map(\.id)) leave out \(topic)")
    }

    /// The shipped knowledge without `intents/remarks.yaml` or without the sensitive rules.
    static func without(remarks: Bool = false, sensitive: Bool = false) -> Engine {
        var base = Shipped.loaded.0
        if remarks { base.remarks = nil }
        if sensitive { base.sensitive = [] }
        return Engine(knowledge: base)
    }

    /// A remark word beside a request, a problem, a question mark or an English "can't" changes
    /// nothing; nor does one in thanks or a scam report, or a word that is a topic's own
    /// (reading the papers in the library).
    @Test(arguments: [
        ("haha ik ben mijn digid wachtwoord vergeten", "digid_inloggen"),
        ("mijn dochter werkt bij de bank, hoe zet ik de bank app op mijn telefoon", "bankieren"),
        ("leuk dat het kan: ebook lenen?", "ebooks"),
        ("irritant, ik kan niet inloggen met digid", "digid_inloggen"),
        ("I can't log in to DigiD, so annoying", "digid_inloggen"),
        ("waar vind je ook alweer het formulier voor de huurtoeslag", "toeslagen"),
        ("de krant lezen in de bibliotheek van den helder", "vestiging"),
        ("op het nieuws zeiden ze dat er nep sms van de belastingdienst komt, ik heb er vanochtend ook een gekregen", "oplichting"),
        ("bedankt, leuk", "bedankt"),
        ("haha bedankt", "bedankt"),
    ])
    func requestsWithARemarkWordAreStillAnswered(text: String, intent: String) {
        expectAnswered(text, with: intent)
    }

    /// "Jammer" beside a death would make a remark; the sensitive rule goes first.
    @Test func aSensitiveSituationIsNeverTakenForARemark() {
        let text = "mijn moeder is overleden, jammer"
        let withoutSensitiveRules = Self.without(sensitive: true).decide(text)
        #expect(withoutSensitiveRules.rationale == .remark(marker: "jammer"), "\(Explanation.text(withoutSensitiveRules))")
        let decision = engine.decide(text)
        if case .remark = decision.rationale { Issue.record("read as a remark: \(decision.reason)") }
        #expect(decision.kind == .answer && decision.intent == "overlijden", "\(Explanation.text(decision))")
    }

    /// Branch names split where the analyser does not merge them ("juliana drop", "nie dorp") are
    /// still found: the place finder joins any run of words, whatever concepts they got.
    @Test(arguments: [("is juliana drop open", "julianadorp"), ("is nie dorp open", "nieuwe_niedorp"), ("openingstijden van den burg", "den_burg")])
    func branchNamesAreFoundHoweverTheyAreSplit(text: String, branch: String) {
        #expect(Shipped.engine.decide(text).places == [branch])
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
