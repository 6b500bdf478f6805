import BakenDesk
import BakenEngine
import Foundation
import GRDB

/// A ``ConversationStore`` in an SQLite database (GRDB).
///
/// On disk it uses a `DatabasePool` in WAL mode: one writer, concurrent readers. Every
/// ``commit(_:)`` is one transaction. Dates are stored as REAL seconds since 1970, which
/// round-trips any date to well under a microsecond (dates on whole milliseconds exactly).
public final class SQLiteStore: ConversationStore, Sendable {
    /// How hard SQLite works to make a commit durable (`PRAGMA synchronous`).
    public enum Synchronous: String, Sendable, Hashable, CaseIterable {
        /// A commit survives a power loss: the WAL is synced on every commit.
        case full = "FULL"
        /// A commit survives an application crash, but the last commits may be lost on power
        /// loss; the database stays consistent. Faster.
        case normal = "NORMAL"
    }

    /// The connection(s): a `DatabasePool` on disk, a `DatabaseQueue` in memory.
    let dbWriter: any DatabaseWriter

    /// Opens (creating it if needed, with its parent directory) the database at `path` and
    /// migrates it to the current schema.
    public convenience init(path: String, synchronous: Synchronous = .full) throws {
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent()
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let pool = try DatabasePool(path: path, configuration: Self.configuration())
        // DatabasePool sets `synchronous = NORMAL` on its writer when it enables WAL, after
        // `prepareDatabase` has run, so the setting is applied here. Only the writer writes.
        try pool.writeWithoutTransaction { db in
            try db.execute(sql: "PRAGMA synchronous = \(synchronous.rawValue)")
        }
        try self.init(writer: pool)
    }

    /// A store in memory, gone when released; for tests.
    public static func inMemory() throws -> SQLiteStore {
        try SQLiteStore(writer: DatabaseQueue(configuration: configuration()))
    }

    private init(writer: any DatabaseWriter) throws {
        try Migrations.migrator.migrate(writer)
        self.dbWriter = writer
    }

    private static func configuration() -> Configuration {
        var configuration = Configuration()
        configuration.label = "BakenStore"
        configuration.foreignKeysEnabled = true
        // Another process (a backup, the sqlite3 shell) may briefly hold a lock.
        configuration.busyMode = .timeout(5)
        return configuration
    }

    // MARK: - Writing

    /// Writes a batch in one transaction: all of it is stored, or none.
    ///
    /// A conversation is inserted or updated in place by id (never deleted and re-inserted,
    /// which would cascade to its messages); a message, unanswered question or feedback is
    /// inserted, and a feedback replaces an earlier one for the same (conversation, seq).
    /// A duplicate (conversation, seq) or (conversation, client id) message, or a write for a
    /// conversation that is neither stored nor in the batch, fails the whole batch.
    public func commit(_ writes: [StoreWrite]) async throws {
        guard !writes.isEmpty else { return }
        try await dbWriter.write { db in
            for write in writes {
                switch write {
                case .conversation(let record): try record.save(db)
                case .message(let record): try record.insert(db)
                case .unanswered(let record): try record.insert(db)
                case .feedback(let record): try record.insert(db, onConflict: .replace)
                case .staff(let record): try record.save(db)
                case .ticket(let record): try record.save(db)  // a new request, or one marked handled
                case .referral(let record): try record.save(db)
                case .outbox(let record): try record.save(db)
                case .attempt(let record): try record.insert(db)
                }
            }
        }
    }

    // MARK: - Reading

    /// The conversation whose session token hashes to `sessionHash`.
    public func conversation(sessionHash: String) async throws -> ConversationRecord? {
        try await dbWriter.read { db in
            try ConversationRecord.filter(ConversationRecord.Columns.sessionHash == sessionHash).fetchOne(db)
        }
    }

    /// The conversation with `id`.
    public func conversation(id: String) async throws -> ConversationRecord? {
        try await dbWriter.read { db in
            try ConversationRecord.fetchOne(db, key: id)
        }
    }

