import BakenDesk
import Foundation
import PostgresNIO

extension PostgresStore {
    /// Thrown when rows cannot be copied as they are.
    public struct ImportError: Error, CustomStringConvertible {
        public let description: String
    }

    /// How many rows each of Baken's tables holds.
    public func rowCounts() async throws -> [String: Int] {
        var counts: [String: Int] = [:]
        for table in PostgresMigrations.tables {
            counts[table] = try await rows("counting \(table)", "SELECT COUNT(*) AS n FROM \(unescaped: table)") { try $0["n"].decode(Int.self) }.first ?? 0
        }
        return counts
    }

    /// Inserts `rows` (values in the order of `columns`, as SQLite holds them) into `table` in
    /// one transaction, converting each value to its column's type (SQLite's 0/1 to a boolean,
    /// an integer to a double where the column is one). Ids are kept as they are.
    public func importRows(table: String, columns: [String], rows values: [[StoredValue]]) async throws {
        guard PostgresMigrations.tables.contains(table) else { throw ImportError(description: "unknown table \(table)") }
        let types = try await columnTypes(table)
        for column in columns where types[column] == nil {
            throw ImportError(description: "table \(table) has no column \(column) in PostgreSQL (is the schema older than the SQLite file?)")
        }
        guard !values.isEmpty else { return }
        let perStatement = max(1, 30_000 / max(columns.count, 1))  // PostgreSQL takes at most 65,535 parameters
        let logger = self.logger
        try await onConnection("copying \(values.count) row(s) into \(table)") { connection in
            try await connection.withTransaction(logger: logger) { connection in
                var start = 0
                while start < values.count {
                    let chunk = values[start..<min(start + perStatement, values.count)]
                    var bindings = PostgresBindings(capacity: chunk.count * columns.count)
                    var tuples: [String] = []
                    var number = 0
                    for row in chunk {
                        var placeholders: [String] = []
                        for (column, value) in zip(columns, row) {
                            try Self.bind(value, as: types[column] ?? "text", column: "\(table).\(column)", into: &bindings)
                            number += 1
                            placeholders.append("$\(number)")
                        }
                        tuples.append("(" + placeholders.joined(separator: ", ") + ")")
                    }
                    let sql = "INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES " + tuples.joined(separator: ", ")
                    try await connection.query(PostgresQuery(unsafeSQL: sql, binds: bindings), logger: logger)
                    start += chunk.count
                }
            }
        }
    }

    /// Moves every id sequence past the largest id copied, so new rows get new ids.
    public func resetSequences() async throws {
        for table in ["unanswered", "ticket", "delivery_attempt"] {
            let logger = self.logger
            try await onConnection("resetting the ids of \(table)") { connection in
                try await connection.query(
                    "SELECT setval(pg_get_serial_sequence(\(table), 'id'), COALESCE((SELECT MAX(id) FROM \(unescaped: table)), 0) + 1, false)",
                    logger: logger)
            }
        }
    }

    func columnTypes(_ table: String) async throws -> [String: String] {
        let pairs = try await rows(
            "reading the columns of \(table)",
            "SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = \(table)"
        ) { (try $0["column_name"].decode(String.self), try $0["data_type"].decode(String.self)) }
        return Dictionary(pairs, uniquingKeysWith: { first, _ in first })
    }

    static func bind(_ value: StoredValue, as type: String, column: String, into bindings: inout PostgresBindings) throws {
        switch (value, type) {
        case (.null, _): bindings.appendNull()
        case (.integer(let number), "boolean"): bindings.append(number != 0)
        case (.integer(let number), "bigint"), (.integer(let number), "integer"): bindings.append(Int(number))
        case (.integer(let number), "double precision"): bindings.append(Double(number))
        case (.real(let number), "double precision"): bindings.append(number)
        case (.text(let text), "text"): bindings.append(text)
        case (.integer(let number), "text"): bindings.append(String(number))
        default: throw ImportError(description: "\(column): cannot store \(value) in a \(type) column")
        }
    }
}
