/// Cross-file checks: references resolve, every article has both languages, the required
/// intents exist, every intent has examples.
struct KnowledgeValidator {
    var base: KnowledgeBase

    func validate() -> [Diagnostic] {
        var problems: [Diagnostic] = []
        let intentIDs = Set(base.intents.map(\.id))
        let partnerIDs = Set(base.partners.map(\.id))

        for (id, versions) in base.articles.sorted(by: { $0.key < $1.key }) {
            for language in Language.allCases where versions[language] == nil {
                let other = versions.values.first!
                problems.append(
                    Diagnostic(
                        .error, "missing_translation", at: other.source,
                        "Article '\(id)' has no \(language == .en ? "English" : "Dutch") version.",
                        hint: "Add knowledge/\(language.rawValue)/\(id).md with `language: \(language.rawValue)`."))
            }
            for article in versions.values {
                if let offer = article.offer, offer != "spreekuur", !partnerIDs.contains(offer) {
                    problems.append(
                        Diagnostic(
                            .error, "unknown_partner", at: article.source, "The article offers '\(offer)', which is not a partner.",
                            hint: "Use `spreekuur` or one of: \(partnerIDs.sorted().joined(separator: ", "))."))
                }
            }
        }
        for intent in base.intents {
            if intent.article.isEmpty {
                problems.append(Diagnostic(.error, "missing_field", at: intent.source, "Intent '\(intent.id)' has no `article`."))
            } else if base.articles[intent.article] == nil {
                problems.append(
                    Diagnostic(
                        .error, "unknown_article", at: intent.source, "Intent '\(intent.id)' answers with article '\(intent.article)', which does not exist.",
                        hint: "Create knowledge/nl/\(intent.article).md and knowledge/en/\(intent.article).md, or fix the id."))
            }
            if intent.examples.isEmpty {
                problems.append(
                    Diagnostic(.error, "no_examples", at: intent.source, "Intent '\(intent.id)' has no examples.", hint: "Add at least 5 examples the way residents write."))
            } else if intent.examples.count < 5 {
                problems.append(
                    Diagnostic(.warning, "few_examples", at: intent.source, "Intent '\(intent.id)' has only \(intent.examples.count) examples.", hint: "Add at least 5."))
            }
            if intent.keywords.isEmpty && intent.phrases.isEmpty {
                problems.append(Diagnostic(.warning, "no_keywords", at: intent.source, "Intent '\(intent.id)' has no keywords or phrases; only its examples match."))
            }
            for reference in intent.keywords.keys.map({ $0 }) + intent.requires.flatMap({ $0 }) + intent.excludes
            where reference.hasPrefix("@") && base.concepts[String(reference.dropFirst())] == nil {
                problems.append(
                    Diagnostic(
                        .error, "unknown_concept", at: intent.source, "Intent '\(intent.id)' uses concept '\(reference)', which is not in concepts.yaml.",
                        hint: "Add `\(reference.dropFirst()): [...]` to intents/concepts.yaml or fix the name."))
            }
            for followup in intent.followups where !intentIDs.contains(followup) {
                problems.append(
                    Diagnostic(.error, "unknown_intent", at: intent.source, "Intent '\(intent.id)' has follow-up '\(followup)', which is not an intent."))
            }
        }
        for required in KnowledgeLoader.requiredIntents where !intentIDs.contains(required) {
            problems.append(
                Diagnostic(
                    .error, "missing_intent", at: .init(file: "intents/", line: 0), "The required intent '\(required)' is missing.",
                    hint: "Every help desk needs it; add it to a file in intents/."))
        }
        return problems
    }
}