    /// Messages of a conversation with `seq > after`, in seq order.
    public func messages(conversation: String, after: Int) async throws -> [MessageRecord] {
        try await dbWriter.read { db in
            try MessageRecord
                .filter(MessageRecord.Columns.conversationID == conversation && MessageRecord.Columns.seq > after)
                .order(MessageRecord.Columns.seq)
                .fetchAll(db)
        }
    }

    /// Client id → seq of every message of a conversation that has a client id.
    public func clientIDs(conversation: String) async throws -> [String: Int] {
        try await dbWriter.read { db in
            let rows = try Row.fetchAll(
                db,
                sql: "SELECT client_id, seq FROM message WHERE conversation_id = ? AND client_id IS NOT NULL",
                arguments: [conversation])
            var result: [String: Int] = [:]
            for row in rows { result[row["client_id"]] = row["seq"] }
            return result
        }
    }

    /// Conversations not closed, oldest first.
    public func openConversations() async throws -> [ConversationRecord] {
        try await dbWriter.read { db in
            try ConversationRecord
                .filter(ConversationRecord.Columns.phase != Phase.closed.rawValue)
                .order(ConversationRecord.Columns.createdAt, ConversationRecord.Columns.id)
                .fetchAll(db)
        }
    }

    /// The curators' inbox (questions whose status is `open`), newest first (by insertion).
    public func unanswered(limit: Int) async throws -> [UnansweredRecord] {
        guard limit > 0 else { return [] }
        return try await dbWriter.read { db in
            try UnansweredRecord
                .filter(Column("status") == "open")
                .order(Column("id").desc)
                .limit(limit)
                .fetchAll(db)
        }
    }

    // MARK: - Operators

    /// Counts of conversations by phase and outcome, of messages and of open unanswered
    /// questions, read in one consistent snapshot.
    /// Every staff member, by name.
    public func staffMembers() async throws -> [StaffRecord] {
        try await dbWriter.read { db in try StaffRecord.order(Column("name")).fetchAll(db) }
    }

    /// Call-back requests, oldest first.
    public func tickets() async throws -> [TicketRecord] {
        try await dbWriter.read { db in try TicketRecord.order(Column("id")).fetchAll(db) }
    }

    /// Conversations that started in `from ..< to` (the fields a report counts; no session hash,
    /// no offered options), and the referrals made in them (for `baken report` and `/insight`).
    public func conversations(from: Date, to: Date) async throws -> (conversations: [ConversationRecord], referrals: [ReferralRecord]) {
        try await dbWriter.read { db in
            let arguments: StatementArguments = [from.timeIntervalSince1970, to.timeIntervalSince1970]
            // Only the columns a report counts, read by position: a month can be 100,000 rows.
            let cursor = try Row.fetchCursor(
                db,
                sql: """
                    SELECT id, language, location, phase, outcome, last_intent, handed_off, queued_at, created_at,
                        first_answered, waited_seconds, left_queue, fallback_given FROM conversation
                    WHERE created_at >= ? AND created_at < ? ORDER BY created_at
                    """, arguments: arguments)
            var conversations: [ConversationRecord] = []
            while let row = try cursor.next() {
                var record = ConversationRecord(
                    id: row[0], sessionHash: "", language: Language(rawValue: row[1]) ?? .nl, location: row[2],
                    now: Date(timeIntervalSince1970: row[8]))
                record.phase = Phase(rawValue: row[3]) ?? .closed
                record.outcome = (row[4] as String?).flatMap(Outcome.init(rawValue:))
                record.lastIntent = row[5]
                record.handedOff = row[6]
                record.queuedAt = (row[7] as Double?).map(Date.init(timeIntervalSince1970:))
                record.firstAnswered = row[9]
                record.waitedSeconds = row[10]
                record.leftQueue = row[11]
                record.fallbackGiven = row[12]
                conversations.append(record)
            }
            let referrals = try ReferralRecord.fetchAll(
                db,
                sql: """
                    SELECT referral.* FROM referral JOIN conversation ON conversation.id = referral.conversation_id
                    WHERE conversation.created_at >= ? AND conversation.created_at < ?
                    """, arguments: arguments
            )
            return (conversations, referrals)
        }
    }

