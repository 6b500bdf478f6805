import BakenDesk
import BakenEngine
import Foundation
import PostgresNIO

// The records, written and read straight from the desk's types (no copy types), in the same
// columns and forms as the SQLite store (dates as seconds since 1970, arrays and objects as
// ``StoredJSON`` text).

/// A value that is not one the record allows, named with its column.
struct UnknownValue: Error, CustomStringConvertible {
    let column: String
    let value: String
    var description: String { "unknown value '\(value)' in column \(column)" }
}

extension PostgresRandomAccessRow {
    func value<T: PostgresDecodable>(_ column: String, as type: T.Type = T.self) throws -> T { try self[column].decode(T.self) }
    func date(_ column: String) throws -> Date { Date(timeIntervalSince1970: try value(column, as: Double.self)) }
    func optionalDate(_ column: String) throws -> Date? { try value(column, as: Double?.self).map(Date.init(timeIntervalSince1970:)) }
    func raw<T: RawRepresentable>(_ column: String, as type: T.Type) throws -> T where T.RawValue == String {
        let raw: String = try value(column)
        guard let result = T(rawValue: raw) else { throw UnknownValue(column: column, value: raw) }
        return result
    }
}

extension PostgresStore {
    /// PostgreSQL takes at most 65,535 parameters in one statement.
    static let rowsPerStatement = 1_000

    /// `rows` in pieces of at most ``rowsPerStatement``.
    static func chunks<Row>(_ rows: [Row]) -> [ArraySlice<Row>] {
        stride(from: 0, to: rows.count, by: rowsPerStatement).map { rows[$0..<min($0 + rowsPerStatement, rows.count)] }
    }

    /// One `INSERT … VALUES (…), (…) …` for many rows: a group commit of many turns costs a few
    /// round trips instead of one per write. `fill` appends one row's values, `columns` of them.
    static func multiRow<Row>(_ head: String, columns: Int, _ rows: some Collection<Row>, tail: String = "", fill: (Row, inout PostgresBindings) -> Void)
        -> PostgresQuery
    {
        var binds = PostgresBindings(capacity: rows.count * columns)
        var sql = head + " VALUES "
        var parameter = 0
        for (index, row) in rows.enumerated() {
            fill(row, &binds)
            sql += index == 0 ? "(" : ", ("
            for column in 0..<columns {
                parameter += 1
                sql += (column == 0 ? "$" : ", $") + String(parameter)
            }
            sql += ")"
        }
        return PostgresQuery(unsafeSQL: sql + " " + tail, binds: binds)
    }

    /// Conversations, inserted or updated in place (at most one record per id).
    static func conversations(_ records: some Collection<ConversationRecord>) -> PostgresQuery {
        multiRow(
            """
            INSERT INTO conversation (id, session_hash, language, location, phase, outcome, last_seq, misses, last_intent, offered,
                answered, handed_off, referred, created_at, updated_at, queued_at, staff, first_answered, waited_seconds, left_queue,
                fallback_given)
            """, columns: 21, records,
            tail: """
                ON CONFLICT (id) DO UPDATE SET session_hash = EXCLUDED.session_hash, language = EXCLUDED.language,
                    location = EXCLUDED.location, phase = EXCLUDED.phase, outcome = EXCLUDED.outcome, last_seq = EXCLUDED.last_seq,
                    misses = EXCLUDED.misses, last_intent = EXCLUDED.last_intent, offered = EXCLUDED.offered, answered = EXCLUDED.answered,
                    handed_off = EXCLUDED.handed_off, referred = EXCLUDED.referred, created_at = EXCLUDED.created_at,
                    updated_at = EXCLUDED.updated_at, queued_at = EXCLUDED.queued_at, staff = EXCLUDED.staff,
                    first_answered = EXCLUDED.first_answered, waited_seconds = EXCLUDED.waited_seconds, left_queue = EXCLUDED.left_queue,
                    fallback_given = EXCLUDED.fallback_given
                """
        ) { r, b in
            b.append(r.id)
            b.append(r.sessionHash)
            b.append(r.language.rawValue)
            b.append(r.location)
            b.append(r.phase.rawValue)
            b.append(r.outcome?.rawValue)
            b.append(r.lastSeq)
            b.append(r.misses)
            b.append(r.lastIntent)
            b.append(JSONWriter.array(r.offered))
            b.append(r.answered)
            b.append(r.handedOff)
            b.append(r.referred)
            b.append(r.createdAt.timeIntervalSince1970)
            b.append(r.updatedAt.timeIntervalSince1970)
            b.append(r.queuedAt?.timeIntervalSince1970)
            b.append(r.staff)
            b.append(r.firstAnswered)
            b.append(r.waitedSeconds)
            b.append(r.leftQueue)
            b.append(r.fallbackGiven)
        }
    }

