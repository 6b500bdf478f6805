import BakenDesk
import Foundation
import Logging
import PostgresNIO
import Testing

@testable import BakenPostgres
@testable import BakenStore

/// What only the PostgreSQL store has: its URL, its migrations, its errors. What every store
/// must do is in ``StoreContractTests``.
@Suite struct PostgresURLTests {
    @Test func aURLGivesHostPortUserDatabaseAndTLS() throws {
        let url = try PostgresURL("postgres://baken:geheim@db.example.nl:6543/helpdesk?sslmode=require")
        #expect(url.configuration.host == "db.example.nl")
        #expect(url.configuration.port == 6543)
        #expect(url.configuration.username == "baken")
        #expect(url.configuration.password == "geheim")
        #expect(url.configuration.database == "helpdesk")
        #expect(url.redacted == "postgres://baken:***@db.example.nl:6543/helpdesk?sslmode=require", "the password never reaches a log")
        let plain = try PostgresURL("postgresql://baken@localhost/baken", environment: ["PGPASSWORD": "uit-de-omgeving"])
        #expect(plain.configuration.port == 5432)
        #expect(plain.configuration.password == "uit-de-omgeving")
        let socket = try PostgresURL("postgres://baken@/baken?host=/run/postgresql")
        #expect(socket.configuration.unixSocketPath == "/run/postgresql/.s.PGSQL.5432")
    }

    @Test(arguments: [
        ("mysql://baken@host/db", "not a PostgreSQL URL"),
        ("postgres://host/db", "names no user"),
        ("postgres://baken@host/", "names no database"),
        ("postgres://baken@host/db?sslmode=sometimes", "unknown sslmode"),
        ("postgres://baken:geheim@/db", "names no host"),
    ])
    func aWrongURLSaysWhatIsWrongWithoutThePassword(url: String, says: String) {
        #expect {
            try PostgresURL(url)
        } throws: { error in
            "\(error)".contains(says) && !"\(error)".contains("geheim")
        }
    }

    /// `.ci/run` sets `BAKEN_REQUIRE_POSTGRES=1`: there the PostgreSQL half of the store tests
    /// must not be skipped for want of a server.
    @Test func postgresIsTestedWhereItIsRequired() {
        if ProcessInfo.processInfo.environment["BAKEN_REQUIRE_POSTGRES"] == "1" {
            #expect(StoreKind.all.contains(.postgres), "BAKEN_TEST_POSTGRES is not set: the PostgreSQL store was not tested")
        }
    }
}

/// Needs no server.
extension PostgresURLTests {
    /// No server at the address: a clear error, not a hang.
    @Test func noServerIsAClearErrorWithinTheConnectTimeout() async throws {
        let port = try PostgresStoreTests.closedPort()
        var url = try PostgresURL("postgres://baken:geheim@127.0.0.1:\(port)/baken?sslmode=disable")
        var configuration = url.configuration
        configuration.options.connectTimeout = .seconds(1)
        url = PostgresURL(configuration: configuration, redacted: url.redacted)
        let started = ContinuousClock.now
        await #expect {
            _ = try await PostgresStore.connect(url, timeout: .seconds(3), logger: PostgresStoreTests.logger)
        } throws: { error in
            "\(error)".contains("127.0.0.1:\(port)") && !"\(error)".contains("geheim")
        }
        #expect(ContinuousClock.now - started < .seconds(30))
    }

}

@Suite(.enabled(if: StoreKind.postgresURL != nil, "set BAKEN_TEST_POSTGRES to test the PostgreSQL store"))
struct PostgresStoreTests {
    static let logger: Logger = {
        var logger = Logger(label: "test")
        logger.logLevel = .warning
        return logger
    }()

