import Foundation

/// The intent engine: normalise → enrich → match the topic → match the question → decide → render.
///
/// ```swift
/// let engine = Engine(knowledge: try KnowledgeLoader(knowledge: "knowledge", intents: "intents").loadValidated())
/// let decision = engine.decide("ik ben mijn wachtwoord van digid vergeten")
/// print(decision.intent ?? "-", decision.question ?? "-", engine.render(decision).text)
/// ```
public struct Engine: Sendable {
    /// The knowledge base the engine answers from (with the `@plaats` concept of the branches added).
    public let knowledge: KnowledgeBase
    /// Thresholds of the decide step.
    public let policy: DecisionPolicy
    private let analyzer: Analyzer
    private let matcher: IntentMatcher
    /// Topic id → a matcher over the topic's questions.
    private let questionMatchers: [String: IntentMatcher]
    private let places: PlaceFinder
    /// Sensitive rules with their concept's feature id.
    private let sensitive: [(feature: Int, rule: SensitiveRule)]
    /// Topics a remark may still get (``RemarkRule/keep``).
    private let remarkKeep: Set<String>
    /// Article id → language → chat text, rendered once.
    private let plainBodies: [String: [Language: String]]

    /// Compiles the knowledge base. Takes tens of milliseconds; build once and share.
    public init(knowledge: KnowledgeBase, policy: DecisionPolicy = .init()) {
        var base = knowledge
        PlaceFinder.addConcept(to: &base)
        self.knowledge = base
        self.policy = policy
        var analyzer = Analyzer(base: base)
        // A topic is also found through the ways residents ask its questions.
        let topics = base.intents.map { intent -> Intent in
            var topic = intent
            topic.examples += intent.questions.flatMap(\.examples)
            return topic
        }
        matcher = IntentMatcher(intents: topics, analyzer: &analyzer)
        var questionMatchers: [String: IntentMatcher] = [:]
        for intent in base.intents where !intent.questions.isEmpty {
            questionMatchers[intent.id] = IntentMatcher(intents: intent.questions.map(\.asIntent), analyzer: &analyzer)
        }
        self.questionMatchers = questionMatchers
        remarkKeep = Set(base.remarks?.keep ?? [])
        sensitive = base.sensitive.map { (analyzer.feature(forReference: $0.concept), $0) }
        analyzer.freeze()
        self.analyzer = analyzer
        places = PlaceFinder(locations: base.locations)
        plainBodies = base.articles.mapValues { $0.mapValues { ArticleText.plain($0.body) } }
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
        var topicContext = context
        topicContext?.previousIntent = context?.previousTopic
        topicContext?.offered = (context?.offered ?? []).map { $0.split(separator: "/").first.map(String.init) ?? $0 }
        var decision = decideTopic(analysis: analysis, language: language, context: topicContext)
        decision.places = places.find(in: analysis)
        // The sensitive situations the message names (a death, debts, fraud), read once.
        let named = sensitive.filter { analysis.features.contains($0.feature) }.map(\.rule)
        // An opinion, the news, a joke: not answered with a topic, unless it names a sensitive
        // situation (then the rule below decides) or its topic is kept (thanks, a scam). It is
        // declined, not turned away: the best topics stay as buttons, so a complaint that was
        // a question after all ("schandalig, mijn toeslag is stopgezet") is one tap from its answer.
        if let marker = analysis.remarkMarker, decision.kind == .answer || decision.kind == .clarify,
            !remarkKeep.contains(decision.intent ?? ""), named.isEmpty
        {
            decision.kind = .decline
            decision.intent = nil
            decision.rationale = .remark(marker: marker)
            return decision
        }
        // A sensitive situation is never answered with a topic that does not cover it.
        if decision.kind == .answer, let topic = decision.intent, let rule = named.first(where: { !$0.topics.contains(topic) }) {
            decision.kind = .decline
            decision.intent = nil
            decision.safeTopics = rule.topics
            decision.rationale = .sensitive(concept: rule.concept, topic: topic)
            return decision
        }
        if decision.kind == .answer, let topic = decision.intent, let questions = questionMatchers[topic] {
            decideQuestion(&decision, questions: questions, topic: topic, context: context)
        }
        return decision
    }

