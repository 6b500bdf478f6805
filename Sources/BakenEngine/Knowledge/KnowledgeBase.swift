/// Everything curators maintain: articles, intents, concepts, locations and partners.
public struct KnowledgeBase: Sendable {
    /// Article id → language → article.
    public var articles: [String: [Language: Article]]
    /// All intents, in file order.
    public var intents: [Intent]
    /// Concept id (without `@`) → members (words or short phrases).
    public var concepts: [String: [String]]
    /// Branches.
    public var locations: [Location]
    /// Partners.
    public var partners: [Partner]
    /// National holidays, `YYYY-MM-DD`, closed everywhere.
    public var holidays: Set<String>
    /// Time zone of all hours.
    public var timeZone: String
    /// Situations where a wrong topic does harm (a death, debts, fraud): a message naming one is
    /// answered only with one of the rule's topics, or not at all (`intents/sensitive.yaml`).
    public var sensitive: [SensitiveRule] = []
    /// How to tell a remark (an opinion, news, a joke) from a request for help
    /// (`intents/remarks.yaml`): a remark is not answered with a topic.
    public var remarks: RemarkRule? = nil
    /// Days the branches close early: `YYYY-MM-DD` → closing time in minutes since midnight.
    public var earlyClosing: [String: Int] = [:]
    /// Real words of Dutch and English (`intents/common-words.txt`) that are never spell-corrected
    /// into a word the knowledge base uses ("erachter" is not "rechter"); a sound-alike still
    /// applies ("ideaal" is "ideal").
    public var commonWords: Set<String> = []

    /// The topic (intent) and question of a full question id `TOPIC/QUESTION`.
    public func question(_ fullID: String) -> (intent: Intent, question: Question)? {
        let parts = fullID.split(separator: "/", maxSplits: 1).map(String.init)
        guard parts.count == 2, let intent = intent(parts[0]), let question = intent.question(parts[1]) else { return nil }
        return (intent, question)
    }

    /// Creates a knowledge base.
    public init(
        articles: [String: [Language: Article]] = [:], intents: [Intent] = [], concepts: [String: [String]] = [:],
        locations: [Location] = [], partners: [Partner] = [], holidays: Set<String> = [],
        timeZone: String = "Europe/Amsterdam"
    ) {
        self.articles = articles
        self.intents = intents
        self.concepts = concepts
        self.locations = locations
        self.partners = partners
        self.holidays = holidays
        self.timeZone = timeZone
    }

    /// The intent with `id`.
    public func intent(_ id: String) -> Intent? { intents.first { $0.id == id } }

    /// The article in `language`, falling back to the other language.
    public func article(_ id: String, language: Language) -> Article? {
        guard let versions = articles[id] else { return nil }
        return versions[language] ?? versions[.nl] ?? versions.values.first
    }

    /// The partner with `id`.
    public func partner(_ id: String) -> Partner? { partners.first { $0.id == id } }

    /// The location with `id`.
    public func location(_ id: String) -> Location? { locations.first { $0.id == id } }
}

/// A sensitive situation: when a message contains `concept`, only `topics` may answer it;
/// otherwise Baken says it is not sure and offers those topics and a person.
public struct SensitiveRule: Sendable, Hashable {
    /// `@concept` that marks the situation.
    public var concept: String
    /// The topics allowed to answer.
    public var topics: [String]
    /// Where it is written.
    public var source: SourceLocation

    /// Creates a rule.
    public init(concept: String, topics: [String], source: SourceLocation = .unknown) {
        self.concept = concept
        self.topics = topics
        self.source = source
    }
}

/// Words that tell a remark from a request. A message with a `remark` or an `opinion` marker
/// (asking the bot's opinion) and no `request` marker asks nothing the desk can answer: it is
/// declined with its best topics as buttons, never answered with a topic — unless its topic
/// is in `keep` (thanks and greetings are remarks too; a scam is never turned away).
public struct RemarkRule: Sendable, Hashable {
    /// Words and phrases of a request: question words, "kan ik", "lukt niet", "help".
    public var request: [String]
    /// Words and phrases of a remark: laughter, praise and blame, "works at", the news.
    public var remark: [String]
    /// Asking the bot's opinion ("wat vind jij"): a remark even as a question (its own words do
    /// not count as a request).
    public var opinion: [String]
    /// Topics a remark may still get (thanks, greetings).
    public var keep: [String]
    /// Where it is written.
    public var source: SourceLocation

    /// Creates a rule.
    public init(request: [String], remark: [String], opinion: [String], keep: [String], source: SourceLocation = .unknown) {
        self.request = request
        self.remark = remark
        self.opinion = opinion
        self.keep = keep
        self.source = source
    }
}
