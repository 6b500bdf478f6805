import BakenDesk
import BakenServer
import BakenStore
import BakenTesting
import Foundation
import Testing

/// Whole conversations over real sockets, with the SQLite store.
@Suite struct ServerConversationTests {
    @Test(arguments: Transport.allCases)
    func aFullConversation(_ transport: Transport) async throws {
        let fixture = ServerFixture()
        defer { fixture.remove() }
        let (server, store) = try await fixture.start()
        let client = try await server.client(transport)

        try await client.send(["type": "hello"])
        let welcome = try await client.next()
        #expect(welcome.type == "welcome")
        #expect(welcome.seq == 0)
        let greeting = try await client.next()
        #expect(greeting.type == "reply")
        #expect(greeting.seq == 1)

        try await client.send(["type": "say", "id": "m1", "text": "digi d kwijt"])
        let ack = try await client.next()
        #expect(ack.type == "ack" && ack.seq == 2 && ack["id"] as? String == "m1")
        let answer = try await client.next()
        #expect(answer.seq == 3)
        #expect(answer["intent"] as? String == "digid_inloggen")
        let option = try #require(answer.optionIDs.first { $0 != "handoff" })

        try await client.send(["type": "choose", "id": "m2", "option": option])
        let chosen = try await client.next()
        #expect(chosen.type == "ack" && chosen.seq == 4 && chosen["id"] as? String == "m2")
        let followUp = try await client.next()
        #expect(followUp.type == "reply" && followUp.seq == 5)
        // The buttons of "digi d kwijt" are the questions of the topic; choosing one answers it.
        #expect(option.hasPrefix("digid_inloggen/"))
        #expect(followUp["intent"] as? String == "digid_inloggen")
        #expect(followUp["question"] as? String == option)

        try await client.send(["type": "feedback", "seq": 5, "helpful": true])
        let thanks = try await client.next()
        #expect(thanks.seq == 6 && thanks["decision"] as? String == "feedback")

        try await client.send(["type": "bye"])
        let goodbye = try await client.next()
        #expect(goodbye.seq == 7 && goodbye["decision"] as? String == "goodbye")
        let closed = try await client.next()
        #expect(closed.type == "closed" && closed.seq == 8)
        #expect(closed["outcome"] as? String == "answered")
        await client.close()

        let conversation = try #require(welcome["conversation"] as? String)
        let stored = try await store.messages(conversation: conversation, after: 0)
        #expect(stored.map(\.seq) == Array(1...8))
        #expect(stored.map(\.type) == ["reply", "ack", "reply", "ack", "reply", "reply", "reply", "closed"])
        let record = try #require(try await store.conversation(id: conversation))
        #expect(record.phase == .closed)
        #expect(record.outcome == .answered)
        await server.stop()
    }

    @Test(arguments: Transport.allCases)
    func resumeAfterADisconnectGetsExactlyTheMissedMessages(_ transport: Transport) async throws {
        let fixture = ServerFixture()
        defer { fixture.remove() }
        let (server, _) = try await fixture.start()
        // Start on the other transport: a session is not tied to one.
        let first = try await server.client(transport == .tcp ? .webSocket : .tcp)
        let welcome = try await first.hello()
        let session = try #require(welcome["session"] as? String)
        try await first.send(["type": "say", "id": "m1", "text": "digi d kwijt"])
        let missed = [try await first.next(), try await first.next()]
        await first.close()

        let second = try await server.client(transport)
        try await second.send(["type": "resume", "session": session, "after": 1])
        let resumed = try await second.next()
        #expect(resumed.type == "welcome")
        #expect(resumed["resumed"] as? Bool == true)
        #expect(resumed.seq == 3)
        let replay = try await second.drain()
        #expect(replay.map(\.canonical) == missed.map(\.canonical))

        try await second.send(["type": "say", "id": "m2", "text": "digi d kwijt"])
        #expect(try await second.next().seq == 4)
        #expect(try await second.next().seq == 5)
        await second.close()
        await server.stop()
    }

