import ArgumentParser
import BakenEngine

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Validate the knowledge base and intents; every problem with file:line and what to do.")

    @OptionGroup var options: KnowledgeOptions

    @Flag(help: "Also check that every intent's examples reach that intent.")
    var examples = false

    func run() throws {
        let (base, problems) = KnowledgeLoader(knowledge: options.knowledge, intents: options.intents).load()
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
