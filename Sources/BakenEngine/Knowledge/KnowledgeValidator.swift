/// Cross-file checks: references resolve, every article has both languages, the required
/// intents exist, every intent has examples.
struct KnowledgeValidator {
    var base: KnowledgeBase
    /// Today, `YYYY-MM-DD`, to find checks older than a year.
    var today: String

    /// Most words a question's answer may have (B1: one screen on a phone).
    static let maxAnswerWords = 120
    /// Most numbered steps in one answer.
    static let maxSteps = 6

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
        problems += validateQuestions()
        for rule in base.sensitive {
            if base.concepts[String(rule.concept.dropFirst())] == nil {
                problems.append(Diagnostic(.error, "unknown_concept", at: rule.source, "The sensitive rule uses concept '\(rule.concept)', which is not defined."))
            }
            for topic in rule.topics where !intentIDs.contains(topic) {
                problems.append(Diagnostic(.error, "unknown_intent", at: rule.source, "The sensitive rule names topic '\(topic)', which is not an intent."))
            }
        }
        if let rule = base.remarks {
            for topic in rule.keep where !intentIDs.contains(topic) {
                problems.append(Diagnostic(.error, "unknown_intent", at: rule.source, "The remarks rule keeps topic '\(topic)', which is not an intent."))
            }
            if rule.request.isEmpty || rule.remark.isEmpty {
                problems.append(
                    Diagnostic(.error, "missing_field", at: rule.source, "The remarks rule needs both `request:` and `remark:` words.",
                        hint: "Without request words every remark word would turn a question away."))
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
            for question in intent.questions {
                for reference in question.keywords.keys where reference.hasPrefix("@") && base.concepts[String(reference.dropFirst())] == nil {
                    problems.append(
                        Diagnostic(
                            .error, "unknown_concept", at: question.source,
                            "Question '\(question.fullID)' uses concept '\(reference)', which is not defined.",
                            hint: "Add `\(reference.dropFirst()): [...]` to intents/concepts.yaml or fix the name."))
                }
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

    /// Questions and their answers: both exist in both languages, answers are short, sourced
    /// and checked within the last year.
    private func validateQuestions() -> [Diagnostic] {
        var problems: [Diagnostic] = []
        var declared = Set<String>()
        for intent in base.intents {
            for question in intent.questions {
                declared.insert(question.fullID)
                if base.articles[question.fullID] == nil {
                    problems.append(
                        Diagnostic(
                            .error, "unknown_article", at: question.source, "Question '\(question.fullID)' has no answer.",
                            hint: "Create knowledge/nl/\(intent.id)/\(question.id).md and knowledge/en/\(intent.id)/\(question.id).md."))
                }
                if question.examples.count < 3 {
                    problems.append(
                        Diagnostic(
                            .warning, "few_examples", at: question.source, "Question '\(question.fullID)' has \(question.examples.count) examples.",
                            hint: "Add at least 3 ways residents ask it."))
                }
            }
            if !intent.questions.isEmpty, let overview = base.articles[intent.article]?.values.first, overview.prompt == nil {
                problems.append(
                    Diagnostic(
                        .warning, "missing_prompt", at: overview.source, "Topic '\(intent.id)' has questions but its article has no `prompt:`.",
                        hint: "Add `prompt: Wat lukt niet?` (the line above the question buttons)."))
            }
        }
        for (id, versions) in base.articles.sorted(by: { $0.key < $1.key }) where id.contains("/") {
            for article in versions.values.sorted(by: { $0.language.rawValue < $1.language.rawValue }) {
                if !declared.contains(id) {
                    problems.append(
                        Diagnostic(
                            .warning, "unused_article", at: article.source, "No question '\(id)' in intents/ leads to this answer.",
                            hint: "Add it to the `questions:` of topic '\(article.topic)'."))
                }
                let words = ArticleText.plain(article.body).split(whereSeparator: { $0 == " " || $0 == "\n" }).count
                if words > Self.maxAnswerWords {
                    problems.append(
                        Diagnostic(
                            .error, "answer_too_long", at: article.source, "The answer has \(words) words; at most \(Self.maxAnswerWords) fit one phone screen.",
                            hint: "Keep one question per answer; move other cases to questions of their own."))
                }
                let steps = article.body.split(separator: "\n").filter { line in
                    let trimmed = line.drop(while: { $0 == " " })
                    guard let dot = trimmed.firstIndex(of: "."), dot > trimmed.startIndex else { return false }
                    return trimmed[..<dot].allSatisfy(\.isNumber)
                }.count
                if steps > Self.maxSteps {
                    problems.append(
                        Diagnostic(
                            .error, "too_many_steps", at: article.source, "The answer has \(steps) steps; at most \(Self.maxSteps).",
                            hint: "Split it, or link the official page for the rest."))
                }
                for related in article.related where base.articles[article.topic + "/" + related] == nil {
                    problems.append(
                        Diagnostic(.error, "unknown_question", at: article.source, "`related:` names '\(related)', which is not a question of '\(article.topic)'."))
                }
                if article.sources.isEmpty {
                    problems.append(
                        Diagnostic(
                            .error, "no_sources", at: article.source, "The answer names no official page its facts were checked against.",
                            hint: "Add `sources:` with the https:// pages and `checked: YYYY-MM-DD`."))
                } else if let checked = article.checked {
                    if Self.isOlderThanAYear(checked, today: today) {
                        problems.append(
                            Diagnostic(
                                .warning, "stale_check", at: article.source, "The facts were last checked on \(checked), over a year ago.",
                                hint: "Check them again against the sources and update `checked:`."))
                    }
                } else {
                    problems.append(
                        Diagnostic(.error, "no_checked_date", at: article.source, "The answer has sources but no `checked:` date.", hint: "Add `checked: YYYY-MM-DD`."))
                }
            }
        }
        return problems
    }

    /// Whether `date` (`YYYY-MM-DD`) is more than a year before `today`.
    static func isOlderThanAYear(_ date: String, today: String) -> Bool {
        let a = date.split(separator: "-").compactMap { Int($0) }
        let b = today.split(separator: "-").compactMap { Int($0) }
        guard a.count == 3, b.count == 3 else { return false }
        return (a[0] + 1, a[1], a[2]) < (b[0], b[1], b[2])
    }
}
