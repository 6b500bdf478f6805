import BakenDesk
import Foundation
import GRDB

/// A row of the `staff` table; `locations` is a JSON array.
struct StaffRow: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "staff"

    var name: String
    var role: StaffRecord.Role
    var locations: [String]
    var tokenHash: String
    var revoked: Bool
    var createdAt: Date

    enum CodingKeys: String, CodingKey {
        case name, role, locations
        case tokenHash = "token_hash"
        case revoked
        case createdAt = "created_at"
    }

    static func databaseDateEncodingStrategy(for column: String) -> DatabaseDateEncodingStrategy { .timeIntervalSince1970 }
    static func databaseDateDecodingStrategy(for column: String) -> DatabaseDateDecodingStrategy { .timeIntervalSince1970 }

    init(_ record: StaffRecord) {
        name = record.name
        role = record.role
        locations = record.locations
        tokenHash = record.tokenHash
        revoked = record.revoked
        createdAt = record.createdAt
    }

    var record: StaffRecord {
        StaffRecord(name: name, role: role, locations: locations, tokenHash: tokenHash, revoked: revoked, createdAt: createdAt)
    }
}

/// A row of the `ticket` table (call-back requests).
struct TicketRow: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "ticket"

    var id: Int64?
    var conversationID: String
    var name: String
    var contact: String
    var location: String?
    var topic: String
    var status: String
    var createdAt: Date

    enum CodingKeys: String, CodingKey {
        case id
        case conversationID = "conversation_id"
        case name, contact, location, topic, status
        case createdAt = "created_at"
    }

    static func databaseDateEncodingStrategy(for column: String) -> DatabaseDateEncodingStrategy { .timeIntervalSince1970 }
    static func databaseDateDecodingStrategy(for column: String) -> DatabaseDateDecodingStrategy { .timeIntervalSince1970 }

    init(_ record: TicketRecord) {
        id = nil
        conversationID = record.conversation
        name = record.name
        contact = record.contact
        location = record.location
        topic = record.topic
        status = record.status
        createdAt = record.createdAt
    }

    var record: TicketRecord {
        TicketRecord(conversation: conversationID, name: name, contact: contact, location: location, topic: topic, status: status, createdAt: createdAt)
    }
}
