import Foundation

/// The intent engine: normalise → enrich → match → decide → render.
///
/// ```swift
/// let engine = Engine(knowledge: try KnowledgeLoader(knowledge: "knowledge", intents: "intents").loadValidated())
/// let decision = engine.decide("ik ben mijn wachtwoord van digid vergeten")
/// print(decision.intent ?? "-", engine.render(decision).text)
/// ```
public struct Engine: Sendable {
    /// The knowledge base the engine answers from.
    public let knowledge: KnowledgeBase
    /// Thresholds of the decide step.
    public let policy: DecisionPolicy
    private let analyzer: Analyzer
    private let matcher: IntentMatcher
    /// Article id → language → chat text, rendered once.
    private let plainBodies: [String: [Language: String]]

    /// Compiles the knowledge base. Takes tens of milliseconds; build once and share.
    public init(knowledge: KnowledgeBase, policy: DecisionPolicy = .init()) {
        self.knowledge = knowledge
        self.policy = policy
        var analyzer = Analyzer(base: knowledge)
        matcher = IntentMatcher(base: knowledge, analyzer: &analyzer)
        self.analyzer = analyzer
        plainBodies = knowledge.articles.mapValues { $0.mapValues { ArticleText.plain($0.body) } }
    }

    /// The chat text of an article (Markdown removed), as sent to residents.
    public func text(of article: Article) -> String {
        plainBodies[article.id]?[article.language] ?? ArticleText.plain(article.body)
    }

    /// Reads a message the way the engine does, for `--explain`.
    public func analyze(_ text: String) -> Analysis { analyzer.analyze(text) }

    /// Decides what to do with a message.
    /// - Parameters:
    ///   - text: The resident's message.
    ///   - language: The resident's language; detected from the message when nil.
    ///   - context: The previous turn, for short follow-ups.
    public func decide(_ text: String, language: Language? = nil, context: MatchContext? = nil) -> Decision {
        decide(analysis: analyzer.analyze(text), language: language, context: context)
    }

    /// Decides on a message already analysed (``analyze(_:)``), e.g. off a busy thread.
    public func decide(analysis: Analysis, language: Language? = nil, context: MatchContext? = nil) -> Decision {
        let language = language ?? analysis.language
        let candidates = matcher.score(analysis, context: context, policy: policy)
        let top = Array(candidates.prefix(5))
        func decision(_ kind: Decision.Kind, _ intent: String?, _ reason: Rationale) -> Decision {
            Decision(
                kind: kind, intent: intent, score: top.first?.score ?? 0, candidates: top, language: language, analysis: analysis,
                rationale: reason)
        }
        guard let best = top.first, best.score >= policy.clarifyThreshold else {
            if analysis.recognisedWords == 0 && analysis.unknownWords > 0 {
                return decision(.outOfScope, Intent.outOfScopeID, .noKnownWords)
            }
            return decision(.decline, nil, .belowClarify(threshold: policy.clarifyThreshold))
        }
        if best.intent == Intent.outOfScopeID {
            return decision(.outOfScope, Intent.outOfScopeID, .outOfScopeWins)
        }
        let runnerUp = top.dropFirst().first { $0.intent != Intent.outOfScopeID }
        let second = runnerUp?.score ?? 0
        let tooClose = second >= policy.clarifyThreshold && second > best.score * (1 - policy.margin)
        let sure = best.score >= policy.confidentScore || second <= best.score * policy.uncertainRatio
        if best.score >= policy.answerThreshold, sure, !tooClose {
            return decision(.answer, best.intent, .answered(intent: best.intent, score: best.score, runnerUp: second))
        }
        if let runnerUp, second >= policy.clarifyThreshold {
            return decision(
                .clarify, nil, .tooClose(first: best.intent, score: best.score, second: runnerUp.intent, secondScore: second))
        }
        guard best.score >= policy.answerThreshold else {
            return decision(.decline, nil, .belowAnswer(score: best.score))
        }
        return decision(.answer, best.intent, .answered(intent: best.intent, score: best.score, runnerUp: second))
    }

    /// Renders a decision in its language.
    public func render(_ decision: Decision) -> Reply {
        let language = decision.language
        switch decision.kind {
        case .answer, .outOfScope:
            let intentID = decision.intent ?? Intent.outOfScopeID
            guard let intent = knowledge.intent(intentID), let article = knowledge.article(intent.article, language: language) else {
                return Reply(text: Phrases.missingArticle(language))
            }
            var options = intent.followups.compactMap { option(for: $0, language: language) }
            if decision.kind == .outOfScope { options = suggestions(language) }
            return Reply(
                text: text(of: article), options: options, links: article.links, article: article.id,
                offer: article.offer)
        case .clarify:
            let choices = decision.candidates.filter { $0.intent != Intent.outOfScopeID }.prefix(2)
            return Reply(text: Phrases.clarify(language), options: choices.compactMap { option(for: $0.intent, language: language) })
        case .decline:
            var options = decision.candidates.filter { $0.intent != Intent.outOfScopeID && $0.score >= 1 }.prefix(3)
                .compactMap { option(for: $0.intent, language: language) }
            if options.isEmpty { options = suggestions(language) }
            return Reply(text: Phrases.decline(language), options: options)
        }
    }

    /// The button leading to an intent: its article's title.
    public func option(for intentID: String, language: Language) -> Reply.Option? {
        guard let intent = knowledge.intent(intentID), let article = knowledge.article(intent.article, language: language) else { return nil }
        return .init(id: intent.id, label: article.title)
    }

    /// Renders the article of an intent directly (a button press).
    public func answer(intent intentID: String, language: Language) -> Decision {
        let analysis = analyzer.analyze("")
        return Decision(
            kind: intentID == Intent.outOfScopeID ? .outOfScope : .answer, intent: intentID, score: 0, candidates: [], language: language,
            analysis: analysis, rationale: .chosen)
    }

    /// The main topics, as buttons.
    public func suggestions(_ language: Language) -> [Reply.Option] {
        ["digid_inloggen", "belastingaangifte", "toeslagen", "spreekuur"].compactMap { option(for: $0, language: language) }
    }
}
