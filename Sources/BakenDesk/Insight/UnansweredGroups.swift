import BakenEngine

/// The curators' view of the inbox: the questions the bot could not answer, grouped
/// (``QuestionClusters``), as the JSON of `GET /api/unanswered`.
public enum UnansweredGroups {
    /// Groups `items` (the inbox, newest first) with `engine` and writes them as one JSON
    /// object: `questions` (how many were grouped) and `groups`, largest first, each with
    /// `count`, up to five `examples` (masked when stored), the `words` they share, the
    /// `closest` topics and a YAML `suggestion` for `intents/`.
    public static func json(_ items: [UnansweredRecord], engine: Engine) -> String {
        // "(reply 12 was not helpful)" rows carry no question text to group.
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
        return w.finish() + "\n"
    }
}
