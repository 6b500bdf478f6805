/// Groups the questions the bot could not answer, so a curator sees "12 residents asked this"
/// instead of 12 rows: messages that share most of their content words (stems and concepts, as
/// the engine reads them — misspellings included) fall in one group.
///
/// ```swift
/// let groups = QuestionClusters(texts: inbox.map(\.text), engine: engine).groups
/// for group in groups { print(group.count, group.texts.first!, group.closest) }
/// ```
public struct QuestionClusters: Sendable {
    /// One group of similar questions.
    public struct Group: Sendable, Hashable {
        /// The questions, in the order given (newest first when the inbox is).
        public var texts: [String]
        /// The content words the first question was read as (stems and `@concepts`).
        public var words: [String]
        /// Topics the engine found closest for these questions, most often first.
        public var closest: [String]
        public var count: Int { texts.count }
    }

    /// Largest group first; equal sizes keep the order of their first question.
    public let groups: [Group]

    /// Clusters `texts`; two questions join when their word sets overlap by `similarity`
    /// (Jaccard) or more.
    public init(texts: [String], engine: Engine, similarity: Double = 0.5) {
        var seeds: [(words: Set<String>, ordered: [String])] = []
        var members: [[String]] = []
        var closest: [[String: Int]] = []
        for text in texts {
            let analysis = engine.analyze(text)
            var ordered: [String] = []
            // Content words only: "waar kan ik" is in every question.
            for token in analysis.tokens where token.recognition != .stopword && token.recognition != .special {
                guard !token.readAs.allSatisfy(Stopwords.contains) else { continue }
                for word in token.stems + token.concepts where !ordered.contains(word) { ordered.append(word) }
            }
            let words = Set(ordered)
            let decision = engine.decide(analysis: analysis)
            let index = seeds.firstIndex { seed in
                let union = seed.words.union(words).count
                return union > 0 && Double(seed.words.intersection(words).count) / Double(union) >= similarity
            }
            if let index {
                members[index].append(text)
                for candidate in decision.candidates.prefix(2) { closest[index][candidate.intent, default: 0] += 1 }
            } else {
                seeds.append((words, ordered))
                members.append([text])
                closest.append(Dictionary(decision.candidates.prefix(2).map { ($0.intent, 1) }, uniquingKeysWith: +))
            }
        }
        let made = seeds.indices.map { i in
            Group(
                texts: members[i], words: seeds[i].ordered,
                closest: closest[i].sorted { ($0.value, $1.key) > ($1.value, $0.key) }.map(\.key))
        }
        groups = made.enumerated().sorted { ($0.element.count, $1.offset) > ($1.element.count, $0.offset) }.map(\.element)
    }

    /// A snippet for `intents/`: the group's questions as examples under its closest topic,
    /// commented so a curator checks it before pasting.
    public static func suggestion(for group: Group) -> String {
        let topic = group.closest.first ?? "NEW_TOPIC"
        var lines = [
            "# \(group.count)× like \"\(group.texts[0])\" — words: \(group.words.joined(separator: " "))",
            "# closest topics: \(group.closest.isEmpty ? "none" : group.closest.joined(separator: ", ")). Check the topic (or pick a question under it),",
            "# then run `baken check --examples` and `baken eval` before it goes live.",
            "- id: \(topic)",
            "  examples:",
        ]
        for text in group.texts.prefix(5) {
            let quoted = "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
            lines.append("    - \(quoted)")
        }
        return lines.joined(separator: "\n")
    }
}
