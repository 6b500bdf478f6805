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
    /// Whether the resident's first question or button was answered by the reply to it (nil
    /// until the resident asked something; a greeting is not a question).
    public var firstAnswered: Bool? = nil
    /// How long the resident waited in the queue before a person came (the first time), in seconds.
    public var waitedSeconds: Double? = nil
    /// Whether the resident left while waiting in the queue, before a person came.
    public var leftQueue = false
    /// Whether nobody could take the chat and the fallbacks (walk-in hours, call-back) were given.
    public var fallbackGiven = false

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
