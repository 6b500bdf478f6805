import Foundation

/// Accuracy of the engine on a labelled set of utterances (`baken eval`).
public struct Evaluation: Sendable {
    /// One labelled utterance: `{"text": "...", "intent": "<topic>", "question": "<topic>/<question>", "style": [...]}`;
    /// `question` and `style` are optional.
    public struct Case: Sendable, Codable, Hashable {
        public var text: String
        public var intent: String
        /// The question meant, when the message asks one precisely.
        public var question: String?
        /// How it is written: `plain`, `misspelled`, `low_literacy`, `non_native`, `long`, `english`, …
        public var style: [String]?
        public init(text: String, intent: String, question: String? = nil, style: [String]? = nil) {
            self.text = text
            self.intent = intent
            self.question = question
            self.style = style
        }
    }

    /// What happened to one case.
    public struct Outcome: Sendable, Hashable {
        public var testCase: Case
        public var decision: Decision.Kind
        /// The answered intent, or the clarify options joined with `|`.
        public var predicted: String
        /// 1 right, 0.5 a clarify that offers the right intent, 0 wrong.
        public var credit: Double
        /// Answered with a wrong intent.
        public var confidentlyWrong: Bool
        /// The question answered, if any.
        public var predictedQuestion: String? = nil
        /// For a case with a question label: 1 the question's answer, 0.5 the right topic's overview
        /// (the question is one of its buttons), 0 otherwise. Nil without a label.
        public var questionCredit: Double? = nil
    }

    /// Precision and recall of one intent.
    public struct IntentScore: Sendable, Hashable {
        public var intent: String
        public var precision: Double
        public var recall: Double
        public var support: Int
    }

    public var outcomes: [Outcome]

    /// Runs every case through the engine.
    ///
    /// Scoring: an answer with the right intent is right; a clarify whose buttons include the
    /// right intent counts half; for `out_of_scope` cases, an out-of-scope decision or a decline
    /// (nothing answered) is right. An answer with another intent is *confidently wrong*.
    public init(engine: Engine, cases: [Case]) {
        outcomes = cases.map { item in
            let decision = engine.decide(item.text)
            switch decision.kind {
            case .answer:
                let right = decision.intent == item.intent
                var outcome = Outcome(
                    testCase: item, decision: .answer, predicted: decision.intent ?? "", credit: right ? 1 : 0, confidentlyWrong: !right)
                outcome.predictedQuestion = decision.question
                if let expected = item.question {
                    outcome.questionCredit = decision.question == expected ? 1 : (right && decision.question == nil ? 0.5 : 0)
                }
                return outcome
            case .outOfScope, .decline:
                let right = item.intent == Intent.outOfScopeID
                let label = decision.kind == .outOfScope ? Intent.outOfScopeID : "(decline)"
                return Outcome(
                    testCase: item, decision: decision.kind, predicted: label, credit: right ? 1 : 0, confidentlyWrong: false,
                    questionCredit: item.question == nil ? nil : 0)
            case .clarify:
                let offered = decision.candidates.filter { $0.intent != Intent.outOfScopeID }.prefix(2).map(\.intent)
                return Outcome(
                    testCase: item, decision: .clarify, predicted: offered.joined(separator: "|"),
                    credit: offered.contains(item.intent) ? 0.5 : 0, confidentlyWrong: false, questionCredit: item.question == nil ? nil : 0)
            }
        }
    }