    /// Migrations are named and recorded once; nodes that start together do not race.
    @Test func nodesStartingTogetherMigrateOnce() async throws {
        try await TestDatabase.with { url in
            let stores = try await withThrowingTaskGroup(of: PostgresStore.self) { group in
                for _ in 0..<4 { group.addTask { try await PostgresStore.connect(url, logger: Self.logger) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(stores.count == 4)
            let names = try await stores[0].rows("test", "SELECT name FROM baken_migration ORDER BY name") { try $0["name"].decode(String.self) }
            #expect(names == PostgresMigrations.all.map(\.name))
            // Every node sees the others' writes.
            try await stores[1].commit([.conversation(ConversationRecord(id: "c1", sessionHash: "h1", language: .nl, location: nil, now: Date()))])
            #expect(try await stores[3].conversation(sessionHash: "h1")?.id == "c1")
            for store in stores { await store.close() }
            // Connecting again applies nothing new and keeps the data.
            let again = try await PostgresStore.connect(url, logger: Self.logger)
            #expect(try await again.conversation(id: "c1") != nil)
            await again.close()
        }
    }

    /// Two nodes on one database: a conversation belongs to the node that started it until
    /// another takes it over; then the first is told, and its commits of it fail (no two nodes
    /// write the same conversation's seqs).
    @Test func aTakeoverMovesTheConversationAndTellsTheOldNode() async throws {
        try await TestDatabase.with { url in
            let a = try await PostgresStore.connect(url, node: "a", logger: Self.logger)
            let b = try await PostgresStore.connect(url, node: "b", logger: Self.logger)
            var events = a.takeovers().makeAsyncIterator()
            #expect(await events.next() == .resync, "listening starts with a resync")

            var record = ConversationRecord(id: "c1", sessionHash: "h1", language: .nl, location: nil, now: Date())
            record.lastSeq = 1
            try await a.commit([.conversation(record), .message(message("c1", 1))])
            #expect(try await a.notOwned(among: ["c1"]).isEmpty)
            #expect(try await b.notOwned(among: ["c1"]) == ["c1"])

            try await b.takeOver(conversation: "c1")
            #expect(await events.next() == .takenOver("c1"), "node a hears of it")
            await #expect {
                try await a.commit([.message(message("c1", 2))])
            } throws: { error in
                (error as? PostgresStoreError)?.code == "not_owner" && "\(error)".contains("held by node b")
            }
            try await b.commit([.message(message("c1", 2))])
            #expect(try await a.messages(conversation: "c1", after: 0).map(\.seq) == [1, 2])
            #expect(try await a.notOwned(among: ["c1", "unknown"]) == ["c1"])
            // Writes that are not the conversation's own (a webhook attempt, a referral) go from any node.
            let referral = ReferralRecord(id: "r1", conversation: "c1", partner: "taalhuis", status: .queued, requestedBy: "bot", createdAt: Date(), updatedAt: Date())
            try await a.commit([.referral(referral)])
            await a.close()
            await b.close()
        }
    }

    /// The nodes' mail (staff on one node, residents on another): mail reaches its target node,
    /// or every other node, once and in order; a row whose transaction committed late is still
    /// read; presence is each node's heartbeat; a node sees the others' waiting conversations.
    @Test func mailBetweenNodesArrivesOnceInOrder() async throws {
        try await TestDatabase.with { url in
            let a = try await PostgresStore.connect(url, node: "a", logger: Self.logger)
            let b = try await PostgresStore.connect(url, node: "b", logger: Self.logger)
            let c = try await PostgresStore.connect(url, node: "c", logger: Self.logger)
            var mail = b.mail().makeAsyncIterator()
            #expect(await mail.next()?.kind == .resync, "listening starts with a resync")

            // A transaction that takes its id now and commits after later rows were read.
            let reserved = try await a.rows("test", "SELECT nextval('desk_mail_id_seq') AS id") { try $0["id"].decode(Int64.self) }[0]
            try await a.post(DeskMail(kind: .command, origin: "a", target: "b", connection: 7, staff: "Nora", line: #"{"type":"claim"}"#))
            try await c.post(DeskMail(kind: .reply, origin: "c", target: "a", connection: 1, line: "not for b"))
            try await a.post(DeskMail(kind: .queue, origin: "a"))
            try await b.post(DeskMail(kind: .presence, origin: "b"))  // b's own broadcast does not come back to b
            let command = await mail.next()
            #expect(command?.kind == .command && command?.connection == 7 && command?.staff == "Nora" && command?.line == #"{"type":"claim"}"#)
            #expect(await mail.next()?.kind == .queue, "in order; c's mail to a and b's own broadcast do not come to b")
            // The late row: a lower id than one already read, never announced, and as old as the
            // newest row b has read (within b's look-back however slow the machine).
            let late = String(decoding: try JSONEncoder().encode(DeskMail(kind: .tickets, origin: "c")), as: UTF8.self)
                .replacingOccurrences(of: "'", with: "''")
            try await a.execute(
                "INSERT INTO desk_mail (id, origin, target, body, created_at) VALUES (\(reserved), 'c', NULL, '\(late)', (SELECT max(created_at) FROM desk_mail))")
            try await c.post(DeskMail(kind: .staff, origin: "c", staff: "Nora", line: "{}"))

            var got: [DeskMail] = []
            while got.count < 2, let next = await mail.next() { got.append(next) }
            #expect(got.map(\.kind) == [.tickets, .staff], "the late row is read, once, in id order")

            // Presence: each node's heartbeat, with who is signed in there.
            try await a.publishPresence([PresentStaff(node: "a", name: "Nora", role: .staff, locations: ["texel"], available: true)])
            try await b.publishPresence([])
            let present = try await b.presence(within: 30)
            #expect(Set(present.keys) == ["a", "b"], "c sent no heartbeat")
            #expect(present["a"]?.map(\.name) == ["Nora"])

            // A conversation queued on a shows on b, with the resident's last message; a owns it.
            var record = conversation("q1", phase: .queued)
            record.queuedAt = date()
            record.lastSeq = 1
            var said = message("q1", 1)
            said.role = .resident
            said.text = "ik wil een mens"
            try await a.commit([.conversation(record), .message(said)])
            let waiting = try await b.waitingElsewhere()
            #expect(waiting.map(\.record.id) == ["q1"] && waiting.first?.lastMessage == "ik wil een mens" && waiting.first?.owner == "a")
            #expect(try await a.waitingElsewhere().isEmpty, "a's own is not elsewhere for a")
            #expect(try await b.owner(of: "q1") == "a")
            #expect(try await b.owner(of: "nothing") == nil)
            for store in [a, b, c] { await store.close() }
        }
    }

    /// The listening connection is lost (here: killed by the server); mail sent meanwhile is read
    /// when the node listens again, before it is told to resync.
    @Test func mailSentWhileTheListenerWasGoneIsReadAfterItReconnects() async throws {
        try await TestDatabase.with { url in
            let a = try await PostgresStore.connect(url, node: "a", logger: Self.logger)
            let b = try await PostgresStore.connect(url, node: "b", logger: Self.logger)
            var mail = b.mail().makeAsyncIterator()
            #expect(await mail.next()?.kind == .resync)
            let killed = try await a.rows(
                "test",
                "SELECT count(pg_terminate_backend(pid)) AS n FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN%'"
            ) { try $0["n"].decode(Int.self) }
            #expect(killed == [1], "b's listening connection")
            try await a.post(DeskMail(kind: .command, origin: "a", target: "b", connection: 3, staff: "Nora", line: "{}"))
            let first = await mail.next()
            #expect(first?.kind == .command && first?.connection == 3, "read in the catch-up after reconnecting")
            #expect(await mail.next()?.kind == .resync, "then: read every shared state again")
            try await a.post(DeskMail(kind: .queue, origin: "a"))
            #expect(await mail.next()?.kind == .queue, "and new mail arrives as before")
            await a.close()
            await b.close()
        }
    }

    /// A failed write says what the store was doing and what the server said.
    @Test func aFailedCommitCarriesTheServersMessage() async throws {
        try await StoreKind.postgres.withStore { store, _ in
            let record = ConversationRecord(id: "c1", sessionHash: "same", language: .nl, location: nil, now: Date())
            var twin = record
            twin.id = "c2"
            try await store.commit([.conversation(record)])
            await #expect {
                try await store.commit([.conversation(twin)])
            } throws: { error in
                guard let error = error as? PostgresStoreError else { return false }
                return error.code == "23505" && "\(error)".contains("committing 1 write(s)") && "\(error)".contains("duplicate key")
            }
        }
    }

    /// A port nobody listens on.
    static func closedPort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        _ = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        return Int(UInt16(bigEndian: address.sin_port))
    }
}

/// `baken migrate`: a SQLite database with conversations, staff and referrals moves to
/// PostgreSQL, and the same transcripts replay.
@Suite(.enabled(if: StoreKind.postgresURL != nil, "set BAKEN_TEST_POSTGRES to test the PostgreSQL store"))
struct MigrateTests {
    @Test func everythingMovesAndReadsBackTheSame() async throws {
        let directory = temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: directory) }
        let source = try SQLiteStore(path: databasePath(in: directory))
        let day: TimeInterval = 24 * 3600
        try await source.commit(RetentionFixture.writes(day: day))
        var handled = try #require(try await source.tickets().first)
        handled.status = "done"
        let staff = StaffRecord(name: "anna", role: .admin, locations: ["texel"], tokenHash: "t", revoked: true, createdAt: date())
        let attempt = DeliveryAttemptRecord(event: "e_1", attempt: 1, statusCode: 200, latencyMilliseconds: 31, error: nil, at: date(2))
        try await source.commit([.ticket(handled), .staff(staff), .attempt(attempt), .unanswered(unanswered("open", 2))])
        try await source.dbWriter.write { try $0.execute(sql: "UPDATE unanswered SET status = 'done' WHERE seq = 1") }
        // A long conversation, over several batches.
        var long = conversation("long", phase: .withStaff)
        long.lastSeq = 2_500
        long.offered = ["a/b", "é"]
        try await source.commit([.conversation(long)] + (1...2_500).map { .message(message("long", $0, clientID: $0.isMultiple(of: 2) ? "k\($0)" : nil)) })

        try await TestDatabase.with { url in
            let target = try await PostgresStore.connect(url, logger: PostgresStoreTests.logger)
            let summary = try await SQLiteToPostgres.migrate(from: source, to: target, batchSize: 700)
            #expect(summary.rows["message"] == 2_504)
            #expect(summary.conversationsCompared == 5)
            #expect(try await target.messages(conversation: "long", after: 2_000).count == 500)
            #expect(try await target.clientIDs(conversation: "long").count == 1_250)
            #expect(try await target.tickets() == (try await source.tickets()))
            #expect(try await target.staffMembers() == [staff])
            #expect(try await target.unanswered(limit: 10).map(\.seq) == [2], "a handled question stays handled")
            #expect(try await target.attempts(event: "e_1") == [attempt])
            // New rows get new ids after the copied ones.
            try await target.commit([.ticket(TicketRecord(conversation: "long", name: "Kees", contact: "-", location: nil, topic: "", createdAt: date()))])
            #expect(try await target.tickets().map(\.id) == [1, 2, 3])
            // A second migration into the same database is refused.
            await #expect {
                _ = try await SQLiteToPostgres.migrate(from: source, to: target)
            } throws: { "\($0)".contains("is not empty") }
            await target.close()
        }
    }
}
