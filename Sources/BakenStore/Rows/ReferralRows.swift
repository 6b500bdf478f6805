import BakenDesk
import Foundation
import GRDB

/// A row of the `referral` table; `fields` is a JSON object.
struct ReferralRow: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "referral"

    var id: String
    var conversationID: String
    var partner: String
    var status: ReferralRecord.Status
    var fields: [String: String]
    var requestedBy: String
    var createdAt: Date
    var updatedAt: Date

    enum CodingKeys: String, CodingKey {
        case id
        case conversationID = "conversation_id"
        case partner, status, fields
        case requestedBy = "requested_by"
        case createdAt = "created_at"
        case updatedAt = "updated_at"
    }

    static func databaseDateEncodingStrategy(for column: String) -> DatabaseDateEncodingStrategy { .timeIntervalSince1970 }
    static func databaseDateDecodingStrategy(for column: String) -> DatabaseDateDecodingStrategy { .timeIntervalSince1970 }

    init(_ r: ReferralRecord) {
        id = r.id
        conversationID = r.conversation
        partner = r.partner
        status = r.status
        fields = r.fields
        requestedBy = r.requestedBy
        createdAt = r.createdAt
        updatedAt = r.updatedAt
    }

    var record: ReferralRecord {
        ReferralRecord(
            id: id, conversation: conversationID, partner: partner, status: status, fields: fields, requestedBy: requestedBy, createdAt: createdAt,
            updatedAt: updatedAt)
    }
}

/// A row of the `outbox` table.
struct OutboxRow: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "outbox"

    var id: String
    var referralID: String
    var partner: String
    var payload: String
    var status: OutboxRecord.Status
    var attempts: Int
    var nextAttemptAt: Date
    var lastError: String?
    var createdAt: Date

    enum CodingKeys: String, CodingKey {
        case id
        case referralID = "referral_id"
        case partner, payload, status, attempts
        case nextAttemptAt = "next_attempt_at"
        case lastError = "last_error"
        case createdAt = "created_at"
    }

    static func databaseDateEncodingStrategy(for column: String) -> DatabaseDateEncodingStrategy { .timeIntervalSince1970 }
    static func databaseDateDecodingStrategy(for column: String) -> DatabaseDateDecodingStrategy { .timeIntervalSince1970 }

    init(_ r: OutboxRecord) {
        id = r.id
        referralID = r.referral
        partner = r.partner
        payload = r.payload
        status = r.status
        attempts = r.attempts
        nextAttemptAt = r.nextAttemptAt
        lastError = r.lastError
        createdAt = r.createdAt
    }

    var record: OutboxRecord {
        OutboxRecord(
            id: id, referral: referralID, partner: partner, payload: payload, status: status, attempts: attempts, nextAttemptAt: nextAttemptAt,
            lastError: lastError, createdAt: createdAt)
    }
}

/// A row of the `delivery_attempt` table.
struct DeliveryAttemptRow: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "delivery_attempt"

    var id: Int64?
    var eventID: String
    var attempt: Int
    var statusCode: Int?
    var latencyMs: Int
    var error: String?
    var at: Date

    enum CodingKeys: String, CodingKey {
        case id
        case eventID = "event_id"
        case attempt
        case statusCode = "status_code"
        case latencyMs = "latency_ms"
        case error, at
    }

    static func databaseDateEncodingStrategy(for column: String) -> DatabaseDateEncodingStrategy { .timeIntervalSince1970 }
    static func databaseDateDecodingStrategy(for column: String) -> DatabaseDateDecodingStrategy { .timeIntervalSince1970 }

    init(_ r: DeliveryAttemptRecord) {
        id = nil
        eventID = r.event
        attempt = r.attempt
        statusCode = r.statusCode
        latencyMs = r.latencyMilliseconds
        error = r.error
        at = r.at
    }

    var record: DeliveryAttemptRecord {
        DeliveryAttemptRecord(event: eventID, attempt: attempt, statusCode: statusCode, latencyMilliseconds: latencyMs, error: error, at: at)
    }
}
