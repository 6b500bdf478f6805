import Foundation

/// Durable storage of conversations. The SQLite implementation lives in `BakenStore`;
/// ``MemoryStore`` serves tests.
public protocol ConversationStore: Sendable {
    /// Writes a batch in one transaction: all of it is stored, or none.
    func commit(_ writes: [StoreWrite]) async throws
    /// The conversation whose session token hashes to `sessionHash`.
    func conversation(sessionHash: String) async throws -> ConversationRecord?
    /// The conversation with `id`.
    func conversation(id: String) async throws -> ConversationRecord?
    /// Messages of a conversation with `seq > after`, in seq order.
    func messages(conversation: String, after: Int) async throws -> [MessageRecord]
    /// Client id → seq of every resident message of a conversation (for idempotent retries).
    func clientIDs(conversation: String) async throws -> [String: Int]
    /// Conversations not closed, for the idle sweep and the staff queue after a restart.
    func openConversations() async throws -> [ConversationRecord]
    /// The curators' inbox, newest first.
    func unanswered(limit: Int) async throws -> [UnansweredRecord]
    /// Every staff member, revoked ones included.
    func staffMembers() async throws -> [StaffRecord]
    /// Call-back requests, oldest first.
    func tickets() async throws -> [TicketRecord]
    /// A referral by id.
    func referral(id: String) async throws -> ReferralRecord?
    /// Referrals, newest first, optionally of one status.
    func referrals(status: ReferralRecord.Status?) async throws -> [ReferralRecord]
    /// Takes up to `limit` pending events due at `now` (oldest first) for delivery by this node:
    /// their next attempt moves to `until`, so no other node (sharing the database) takes them
    /// while this one delivers, and they come due again if this node dies before recording the
    /// attempt. Two concurrent calls never return the same event before `until`.
    func claimDueEvents(_ filter: OutboxFilter, now: Date, until: Date, limit: Int) async throws -> [OutboxRecord]
    /// The events of a referral.
    func events(referral: String) async throws -> [OutboxRecord]
    /// The delivery attempts of an event, in order.
    func attempts(event: String) async throws -> [DeliveryAttemptRecord]
    /// Makes this node the owner of a conversation before it is loaded to be resumed here:
    /// from then on only this node's commits of it succeed, and the node that had it is told
    /// (``TakeoverNotifying``). A store of one node has nothing to do.
    func takeOver(conversation: String) async throws
}

extension ConversationStore {
    /// One node: it owns every conversation.
    public func takeOver(conversation: String) async throws {}
}

/// What a store shared by several nodes tells a node about conversations it held.
public enum TakeoverEvent: Sendable, Hashable {
    /// Another node took this conversation over (a resident resumed there).
    case takenOver(String)
    /// Notifications may have been missed (the listening connection was lost): check which
    /// live conversations are still this node's.
    case resync
}

/// A store shared by several nodes (PostgreSQL), which tells each node when another took
/// over one of its conversations.
public protocol TakeoverNotifying: Sendable {
    /// The events, as they happen, until the store closes.
    func takeovers() -> AsyncStream<TakeoverEvent>
    /// Of `conversations`, those this node no longer owns.
    func notOwned(among conversations: [String]) async throws -> [String]
}

/// Which due webhook events a worker asks for.
public enum OutboxFilter: Sendable, Hashable {
    /// The events of one partner.
    case partner(String)
    /// The events of every partner not in the set (those with no endpoint configured).
    case otherThan(Set<String>)

    /// Whether an event of `partner` passes.
    public func admits(_ partner: String) -> Bool {
        switch self {
        case .partner(let name): partner == name
        case .otherThan(let names): !names.contains(partner)
        }
    }
}

/// An error of a store that cannot reach its database at all (PostgreSQL down, the network
/// gone), as opposed to a batch it refuses. The commit queue then fails the whole group at once
/// instead of retrying it batch by batch, which would only make every resident wait longer.
public protocol StoreUnreachable: Error {}
