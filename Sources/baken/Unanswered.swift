import ArgumentParser
import BakenDesk
import BakenEngine
import BakenStore
import Foundation

struct Unanswered: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the questions the bot could not answer well (declines, near-ties, out of scope, 'not helpful').")

    @Option(help: "Data directory of the server.") var data = "data"
    @Option(help: "How many, newest first.") var limit = 50
    @Flag(help: "Print JSON Lines, one question per line.") var json = false
    @Flag(help: "Group similar questions (shared words, as the engine reads them), largest group first.") var cluster = false
    @Flag(help: "With --cluster: print each group as a YAML snippet of examples for intents/.") var suggest = false
    @OptionGroup var options: KnowledgeOptions

    func run() async throws {
        let path = (data as NSString).appendingPathComponent("baken.sqlite")
        guard FileManager.default.fileExists(atPath: path) else {
            printError("\(path) does not exist: start the server once with `baken serve --data \(data)`.")
            throw ExitCode(1)
        }
        let store = try SQLiteStore(path: path)
        let items = try await store.unanswered(limit: limit)
        if cluster || suggest {
            let engine = Engine(knowledge: try options.load())
            let groups = QuestionClusters(texts: items.map(\.text).filter { !$0.hasPrefix("(reply ") }, engine: engine).groups
            for group in groups {
                if suggest {
                    print(QuestionClusters.suggestion(for: group) + "\n")
                } else {
                    print("\(group.count)×  \(group.texts[0])")
                    for text in group.texts.dropFirst().prefix(4) { print("      \(text)") }
                    if !group.closest.isEmpty { print("    closest: \(group.closest.prefix(3).joined(separator: ", "))") }
                }
            }
            print("\(groups.count) group(s) of \(items.count) question(s). `--suggest` writes them as examples for intents/.")
            return
        }
        let formatter = ISO8601DateFormatter()
        for item in items {
            if json {
                let object: [String: Any] = [
                    "text": item.text, "reason": item.reason.rawValue, "candidates": item.candidates, "conversation": item.conversation,
                    "at": formatter.string(from: item.createdAt),
                ]
                let data = try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
                print(String(decoding: data, as: UTF8.self))
            } else {
                print("\(formatter.string(from: item.createdAt))  \(item.reason.rawValue.padding(toLength: 12, withPad: " ", startingAt: 0)) \(item.text)")
                if !item.candidates.isEmpty { print("    candidates: \(item.candidates)") }
            }
        }
        if !json { print("\(items.count) question(s). Add good ones as examples to an intent, then run `baken check --examples`.") }
    }
}
