import ArgumentParser
import BakenDesk
import BakenStore
import Foundation

struct Unanswered: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "List the questions the bot could not answer well (declines, near-ties, out of scope, 'not helpful').")

    @Option(help: "Data directory of the server.") var data = "data"
    @Option(help: "How many, newest first.") var limit = 50
    @Flag(help: "Print JSON Lines, one question per line.") var json = false

    func run() async throws {
        let path = (data as NSString).appendingPathComponent("baken.sqlite")
        guard FileManager.default.fileExists(atPath: path) else {
            printError("\(path) does not exist: start the server once with `baken serve --data \(data)`.")
            throw ExitCode(1)
        }
        let store = try SQLiteStore(path: path)
        let items = try await store.unanswered(limit: limit)
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
