import BakenEngine

/// Narrows a report to one municipality, branch, topic and/or language — the filters of the
/// figures page (`/api/insight?municipality=Schagen&topic=toeslagen`).
public struct ReportFilter: Sendable, Equatable {
    /// A municipality name as in `locations.yaml` ("Den Helder").
    public var municipality: String?
    /// A branch (location id).
    public var location: String?
    /// A topic (intent id); conversations count under the topic of their last answer.
    public var topic: String?
    /// `nl` or `en`.
    public var language: String?

    public init(municipality: String? = nil, location: String? = nil, topic: String? = nil, language: String? = nil) {
        self.municipality = municipality
        self.location = location
        self.topic = topic
        self.language = language
    }

    public var isEmpty: Bool { municipality == nil && location == nil && topic == nil && language == nil }

    /// What is wrong with the filter for `knowledge`, in words, or nil when every value exists.
    public func problem(in knowledge: KnowledgeBase) -> String? {
        if let municipality, !knowledge.locations.contains(where: { $0.municipality == municipality }) {
            return "There is no municipality '\(municipality)'."
        }
        if let location, knowledge.location(location) == nil { return "There is no branch '\(location)'." }
        if let topic, knowledge.intent(topic) == nil { return "There is no topic '\(topic)'." }
        if let language, Language(rawValue: language) == nil { return "The language must be nl or en." }
        return nil
    }

    /// The values the figures page offers as filters — the branches (and their municipalities)
    /// within `scope` (empty: all) and every topic — as one JSON object.
    public static func choices(in knowledge: KnowledgeBase, scope: [String]) -> String {
        let branches = knowledge.locations.filter { scope.isEmpty || scope.contains($0.id) }
        var w = JSONWriter()
        w.strings("municipalities", Set(branches.map(\.municipality)).sorted())
        w.rawArray(
            "branches",
            branches.map { branch in
                var o = JSONWriter()
                o.string("id", branch.id)
                o.string("name", branch.name)
                return o.finish()
            })
        w.rawArray(
            "topics",
            knowledge.intents.sorted { $0.id < $1.id }.map { intent in
                var o = JSONWriter()
                o.string("id", intent.id)
                o.string("name", knowledge.article(intent.article, language: .nl)?.title ?? intent.id)
                return o.finish()
            })
        return w.finish()
    }

    /// Whether a conversation is in the filtered report.
    public func admits(_ record: ConversationRecord, knowledge: KnowledgeBase) -> Bool {
        if let municipality, record.location.flatMap({ knowledge.location($0)?.municipality }) != municipality { return false }
        if let location, record.location != location { return false }
        if let topic, record.lastIntent.map({ String($0.prefix { $0 != "/" }) }) != topic { return false }
        if let language, record.language.rawValue != language { return false }
        return true
    }
}
