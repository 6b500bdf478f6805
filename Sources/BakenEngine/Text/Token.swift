/// One unit of a resident's message after normalising.
public struct Token: Sendable, Hashable {
    /// What kind of text a token stands for.
    public enum Kind: String, Sendable, Hashable {
        case word, number, email, url, phone
    }

    /// The text as the resident wrote it.
    public var original: String
    /// Lower-cased, diacritics folded; what matching compares.
    public var folded: String
    /// The kind of token.
    public var kind: Kind

    /// Creates a token.
    public init(original: String, folded: String, kind: Kind) {
        self.original = original
        self.folded = folded
        self.kind = kind
    }
}
