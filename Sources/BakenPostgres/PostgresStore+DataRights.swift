import BakenDesk
import Foundation
import PostgresNIO

/// A resident's data rights on PostgreSQL: the same export and erasure as the SQLite store.
extension PostgresStore: DataRightsStore {
    public func export(conversation id: String) async throws -> Data? {
        let query: PostgresQuery = """
            SELECT json_build_object(
                'conversation', (SELECT row_to_json(c) FROM conversation c WHERE c.id = \(id)),
                'message', COALESCE((SELECT json_agg(t ORDER BY t.seq) FROM message t WHERE t.conversation_id = \(id)), '[]'),
                'unanswered', COALESCE((SELECT json_agg(t ORDER BY t.id) FROM unanswered t WHERE t.conversation_id = \(id)), '[]'),
                'feedback', COALESCE((SELECT json_agg(t ORDER BY t.seq) FROM feedback t WHERE t.conversation_id = \(id)), '[]'),
                'ticket', COALESCE((SELECT json_agg(t ORDER BY t.id) FROM ticket t WHERE t.conversation_id = \(id)), '[]'),
                'referral', COALESCE((SELECT json_agg(t ORDER BY t.id) FROM referral t WHERE t.conversation_id = \(id)), '[]'),
                'outbox', COALESCE((SELECT json_agg(t ORDER BY t.id) FROM outbox t
                    WHERE t.referral_id IN (SELECT r.id FROM referral r WHERE r.conversation_id = \(id))), '[]'),
                'delivery_attempt', COALESCE((SELECT json_agg(t ORDER BY t.id) FROM delivery_attempt t WHERE t.event_id IN
                    (SELECT o.id FROM outbox o WHERE o.referral_id IN (SELECT r.id FROM referral r WHERE r.conversation_id = \(id)))), '[]')
            )::text AS export
            """
        guard let text = try await rows("exporting conversation \(id)", query, { try $0["export"].decode(String.self) }).first,
            let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
            !(object["conversation"] is NSNull), object["conversation"] != nil
        else { return nil }
        return try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
    }

    /// Deletes the conversation (every other row refers to it with ON DELETE CASCADE), then
    /// vacuums the tables so the deleted rows' space is reclaimed. PostgreSQL does not overwrite
    /// freed space at once as SQLite's `secure_delete` does (docs/privacy.md).
    @discardableResult
    public func forget(conversation id: String) async throws -> [String: Int] {
        let logger = self.logger
        let counts = try await onConnection("forgetting conversation \(id)") { connection in
            try await connection.withTransaction(logger: logger) { connection -> [String: Int] in
                var counts: [String: Int] = [:]
                for table in ["message", "unanswered", "feedback", "ticket", "referral"] {
                    for try await count in try await connection.query(
                        "SELECT COUNT(*) AS n FROM \(unescaped: table) WHERE conversation_id = \(id)", logger: logger
                    ).decode(Int.self) {
                        counts[table] = count
                    }
                }
                var deleted = 0
                for try await _ in try await connection.query("DELETE FROM conversation WHERE id = \(id) RETURNING 1", logger: logger) { deleted += 1 }
                counts["conversation"] = deleted
                return counts
            }
        }
        if counts["conversation"] == 1 {
            try await onConnection("vacuuming after forgetting \(id)") { connection in
                try await connection.query(
                    "VACUUM conversation, message, unanswered, feedback, ticket, referral, outbox, delivery_attempt, conversation_owner",
                    logger: logger)
            }
        }
        return counts
    }
}
