import BakenDesk
import BakenEngine
import BakenTesting
import Foundation
import Testing

@testable import BakenPostgres

/// Two desks on one PostgreSQL database, linked as `baken serve` links them (``DeskBus``):
/// the parts of the cross-node path the end-to-end script does not reach.
@Suite(.enabled(if: StoreKind.postgresURL != nil, "set BAKEN_TEST_POSTGRES to test the PostgreSQL store"))
struct TwoDesksTests {
    /// Node B's delivery worker delivered a referral of a resident whose connection is on node
    /// A: node A tells the resident (node B cannot write A's conversation).
    @Test func aReferralDeliveredByAnotherNodeIsToldByTheOwner() async throws {
        try await TestDatabase.with { url in
            let a = try await PostgresStore.connect(url, node: "a", logger: PostgresStoreTests.logger)
            let b = try await PostgresStore.connect(url, node: "b", logger: PostgresStoreTests.logger)
            let deskA = Desk(engine: ShippedKnowledge.engine, store: a)
            let deskB = Desk(engine: ShippedKnowledge.engine, store: b)
            let links = [await Self.link(deskA, a), await Self.link(deskB, b)]
            await deskA.presenceChanged()
            await deskB.presenceChanged()

            let resident = await DeskTestClient.open(deskA)
            await resident.send(["type": "hello"])
            let welcome = try await resident.next()
            _ = try await resident.next()  // greeting
            let conversation = try #require(welcome["conversation"] as? String)
            let referral = ReferralRecord(
                id: "r_test", conversation: conversation, partner: "taalhuis", status: .delivered, requestedBy: "bot", createdAt: Date(), updatedAt: Date())
            try await b.commit([.referral(referral)])

            await deskB.referralChanged("r_test", status: .delivered)
            let told = try await resident.next(timeout: .seconds(10))
            #expect(told["type"] as? String == "referral" && told["status"] as? String == "delivered" && told["referral"] as? String == "r_test")
            #expect(told["seq"] as? Int == 2, "the next seq of the conversation, written by its owner")
            #expect(try await b.owner(of: conversation) == "a", "node B did not take the conversation from a live node")

            for link in links { link.cancel() }
            await a.close()
            await b.close()
        }
    }

    /// Node A went silent (no heartbeat) while a staff member on node B was helping its
    /// resident: the staff member's next message makes node B take the conversation over, and
    /// it is stored and acknowledged there; later commands work too.
    @Test func staffGoOnWithAResidentOfASilentNode() async throws {
        try await TestDatabase.with { url in
            let a = try await PostgresStore.connect(url, node: "a", logger: PostgresStoreTests.logger)
            let b = try await PostgresStore.connect(url, node: "b", logger: PostgresStoreTests.logger)
            try await Self.askedForAPerson("c_held", on: a, phase: .withStaff, staff: "Nora")  // node a holds it, and never beats
            let token = "token-of-nora"
            try await b.commit([.staff(StaffRecord(name: "Nora", role: .staff, locations: [], tokenHash: SessionToken.hash(token), createdAt: Date()))])

            let deskB = Desk(engine: ShippedKnowledge.engine, store: b)
            let link = await Self.link(deskB, b)
            let console = await DeskTestClient.open(deskB)
            await console.send(["type": "auth", "token": token])
            #expect(try await console.next()["type"] as? String == "auth_ok")
            var queue = try await Self.next(console, ["queue"])
            while (queue["mine"] as? [String] ?? []).isEmpty { queue = try await Self.next(console, ["queue"]) }  // read at the start
            #expect(queue["mine"] as? [String] == ["c_held"], "node b's console lists the chat node a holds as hers")

            await console.send(["type": "say", "conversation": "c_held", "id": "s1", "text": "Goedemiddag"])
            let ack = try await Self.next(console, ["ack", "error"])
            #expect(ack["type"] as? String == "ack" && ack["seq"] as? Int == 2, "stored at the next seq on node b")
            #expect(try await b.owner(of: "c_held") == "b", "node b took the conversation over")
            await console.send(["type": "close", "conversation": "c_held", "outcome": "answered"])
            #expect(try await Self.next(console, ["closed", "error"])["type"] as? String == "closed")
            #expect(try await b.conversation(id: "c_held")?.phase == .closed)

            link.cancel()
            await a.close()
            await b.close()
        }
    }

