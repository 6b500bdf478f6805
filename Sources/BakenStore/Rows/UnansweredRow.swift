import BakenDesk
import Foundation
import GRDB

/// A row of the `unanswered` table. `status` is left to its default (`open`) on insert.
struct UnansweredRow: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "unanswered"

    /// Auto-incremented: `nil` before insertion (inserted as NULL, so SQLite assigns it).
    var id: Int64?
    var conversationID: String
    var seq: Int
    var text: String
    var reason: UnansweredRecord.Reason
    var candidates: String
    var createdAt: Date

    enum CodingKeys: String, CodingKey {
        case id
        case conversationID = "conversation_id"
        case seq, text, reason, candidates
        case createdAt = "created_at"
    }

    /// Columns used in queries.
    enum Columns {
        static let id = Column(CodingKeys.id)
        static let status = Column("status")
    }

    static func databaseDateEncodingStrategy(for column: String) -> DatabaseDateEncodingStrategy { .timeIntervalSince1970 }
    static func databaseDateDecodingStrategy(for column: String) -> DatabaseDateDecodingStrategy { .timeIntervalSince1970 }

    init(_ record: UnansweredRecord) {
        id = nil
        conversationID = record.conversation
        seq = record.seq
        text = record.text
        reason = record.reason
        candidates = record.candidates
        createdAt = record.createdAt
    }

    var record: UnansweredRecord {
        UnansweredRecord(conversation: conversationID, seq: seq, text: text, reason: reason, candidates: candidates, createdAt: createdAt)
    }
}
