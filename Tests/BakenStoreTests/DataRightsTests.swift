import BakenDesk
import Foundation
import Testing

@testable import BakenStore

/// Issue 13: a resident may ask what is stored about them, and to be forgotten.
@Suite struct DataRightsTests {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("baken-rights-\(UUID().uuidString)")

    func conversation(_ id: String) -> ConversationRecord {
        ConversationRecord(id: id, sessionHash: SessionToken.hash("token-\(id)"), language: .nl, location: "den_helder", now: Date())
    }

    func message(_ conversation: String, _ seq: Int, _ text: String) -> MessageRecord {
        MessageRecord(
            conversation: conversation, seq: seq, type: "ack", role: .resident, text: text, clientID: "m\(seq)",
            payload: #"{"type":"ack"}"#, createdAt: Date())
    }

    @Test func exportShowsEverythingAndForgetLeavesNoTextInTheFile() async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("baken.sqlite").path
        let store = try SQLiteStore(path: path)
        let secret = "zeldzaamwoord" + String(UUID().uuidString.prefix(8))
        try await store.commit([
            .conversation(conversation("c_1")), .message(message("c_1", 1, "ik heb een vraag over \(secret)")),
            .unanswered(UnansweredRecord(conversation: "c_1", seq: 1, text: "vraag \(secret)", reason: .decline, candidates: "", createdAt: Date())),
            .ticket(TicketRecord(conversation: "c_1", name: "Jan \(secret)", contact: "0612345678", location: nil, topic: "", createdAt: Date())),
            .conversation(conversation("c_2")), .message(message("c_2", 1, "een ander gesprek")),
        ])
        let exported = try #require(try await store.export(conversation: "c_1"))
        let json = try #require(try JSONSerialization.jsonObject(with: exported) as? [String: Any])
        #expect((json["message"] as? [Any])?.count == 1)
        #expect((json["unanswered"] as? [Any])?.count == 1)
        #expect((json["ticket"] as? [Any])?.count == 1)
        #expect(String(decoding: exported, as: UTF8.self).contains(secret))

        let counts = try await store.forget(conversation: "c_1")
        #expect(counts["conversation"] == 1 && counts["message"] == 1 && counts["ticket"] == 1)
        #expect(try await store.export(conversation: "c_1") == nil)
        #expect(try await store.export(conversation: "c_2") != nil, "other conversations stay")
        // Not a trace in the database file or its write-ahead log.
        for file in [path, path + "-wal"] {
            guard let bytes = FileManager.default.contents(atPath: file) else { continue }
            #expect(bytes.range(of: Data(secret.utf8)) == nil, "\(file) still holds the text")
        }
    }

    @Test func anUnknownConversationIsNothingToForget() async throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try SQLiteStore(path: directory.appendingPathComponent("baken.sqlite").path)
        #expect(try await store.forget(conversation: "c_nope")["conversation"] == 0)
        #expect(try await store.export(conversation: "c_nope") == nil)
    }
}
