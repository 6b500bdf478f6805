import Foundation

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

    /// Where a curator says a group's questions belong.
    public enum Target: Sendable, Hashable {
        /// As examples of a topic (the engine then picks the question).
        case topic(String)
        /// As examples of one question: `topic/question`.
        case question(topic: String, question: String)
        /// A new question under a topic: the curator writes its answer.
        case newQuestion(topic: String)
        /// A new topic.
        case newTopic

        /// Reads `TOPIC`, `TOPIC/QUESTION`, `TOPIC/new` or `new`; nil when the topic or question
        /// does not exist in `knowledge`.
        public init?(_ text: String, in knowledge: KnowledgeBase) {
            let parts = text.split(separator: "/", maxSplits: 1).map(String.init)
            if parts == ["new"] {
                self = .newTopic
            } else if parts.first == Intent.outOfScopeID {
                return nil
            } else if parts.count == 1, knowledge.intent(parts[0]) != nil {
                self = .topic(parts[0])
            } else if parts.count == 2, knowledge.intent(parts[0]) != nil, parts[1] == "new" {
                self = .newQuestion(topic: parts[0])
            } else if parts.count == 2, knowledge.question(text) != nil {
                self = .question(topic: parts[0], question: parts[1])
            } else {
                return nil
            }
        }
    }

    /// A snippet for `intents/`: the group's questions as examples under its closest topic,
    /// commented so a curator checks it before pasting.
    public static func suggestion(for group: Group) -> String {
        suggestion(examples: group.texts, words: group.words, closest: group.closest, target: nil, knowledge: nil)
    }

    /// A snippet for `intents/` that puts up to five `examples` where the curator chose
    /// (`target`), or under the closest topic when nothing is chosen; with `knowledge`, the
    /// comment names the file and line to paste it at.
    public static func suggestion(
        examples: [String], words: [String], closest: [String], target: Target?, knowledge: KnowledgeBase?
    ) -> String {
        let chosen = target ?? closest.first.map(Target.topic) ?? .newTopic
        let first = Self.oneLine(examples.first ?? ""), shared = Self.oneLine(words.joined(separator: " "))
        var lines = ["# \(examples.count)× like \"\(first)\"" + (shared.isEmpty ? "" : " — words: \(shared)")]
        func place(_ topic: String) -> String {
            guard let source = knowledge?.intent(topic)?.source, source.line > 0 else { return "" }
            return " in \(source.file) (line \(source.line))"
        }
        let quoted = examples.prefix(5).map(Self.yamlQuoted)
        switch chosen {
        case .topic(let topic):
            lines += [
                "# closest topics: \(closest.isEmpty ? "none" : closest.joined(separator: ", ")). Add the examples to topic \(topic)\(place(topic)),",
                "# or pick a question under it; then run `baken check --examples` and `baken eval` before it goes live.",
                "- id: \(topic)",
                "  examples:",
            ]
            lines += quoted.map { "    - \($0)" }
        case .question(let topic, let question):
            let source = knowledge?.question(topic + "/" + question)?.question.source
            let location = source.map { $0.line > 0 ? " (\($0.file), line \($0.line))" : "" } ?? ""
            lines += [
                "# Add the examples to question \(question)\(location) of topic \(topic).",
                "# Then run `baken check --examples` and `baken eval` before it goes live.",
                "- id: \(topic)",
                "  questions:",
                "    - id: \(question)",
                "      examples:",
            ]
            lines += quoted.map { "        - \($0)" }
        case .newQuestion(let topic):
            lines += [
                "# A new question for topic \(topic)\(place(topic)): rename NEW_QUESTION, write its answer (nl and en)",
                "# in the topic's article and its keywords; then run `baken check --examples` and `baken eval`.",
                "- id: \(topic)",
                "  questions:",
                "    - id: NEW_QUESTION",
                "      examples:",
            ]
            lines += quoted.map { "        - \($0)" }
        case .newTopic:
            lines += [
                "# A new topic: rename NEW_TOPIC, give it an article, a description and keywords (docs/knowledge-authoring.md);",
                "# then run `baken check --examples` and `baken eval` before it goes live.",
                "- id: NEW_TOPIC",
                "  examples:",
            ]
            lines += quoted.map { "    - \($0)" }
        }
        return lines.joined(separator: "\n")
    }

    /// A resident's text as a YAML double-quoted scalar: backslash, quote, line breaks and
    /// other control or separator characters escaped, so no message can end the string (or
    /// the comment) and add entries of its own to a curator's file.
    static func yamlQuoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": result += "\\\\"
            case "\"": result += "\\\""
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value):
                result += "\\x" + String(format: "%02X", scalar.value)
            case "\u{2028}", "\u{2029}", "\u{FEFF}":
                result += "\\u" + String(format: "%04X", scalar.value)
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }

    /// Text for a comment line: line breaks and control characters become spaces.
    static func oneLine(_ text: String) -> String {
        String(String.UnicodeScalarView(text.unicodeScalars.map { scalar in
            scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || [0x2028, 0x2029, 0x85].contains(scalar.value) ? " " : scalar
        }))
    }
}
