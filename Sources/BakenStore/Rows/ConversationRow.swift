import BakenDesk
import BakenEngine
import Foundation
import GRDB

/// A row of the `conversation` table.
struct ConversationRow: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "conversation"

    var id: String
    var sessionHash: String
    var language: Language
    var location: String?
    var phase: Phase
    var outcome: Outcome?
    var lastSeq: Int
    var misses: Int
    var lastIntent: String?
    /// Stored as a JSON array.
    var offered: [String]
    var answered: Bool
    var handedOff: Bool
    var referred: Bool
    var createdAt: Date
    var updatedAt: Date
    var queuedAt: Date?
    var staff: String?

    enum CodingKeys: String, CodingKey {
        case id
        case sessionHash = "session_hash"
        case language, location, phase, outcome
        case lastSeq = "last_seq"
        case misses
        case lastIntent = "last_intent"
        case offered, answered
        case handedOff = "handed_off"
        case referred
        case createdAt = "created_at"
        case updatedAt = "updated_at"
        case queuedAt = "queued_at"
        case staff
    }

    /// Columns used in queries.
    enum Columns {
        static let sessionHash = Column(CodingKeys.sessionHash)
        static let phase = Column(CodingKeys.phase)
        static let outcome = Column(CodingKeys.outcome)
        static let createdAt = Column(CodingKeys.createdAt)
        static let id = Column(CodingKeys.id)
    }

    static func databaseDateEncodingStrategy(for column: String) -> DatabaseDateEncodingStrategy { .timeIntervalSince1970 }
    static func databaseDateDecodingStrategy(for column: String) -> DatabaseDateDecodingStrategy { .timeIntervalSince1970 }

    init(_ record: ConversationRecord) {
        id = record.id
        sessionHash = record.sessionHash
        language = record.language
        location = record.location
        phase = record.phase
        outcome = record.outcome
        lastSeq = record.lastSeq
        misses = record.misses
        lastIntent = record.lastIntent
        offered = record.offered
        answered = record.answered
        handedOff = record.handedOff
        referred = record.referred
        createdAt = record.createdAt
        updatedAt = record.updatedAt
        queuedAt = record.queuedAt
        staff = record.staff
    }

    var record: ConversationRecord {
        var record = ConversationRecord(id: id, sessionHash: sessionHash, language: language, location: location, now: createdAt)
        record.phase = phase
        record.outcome = outcome
        record.lastSeq = lastSeq
        record.misses = misses
        record.lastIntent = lastIntent
        record.offered = offered
        record.answered = answered
        record.handedOff = handedOff
        record.referred = referred
        record.updatedAt = updatedAt
        record.queuedAt = queuedAt
        record.staff = staff
        return record
    }
}
