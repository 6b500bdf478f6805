import Testing

@testable import BakenEngine

/// The committed accuracy floor on the shipped, held-out evaluation set. Raise it when the
/// engine or the intents improve; never lower it to make a change pass.
let accuracyFloor = 0.86
let confidentlyWrongCeiling = 0.06

@Suite struct EvaluationTests {
    @Test func shippedEvaluationSetMeetsTheFloor() throws {
        let cases = try Evaluation.load(file: Shipped.root + "/Tests/Fixtures/eval-dev.jsonl")
        #expect(cases.count >= 600)
        let result = Evaluation(engine: Shipped.engine, cases: cases)
        #expect(result.accuracy >= accuracyFloor, "accuracy \(result.accuracy)")
        #expect(result.confidentlyWrongRate <= confidentlyWrongCeiling, "confidently wrong \(result.confidentlyWrongRate)")
    }

    @Test(arguments: ["eval-dev.jsonl", "eval-test.jsonl"])
    func evaluationSetIsKeptApartFromTheExamples(file: String) throws {
        let cases = try Evaluation.load(file: Shipped.root + "/Tests/Fixtures/" + file)
        // One- and two-word messages ("hallo", "aow") are bound to coincide; longer ones must not.
        func key(_ text: String) -> String { Normalizer.tokens(text).map(\.folded).joined(separator: " ") }
        let intents = Shipped.loaded.0.intents
        let examples = Set((intents.flatMap(\.examples) + intents.flatMap { $0.questions.flatMap(\.examples) }).map(key))
        let overlap = cases.filter { $0.text.split(separator: " ").count >= 3 && examples.contains(key($0.text)) }
        #expect(overlap.isEmpty, "\(overlap.map(\.text))")
    }

    @Test func scoringCountsHalfForAClarifyWithTheRightIntentAndFlagsConfidentlyWrong() {
        let engine = Shipped.engine
        let cases = [
            Evaluation.Case(text: "digid wachtwoord vergeten", intent: "digid_inloggen"),
            Evaluation.Case(text: "digid wachtwoord vergeten", intent: "toeslagen"),
            Evaluation.Case(text: "wat voor weer wordt het morgen", intent: "out_of_scope"),
        ]
        let result = Evaluation(engine: engine, cases: cases)
        #expect(result.outcomes[0].credit == 1)
        #expect(result.outcomes[1].confidentlyWrong)
        #expect(result.outcomes[2].credit == 1)
        #expect(abs(result.confidentlyWrongRate - 1.0 / 3) < 1e-9)
    }

    @Test func badLinesAreReportedWithTheirNumber() throws {
        let kb = try TemporaryKnowledge()
        try kb.write("bad.jsonl", "{\"text\": \"a\", \"intent\": \"b\"}\nnot json\n")
        #expect(throws: EvaluationError.self) { try Evaluation.load(file: kb.root + "/bad.jsonl") }
        do {
            _ = try Evaluation.load(file: kb.root + "/bad.jsonl")
        } catch let error as EvaluationError {
            #expect(error.message.hasSuffix("bad.jsonl:2: not a {\"text\", \"intent\"} JSON object."))
        }
    }
}
