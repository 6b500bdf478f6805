import BakenDesk
import Foundation
import GRDB

/// A resident's data rights (AVG/GDPR): everything stored about one conversation, as data,
/// and erasing it.
extension SQLiteStore: DataRightsStore {
    /// The tables that hold a conversation's data, with the column that names it.
    static let conversationTables = ["message", "unanswered", "feedback", "ticket", "referral"]

    /// Everything stored about a conversation: its row and the rows of every table that refers
    /// to it (messages, unanswered questions, feedback, call-back tickets, referrals with their
    /// webhook events and delivery attempts), as one pretty-printed JSON object. Nil when unknown.
    public func export(conversation id: String) async throws -> Data? {
        try await dbWriter.read { db -> Data? in
            guard let conversation = try Row.fetchOne(db, sql: "SELECT * FROM conversation WHERE id = ?", arguments: [id]) else {
                return nil
            }
            var result: [String: Any] = ["conversation": Self.object(conversation)]
            for table in Self.conversationTables {
                result[table] = try Row.fetchAll(db, sql: "SELECT * FROM \(table) WHERE conversation_id = ? ORDER BY rowid", arguments: [id])
                    .map(Self.object)
            }
            result["outbox"] = try Row.fetchAll(
                db, sql: "SELECT * FROM outbox WHERE referral_id IN (SELECT id FROM referral WHERE conversation_id = ?)", arguments: [id]
            ).map(Self.object)
            result["delivery_attempt"] = try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM delivery_attempt WHERE event_id IN
                    (SELECT id FROM outbox WHERE referral_id IN (SELECT id FROM referral WHERE conversation_id = ?))
                    """, arguments: [id]
            ).map(Self.object)
            return try JSONSerialization.data(withJSONObject: result, options: [.prettyPrinted, .sortedKeys])
        }
    }

    /// Erases a conversation and everything that refers to it, overwriting the deleted pages
    /// (`secure_delete`) and truncating the write-ahead log, so no text of it stays in the
    /// file. Returns how many rows were removed per table (0 for an unknown id).
    @discardableResult
    public func forget(conversation id: String) async throws -> [String: Int] {
        let counts = try await dbWriter.writeWithoutTransaction { db -> [String: Int] in
            try db.execute(sql: "PRAGMA secure_delete = ON")
            defer { try? db.execute(sql: "PRAGMA secure_delete = OFF") }
            var counts: [String: Int] = [:]
            try db.inTransaction {
                for table in Self.conversationTables {
                    counts[table] = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table) WHERE conversation_id = ?", arguments: [id]) ?? 0
                }
                // Every other table refers to the conversation with ON DELETE CASCADE.
                try db.execute(sql: "DELETE FROM conversation WHERE id = ?", arguments: [id])
                counts["conversation"] = db.changesCount
                return .commit
            }
            return counts
        }
        try await dbWriter.writeWithoutTransaction { db in
            _ = try? Row.fetchAll(db, sql: "PRAGMA wal_checkpoint(TRUNCATE)")
        }
        return counts
    }

    static func object(_ row: Row) -> [String: Any] {
        var object: [String: Any] = [:]
        for (column, value) in row {
            switch value.storage {
            case .null: object[column] = NSNull()
            case .int64(let number): object[column] = number
            case .double(let number): object[column] = number
            case .string(let text): object[column] = text
            case .blob(let data): object[column] = data.base64EncodedString()
            }
        }
        return object
    }
}
