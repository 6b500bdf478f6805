import BakenEngine
import Foundation

/// What one step of a conversation produced: the records to commit in one transaction and
/// the seq-numbered lines to send once they are durable.
public struct Turn: Sendable {
    /// The conversation after the step.
    public var record: ConversationRecord
    /// Everything to write, in one batch.
    public var writes: [StoreWrite] = []
    /// Lines to send after the commit, in seq order.
    public var lines: [(seq: Int, line: String)] = []
    let now: Date
    /// Set by the desk before a step: whether a person can take the chat now, and the
    /// position a newcomer to the queue would get.
    var staffAvailable = false
    var queuePosition = 1
    /// The resident's last message (masked), for a referral summary.
    var lastQuestion: String?
    /// Whether this step's reply answered the resident (nil: no reply to a question, or a greeting).
    var answeredNow: Bool?

    init(record: ConversationRecord, now: Date) {
        self.record = record
        self.now = now
    }

    /// Gives `message` the next seq, stores it and queues it for sending.
    /// - Parameter make: Builds the message from its seq.
    @discardableResult
    mutating func emit(role: Role, text: String, clientID: String? = nil, _ make: (Int) -> ServerMessage) -> Int {
        record.lastSeq += 1
        let seq = record.lastSeq
        let message = make(seq)
        let line = message.json()
        writes.append(
            .message(
                MessageRecord(
                    conversation: record.id, seq: seq, type: Self.type(of: message), role: role, text: text, clientID: clientID, payload: line,
                    createdAt: now)))
        lines.append((seq, line))
        return seq
    }

    /// Closes the batch: the conversation row goes last, with the final state.
    mutating func finish() -> [StoreWrite] {
        record.updatedAt = now
        return [.conversation(record)] + writes
    }

    static func type(of message: ServerMessage) -> String {
        switch message {
        case .welcome: "welcome"
        case .ack: "ack"
        case .reply: "reply"
        case .queued: "queued"
        case .closed: "closed"
        case .error: "error"
        case .pong: "pong"
        case .staffJoined: "staff_joined"
        case .staffMessage: "message"
        case .staffLeft: "staff_left"
        case .typing: "typing"
        case .consentRequest: "consent_request"
        case .referralStatus: "referral"
        }
    }
}
