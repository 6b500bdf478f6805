import Foundation

/// Who wrote a stored message.
public enum Role: String, Sendable, Hashable, Codable {
    case resident, bot, staff, system
}

/// One seq-numbered message of a conversation, as stored and replayed.
public struct MessageRecord: Sendable, Hashable, Codable {
    public var conversation: String
    public var seq: Int
    /// The server message type (`ack`, `reply`, …).
    public var type: String
    public var role: Role
    /// The masked text, for transcripts.
    public var text: String
    /// The client's id for a resident's `say`/`choose` (idempotency).
    public var clientID: String?
    /// The exact JSON line sent to the client, replayed on `resume`.
    public var payload: String
    public var createdAt: Date

    /// Creates a message record.
    public init(conversation: String, seq: Int, type: String, role: Role, text: String, clientID: String? = nil, payload: String, createdAt: Date) {
        self.conversation = conversation
        self.seq = seq
        self.type = type
        self.role = role
        self.text = text
        self.clientID = clientID
        self.payload = payload
        self.createdAt = createdAt
    }
}
