import ArgumentParser
import BakenEngine
import Foundation

struct Ask: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Ask the engine a question and see its decision.")

    @Argument(help: "The resident's message.")
    var text: String

    @Option(help: "Answer in this language (nl or en); detected when not given.")
    var lang: Language?

    @Flag(help: "Show how the message was read and why the decision was made.")
    var explain = false

    @Flag(help: "Print one JSON object.")
    var json = false

    @OptionGroup var options: KnowledgeOptions

    func run() throws {
        let engine = Engine(knowledge: try options.load())
        let decision = engine.decide(text, language: lang)
        let reply = engine.render(decision)
        if json {
            print(DecisionJSON.encode(decision, reply: reply, explain: explain))
            return
        }
        if explain { print(Explanation.text(decision)) }
        print(reply.text)
        for option in reply.options { print("  [\(option.label)]") }
        for link in reply.links { print("  → \(link.title): \(link.url)") }
        if !explain { print("(\(decision.kind.rawValue)\(decision.intent.map { ": " + $0 } ?? ""))") }
    }
}

extension Language: ExpressibleByArgument {}
