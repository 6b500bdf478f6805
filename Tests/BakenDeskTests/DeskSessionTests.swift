import BakenDesk
import BakenTesting
import Foundation
import Testing

/// Resume, limits and the idle sweep.
@Suite struct DeskSessionTests {
    @Test func resumeReplaysExactlyTheMissedMessagesInOrder() async throws {
        let fixture = DeskFixture()
        let (first, welcome) = try await fixture.started()
        let session = try #require(welcome["session"] as? String)
        var seen: [String] = []
        for (index, text) in ["digi d kwijt", "hoe vraag ik toeslag aan"].enumerated() {
            await first.send(["type": "say", "id": "m\(index)", "text": text])
            seen.append(String(decoding: JSONLine.encode(try await first.next()), as: UTF8.self))
            seen.append(String(decoding: JSONLine.encode(try await first.next()), as: UTF8.self))
        }
        // seq 1 greeting, 2-3 first say, 4-5 second say. The client saw up to 3, then dropped.
        await first.disconnect()

        let second = await fixture.connect()
        await second.send(["type": "resume", "session": session, "after": 3])
        let resumed = try await second.next()
        #expect(resumed.type == "welcome")
        #expect(resumed["resumed"] as? Bool == true)
        #expect(resumed.seq == 5)
        #expect(resumed["conversation"] as? String == welcome["conversation"] as? String)
        let replay = try await second.drain()
        #expect(replay.map(\.seq) == [4, 5])
        #expect(replay.map(\.type) == ["ack", "reply"])
        #expect(replay.map { String(decoding: JSONLine.encode($0), as: UTF8.self) } == Array(seen[2...]))

        // The conversation continues on the new connection.
        await second.send(["type": "say", "id": "m9", "text": "digi d kwijt"])
        #expect(try await second.next().seq == 6)
        #expect(try await second.next().seq == 7)
    }

    @Test func resumeWhileConnectedReplacesTheOldConnection() async throws {
        let fixture = DeskFixture()
        let (first, welcome) = try await fixture.started()
        let session = try #require(welcome["session"] as? String)
        let second = await fixture.connect()
        await second.send(["type": "resume", "session": session, "after": 1])
        #expect(try await second.next().type == "welcome")
        #expect(try await second.drain().isEmpty)
        #expect(try await first.next().code == "replaced")
        try await first.waitForClose()
    }

    @Test func resumeWithAnUnknownTokenIsRefused() async throws {
        let fixture = DeskFixture()
        let client = await fixture.connect()
        await client.send(["type": "resume", "session": "no-such-session", "after": 0])
        #expect(try await client.next().code == "unknown_session")
        // The connection stays usable.
        await client.send(["type": "hello"])
        #expect(try await client.next().type == "welcome")
    }

    @Test func aBurstOverTheSessionBucketIsRateLimited() async throws {
        let fixture = DeskFixture()
        let burst = Int(fixture.desk.configuration.sessionBurst)
        let (client, _) = try await fixture.started()
        for index in 0..<burst {
            await client.send(["type": "say", "id": "m\(index)", "text": "digi d kwijt"])
            #expect(try await client.next().type == "ack")
            #expect(try await client.next().type == "reply")
        }
        await client.send(["type": "say", "id": "over", "text": "digi d kwijt"])
        let limited = try await client.next()
        #expect(limited.code == "rate_limited")
        #expect(limited["id"] as? String == "over")
        #expect(try await client.drain().isEmpty)

        // A second later the bucket has refilled a little.
        fixture.clock.advance(by: 1)
        await client.send(["type": "say", "id": "later", "text": "digi d kwijt"])
        #expect(try await client.next().type == "ack")
    }

    /// Invalid messages of a started conversation take a token too (an early version lost it).
    @Test func invalidMessagesCountAgainstTheSessionBucket() async throws {
        let fixture = DeskFixture()
        let burst = Int(fixture.desk.configuration.sessionBurst)
        let (client, _) = try await fixture.started()
        for index in 0..<burst {
            await client.send(["type": "say", "id": "e\(index)", "text": "   "])
            #expect(try await client.next().code == "empty_text")
        }
        await client.send(["type": "say", "id": "over", "text": "   "])
        #expect(try await client.next().code == "rate_limited")
    }

    @Test func tooManyConnectionsFromOneAddressAreRefused() async throws {
        var configuration = DeskConfiguration()
        configuration.maxConnectionsPerAddress = 2
        let fixture = DeskFixture(configuration)
        let first = await fixture.connect(address: "198.51.100.7")
        let second = await fixture.connect(address: "198.51.100.7")
        #expect(first.accepted && second.accepted)
        let third = await fixture.connect(address: "198.51.100.7")
        #expect(!third.accepted)
        #expect(try await third.next().code == "too_many_connections")
        try await third.waitForClose()
        // Another address is not affected, and a freed slot can be used again.
        #expect(await fixture.connect(address: "198.51.100.8").accepted)
        await first.disconnect()
        #expect(await fixture.connect(address: "198.51.100.7").accepted)
    }

