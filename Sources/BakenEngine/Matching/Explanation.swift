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
                    format: "  %-20@ %6.2f  (rules %.1f + example %.2f%@; covers %.0f%% of the words)", candidate.intent as NSString, candidate.score,
                    candidate.ruleScore, candidate.exampleSimilarity, candidate.contextScore > 0 ? String(format: " + context %.1f", candidate.contextScore) : "", candidate.coverage * 100))
            var reasons = candidate.reasons
            if let example = candidate.closestExample { reasons.append("closest example: \"\(example)\"") }
            lines.append("      " + reasons.joined(separator: ", "))
        }
        lines.append("decision: \(decision.kind.rawValue)\(decision.intent.map { " → " + $0 } ?? "") — \(decision.reason)")
        if !decision.questionCandidates.isEmpty || decision.questionReason != nil {
            lines.append("questions:")
            for candidate in decision.questionCandidates {
                var reasons = candidate.reasons
                if let example = candidate.closestExample { reasons.append("closest example: \"\(example)\"") }
                lines.append(
                    String(
                        format: "  %-40@ %6.2f  (rules %.1f + example %.2f)", candidate.intent as NSString, candidate.score, candidate.ruleScore,
                        candidate.exampleSimilarity))
                if !reasons.isEmpty { lines.append("      " + reasons.joined(separator: ", ")) }
            }
            lines.append("question: \(decision.question ?? "none: the topic's questions as buttons") — \(decision.questionReason ?? "")")
        }
        if !decision.places.isEmpty { lines.append("branches named: \(decision.places.joined(separator: ", "))") }
        return lines.joined(separator: "\n")
    }
}

/// The `baken ask --json` object.
public enum DecisionJSON {
    /// Encodes a decision and its rendered reply as one JSON object; `intent` is `null` when none.
    public static func encode(_ decision: Decision, reply: Reply, explain: Bool) -> String {
        func rounded(_ value: Double) -> Double { (value * 1000).rounded() / 1000 }
        var object: [String: Any] = [
            "decision": decision.kind.rawValue,
            "intent": decision.intent ?? NSNull(),
            "question": decision.question ?? NSNull(),
            "places": decision.places,
            "score": rounded(decision.score),
            "language": decision.language.rawValue,
            "candidates": decision.candidates.map { candidate -> [String: Any] in
                var item: [String: Any] = [
                    "intent": candidate.intent, "score": rounded(candidate.score), "rules": candidate.ruleScore,
                    "example_similarity": rounded(candidate.exampleSimilarity), "coverage": rounded(candidate.coverage),
                ]
                if explain {
                    item["reasons"] = candidate.reasons
                    item["closest_example"] = candidate.closestExample ?? NSNull()
                }
                return item
            },
            "text": reply.text,
            "options": reply.options.map { ["id": $0.id, "label": $0.label] },
            "links": reply.links.map { ["title": $0.title, "url": $0.url] },
            "reason": decision.reason,
        ]
        if explain {
            object["question_reason"] = decision.questionReason ?? NSNull()
            object["question_candidates"] = decision.questionCandidates.map { candidate -> [String: Any] in
                ["question": candidate.intent, "score": rounded(candidate.score), "reasons": candidate.reasons]
            }
            object["tokens"] = decision.analysis.tokens.map {
                ["original": $0.original, "read_as": $0.readAs, "recognition": $0.recognition.rawValue, "concepts": $0.concepts] as [String: Any]
            }
        }
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
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
            "question_accuracy": result.questionAccuracy,
            "question_cases": result.questionCases.count,
            "per_style": result.perStyle.map { item -> [String: Any] in
                ["style": item.style, "accuracy": item.accuracy, "question_accuracy": item.questionAccuracy ?? NSNull(), "count": item.count]
            },
            "per_question": result.perQuestion.map { ["question": $0.question, "accuracy": $0.accuracy, "count": $0.count] },
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
