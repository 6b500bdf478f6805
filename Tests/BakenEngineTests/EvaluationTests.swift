import Testing

@testable import BakenEngine

/// Floors on the two evaluation splits. Raise them when the engine or the intents improve;
/// never lower them to make a change pass.
///
/// The test split is never used to choose words or thresholds; its floors only stop a change
/// from making the engine worse on questions nobody tuned on. The targets of the "precise
/// answers" issue — topic ≥ 93%, question ≥ 85%, confidently wrong ≤ 2%, out-of-scope
/// answered ≤ 3% on the test split — are NOT met yet (README has the measured figures).
struct Floors {
    var accuracy: Double
    var questionAccuracy: Double
    var confidentlyWrong: Double
    var outOfScopeAnswered: Double
}

let devFloors = Floors(accuracy: 0.97, questionAccuracy: 0.95, confidentlyWrong: 0.01, outOfScopeAnswered: 0.02)
/// The second tuning set (2026-12-04): 671 sentences written from the list of questions only;
/// half of them were tuned on, half only looked at in aggregate.
let dev2Floors = Floors(accuracy: 0.93, questionAccuracy: 0.86, confidentlyWrong: 0.013, outOfScopeAnswered: 0.04)
/// The third tuning set (2026-12-06): 430 sentences written by a helper who read only the list
/// of questions (never the intents or articles); before it was tuned on the engine scored
/// 84.2% / 76.5% / 7.0% / 17.9% on it, close to the test split then.
let dev3Floors = Floors(accuracy: 0.89, questionAccuracy: 0.80, confidentlyWrong: 0.027, outOfScopeAnswered: 0.015)
/// The fourth (2026-12-06): 520 sentences written by a helper who read only the list of topics
/// and questions; before tuning 86.2% / 82.2% / 6.2% / 15.5%. The odd lines of that draft
/// (`git show cc39367:Tests/Fixtures/eval-dev4.jsonl`) were tuned on, the even lines only measured
/// in aggregate (README); 51 lines also in another split or an intent example were dropped after.
let dev4Floors = Floors(accuracy: 0.91, questionAccuracy: 0.90, confidentlyWrong: 0.035, outOfScopeAnswered: 0.099)
/// Remark words (2026-12-06): 100 help requests that vent, joke or mention the news or someone's
/// job, and 60 remarks with a topic word, written blind by a helper after the remarks rule was
/// built, to measure what the rule costs and gains. Not tuned on.
let remarksFloors = Floors(accuracy: 0.71, questionAccuracy: 0.665, confidentlyWrong: 0.11, outOfScopeAnswered: 0.20)
/// The fifth (2026-12-06): 400 sentences written blind (topics and questions only), weighted to
/// what the engine does worst: long stories, negation, a word of another topic, vague messages,
/// out-of-scope questions close to the topics. Before tuning 82.0% / 77.7% / 6.2% / 14.9%; its
/// odd lines are the tuning half, its even lines only measured in aggregate. After one round of
/// word fixes on the odd lines: 86.8 / 84.8 / 5.0 / 11.5 (odd 91.0 / 88.3 / 3.5 / 4.7, even
/// 82.5 / 81.2 / 6.5 / 18.2: the held-out half barely moved). About 480 out-of-scope words
/// written from general knowledge (not from any evaluation sentence) then took the even half to
/// 83.0 / 81.2 / 6.0 / 15.9 and the whole to 87.2 / 84.8 / 4.5 / 9.2.
let dev5Floors = Floors(accuracy: 0.874, questionAccuracy: 0.85, confidentlyWrong: 0.046, outOfScopeAnswered: 0.093)
/// The sixth (2026-12-07): 400 sentences written blind (topics and questions only); 39 that were
/// also in another split or among the intents' examples were dropped after the round below,
/// leaving 361. On those 361 before tuning: 89.9% / 86.3% / 4.7% / 11.6%. The odd lines of the
/// draft (`git show 77f0e80:Tests/Fixtures/eval-dev6.jsonl`) were tuned on; the even lines only
/// measured in aggregate: 89.3 / 88.4 / 4.9 / 17.6 before and after the round (182 kept), so
/// the held-out half did not move.
let dev6Floors = Floors(accuracy: 0.925, questionAccuracy: 0.905, confidentlyWrong: 0.034, outOfScopeAnswered: 0.088)
let testFloors = Floors(accuracy: 0.89, questionAccuracy: 0.827, confidentlyWrong: 0.041, outOfScopeAnswered: 0.083)

