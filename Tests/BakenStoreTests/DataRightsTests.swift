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

    /// Both stores: the export holds everything about the conversation, forget removes it all and
    /// nothing of another conversation.
    @Test(arguments: StoreKind.all) func exportAndForgetOnEveryStore(kind: StoreKind) async throws {
        try await kind.withStore { store, _ in
            let referral = ReferralRecord(
                id: "r_1", conversation: "c_1", partner: "taalhuis", status: .delivered, fields: ["first_name": "Jan"], requestedBy: "bot",
                createdAt: Date(), updatedAt: Date())
            let event = OutboxRecord(id: "e_1", referral: "r_1", partner: "taalhuis", payload: "{}", status: .delivered, attempts: 1, nextAttemptAt: Date(), createdAt: Date())
            try await store.commit([
                .conversation(conversation("c_1")), .message(message("c_1", 1, "ik heb een vraag")), .message(message("c_1", 2, "nog een")),
                .unanswered(UnansweredRecord(conversation: "c_1", seq: 1, text: "vraag", reason: .decline, candidates: "", createdAt: Date())),
                .ticket(TicketRecord(conversation: "c_1", name: "Jan", contact: "0612345678", location: nil, topic: "", createdAt: Date())),
                .referral(referral), .outbox(event),
                .attempt(DeliveryAttemptRecord(event: "e_1", attempt: 1, statusCode: 200, latencyMilliseconds: 5, error: nil, at: Date())),
                .conversation(conversation("c_2")), .message(message("c_2", 1, "een ander gesprek")),
            ])
            let exported = try #require(try await store.export(conversation: "c_1"))
            let json = try #require(try JSONSerialization.jsonObject(with: exported) as? [String: Any])
            #expect((json["conversation"] as? [String: Any])?["id"] as? String == "c_1")
            for (table, count) in [("message", 2), ("unanswered", 1), ("ticket", 1), ("referral", 1), ("outbox", 1), ("delivery_attempt", 1), ("feedback", 0)] {
                #expect((json[table] as? [Any])?.count == count, "\(table)")
            }
            #expect(!String(decoding: exported, as: UTF8.self).contains("een ander gesprek"))

            let counts = try await store.forget(conversation: "c_1")
            #expect(counts["conversation"] == 1 && counts["message"] == 2 && counts["ticket"] == 1 && counts["referral"] == 1)
            #expect(try await store.export(conversation: "c_1") == nil)
            #expect(try await store.events(referral: "r_1").isEmpty)
            #expect(try await store.attempts(event: "e_1").isEmpty)
            #expect(try await store.messages(conversation: "c_2", after: 0).count == 1, "other conversations stay")
            #expect(try await store.forget(conversation: "c_1")["conversation"] == 0)
        }
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
