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

    static func parseIntents(file: String, problems: inout [Diagnostic]) -> [Intent] {
        guard let root = YAMLReader.compose(file: file, problems: &problems) else { return [] }
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
            let requires = YAMLReader.strings(item["requires"]).map { $0.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) } }
            result.append(
                Intent(
                    id: id, article: item["article"]?.string ?? "", description: item["description"]?.string ?? "",
                    keywords: YAMLReader.weights(item["keywords"]), phrases: YAMLReader.weights(item["phrases"]),
                    requires: requires, excludes: YAMLReader.strings(item["excludes"]),
                    examples: YAMLReader.strings(item["examples"]), followups: YAMLReader.strings(item["followups"]),
                    source: place))
        }
        return result
    }
}
