import BakenDesk
import Foundation
import GRDB

/// The `message` table, read and written straight from ``MessageRecord``.
extension MessageRecord: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "message"

    /// Columns used in queries.
    public enum Columns {
        public static let conversationID = Column("conversation_id")
        public static let seq = Column("seq")
        public static let clientID = Column("client_id")
    }

    public init(row: Row) throws {
        self.init(
            conversation: row["conversation_id"], seq: row["seq"], type: row["type"], role: Role(rawValue: row["role"]) ?? .system,
            text: row["text"], clientID: row["client_id"], payload: row["payload"],
            createdAt: Date(timeIntervalSince1970: row["created_at"]))
    }

    public func encode(to container: inout PersistenceContainer) throws {
        container["conversation_id"] = conversation
        container["seq"] = seq
        container["type"] = type
        container["role"] = role.rawValue
        container["text"] = text
        container["client_id"] = clientID
        container["payload"] = payload
        container["created_at"] = createdAt.timeIntervalSince1970
    }
}
