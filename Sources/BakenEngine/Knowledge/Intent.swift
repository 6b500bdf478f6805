/// A rule saying what a resident may ask and which article answers (`intents/*.yaml`).
public struct Intent: Sendable, Hashable {
    /// The id of the out-of-scope decision intent.
    public static let outOfScopeID = "out_of_scope"

    /// Stable id, e.g. `digid_aanvragen`.
    public var id: String
    /// The article that answers.
    public var article: String
    /// What the intent is for, in the curator's words.
    public var description: String
    /// Word or `@concept` → weight.
    public var keywords: [String: Double]
    /// Words in this order → weight.
    public var phrases: [String: Double]
    /// Each entry must be present; an entry lists alternatives (`"@a|@b"`).
    public var requires: [[String]]
    /// Any of these present rules the intent out.
    public var excludes: [String]
    /// Utterances that must reach this intent (the curator's test cases).
    public var examples: [String]
    /// Related intents offered as buttons after an answer.
    public var followups: [String]
    /// Where the intent is defined.
    public var source: SourceLocation
    /// The questions residents ask about this topic, each with its own answer and rules.
    public var questions: [Question] = []
    /// Asked above the question buttons when a message names the topic but not the question.
    public var prompt: String? = nil

    /// The question with a local id (`wachtwoord_vergeten`).
    public func question(_ id: String) -> Question? { questions.first { $0.id == id } }

    /// Creates an intent.
    public init(
        id: String, article: String, description: String = "", keywords: [String: Double] = [:],
        phrases: [String: Double] = [:], requires: [[String]] = [], excludes: [String] = [],
        examples: [String] = [], followups: [String] = [], source: SourceLocation = .unknown
    ) {
        self.id = id
        self.article = article
        self.description = description
        self.keywords = keywords
        self.phrases = phrases
        self.requires = requires
        self.excludes = excludes
        self.examples = examples
        self.followups = followups
        self.source = source
    }
}

/// One question inside a topic (`questions:` of an intent), answered by the article
/// `TOPIC/QUESTION`. Its rules only need to tell it apart from the topic's other questions:
/// they are scored after the topic is chosen.
public struct Question: Sendable, Hashable {
    /// Local id, unique within the topic: `wachtwoord_vergeten`.
    public var id: String
    /// The topic (intent id).
    public var topic: String
    /// Word or `@concept` → weight.
    public var keywords: [String: Double]
    /// Words in this order → weight.
    public var phrases: [String: Double]
    /// Ways residents ask it.
    public var examples: [String]
    /// Where it is defined.
    public var source: SourceLocation

    /// The id used in articles, buttons and the protocol: `digid_inloggen/wachtwoord_vergeten`.
    public var fullID: String { topic + "/" + id }

    /// Creates a question.
    public init(
        id: String, topic: String, keywords: [String: Double] = [:], phrases: [String: Double] = [:], examples: [String] = [],
        source: SourceLocation = .unknown
    ) {
        self.id = id
        self.topic = topic
        self.keywords = keywords
        self.phrases = phrases
        self.examples = examples
        self.source = source
    }

    /// The question as an intent of its own, for the per-topic question matcher.
    var asIntent: Intent {
        Intent(id: id, article: fullID, keywords: keywords, phrases: phrases, examples: examples, source: source)
    }
}