    /// Feedback in the conversations that started in `from ..< to`, with the reply's topic.
    public func feedback(from: Date, to: Date) async throws -> [Report.Feedback] {
        try await dbWriter.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT f.conversation_id AS conversation, COALESCE(json_extract(m.payload, '$.intent'), c.last_intent) AS topic, f.helpful
                    FROM feedback f JOIN conversation c ON c.id = f.conversation_id
                    LEFT JOIN message m ON m.conversation_id = f.conversation_id AND m.seq = f.seq
                    WHERE c.created_at >= ? AND c.created_at < ?
                    """, arguments: [from.timeIntervalSince1970, to.timeIntervalSince1970]
            ).map { Report.Feedback(conversation: $0["conversation"], topic: $0["topic"], helpful: $0["helpful"]) }
        }
    }

    public func referral(id: String) async throws -> ReferralRecord? {
        try await dbWriter.read { db in try ReferralRecord.fetchOne(db, key: id) }
    }

    public func referrals(status: ReferralRecord.Status?) async throws -> [ReferralRecord] {
        try await dbWriter.read { db in
            var request = ReferralRecord.order(Column("created_at").desc)
            if let status { request = request.filter(Column("status") == status.rawValue) }
            return try request.fetchAll(db)
        }
    }

    /// Takes due events in one write transaction (SQLite has one writer, so two claims never
    /// overlap).
    public func claimDueEvents(_ filter: OutboxFilter, now: Date, until: Date, limit: Int) async throws -> [OutboxRecord] {
        let due = OutboxRecord.filter(
            Column("status") == OutboxRecord.Status.pending.rawValue && Column("next_attempt_at") <= now.timeIntervalSince1970)
        let request: QueryInterfaceRequest<OutboxRecord>
        switch filter {
        case .partner(let partner): request = due.filter(Column("partner") == partner).order(Column("created_at"), Column("id")).limit(limit)
        case .otherThan(let partners):
            request = due.filter(!partners.sorted().contains(Column("partner"))).order(Column("created_at"), Column("id")).limit(limit)
        }
        // The worker asks twice a second: a read first, so an empty outbox never takes the writer.
        guard try await dbWriter.read({ db in try request.fetchCount(db) }) > 0 else { return [] }
        return try await dbWriter.write { db in
            let due = try request.fetchAll(db)
            return try due.map { event in
                var claimed = event
                claimed.nextAttemptAt = until
                try claimed.update(db)
                return claimed
            }
        }
    }

    public func events(referral: String) async throws -> [OutboxRecord] {
        try await dbWriter.read { db in try OutboxRecord.filter(Column("referral_id") == referral).order(Column("created_at")).fetchAll(db) }
    }

    public func attempts(event: String) async throws -> [DeliveryAttemptRecord] {
        try await dbWriter.read { db in try DeliveryAttemptRecord.filter(Column("event_id") == event).order(Column("id")).fetchAll(db) }
    }

    public func stats() async throws -> StoreStats {
        try await dbWriter.read { db in
            var byPhase: [Phase: Int] = [:]
            var byOutcome: [Outcome: Int] = [:]
            var conversations = 0
            let rows = try Row.fetchAll(db, sql: "SELECT phase, outcome, COUNT(*) AS n FROM conversation GROUP BY phase, outcome")
            for row in rows {
                let count: Int = row["n"]
                conversations += count
                if let phase = Phase(rawValue: row["phase"]) { byPhase[phase, default: 0] += count }
                if let raw: String = row["outcome"], let outcome = Outcome(rawValue: raw) { byOutcome[outcome, default: 0] += count }
            }
            let messages = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM message") ?? 0
            let openUnanswered = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM unanswered WHERE status = 'open'") ?? 0
            return StoreStats(
                conversations: conversations, byPhase: byPhase, byOutcome: byOutcome,
                messages: messages, openUnanswered: openUnanswered)
        }
    }
}
