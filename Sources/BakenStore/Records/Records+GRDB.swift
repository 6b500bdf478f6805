import BakenDesk
import Foundation
import GRDB

// The other tables, read and written straight from the desk's records (no copy types). Dates
// are REAL seconds since 1970; arrays and objects are JSON text, as GRDB's Codable support
// wrote them before, so existing databases read the same.

/// JSON text of a value, keys sorted (``StoredJSON``).
private func jsonText(_ value: some Encodable) throws -> String { try StoredJSON.text(value) }

private func fromJSON<T: Decodable>(_ type: T.Type, _ text: String) throws -> T { try StoredJSON.value(type, text) }

/// A value that is not one the record allows, named with its column.
struct UnknownValue: Error, CustomStringConvertible {
    let column: String
    let value: String
    var description: String { "unknown value '\(value)' in column \(column)" }
}

private func decoded<T: RawRepresentable>(_ type: T.Type, _ row: Row, _ column: String) throws -> T where T.RawValue == String {
    let raw: String = row[column]
    guard let value = T(rawValue: raw) else { throw UnknownValue(column: column, value: raw) }
    return value
}

extension ReferralRecord: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "referral"

    public init(row: Row) throws {
        self.init(
            id: row["id"], conversation: row["conversation_id"], partner: row["partner"], status: try decoded(Status.self, row, "status"),
            fields: try fromJSON([String: String].self, row["fields"]), requestedBy: row["requested_by"],
            createdAt: Date(timeIntervalSince1970: row["created_at"]), updatedAt: Date(timeIntervalSince1970: row["updated_at"]))
    }

    public func encode(to container: inout PersistenceContainer) throws {
        container["id"] = id
        container["conversation_id"] = conversation
        container["partner"] = partner
        container["status"] = status.rawValue
        container["fields"] = try jsonText(fields)
        container["requested_by"] = requestedBy
        container["created_at"] = createdAt.timeIntervalSince1970
        container["updated_at"] = updatedAt.timeIntervalSince1970
    }
}

extension OutboxRecord: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "outbox"

    public init(row: Row) throws {
        self.init(
            id: row["id"], referral: row["referral_id"], partner: row["partner"], payload: row["payload"], status: try decoded(Status.self, row, "status"),
            attempts: row["attempts"], nextAttemptAt: Date(timeIntervalSince1970: row["next_attempt_at"]), lastError: row["last_error"],
            createdAt: Date(timeIntervalSince1970: row["created_at"]))
    }

    public func encode(to container: inout PersistenceContainer) throws {
        container["id"] = id
        container["referral_id"] = referral
        container["partner"] = partner
        container["payload"] = payload
        container["status"] = status.rawValue
        container["attempts"] = attempts
        container["next_attempt_at"] = nextAttemptAt.timeIntervalSince1970
        container["last_error"] = lastError
        container["created_at"] = createdAt.timeIntervalSince1970
    }
}

extension DeliveryAttemptRecord: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "delivery_attempt"

    public init(row: Row) throws {
        self.init(
            event: row["event_id"], attempt: row["attempt"], statusCode: row["status_code"], latencyMilliseconds: row["latency_ms"], error: row["error"],
            at: Date(timeIntervalSince1970: row["at"]))
    }

    /// `id` is the table's own row number: not written.
    public func encode(to container: inout PersistenceContainer) throws {
        container["event_id"] = event
        container["attempt"] = attempt
        container["status_code"] = statusCode
        container["latency_ms"] = latencyMilliseconds
        container["error"] = error
        container["at"] = at.timeIntervalSince1970
    }
}

extension StaffRecord: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "staff"

    public init(row: Row) throws {
        self.init(
            name: row["name"], role: try decoded(Role.self, row, "role"), locations: try fromJSON([String].self, row["locations"]),
            tokenHash: row["token_hash"], revoked: row["revoked"], createdAt: Date(timeIntervalSince1970: row["created_at"]))
    }

    public func encode(to container: inout PersistenceContainer) throws {
        container["name"] = name
        container["role"] = role.rawValue
        container["locations"] = try jsonText(locations)
        container["token_hash"] = tokenHash
        container["revoked"] = revoked
        container["created_at"] = createdAt.timeIntervalSince1970
    }
}

extension TicketRecord: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "ticket"

    public init(row: Row) throws {
        self.init(
            conversation: row["conversation_id"], name: row["name"], contact: row["contact"], location: row["location"], topic: row["topic"],
            status: row["status"], createdAt: Date(timeIntervalSince1970: row["created_at"]))
        id = row["id"]
    }

    public func encode(to container: inout PersistenceContainer) throws {
        container["id"] = id
        container["conversation_id"] = conversation
        container["name"] = name
        container["contact"] = contact
        container["location"] = location
        container["topic"] = topic
        container["status"] = status
        container["created_at"] = createdAt.timeIntervalSince1970
    }
}

extension UnansweredRecord: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "unanswered"

    public init(row: Row) throws {
        self.init(
            conversation: row["conversation_id"], seq: row["seq"], text: row["text"], reason: try decoded(Reason.self, row, "reason"),
            candidates: row["candidates"], createdAt: Date(timeIntervalSince1970: row["created_at"]))
    }

    /// `status` keeps its column default (`open`).
    public func encode(to container: inout PersistenceContainer) throws {
        container["conversation_id"] = conversation
        container["seq"] = seq
        container["text"] = text
        container["reason"] = reason.rawValue
        container["candidates"] = candidates
        container["created_at"] = createdAt.timeIntervalSince1970
    }
}

extension FeedbackRecord: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "feedback"

    public init(row: Row) throws {
        self.init(conversation: row["conversation_id"], seq: row["seq"], helpful: row["helpful"], createdAt: Date(timeIntervalSince1970: row["created_at"]))
    }

    public func encode(to container: inout PersistenceContainer) throws {
        container["conversation_id"] = conversation
        container["seq"] = seq
        container["helpful"] = helpful
        container["created_at"] = createdAt.timeIntervalSince1970
    }
}
