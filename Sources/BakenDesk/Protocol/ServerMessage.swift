import BakenEngine
import Foundation

/// A message from the server to a resident's client. Messages that belong to a conversation
/// carry `seq`, rising by one; `resume` replays them.
public enum ServerMessage: Sendable, Hashable {
    /// A conversation started or resumed; `seq` is the last seq so far.
    case welcome(session: String, conversation: String, seq: Int, resumed: Bool)
    /// A `say` or `choose` is stored.
    case ack(id: String, seq: Int)
    /// The bot's answer.
    case reply(seq: Int, text: String, intent: String?, decision: String, options: [Reply.Option], links: [Link])
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
        case .ack(_, let seq), .reply(let seq, _, _, _, _, _), .queued(let seq, _, _), .closed(let seq, _): seq
        case .staffJoined(let seq, _), .staffMessage(let seq, _, _, _), .staffLeft(let seq, _): seq
        case .consentRequest(let seq, _, _, _, _, _), .referralStatus(let seq, _, _, _): seq
        case .welcome, .error, .pong, .typing: nil
        }
    }

    /// The message as one line of JSON (no newline).
    public func json() -> String {
        var object: [String: Any]
        switch self {
        case .welcome(let session, let conversation, let seq, let resumed):
            object = ["type": "welcome", "session": session, "conversation": conversation, "seq": seq, "resumed": resumed]
        case .ack(let id, let seq):
            object = ["type": "ack", "id": id, "seq": seq]
        case .reply(let seq, let text, let intent, let decision, let options, let links):
            object = [
                "type": "reply", "seq": seq, "text": text, "intent": intent ?? NSNull(), "decision": decision,
                "options": options.map { ["id": $0.id, "label": $0.label] }, "links": links.map { ["title": $0.title, "url": $0.url] },
            ]
        case .queued(let seq, let position, let wait):
            object = ["type": "queued", "seq": seq, "position": position]
            if let wait { object["estimated_wait"] = wait }
        case .closed(let seq, let outcome):
            object = ["type": "closed", "seq": seq, "outcome": outcome.rawValue]
        case .error(let error):
            object = ["type": "error", "code": error.code, "message": error.message]
            if let id = error.id { object["id"] = id }
        case .pong:
            object = ["type": "pong"]
        case .staffJoined(let seq, let name):
            object = ["type": "staff_joined", "seq": seq, "name": name]
        case .staffMessage(let seq, let name, let text, let links):
            object = [
                "type": "message", "seq": seq, "from": "staff", "name": name, "text": text,
                "links": links.map { ["title": $0.title, "url": $0.url] },
            ]
        case .staffLeft(let seq, let name):
            object = ["type": "staff_left", "seq": seq, "name": name]
        case .typing:
            object = ["type": "typing", "from": "staff"]
        case .consentRequest(let seq, let referral, let partner, let name, let fields, let text):
            object = [
                "type": "consent_request", "seq": seq, "referral": referral, "partner": ["id": partner, "name": name], "text": text,
                "fields": fields.map { field -> [String: Any] in
                    var item: [String: Any] = ["name": field.name, "label": field.label, "input": field.input]
                    if let value = field.value { item["value"] = value }
                    return item
                },
            ]
        case .referralStatus(let seq, let referral, let status, let text):
            object = ["type": "referral", "seq": seq, "referral": referral, "status": status, "text": text]
        }
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self)
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
