import ArgumentParser
import BakenDesk
import BakenEngine
import Foundation

struct Eval: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Measure accuracy on a JSON Lines file of {\"text\", \"intent\"} cases.")

    @Argument(help: "The evaluation file (.jsonl).")
    var file: String

    @Flag(help: "Print one JSON object.")
    var json = false

    @Flag(help: "List every case that was not fully right.")
    var errors = false

    @Flag(help: "Show the accuracy per question.")
    var questions = false

    @Option(help: "Try another question threshold (default \(DecisionPolicy().questionThreshold)).")
    var questionThreshold: Double?

    @Option(help: "Try another question margin (default \(DecisionPolicy().questionMargin)).")
    var questionMargin: Double?

    @Option(help: "Try another answer threshold (default \(DecisionPolicy().answerThreshold)).")
    var answerThreshold: Double?

    @Option(help: "Try another clarify margin (default \(DecisionPolicy().margin)).")
    var margin: Double?

    @Option(help: "Try another weight of the example similarity (default \(DecisionPolicy().exampleWeight)).")
    var exampleWeight: Double?

    @Option(help: "Try another coverage weight (default \(DecisionPolicy().coverageWeight)).")
    var coverageWeight: Double?

    @Option(help: "Try another confident score (default \(DecisionPolicy().confidentScore)).")
    var confidentScore: Double?

    @Option(help: "Try another uncertain ratio (default \(DecisionPolicy().uncertainRatio)).")
    var uncertainRatio: Double?

    @OptionGroup var options: KnowledgeOptions

    func run() throws {
        var policy = DecisionPolicy()
        if let answerThreshold { policy.answerThreshold = answerThreshold }
        if let margin { policy.margin = margin }
        if let exampleWeight { policy.exampleWeight = exampleWeight }
        if let coverageWeight { policy.coverageWeight = coverageWeight }
        if let confidentScore { policy.confidentScore = confidentScore }
        if let uncertainRatio { policy.uncertainRatio = uncertainRatio }
        if let questionThreshold { policy.questionThreshold = questionThreshold }
        if let questionMargin { policy.questionMargin = questionMargin }
        let engine = Engine(knowledge: try options.load(), policy: policy)
        let cases: [Evaluation.Case]
        do {
            // Masked as the desk masks what residents type before the engine reads it.
            cases = try Evaluation.load(file: file).map { item in
                var masked = item
                masked.text = PrivacyFilter.maskResident(item.text)
                return masked
            }
        } catch {
            printError("\(error)")
            throw ExitCode(1)
        }
        let result = Evaluation(engine: engine, cases: cases)
        if json {
            print(EvaluationJSON.encode(result))
            return
        }
        print(String(format: "cases: %d", result.count))
        print(String(format: "accuracy: %.1f%%", result.accuracy * 100))
        print(String(format: "confidently wrong: %.1f%%", result.confidentlyWrongRate * 100))
        print(String(format: "out-of-scope answered anyway: %.1f%%", result.outOfScopeFalseAcceptRate * 100))
        if !result.questionCases.isEmpty {
            print(String(format: "question accuracy: %.1f%% (%d cases with a question label)", result.questionAccuracy * 100, result.questionCases.count))
        }
        if !result.perStyle.isEmpty {
            print("\nstyle                   topic  question  cases")
            for item in result.perStyle {
                print(
                    item.style.padding(toLength: 22, withPad: " ", startingAt: 0)
                        + String(format: "%6.1f%%", item.accuracy * 100)
                        + (item.questionAccuracy.map { String(format: "%9.1f%%", $0 * 100) } ?? "         -") + String(format: "  %5d", item.count))
            }
        }
        print("\nintent                  precision  recall  cases")
        for score in result.perIntent {
            print(
                score.intent.padding(toLength: 24, withPad: " ", startingAt: 0)
                    + String(format: "%8.0f%%  %5.0f%%  %5d", score.precision * 100, score.recall * 100, score.support))
        }
        if questions, !result.perQuestion.isEmpty {
            print("\nquestion                                      right  cases")
            for item in result.perQuestion {
                print(item.question.padding(toLength: 44, withPad: " ", startingAt: 0) + String(format: "%6.0f%%  %5d", item.accuracy * 100, item.count))
            }
        }
        print("\nmost frequent confusions (expected → got):")
        for item in result.confusions.prefix(15) { print("  \(item.count)× \(item.expected) → \(item.predicted)") }
        if errors {
            print("\ncases not fully right:")
            for outcome in result.outcomes where outcome.credit < 1 || (outcome.questionCredit ?? 1) < 1 {
                let question = outcome.testCase.question.map { " ?\($0) → \(outcome.predictedQuestion ?? "-")" } ?? ""
                print("  [\(outcome.testCase.intent) → \(outcome.decision.rawValue) \(outcome.predicted)\(question)] \(outcome.testCase.text)")
            }
        }
    }
}
