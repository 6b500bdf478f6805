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

/// One knowledge-base article in one language (`knowledge/LANG/ID.md`).
public struct Article: Sendable, Hashable {
    /// Shared by the language versions of the article.
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
