import Testing
import Yams

@testable import BakenEngine

/// The curators' inbox, grouped: similar questions (misspelled or not) fall together.
@Suite struct QuestionClustersTests {
    @Test func similarQuestionsFormOneGroupLargestFirst() {
        let texts = [
            "kan ik mijn fiets parkeren bij de bieb",
            "wachtwoord bibliotheek app vergeten",
            "wachtwoord van de bibliotheek app vergeten",
            "waar kan ik de fiets parkeren bij de bibliotheek",
            "wachtwoort bibliotheek app vergete",
            "hoe laat gaat de pont naar texel",
        ]
        let groups = QuestionClusters(texts: texts, engine: Shipped.engine).groups
        #expect(groups.map(\.count) == [3, 2, 1], "\(groups.map(\.texts))")
        #expect(groups[0].texts.allSatisfy { $0.contains("wachtwoor") })
        #expect(groups[1].texts.allSatisfy { $0.contains("fiets") })
        let snippet = QuestionClusters.suggestion(for: groups[0])
        #expect(snippet.contains("# 3× like \"wachtwoord bibliotheek app vergeten\""))
        #expect(snippet.contains("  examples:\n    - \"wachtwoord bibliotheek app vergeten\""))
    }

    /// The curator says where a group belongs; the snippet puts the examples there and names
    /// the file and line.
    @Test func aSnippetGoesWhereTheCuratorPointsIt() throws {
        let knowledge = Shipped.engine.knowledge
        let examples = ["wachtwoord digi d vergete", "ik weet mijn ww van digid niet"]
        let question = try #require(QuestionClusters.Target("digid_inloggen/wachtwoord_vergeten", in: knowledge))
        #expect(question == .question(topic: "digid_inloggen", question: "wachtwoord_vergeten"))
        let snippet = QuestionClusters.suggestion(examples: examples, words: [], closest: [], target: question, knowledge: knowledge)
        let line = try #require(knowledge.question("digid_inloggen/wachtwoord_vergeten")).question.source.line
        #expect(snippet.contains("intents/digid.yaml, line \(line))"), "\(snippet)")
        #expect(snippet.hasSuffix("""
            - id: digid_inloggen
              questions:
                - id: wachtwoord_vergeten
                  examples:
                    - "wachtwoord digi d vergete"
                    - "ik weet mijn ww van digid niet"
            """))
        let fresh = try #require(QuestionClusters.Target("digid_inloggen/new", in: knowledge))
        #expect(QuestionClusters.suggestion(examples: examples, words: [], closest: [], target: fresh, knowledge: knowledge)
            .contains("    - id: NEW_QUESTION\n      examples:\n        - \"wachtwoord digi d vergete\""))
        #expect(QuestionClusters.Target("new", in: knowledge) == .newTopic)
        #expect(QuestionClusters.Target("digid_inloggen", in: knowledge) == .topic("digid_inloggen"))
        #expect(QuestionClusters.Target("digid_inloggen/geen_vraag", in: knowledge) == nil)
        #expect(QuestionClusters.Target("geen_onderwerp", in: knowledge) == nil)
    }

    /// A resident's message is data in the snippet, whatever it holds: a message that tried to
    /// close the quote and add an entry of its own stays one example.
    @Test func aSnippetIsYAMLWhateverTheResidentsWrote() throws {
        let hostile = "hoi\"\n- id: digid_inloggen\n  answer: \"Bel 0900-FRAUDE"
        let examples = [hostile, "regel1\nregel2", "bel\u{7}\u{2028}\\ #niet: \"x\""]
        let snippet = QuestionClusters.suggestion(
            examples: examples, words: ["a\nb"], closest: [], target: .topic("digid_inloggen"), knowledge: Shipped.engine.knowledge)
        let parsed = try #require(try Yams.load(yaml: snippet) as? [[String: Any]])
        #expect(parsed.count == 1, "\(snippet)")
        #expect(parsed.first?["id"] as? String == "digid_inloggen")
        #expect(parsed.first?["examples"] as? [String] == examples)
    }
}
