import BakenDesk
import BakenEngine
import Foundation
import Logging
import PostgresNIO
import Synchronization

/// A ``ConversationStore`` in a PostgreSQL database (PostgresNIO), for running Baken on
/// several nodes. SQLite (`BakenStore`) stays the embedded default.
///
/// The tables are the SQLite store's (see ``PostgresMigrations``). Every ``commit(_:)`` is one
/// transaction on one pooled connection; reads use any connection. The pool's connections are
/// run by a task the store starts in ``connect(_:logger:)`` and ends in ``close()``.
public final class PostgresStore: ConversationStore, ReportingStore, PurgingStore, TakeoverNotifying, Sendable {
    let client: PostgresClient
    private let runner: Task<Void, Never>
    let logger: Logger
    /// Where the store is, without the password (for logs and errors).
    public let location: String
    /// How long an operation waits for a pooled connection before it fails (the desk then
    /// answers `storage_failure`, and the resident's retry is answered once the database is back).
    let leaseTimeout: Duration
    /// This node's name: the owner of the conversations it holds (``takeOver(conversation:)``).
    public let node: String

    /// A name for this process: host, process id and a random part (a restarted node is a new owner).
    public static func defaultNodeName() -> String {
        "\(ProcessInfo.processInfo.hostName)-\(ProcessInfo.processInfo.processIdentifier)-\(UInt16.random(in: .min ... .max))"
    }

    private init(client: PostgresClient, runner: Task<Void, Never>, location: String, leaseTimeout: Duration, node: String, logger: Logger) {
        self.node = node
        self.client = client
        self.runner = runner
        self.location = location
        self.leaseTimeout = leaseTimeout
        self.logger = logger
    }

    /// Connects to the database at `url`, brings its schema up to date and returns the store.
    /// Throws ``PostgresStoreError`` with the server's message when the database cannot be
    /// migrated, or when no connection succeeds within `timeout` (the pool would otherwise keep
    /// retrying quietly).
    public static func connect(
        _ url: PostgresURL, timeout: Duration = .seconds(15), leaseTimeout: Duration = .seconds(5), node: String = defaultNodeName(),
        logger: Logger
    ) async throws -> PostgresStore {
        let client = PostgresClient(configuration: url.configuration, backgroundLogger: logger)
        let runner = Task { await client.run() }
        await Task.yield()  // let the pool start before the first lease (else PostgresNIO warns)
        let store = PostgresStore(
            client: client, runner: runner, location: url.redacted, leaseTimeout: leaseTimeout, node: node, logger: logger)
        do {
            let applied = try await withThrowingTaskGroup(of: [String]?.self) { group in
                group.addTask { try await PostgresMigrations.migrate(client, logger: logger) }
                group.addTask {
                    try await Task.sleep(for: timeout)
                    return nil
                }
                defer { group.cancelAll() }
                guard let applied = try await group.next() ?? nil else {
                    throw PostgresStoreError(
                        doing: "connecting to \(url.redacted)",
                        message: "no connection within \(timeout) (is the server running, and are the address, user and database right?)")
                }
                return applied
            }
            if !applied.isEmpty { logger.info("PostgreSQL schema migrated", metadata: ["applied": "\(applied)", "database": "\(url.redacted)"]) }
        } catch {
            await store.close()
            throw (error as? PostgresStoreError) ?? PostgresStoreError(error, doing: "connecting to and migrating \(url.redacted)")
        }
        return store
    }

    /// Closes the pool's connections and waits until they are gone.
    public func close() async {
        runner.cancel()
        await runner.value
    }

