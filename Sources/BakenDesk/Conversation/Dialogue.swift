import BakenEngine
import Foundation

/// A resident's text masked and analysed before the desk's serial step, so that work runs
/// in parallel across connections.
public struct PreparedText: Sendable {
    public var masked: String
    public var analysis: Analysis

    public init(text: String, engine: Engine) {
        masked = PrivacyFilter.maskResident(text)
        analysis = engine.analyze(masked)
    }
}

/// The bot's side of the dialogue, as pure steps over a ``Turn``: greet, answer, clarify,
/// decline twice then offer a person, hand off, close with an outcome. No I/O.
///
/// A class (immutable) rather than a struct: the desk hands the current dialogue to every frame
/// it reads, and a struct holding the engine and the configuration by value made each of
/// those a copy of about a kilobyte — kept in the async frames of every connection's reader
/// task for as long as the connection lived (≈ 20 KiB per idle session).
public final class Dialogue: Sendable {
    public let engine: Engine
    public let configuration: DeskConfiguration
    let branches: BranchText

    /// Creates the dialogue.
    public init(engine: Engine, configuration: DeskConfiguration) {
        self.engine = engine
        self.configuration = configuration
        self.branches = BranchText(knowledge: engine.knowledge, hours: BusinessHours(knowledge: engine.knowledge))
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
    func say(_ turn: inout Turn, clientID: String, text: String, prepared: PreparedText? = nil) {
        let masked = prepared?.masked ?? PrivacyFilter.maskResident(text)
        turn.emit(role: .resident, text: masked, clientID: clientID) { .ack(id: clientID, seq: $0) }
        guard turn.record.phase == .bot else { return }  // a person or the queue has it: the bot is silent
        let context = MatchContext(previousIntent: turn.record.lastIntent, offered: turn.record.offered)
        if let corrected = correction(masked, context: context, previousQuestion: turn.lastQuestion, language: turn.record.language) {
            respond(&turn, to: corrected, question: (turn.lastQuestion ?? "") + " / " + masked)
            return noteFirstReply(&turn)
        }
        let analysis = prepared?.analysis ?? engine.analyze(masked)
        let decision = engine.decide(analysis: analysis, language: turn.record.language, context: context)
        respond(&turn, to: decision, question: masked)
        noteFirstReply(&turn)
    }

    /// Records once whether the reply to the resident's first question answered it — the
    /// coordinators' "answered in the first reply".
    private func noteFirstReply(_ turn: inout Turn) {
        if turn.record.firstAnswered == nil, let answered = turn.answeredNow { turn.record.firstAnswered = answered }
    }

    /// "nee, van de bibliotheek" after an answer about DigiD: the resident keeps the question and
    /// names another topic. Decides on the previous question with the new words, the topic just
    /// answered left out. Nil when the message is not such a correction, or it leads nowhere.
    func correction(_ text: String, context: MatchContext, previousQuestion: String?, language: Language) -> Decision? {
        guard let rejected = context.previousTopic, let previousQuestion, !previousQuestion.isEmpty else { return nil }
        let lower = text.lowercased()
        let words = lower.split(whereSeparator: { !$0.isLetter })
        guard words.count >= 2, words.count <= 8 else { return nil }  // a bare "nee" names no other topic
        // English "no" only with a comma: "no internet at home" is not a correction.
        let startsWithNo = ["nee", "neen"].contains(String(words[0])) || lower.hasPrefix("no,") || lower.hasPrefix("nope")
        let means = ["ik bedoel", "bedoel ik", "i mean", "i meant"].contains { lower.contains($0) }
        guard startsWithNo || means else { return nil }
        var corrected = MatchContext(rejected: [rejected])
        corrected.offered = []
        let decision = engine.decide(previousQuestion + ". " + text, language: language, context: corrected)
        guard decision.kind == .answer || (decision.kind == .clarify && !decision.candidates.isEmpty) else { return nil }
        return decision
    }

    /// A quick-reply button. Throws `unknown_option` for an option that was not offered.
    func choose(_ turn: inout Turn, clientID: String, option: String) throws(ProtocolError) {
        guard turn.record.offered.contains(option) else { throw .badOption(option, id: clientID) }
        let label = option
        turn.emit(role: .resident, text: "[\(label)]", clientID: clientID) { .ack(id: clientID, seq: $0) }
        guard turn.record.phase == .bot else { return }
        if option == "handoff" {
            handoff(&turn)
        } else if option.hasPrefix("contact:"), let partner = knowledge.partner(String(option.dropFirst("contact:".count))) {
            contact(&turn, partner: partner)
        } else if option.hasPrefix("refer:") {
            _ = offerReferral(&turn, partner: String(option.dropFirst(6)), requestedBy: "bot", summary: turn.lastQuestion)
        } else if option == "callback" {
            emitReply(&turn, Reply(text: DeskText.callbackHow(turn.record.language)), intent: nil, decision: "callback_form")
            turn.record.offered = ["callback"]  // the form may now be sent
        } else if option.hasPrefix("municipality:") || option.hasPrefix("location:") || option.hasPrefix("week:") {
            chooseBranch(&turn, option: option)
        } else {
            respond(&turn, to: engine.answer(intent: option, language: turn.record.language), question: nil)
        }
        noteFirstReply(&turn)
    }

    /// "Was this helpful?" for reply `seq`: stored (a later answer replaces an earlier one);
    /// thanked, or a person offered — once per reply (`again`: it was rated before).
    func feedback(_ turn: inout Turn, seq: Int, helpful: Bool, again: Bool = false) {
        turn.writes.append(.feedback(FeedbackRecord(conversation: turn.record.id, seq: seq, helpful: helpful, createdAt: turn.now)))
        guard turn.record.phase == .bot, !again else { return }
        let language = turn.record.language
        if helpful {
            emitReply(&turn, Reply(text: DeskText.helpfulThanks(language)), intent: nil, decision: "feedback")
        } else {
            turn.writes.append(
                .unanswered(
                    UnansweredRecord(
                        conversation: turn.record.id, seq: seq, text: notHelpfulText(turn, seq: seq), reason: .notHelpful,
                        candidates: turn.record.lastIntent ?? "", createdAt: turn.now)))
            emitReply(&turn, Reply(text: DeskText.notHelpful(language), options: personOptions(language)), intent: nil, decision: "offer")
        }
    }

    /// What goes to the curators' inbox for a reply found not helpful: the resident's question
    /// (masked) when the rated reply is the latest one, so it is grouped with the unanswered
    /// questions; otherwise which reply it was.
    private func notHelpfulText(_ turn: Turn, seq: Int) -> String {
        if seq == turn.record.lastSeq, let question = turn.lastQuestion, !question.isEmpty { return question }
        return "(reply \(seq) was not helpful)"
    }

    /// The resident asks for a person: the queue when someone can take it, otherwise the
    /// fallbacks at once — walk-in hours, a call-back request, or questions to the bot.
    func handoff(_ turn: inout Turn) {
        guard turn.record.phase == .bot else { return }
        let language = turn.record.language
        if turn.staffAvailable {
            turn.record.phase = .queued
            turn.record.queuedAt = turn.now
            let position = turn.queuePosition
            turn.emit(role: .system, text: "queued at \(position)") { .queued(seq: $0, position: position, estimatedWait: nil) }
            return
        }
        fallback(&turn, text: DeskText.noStaff(language))
    }

    /// Nobody can take the chat (now): offer the walk-in hours, a call-back and the bot.
    func fallback(_ turn: inout Turn, text: String) {
        let language = turn.record.language
        var body = text
        if let id = turn.record.location, let location = knowledge.location(id), !location.walkIn.isEmpty {
            body += "\n\n" + DeskText.walkIn(location, language)
        }
        body += "\n\n" + DeskText.callbackOffer(language)
        turn.record.referred = true
        turn.record.fallbackGiven = true
        turn.answeredNow = turn.answeredNow ?? false
        var options = [Reply.Option(id: "callback", label: DeskText.callbackOption(language))]
        if turn.record.location == nil, let walkIn = walkInOption(language) { options.append(walkIn) }
        options += engine.suggestions(language).prefix(2)
        emitReply(&turn, Reply(text: body, options: options), intent: "mens_spreken", decision: "handoff")
    }

    /// A call-back request: stored as a ticket staff pick up later.
    func callback(_ turn: inout Turn, clientID: String, name: String, contact: String) {
        turn.emit(role: .resident, text: "[call-back request]", clientID: clientID) { .ack(id: clientID, seq: $0) }
        let topic = turn.record.lastIntent ?? ""
        turn.writes.append(
            .ticket(TicketRecord(conversation: turn.record.id, name: PrivacyFilter.mask(name), contact: contact, location: turn.record.location, topic: topic, createdAt: turn.now)))
        turn.record.referred = true
        emitReply(&turn, Reply(text: DeskText.callbackThanks(turn.record.language)), intent: nil, decision: "callback")
    }

    /// A person took the conversation.
    func staffJoined(_ turn: inout Turn, name: String) {
        if let since = turn.record.queuedAt, turn.record.waitedSeconds == nil {
            turn.record.waitedSeconds = max(0, turn.now.timeIntervalSince(since))
        }
        turn.record.phase = .withStaff
        turn.record.staff = name
        turn.record.queuedAt = nil
        turn.record.handedOff = true
        turn.emit(role: .system, text: "\(name) joined") { .staffJoined(seq: $0, name: name) }
    }

    /// A message from the person who has the conversation.
    func staffSays(_ turn: inout Turn, clientID: String, text: String, links: [Link]) {
        let name = turn.record.staff ?? ""
        // Masked in the stored text and in the payload that resume replays alike.
        let masked = PrivacyFilter.mask(text)
        turn.emit(role: .staff, text: masked, clientID: clientID) { .staffMessage(seq: $0, name: name, text: masked, links: links) }
    }

    /// The person hands the conversation back to the bot.
    func staffLeft(_ turn: inout Turn) {
        let name = turn.record.staff ?? ""
        turn.record.phase = .bot
        turn.record.staff = nil
        turn.record.queuedAt = nil
        turn.record.misses = 0
        turn.emit(role: .system, text: "\(name) left") { .staffLeft(seq: $0, name: name) }
        emitReply(&turn, Reply(text: DeskText.backToBot(turn.record.language), options: engine.suggestions(turn.record.language)), intent: nil, decision: "greeting")
    }

    /// Nobody claimed in time: back to the bot with the fallbacks.
    func queueTimedOut(_ turn: inout Turn) {
        turn.record.phase = .bot
        turn.record.queuedAt = nil
        fallback(&turn, text: DeskText.nobodyInTime(turn.record.language))
    }

    /// Ends the conversation with the outcome its history earns.
    func close(_ turn: inout Turn, farewell: Bool, outcome chosen: Outcome? = nil) {
        guard turn.record.phase != .closed else { return }
        let outcome = chosen ?? outcome(of: turn.record)
        if turn.record.phase == .queued { turn.record.leftQueue = true }
        if farewell { emitReply(&turn, Reply(text: DeskText.goodbye(turn.record.language)), intent: "bedankt", decision: "goodbye") }
        turn.record.phase = .closed
        turn.record.outcome = outcome
        turn.record.queuedAt = nil
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

    private func respond(_ turn: inout Turn, to found: Decision, question: String?) {
        let language = turn.record.language
        if found.intent == "mens_spreken" {
            handoff(&turn)
            return
        }
        var decision = found
        // The conversation remembers the last branch the resident named.
        if let place = decision.places.last { turn.record.location = place }
        // "en in Den Helder?" after a branch question: the same question for the branch just named.
        if decision.question == nil, !decision.places.isEmpty, let previous = turn.record.lastIntent,
            BranchText.branchQuestions.contains(previous),
            decision.kind != .answer || decision.intent == "vestiging" || previous.hasPrefix((decision.intent ?? "") + "/")
        {
            decision = engine.answer(intent: previous, language: decision.language)
        }
        if decision.kind == .answer, let branchQuestion = decision.question, BranchText.branchQuestions.contains(branchQuestion) {
            answerBranch(&turn, question: branchQuestion)
            return
        }
        var reply = engine.render(decision)
        switch decision.kind {
        case .answer:
            turn.record.misses = 0
            if !["begroeting", "bedankt"].contains(decision.intent ?? "") {
                turn.record.answered = true
                turn.answeredNow = true
            }
            turn.record.lastIntent = decision.question ?? decision.intent
            addOffer(&reply, location: turn.record.location, language: language)
        case .clarify, .decline, .outOfScope:
            turn.record.misses += 1
            turn.answeredNow = false
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
            if !decision.safeTopics.isEmpty {
                // A sensitive situation: a person is offered at once, beside the fitting topics.
                reply.options.append(Reply.Option(id: "handoff", label: DeskText.personOption(language)))
            } else if decision.kind != .clarify, turn.record.misses >= configuration.missesBeforeOffer {
                reply = Reply(text: DeskText.offerPerson(language), options: personOptions(language))
            }
        }
        emitReply(&turn, reply, intent: decision.intent, decision: decision.kind.rawValue)
    }

    /// A question about a branch: answered for the remembered branch, or the branch is asked first.
    private func answerBranch(_ turn: inout Turn, question: String) {
        let language = turn.record.language
        let topic = String(question.prefix { $0 != "/" })
        turn.record.misses = 0
        turn.record.lastIntent = question
        guard let id = turn.record.location, let location = knowledge.location(id) else {
            turn.answeredNow = false  // the branch is asked first
            let ask = branches.askMunicipality(language, digitalHelpOnly: question == "spreekuur/wanneer")
            emitReply(&turn, ask, intent: topic, question: question, decision: "ask_location")
            return
        }
        turn.record.answered = true
        turn.answeredNow = true
        emitReply(&turn, branches.answer(question, location: location, language: language, now: turn.now), intent: topic, question: question, decision: "answer")
    }

    /// The buttons of the branch dialogue: a municipality, a branch, a week's hours.
    private func chooseBranch(_ turn: inout Turn, option: String) {
        let language = turn.record.language
        let pending = turn.record.lastIntent.flatMap { BranchText.branchQuestions.contains($0) ? $0 : nil }
        let digitalHelpOnly = pending == "spreekuur/wanneer"
        if option == "municipality:" {
            emitReply(&turn, branches.askMunicipality(language, digitalHelpOnly: digitalHelpOnly), intent: nil, question: pending, decision: "ask_location")
        } else if option.hasPrefix("municipality:") {
            let reply = branches.askBranch(in: String(option.dropFirst("municipality:".count)), language, digitalHelpOnly: digitalHelpOnly)
            emitReply(&turn, reply, intent: nil, question: pending, decision: "ask_location")
        } else if option.hasPrefix("week:"), let location = knowledge.location(String(option.dropFirst("week:".count))) {
            emitReply(&turn, branches.weekAnswer(location, language: language), intent: "vestiging", question: "vestiging/openingstijden", decision: "answer")
        } else if option.hasPrefix("location:"), knowledge.location(String(option.dropFirst("location:".count))) != nil {
            turn.record.location = String(option.dropFirst("location:".count))
            answerBranch(&turn, question: pending ?? "vestiging/openingstijden")
        }
    }

    /// The button that shows the walk-in hours of digital help.
    private func walkInOption(_ language: Language) -> Reply.Option? {
        guard knowledge.question("spreekuur/wanneer") != nil else { return engine.option(for: "spreekuur", language: language) }
        return Reply.Option(id: "spreekuur/wanneer", label: DeskText.walkInOption(language))
    }

    private func addOffer(_ reply: inout Reply, location: String?, language: Language) {
        guard let offer = reply.offer else { return }
        if offer == "spreekuur" {
            if let option = walkInOption(language), !reply.options.contains(option) { reply.options.append(option) }
        } else if let partner = knowledge.partner(offer) {
            if partner.url.hasPrefix("https://") { reply.links.append(Link(title: partner.name, url: partner.url)) }
            if configuration.referralPartners?.contains(partner.id) ?? true {
                reply.options.insert(Reply.Option(id: "refer:" + partner.id, label: DeskText.referralOption(partner.name, language)), at: 0)
            } else {
                // Nobody can receive a sign-up: the resident still learns who helps and how to reach them.
                reply.options.insert(Reply.Option(id: "contact:" + partner.id, label: DeskText.contactOption(partner.name, language)), at: 0)
            }
        }
    }

    /// A referral without a webhook: who the partner is, what they do, how to reach them.
    /// Nothing is passed on; the conversation counts as referred.
    func contact(_ turn: inout Turn, partner: Partner) {
        let language = turn.record.language
        var links: [Link] = []
        if partner.url.hasPrefix("https://") { links.append(Link(title: partner.name, url: partner.url)) }
        turn.record.referred = true
        let reply = Reply(text: DeskText.contactCard(partner, language), options: [walkInOption(language)].compactMap { $0 }, links: links)
        emitReply(&turn, reply, intent: turn.record.lastIntent?.split(separator: "/").first.map(String.init), decision: "referral_contact")
    }

    private func personOptions(_ language: Language) -> [Reply.Option] {
        [Reply.Option(id: "handoff", label: DeskText.personOption(language))] + [walkInOption(language)].compactMap { $0 }
    }

    private func emitReply(_ turn: inout Turn, _ reply: Reply, intent: String?, question: String? = nil, decision: String) {
        turn.record.offered = reply.options.map(\.id)
        let question = question ?? reply.question
        turn.emit(role: .bot, text: reply.text) { seq in
            .reply(seq: seq, text: reply.text, intent: intent, question: question, decision: decision, options: reply.options, links: reply.links)
        }
    }
}
