import BakenDesk
import BakenTesting
import Foundation
import Testing

@Suite struct DeskConversationTests {
    @Test func helloSendsWelcomeThenGreetingWithSeqOne() async throws {
        let fixture = DeskFixture()
        let client = await fixture.connect()
        #expect(client.accepted)
        await client.send(["type": "hello"])
        let welcome = try await client.next()
        #expect(welcome.type == "welcome")
        #expect((welcome["session"] as? String)?.isEmpty == false)
        #expect((welcome["conversation"] as? String)?.hasPrefix("c_") == true)
        #expect(welcome["resumed"] as? Bool == false)
        let greeting = try await client.next()
        #expect(greeting.type == "reply")
        #expect(greeting.seq == 1)
        #expect(greeting["decision"] as? String == "greeting")
        #expect(!greeting.optionIDs.isEmpty)
        #expect(try await client.drain().isEmpty)
    }

    @Test func sayIsAcknowledgedThenAnswered() async throws {
        let fixture = DeskFixture()
        let (client, _) = try await fixture.started()
        await client.send(["type": "say", "id": "m1", "text": "digi d kwijt"])
        let ack = try await client.next()
        #expect(ack.type == "ack")
        #expect(ack["id"] as? String == "m1")
        #expect(ack.seq == 2)
        let reply = try await client.next()
        #expect(reply.type == "reply")
        #expect(reply.seq == 3)
        #expect(reply["intent"] as? String == "digid_inloggen")
        #expect(reply["decision"] as? String == "answer")
        #expect(try await client.drain().isEmpty)
    }

    @Test func aRetriedSayIsAcknowledgedAgainButAnsweredOnce() async throws {
        let fixture = DeskFixture()
        let (client, welcome) = try await fixture.started()
        await client.send(["type": "say", "id": "m1", "text": "digi d kwijt"])
        _ = try await client.next()
        _ = try await client.next()
        let conversation = try #require(welcome["conversation"] as? String)
        let storedBefore = try await fixture.store.messages(conversation: conversation, after: 0).count

        await client.send(["type": "say", "id": "m1", "text": "digi d kwijt"])
        let again = try await client.next()
        #expect(again.type == "ack")
        #expect(again["id"] as? String == "m1")
        #expect(again.seq == 2)
        #expect(try await client.drain().isEmpty)
        #expect(try await fixture.store.messages(conversation: conversation, after: 0).count == storedBefore)
    }

    @Test func aBSNInASayIsStoredMasked() async throws {
        let fixture = DeskFixture()
        let (client, welcome) = try await fixture.started()
        await client.send(["type": "say", "id": "m1", "text": "mijn bsn is 111222333"])
        _ = try await client.next()
        _ = try await client.next()
        let conversation = try #require(welcome["conversation"] as? String)
        let messages = try await fixture.store.messages(conversation: conversation, after: 0)
        let said = try #require(messages.first { $0.clientID == "m1" })
        #expect(said.text == "mijn bsn is [BSN]")
        for message in messages {
            #expect(!message.text.contains("111222333"))
            #expect(!message.payload.contains("111222333"))
        }
        for question in try await fixture.store.unanswered(limit: 100) {
            #expect(!question.text.contains("111222333"))
        }
    }

    @Test func twoDeclinesInARowOfferAPerson() async throws {
        let fixture = DeskFixture()
        let (client, _) = try await fixture.started()
        await client.send(["type": "say", "id": "m1", "text": "formulier"])
        _ = try await client.next()
        let first = try await client.next()
        #expect(first["decision"] as? String == "decline")
        #expect(!first.optionIDs.contains("handoff"))
        await client.send(["type": "say", "id": "m2", "text": "het werkt niet"])
        _ = try await client.next()
        let second = try await client.next()
        #expect(second.type == "reply")
        #expect(second.optionIDs.contains("handoff"))

        // Choosing the offered person: no staff in the chat, so the walk-in hours come at once.
        await client.send(["type": "choose", "id": "m3", "option": "handoff"])
        let ack = try await client.next()
        #expect(ack.type == "ack")
        let handoff = try await client.next()
        #expect(handoff["decision"] as? String == "handoff")
    }

    @Test func byeClosesWithTheOutcome() async throws {
        let fixture = DeskFixture()
        let (client, welcome) = try await fixture.started()
        await client.send(["type": "say", "id": "m1", "text": "digi d kwijt"])
        _ = try await client.next()
        _ = try await client.next()
        await client.send(["type": "bye"])
        let goodbye = try await client.next()
        #expect(goodbye.type == "reply")
        #expect(goodbye["decision"] as? String == "goodbye")
        #expect(goodbye.seq == 4)
        let closed = try await client.next()
        #expect(closed.type == "closed")
        #expect(closed.seq == 5)
        #expect(closed["outcome"] as? String == "answered")

        let conversation = try #require(welcome["conversation"] as? String)
        let record = try #require(try await fixture.store.conversation(id: conversation))
        #expect(record.phase == .closed)
        #expect(record.outcome == .answered)

        // After the end a say is refused; a second bye is silent.
        await client.send(["type": "say", "id": "m2", "text": "hallo"])
        let refused = try await client.next()
        #expect(refused.code == "conversation_closed")
        #expect(refused["id"] as? String == "m2")
        await client.send(["type": "bye"])
        #expect(try await client.drain().isEmpty)
    }