@Suite struct EvaluationTests {
    @Test(arguments: [("eval-dev.jsonl", devFloors, 1000), ("eval-dev2.jsonl", dev2Floors, 600), ("eval-dev3.jsonl", dev3Floors, 400),
        ("eval-dev4.jsonl", dev4Floors, 450), ("eval-dev5.jsonl", dev5Floors, 400), ("eval-dev6.jsonl", dev6Floors, 350),
        ("eval-remarks.jsonl", remarksFloors, 150), ("eval-test.jsonl", testFloors, 700),
    ])
    func evaluationSplitMeetsItsFloors(file: String, floors: Floors, minimumCases: Int) throws {
        let cases = try Evaluation.load(file: Shipped.root + "/Tests/Fixtures/" + file)
        #expect(cases.count >= minimumCases)
        let result = Evaluation(engine: Shipped.engine, cases: cases)
        #expect(result.accuracy >= floors.accuracy, "\(file): topic accuracy \(result.accuracy)")
        #expect(result.questionAccuracy >= floors.questionAccuracy, "\(file): question accuracy \(result.questionAccuracy)")
        #expect(result.confidentlyWrongRate <= floors.confidentlyWrong, "\(file): confidently wrong \(result.confidentlyWrongRate)")
        #expect(result.outOfScopeFalseAcceptRate <= floors.outOfScopeAnswered, "\(file): out-of-scope answered \(result.outOfScopeFalseAcceptRate)")
    }

    /// The test split has what the issue asks of it: size, styles and question labels.
    @Test func theTestSplitCoversTheStylesResidentsWriteIn() throws {
        let cases = try Evaluation.load(file: Shipped.root + "/Tests/Fixtures/eval-test.jsonl")
        let dev = try Evaluation.load(file: Shipped.root + "/Tests/Fixtures/eval-dev.jsonl")
            + Evaluation.load(file: Shipped.root + "/Tests/Fixtures/eval-dev2.jsonl")
            + Evaluation.load(file: Shipped.root + "/Tests/Fixtures/eval-dev3.jsonl")
            + Evaluation.load(file: Shipped.root + "/Tests/Fixtures/eval-dev4.jsonl")
            + Evaluation.load(file: Shipped.root + "/Tests/Fixtures/eval-dev5.jsonl")
            + Evaluation.load(file: Shipped.root + "/Tests/Fixtures/eval-dev6.jsonl")
            + Evaluation.load(file: Shipped.root + "/Tests/Fixtures/eval-remarks.jsonl")
        let all = cases + dev
        func count(_ styles: String...) -> Int { all.filter { ($0.style ?? []).contains(where: styles.contains) }.count }
        #expect(all.count >= 1500)
        #expect(count("low_literacy", "non_native") >= 300)
        #expect(count("long") >= 100)
        #expect(all.filter { $0.intent == Intent.outOfScopeID }.count >= 150)
        #expect(all.filter { $0.question != nil }.count >= 300)
        #expect(Set(cases.map(\.text)).isDisjoint(with: dev.map(\.text)), "no sentence is in both splits")
    }

    @Test(arguments: [
        "eval-dev.jsonl", "eval-dev2.jsonl", "eval-dev3.jsonl", "eval-dev4.jsonl", "eval-dev5.jsonl", "eval-dev6.jsonl", "eval-remarks.jsonl", "eval-test.jsonl",
    ])
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
