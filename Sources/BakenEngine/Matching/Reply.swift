/// A rendered answer: text in the resident's language, buttons and links.
public struct Reply: Sendable, Hashable {
    /// A quick-reply button.
    public struct Option: Sendable, Hashable, Codable {
        /// What the client sends back in `choose` (an intent id or an action such as `handoff`).
        public var id: String
        /// The label shown.
        public var label: String

        /// Creates an option.
        public init(id: String, label: String) {
            self.id = id
            self.label = label
        }
    }

    public var text: String
    public var options: [Option]
    public var links: [Link]
    /// The article answered with, if any.
    public var article: String?
    /// `spreekuur` or a partner id, when the article offers one.
    public var offer: String?
    /// The question answered (`TOPIC/QUESTION`), nil for a topic overview.
    public var question: String? = nil

    /// Creates a reply.
    public init(text: String, options: [Option] = [], links: [Link] = [], article: String? = nil, offer: String? = nil) {
        self.text = text
        self.options = options
        self.links = links
        self.article = article
        self.offer = offer
    }
}