    /// Runs `body` on a pooled connection, turning PostgresNIO's errors (whose description hides
    /// the server's message) into a ``PostgresStoreError`` that says what failed. When no
    /// connection is free or can be made within ``leaseTimeout`` (the database is down), it fails
    /// then, rather than when the pool gives up; `body` never starts after that point, so a
    /// statement reported as failed was never sent.
    func onConnection<T: Sendable>(_ doing: String, _ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        let lease = LeaseState()
        let (client, timeout) = (self.client, self.leaseTimeout)
        do {
            return try await withThrowingTaskGroup(of: T?.self) { group in
                group.addTask {
                    try await client.withConnection { connection in
                        guard lease.start() else { throw CancellationError() }
                        return try await body(connection)
                    }
                }
                group.addTask {
                    try? await Task.sleep(for: timeout)  // cancelled when the work ends first
                    return nil
                }
                while let result = try await group.next() {
                    if let value = result {
                        group.cancelAll()
                        return value
                    }
                    if lease.giveUp() {
                        group.cancelAll()
                        throw PostgresUnreachableError(
                            PostgresStoreError(doing: doing, message: "no database connection within \(timeout) (is PostgreSQL running and reachable?)"))
                    }
                }
                throw CancellationError()
            }
        } catch let error as PostgresUnreachableError {
            throw error
        } catch {
            let failure = PostgresStoreError(error, doing: doing)
            throw failure.isConnectionFailure ? PostgresUnreachableError(failure) as any Error : failure
        }
    }

    // MARK: - Writing

    /// Writes a batch in one transaction: all of it is stored, or none. The same rules as the
    /// SQLite store: a conversation is inserted or updated in place, a feedback replaces an
    /// earlier one for the same reply, a duplicate message fails the whole batch.
    public func commit(_ writes: [StoreWrite]) async throws {
        guard !writes.isEmpty else { return }
        let (logger, node) = (self.logger, self.node)
        // The hot writes go in a few multi-row statements: a conversation's latest record (a
        // group may hold several turns of one conversation; the last is its state), and the
        // messages. The rest, rare, one statement each.
        var latest: [String: ConversationRecord] = [:]
        var order: [String] = []
        var messages: [MessageRecord] = []
        var others: [StoreWrite] = []
        for write in writes {
            switch write {
            case .conversation(let record):
                if latest.updateValue(record, forKey: record.id) == nil { order.append(record.id) }
            case .message(let record):
                messages.append(record)
            default:
                others.append(write)
            }
        }
        // The conversations whose state or transcript this batch writes: this node must own
        // them (a new one becomes its own). Locking the owner rows orders this commit against
        // another node's takeover: the takeover waits, or this commit sees it and fails.
        let owned = Set(order + messages.map(\.conversation)).sorted()
        let conversations = Self.chunks(order.compactMap { latest[$0] })
        let newMessages = Self.chunks(messages)
        let statements = try others.map(Self.statement)
        let since = Date().timeIntervalSince1970
        let doing = "committing \(writes.count) write(s)"
        try await onConnection(doing) { connection in
            try await connection.withTransaction(logger: logger) { connection in
                if !owned.isEmpty {
                    let claim: PostgresQuery = """
                        INSERT INTO conversation_owner (conversation_id, node, since) SELECT id, \(node), \(since) FROM unnest(\(owned)::text[]) AS id
                        ON CONFLICT (conversation_id) DO UPDATE SET node = conversation_owner.node RETURNING conversation_id, node
                        """
                    for try await (conversation, owner) in try await connection.query(claim, logger: logger).decode((String, String).self)
                    where owner != node {
                        throw PostgresStoreError(
                            doing: doing, message: "conversation \(conversation) is held by node \(owner) now (a resident resumed there)",
                            code: "not_owner")
                    }
                }
                for chunk in conversations { try await connection.query(Self.conversations(chunk), logger: logger) }
                for chunk in newMessages { try await connection.query(Self.messages(chunk), logger: logger) }
                for statement in statements {
                    try await connection.query(statement, logger: logger)
                }
            }
        }
    }

    // MARK: - Several nodes

