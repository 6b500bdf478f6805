import Foundation

/// One write of a batch; a batch is committed in one transaction.
public enum StoreWrite: Sendable, Hashable {
    case conversation(ConversationRecord)
    case message(MessageRecord)
    case unanswered(UnansweredRecord)
    case feedback(FeedbackRecord)
    case staff(StaffRecord)
    case ticket(TicketRecord)
    case referral(ReferralRecord)
    case outbox(OutboxRecord)
    case attempt(DeliveryAttemptRecord)
}
