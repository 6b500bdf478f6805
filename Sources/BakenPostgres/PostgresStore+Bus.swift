import BakenDesk
import Foundation
import Logging
import PostgresNIO
import Synchronization

/// The nodes' mail (``DeskBus``): rows in `desk_mail`, announced on a channel per kind
/// (`baken_command`, `baken_reply`, `baken_staff`, `baken_queue`, `baken_presence`,
/// `baken_tickets`, `baken_referral`). A notification only wakes the reader, which reads the
/// rows of every kind in id order: an answer never overtakes the command before it.
///
/// A listener reads every row it has not seen from a few seconds before its last read on, so a
/// row whose transaction committed late, or that was announced while the listening connection
/// was down, is still delivered — once (the ids it delivered are remembered for that window).
extension PostgresStore: DeskBus {
    /// How far back each read looks: longer than any single-statement insert stays uncommitted.
    static let mailSlack: Double = 5
    /// How long mail is kept.
    static let mailKept: Double = 600

    /// The `NOTIFY` channel of a kind of mail.
    static func channel(_ kind: DeskMail.Kind) -> String { "baken_" + kind.rawValue }

    public func post(_ mail: DeskMail) async throws {
        let body = String(decoding: try JSONEncoder().encode(mail), as: UTF8.self)
        let (origin, target, logger) = (node, mail.target, logger)
        try await onConnection("sending mail to \(target ?? "every node")") { connection in
            try await connection.query(
                """
                WITH sent AS (
                    INSERT INTO desk_mail (origin, target, body, created_at)
                    VALUES (\(origin), \(target), \(body), extract(epoch FROM clock_timestamp())) RETURNING id)
                SELECT pg_notify(\(Self.channel(mail.kind)), (SELECT id FROM sent)::text)
                """, logger: logger)
        }
    }

