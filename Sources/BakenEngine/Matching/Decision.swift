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
        /// Share (0…1) of the message's content words the intent knows.
        public var coverage: Double = 1
        /// Cosine similarity (0…1) with the closest example.
        public var exampleSimilarity: Double
        /// Points from the previous turn.
        public var contextScore: Double
        /// Keywords and phrases that matched.
        public var reasons: [String]
        /// The intent's example closest to the message.
        public var closestExample: String? = nil
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
    /// Why this decision, kept as data; ``reason`` puts it in words only when asked.
    public var rationale: Rationale
    /// The question of the topic answered (`TOPIC/QUESTION`), or nil for the topic's overview.
    public var question: String? = nil
    /// The topic's questions, scored, best first (empty when the topic has none).
    public var questionCandidates: [Candidate] = []
    /// Why this question, or why none.
    public var questionReason: String? { questionRationale?.description }
    /// Why this question, or why the topic's questions are shown, kept as data (words only when asked).
    var questionRationale: QuestionRationale? = nil
    /// Branches (location ids) the message names, in order.
    public var places: [String] = []
    /// For a sensitive situation: the only topics that may answer it (offered as buttons).
    public var safeTopics: [String] = []

    /// One sentence on why this decision.
    public var reason: String { rationale.description }
}

/// Why the engine decided as it did.
public enum Rationale: Sendable, Hashable, CustomStringConvertible {
    case noKnownWords
    case belowClarify(threshold: Double)
    case outOfScopeWins
    case answered(intent: String, score: Double, runnerUp: Double)
    case tooClose(first: String, score: Double, second: String, secondScore: Double)
    case belowAnswer(score: Double)
    case chosen
    case sensitive(concept: String, topic: String)
    case noTopicWord(intent: String)
    case remark(marker: String)

    public var description: String {
        func f(_ value: Double) -> String { String(format: "%.2f", value) }
        switch self {
        case .noKnownWords: return "No word of the message is in the knowledge base."
        case .belowClarify(let threshold): return "No intent scores \(f(threshold)) or more."
        case .outOfScopeWins: return "The out-of-scope intent scores highest."
        case .answered(let intent, let score, let runnerUp): return "\(intent) scores \(f(score)), the runner-up \(f(runnerUp))."
        case .tooClose(let first, let score, let second, let secondScore):
            return "\(first) (\(f(score))) and \(second) (\(f(secondScore))) are too close to choose."
        case .belowAnswer(let score): return "The best score \(f(score)) is under the answer threshold."
        case .chosen: return "Chosen by the resident."
        case .remark(let marker):
            return "The message is a remark (\"\(marker)\") and asks nothing: declined, its best topics offered as buttons."
        case .noTopicWord(let intent): return "No keyword or phrase of \(intent) is in the message, only a resemblance to its examples."
        case .sensitive(let concept, let topic):
            return "The message names a sensitive situation (\(concept)) that \(topic) does not cover: not answered with it."
        }
    }
}

/// The context of the previous turn, to understand short follow-ups ("en de app?").
public struct MatchContext: Sendable, Hashable {
    /// The intent answered last: a topic (`toeslagen`) or a question (`toeslagen/huurtoeslag`).
    public var previousIntent: String?
    /// The topic of ``previousIntent``.
    public var previousTopic: String? { previousIntent?.split(separator: "/").first.map(String.init) }
    /// ``previousIntent`` when it is a question.
    public var previousQuestion: String? { previousIntent.flatMap { $0.contains("/") ? $0 : nil } }
    /// Intents offered as buttons in the last reply.
    public var offered: [String]
    /// Topics the resident just said no to ("nee, van de bibliotheek"): never chosen.
    public var rejected: Set<String> = []

    /// Creates a context.
    public init(previousIntent: String? = nil, offered: [String] = [], rejected: Set<String> = []) {
        self.previousIntent = previousIntent
        self.offered = offered
        self.rejected = rejected
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
    /// How much a low coverage lowers the score: score × (1 − w × (1 − coverage)).
    public var coverageWeight: Double
    /// A score at or above this answers even with a close runner-up ratio; below it the
    /// runner-up must be under `best × uncertainRatio`.
    public var confidentScore: Double
    /// See `confidentScore`.
    public var uncertainRatio: Double
    /// Minimum score of a question to answer it rather than show the topic's question buttons.
    public var questionThreshold: Double = 2.5
    /// The runner-up question must be below `best × (1 − questionMargin)`.
    public var questionMargin: Double = 0.2

    /// Defaults tuned on the intents' own examples and the dev splits (the coverage weight 0.85
    /// on dev2 and dev3, 2026-12-06; see `docs/engine.md`).
    public init(
        answerThreshold: Double = 3.0, clarifyThreshold: Double = 2.0, margin: Double = 0.12, exampleWeight: Double = 6.0,
        coverageWeight: Double = 0.85, confidentScore: Double = 7.0, uncertainRatio: Double = 0.5
    ) {
        self.coverageWeight = coverageWeight
        self.confidentScore = confidentScore
        self.uncertainRatio = uncertainRatio
        self.answerThreshold = answerThreshold
        self.clarifyThreshold = clarifyThreshold
        self.margin = margin
        self.exampleWeight = exampleWeight
    }
}

/// Why the engine answered a question of the chosen topic, or showed the topic's questions.
enum QuestionRationale: Sendable, Hashable, CustomStringConvertible {
    case noSharedWord(topic: String)
    case belowThreshold(question: String, score: Double, threshold: Double)
    case tooClose(question: String, score: Double, runnerUp: Double)
    case chosen(question: String, score: Double, runnerUp: Double)

    var description: String {
        func f(_ value: Double) -> String { String(format: "%.2f", value) }
        switch self {
        case .noSharedWord(let topic): return "No question of \(topic) shares a word with the message."
        case .belowThreshold(let question, let score, let threshold):
            return "\(question) scores \(f(score)), under \(f(threshold)): the topic's questions are shown."
        case .tooClose(let question, let score, let runnerUp):
            return "\(question) (\(f(score))) and the runner-up (\(f(runnerUp))) are too close: the topic's questions are shown."
        case .chosen(let question, let score, let runnerUp): return "\(question) scores \(f(score)), the runner-up \(f(runnerUp))."
        }
    }
}
