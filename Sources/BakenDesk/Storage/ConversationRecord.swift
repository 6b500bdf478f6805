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
    /// When the resident entered the queue for a person (nil when not queued).
    public var queuedAt: Date? = nil
    /// The staff member (name) who has claimed the conversation.
    public var staff: String? = nil

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

/// A staff member or volunteer; only the SHA-256 of their token is stored.
public struct StaffRecord: Sendable, Hashable, Codable {
    /// What they may do.
    public enum Role: String, Sendable, Hashable, Codable, CaseIterable {
        case staff, volunteer, curator
    }

    /// Unique; shown to residents (first name or display name).
    public var name: String
    public var role: Role
    /// Location ids whose conversations they see; empty means all.
    public var locations: [String]
    /// SHA-256 of the token, hex.
    public var tokenHash: String
    public var revoked: Bool
    public var createdAt: Date

    public init(name: String, role: Role, locations: [String], tokenHash: String, revoked: Bool = false, createdAt: Date) {
        self.name = name
        self.role = role
        self.locations = locations
        self.tokenHash = tokenHash
        self.revoked = revoked
        self.createdAt = createdAt
    }
}

/// A call-back request a resident left when nobody could take the chat.
public struct TicketRecord: Sendable, Hashable, Codable {
    public var conversation: String
    /// The resident's name, as given.
    public var name: String
    /// Phone number or e-mail address, as given.
    public var contact: String
    public var location: String?
    /// The masked question, for context.
    public var topic: String
    public var status: String
    public var createdAt: Date

    public init(conversation: String, name: String, contact: String, location: String?, topic: String, status: String = "open", createdAt: Date) {
        self.conversation = conversation
        self.name = name
        self.contact = contact
        self.location = location
        self.topic = topic
        self.status = status
        self.createdAt = createdAt
    }
}

/// One write of a batch; a batch is committed in one transaction.
public enum StoreWrite: Sendable, Hashable {
    case conversation(ConversationRecord)
    case message(MessageRecord)
    case unanswered(UnansweredRecord)
    case feedback(FeedbackRecord)
    case staff(StaffRecord)
    case ticket(TicketRecord)
    case referral(ReferralRecord)
    case outbox(OutboxRecord)
    case attempt(DeliveryAttemptRecord)
}
