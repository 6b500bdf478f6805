import Testing

@testable import BakenEngine

@Suite struct KnowledgeLoaderTests {
    @Test func shippedKnowledgeBaseHasNoErrors() {
        let errors = Shipped.loaded.1.filter { $0.severity == .error }
        #expect(errors.isEmpty, "\(errors.map(\.description).joined(separator: "\n"))")
    }

    @Test func shippedKnowledgeBaseHasEveryRequiredIntentAndBothLanguages() {
        let base = Shipped.loaded.0
        for id in KnowledgeLoader.requiredIntents {
            let intent = try? #require(base.intent(id))
            #expect(intent != nil, "missing intent \(id)")
            if let intent {
                #expect(base.articles[intent.article]?[.nl] != nil, "no Dutch article for \(id)")
                #expect(base.articles[intent.article]?[.en] != nil, "no English article for \(id)")
            }
        }
        // Every municipality has at least one general branch (children's libraries are not
        // offered for digital help).
        for municipality in ["Den Helder", "Hollands Kroon", "Schagen", "Texel"] {
            #expect(base.locations.contains { $0.municipality == municipality && $0.kind != "children" }, "\(municipality)")
        }
        #expect(Set(base.locations.map(\.municipality)) == ["Den Helder", "Hollands Kroon", "Schagen", "Texel"])
    }

    @Test func everyShippedLinkIsHTTPS() {
        for versions in Shipped.loaded.0.articles.values {
            for article in versions.values {
                for link in article.links { #expect(link.url.hasPrefix("https://"), "\(article.source): \(link.url)") }
            }
        }
    }

    @Test func brokenYAMLIsReportedWithFileAndLine() throws {
        let kb = try TemporaryKnowledge()
        try kb.write("intents/concepts.yaml", "concepts:\n  digid: [digid]\n")
        try kb.write("intents/broken.yaml", "intents:\n  - id: a\n    keywords: {digid: 2\n    examples: [x]\n")
        let problems = kb.load().1
        let broken = try #require(problems.first { $0.code == "broken_yaml" })
        #expect(broken.location.file.hasSuffix("intents/broken.yaml"))
        #expect(broken.location.line >= 3)
        #expect(broken.severity == .error)
    }

    @Test func crossReferenceProblemsAreErrorsWithHints() throws {
        let kb = try TemporaryKnowledge()
        try kb.write("knowledge/nl/alpha.md", TemporaryKnowledge.article("alpha", "nl"))
        try kb.write("knowledge/en/alpha.md", TemporaryKnowledge.article("alpha", "en", link: "http://insecure.example"))
        try kb.write("knowledge/nl/beta.md", TemporaryKnowledge.article("beta", "nl"))  // no English version
        try kb.write("intents/concepts.yaml", "concepts:\n  digid: [digid]\n")
        try kb.write(
            "intents/a.yaml",
            """
            intents:
              - id: alpha
                article: alpha
                keywords: {"@nope": 2}
                examples: [een, twee, drie, vier, vijf]
              - id: alpha
                article: alpha
                examples: [x]
              - id: gamma
                article: gamma
                followups: [delta]
            """)
        let problems = kb.load().1
        func has(_ code: String, _ line: Int? = nil, file: String? = nil) -> Bool {
            problems.contains { $0.code == code && (line == nil || $0.location.line == line) && (file == nil || $0.location.file.hasSuffix(file!)) }
        }
        #expect(has("link_not_https", 7, file: "en/alpha.md"))
        #expect(has("missing_translation", file: "nl/beta.md"))
        #expect(has("unknown_concept", 2, file: "intents/a.yaml"))
        #expect(has("duplicate_id", 6))
        #expect(has("unknown_article", 9))
        #expect(has("no_examples", 9))
        #expect(has("unknown_intent", 9))
        #expect(has("missing_intent"))
        #expect(problems.allSatisfy { !$0.message.isEmpty })
        #expect(problems.first { $0.code == "unknown_article" }?.hint.contains("knowledge/en/gamma.md") == true)
    }

    @Test func aMissingListOfCommonWordsIsWarnedAbout() throws {
        #expect(!Shipped.loaded.1.contains { $0.code == "missing_common_words" }, "the shipped intents have the list")
        let kb = try TemporaryKnowledge()
        try kb.write("intents/concepts.yaml", "concepts:\n  digid: [digid]\n")
        let warning = kb.load().1.first { $0.code == "missing_common_words" }
        #expect(warning?.severity == .warning)
        #expect(warning?.location.file.hasSuffix("intents/common-words.txt") == true)
        #expect(warning?.hint.contains("common_words.py") == true)
        try kb.write("intents/common-words.txt", "# a list\nerachter\n")
        #expect(!kb.load().1.contains { $0.code == "missing_common_words" })
    }

    @Test func articleWithoutFrontMatterIsAnError() throws {
        let kb = try TemporaryKnowledge()
        try kb.write("knowledge/nl/x.md", "Just text\n")
        let problem = try #require(kb.load().1.first { $0.code == "missing_front_matter" })
        #expect(problem.location.line == 1)
    }
}
