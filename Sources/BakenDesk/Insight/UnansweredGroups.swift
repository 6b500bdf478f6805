import BakenEngine

/// The curators' view of the inbox: the questions the bot could not answer, grouped
/// (``QuestionClusters``), as the JSON of `GET /api/unanswered`.
public enum UnansweredGroups {
    /// Groups `items` (the inbox, newest first) with `engine` and writes them as one JSON
    /// object: `questions` (how many were grouped) and `groups`, largest first, each with
    /// `count`, up to five `examples` (masked when stored), the `words` they share, the
    /// `closest` topics and a YAML `suggestion` for `intents/`; and `targets`, the topics with
    /// their questions, where a curator can say a group belongs (``suggestion(_:engine:)``).
    public static func json(_ items: [UnansweredRecord], engine: Engine) -> String {
        // Rows of older versions ("(reply 12 was not helpful)") carry no question text to group.
        let texts = items.map(\.text).filter { !$0.hasPrefix("(reply ") }
        let groups = QuestionClusters(texts: texts, engine: engine).groups
        var w = JSONWriter()
        w.int("questions", texts.count)
        w.rawArray(
            "groups",
            groups.map { group in
                var o = JSONWriter()
                o.int("count", group.count)
                o.strings("examples", Array(group.texts.prefix(5)))
                o.strings("words", group.words)
                o.strings("closest", Array(group.closest.prefix(3)))
                o.string("suggestion", QuestionClusters.suggestion(for: group))
                return o.finish()
            })
        w.rawArray(
            "targets",
            engine.knowledge.intents.filter { $0.id != Intent.outOfScopeID }.map { intent in
                var o = JSONWriter()
                o.string("topic", intent.id)
                o.string("file", intent.source.file)
                o.strings("questions", intent.questions.map(\.id))
                return o.finish()
            })
        return w.finish() + "\n"
    }

    /// What a curator sends to get a snippet for the place they chose: the group's examples and
    /// a target (`TOPIC`, `TOPIC/QUESTION`, `TOPIC/new` or `new`).
    public struct SuggestionRequest: Decodable, Sendable {
        public var target: String
        public var examples: [String]
        public var words: [String]?
    }

    /// The JSON `{"suggestion": "…"}` for `request`, or nil when its target is not a topic or
    /// question of the knowledge in use. The examples are masked again: the request could
    /// carry anything.
    public static func suggestion(_ request: SuggestionRequest, engine: Engine) -> String? {
        guard let target = QuestionClusters.Target(request.target, in: engine.knowledge) else { return nil }
        let snippet = QuestionClusters.suggestion(
            examples: request.examples.prefix(5).map(PrivacyFilter.maskResident),
            words: request.words ?? [], closest: [], target: target, knowledge: engine.knowledge)
        var w = JSONWriter()
        w.string("suggestion", snippet)
        return w.finish() + "\n"
    }
}
