import ArgumentParser
import BakenEngine

@main
struct Baken: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "baken",
        abstract: "Baken — the digital help desk of the library.",
        subcommands: [Serve.self, Staff.self, Tickets.self, Referrals.self, Export.self, Forget.self, Check.self, Ask.self, Eval.self, Unanswered.self, ReportCommand.self, Migrate.self, BenchEngine.self])
}

/// Where the knowledge base lives; shared by the subcommands.
struct KnowledgeOptions: ParsableArguments {
    @Option(help: "The knowledge directory (articles, locations.yaml, partners.yaml).")
    var knowledge = "knowledge"

    @Option(help: "The intents directory.")
    var intents = "intents"

    /// Loads the knowledge base or exits with the curator-facing errors.
    func load() throws -> KnowledgeBase {
        do {
            return try KnowledgeLoader(knowledge: knowledge, intents: intents).loadValidated()
        } catch let error as KnowledgeError {
            printError(error.description + "\nRun `baken check` for details.")
            throw ExitCode(1)
        }
    }
}

func printError(_ message: String) {
    var stderr = StandardError()
    print(message, to: &stderr)
}

struct StandardError: TextOutputStream {
    mutating func write(_ string: String) { FileHandle.standardError.write(Data(string.utf8)) }
}

import Foundation
