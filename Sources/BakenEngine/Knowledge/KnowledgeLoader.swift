import Foundation
import Yams

/// Reads `knowledge/` and `intents/` into a ``KnowledgeBase`` and reports every problem
/// with its file and line.
///
/// ```swift
/// let (base, problems) = KnowledgeLoader(knowledge: "knowledge", intents: "intents").load()
/// ```
public struct KnowledgeLoader: Sendable {
    /// The intent ids the help desk must always have.
    public static let requiredIntents = [
        "digid_aanvragen", "digid_inloggen", "digid_app", "digid_machtigen", "mijnoverheid",
        "belastingaangifte", "toeslagen", "uwv_werk", "pensioen_aow", "gemeente_zaken", "zorg_digitaal",
        "ebooks", "bibliotheek_account", "printen_wifi", "cursus_digitaal", "taalhuis", "spreekuur",
        "oplichting", "smartphone_basis", "begroeting", "bedankt", "mens_spreken", Intent.outOfScopeID,
    ]

    /// The `knowledge/` directory.
    public var knowledgeDirectory: String
    /// The `intents/` directory.
    public var intentsDirectory: String
    /// The day the knowledge is checked on, to find facts checked over a year ago.
    public var today: Date

    /// Creates a loader for two directories.
    public init(knowledge: String, intents: String, today: Date = Date()) {
        self.knowledgeDirectory = knowledge
        self.intentsDirectory = intents
        self.today = today
    }

    /// `YYYY-MM-DD` of a date in UTC.
    static func day(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withFullDate]
        return formatter.string(from: date)
    }

    /// Loads everything and validates it. Never throws: problems come back as diagnostics.
    public func load() -> (KnowledgeBase, [Diagnostic]) {
        var problems: [Diagnostic] = []
        var base = KnowledgeBase()
        for language in Language.allCases {
            let dir = (knowledgeDirectory as NSString).appendingPathComponent(language.rawValue)
            // Topic overviews in LANG/, question answers in LANG/TOPIC/.
            let topicDirectories = ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? []).sorted().map {
                (dir as NSString).appendingPathComponent($0)
            }.filter { path in
                var isDirectory: ObjCBool = false
                return FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) && isDirectory.boolValue
            }
            let articleFiles = files(in: dir, extension: "md").map { ($0, String?.none) }
                + topicDirectories.flatMap { topicDir in files(in: topicDir, extension: "md").map { ($0, Optional((topicDir as NSString).lastPathComponent)) } }
            for (file, topic) in articleFiles {
                guard let article = ArticleParser.parse(file: file, expected: language, topic: topic, problems: &problems) else { continue }
                if let existing = base.articles[article.id]?[language] {
                    problems.append(
                        Diagnostic(
                            .error, "duplicate_id", at: article.source,
                            "Article id '\(article.id)' is also used in \(existing.source.file).",
                            hint: "Give each article its own id."))
                    continue
                }
                base.articles[article.id, default: [:]][language] = article
            }
        }
        let conceptsFile = (intentsDirectory as NSString).appendingPathComponent("concepts.yaml")
        base.concepts = IntentParser.parseConcepts(file: conceptsFile, problems: &problems)
        for file in files(in: intentsDirectory, extension: "yaml") where file != conceptsFile {
            for intent in IntentParser.parseIntents(file: file, problems: &problems, concepts: &base.concepts, sensitive: &base.sensitive, remarks: &base.remarks) {
                if let existing = base.intent(intent.id) {
                    problems.append(
                        Diagnostic(
                            .error, "duplicate_id", at: intent.source,
                            "Intent id '\(intent.id)' is already defined at \(existing.source).",
                            hint: "Rename one of them or merge their keywords and examples."))
                    continue
                }
                base.intents.append(intent)
            }
        }
        let commonWordsFile = (intentsDirectory as NSString).appendingPathComponent("common-words.txt")
        base.commonWords = Self.commonWords(file: commonWordsFile)
        if base.commonWords.isEmpty {
            problems.append(
                Diagnostic(
                    .warning, "missing_common_words", at: SourceLocation(file: commonWordsFile, line: 0),
                    "The list of common words is missing, empty or unreadable, so real words the intents do not use are read as the nearest intent word (\"erachter\" as \"rechter\").",
                    hint: "Make it again with: python3 intents/common_words.py > \(commonWordsFile)"))
        }
        let places = PlacesParser(directory: knowledgeDirectory)
        places.parseLocations(into: &base, problems: &problems)
        places.parsePartners(into: &base, problems: &problems)
        problems += KnowledgeValidator(base: base, today: Self.day(today)).validate()
        problems.sort { ($0.severity == .error ? 0 : 1, $0.location.file, $0.location.line) < ($1.severity == .error ? 0 : 1, $1.location.file, $1.location.line) }
        return (base, problems)
    }

    /// The words of a word list: one per line, folded like a message's words; `#` starts a comment.
    /// A missing file is an empty list (the list only refines spelling correction; `load()` warns).
    static func commonWords(file: String) -> Set<String> {
        guard let text = try? String(contentsOfFile: file, encoding: .utf8) else { return [] }
        var words = Set<String>()
        for line in text.split(whereSeparator: \.isNewline) {
            let content = line.prefix { $0 != "#" }
            for token in Normalizer.tokens(String(content)) where token.kind == .word { words.insert(token.folded) }
        }
        return words
    }

    /// Loads and throws ``KnowledgeError`` when there is any error.
    public func loadValidated() throws -> KnowledgeBase {
        let (base, problems) = load()
        if problems.contains(where: { $0.severity == .error }) { throw KnowledgeError(diagnostics: problems) }
        return base
    }

    private func files(in directory: String, extension ext: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []
        return names.filter { $0.hasSuffix("." + ext) }.sorted().map { (directory as NSString).appendingPathComponent($0) }
    }
}

