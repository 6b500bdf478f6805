import Foundation

/// Human-readable and JSON views of a decision, for `baken ask --explain` and `--json`.
public enum Explanation {
    /// A few lines: how each word was read, the candidates and their reasons, the decision.
    public static func text(_ decision: Decision) -> String {
        var lines = ["words:"]
        for token in decision.analysis.tokens {
            var line = "  \(token.original)"
            if token.readAs != [Normalizer.fold(token.original)] { line += " → \(token.readAs.joined(separator: " + "))" }
            line += " (\(token.recognition.rawValue))"
            if !token.concepts.isEmpty { line += " " + token.concepts.joined(separator: " ") }
            lines.append(line)
        }
        lines.append("language: \(decision.language.rawValue)")
        lines.append("candidates:")
        for candidate in decision.candidates {
            lines.append(
                String(
                    format: "  %-20@ %6.2f  (rules %.1f + examples %.2f%@)", candidate.intent as NSString, candidate.score, candidate.ruleScore,
                    candidate.exampleSimilarity, candidate.contextScore > 0 ? String(format: " + context %.1f", candidate.contextScore) : ""))
            lines.append("      " + candidate.reasons.joined(separator: ", "))
        }
        lines.append("decision: \(decision.kind.rawValue)\(decision.intent.map { " → " + $0 } ?? "") — \(decision.reason)")
        return lines.joined(separator: "\n")
    }
}

/// The `baken ask --json` object.
public enum DecisionJSON {
    struct Body: Encodable {
        struct CandidateBody: Encodable {
            var intent: String
            var score: Double
            var rules: Double
            var example_similarity: Double
            var reasons: [String]?
        }
        struct TokenBody: Encodable {
            var original: String
            var read_as: [String]
            var recognition: String
            var concepts: [String]
        }
        var decision: String
        var intent: String?
        var score: Double
        var language: String
        var candidates: [CandidateBody]
        var text: String
        var options: [Reply.Option]
        var links: [Link]
        var reason: String
        var tokens: [TokenBody]?
    }

    /// Encodes a decision and its rendered reply as one JSON object.
    public static func encode(_ decision: Decision, reply: Reply, explain: Bool) -> String {
        let body = Body(
            decision: decision.kind.rawValue, intent: decision.intent, score: (decision.score * 1000).rounded() / 1000,
            language: decision.language.rawValue,
            candidates: decision.candidates.map {
                .init(
                    intent: $0.intent, score: ($0.score * 1000).rounded() / 1000, rules: $0.ruleScore,
                    example_similarity: ($0.exampleSimilarity * 1000).rounded() / 1000, reasons: explain ? $0.reasons : nil)
            }, text: reply.text, options: reply.options, links: reply.links, reason: decision.reason,
            tokens: explain
                ? decision.analysis.tokens.map { .init(original: $0.original, read_as: $0.readAs, recognition: $0.recognition.rawValue, concepts: $0.concepts) }
                : nil)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: (try? encoder.encode(body)) ?? Data("{}".utf8), as: UTF8.self)
    }
}

/// The `baken eval --json` object.
public enum EvaluationJSON {
    /// Encodes the headline numbers, per-intent scores and confusions.
    public static func encode(_ result: Evaluation) -> String {
        let object: [String: Any] = [
            "count": result.count,
            "accuracy": result.accuracy,
            "confidently_wrong_rate": result.confidentlyWrongRate,
            "out_of_scope_false_accept_rate": result.outOfScopeFalseAcceptRate,
            "per_intent": result.perIntent.map { ["intent": $0.intent, "precision": $0.precision, "recall": $0.recall, "support": $0.support] },
            "confusions": result.confusions.map { ["expected": $0.expected, "predicted": $0.predicted, "count": $0.count] },
        ]
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}

/// Authoring is testing: every example of an intent should reach that intent.
public enum ExampleCheck {
    /// A warning for each example that does not get its own intent.
    public static func run(engine: Engine) -> [Diagnostic] {
        var problems: [Diagnostic] = []
        for intent in engine.knowledge.intents {
            for example in intent.examples {
                let decision = engine.decide(example)
                let ok = decision.intent == intent.id || (intent.id == Intent.outOfScopeID && decision.kind == .decline)
                if !ok {
                    let got = decision.intent ?? decision.kind.rawValue
                    problems.append(
                        Diagnostic(
                            .warning, "example_misses", at: intent.source,
                            "Example \"\(example)\" of '\(intent.id)' gets \(got) (\(decision.kind.rawValue)).",
                            hint: "Add a keyword or concept that singles out '\(intent.id)', or run `baken ask \"\(example)\" --explain`."))
                }
            }
        }
        return problems
    }
}
