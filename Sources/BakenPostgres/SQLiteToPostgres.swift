import BakenDesk
import BakenStore
import Foundation

/// `baken migrate`: copies a SQLite database into an empty PostgreSQL database, row for row
/// (ids, statuses and the exact replayed lines kept), then checks that every table has the same
/// number of rows and that every conversation and its transcript read back the same.
public enum SQLiteToPostgres {
    public struct Summary: Sendable, CustomStringConvertible {
        /// Rows copied per table.
        public var rows: [String: Int] = [:]
        /// Conversations whose record and transcript were compared after the copy.
        public var conversationsCompared = 0

        public var description: String {
            let tables = SQLiteStore.tablesInOrder.map { "\($0) \(rows[$0] ?? 0)" }.joined(separator: ", ")
            return "copied \(tables); \(conversationsCompared) conversation(s) and their transcripts read back the same"
        }
    }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    public static func migrate(
        from source: SQLiteStore, to target: PostgresStore, batchSize: Int = 1000, progress: (String, Int) -> Void = { _, _ in }
    ) async throws -> Summary {
        let existing = try await target.rowCounts()
        let occupied = existing.filter { $0.value > 0 }
        guard occupied.isEmpty else {
            let list = occupied.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            throw Failure(description: "\(target.location) is not empty (\(list)): migrate into a new, empty database")
        }
        var summary = Summary()
        for table in SQLiteStore.tablesInOrder {
            var copied = 0
            try await source.rows(of: table, batchSize: batchSize) { columns, rows in
                try await target.importRows(table: table, columns: columns, rows: rows)
                copied += rows.count
                progress(table, copied)
            }
            summary.rows[table] = copied
        }
        try await target.resetSequences()

        let before = try await source.rowCounts()
        let after = try await target.rowCounts()
        for table in SQLiteStore.tablesInOrder where before[table] != after[table] {
            throw Failure(description: "\(table): \(before[table] ?? 0) row(s) in SQLite, \(after[table] ?? 0) in PostgreSQL after the copy")
        }
        var ids: [String] = []
        try await source.rows(of: "conversation", batchSize: batchSize) { columns, rows in
            guard let index = columns.firstIndex(of: "id") else { return }
            for row in rows { if case .text(let id) = row[index] { ids.append(id) } }
        }
        for id in ids {
            let (old, new) = (try await source.conversation(id: id), try await target.conversation(id: id))
            guard old == new else { throw Failure(description: "conversation \(id) reads differently after the copy") }
            guard try await source.messages(conversation: id, after: 0) == (try await target.messages(conversation: id, after: 0)) else {
                throw Failure(description: "the transcript of conversation \(id) reads differently after the copy")
            }
            summary.conversationsCompared += 1
        }
        guard try await source.staffMembers() == (try await target.staffMembers()),
            try await source.tickets() == (try await target.tickets()),
            try await source.referrals(status: nil) == (try await target.referrals(status: nil)),
            try await source.unanswered(limit: Int.max) == (try await target.unanswered(limit: Int.max))
        else { throw Failure(description: "staff, call-back requests, referrals or the curators' inbox read differently after the copy") }
        return summary
    }
}
