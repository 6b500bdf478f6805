import Foundation

/// A referral of a resident to a partner, with the data they agreed to share.
public struct ReferralRecord: Sendable, Hashable, Codable {
    /// Where a referral is.
    public enum Status: String, Sendable, Hashable, Codable, CaseIterable {
        case pendingConsent = "pending_consent"
        case queued, delivered
        /// Every delivery attempt failed; visible in `baken referrals list --status dead`.
        case dead
        case cancelled
    }

    /// `r_` and 16 hex digits.
    public var id: String
    public var conversation: String
    public var partner: String
    public var status: Status
    /// Field name → value, exactly what the resident saw and agreed to (after consent).
    public var fields: [String: String]
    /// Who started it: `bot` or a staff name.
    public var requestedBy: String
    public var createdAt: Date
    public var updatedAt: Date

    public init(
        id: String, conversation: String, partner: String, status: Status, fields: [String: String] = [:], requestedBy: String,
        createdAt: Date, updatedAt: Date
    ) {
        self.id = id
        self.conversation = conversation
        self.partner = partner
        self.status = status
        self.fields = fields
        self.requestedBy = requestedBy
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}

/// One webhook event waiting to be delivered: written in the same transaction as the
/// referral it announces (the transactional outbox).
public struct OutboxRecord: Sendable, Hashable, Codable {
    /// Delivery state of an event.
    public enum Status: String, Sendable, Hashable, Codable {
        case pending, delivered, dead
    }

    /// The event id, sent as `webhook-id`; stable across retries so partners can drop duplicates.
    public var id: String
    public var referral: String
    public var partner: String
    /// The exact JSON body.
    public var payload: String
    public var status: Status
    public var attempts: Int
    public var nextAttemptAt: Date
    public var lastError: String?
    public var createdAt: Date

    public init(
        id: String, referral: String, partner: String, payload: String, status: Status = .pending, attempts: Int = 0, nextAttemptAt: Date,
        lastError: String? = nil, createdAt: Date
    ) {
        self.id = id
        self.referral = referral
        self.partner = partner
        self.payload = payload
        self.status = status
        self.attempts = attempts
        self.nextAttemptAt = nextAttemptAt
        self.lastError = lastError
        self.createdAt = createdAt
    }
}

/// One HTTP attempt to deliver an event.
public struct DeliveryAttemptRecord: Sendable, Hashable, Codable {
    public var event: String
    public var attempt: Int
    /// The HTTP status, or nil for a timeout or connection error.
    public var statusCode: Int?
    public var latencyMilliseconds: Int
    public var error: String?
    public var at: Date

    public init(event: String, attempt: Int, statusCode: Int?, latencyMilliseconds: Int, error: String?, at: Date) {
        self.event = event
        self.attempt = attempt
        self.statusCode = statusCode
        self.latencyMilliseconds = latencyMilliseconds
        self.error = error
        self.at = at
    }
}