/// Small helpers to read Yams nodes with their line numbers.
enum YAMLReader {
    static func compose(file: String, problems: inout [Diagnostic], lineOffset: Int = 0, text: String? = nil) -> Node? {
        let yaml: String
        if let text {
            yaml = text
        } else {
            guard let data = FileManager.default.contents(atPath: file), let contents = String(data: data, encoding: .utf8) else {
                problems.append(
                    Diagnostic(.error, "unreadable_file", at: .init(file: file, line: 0), "Cannot read this file as UTF-8 text."))
                return nil
            }
            yaml = contents
        }
        do {
            return try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            problems.append(yamlProblem(error, file: file, lineOffset: lineOffset))
        } catch {
            problems.append(Diagnostic(.error, "broken_yaml", at: .init(file: file, line: lineOffset), "\(error)"))
        }
        return nil
    }

    static func yamlProblem(_ error: YamlError, file: String, lineOffset: Int) -> Diagnostic {
        var line = lineOffset
        var problem = "\(error)"
        switch error {
        case .scanner(let context, let message, let mark, _), .parser(let context, let message, let mark, _):
            line = mark.line + lineOffset
            problem = [context?.text, message].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
        case .composer(let context, let message, let mark, _):
            line = mark.line + lineOffset
            problem = [context?.text, message].compactMap { $0 }.filter { !$0.isEmpty }.joined(separator: " ")
        case .duplicatedKeysInMapping(let duplicates, let context):
            line = context.mark.line + lineOffset
            problem = "a key is written twice: \(duplicates.joined(separator: ", "))"
        default:
            break
        }
        return Diagnostic(
            .error, "broken_yaml", at: .init(file: file, line: line), "The YAML cannot be read: \(problem).",
            hint: "Check indentation (spaces, not tabs) and put quotes around text that contains ': ' or starts with @, * or #.")
    }

    static func line(_ node: Node?, offset: Int) -> Int { (node?.mark?.line ?? 0) + offset }

    static func strings(_ node: Node?) -> [String] {
        guard let node else { return [] }
        if let seq = node.sequence { return seq.compactMap(\.string) }
        if let s = node.string, !s.isEmpty { return [s] }
        return []
    }

    static func weights(_ node: Node?) -> [String: Double] {
        guard let mapping = node?.mapping else { return [:] }
        var result: [String: Double] = [:]
        for (key, value) in mapping {
            guard let k = key.string else { continue }
            result[k] = value.float ?? Double(value.int ?? 1)
        }
        return result
    }
}