    /// New messages (a seq given twice fails the statement, and with it the batch).
    static func messages(_ records: some Collection<MessageRecord>) -> PostgresQuery {
        multiRow("INSERT INTO message (conversation_id, seq, type, role, text, client_id, payload, created_at)", columns: 8, records) { r, b in
            b.append(r.conversation)
            b.append(r.seq)
            b.append(r.type)
            b.append(r.role.rawValue)
            b.append(r.text)
            b.append(r.clientID)
            b.append(r.payload)
            b.append(r.createdAt.timeIntervalSince1970)
        }
    }

    /// The statement of one write of a batch.
    static func statement(_ write: StoreWrite) throws -> PostgresQuery {
        switch write {
        case .conversation(let r):
            return conversations([r])
        case .message(let r):
            return messages([r])
        case .unanswered(let r):
            return """
                INSERT INTO unanswered (conversation_id, seq, text, reason, candidates, created_at)
                VALUES (\(r.conversation), \(r.seq), \(r.text), \(r.reason.rawValue), \(r.candidates), \(r.createdAt.timeIntervalSince1970))
                """
        case .feedback(let r):
            return """
                INSERT INTO feedback (conversation_id, seq, helpful, created_at)
                VALUES (\(r.conversation), \(r.seq), \(r.helpful), \(r.createdAt.timeIntervalSince1970))
                ON CONFLICT (conversation_id, seq) DO UPDATE SET helpful = EXCLUDED.helpful, created_at = EXCLUDED.created_at
                """
        case .staff(let r):
            return """
                INSERT INTO staff (name, role, locations, token_hash, revoked, created_at)
                VALUES (\(r.name), \(r.role.rawValue), \(try StoredJSON.text(r.locations)), \(r.tokenHash), \(r.revoked),
                    \(r.createdAt.timeIntervalSince1970))
                ON CONFLICT (name) DO UPDATE SET role = EXCLUDED.role, locations = EXCLUDED.locations, token_hash = EXCLUDED.token_hash,
                    revoked = EXCLUDED.revoked, created_at = EXCLUDED.created_at
                """
        case .ticket(let r):
            // A new request (no id yet), or one marked handled.
            guard let id = r.id else {
                return """
                    INSERT INTO ticket (conversation_id, name, contact, location, topic, status, created_at)
                    VALUES (\(r.conversation), \(r.name), \(r.contact), \(r.location), \(r.topic), \(r.status), \(r.createdAt.timeIntervalSince1970))
                    """
            }
            return """
                INSERT INTO ticket (id, conversation_id, name, contact, location, topic, status, created_at)
                VALUES (\(id), \(r.conversation), \(r.name), \(r.contact), \(r.location), \(r.topic), \(r.status), \(r.createdAt.timeIntervalSince1970))
                ON CONFLICT (id) DO UPDATE SET conversation_id = EXCLUDED.conversation_id, name = EXCLUDED.name, contact = EXCLUDED.contact,
                    location = EXCLUDED.location, topic = EXCLUDED.topic, status = EXCLUDED.status, created_at = EXCLUDED.created_at
                """
        case .referral(let r):
            return """
                INSERT INTO referral (id, conversation_id, partner, status, fields, requested_by, created_at, updated_at)
                VALUES (\(r.id), \(r.conversation), \(r.partner), \(r.status.rawValue), \(try StoredJSON.text(r.fields)), \(r.requestedBy),
                    \(r.createdAt.timeIntervalSince1970), \(r.updatedAt.timeIntervalSince1970))
                ON CONFLICT (id) DO UPDATE SET conversation_id = EXCLUDED.conversation_id, partner = EXCLUDED.partner,
                    status = EXCLUDED.status, fields = EXCLUDED.fields, requested_by = EXCLUDED.requested_by,
                    created_at = EXCLUDED.created_at, updated_at = EXCLUDED.updated_at
                """
        case .outbox(let r):
            return """
                INSERT INTO outbox (id, referral_id, partner, payload, status, attempts, next_attempt_at, last_error, created_at)
                VALUES (\(r.id), \(r.referral), \(r.partner), \(r.payload), \(r.status.rawValue), \(r.attempts),
                    \(r.nextAttemptAt.timeIntervalSince1970), \(r.lastError), \(r.createdAt.timeIntervalSince1970))
                ON CONFLICT (id) DO UPDATE SET referral_id = EXCLUDED.referral_id, partner = EXCLUDED.partner, payload = EXCLUDED.payload,
                    status = EXCLUDED.status, attempts = EXCLUDED.attempts, next_attempt_at = EXCLUDED.next_attempt_at,
                    last_error = EXCLUDED.last_error, created_at = EXCLUDED.created_at
                """
        case .attempt(let r):
            return """
                INSERT INTO delivery_attempt (event_id, attempt, status_code, latency_ms, error, at)
                VALUES (\(r.event), \(r.attempt), \(r.statusCode), \(r.latencyMilliseconds), \(r.error), \(r.at.timeIntervalSince1970))
                """
        }
    }

