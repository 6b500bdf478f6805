import BakenDesk
import BakenEngine
import Foundation
import GRDB

/// The `conversation` table, read and written straight from ``ConversationRecord`` (no copy
/// type). Written on every turn, so encoding is explicit: no `Encoder` machinery per message;
/// the offered option ids are written by the protocol's ``JSONWriter``.
extension ConversationRecord: FetchableRecord, PersistableRecord {
    public static let databaseTableName = "conversation"

    /// Columns used in queries.
    public enum Columns {
        public static let id = Column("id")
        public static let sessionHash = Column("session_hash")
        public static let phase = Column("phase")
        public static let createdAt = Column("created_at")
    }

    public init(row: Row) throws {
        let language = Language(rawValue: row["language"]) ?? .nl
        self.init(id: row["id"], sessionHash: row["session_hash"], language: language, location: row["location"], now: Date(timeIntervalSince1970: row["created_at"]))
        phase = Phase(rawValue: row["phase"]) ?? .closed
        outcome = (row["outcome"] as String?).flatMap(Outcome.init(rawValue:))
        lastSeq = row["last_seq"]
        misses = row["misses"]
        lastIntent = row["last_intent"]
        offered = Self.strings(fromJSON: row["offered"])
        answered = row["answered"]
        handedOff = row["handed_off"]
        referred = row["referred"]
        updatedAt = Date(timeIntervalSince1970: row["updated_at"])
        queuedAt = (row["queued_at"] as Double?).map(Date.init(timeIntervalSince1970:))
        staff = row["staff"]
        firstAnswered = row["first_answered"]
        waitedSeconds = row["waited_seconds"]
        leftQueue = row["left_queue"] ?? false
        fallbackGiven = row["fallback_given"] ?? false
    }

    public func encode(to container: inout PersistenceContainer) throws {
        container["id"] = id
        container["session_hash"] = sessionHash
        container["language"] = language.rawValue
        container["location"] = location
        container["phase"] = phase.rawValue
        container["outcome"] = outcome?.rawValue
        container["last_seq"] = lastSeq
        container["misses"] = misses
        container["last_intent"] = lastIntent
        container["offered"] = JSONWriter.array(offered)
        container["answered"] = answered
        container["handed_off"] = handedOff
        container["referred"] = referred
        container["created_at"] = createdAt.timeIntervalSince1970
        container["updated_at"] = updatedAt.timeIntervalSince1970
        container["queued_at"] = queuedAt?.timeIntervalSince1970
        container["staff"] = staff
        container["first_answered"] = firstAnswered
        container["waited_seconds"] = waitedSeconds
        container["left_queue"] = leftQueue
        container["fallback_given"] = fallbackGiven
    }

    static func strings(fromJSON text: String?) -> [String] { StoredJSON.strings(text) }
}