    @Test func byeWithoutAnAnswerIsUnresolved() async throws {
        let fixture = DeskFixture()
        let (client, _) = try await fixture.started()
        await client.send(["type": "bye"])
        _ = try await client.next()
        let closed = try await client.next()
        #expect(closed["outcome"] as? String == "unresolved")
    }

    @Test func feedbackIsStoredAndThanked() async throws {
        let fixture = DeskFixture()
        let (client, _) = try await fixture.started()
        await client.send(["type": "say", "id": "m1", "text": "digi d kwijt"])
        _ = try await client.next()
        let reply = try await client.next()
        await client.send(["type": "feedback", "seq": try #require(reply.seq), "helpful": true])
        let thanks = try await client.next()
        #expect(thanks["decision"] as? String == "feedback")
        #expect(fixture.store.feedback.map(\.seq) == [3])
        #expect(fixture.store.feedback.map(\.helpful) == [true])

        await client.send(["type": "feedback", "seq": 99, "helpful": false])
        #expect(try await client.next().code == "unknown_seq")
        await client.send(["type": "feedback", "seq": 2, "helpful": false])
        #expect(try await client.next().code == "unknown_seq", "seq 2 is the ack of m1, not a reply")

        // Rating the same reply again (a double tap, a change of mind) replaces the answer but
        // gets no second reply and no second inbox row.
        for _ in 0..<3 { await client.send(["type": "feedback", "seq": try #require(reply.seq), "helpful": false]) }
        await client.send(["type": "ping"])
        #expect(try await client.next()["type"] as? String == "pong", "nothing came before the pong")
        #expect(fixture.store.feedback.map(\.helpful) == [false])
        #expect(try await fixture.store.unanswered(limit: 10).filter { $0.reason == .notHelpful }.isEmpty)
    }

    /// A reply found not helpful brings the question it answered to the curators' inbox,
    /// masked, to be grouped with the questions the bot could not answer.
    @Test func aNotHelpfulReplyBringsItsQuestionToTheInbox() async throws {
        let fixture = DeskFixture()
        let (client, _) = try await fixture.started()
        await client.send(["type": "say", "id": "m1", "text": "digid werkt niet, bsn 111222333"])
        _ = try await client.next()
        let reply = try await client.next()
        await client.send(["type": "feedback", "seq": try #require(reply.seq), "helpful": false])
        _ = try await client.next()
        let rows = try await fixture.store.unanswered(limit: 10).filter { $0.reason == .notHelpful }
        #expect(rows.map(\.text) == ["digid werkt niet, bsn [BSN]"])
    }

    @Test func messagesBeforeHelloAreRefused() async throws {
        let fixture = DeskFixture()
        let client = await fixture.connect()
        await client.send(["type": "say", "id": "m1", "text": "hallo"])
        #expect(try await client.next().code == "not_started")
        await client.send(["type": "hello"])
        #expect(try await client.next().type == "welcome")
        _ = try await client.next()
        await client.send(["type": "hello"])
        #expect(try await client.next().code == "already_started")
    }

    @Test func badFramesGetErrorsAndOnlyOversizeCloses() async throws {
        let fixture = DeskFixture()
        let client = await fixture.connect()
        await client.sendRaw(Array("{not json".utf8))
        #expect(try await client.next().code == "malformed_json")
        await client.sendRaw(Array("[1,2]".utf8))
        #expect(try await client.next().code == "malformed_json")
        await client.send(["type": "dance"])
        #expect(try await client.next().code == "unknown_type")
        await client.send(["type": "say", "id": "m1"])
        let missing = try await client.next()
        #expect(missing.code == "missing_field")
        #expect(missing["id"] as? String == "m1")
        await client.send(["type": "feedback", "seq": "three", "helpful": true])
        #expect(try await client.next().code == "wrong_type")
        await client.sendRaw([0x7B, 0xC3, 0x28, 0x7D])
        #expect(try await client.next().code == "invalid_utf8")
        await client.send(frame: .binary)
        #expect(try await client.next().code == "binary_frame")
        await client.send(frame: .tooLarge)
        #expect(try await client.next().code == "too_large")
        try await client.waitForClose()
    }
}
