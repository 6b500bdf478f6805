/// What the engine decided about a message, with the reasons.
public struct Decision: Sendable {
    /// The four outcomes of a turn.
    public enum Kind: String, Sendable, Hashable, Codable {
        /// The best intent is clear: answer with its article.
        case answer
        /// Two intents are close: ask which one, with buttons.
        case clarify
        /// Not sure enough: say so and suggest topics.
        case decline
        /// Something the desk does not handle.
        case outOfScope = "out_of_scope"
    }

    /// One scored intent.
    public struct Candidate: Sendable, Hashable {
        public var intent: String
        /// The total score.
        public var score: Double
        /// Points from keywords and phrases.
        public var ruleScore: Double
        /// Cosine similarity (0…1) with the closest example.
        public var exampleSimilarity: Double
        /// Points from the previous turn.
        public var contextScore: Double
        /// Keywords, phrases and the closest example that matched.
        public var reasons: [String]
    }

    public var kind: Decision.Kind
    /// The chosen intent (for `answer` and `out_of_scope`), or nil.
    public var intent: String?
    /// Score of the best candidate.
    public var score: Double
    /// Best candidates, best first.
    public var candidates: [Candidate]
    /// The language of the message (given or detected).
    public var language: Language
    /// How the message was read.
    public var analysis: Analysis
    /// One sentence on why this decision.
    public var reason: String
}

/// The context of the previous turn, to understand short follow-ups ("en de app?").
public struct MatchContext: Sendable, Hashable {
    /// The intent answered last.
    public var previousIntent: String?
    /// Intents offered as buttons in the last reply.
    public var offered: [String]

    /// Creates a context.
    public init(previousIntent: String? = nil, offered: [String] = []) {
        self.previousIntent = previousIntent
        self.offered = offered
    }
}

/// The thresholds of the decide step.
public struct DecisionPolicy: Sendable, Hashable {
    /// Minimum score to answer.
    public var answerThreshold: Double
    /// Minimum score to offer an intent as a clarify button.
    public var clarifyThreshold: Double
    /// The runner-up must be below `best × (1 − margin)` to answer outright.
    public var margin: Double
    /// Weight of the example similarity (0…1) in the score.
    public var exampleWeight: Double

    /// Defaults tuned on the intents' own examples (see `docs/engine.md`).
    public init(answerThreshold: Double = 3.0, clarifyThreshold: Double = 2.0, margin: Double = 0.12, exampleWeight: Double = 6.0) {
        self.answerThreshold = answerThreshold
        self.clarifyThreshold = clarifyThreshold
        self.margin = margin
        self.exampleWeight = exampleWeight
    }
}
