import Foundation

/// How the nodes sharing one database (PostgreSQL) reach each other's staff and residents.
///
/// A conversation lives on the node that owns it (its resident's connection is there), and
/// only that node writes it. Staff may be signed in on any node, so:
///
/// - a staff command about a conversation another node owns is sent to that node as a
///   ``DeskMail/Kind/command`` and carried out there; what it answers comes back as
///   ``DeskMail/Kind/reply`` to the console's connection;
/// - what a resident says to a person, and a hand-over to a person elsewhere, goes to every
///   node as ``DeskMail/Kind/staff`` (each delivers it to that person's consoles);
/// - a change in the queue, in who is present, or in the call-back requests is announced, and
///   each node reads the state again from the database.
///
/// Mail is rows in the database, announced with `NOTIFY`: after a lost connection a node reads
/// what it missed (``mail()`` yields ``DeskMail/Kind/resync`` first).
public protocol DeskBus: Sendable {
    /// This node's name.
    var node: String { get }
    /// Sends mail; it is delivered once to its target node (or to every other node) in the
    /// order this node sent it.
    func post(_ mail: DeskMail) async throws
    /// Mail for this node as it arrives, until the store closes; a `resync` whenever mail may
    /// have been missed (at the start and after the listening connection was lost).
    func mail() -> AsyncStream<DeskMail>
    /// Records who is signed in on this node (also this node's heartbeat).
    func publishPresence(_ staff: [PresentStaff]) async throws
    /// The nodes (this one included) that sent a heartbeat in the last `seconds` (by the
    /// database's clock), with who is signed in on each.
    func presence(within seconds: TimeInterval) async throws -> [String: [PresentStaff]]
    /// Conversations waiting for or held by a person that this node does not own.
    func waitingElsewhere() async throws -> [WaitingConversation]
    /// The node that owns a conversation, if any node does.
    func owner(of conversation: String) async throws -> String?
    /// Makes this node the owner of a conversation of `owner`, a node that went silent; false
    /// when another node was faster (exactly one node adopts it).
    func adopt(_ conversation: String, from owner: String) async throws -> Bool
}

/// One piece of mail between nodes.
public struct DeskMail: Sendable, Codable, Hashable {
    public enum Kind: String, Sendable, Codable, CaseIterable {
        /// A staff command (`line`, as the console sent it) of `staff` on `origin`'s connection `connection`.
        case command
        /// A line for the console connection `connection` on the target node.
        case reply
        /// A line for every console of `staff`, wherever they are signed in.
        case staff
        /// The queue changed: read it again.
        case queue
        /// Who is present changed: read it again.
        case presence
        /// A call-back request came in or was handled.
        case tickets
        /// The delivery worker of `origin` finished with `referral` (status in `line`): the
        /// owner of its conversation tells the resident.
        case referral
        /// Mail may have been missed (never sent between nodes): read every shared state again.
        case resync
    }

    public var kind: Kind
    /// The node that sent it.
    public var origin: String
    /// The node it is for; nil: every node but the origin.
    public var target: String?
    public var connection: Int?
    public var staff: String?
    public var line: String?
    public var referral: String?

    public init(
        kind: Kind, origin: String, target: String? = nil, connection: Int? = nil, staff: String? = nil, line: String? = nil, referral: String? = nil
    ) {
        self.referral = referral
        self.kind = kind
        self.origin = origin
        self.target = target
        self.connection = connection
        self.staff = staff
        self.line = line
    }
}

/// A staff member signed in on some node.
public struct PresentStaff: Sendable, Codable, Hashable {
    public var node: String
    public var name: String
    public var role: StaffRecord.Role
    public var locations: [String]
    public var available: Bool
    /// The console's connection id on its node (one entry per open console).
    public var connection: Int?

    public init(node: String, name: String, role: StaffRecord.Role, locations: [String], available: Bool, connection: Int? = nil) {
        self.connection = connection
        self.node = node
        self.name = name
        self.role = role
        self.locations = locations
        self.available = available
    }

    /// As an account, for the visibility rules (no token).
    var member: StaffRecord { StaffRecord(name: name, role: role, locations: locations, tokenHash: "", createdAt: .distantPast) }
}

/// A conversation queued or with staff on another node, as the queue shows it.
public struct WaitingConversation: Sendable, Hashable {
    public var record: ConversationRecord
    /// The resident's last message (masked, as stored).
    public var lastMessage: String
    public var owner: String?

    public init(record: ConversationRecord, lastMessage: String, owner: String?) {
        self.record = record
        self.lastMessage = lastMessage
        self.owner = owner
    }
}
