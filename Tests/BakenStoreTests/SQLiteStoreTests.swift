import BakenDesk
import BakenEngine
import Foundation
import GRDB
import Testing

@testable import BakenStore

/// What only the SQLite store has: its file, its pragmas, its column types. What every store
/// must do is in ``StoreContractTests``.
@Suite struct SQLiteStoreTests {
    @Test func columnsAreStoredAsPlainSQLValues() async throws {
        let store = try SQLiteStore.inMemory()
        var record = conversation("c1", phase: .withStaff)
        record.outcome = .handedOff
        record.offered = ["a", "b"]
        try await store.commit([.conversation(record), .message(message("c1", 1, clientID: "k1"))])
        // `Row` is not Sendable: copy its values out of the read.
        let values: [String: DatabaseValue] = try await store.dbWriter.read { db in
            let row = try Row.fetchOne(db, sql: """
                SELECT c.language, c.phase, c.outcome, c.offered, c.answered, typeof(c.created_at) AS date_type,
                       m.role, datetime(m.created_at, 'unixepoch') AS message_date
                FROM conversation c JOIN message m ON m.conversation_id = c.id
                """)
            return Dictionary(uniqueKeysWithValues: (row ?? [:]).map { ($0.0, $0.1) })
        }
        #expect(values["language"] == "nl".databaseValue)
        #expect(values["phase"] == "with_staff".databaseValue)
        #expect(values["outcome"] == "handed_off".databaseValue)
        #expect(values["offered"] == #"["a","b"]"#.databaseValue)
        #expect(values["answered"] == 0.databaseValue)
        #expect(values["date_type"] == "real".databaseValue)
        #expect(values["role"] == "resident".databaseValue)
        #expect(values["message_date"] == "2025-06-15 15:06:41".databaseValue)
    }

    @Test func reopeningTheFileSeesEverything() async throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        var record = conversation("c1", phase: .queued)
        record.offered = ["a", "b"]
        record.lastSeq = 2
        do {
            let store = try SQLiteStore(path: databasePath(in: directory))
            try await store.commit([
                .conversation(record),
                .conversation(conversation("c2", phase: .closed)),
                .message(message("c1", 1, clientID: "k1")), .message(message("c1", 2)),
                .unanswered(unanswered("c1", 1)),
                .feedback(FeedbackRecord(conversation: "c1", seq: 2, helpful: true, createdAt: date())),
            ])
        }
        let reopened = try SQLiteStore(path: databasePath(in: directory))
        #expect(try await reopened.conversation(id: "c1") == record)
        #expect(try await reopened.conversation(sessionHash: "hash-c1") == record)
        #expect(try await reopened.messages(conversation: "c1", after: 0) == [message("c1", 1, clientID: "k1"), message("c1", 2)])
        #expect(try await reopened.clientIDs(conversation: "c1") == ["k1": 1])
        #expect(try await reopened.openConversations() == [record])
        #expect(try await reopened.unanswered(limit: 5) == [unanswered("c1", 1)])
        let feedback = try await reopened.dbWriter.read { try FeedbackRecord.fetchAll($0) }
        #expect(feedback.count == 1)
        let migrations = try await reopened.dbWriter.read { try Migrations.migrator.appliedMigrations($0) }
        #expect(migrations == ["v1-conversations", "v2-messages", "v3-unanswered", "v4-feedback", "v5-handoff", "v6-referrals", "v7-report-index", "v8-insight"])
    }

    @Test func pragmas() async throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let store = try SQLiteStore(path: databasePath(in: directory))
        let (journal, synchronous, foreignKeys, busyTimeout) = try await store.dbWriter.write { db in
            (
                try String.fetchOne(db, sql: "PRAGMA journal_mode"),
                try Int.fetchOne(db, sql: "PRAGMA synchronous"),
                try Int.fetchOne(db, sql: "PRAGMA foreign_keys"),
                try Int.fetchOne(db, sql: "PRAGMA busy_timeout")
            )
        }
        #expect(journal == "wal")
        #expect(synchronous == 2)  // FULL
        #expect(foreignKeys == 1)
        #expect(busyTimeout == 5000)
        #expect(try await store.dbWriter.read { try String.fetchOne($0, sql: "PRAGMA journal_mode") } == "wal")

        let normal = try SQLiteStore(path: directory.appendingPathComponent("normal.sqlite").path, synchronous: .normal)
        #expect(try await normal.dbWriter.write { try Int.fetchOne($0, sql: "PRAGMA synchronous") } == 1)
    }

    @Test func stats() async throws {
        let store = try SQLiteStore.inMemory()
        #expect(try await store.stats() == StoreStats(conversations: 0, byPhase: [:], byOutcome: [:], messages: 0, openUnanswered: 0))

        var answered = conversation("a", phase: .closed)
        answered.outcome = .answered
        var referred = conversation("b", phase: .closed)
        referred.outcome = .referred
        var alsoAnswered = conversation("c", phase: .bot)
        alsoAnswered.outcome = .answered
        try await store.commit([
            .conversation(answered), .conversation(referred), .conversation(alsoAnswered),
            .conversation(conversation("d", phase: .queued)),
            .message(message("a", 1)), .message(message("a", 2)), .message(message("d", 1)),
            .unanswered(unanswered("d", 1)),
        ])
        #expect(try await store.stats() == StoreStats(
            conversations: 4,
            byPhase: [.closed: 2, .bot: 1, .queued: 1],
            byOutcome: [.answered: 2, .referred: 1],
            messages: 3,
            openUnanswered: 1))
    }
}

/// Retention on SQLite: nothing of an erased text is left in the file (`secure_delete`).
@Suite struct SQLiteRetentionTests {
    @Test func aPurgeLeavesNoErasedTextInTheFile() async throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = databasePath(in: directory)
        let store = try SQLiteStore(path: path)
        let day: TimeInterval = 24 * 3600
        try await store.commit(RetentionFixture.writes(day: day))
        let before = try Data(contentsOf: URL(fileURLWithPath: path)) + (try Data(contentsOf: URL(fileURLWithPath: path + "-wal")))
        #expect(before.range(of: Data("0612345678".utf8)) != nil, "the text was in the file before")
        let report = try await store.purge(RetentionPolicy(), now: date(100 * day))
        #expect(report.messages == 2)
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(bytes.range(of: Data("0612345678".utf8)) == nil)
    }
}

/// The offered option ids are stored as a JSON array; the fast path and JSONDecoder agree.
@Suite struct OfferedColumnTests {
    @Test(arguments: [[], ["digid_inloggen/wachtwoord_vergeten", "handoff"], ["a \"quoted\" id", "back\\slash", "é"]])
    func writtenArraysReadBackTheSame(ids: [String]) throws {
        let text = JSONWriter.array(ids)
        #expect(ConversationRecord.strings(fromJSON: text) == ids)
        #expect(try JSONDecoder().decode([String].self, from: Data(text.utf8)) == ids, "valid JSON: \(text)")
    }

    @Test func arraysWrittenByTheOldEncoderStillRead() {
        #expect(ConversationRecord.strings(fromJSON: #"["digid_inloggen\/wachtwoord","handoff"]"#) == ["digid_inloggen/wachtwoord", "handoff"])
        #expect(ConversationRecord.strings(fromJSON: #"["a", "b"]"#) == ["a", "b"])
    }
}