    static func conversation(_ row: PostgresRandomAccessRow) throws -> ConversationRecord {
        var record = ConversationRecord(
            id: try row.value("id"), sessionHash: try row.value("session_hash"),
            language: Language(rawValue: try row.value("language")) ?? .nl, location: try row.value("location"),
            now: try row.date("created_at"))
        record.phase = Phase(rawValue: try row.value("phase")) ?? .closed
        record.outcome = try row.value("outcome", as: String?.self).flatMap(Outcome.init(rawValue:))
        record.lastSeq = try row.value("last_seq")
        record.misses = try row.value("misses")
        record.lastIntent = try row.value("last_intent")
        record.offered = StoredJSON.strings(try row.value("offered"))
        record.answered = try row.value("answered")
        record.handedOff = try row.value("handed_off")
        record.referred = try row.value("referred")
        record.updatedAt = try row.date("updated_at")
        record.queuedAt = try row.optionalDate("queued_at")
        record.staff = try row.value("staff")
        record.firstAnswered = try row.value("first_answered")
        record.waitedSeconds = try row.value("waited_seconds")
        record.leftQueue = try row.value("left_queue")
        record.fallbackGiven = try row.value("fallback_given")
        return record
    }

    static func message(_ row: PostgresRandomAccessRow) throws -> MessageRecord {
        MessageRecord(
            conversation: try row.value("conversation_id"), seq: try row.value("seq"), type: try row.value("type"),
            role: Role(rawValue: try row.value("role")) ?? .system, text: try row.value("text"), clientID: try row.value("client_id"),
            payload: try row.value("payload"), createdAt: try row.date("created_at"))
    }

    static func unanswered(_ row: PostgresRandomAccessRow) throws -> UnansweredRecord {
        UnansweredRecord(
            conversation: try row.value("conversation_id"), seq: try row.value("seq"), text: try row.value("text"),
            reason: try row.raw("reason", as: UnansweredRecord.Reason.self), candidates: try row.value("candidates"),
            createdAt: try row.date("created_at"))
    }

    static func staff(_ row: PostgresRandomAccessRow) throws -> StaffRecord {
        StaffRecord(
            name: try row.value("name"), role: try row.raw("role", as: StaffRecord.Role.self),
            locations: try StoredJSON.value([String].self, try row.value("locations")), tokenHash: try row.value("token_hash"),
            revoked: try row.value("revoked"), createdAt: try row.date("created_at"))
    }

    static func ticket(_ row: PostgresRandomAccessRow) throws -> TicketRecord {
        var record = TicketRecord(
            conversation: try row.value("conversation_id"), name: try row.value("name"), contact: try row.value("contact"),
            location: try row.value("location"), topic: try row.value("topic"), status: try row.value("status"),
            createdAt: try row.date("created_at"))
        record.id = try row.value("id", as: Int64.self)
        return record
    }

    static func referral(_ row: PostgresRandomAccessRow) throws -> ReferralRecord {
        ReferralRecord(
            id: try row.value("id"), conversation: try row.value("conversation_id"), partner: try row.value("partner"),
            status: try row.raw("status", as: ReferralRecord.Status.self), fields: try StoredJSON.value([String: String].self, try row.value("fields")),
            requestedBy: try row.value("requested_by"), createdAt: try row.date("created_at"), updatedAt: try row.date("updated_at"))
    }

    static func outbox(_ row: PostgresRandomAccessRow) throws -> OutboxRecord {
        OutboxRecord(
            id: try row.value("id"), referral: try row.value("referral_id"), partner: try row.value("partner"), payload: try row.value("payload"),
            status: try row.raw("status", as: OutboxRecord.Status.self), attempts: try row.value("attempts"),
            nextAttemptAt: try row.date("next_attempt_at"), lastError: try row.value("last_error"), createdAt: try row.date("created_at"))
    }

    static func attempt(_ row: PostgresRandomAccessRow) throws -> DeliveryAttemptRecord {
        DeliveryAttemptRecord(
            event: try row.value("event_id"), attempt: try row.value("attempt"), statusCode: try row.value("status_code"),
            latencyMilliseconds: try row.value("latency_ms"), error: try row.value("error"), at: try row.date("at"))
    }
}
