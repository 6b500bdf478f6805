import ArgumentParser
import BakenDesk
import BakenStore
import Foundation

/// Which conversation a data-rights command is about.
struct ConversationChoice: ParsableArguments {
    @Option(help: "The conversation id (c_…).") var conversation: String?
    @Option(help: "The resident's session token (only its hash is stored).") var session: String?
    @OptionGroup var storage: StoreLocation

    /// The store, as one that can export and forget.
    func open() async throws -> any BakenStorage & DataRightsStore {
        guard let store = try await storage.open() as? any BakenStorage & DataRightsStore else {
            printError("This store cannot export or forget a conversation.")
            throw ExitCode(1)
        }
        return store
    }

    func resolve(in store: any ConversationStore) async throws -> String {
        if let conversation { return conversation }
        guard let session else {
            printError("Give --conversation ID or --session TOKEN.")
            throw ExitCode(2)
        }
        guard let record = try await store.conversation(sessionHash: SessionToken.hash(session)) else {
            printError("No conversation has that session token.")
            throw ExitCode(1)
        }
        return record.id
    }
}

struct Export: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Print everything stored about one conversation as JSON (a resident's request to see their data).")

    @OptionGroup var choice: ConversationChoice

    func run() async throws {
        let store = try await choice.open()
        let id = try await choice.resolve(in: store)
        guard let data = try await store.export(conversation: id) else {
            printError("There is no conversation \(id).")
            throw ExitCode(1)
        }
        print(String(decoding: data, as: UTF8.self))
    }
}

struct Forget: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Erase one conversation and everything that refers to it (a resident's request to be forgotten).",
        discussion: """
            Removes the conversation, its messages, unanswered questions, feedback, call-back tickets and \
            referrals with their undelivered webhook events, overwriting the deleted data in the database file. \
            Run it for a conversation that has ended; a resident still connected to a running server would start \
            writing to it again.
            """)

    @OptionGroup var choice: ConversationChoice

    func run() async throws {
        let store = try await choice.open()
        let id = try await choice.resolve(in: store)
        let counts = try await store.forget(conversation: id)
        guard counts["conversation"] == 1 else {
            printError("There is no conversation \(id).")
            throw ExitCode(1)
        }
        let detail = counts.filter { $0.key != "conversation" && $0.value > 0 }.sorted { $0.key < $1.key }.map { "\($0.value) \($0.key)" }
        print("Forgot conversation \(id)" + (detail.isEmpty ? "." : ": " + detail.joined(separator: ", ") + "."))
    }
}
