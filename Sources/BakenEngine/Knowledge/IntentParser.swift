import Foundation
import Yams

/// Parses `intents/concepts.yaml` and the `intents/AREA.yaml` files.
enum IntentParser {
    static func parseConcepts(file: String, problems: inout [Diagnostic]) -> [String: [String]] {
        guard FileManager.default.fileExists(atPath: file) else {
            problems.append(Diagnostic(.warning, "missing_file", at: .init(file: file, line: 0), "There is no concepts file.", hint: "Create it with `concepts:` and groups of words."))
            return [:]
        }
        guard let root = YAMLReader.compose(file: file, problems: &problems) else { return [:] }
        guard let mapping = root["concepts"]?.mapping else {
            problems.append(Diagnostic(.error, "missing_field", at: .init(file: file, line: 1), "The file has no `concepts:` mapping."))
            return [:]
        }
        var result: [String: [String]] = [:]
        for (key, value) in mapping {
            guard let id = key.string else { continue }
            let members = YAMLReader.strings(value)
            if members.isEmpty {
                problems.append(
                    Diagnostic(.warning, "empty_concept", at: .init(file: file, line: YAMLReader.line(key, offset: 0)), "Concept '\(id)' has no words."))
            }
            result[id] = members
        }
        return result
    }

    static func parseIntents(
        file: String, problems: inout [Diagnostic], concepts: inout [String: [String]], sensitive: inout [SensitiveRule],
        remarks: inout RemarkRule?
    ) -> [Intent] {
        guard let root = YAMLReader.compose(file: file, problems: &problems) else { return [] }
        // An area file may define concepts of its own, beside intents/concepts.yaml.
        for (key, value) in root["concepts"]?.mapping ?? [:] {
            guard let name = key.string else { continue }
            let at = SourceLocation(file: file, line: YAMLReader.line(key, offset: 0))
            if concepts[name] != nil {
                problems.append(
                    Diagnostic(.error, "duplicate_id", at: at, "Concept '\(name)' is already defined.", hint: "Use the existing concept or pick another name."))
                continue
            }
            concepts[name] = YAMLReader.strings(value)
        }
        for item in root["sensitive"]?.sequence ?? [] {
            let at = SourceLocation(file: file, line: YAMLReader.line(item, offset: 0))
            guard let concept = item["concept"]?.string, concept.hasPrefix("@") else {
                problems.append(Diagnostic(.error, "missing_field", at: at, "A sensitive rule needs `concept: \"@name\"`."))
                continue
            }
            sensitive.append(SensitiveRule(concept: concept, topics: YAMLReader.strings(item["topics"]), source: at))
        }
        if let node = root["remarks"] {
            let at = SourceLocation(file: file, line: YAMLReader.line(node, offset: 0))
            if remarks != nil {
                problems.append(Diagnostic(.error, "duplicate_id", at: at, "`remarks:` is already defined in another file.", hint: "Keep one `remarks:` section."))
            } else {
                remarks = RemarkRule(
                    request: YAMLReader.strings(node["request"]), remark: YAMLReader.strings(node["remark"]),
                    opinion: YAMLReader.strings(node["opinion"]), keep: YAMLReader.strings(node["keep"]), source: at)
            }
        }
        if root["intents"] == nil, root["sensitive"] != nil || root["remarks"] != nil { return [] }
        guard let items = root["intents"]?.sequence else {
            problems.append(
                Diagnostic(.error, "missing_field", at: .init(file: file, line: 1), "The file has no `intents:` list.", hint: "Start the file with `intents:` and a list of intents."))
            return []
        }
        var result: [Intent] = []
        for item in items {
            let place = SourceLocation(file: file, line: YAMLReader.line(item, offset: 0))
            guard let id = item["id"]?.string, !id.isEmpty else {
                problems.append(Diagnostic(.error, "missing_field", at: place, "An intent has no `id`."))
                continue
            }
            var questions: [Question] = []
            for entry in item["questions"]?.sequence ?? [] {
                let at = SourceLocation(file: file, line: YAMLReader.line(entry, offset: 0))
                guard let questionID = entry["id"]?.string, !questionID.isEmpty else {
                    problems.append(Diagnostic(.error, "missing_field", at: at, "A question of '\(id)' has no `id`."))
                    continue
                }
                if questions.contains(where: { $0.id == questionID }) {
                    problems.append(Diagnostic(.error, "duplicate_id", at: at, "Topic '\(id)' has the question '\(questionID)' twice."))
                    continue
                }
                questions.append(
                    Question(
                        id: questionID, topic: id, keywords: YAMLReader.weights(entry["keywords"]), phrases: YAMLReader.weights(entry["phrases"]),
                        examples: YAMLReader.strings(entry["examples"]), source: at))
            }
            let requires = YAMLReader.strings(item["requires"]).map { $0.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) } }
            result.append(
                Intent(
                    id: id, article: item["article"]?.string ?? "", description: item["description"]?.string ?? "",
                    keywords: YAMLReader.weights(item["keywords"]), phrases: YAMLReader.weights(item["phrases"]),
                    requires: requires, excludes: YAMLReader.strings(item["excludes"]),
                    examples: YAMLReader.strings(item["examples"]), followups: YAMLReader.strings(item["followups"]),
                    source: place))
            result[result.count - 1].questions = questions
            result[result.count - 1].prompt = item["prompt"]?.string
        }
        return result
    }
}
