import Foundation
import Synchronization

/// An in-memory ``ConversationStore`` for tests.
public final class MemoryStore: ConversationStore, ReportingStore {
    private struct State {
        var conversations: [String: ConversationRecord] = [:]
        var messages: [String: [MessageRecord]] = [:]
        var unanswered: [UnansweredRecord] = []
        var feedback: [FeedbackRecord] = []
        var staff: [String: StaffRecord] = [:]
        var tickets: [TicketRecord] = []
        var referrals: [String: ReferralRecord] = [:]
        var outbox: [String: OutboxRecord] = [:]
        var attempts: [DeliveryAttemptRecord] = []
        var commits = 0
    }

    private let state = Mutex(State())

    /// Creates an empty store.
    public init() {}

    public func conversations(from: Date, to: Date) async throws -> (conversations: [ConversationRecord], referrals: [ReferralRecord]) {
        state.withLock { state in
            let conversations = state.conversations.values.filter { $0.createdAt >= from && $0.createdAt < to }.sorted { $0.createdAt < $1.createdAt }
            let ids = Set(conversations.map(\.id))
            return (conversations, state.referrals.values.filter { ids.contains($0.conversation) }.sorted { $0.id < $1.id })
        }
    }

    public func feedback(from: Date, to: Date) async throws -> [Report.Feedback] {
        state.withLock { state in
            state.feedback.compactMap { answer -> Report.Feedback? in
                guard let conversation = state.conversations[answer.conversation], conversation.createdAt >= from, conversation.createdAt < to
                else { return nil }
                let payload = state.messages[answer.conversation]?.first { $0.seq == answer.seq }?.payload
                let intent = payload.flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }?["intent"] as? String
                return Report.Feedback(conversation: answer.conversation, topic: intent ?? conversation.lastIntent, helpful: answer.helpful)
            }
        }
    }

    /// How many batches were committed.
    public var commitCount: Int { state.withLock { $0.commits } }

    public func commit(_ writes: [StoreWrite]) async throws {
        state.withLock { state in
            state.commits += 1
            for write in writes {
                switch write {
                case .conversation(let record): state.conversations[record.id] = record
                case .message(let record): state.messages[record.conversation, default: []].append(record)
                case .unanswered(let record): state.unanswered.append(record)
                case .feedback(let record):
                    // One answer per reply, the latest (as the SQLite store does).
                    state.feedback.removeAll { $0.conversation == record.conversation && $0.seq == record.seq }
                    state.feedback.append(record)
                case .staff(let record): state.staff[record.name] = record
                case .ticket(var record):
                    if let id = record.id, let index = state.tickets.firstIndex(where: { $0.id == id }) {
                        state.tickets[index] = record
                    } else {
                        record.id = Int64(state.tickets.count + 1)
                        state.tickets.append(record)
                    }
                case .referral(let record): state.referrals[record.id] = record
                case .outbox(let record): state.outbox[record.id] = record
                case .attempt(let record): state.attempts.append(record)
                }
            }
        }
    }

    public func conversation(sessionHash: String) async throws -> ConversationRecord? {
        state.withLock { $0.conversations.values.first { $0.sessionHash == sessionHash } }
    }

    public func conversation(id: String) async throws -> ConversationRecord? {
        state.withLock { $0.conversations[id] }
    }

    public func messages(conversation: String, after: Int) async throws -> [MessageRecord] {
        state.withLock { ($0.messages[conversation] ?? []).filter { $0.seq > after }.sorted { $0.seq < $1.seq } }
    }

    public func clientIDs(conversation: String) async throws -> [String: Int] {
        state.withLock { state in
            var result: [String: Int] = [:]
            for message in state.messages[conversation] ?? [] { if let id = message.clientID { result[id] = message.seq } }
            return result
        }
    }

    public func openConversations() async throws -> [ConversationRecord] {
        state.withLock { $0.conversations.values.filter { $0.phase != .closed }.sorted { $0.createdAt < $1.createdAt } }
    }

    public func unanswered(limit: Int) async throws -> [UnansweredRecord] {
        state.withLock { Array($0.unanswered.reversed().prefix(limit)) }
    }

    public func staffMembers() async throws -> [StaffRecord] {
        state.withLock { $0.staff.values.sorted { $0.name < $1.name } }
    }

    public func tickets() async throws -> [TicketRecord] {
        state.withLock { $0.tickets }
    }

    public func referral(id: String) async throws -> ReferralRecord? { state.withLock { $0.referrals[id] } }

    public func referrals(status: ReferralRecord.Status?) async throws -> [ReferralRecord] {
        state.withLock { $0.referrals.values.filter { status == nil || $0.status == status }.sorted { $0.createdAt > $1.createdAt } }
    }

    public func claimDueEvents(_ filter: OutboxFilter, now: Date, until: Date, limit: Int) async throws -> [OutboxRecord] {
        state.withLock { state in
            let due = state.outbox.values.filter { $0.status == .pending && $0.nextAttemptAt <= now && filter.admits($0.partner) }
                .sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }.prefix(limit)
            return due.map { event in
                var claimed = event
                claimed.nextAttemptAt = until
                state.outbox[event.id] = claimed
                return claimed
            }
        }
    }

    public func events(referral: String) async throws -> [OutboxRecord] {
        state.withLock { $0.outbox.values.filter { $0.referral == referral }.sorted { $0.createdAt < $1.createdAt } }
    }

    public func attempts(event: String) async throws -> [DeliveryAttemptRecord] {
        state.withLock { $0.attempts.filter { $0.event == event } }
    }

    /// Feedback recorded so far.
    public var feedback: [FeedbackRecord] { state.withLock { $0.feedback } }
}
