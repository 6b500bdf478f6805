/// How the engine understood one word of a message.
public struct AnalyzedToken: Sendable, Hashable {
    /// How a word was recognised.
    public enum Recognition: String, Sendable, Hashable {
        case known, stem, phonetic, spelling, compound, merged, stopword, unknown, special
    }

    /// The word as written.
    public var original: String
    /// The vocabulary word(s) it was read as.
    public var readAs: [String]
    /// How it was recognised.
    public var recognition: Recognition
    /// Stems that take part in matching.
    public var stems: [String]
    /// Concepts (`@name`) the word belongs to.
    public var concepts: [String]
    /// Concept feature ids per stem (aligned with `stems`).
    var conceptIDs: [[Int]] = []
}

/// A message after normalising and enriching: what the matcher sees.
public struct Analysis: Sendable {
    /// Per word.
    public var tokens: [AnalyzedToken]
    /// One word position of the stem sequence.
    struct Position: Sendable {
        var stem: String
        /// The stem's feature id, or -1 when no intent knows the stem.
        var stemID: Int
        /// Concept feature ids on this position.
        var concepts: [Int]
        /// Whether the stem counts as a feature of the message (known to an intent, not a stopword).
        var isFeature: Bool
        /// Whether a multi-word concept member begins with this stem.
        var beginsPhrase: Bool
    }

    /// The stem sequence (stopwords included) for phrase matching; concepts on the same positions.
    var sequence: [Position]
    /// Feature ids present (stems and concepts), for keyword and example scoring.
    var features: FeatureSet
    /// Feature ids per content word (stopwords left out), to measure how much of a message an intent explains.
    var contentFeatures: [[Int]]
    /// Detected language.
    public var language: Language
    /// How many content words were recognised against the knowledge base's vocabulary.
    public var recognisedWords: Int
    /// Content words not recognised.
    public var unknownWords: Int
    /// Whether the message is a remark rather than a request, and which words said so.
    var remark = RemarkReader.Reading()
    /// The word that made the message a remark that asks nothing (nil for a request).
    public var remarkMarker: String? { remark.isRemark ? remark.marker : nil }
}
