import BakenEngine
import Foundation

/// A message from the server to a resident's client. Messages that belong to a conversation
/// carry `seq`, rising by one; `resume` replays them.
public enum ServerMessage: Sendable, Hashable {
    /// A conversation started or resumed; `seq` is the last seq so far.
    case welcome(session: String, conversation: String, seq: Int, resumed: Bool)
    /// A `say` or `choose` is stored.
    case ack(id: String, seq: Int)
    /// The bot's answer: `intent` is the topic, `question` the question of the topic it answers
    /// (`TOPIC/QUESTION`), nil for a topic overview or no answer.
    case reply(seq: Int, text: String, intent: String?, question: String?, decision: String, options: [Reply.Option], links: [Link])
    /// Waiting for a person; `position` 1 is next.
    case queued(seq: Int, position: Int, estimatedWait: Int?)
    /// The conversation ended with an outcome.
    case closed(seq: Int, outcome: Outcome)
    /// A problem with a client message.
    case error(ProtocolError)
    /// Answer to `ping`.
    case pong
    /// A person took the conversation over.
    case staffJoined(seq: Int, name: String)
    /// A message from that person.
    case staffMessage(seq: Int, name: String, text: String, links: [Link])
    /// The person left; the bot answers again.
    case staffLeft(seq: Int, name: String)
    /// The person is typing (not stored, no seq).
    case typing
    /// Exactly what a referral would share, for the resident to accept or decline.
    case consentRequest(seq: Int, referral: String, partner: String, partnerName: String, fields: [ConsentField], text: String)
    /// A referral's status changed.
    case referralStatus(seq: Int, referral: String, status: String, text: String)

    /// The seq, for messages that are part of the conversation.
    public var seq: Int? {
        switch self {
        case .ack(_, let seq), .reply(let seq, _, _, _, _, _, _), .queued(let seq, _, _), .closed(let seq, _): seq
        case .staffJoined(let seq, _), .staffMessage(let seq, _, _, _), .staffLeft(let seq, _): seq
        case .consentRequest(let seq, _, _, _, _, _), .referralStatus(let seq, _, _, _): seq
        case .welcome, .error, .pong, .typing: nil
        }
    }

    /// The message as one line of JSON (no newline).
    public func json() -> String {
        var w = JSONWriter()
        switch self {
        case .welcome(let session, let conversation, let seq, let resumed):
            w.string("type", "welcome")
            w.string("session", session)
            w.string("conversation", conversation)
            w.int("seq", seq)
            w.bool("resumed", resumed)
        case .ack(let id, let seq):
            w.string("type", "ack")
            w.string("id", id)
            w.int("seq", seq)
        case .reply(let seq, let text, let intent, let question, let decision, let options, let links):
            w.string("type", "reply")
            w.int("seq", seq)
            w.string("text", text)
            w.optionalString("intent", intent)
            w.optionalString("question", question)
            w.string("decision", decision)
            w.objects("options", options.map { [("id", $0.id), ("label", $0.label)] })
            w.objects("links", links.map { [("title", $0.title), ("url", $0.url)] })
        case .queued(let seq, let position, let wait):
            w.string("type", "queued")
            w.int("seq", seq)
            w.int("position", position)
            if let wait { w.int("estimated_wait", wait) }
        case .closed(let seq, let outcome):
            w.string("type", "closed")
            w.int("seq", seq)
            w.string("outcome", outcome.rawValue)
        case .error(let error):
            w.string("type", "error")
            w.string("code", error.code)
            w.string("message", error.message)
            if let id = error.id { w.string("id", id) }
        case .pong:
            w.string("type", "pong")
        case .staffJoined(let seq, let name):
            w.string("type", "staff_joined")
            w.int("seq", seq)
            w.string("name", name)
        case .staffMessage(let seq, let name, let text, let links):
            w.string("type", "message")
            w.int("seq", seq)
            w.string("from", "staff")
            w.string("name", name)
            w.string("text", text)
            w.objects("links", links.map { [("title", $0.title), ("url", $0.url)] })
        case .staffLeft(let seq, let name):
            w.string("type", "staff_left")
            w.int("seq", seq)
            w.string("name", name)
        case .typing:
            w.string("type", "typing")
            w.string("from", "staff")
        case .consentRequest(let seq, let referral, let partner, let name, let fields, let text):
            w.string("type", "consent_request")
            w.int("seq", seq)
            w.string("referral", referral)
            var partnerObject = JSONWriter()
            partnerObject.string("id", partner)
            partnerObject.string("name", name)
            w.raw("partner", partnerObject.finish())
            w.string("text", text)
            var list = "["
            for (index, field) in fields.enumerated() {
                if index > 0 { list += "," }
                var item = JSONWriter()
                item.string("name", field.name)
                item.string("label", field.label)
                if let value = field.value { item.string("value", value) }
                item.bool("input", field.input)
                list += item.finish()
            }
            w.raw("fields", list + "]")
        case .referralStatus(let seq, let referral, let status, let text):
            w.string("type", "referral")
            w.int("seq", seq)
            w.string("referral", referral)
            w.string("status", status)
            w.string("text", text)
        }
        return w.finish()
    }
}

/// One field of a consent request: a value the resident can read, or one they fill in.
public struct ConsentField: Sendable, Hashable {
    public var name: String
    public var label: String
    public var value: String?
    public var input: Bool

    public init(name: String, label: String, value: String?, input: Bool) {
        self.name = name
        self.label = label
        self.value = value
        self.input = input
    }
}

/// How a conversation ended.
public enum Outcome: String, Sendable, Hashable, Codable, CaseIterable {
    case answered, referred
    case handedOff = "handed_off"
    case unresolved
}
