import BakenDesk
import BakenEngine
@testable import BakenPostgres
import Foundation
import Logging
import PostgresNIO
import Testing

@testable import BakenStore

/// A fresh temporary directory, to remove with `defer`.
func temporaryDirectory() -> URL {
    FileManager.default.temporaryDirectory.appendingPathComponent("baken-store-tests-\(UUID().uuidString)")
}

/// A database path one level below `directory`, so the store has to create its parent.
func databasePath(in directory: URL) -> String {
    directory.appendingPathComponent("data/baken.sqlite").path
}

/// A date on a whole millisecond: these round-trip exactly.
func date(_ offset: Double = 0) -> Date {
    Date(timeIntervalSince1970: 1_750_000_000.123 + offset)
}

func conversation(_ id: String, phase: Phase = .bot, createdAt: Date = date()) -> ConversationRecord {
    var record = ConversationRecord(id: id, sessionHash: "hash-\(id)", language: .nl, location: nil, now: createdAt)
    record.phase = phase
    return record
}

func message(_ conversation: String, _ seq: Int, clientID: String? = nil) -> MessageRecord {
    MessageRecord(
        conversation: conversation, seq: seq, type: "reply", role: clientID == nil ? .bot : .resident,
        text: "text \(seq)", clientID: clientID, payload: #"{"type":"reply","seq":\#(seq)}"#, createdAt: date(Double(seq)))
}

func unanswered(_ conversation: String, _ seq: Int, reason: UnansweredRecord.Reason = .decline) -> UnansweredRecord {
    UnansweredRecord(conversation: conversation, seq: seq, text: "question \(seq)", reason: reason, candidates: "a:0.4 b:0.3", createdAt: date(Double(seq)))
}

/// The stores every store test runs against: SQLite always, PostgreSQL when
/// `BAKEN_TEST_POSTGRES` names a server (a URL to a database the tests may create databases
/// from, e.g. `postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable`; `.ci/run` starts a
/// throw-away server and sets it). Each test gets a new, empty database of its own.
enum StoreKind: String, CustomTestStringConvertible, Sendable {
    case sqlite, postgres

    static let postgresURL = ProcessInfo.processInfo.environment["BAKEN_TEST_POSTGRES"].flatMap { $0.isEmpty ? nil : $0 }

    static var all: [StoreKind] { postgresURL == nil ? [.sqlite] : [.sqlite, .postgres] }

    var testDescription: String { rawValue }

    /// A store on a new database, and a way to run SQL on it beside the store, for `body`.
    func withStore<T>(
        _ body: (any ConversationStore & ReportingStore & PurgingStore & DataRightsStore, _ execute: (String) async throws -> Void) async throws -> T
    )
        async throws -> T
    {
        switch self {
        case .sqlite:
            let directory = temporaryDirectory()
            defer { try? FileManager.default.removeItem(at: directory) }
            let store = try SQLiteStore(path: databasePath(in: directory))
            return try await body(store) { sql in try await store.dbWriter.write { try $0.execute(sql: sql) } }
        case .postgres:
            return try await TestDatabase.with { url in
                let store = try await PostgresStore.connect(url, logger: PostgresStoreTests.logger)
                do {
                    let result = try await body(store) { sql in try await store.execute(sql) }
                    await store.close()
                    return result
                } catch {
                    await store.close()
                    throw error
                }
            }
        }
    }
}

/// A new PostgreSQL database for one test, dropped after it.
enum TestDatabase {
    static func with<T>(_ body: (PostgresURL) async throws -> T) async throws -> T {
        let admin = try #require(StoreKind.postgresURL)
        let name = "baken_test_\(UUID().uuidString.prefix(8).lowercased())"
        try await adminExecute(admin, "CREATE DATABASE \(name)")
        var components = try #require(URLComponents(string: admin))
        components.path = "/\(name)"
        let url = try PostgresURL(try #require(components.string))
        do {
            let result = try await body(url)
            try await adminExecute(admin, "DROP DATABASE \(name) WITH (FORCE)")
            return result
        } catch {
            try? await adminExecute(admin, "DROP DATABASE \(name) WITH (FORCE)")
            throw error
        }
    }

    static func adminExecute(_ admin: String, _ sql: String) async throws {
        let client = PostgresClient(configuration: try PostgresURL(admin).configuration)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await client.run() }
            defer { group.cancelAll() }
            try await client.query(PostgresQuery(unsafeSQL: sql))
        }
    }
}

extension PostgresStore {
    /// Runs `sql` outside the store's API (tests only).
    func execute(_ sql: String) async throws {
        try await client.query(PostgresQuery(unsafeSQL: sql), logger: logger)
    }
}