    @Test func theSweepClosesAnIdleConversationAsUnresolved() async throws {
        var configuration = DeskConfiguration()
        configuration.connectionIdleTimeout = 4 * 3600
        let fixture = DeskFixture(configuration)
        let (client, welcome) = try await fixture.started()

        fixture.clock.advance(by: configuration.conversationIdleTimeout - 1)
        await fixture.desk.sweep()
        #expect(try await client.drain().isEmpty)

        fixture.clock.advance(by: 2)
        await fixture.desk.sweep()
        let closed = try await client.next()
        #expect(closed.type == "closed")
        #expect(closed.seq == 2)
        #expect(closed["outcome"] as? String == "unresolved")
        let conversation = try #require(welcome["conversation"] as? String)
        let record = try #require(try await fixture.store.conversation(id: conversation))
        #expect(record.phase == .closed)
        #expect(record.outcome == .unresolved)
    }

    @Test func theSweepKeepsTheOutcomeOfAnAnsweredConversation() async throws {
        var configuration = DeskConfiguration()
        configuration.connectionIdleTimeout = 4 * 3600
        let fixture = DeskFixture(configuration)
        let (client, _) = try await fixture.started()
        await client.send(["type": "say", "id": "m1", "text": "digi d kwijt"])
        _ = try await client.next()
        _ = try await client.next()
        fixture.clock.advance(by: configuration.conversationIdleTimeout + 1)
        await fixture.desk.sweep()
        let closed = try await client.next()
        #expect(closed["outcome"] as? String == "answered")
    }

    @Test func theSweepClosesAnIdleConnection() async throws {
        let fixture = DeskFixture()
        let (client, welcome) = try await fixture.started()
        fixture.clock.advance(by: fixture.desk.configuration.connectionIdleTimeout + 1)
        await fixture.desk.sweep()
        #expect(try await client.next().code == "idle_timeout")
        try await client.waitForClose()
        await client.disconnect()
        #expect(await fixture.desk.connectionCount == 0)

        // The conversation outlives the connection: it can be resumed.
        let session = try #require(welcome["session"] as? String)
        let again = await fixture.connect()
        await again.send(["type": "resume", "session": session, "after": 1])
        #expect(try await again.next()["resumed"] as? Bool == true)
    }

    @Test func aConversationClosedWhileAwayIsReplayedOnResume() async throws {
        var configuration = DeskConfiguration()
        configuration.connectionIdleTimeout = 4 * 3600
        let fixture = DeskFixture(configuration)
        let (client, welcome) = try await fixture.started()
        await client.disconnect()
        fixture.clock.advance(by: configuration.conversationIdleTimeout + 1)
        await fixture.desk.sweep()
        #expect(await fixture.desk.liveCount == 0)

        let session = try #require(welcome["session"] as? String)
        let again = await fixture.connect()
        await again.send(["type": "resume", "session": session, "after": 1])
        #expect(try await again.next().seq == 2)
        let replay = try await again.drain()
        #expect(replay.map(\.type) == ["closed"])
        #expect(replay.first?["outcome"] as? String == "unresolved")
    }
}

/// The per-address rate bucket must outlive the address's connections: an attacker who
/// reconnects after every burst used to get a full bucket each time.
@Suite struct AddressBucketTests {
    @Test func reconnectingDoesNotRefillTheAddressBucket() async throws {
        var configuration = DeskConfiguration()
        configuration.addressRate = 1
        configuration.addressBurst = 4
        configuration.sessionBurst = 100
        let fixture = DeskFixture(configuration)
        var limited = 0
        for round in 0..<3 {
            let client = await fixture.connect(address: "203.0.113.9")
            for index in 0..<3 {
                await client.send(["type": "ping", "id": "p\(round)-\(index)"])
                if try await client.next().code == "rate_limited" { limited += 1 }
            }
            await client.disconnect()
        }
        // 9 messages against a burst of 4 with no time passing: 5 are refused.
        #expect(limited == 5)
        // Once the bucket has refilled, the sweep forgets it; the address starts afresh.
        fixture.clock.advance(by: 10)
        await fixture.desk.sweep()
        let client = await fixture.connect(address: "203.0.113.9")
        await client.send(["type": "ping", "id": "later"])
        #expect(try await client.next().type == "pong")
    }
}
