import BakenEngine
import Foundation

/// Where a conversation is in its life: `bot → queued → with_staff → (bot | closed)`.
public enum Phase: String, Sendable, Hashable, Codable {
    case bot, queued
    case withStaff = "with_staff"
    case closed
}

/// The stored state of one conversation: enough to continue it after a restart.
public struct ConversationRecord: Sendable, Hashable, Codable {
    /// Public id (not a secret).
    public var id: String
    /// SHA-256 of the session token, hex; the token itself is never stored.
    public var sessionHash: String
    public var language: Language
    public var location: String?
    public var phase: Phase
    public var outcome: Outcome?
    /// The last seq given out.
    public var lastSeq: Int
    /// Consecutive turns the bot could not answer.
    public var misses: Int
    public var lastIntent: String?
    /// Option ids offered in the last reply.
    public var offered: [String]
    /// Whether the bot answered at least once.
    public var answered: Bool
    /// Whether a person took over at some point.
    public var handedOff: Bool
    /// Whether the resident was referred to a partner.
    public var referred: Bool
    public var createdAt: Date
    public var updatedAt: Date

    /// Creates a record for a new conversation.
    public init(id: String, sessionHash: String, language: Language, location: String?, now: Date) {
        self.id = id
        self.sessionHash = sessionHash
        self.language = language
        self.location = location
        self.phase = .bot
        self.outcome = nil
        self.lastSeq = 0
        self.misses = 0
        self.lastIntent = nil
        self.offered = []
        self.answered = false
        self.handedOff = false
        self.referred = false
        self.createdAt = now
        self.updatedAt = now
    }
}

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

/// A question the bot could not answer well, for the curators' inbox.
public struct UnansweredRecord: Sendable, Hashable, Codable {
    /// Why it is in the inbox.
    public enum Reason: String, Sendable, Hashable, Codable {
        case decline, clarify
        case outOfScope = "out_of_scope"
        case notHelpful = "not_helpful"
    }

    public var conversation: String
    public var seq: Int
    /// The masked question.
    public var text: String
    public var reason: Reason
    /// Best candidates, `intent:score` joined by spaces.
    public var candidates: String
    public var createdAt: Date

    public init(conversation: String, seq: Int, text: String, reason: Reason, candidates: String, createdAt: Date) {
        self.conversation = conversation
        self.seq = seq
        self.text = text
        self.reason = reason
        self.candidates = candidates
        self.createdAt = createdAt
    }
}

/// A resident's "was this helpful?".
public struct FeedbackRecord: Sendable, Hashable, Codable {
    public var conversation: String
    public var seq: Int
    public var helpful: Bool
    public var createdAt: Date

    public init(conversation: String, seq: Int, helpful: Bool, createdAt: Date) {
        self.conversation = conversation
        self.seq = seq
        self.helpful = helpful
        self.createdAt = createdAt
    }
}

/// One write of a batch; a batch is committed in one transaction.
public enum StoreWrite: Sendable, Hashable {
    case conversation(ConversationRecord)
    case message(MessageRecord)
    case unanswered(UnansweredRecord)
    case feedback(FeedbackRecord)
}
