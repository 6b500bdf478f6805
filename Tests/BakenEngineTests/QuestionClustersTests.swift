import Testing

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
}
