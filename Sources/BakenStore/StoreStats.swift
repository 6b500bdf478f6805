import BakenDesk

/// Counts over a Baken database, for operators.
public struct StoreStats: Sendable, Hashable, Codable {
    /// All stored conversations.
    public var conversations: Int
    /// Conversations per phase; phases without conversations are absent.
    public var byPhase: [Phase: Int]
    /// Conversations per outcome; conversations without an outcome are not counted here.
    public var byOutcome: [Outcome: Int]
    /// All stored messages.
    public var messages: Int
    /// Questions in the curators' inbox (status `open`).
    public var openUnanswered: Int

    /// Creates stats.
    public init(conversations: Int, byPhase: [Phase: Int], byOutcome: [Outcome: Int], messages: Int, openUnanswered: Int) {
        self.conversations = conversations
        self.byPhase = byPhase
        self.byOutcome = byOutcome
        self.messages = messages
        self.openUnanswered = openUnanswered
    }
}
