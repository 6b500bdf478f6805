import Foundation

/// A message from the server to a staff console (docs/protocol.md, "The staff channel").
/// Encoded by the same `JSONWriter` as the resident's `ServerMessage`; errors and `pong` are
/// `ServerMessage`s on both channels.
public enum StaffMessage: Sendable, Hashable {
    /// One waiting conversation in the live queue.
    public struct QueueItem: Sendable, Hashable {
        public var conversation: String
        public var intent: String?
        public var location: String?
        public var language: String
        public var waitingSince: Date
        public var waitingSeconds: Int
        /// The resident's last message, masked.
        public var lastMessage: String
        public var position: Int
    }

    /// Signed in.
    case authOK(name: String, role: String, locations: [String])
    /// Available for new conversations, or away.
    case presence(available: Bool)
    /// The conversations this member may take, oldest first, and those they hold.
    case queue(items: [QueueItem], mine: [String])
    /// Open call-back requests this member may see.
    case tickets([TicketRecord])
    /// A conversation's stored messages (acks of staff messages left out).
    case transcript(conversation: String, language: String, location: String?, phase: String, messages: [MessageRecord])
    /// The conversation is now held by `by`.
    case claimed(conversation: String, by: String)
    /// A staff `say` is stored.
    case ack(conversation: String, id: String, seq: Int)
    /// Handed to another member.
    case transferred(conversation: String, to: String)
    /// Given back to the bot.
    case released(conversation: String)
    /// Closed with an outcome; `by` is "resident" when the resident ended it.
    case closed(conversation: String, outcome: String, by: String?)
    /// A referral was offered to the resident, who must still consent.
    case referralOffered(conversation: String, partner: String)
    /// A message from the resident in a conversation this member holds.
    case message(conversation: String, text: String, seq: Int)

    /// The message as one line of JSON (no newline).
    public func json() -> String {
        var w = JSONWriter()
        switch self {
        case .authOK(let name, let role, let locations):
            w.string("type", "auth_ok")
            w.string("name", name)
            w.string("role", role)
            w.strings("locations", locations)
        case .presence(let available):
            w.string("type", "presence")
            w.string("status", available ? "available" : "away")
        case .queue(let items, let mine):
            w.string("type", "queue")
            w.rawArray(
                "items",
                items.map { item in
                    var o = JSONWriter()
                    o.string("conversation", item.conversation)
                    o.optionalString("intent", item.intent)
                    o.optionalString("location", item.location)
                    o.string("language", item.language)
                    o.string("waiting_since", item.waitingSince.formatted(.iso8601))
                    o.int("waiting_seconds", item.waitingSeconds)
                    o.string("last_message", item.lastMessage)
                    o.int("position", item.position)
                    return o.finish()
                })
            w.strings("mine", mine)
        case .tickets(let tickets):
            w.string("type", "tickets")
            w.rawArray(
                "items",
                tickets.map { ticket in
                    var o = JSONWriter()
                    o.int("id", Int(ticket.id ?? 0))
                    o.string("conversation", ticket.conversation)
                    o.string("name", ticket.name)
                    o.string("contact", ticket.contact)
                    o.optionalString("location", ticket.location)
                    o.string("topic", ticket.topic)
                    o.string("at", ticket.createdAt.formatted(.iso8601))
                    return o.finish()
                })
        case .transcript(let conversation, let language, let location, let phase, let messages):
            w.string("type", "transcript")
            w.string("conversation", conversation)
            w.string("language", language)
            w.optionalString("location", location)
            w.string("phase", phase)
            w.rawArray(
                "messages",
                messages.map { message in
                    var o = JSONWriter()
                    o.int("seq", message.seq)
                    o.string("role", message.role.rawValue)
                    o.string("text", message.text)
                    o.string("at", message.createdAt.formatted(.iso8601))
                    return o.finish()
                })
        case .claimed(let conversation, let by):
            w.string("type", "claimed")
            w.string("conversation", conversation)
            w.string("by", by)
        case .ack(let conversation, let id, let seq):
            w.string("type", "ack")
            w.string("conversation", conversation)
            w.string("id", id)
            w.int("seq", seq)
        case .transferred(let conversation, let to):
            w.string("type", "transferred")
            w.string("conversation", conversation)
            w.string("to", to)
        case .released(let conversation):
            w.string("type", "released")
            w.string("conversation", conversation)
        case .closed(let conversation, let outcome, let by):
            w.string("type", "closed")
            w.string("conversation", conversation)
            w.string("outcome", outcome)
            if let by { w.string("by", by) }
        case .referralOffered(let conversation, let partner):
            w.string("type", "referral_offered")
            w.string("conversation", conversation)
            w.string("partner", partner)
        case .message(let conversation, let text, let seq):
            w.string("type", "message")
            w.string("conversation", conversation)
            w.string("from", "resident")
            w.string("text", text)
            w.int("seq", seq)
        }
        return w.finish()
    }
}
