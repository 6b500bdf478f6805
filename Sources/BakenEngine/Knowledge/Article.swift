/// A language Baken answers in.
public enum Language: String, Sendable, Hashable, Codable, CaseIterable {
    case nl, en
}

/// A link to an official page, shown under an answer.
public struct Link: Sendable, Hashable, Codable {
    /// What the resident sees.
    public var title: String
    /// An `https://` address.
    public var url: String

    /// Creates a link.
    public init(title: String, url: String) {
        self.title = title
        self.url = url
    }
}

/// One knowledge-base article in one language: a topic's overview (`knowledge/LANG/TOPIC.md`)
/// or the answer to one question of a topic (`knowledge/LANG/TOPIC/QUESTION.md`, id `TOPIC/QUESTION`).
public struct Article: Sendable, Hashable {
    /// Shared by the language versions of the article: `TOPIC` or `TOPIC/QUESTION`.
    public var id: String
    /// The language of this version.
    public var language: Language
    /// Short title; also the label of a button that leads here.
    public var title: String
    /// One-sentence summary.
    public var summary: String
    /// The intents this article answers.
    public var intents: [String]
    /// Official pages.
    public var links: [Link]
    /// `spreekuur` (walk-in hours) or a partner id to offer with the answer.
    public var offer: String?
    /// The Markdown body.
    public var body: String
    /// Where the article was read from, for error messages.
    public var source: SourceLocation
    /// A topic's question above its question buttons ("Wat lukt niet?").
    public var prompt: String? = nil
    /// The official pages the facts were checked against.
    public var sources: [String] = []
    /// When they were checked, `YYYY-MM-DD`.
    public var checked: String? = nil
    /// False when the article holds a fact the library must still confirm.
    public var confirmed: Bool = true
    /// Other questions of the same topic, offered as buttons (local question ids).
    public var related: [String] = []

    /// The topic of a question article (`digid_inloggen` of `digid_inloggen/wachtwoord_vergeten`), or the id.
    public var topic: String { id.split(separator: "/", maxSplits: 1).first.map(String.init) ?? id }
    /// Whether this is a question's answer rather than a topic overview.
    public var isQuestion: Bool { id.contains("/") }

    /// Creates an article.
    public init(
        id: String, language: Language, title: String, summary: String = "", intents: [String] = [],
        links: [Link] = [], offer: String? = nil, body: String, source: SourceLocation = .unknown
    ) {
        self.id = id
        self.language = language
        self.title = title
        self.summary = summary
        self.intents = intents
        self.links = links
        self.offer = offer
        self.body = body
        self.source = source
    }
}

/// A file and line, for curator-facing messages.
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    /// Path of the file, relative where possible.
    public var file: String
    /// 1-based line, or 0 when unknown.
    public var line: Int

    /// Creates a location.
    public init(file: String, line: Int) {
        self.file = file
        self.line = line
    }

    /// No known place.
    public static let unknown = SourceLocation(file: "", line: 0)

    public var description: String { line > 0 ? "\(file):\(line)" : file }
}
