import Foundation

/// One live conversation's rules, as a value with no I/O: which messages are admitted, which
/// client ids were seen, how far the store has committed, and which lines may go to the
/// attached connection — strictly in seq order, and only once durable.
///
/// The desk feeds it events and carries out the actions it returns (the shape SwiftNIO's
/// handlers and AsyncHTTPClient's pool state machine use):
///
/// ```swift
/// for action in state.handle(.message(message, at: now)) {
///     switch action {
///     case .run: …            // run the dialogue step, then handle(.stepped(turn, clientID:))
///     case .send(let line): … // write to the attached connection
///     case .fail(let error): …
///     case .commit(let writes): …
///     }
/// }
/// ```
struct ConversationState: Sendable {
    /// The conversation as stored (phase, seq, offered options, …) after the last step.
    var record: ConversationRecord
    /// The client ids seen, with the seq of their ack.
    var clientIDs: [String: Int]
    /// Highest seq known to be committed.
    var committed: Int
    /// Lines not yet sent to the attached connection, in seq order.
    var outbox: [(seq: Int, line: String)] = []
    /// The attached connection (nil while the resident is away).
    var connection: Connection?
    /// Highest seq written to the attached connection.
    var sentUpTo: Int
    /// Whether a resume is replaying stored messages (new lines wait until it is done).
    var replaying = false
    /// The session's rate limit.
    var bucket: TokenBucket
    var lastActivity: Date
    /// The last resident message (masked), for the staff queue.
    var lastResidentText = ""
    /// The queue position last told to the resident.
    var lastPosition = 0
    /// Since when the staff member holding it has not been signed in.
    var staffMissingSince: Date?
    /// Which load of the conversation this is: a failed commit of an earlier load must not
    /// evict a conversation that was reloaded from the store meanwhile.
    var generation = 0
    /// Replies the resident already rated ("was this helpful?"): a second rating of the same
    /// reply replaces the first but gets no second reply or inbox row.
    var rated: Set<Int> = []

    /// Limits a conversation enforces.
    struct Limits: Sendable {
        var maxTextLength: Int
    }

    /// What happens to a conversation.
    enum Event {
        /// A resident message (not hello/resume/ping) arrives.
        case message(ClientMessage, at: Date, limits: Limits)
        /// The dialogue stepped: `turn` holds the new record, the writes and the lines; the
        /// message with `clientID` (if any) is acknowledged by the first new seq.
        case stepped(Turn, clientID: String?)
        /// Everything up to `seq` is durable.
        case stored(upTo: Int)
        /// A connection took the conversation over for a resume from `after`; stored messages
        /// are replayed before anything new is sent.
        case resuming(Connection)
        /// The replay wrote the stored messages up to `seq` (the resident has everything up to it).
        case replayed(upTo: Int)
        /// The connection went away.
        case detached
    }

    /// What the desk must do, in order.
    enum Action: Sendable {
        /// Run the dialogue step for the admitted message.
        case run
        /// Write a line to the attached connection.
        case send(String)
        /// Tell the sender about an error (nothing is stored).
        case fail(ProtocolError)
        /// Commit these writes in one batch, in enqueue order.
        case commit([StoreWrite])
    }

    /// Feeds one event; returns what to do.
    mutating func handle(_ event: Event) -> [Action] {
        switch event {
        case .message(let message, let time, let limits):
            return admit(message, at: time, limits: limits)
        case .stepped(let turn, let clientID):
            return stepped(turn, clientID: clientID)
        case .stored(let seq):
            committed = max(committed, seq)
            return flush()
        case .resuming(let connection):
            self.connection = connection
            replaying = true
            return []
        case .replayed(let seq):
            sentUpTo = seq
            replaying = false
            return flush()
        case .detached:
            connection = nil
            replaying = false
            return []
        }
    }

    // MARK: - Admission

    private mutating func admit(_ message: ClientMessage, at time: Date, limits: Limits) -> [Action] {
        guard bucket.take(now: time) else { return [.fail(.rateLimited(id: message.clientID))] }
        lastActivity = time
        if let clientID = message.clientID, let seq = clientIDs[clientID] {
            // A retry: answered once. If the original is still being stored, its ack is in the
            // outbox and goes out with the reply once durable.
            return seq <= committed ? [.send(ServerMessage.ack(id: clientID, seq: seq).json())] : []
        }
        if record.phase == .closed {
            return message.isBye ? [] : [.fail(ProtocolError.conversationClosed.about(message.clientID))]
        }
        switch message {
        case .say(let clientID, let text):
            let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
            if trimmed.isEmpty { return [.fail(ProtocolError.emptyText.about(clientID))] }
            if trimmed.count > limits.maxTextLength { return [.fail(.textTooLong(limit: limits.maxTextLength, id: clientID))] }
        case .callback(let clientID, let name, let contact, let consent):
            guard consent else { return [.fail(ProtocolError.consentRequired.about(clientID))] }
            guard record.offered.contains("callback") else { return [.fail(ProtocolError.callbackNotOffered.about(clientID))] }
            guard !name.trimmingCharacters(in: .whitespaces).isEmpty, name.count <= 100, contact.count <= 200, Self.isContact(contact) else {
                return [.fail(ProtocolError.invalidCallback.about(clientID))]
            }
        case .consent(let clientID, let referral, _, _, _):
            guard record.offered.contains("consent:" + referral) else { return [.fail(.unknownReferral(referral, id: clientID))] }
        case .feedback(let seq, _):
            // An ack is not a reply: rating one would store a rating of nothing.
            guard seq >= 1, seq <= record.lastSeq, !clientIDs.values.contains(seq) else { return [.fail(.unknownSeq(seq))] }
        case .choose, .handoff, .bye, .hello, .resume, .ping:
            break
        }
        return [.run]
    }

    // MARK: - Steps and ordering

    private mutating func stepped(_ turn: Turn, clientID: String?) -> [Action] {
        var turn = turn
        if let clientID, turn.record.lastSeq > record.lastSeq { clientIDs[clientID] = record.lastSeq + 1 }
        record = turn.record
        outbox += turn.lines
        return [.commit(turn.finish())]
    }

    /// The lines that may go now: committed, not yet sent, in seq order — unless a replay runs.
    private mutating func flush() -> [Action] {
        guard !replaying else { return [] }
        var actions: [Action] = []
        if connection != nil {
            for (seq, line) in outbox where seq <= committed && seq > sentUpTo {
                actions.append(.send(line))
                sentUpTo = seq
            }
        }
        outbox.removeAll { $0.seq <= committed }
        return actions
    }

    /// A phone number (8–15 digits, with spaces, dashes, brackets or a leading +) or an e-mail address.
    static func isContact(_ text: String) -> Bool {
        let contact = text.trimmingCharacters(in: .whitespaces)
        if contact.contains("@") {
            let parts = contact.split(separator: "@")
            return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && !contact.contains(" ")
        }
        let digits = contact.filter(\.isNumber).count
        return (8...15).contains(digits) && contact.allSatisfy { $0.isNumber || " +-()".contains($0) }
    }
}