    public func mail() -> AsyncStream<DeskMail> {
        let (client, logger) = (client, logger)
        let cursor = MailCursor()
        return AsyncStream { continuation in
            let task = Task {
                while !Task.isCancelled {
                    do {
                        try await client.withConnection { connection in
                            // Listen on every kind's channel first, so nothing sent after the
                            // catch-up read below goes unnoticed.
                            var channels: [PostgresNotificationSequence] = []
                            for kind in DeskMail.Kind.allCases where kind != .resync {
                                channels.append(try await connection.listen(Self.channel(kind)))
                            }
                            if cursor.withLock({ $0.since == nil }) {
                                let start = try await self.databaseTime()
                                cursor.withLock { $0.since = start }
                            } else {
                                try await self.readMail(cursor, into: continuation)
                            }
                            continuation.yield(DeskMail(kind: .resync, origin: ""))
                            // Any channel wakes one reader, which reads every kind in id order.
                            let (wakes, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
                            try await withThrowingTaskGroup(of: Void.self) { group in
                                for notifications in channels {
                                    group.addTask {
                                        for try await _ in notifications { wake.yield() }
                                        throw PostgresStoreError(doing: "listening", message: "the notifications ended", isConnectionFailure: true)
                                    }
                                }
                                group.addTask {
                                    for await _ in wakes { try await self.readMail(cursor, into: continuation) }
                                }
                                defer { group.cancelAll() }
                                try await group.next()
                            }
                        }
                    } catch {
                        if Task.isCancelled { break }
                        logger.warning("listening for mail of other nodes failed; listening again in 1 s", metadata: ["error": "\(PostgresStoreError(error, doing: "listening"))"])
                        try? await Task.sleep(for: .seconds(1))
                    }
                }
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    private func databaseTime() async throws -> Double {
        try await rows("reading the database's clock", "SELECT extract(epoch FROM clock_timestamp())::double precision AS now") {
            try $0["now"].decode(Double.self)
        }.first ?? Date().timeIntervalSince1970
    }

    /// Delivers the mail for this node not yet delivered.
    private func readMail(_ cursor: MailCursor, into continuation: AsyncStream<DeskMail>.Continuation) async throws {
        let started = try await databaseTime()
        let since = (cursor.withLock { $0.since } ?? started) - Self.mailSlack
        let found = try await rows(
            "reading mail of other nodes",
            """
            SELECT id, body FROM desk_mail WHERE created_at >= \(since)
            AND (target = \(node) OR (target IS NULL AND origin <> \(node))) ORDER BY id
            """
        ) { row in (try row["id"].decode(Int64.self), try row["body"].decode(String.self)) }
        let fresh = cursor.withLock { cursor in
            let fresh = found.filter { cursor.seen[$0.0] == nil }
            for (id, _) in fresh { cursor.seen[id] = started }
            cursor.since = started
            cursor.seen = cursor.seen.filter { $0.value >= started - 2 * Self.mailSlack }
            return fresh
        }
        for (id, body) in fresh {
            do {
                continuation.yield(try JSONDecoder().decode(DeskMail.self, from: Data(body.utf8)))
            } catch {
                logger.error("unreadable mail of another node", metadata: ["id": "\(id)", "error": "\(error)"])
            }
        }
    }

    public func publishPresence(_ staff: [PresentStaff]) async throws {
        let json = String(decoding: try JSONEncoder().encode(staff), as: UTF8.self)
        let (node, logger) = (node, logger)
        try await onConnection("recording who is signed in") { connection in
            try await connection.query(
                """
                INSERT INTO node_presence (node, staff, seen_at) VALUES (\(node), \(json), extract(epoch FROM clock_timestamp()))
                ON CONFLICT (node) DO UPDATE SET staff = EXCLUDED.staff, seen_at = EXCLUDED.seen_at
                """, logger: logger)
            try await connection.query(
                "DELETE FROM desk_mail WHERE created_at < extract(epoch FROM clock_timestamp()) - \(Self.mailKept)", logger: logger)
        }
    }

    public func presence(within seconds: TimeInterval) async throws -> [String: [PresentStaff]] {
        let found = try await rows(
            "reading who is signed in on the nodes",
            "SELECT node, staff FROM node_presence WHERE seen_at >= extract(epoch FROM clock_timestamp()) - \(seconds)"
        ) { row in (try row["node"].decode(String.self), try row["staff"].decode(String.self)) }
        var result: [String: [PresentStaff]] = [:]
        for (node, json) in found {
            result[node] = (try? JSONDecoder().decode([PresentStaff].self, from: Data(json.utf8))) ?? []
        }
        return result
    }

    public func waitingElsewhere() async throws -> [WaitingConversation] {
        try await rows(
            "reading the other nodes' queue",
            """
            SELECT c.*, o.node AS owner,
                (SELECT m.text FROM message m WHERE m.conversation_id = c.id AND m.role = 'resident' ORDER BY m.seq DESC LIMIT 1) AS last_text
            FROM conversation c LEFT JOIN conversation_owner o ON o.conversation_id = c.id
            WHERE c.phase IN ('queued', 'with_staff') AND (o.node IS NULL OR o.node <> \(node))
            ORDER BY c.queued_at, c.id
            """
        ) { row in
            WaitingConversation(
                record: try Self.conversation(row), lastMessage: try row["last_text"].decode(String?.self) ?? "",
                owner: try row["owner"].decode(String?.self))
        }
    }

    public func adopt(_ conversation: String, from owner: String) async throws -> Bool {
        let since = Date().timeIntervalSince1970
        return try await !rows(
            "adopting a conversation of a silent node",
            """
            UPDATE conversation_owner SET node = \(node), since = \(since)
            WHERE conversation_id = \(conversation) AND node = \(owner) RETURNING conversation_id
            """
        ) { try $0["conversation_id"].decode(String.self) }.isEmpty
    }

    public func owner(of conversation: String) async throws -> String? {
        try await rows("reading who holds a conversation", "SELECT node FROM conversation_owner WHERE conversation_id = \(conversation)") {
            try $0["node"].decode(String.self)
        }.first
    }
}

/// What a mail listener has read: from when, and which rows of the last few seconds.
final class MailCursor: Sendable {
    struct State {
        var since: Double?
        var seen: [Int64: Double] = [:]
    }
    private let state = Mutex(State())

    func withLock<T>(_ body: (inout State) -> T) -> T { state.withLock { body(&$0) } }
}
