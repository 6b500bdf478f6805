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
