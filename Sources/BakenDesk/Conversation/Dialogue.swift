import BakenEngine
import Foundation

/// The bot's side of the dialogue, as pure steps over a ``Turn``: greet, answer, clarify,
/// decline twice then offer a person, hand off, close with an outcome. No I/O.
public struct Dialogue: Sendable {
    public let engine: Engine
    public let configuration: DeskConfiguration

    /// Creates the dialogue.
    public init(engine: Engine, configuration: DeskConfiguration) {
        self.engine = engine
        self.configuration = configuration
    }

    var knowledge: KnowledgeBase { engine.knowledge }

    /// The greeting of a new conversation.
    func greet(_ turn: inout Turn) {
        let decision = engine.answer(intent: "begroeting", language: turn.record.language)
        var reply = engine.render(decision)
        reply.options = engine.suggestions(turn.record.language)
        emitReply(&turn, reply, intent: nil, decision: "greeting")
    }

    /// A resident's message: ack it, then answer unless a person owns the conversation.
    func say(_ turn: inout Turn, clientID: String, text: String) {
        let masked = PrivacyFilter.mask(text)
        turn.emit(role: .resident, text: masked, clientID: clientID) { .ack(id: clientID, seq: $0) }
        guard turn.record.phase == .bot else { return }  // a person or the queue has it: the bot is silent
        let context = MatchContext(previousIntent: turn.record.lastIntent, offered: turn.record.offered)
        let decision = engine.decide(masked, language: turn.record.language, context: context)
        respond(&turn, to: decision, question: masked)
    }

    /// A quick-reply button. Throws `unknown_option` for an option that was not offered.
    func choose(_ turn: inout Turn, clientID: String, option: String) throws(ProtocolError) {
        guard turn.record.offered.contains(option) else { throw .badOption(option, id: clientID) }
        let label = option
        turn.emit(role: .resident, text: "[\(label)]", clientID: clientID) { .ack(id: clientID, seq: $0) }
        guard turn.record.phase == .bot else { return }
        if option == "handoff" {
            handoff(&turn)
        } else {
            respond(&turn, to: engine.answer(intent: option, language: turn.record.language), question: nil)
        }
    }

    /// "Was this helpful?" for the reply `seq`.
    func feedback(_ turn: inout Turn, seq: Int, helpful: Bool) {
        turn.writes.append(.feedback(FeedbackRecord(conversation: turn.record.id, seq: seq, helpful: helpful, createdAt: turn.now)))
        guard turn.record.phase == .bot else { return }
        let language = turn.record.language
        if helpful {
            emitReply(&turn, Reply(text: DeskText.helpfulThanks(language)), intent: nil, decision: "feedback")
        } else {
            turn.writes.append(
                .unanswered(
                    UnansweredRecord(
                        conversation: turn.record.id, seq: seq, text: "(reply \(seq) was not helpful)", reason: .notHelpful,
                        candidates: turn.record.lastIntent ?? "", createdAt: turn.now)))
            emitReply(&turn, Reply(text: DeskText.notHelpful(language), options: personOptions(language)), intent: nil, decision: "offer")
        }
    }

    /// The resident asks for a person. Without staff in the chat, the fallbacks come at once.
    func handoff(_ turn: inout Turn) {
        let language = turn.record.language
        var text = DeskText.noStaff(language) + "\n\n" + walkInText(turn.record.location, language)
        text += "\n\n" + (language == .nl ? "U kunt ook een vraag stellen aan mij." : "You can also ask me a question.")
        turn.record.referred = true
        emitReply(&turn, Reply(text: text, options: engine.suggestions(language)), intent: "mens_spreken", decision: "handoff")
    }

    /// Ends the conversation with the outcome its history earns.
    func close(_ turn: inout Turn, farewell: Bool) {
        guard turn.record.phase != .closed else { return }
        let outcome = outcome(of: turn.record)
        if farewell { emitReply(&turn, Reply(text: DeskText.goodbye(turn.record.language)), intent: "bedankt", decision: "goodbye") }
        turn.record.phase = .closed
        turn.record.outcome = outcome
        turn.emit(role: .system, text: "closed: \(outcome.rawValue)") { .closed(seq: $0, outcome: outcome) }
    }

    /// answered < referred < handed_off, by what happened; unresolved when nothing helped.
    func outcome(of record: ConversationRecord) -> Outcome {
        if record.handedOff { return .handedOff }
        if record.referred { return .referred }
        if record.answered { return .answered }
        return .unresolved
    }

    // MARK: - Responding

    private func respond(_ turn: inout Turn, to decision: Decision, question: String?) {
        let language = turn.record.language
        if decision.intent == "mens_spreken" {
            handoff(&turn)
            return
        }
        var reply = engine.render(decision)
        switch decision.kind {
        case .answer:
            turn.record.misses = 0
            if !["begroeting", "bedankt"].contains(decision.intent ?? "") { turn.record.answered = true }
            turn.record.lastIntent = decision.intent
            addOffer(&reply, location: turn.record.location, language: language)
        case .clarify, .decline, .outOfScope:
            turn.record.misses += 1
            if let question {
                let reason: UnansweredRecord.Reason =
                    decision.kind == .clarify ? .clarify : (decision.kind == .decline ? .decline : .outOfScope)
                turn.writes.append(
                    .unanswered(
                        UnansweredRecord(
                            conversation: turn.record.id, seq: turn.record.lastSeq, text: question, reason: reason,
                            candidates: decision.candidates.prefix(3).map { "\($0.intent):\(String(format: "%.1f", $0.score))" }
                                .joined(separator: " "), createdAt: turn.now)))
            }
            if decision.kind != .clarify, turn.record.misses >= configuration.missesBeforeOffer {
                reply = Reply(text: DeskText.offerPerson(language), options: personOptions(language))
            }
        }
        emitReply(&turn, reply, intent: decision.intent, decision: decision.kind.rawValue)
    }

    private func addOffer(_ reply: inout Reply, location: String?, language: Language) {
        guard let offer = reply.offer else { return }
        if offer == "spreekuur" {
            reply.text += "\n\n" + walkInText(location, language)
        } else if let partner = knowledge.partner(offer), partner.url.hasPrefix("https://") {
            reply.links.append(Link(title: partner.name, url: partner.url))
        }
    }

    private func personOptions(_ language: Language) -> [Reply.Option] {
        [Reply.Option(id: "handoff", label: DeskText.personOption(language))] + [engine.option(for: "spreekuur", language: language)].compactMap { $0 }
    }

    func walkInText(_ locationID: String?, _ language: Language) -> String {
        if let locationID, let location = knowledge.location(locationID) { return DeskText.walkIn(location, language) }
        let main = knowledge.locations.filter { !$0.walkIn.isEmpty }.prefix(3)
        return ([DeskText.chooseLocation(language)] + main.map { DeskText.walkIn($0, language) }).joined(separator: "\n\n")
    }

    private func emitReply(_ turn: inout Turn, _ reply: Reply, intent: String?, decision: String) {
        turn.record.offered = reply.options.map(\.id)
        turn.emit(role: .bot, text: reply.text) { seq in
            .reply(seq: seq, text: reply.text, intent: intent, decision: decision, options: reply.options, links: reply.links)
        }
    }
}
