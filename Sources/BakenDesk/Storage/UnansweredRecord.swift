import Foundation

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