    /// Reads a JSON Lines file of cases; reports the line of a bad entry.
    public static func load(file: String) throws -> [Case] {
        guard let data = FileManager.default.contents(atPath: file), let text = String(data: data, encoding: .utf8) else {
            throw EvaluationError(message: "\(file): cannot read the file.")
        }
        var cases: [Case] = []
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            guard !trimmed.isEmpty else { continue }
            do {
                cases.append(try JSONDecoder().decode(Case.self, from: Data(trimmed.utf8)))
            } catch {
                throw EvaluationError(message: "\(file):\(number + 1): not a {\"text\", \"intent\"} JSON object.")
            }
            if let question = cases.last?.question, !question.hasPrefix(cases[cases.count - 1].intent + "/") {
                throw EvaluationError(message: "\(file):\(number + 1): the question '\(question)' is not of the topic '\(cases[cases.count - 1].intent)'.")
            }
        }
        return cases
    }

    public var count: Int { outcomes.count }
    /// Share of credit over all cases.
    public var accuracy: Double { count == 0 ? 0 : outcomes.reduce(0) { $0 + $1.credit } / Double(count) }
    /// Share of cases answered with a wrong intent.
    public var confidentlyWrongRate: Double { rate(outcomes.filter(\.confidentlyWrong).count, count) }
    /// Share of out-of-scope cases that were answered with an intent.
    public var outOfScopeFalseAcceptRate: Double {
        let oos = outcomes.filter { $0.testCase.intent == Intent.outOfScopeID }
        return rate(oos.filter { $0.decision == .answer }.count, oos.count)
    }

    /// Cases with a question label.
    public var questionCases: [Outcome] { outcomes.filter { $0.questionCredit != nil } }
    /// Share of question credit over the cases with a question label.
    public var questionAccuracy: Double {
        let labelled = questionCases
        return labelled.isEmpty ? 0 : labelled.reduce(0) { $0 + ($1.questionCredit ?? 0) } / Double(labelled.count)
    }

    /// Topic accuracy, question accuracy and count per style tag, tags sorted.
    public var perStyle: [(style: String, accuracy: Double, questionAccuracy: Double?, count: Int)] {
        let styles = Set(outcomes.flatMap { $0.testCase.style ?? [] }).sorted()
        return styles.map { style in
            let group = outcomes.filter { $0.testCase.style?.contains(style) ?? false }
            let labelled = group.compactMap(\.questionCredit)
            return (
                style, group.reduce(0) { $0 + $1.credit } / Double(group.count),
                labelled.isEmpty ? nil : labelled.reduce(0, +) / Double(labelled.count), group.count
            )
        }
    }

    /// Question accuracy and count per labelled question.
    public var perQuestion: [(question: String, accuracy: Double, count: Int)] {
        Dictionary(grouping: questionCases, by: { $0.testCase.question ?? "" }).map { question, group in
            (question, group.reduce(0) { $0 + ($1.questionCredit ?? 0) } / Double(group.count), group.count)
        }.sorted { $0.question < $1.question }
    }

    /// Precision and recall per expected intent.
    public var perIntent: [IntentScore] {
        let intents = Set(outcomes.map(\.testCase.intent)).sorted()
        return intents.map { intent in
            let expected = outcomes.filter { $0.testCase.intent == intent }
            let predicted = outcomes.filter { $0.decision != .clarify && $0.predicted == intent }
            let hits = predicted.filter { $0.testCase.intent == intent }.count
            return IntentScore(
                intent: intent, precision: predicted.isEmpty ? 1 : Double(hits) / Double(predicted.count),
                recall: expected.isEmpty ? 1 : Double(expected.filter { $0.credit == 1 }.count) / Double(expected.count),
                support: expected.count)
        }
    }

    /// (expected, predicted) → count, for the cases not fully right, most frequent first.
    public var confusions: [(expected: String, predicted: String, count: Int)] {
        var counts: [String: Int] = [:]
        for outcome in outcomes where outcome.credit < 1 { counts[outcome.testCase.intent + "\t" + outcome.predicted, default: 0] += 1 }
        return counts.map { key, value in
            let parts = key.split(separator: "\t", omittingEmptySubsequences: false)
            return (String(parts[0]), String(parts[1]), value)
        }.sorted { ($0.count, $1.expected) > ($1.count, $0.expected) }
    }

    private func rate(_ part: Int, _ whole: Int) -> Double { whole == 0 ? 0 : Double(part) / Double(whole) }
}

/// A problem reading an evaluation file.
public struct EvaluationError: Error, CustomStringConvertible, Sendable {
    public var message: String
    public var description: String { message }
}
