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
            _ = try await connection.query(
                """
                WITH sent AS (
                    INSERT INTO desk_mail (origin, target, body, created_at)
                    VALUES (\(origin), \(target), \(body), extract(epoch FROM clock_timestamp())) RETURNING id)
                SELECT pg_notify(\(Self.channel(mail.kind)), (SELECT id FROM sent)::text)
                """, logger: logger)
        }
    }

    public func mail() -> AsyncStream<DeskMail> {
        let cursor = MailCursor()
        return keepListening("mail of other nodes") { connection, continuation in
            // Listen on every kind's channel first, so nothing sent after the catch-up read
            // below goes unnoticed.
            let kinds = DeskMail.Kind.allCases.filter { $0 != .resync }.map(Self.channel)
            try await Self.listen(connection, on: kinds[...]) { channels in
                // At the start: mail from now on. After a lost connection: what came meanwhile.
                try await self.readMail(cursor, into: continuation)
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
        }
    }

    /// Listens on every channel of `channels` (each `UNLISTEN`ed when `body` ends) and runs `body`
    /// with their notifications.
    private static func listen(
        _ connection: PostgresConnection, on channels: ArraySlice<String>, listening: [PostgresNotificationSequence] = [],
        _ body: @escaping @Sendable ([PostgresNotificationSequence]) async throws -> Void
    ) async throws {
        guard let channel = channels.first else { return try await body(listening) }
        try await connection.listen(on: channel) { notifications in
            try await listen(connection, on: channels.dropFirst(), listening: listening + [notifications], body)
        }
    }

    /// Delivers the mail for this node not yet delivered, read with the database's clock in
    /// one round trip; the first read only sets where the next ones start.
    private func readMail(_ cursor: MailCursor, into continuation: AsyncStream<DeskMail>.Continuation) async throws {
        let since = cursor.withLock { $0.since }
        // With no start yet, a window in the future: no rows, only the clock.
        let from = since.map { $0 - Self.mailSlack } ?? .greatestFiniteMagnitude
        let found = try await rows(
            "reading mail of other nodes",
            """
            SELECT clock.now, m.id, m.body
            FROM (SELECT extract(epoch FROM clock_timestamp())::double precision AS now) AS clock
            LEFT JOIN desk_mail m ON m.created_at >= \(from) AND (m.target = \(node) OR (m.target IS NULL AND m.origin <> \(node)))
            ORDER BY m.id
            """
        ) { row in (try row["now"].decode(Double.self), try row["id"].decode(Int64?.self), try row["body"].decode(String?.self)) }
        guard let started = found.first?.0 else { return }
        let fresh = cursor.withLock { cursor in
            let fresh = found.compactMap { row in row.1.flatMap { id in cursor.seen[id] == nil ? (id, row.2 ?? "") : nil } }
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