    /// Makes this node the conversation's owner and tells the node that had it (`NOTIFY
    /// baken_takeover`, delivered when this transaction commits).
    public func takeOver(conversation: String) async throws {
        let (logger, node) = (self.logger, self.node)
        let since = Date().timeIntervalSince1970
        try await onConnection("taking over conversation \(conversation)") { connection in
            try await connection.withTransaction(logger: logger) { connection in
                try await connection.query(
                    """
                    INSERT INTO conversation_owner (conversation_id, node, since) VALUES (\(conversation), \(node), \(since))
                    ON CONFLICT (conversation_id) DO UPDATE SET node = EXCLUDED.node, since = EXCLUDED.since
                    """, logger: logger)
                try await connection.query("SELECT pg_notify('baken_takeover', \(conversation + " " + node))", logger: logger)
            }
        }
    }

    /// Listens on `baken_takeover` on a connection of its own; after the connection was lost
    /// (and at the start), yields `.resync` so the node checks what it may have missed.
    public func takeovers() -> AsyncStream<TakeoverEvent> {
        let node = self.node
        return keepListening("takeovers") { connection, continuation in
            try await connection.listen(on: "baken_takeover") { notifications in
                continuation.yield(.resync)
                for try await notification in notifications {
                    let parts = notification.payload.split(separator: " ", maxSplits: 1).map(String.init)
                    guard parts.count == 2, parts[1] != node else { continue }
                    continuation.yield(.takenOver(parts[0]))
                }
            }
        }
    }

