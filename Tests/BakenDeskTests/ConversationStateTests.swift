import Foundation
import Testing

@testable import BakenDesk

/// The conversation's rules as a value: no sockets, no store, no desk.
@Suite struct ConversationStateTests {
    static let start = Date(timeIntervalSince1970: 1_750_000_000)
    static let limits = ConversationState.Limits(maxTextLength: 2000)

    static func state(phase: Phase = .bot) -> ConversationState {
        var record = ConversationRecord(id: "c_1", sessionHash: "h", language: .nl, location: nil, now: start)
        record.phase = phase
        return ConversationState(
            record: record, clientIDs: [:], committed: 0, connection: nil, sentUpTo: 0,
            bucket: TokenBucket(rate: 2, burst: 3, now: start), lastActivity: start)
    }

    /// A turn that acknowledges `clientID` and replies once (two seqs).
    static func turn(_ state: ConversationState, clientID: String) -> Turn {
        var turn = Turn(record: state.record, now: start)
        turn.emit(role: .resident, text: "vraag") { .ack(id: clientID, seq: $0) }
        turn.emit(role: .bot, text: "antwoord") { .queued(seq: $0, position: 1, estimatedWait: nil) }
        return turn
    }

    static func lines(_ actions: [ConversationState.Action]) -> [String] {
        actions.compactMap { if case .send(let line) = $0 { line } else { nil } }
    }

    static func errorCodes(_ actions: [ConversationState.Action]) -> [String] {
        actions.compactMap { if case .fail(let error) = $0 { error.code } else { nil } }
    }

    @Test func aMessageIsAdmittedThenCommittedThenSentInSeqOrder() {
        var state = Self.state()
        state.connection = Connection(address: "192.0.2.1", now: Self.start)
        let admitted = state.handle(.message(.say(id: "1", text: "digid kwijt"), at: Self.start, limits: Self.limits))
        #expect(admitted.count == 1 && { if case .run = admitted[0] { true } else { false } }())

        let stepped = state.handle(.stepped(Self.turn(state, clientID: "1"), clientID: "1"))
        guard case .commit(let writes) = stepped.first else { Issue.record("no commit"); return }
        #expect(writes.count == 3, "the conversation row and two messages, in one batch")
        #expect(state.clientIDs["1"] == 1)
        #expect(Self.lines(state.handle(.stored(upTo: 1))).count == 1, "only what is durable goes out")
        let rest = Self.lines(state.handle(.stored(upTo: 2)))
        #expect(rest.count == 1 && rest[0].contains("\"seq\":2"))
        #expect(state.outbox.isEmpty)
    }

    @Test func aRetryIsAnsweredOnceWithTheSameAck() {
        var state = Self.state()
        _ = state.handle(.stepped(Self.turn(state, clientID: "7"), clientID: "7"))
        #expect(state.handle(.message(.say(id: "7", text: "x"), at: Self.start, limits: Self.limits)).isEmpty, "not durable yet: the ack follows")
        _ = state.handle(.stored(upTo: 2))
        let again = Self.lines(state.handle(.message(.say(id: "7", text: "x"), at: Self.start, limits: Self.limits)))
        #expect(again == [ServerMessage.ack(id: "7", seq: 1).json()])
    }

    @Test func nothingIsSentWhileAReplayRunsAndNothingTwiceAfterIt() {
        var state = Self.state()
        _ = state.handle(.stepped(Self.turn(state, clientID: "1"), clientID: "1"))
        let connection = Connection(address: "192.0.2.1", now: Self.start)
        _ = state.handle(.resuming(connection))
        #expect(Self.lines(state.handle(.stored(upTo: 2))).isEmpty, "the replay sends stored lines first")
        // The replay read seq 1 from the store; seq 2 is still to go.
        #expect(Self.lines(state.handle(.replayed(upTo: 1))).count == 1)
        #expect(state.sentUpTo == 2)
    }

    @Test func closedConversationsTakeOnlyBye() {
        var state = Self.state(phase: .closed)
        #expect(Self.errorCodes(state.handle(.message(.say(id: "1", text: "hallo"), at: Self.start, limits: Self.limits))) == ["conversation_closed"])
        #expect(state.handle(.message(.bye, at: Self.start, limits: Self.limits)).isEmpty)
    }

    @Test(arguments: [
        (ClientMessage.say(id: "1", text: "   "), "empty_text"),
        (.say(id: "1", text: String(repeating: "a", count: 2001)), "text_too_long"),
        (.callback(id: "1", name: "Jan", contact: "0612345678", consent: false), "consent_required"),
        (.callback(id: "1", name: "Jan", contact: "0612345678", consent: true), "callback_not_offered"),
        (.consent(id: "1", referral: "r_1", accept: true, firstName: nil, contact: nil), "unknown_referral"),
        (.feedback(seq: 5, helpful: true), "unknown_seq"),
    ])
    func badMessagesAreRefusedBeforeTheDialogue(message: ClientMessage, code: String) {
        var state = Self.state()
        #expect(Self.errorCodes(state.handle(.message(message, at: Self.start, limits: Self.limits))) == [code])
    }

    @Test func theSessionBucketLimitsTheRate() {
        var state = Self.state()
        for _ in 0..<3 { _ = state.handle(.message(.handoff, at: Self.start, limits: Self.limits)) }
        #expect(Self.errorCodes(state.handle(.message(.handoff, at: Self.start, limits: Self.limits))) == ["rate_limited"])
        #expect(Self.errorCodes(state.handle(.message(.handoff, at: Self.start.addingTimeInterval(1), limits: Self.limits))) == [])
    }
}
