import Foundation

/// A staff member or volunteer; only the SHA-256 of their token is stored.
public struct StaffRecord: Sendable, Hashable, Codable {
    /// What they may do: `staff` and `volunteer` take chats; `coordinator` also sees the
    /// figures of their locations on `/insight`; `admin` sees everything; `curator` edits the
    /// knowledge base and takes no chats.
    public enum Role: String, Sendable, Hashable, Codable, CaseIterable {
        case staff, volunteer, curator, coordinator, admin

        /// Whether the role may open `/insight`.
        public var seesInsight: Bool { self == .coordinator || self == .admin }
    }

    /// Unique; shown to residents (first name or display name).
    public var name: String
    public var role: Role
    /// Location ids whose conversations they see; empty means all.
    public var locations: [String]
    /// SHA-256 of the token, hex.
    public var tokenHash: String
    public var revoked: Bool
    public var createdAt: Date

    public init(name: String, role: Role, locations: [String], tokenHash: String, revoked: Bool = false, createdAt: Date) {
        self.name = name
        self.role = role
        self.locations = locations
        self.tokenHash = tokenHash
        self.revoked = revoked
        self.createdAt = createdAt
    }
}