    /// Runs `listen` on a connection of its own, and again one second after it failed (the
    /// connection was lost), until the stream's consumer goes away. `listen` tells its consumer
    /// to catch up after each (re)start.
    func keepListening<Event: Sendable>(
        _ what: String, _ listen: @escaping @Sendable (PostgresConnection, AsyncStream<Event>.Continuation) async throws -> Void
    ) -> AsyncStream<Event> {
        let (client, logger) = (self.client, self.logger)
        return AsyncStream { continuation in
            let task = Task {
                while !Task.isCancelled {
                    do {
                        try await client.withConnection { connection in try await listen(connection, continuation) }
                    } catch {
                        if Task.isCancelled { break }
                        logger.warning(
                            "listening for \(what) failed; listening again in 1 s", metadata: ["error": "\(PostgresStoreError(error, doing: "listening"))"])
                        try? await Task.sleep(for: .seconds(1))
                    }
                }
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    public func notOwned(among conversations: [String]) async throws -> [String] {
        try await rows(
            "checking which conversations are still this node's",
            "SELECT conversation_id FROM conversation_owner WHERE conversation_id = ANY(\(conversations)) AND node <> \(node)"
        ) { try $0["conversation_id"].decode(String.self) }
    }

    // MARK: - Reading

    public func conversation(sessionHash: String) async throws -> ConversationRecord? {
        try await rows("reading a conversation", "SELECT * FROM conversation WHERE session_hash = \(sessionHash)", Self.conversation).first
    }

    public func conversation(id: String) async throws -> ConversationRecord? {
        try await rows("reading a conversation", "SELECT * FROM conversation WHERE id = \(id)", Self.conversation).first
    }

    public func messages(conversation: String, after: Int) async throws -> [MessageRecord] {
        try await rows(
            "reading messages", "SELECT * FROM message WHERE conversation_id = \(conversation) AND seq > \(after) ORDER BY seq", Self.message)
    }

    public func clientIDs(conversation: String) async throws -> [String: Int] {
        let pairs = try await rows(
            "reading client ids", "SELECT client_id, seq FROM message WHERE conversation_id = \(conversation) AND client_id IS NOT NULL"
        ) { row in (try row["client_id"].decode(String.self), try row["seq"].decode(Int.self)) }
        return Dictionary(pairs, uniquingKeysWith: { first, _ in first })
    }

    public func openConversations() async throws -> [ConversationRecord] {
        try await rows("reading open conversations", "SELECT * FROM conversation WHERE phase <> 'closed' ORDER BY created_at, id", Self.conversation)
    }

    public func unanswered(limit: Int) async throws -> [UnansweredRecord] {
        guard limit > 0 else { return [] }
        return try await rows("reading the inbox", "SELECT * FROM unanswered WHERE status = 'open' ORDER BY id DESC LIMIT \(limit)", Self.unanswered)
    }

    public func staffMembers() async throws -> [StaffRecord] {
        try await rows("reading staff", "SELECT * FROM staff ORDER BY name", Self.staff)
    }

    public func tickets() async throws -> [TicketRecord] {
        try await rows("reading call-back requests", "SELECT * FROM ticket ORDER BY id", Self.ticket)
    }

    public func referral(id: String) async throws -> ReferralRecord? {
        try await rows("reading a referral", "SELECT * FROM referral WHERE id = \(id)", Self.referral).first
    }

    public func referrals(status: ReferralRecord.Status?) async throws -> [ReferralRecord] {
        if let status {
            return try await rows(
                "reading referrals", "SELECT * FROM referral WHERE status = \(status.rawValue) ORDER BY created_at DESC", Self.referral)
        }
        return try await rows("reading referrals", "SELECT * FROM referral ORDER BY created_at DESC", Self.referral)
    }

    /// Takes due events with `FOR UPDATE SKIP LOCKED`: nodes claiming at the same moment get
    /// different events, and none waits for another.
    public func claimDueEvents(_ filter: OutboxFilter, now: Date, until: Date, limit: Int) async throws -> [OutboxRecord] {
        let pending = OutboxRecord.Status.pending.rawValue
        let (start, deadline) = (now.timeIntervalSince1970, until.timeIntervalSince1970)
        let query: PostgresQuery
        switch filter {
        case .partner(let partner):
            query = """
                UPDATE outbox SET next_attempt_at = \(deadline) WHERE id IN (
                    SELECT id FROM outbox WHERE status = \(pending) AND partner = \(partner) AND next_attempt_at <= \(start)
                    ORDER BY created_at, id LIMIT \(limit) FOR UPDATE SKIP LOCKED)
                RETURNING *
                """
        case .otherThan(let partners):
            query = """
                UPDATE outbox SET next_attempt_at = \(deadline) WHERE id IN (
                    SELECT id FROM outbox WHERE status = \(pending) AND NOT (partner = ANY(\(partners.sorted()))) AND next_attempt_at <= \(start)
                    ORDER BY created_at, id LIMIT \(limit) FOR UPDATE SKIP LOCKED)
                RETURNING *
                """
        }
        return try await rows("claiming due webhook events", query, Self.outbox).sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
    }

    public func events(referral: String) async throws -> [OutboxRecord] {
        try await rows("reading webhook events", "SELECT * FROM outbox WHERE referral_id = \(referral) ORDER BY created_at", Self.outbox)
    }

    public func attempts(event: String) async throws -> [DeliveryAttemptRecord] {
        try await rows("reading delivery attempts", "SELECT * FROM delivery_attempt WHERE event_id = \(event) ORDER BY id", Self.attempt)
    }

    // MARK: - Reports

    public func conversations(from: Date, to: Date) async throws -> (conversations: [ConversationRecord], referrals: [ReferralRecord]) {
        let (start, end) = (from.timeIntervalSince1970, to.timeIntervalSince1970)
        // Only the columns a report counts: a month can be 100,000 rows.
        let conversations = try await rows(
            "reading a report's conversations",
            """
            SELECT id, language, location, phase, outcome, last_intent, handed_off, queued_at, created_at,
                first_answered, waited_seconds, left_queue, fallback_given FROM conversation
            WHERE created_at >= \(start) AND created_at < \(end) ORDER BY created_at
            """
        ) { row in
            var record = ConversationRecord(
                id: try row["id"].decode(String.self), sessionHash: "", language: Language(rawValue: try row["language"].decode(String.self)) ?? .nl,
                location: try row["location"].decode(String?.self), now: Date(timeIntervalSince1970: try row["created_at"].decode(Double.self)))
            record.phase = Phase(rawValue: try row["phase"].decode(String.self)) ?? .closed
            record.outcome = try row["outcome"].decode(String?.self).flatMap(Outcome.init(rawValue:))
            record.lastIntent = try row["last_intent"].decode(String?.self)
            record.handedOff = try row["handed_off"].decode(Bool.self)
            record.queuedAt = try row["queued_at"].decode(Double?.self).map(Date.init(timeIntervalSince1970:))
            record.firstAnswered = try row["first_answered"].decode(Bool?.self)
            record.waitedSeconds = try row["waited_seconds"].decode(Double?.self)
            record.leftQueue = try row["left_queue"].decode(Bool.self)
            record.fallbackGiven = try row["fallback_given"].decode(Bool.self)
            return record
        }
        let referrals = try await rows(
            "reading a report's referrals",
            """
            SELECT referral.* FROM referral JOIN conversation ON conversation.id = referral.conversation_id
            WHERE conversation.created_at >= \(start) AND conversation.created_at < \(end)
            """, Self.referral)
        return (conversations, referrals)
    }

    public func feedback(from: Date, to: Date) async throws -> [Report.Feedback] {
        try await rows(
            "reading a report's feedback",
            """
            SELECT f.conversation_id AS conversation, COALESCE(m.payload::jsonb ->> 'intent', c.last_intent) AS topic, f.helpful
            FROM feedback f JOIN conversation c ON c.id = f.conversation_id
            LEFT JOIN message m ON m.conversation_id = f.conversation_id AND m.seq = f.seq
            WHERE c.created_at >= \(from.timeIntervalSince1970) AND c.created_at < \(to.timeIntervalSince1970)
            """
        ) { row in
            Report.Feedback(
                conversation: try row["conversation"].decode(String.self), topic: try row["topic"].decode(String?.self),
                helpful: try row["helpful"].decode(Bool.self))
        }
    }

    // MARK: - Retention

    /// Erases, in one transaction, what the SQLite store's purge erases (see there). PostgreSQL
    /// frees the erased rows' space at its next (auto)vacuum.
    public func purge(_ policy: RetentionPolicy, now: Date) async throws -> PurgeReport {
        let seconds = now.timeIntervalSince1970
        let transcripts = seconds - policy.transcriptDays * 86400, unanswered = seconds - policy.unansweredDays * 86400
        let tickets = seconds - policy.ticketDays * 86400, referrals = seconds - policy.referralDays * 86400
        let logger = self.logger
        return try await onConnection("purging personal data past its period") { connection in
            try await connection.withTransaction(logger: logger) { connection in
                func count(_ query: PostgresQuery) async throws -> Int {
                    var rows = 0
                    for try await _ in try await connection.query(query, logger: logger) { rows += 1 }
                    return rows
                }
                var report = PurgeReport()
                try await connection.query(
                    """
                    UPDATE conversation SET phase = 'closed', outcome = COALESCE(outcome, 'unresolved')
                    WHERE phase <> 'closed' AND updated_at < \(transcripts)
                    """, logger: logger)
                report.messages = try await count(
                    """
                    DELETE FROM message WHERE conversation_id IN (SELECT id FROM conversation WHERE phase = 'closed' AND updated_at < \(transcripts))
                    RETURNING 1
                    """)
                report.conversations = try await count(
                    """
                    UPDATE conversation SET session_hash = 'purged:' || id
                    WHERE phase = 'closed' AND updated_at < \(transcripts) AND session_hash NOT LIKE 'purged:%' RETURNING 1
                    """)
                report.unanswered = try await count("DELETE FROM unanswered WHERE created_at < \(unanswered) RETURNING 1")
                report.tickets = try await count("DELETE FROM ticket WHERE created_at < \(tickets) RETURNING 1")
                try await connection.query(
                    """
                    UPDATE outbox SET payload = '{}' WHERE payload <> '{}'
                    AND referral_id IN (SELECT id FROM referral WHERE updated_at < \(referrals))
                    """, logger: logger)
                report.referrals = try await count(
                    "UPDATE referral SET fields = '{}' WHERE fields <> '{}' AND updated_at < \(referrals) RETURNING 1")
                return report
            }
        }
    }

    // MARK: - Rows

    /// Runs a query and maps every row.
    func rows<T: Sendable>(_ doing: String, _ query: PostgresQuery, _ map: @escaping @Sendable (PostgresRandomAccessRow) throws -> T) async throws -> [T] {
        let logger = self.logger
        return try await onConnection(doing) { connection in
            var result: [T] = []
            for try await row in try await connection.query(query, logger: logger) {
                result.append(try map(row.makeRandomAccess()))
            }
            return result
        }
    }
}

/// The database could not be reached (no connection within the lease timeout, or the
/// connection broke): the commit queue fails a whole group at once on this.
public struct PostgresUnreachableError: StoreUnreachable, CustomStringConvertible {
    public let failure: PostgresStoreError
    init(_ failure: PostgresStoreError) { self.failure = failure }
    public var description: String { failure.description }
}

/// Whether an operation got its connection before its deadline: exactly one of the two wins.
final class LeaseState: Sendable {
    private enum State { case waiting, started, gaveUp }
    private let state = Mutex(State.waiting)

    /// The connection came: true unless the deadline already passed.
    func start() -> Bool {
        state.withLock { state in
            guard state == .waiting else { return false }
            state = .started
            return true
        }
    }

    /// The deadline passed: true unless the work already started.
    func giveUp() -> Bool {
        state.withLock { state in
            guard state == .waiting else { return false }
            state = .gaveUp
            return true
        }
    }
}

/// A database error, with what the store was doing and the server's own message.
public struct PostgresStoreError: Error, CustomStringConvertible {
    /// What the store was doing ("committing 3 write(s)").
    public let doing: String
    /// The server's message, or the connection error.
    public let message: String
    /// The SQLSTATE code when the server sent one (`23505`: a duplicate key).
    public let code: String?
    /// Whether the connection failed (rather than the server refusing a statement).
    public let isConnectionFailure: Bool

    init(doing: String, message: String, code: String? = nil, isConnectionFailure: Bool = false) {
        self.doing = doing
        self.message = message
        self.code = code
        self.isConnectionFailure = isConnectionFailure
    }

    init(_ error: any Error, doing: String) {
        self.doing = doing
        var error = error
        // A failed transaction wraps the statement's error.
        if let failed = error as? PostgresTransactionError, let inner = failed.closureError ?? failed.beginError ?? failed.commitError {
            error = inner
        }
        if let own = error as? PostgresStoreError {  // thrown inside the transaction: keep it, with the outer context
            self.message = own.message
            self.code = own.code
            self.isConnectionFailure = own.isConnectionFailure
            return
        }
        if let error = error as? PSQLError {
            self.isConnectionFailure = [.connectionError, .serverClosedConnection, .clientClosedConnection].contains(error.code)
            if let info = error.serverInfo, let message = info[.message] {
                self.message = [message, info[.detail]].compactMap { $0 }.joined(separator: " ")
                self.code = info[.sqlState]
            } else {
                self.message = "\(error.code)" + (error.underlying.map { ": \($0)" } ?? "")
                self.code = nil
            }
        } else {
            self.message = String(describing: error)
            self.code = nil
            self.isConnectionFailure = false
        }
    }

    public var description: String {
        "PostgreSQL, \(doing): \(message)" + (code.map { " (SQLSTATE \($0))" } ?? "")
    }
}
