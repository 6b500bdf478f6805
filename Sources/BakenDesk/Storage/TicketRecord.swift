import Foundation

/// A call-back request a resident left when nobody could take the chat.
public struct TicketRecord: Sendable, Hashable, Codable {
    /// Given by the store when the request is first written (nil before).
    public var id: Int64? = nil
    public var conversation: String
    /// The resident's name, as given.
    public var name: String
    /// Phone number or e-mail address, as given.
    public var contact: String
    public var location: String?
    /// The masked question, for context.
    public var topic: String
    /// `open` until a staff member marks it `handled` (they called or mailed the resident back).
    public var status: String
    public var createdAt: Date

    public init(conversation: String, name: String, contact: String, location: String?, topic: String, status: String = "open", createdAt: Date) {
        self.conversation = conversation
        self.name = name
        self.contact = contact
        self.location = location
        self.topic = topic
        self.status = status
        self.createdAt = createdAt
    }
}
