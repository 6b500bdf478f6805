import BakenDesk
import Foundation
import GRDB

/// A row of the `feedback` table: one per (conversation, seq); a later one replaces it.
struct FeedbackRow: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "feedback"

    var conversationID: String
    var seq: Int
    var helpful: Bool
    var createdAt: Date

    enum CodingKeys: String, CodingKey {
        case conversationID = "conversation_id"
        case seq, helpful
        case createdAt = "created_at"
    }

    static func databaseDateEncodingStrategy(for column: String) -> DatabaseDateEncodingStrategy { .timeIntervalSince1970 }
    static func databaseDateDecodingStrategy(for column: String) -> DatabaseDateDecodingStrategy { .timeIntervalSince1970 }

    init(_ record: FeedbackRecord) {
        conversationID = record.conversation
        seq = record.seq
        helpful = record.helpful
        createdAt = record.createdAt
    }

    var record: FeedbackRecord {
        FeedbackRecord(conversation: conversationID, seq: seq, helpful: helpful, createdAt: createdAt)
    }
}
