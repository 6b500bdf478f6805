import Foundation
import Yams

/// Parses one `knowledge/LANG/ID.md` (a topic) or `knowledge/LANG/TOPIC/ID.md` (a question of
/// the topic) file: YAML front matter between `---` lines, then Markdown.
enum ArticleParser {
    static func parse(file: String, expected language: Language, topic: String? = nil, problems: inout [Diagnostic]) -> Article? {
        guard let data = FileManager.default.contents(atPath: file), let text = String(data: data, encoding: .utf8) else {
            problems.append(Diagnostic(.error, "unreadable_file", at: .init(file: file, line: 0), "Cannot read this file as UTF-8 text."))
            return nil
        }
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.trimmingSuffix("\r") }
        guard lines.first?.trimmingCharacters(in: .whitespaces) == "---",
            let end = lines.dropFirst().firstIndex(where: { $0.trimmingCharacters(in: .whitespaces) == "---" })
        else {
            problems.append(
                Diagnostic(
                    .error, "missing_front_matter", at: .init(file: file, line: 1),
                    "The article does not start with a front matter between two '---' lines.",
                    hint: "Start the file with ---, then id, language, title, intents and links, then ---."))
            return nil
        }
        let yaml = lines[1..<end].joined(separator: "\n")
        guard let node = YAMLReader.compose(file: file, problems: &problems, lineOffset: 1, text: yaml) else { return nil }
        let at = { (key: String) in SourceLocation(file: file, line: YAMLReader.line(node[key], offset: 1)) }
        let stem = ((file as NSString).lastPathComponent as NSString).deletingPathExtension
        guard let id = node["id"]?.string, !id.isEmpty else {
            problems.append(Diagnostic(.error, "missing_field", at: .init(file: file, line: 2), "The front matter has no 'id'.", hint: "Add `id: \(stem)`."))
            return nil
        }
        if id != stem {
            problems.append(
                Diagnostic(.warning, "id_file_mismatch", at: at("id"), "The id '\(id)' differs from the file name '\(stem).md'.", hint: "Name the file \(id).md."))
        }
        let declared = node["language"]?.string
        if declared != language.rawValue {
            problems.append(
                Diagnostic(
                    .error, "wrong_language", at: at("language"),
                    "The article is in the '\(language.rawValue)' folder but says language '\(declared ?? "")'.",
                    hint: "Set `language: \(language.rawValue)` or move the file."))
        }
        let title = node["title"]?.string ?? ""
        if title.isEmpty {
            problems.append(Diagnostic(.error, "missing_field", at: at("id"), "The article has no 'title'.", hint: "Add a short title: it is the label of buttons."))
        }
        var links: [Link] = []
        for item in node["links"]?.sequence ?? [] {
            let link = Link(title: item["title"]?.string ?? "", url: item["url"]?.string ?? "")
            let place = SourceLocation(file: file, line: YAMLReader.line(item, offset: 1))
            if !link.url.hasPrefix("https://") {
                problems.append(
                    Diagnostic(.error, "link_not_https", at: place, "The link '\(link.url)' is not https.", hint: "Use the https:// address of the official page."))
                continue
            }
            if link.title.isEmpty {
                problems.append(Diagnostic(.warning, "link_without_title", at: place, "The link \(link.url) has no title.", hint: "Add `title:` so residents know where it goes."))
            }
            links.append(link)
        }
        let body = lines[(end + 1)...].joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
        if body.isEmpty {
            problems.append(Diagnostic(.error, "empty_article", at: .init(file: file, line: end + 2), "The article has no text after the front matter."))
        }
        if let topic, let declared = node["topic"]?.string, declared != topic {
            problems.append(
                Diagnostic(
                    .error, "wrong_topic", at: at("topic"), "The question is in the folder '\(topic)' but says topic '\(declared)'.",
                    hint: "Set `topic: \(topic)` or move the file."))
        }
        var sources: [String] = []
        for item in node["sources"]?.sequence ?? [] {
            // A source is a URL, or a mapping with `url:` (and an optional title).
            guard let url = item.string ?? item["url"]?.string else { continue }
            if !url.hasPrefix("https://") {
                problems.append(
                    Diagnostic(.error, "link_not_https", at: .init(file: file, line: YAMLReader.line(item, offset: 1)), "The source '\(url)' is not https."))
            }
            sources.append(url)
        }
        var article = Article(
            id: topic.map { $0 + "/" + id } ?? id, language: language, title: title, summary: node["summary"]?.string ?? "",
            intents: YAMLReader.strings(node["intents"] ?? node["intent"]), links: links, offer: node["offer"]?.string,
            body: body, source: .init(file: file, line: 1))
        article.prompt = node["prompt"]?.string
        article.sources = sources
        article.checked = node["checked"]?.string
        article.confirmed = node["confirmed"]?.bool ?? true
        article.related = YAMLReader.strings(node["related"])
        return article
    }
}

extension Substring {
    fileprivate func trimmingSuffix(_ suffix: String) -> String {
        hasSuffix(suffix) ? String(dropLast(suffix.count)) : String(self)
    }
}
