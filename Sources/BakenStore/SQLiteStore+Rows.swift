import BakenDesk
import GRDB

extension SQLiteStore {
    /// The tables of the schema in an order where every row's references come first.
    public static let tablesInOrder = ["conversation", "message", "unanswered", "feedback", "staff", "ticket", "referral", "outbox", "delivery_attempt"]

    /// Every row of `table`, in rowid order, handed to `body` `batchSize` rows at a time with
    /// the column names; each batch is read in its own snapshot.
    public func rows(of table: String, batchSize: Int = 1000, _ body: (_ columns: [String], _ rows: [[StoredValue]]) async throws -> Void) async throws {
        guard Self.tablesInOrder.contains(table) else { throw UnknownValue(column: "table", value: table) }
        var after: Int64 = 0
        while true {
            let start = after
            let (columns, rows, last) = try await dbWriter.read { db -> ([String], [[StoredValue]], Int64) in
                let fetched = try Row.fetchAll(db, sql: "SELECT rowid AS baken_rowid, * FROM \(table) WHERE rowid > ? ORDER BY rowid LIMIT ?", arguments: [start, batchSize])
                let columns = fetched.first.map { Array($0.columnNames.dropFirst()) } ?? []
                let values = fetched.map { row in
                    (1..<row.count).map { index -> StoredValue in
                        switch row[index] as DatabaseValue? {
                        case nil: return .null
                        case let value?:
                            switch value.storage {
                            case .null: return .null
                            case .int64(let number): return .integer(number)
                            case .double(let number): return .real(number)
                            case .string(let text): return .text(text)
                            case .blob(let data): return .text(String(decoding: data, as: UTF8.self))
                            }
                        }
                    }
                }
                return (columns, values, fetched.last?["baken_rowid"] ?? start)
            }
            if rows.isEmpty { return }
            try await body(columns, rows)
            after = last
        }
    }

    /// How many rows each table holds.
    public func rowCounts() async throws -> [String: Int] {
        try await dbWriter.read { db in
            var counts: [String: Int] = [:]
            for table in Self.tablesInOrder { counts[table] = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \(table)") ?? 0 }
            return counts
        }
    }
}