    /// A resident node A left waiting past the queue's limit, and A went silent: of two live
    /// nodes exactly one adopts the conversation, and its sweep gives the resident the fallback
    /// (they read it when they come back); staff queues no longer list them.
    @Test func oneLiveNodeAdoptsAResidentASilentNodeLeftWaiting() async throws {
        try await TestDatabase.with { url in
            let a = try await PostgresStore.connect(url, node: "a", logger: PostgresStoreTests.logger)
            let b = try await PostgresStore.connect(url, node: "b", logger: PostgresStoreTests.logger)
            let c = try await PostgresStore.connect(url, node: "c", logger: PostgresStoreTests.logger)
            try await Self.askedForAPerson("c_left", on: a, phase: .queued, queuedAt: Date().addingTimeInterval(-120))  // node a holds it, and never beats

            let configuration = DeskConfiguration(maxQueueWait: 60)
            let deskB = Desk(engine: ShippedKnowledge.engine, store: b, configuration: configuration)
            let deskC = Desk(engine: ShippedKnowledge.engine, store: c, configuration: configuration)
            async let beatB: Void = deskB.heartbeat()
            async let beatC: Void = deskC.heartbeat()
            _ = await (beatB, beatC)
            let held = await deskB.liveCount + deskC.liveCount
            #expect(held == 1, "exactly one node adopted it")
            let adopter = try #require(try await b.owner(of: "c_left"))
            #expect(adopter == "b" || adopter == "c")

            await deskB.sweep()
            await deskC.sweep()
            let after = try #require(try await b.conversation(id: "c_left"))
            #expect(after.phase == .bot && after.queuedAt == nil, "timed out of the queue by the node that adopted it")
            let told = try await b.messages(conversation: "c_left", after: 1)
            #expect(!told.isEmpty && told.allSatisfy { $0.role != .resident }, "the fallback is stored for the resident to read")
            let waitingB = try await b.waitingElsewhere(), waitingC = try await c.waitingElsewhere()
            #expect(waitingB.isEmpty && waitingC.isEmpty, "no queue lists them any more")

            for store in [a, b, c] { await store.close() }
        }
    }

    /// Stores, through `store` (so its node owns it), a conversation whose resident asked for a
    /// person (seq 1), now in `phase`.
    static func askedForAPerson(
        _ id: String, on store: PostgresStore, phase: Phase, staff: String? = nil, queuedAt: Date? = nil
    ) async throws {
        var record = ConversationRecord(id: id, sessionHash: "h-" + id, language: .nl, location: nil, now: Date())
        record.phase = phase
        record.staff = staff
        record.queuedAt = queuedAt
        record.lastSeq = 1
        let asked = MessageRecord(
            conversation: id, seq: 1, type: "ack", role: .resident, text: "ik wil een mens", clientID: "r1",
            payload: #"{"type":"ack","id":"r1","seq":1}"#, createdAt: Date())
        try await store.commit([.conversation(record), .message(asked)])
    }

    /// The next message of one of `types` (queue and ticket pushes are skipped).
    static func next(_ client: DeskTestClient, _ types: Set<String>) async throws -> [String: Any] {
        while true {
            let message = try await client.next(timeout: .seconds(10))
            if let type = message["type"] as? String, types.contains(type) { return message }
        }
    }

    /// What `NodeLink` does in `baken serve`: posts the desk's mail, hands it the others'.
    /// Returns once the node listens: a listener delivers mail sent from its first read on
    /// (the `resync` it yields then), so mail posted before that would not reach this desk.
    static func link(_ desk: Desk, _ bus: PostgresStore) async -> Task<Void, Never> {
        let (listening, ready) = AsyncStream.makeStream(of: Void.self)
        let task = Task {
            await withDiscardingTaskGroup { group in
                group.addTask { for await mail in desk.outgoing { try? await bus.post(mail) } }
                group.addTask {
                    for await mail in bus.mail() {
                        if mail.kind == .resync { ready.yield() }
                        await desk.receive(mail: mail)
                    }
                }
            }
        }
        for await _ in listening { break }
        return task
    }
}
