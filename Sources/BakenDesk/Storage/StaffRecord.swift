import Foundation

/// A staff member or volunteer; only the SHA-256 of their token is stored.
public struct StaffRecord: Sendable, Hashable, Codable {
    /// What they may do.
    public enum Role: String, Sendable, Hashable, Codable, CaseIterable {
        case staff, volunteer, curator
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