    private func decideTopic(analysis: Analysis, language: Language?, context: MatchContext?) -> Decision {
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
        // A message with no word of the topic's own (only a resemblance to its examples) is
        // never answered with it.
        guard best.ruleScore > 0 else {
            return decision(.decline, nil, .noTopicWord(intent: best.intent))
        }
        // Something the desk does not do scores nearly as high ("lotto uitslag": results of a
        // lottery or of a hospital?): not sure enough to answer a topic.
        if let outOfScope = top.first(where: { $0.intent == Intent.outOfScopeID }), outOfScope.score > best.score * (1 - policy.margin) {
            return decision(.decline, nil, .tooClose(first: best.intent, score: best.score, second: outOfScope.intent, secondScore: outOfScope.score))
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

    /// Picks the question of the chosen topic when the message is precise enough; otherwise the
    /// topic's overview with its questions as buttons.
    private func decideQuestion(_ decision: inout Decision, questions: IntentMatcher, topic: String, context: MatchContext?) {
        var scored = questions.score(decision.analysis, context: nil, policy: policy)
        // A short follow-up in the same topic ("en als ik geen sms krijg?") keeps to that topic's
        // questions; the previous question itself gets a small nudge only when nothing else fits.
        if let previous = context?.previousQuestion, previous.hasPrefix(topic + "/") {
            let local = String(previous.dropFirst(topic.count + 1))
            for index in scored.indices where scored[index].intent == local { scored[index].contextScore += 0.3 }
        }
        scored.sort { ($0.score + $0.contextScore, $1.intent) > ($1.score + $1.contextScore, $0.intent) }
        decision.questionCandidates = Array(scored.prefix(4)).map { candidate in
            var named = candidate
            named.intent = topic + "/" + candidate.intent
            return named
        }
        guard let best = scored.first else {
            decision.questionRationale = .noSharedWord(topic: topic)
            return
        }
        // When the runner-up is close ("digi d kwijt": password or username?), ask, with the
        // questions as buttons.
        let second = scored.dropFirst().first?.score ?? 0
        let score = best.score
        let question = topic + "/" + best.intent
        if score < policy.questionThreshold {
            decision.questionRationale = .belowThreshold(question: question, score: score, threshold: policy.questionThreshold)
        } else if second > score * (1 - policy.questionMargin) {
            decision.questionRationale = .tooClose(question: question, score: score, runnerUp: second)
        } else {
            decision.question = question
            decision.questionRationale = .chosen(question: question, score: score, runnerUp: second)
        }
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
            if let question = decision.question, let answer = knowledge.article(question, language: language) {
                let related = answer.related.compactMap { option(for: intent.id + "/" + $0, language: language) }
                var reply = Reply(
                    text: text(of: answer), options: related, links: answer.links, article: answer.id, offer: answer.offer ?? article.offer)
                reply.question = question
                return reply
            }
            if decision.kind == .answer, !intent.questions.isEmpty {
                let prompt = article.prompt ?? Phrases.whichQuestion(language)
                return Reply(
                    text: text(of: article) + "\n\n" + prompt, options: intent.questions.compactMap { option(for: $0.fullID, language: language) },
                    links: article.links, article: article.id)
            }
            var options = intent.followups.compactMap { option(for: $0, language: language) }
            if decision.kind == .outOfScope { options = suggestions(language) }
            return Reply(
                text: text(of: article), options: options, links: article.links, article: article.id,
                offer: article.offer)
        case .clarify:
            let choices = decision.candidates.filter { $0.intent != Intent.outOfScopeID }.prefix(2)
            return Reply(text: Phrases.clarify(language), options: choices.compactMap { option(for: $0.intent, language: language) })
        case .decline where !decision.safeTopics.isEmpty:
            return Reply(text: Phrases.sensitive(language), options: decision.safeTopics.compactMap { option(for: $0, language: language) })
        case .decline:
            var options = decision.candidates.filter { $0.intent != Intent.outOfScopeID && $0.score >= 1 }.prefix(3)
                .compactMap { option(for: $0.intent, language: language) }
            if options.isEmpty { options = suggestions(language) }
            return Reply(text: Phrases.decline(language), options: options)
        }
    }

    /// The button leading to a topic (`toeslagen`) or a question (`toeslagen/huurtoeslag`): its article's title.
    public func option(for id: String, language: Language) -> Reply.Option? {
        if id.contains("/") {
            guard knowledge.question(id) != nil, let article = knowledge.article(id, language: language) else { return nil }
            return .init(id: id, label: article.title)
        }
        guard let intent = knowledge.intent(id), let article = knowledge.article(intent.article, language: language) else { return nil }
        return .init(id: intent.id, label: article.title)
    }

    /// The decision for a button press: a topic's overview, or a question's answer (`TOPIC/QUESTION`).
    public func answer(intent id: String, language: Language) -> Decision {
        let analysis = analyzer.analyze("")
        let parts = id.split(separator: "/", maxSplits: 1).map(String.init)
        var decision = Decision(
            kind: parts[0] == Intent.outOfScopeID ? .outOfScope : .answer, intent: parts[0], score: 0, candidates: [], language: language,
            analysis: analysis, rationale: .chosen)
        if parts.count == 2 { decision.question = id }
        return decision
    }

    /// The main topics, as buttons.
    public func suggestions(_ language: Language) -> [Reply.Option] {
        ["digid_inloggen", "belastingaangifte", "toeslagen", "spreekuur"].compactMap { option(for: $0, language: language) }
    }
}
