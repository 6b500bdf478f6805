import BakenDesk
import Foundation
import GRDB

/// A row of the `message` table.
struct MessageRow: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "message"

    var conversationID: String
    var seq: Int
    var type: String
    var role: Role
    var text: String
    var clientID: String?
    var payload: String
    var createdAt: Date

    enum CodingKeys: String, CodingKey {
        case conversationID = "conversation_id"
        case seq, type, role, text
        case clientID = "client_id"
        case payload
        case createdAt = "created_at"
    }

    /// Columns used in queries.
    enum Columns {
        static let conversationID = Column(CodingKeys.conversationID)
        static let seq = Column(CodingKeys.seq)
        static let clientID = Column(CodingKeys.clientID)
    }

    static func databaseDateEncodingStrategy(for column: String) -> DatabaseDateEncodingStrategy { .timeIntervalSince1970 }
    static func databaseDateDecodingStrategy(for column: String) -> DatabaseDateDecodingStrategy { .timeIntervalSince1970 }

    init(_ record: MessageRecord) {
        conversationID = record.conversation
        seq = record.seq
        type = record.type
        role = record.role
        text = record.text
        clientID = record.clientID
        payload = record.payload
        createdAt = record.createdAt
    }

    var record: MessageRecord {
        MessageRecord(
            conversation: conversationID, seq: seq, type: type, role: role, text: text,
            clientID: clientID, payload: payload, createdAt: createdAt)
    }
}
