import BakenDesk
import BakenTesting
import Foundation
import Testing

/// A resume may replay more lines than a connection buffers for live traffic.
@Suite struct LongReplayTests {
    @Test func aReplayLongerThanTheBufferArrivesWhole() async throws {
        let store = MemoryStore()
        let first = Desk(engine: ShippedKnowledge.engine, store: store)
        let client = await DeskTestClient.open(first)
        await client.send(["type": "hello", "lang": "nl"])
        let welcome = try await client.next()
        _ = try await client.next()  // greeting, seq 1
        let session = try #require(welcome["session"] as? String)
        let id = try #require(welcome["conversation"] as? String)
        await client.disconnect()

        // 1,500 more stored lines (a long chat with staff, say), then a restart.
        var record = try #require(try await store.conversation(id: id))
        let now = Date()
        let lines = (2...1501).map { seq in
            StoreWrite.message(
                MessageRecord(conversation: id, seq: seq, type: "reply", role: .bot, text: "regel \(seq)",
                              payload: #"{"type":"reply","seq":\#(seq)}"#, createdAt: now))
        }
        record.lastSeq = 1501
        try await store.commit(lines + [.conversation(record)])
        let restarted = Desk(engine: ShippedKnowledge.engine, store: store)

        let second = await DeskTestClient.open(restarted)
        await second.send(["type": "resume", "session": session, "after": 0])
        #expect(try await second.next().type == "welcome")
        var seqs: [Int] = []
        for _ in 1...1501 { seqs.append(try await second.next().seq ?? -1) }
        #expect(seqs == Array(1...1501), "every line, in order, and the connection stays open")
        #expect(try await second.drain().isEmpty)
    }
}
