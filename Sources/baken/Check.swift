import ArgumentParser
import BakenEngine

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Validate the knowledge base and intents; every problem with file:line and what to do.")

    @OptionGroup var options: KnowledgeOptions

    @Flag(help: "Also check that every intent's examples reach that intent.")
    var examples = false

    @Flag(help: "Print, as Markdown, everything the library must still confirm, per file.")
    var report = false

    func run() throws {
        let (base, problems) = KnowledgeLoader(knowledge: options.knowledge, intents: options.intents).load()
        if report {
            print(ConfirmationReport.markdown(base, problems: problems))
            return
        }
        var all = problems
        if examples, !problems.contains(where: { $0.severity == .error }) {
            all += ExampleCheck.run(engine: Engine(knowledge: base))
        }
        for problem in all { print(problem) }
        let errors = all.filter { $0.severity == .error }.count
        let warnings = all.count - errors
        let articles = base.articles.count
        print(
            "\(errors) error(s), \(warnings) warning(s); \(articles) articles, \(base.intents.count) intents, "
                + "\(base.concepts.count) concepts, \(base.locations.count) locations, \(base.partners.count) partners.")
        if errors > 0 { throw ExitCode(1) }
    }
}

/// `baken check --report`: the library's to-do list of facts to confirm.
enum ConfirmationReport {
    static func markdown(_ base: KnowledgeBase, problems: [Diagnostic]) -> String {
        var items: [String: [String]] = [:]
        for versions in base.articles.values {
            for article in versions.values where !article.confirmed {
                items[article.source.file, default: []].append(
                    "`\(article.id)` (\(article.language.rawValue)): a fact is marked `confirmed: false` — see the comment in its front matter; checked \(article.checked ?? "never") against \(article.sources.count) source(s).")
            }
        }
        for problem in problems where problem.code == "stale_check" {
            items[problem.location.file, default: []].append("line \(problem.location.line): \(problem.message)")
        }
        let locations = "knowledge/locations.yaml"
        for location in base.locations where !location.confirmed {
            var missing = ["opening, chat and walk-in hours", "address"]
            if location.phone == nil { missing.append("phone number") }
            if location.services.isEmpty { missing.append("services") }
            items[locations, default: []].append("`\(location.id)` (\(location.name)): confirm \(missing.joined(separator: ", ")).")
        }
        for partner in base.partners where !partner.confirmed {
            items["knowledge/partners.yaml", default: []].append(
                "`\(partner.id)` (\(partner.name)): confirm who they are, how to reach them\(partner.url.isEmpty ? " (no site known)" : "") and whether they take referrals.")
        }
        var lines = [
            "# To confirm", "",
            "What the library must still check before residents rely on it: facts marked `confirmed: false`,",
            "placeholders and checks older than a year. Made by `baken check --report`; regenerate it after edits.", "",
        ]
        for file in items.keys.sorted() {
            let relative = file.range(of: "knowledge/").map { String(file[$0.lowerBound...]) } ?? file
            lines.append("## \(relative)")
            lines.append("")
            lines += items[file]!.sorted().map { "- [ ] " + $0 }
            lines.append("")
        }
        lines.append("\(items.values.reduce(0) { $0 + $1.count }) item(s) in \(items.count) file(s).")
        return lines.joined(separator: "\n")
    }
}
