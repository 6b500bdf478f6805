import Foundation

/// How long personal data is kept (AVG: no longer than needed). After these periods the
/// retention service erases texts and contact details, and keeps only the anonymous facts the
/// reports count (a conversation's day, branch, language, topic and outcome).
public struct RetentionPolicy: Sendable, Hashable {
    /// Days after a conversation closed (or was last touched, if it was left open) before its
    /// messages are erased and its session token stops working.
    public var transcriptDays: Double
    /// Days a question stays in the curators' inbox.
    public var unansweredDays: Double
    /// Days a call-back request is kept.
    public var ticketDays: Double
    /// Days after a referral last changed (delivered, failed, cancelled, or never consented to)
    /// before its personal fields (and the webhook body that carried them) are erased.
    public var referralDays: Double

    /// The defaults: 30 days for transcripts and the inbox, 90 for tickets and referrals.
    public init(transcriptDays: Double = 30, unansweredDays: Double = 30, ticketDays: Double = 90, referralDays: Double = 90) {
        self.transcriptDays = transcriptDays
        self.unansweredDays = unansweredDays
        self.ticketDays = ticketDays
        self.referralDays = referralDays
    }
}

/// What one purge erased.
public struct PurgeReport: Sendable, Hashable, CustomStringConvertible {
    /// Closed conversations whose transcript was erased.
    public var conversations = 0
    public var messages = 0
    public var unanswered = 0
    public var tickets = 0
    /// Referrals whose personal fields were erased.
    public var referrals = 0

    public init() {}

    public var isEmpty: Bool { self == PurgeReport() }

    public var description: String {
        "\(conversations) transcript(s) with \(messages) message(s), \(unanswered) inbox question(s), \(tickets) ticket(s), \(referrals) referral(s)"
    }
}

/// A resident's data rights (AVG/GDPR) on one conversation: to see it, and to be forgotten.
public protocol DataRightsStore: Sendable {
    /// Everything stored about a conversation (its row, and every row that refers to it:
    /// messages, unanswered questions, feedback, call-back requests, referrals with their
    /// webhook events and attempts) as one JSON object; nil when unknown.
    func export(conversation id: String) async throws -> Data?
    /// Erases a conversation and everything that refers to it; how many rows per table
    /// (`conversation` 0 for an unknown id).
    func forget(conversation id: String) async throws -> [String: Int]
}

/// A store that can erase personal data past its retention period.
public protocol PurgingStore: Sendable {
    /// Erases what `policy` no longer allows to keep at `now`, in one transaction.
    func purge(_ policy: RetentionPolicy, now: Date) async throws -> PurgeReport
}
