import Foundation

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