    @Test func aRestartedServerResumesFromTheDatabase() async throws {
        let fixture = ServerFixture()
        defer { fixture.remove() }
        let (firstServer, _) = try await fixture.start()
        let first = try await firstServer.webSocketClient()
        try await first.send(["type": "hello"])
        let welcome = try await first.next()
        let session = try #require(welcome["session"] as? String)
        var history = [try await first.next()]
        try await first.send(["type": "say", "id": "m1", "text": "digi d kwijt"])
        history += [try await first.next(), try await first.next()]

        // Stopping tells the connected client to come back later.
        await firstServer.stop()
        #expect(try await first.next().code == "shutting_down")
        try await first.waitForClose()

        let (secondServer, _) = try await fixture.start()
        for transport in Transport.allCases {
            let client = try await secondServer.client(transport)
            try await client.send(["type": "resume", "session": session, "after": 0])
            let resumed = try await client.next()
            #expect(resumed["resumed"] as? Bool == true)
            #expect(resumed["conversation"] as? String == welcome["conversation"] as? String)
            #expect(resumed.seq == 3)
            #expect(try await client.drain().map(\.canonical) == history.map(\.canonical))
            await client.close()
        }

        let client = try await secondServer.lineClient()
        try await client.send(["type": "resume", "session": session, "after": 3])
        #expect(try await client.next().type == "welcome")
        // The retried say is recognised after the restart, and a new one continues the seqs.
        try await client.send(["type": "say", "id": "m1", "text": "digi d kwijt"])
        let retried = try await client.next()
        #expect(retried.type == "ack" && retried.seq == 2)
        try await client.send(["type": "say", "id": "m2", "text": "digi d kwijt"])
        let ack = try await client.next()
        #expect(ack.type == "ack" && ack.seq == 4)
        let reply = try await client.next()
        #expect(reply.seq == 5 && reply["intent"] as? String == "digid_inloggen")
        await client.close()
        await secondServer.stop()
    }

    @Test(arguments: Transport.allCases)
    func aDuplicateSayIdIsAcknowledgedOnceMore(_ transport: Transport) async throws {
        let fixture = ServerFixture()
        defer { fixture.remove() }
        let (server, store) = try await fixture.start()
        let client = try await server.client(transport)
        let welcome = try await client.hello()
        try await client.send(["type": "say", "id": "m1", "text": "digi d kwijt"])
        let ack = try await client.next()
        _ = try await client.next()
        try await client.send(["type": "say", "id": "m1", "text": "digi d kwijt"])
        #expect(try await client.next().canonical == ack.canonical)
        #expect(try await client.drain().isEmpty)
        let conversation = try #require(welcome["conversation"] as? String)
        #expect(try await store.messages(conversation: conversation, after: 0).count == 3)
        await client.close()
        await server.stop()
    }

    @Test func healthAndMetrics() async throws {
        let fixture = ServerFixture()
        defer { fixture.remove() }
        let (server, _) = try await fixture.start()
        let health = try await server.get("/health")
        #expect(health.status == 200)
        let body = try JSONLine.decode(health.body)
        #expect(body["status"] as? String == "ok")
        #expect(Set(body.keys) == ["status", "knowledge"], "nothing else: no counts, no addresses")
        let knowledge = body["knowledge"] as? [String: Any]
        #expect(knowledge?["version"] is String && knowledge?["loaded_at"] is String)
        #expect(try await server.get("/metrics").status == 404, "metrics are not on the public port")
        let metrics = try await server.get("/metrics", port: server.metricsPort)
        #expect(metrics.status == 200)
        #expect(metrics.body.contains("baken_open_connections"))
        await server.stop()
    }

    /// Operators (and the two-node e2e test) can see whether a node knows that staff can take chats.
    @Test func metricsCountTheStaffAvailable() async throws {
        let store = MemoryStore()
        let token = SessionToken.make()
        try await store.commit([.staff(StaffRecord(name: "Nora", role: .staff, locations: [], tokenHash: SessionToken.hash(token), createdAt: Date()))])
        let server = try await TestServer.start(store: store)
        func available() async throws -> Double? {
            let body = try await server.get("/metrics", port: server.metricsPort).body
            let line = body.split(separator: "\n").first { $0.hasPrefix("baken_staff_available ") }
            return line.flatMap { Double($0.split(separator: " ").last ?? "") }
        }
        #expect(try await available() == 0)
        let staff = try await server.webSocketClient(path: "/ws/staff")
        try await staff.send(["type": "auth", "token": token])
        #expect(try await staff.next()["type"] as? String == "auth_ok")
        #expect(try await available() == 1)
        try await staff.send(["type": "presence", "status": "away"])
        while try await staff.next()["type"] as? String != "presence" {}
        #expect(try await available() == 0, "away: no longer counted")
        await staff.close()
        await server.stop()
    }
}
