import BakenEngine
import Foundation
import Logging
import Metrics
import Synchronization

/// The conversation core both transports feed: decodes frames, runs the dialogue step,
/// commits the results, and only then acknowledges and replies — in seq order.
///
/// Each step changes the conversation's state before any I/O, and lines are sent strictly in
/// seq order once durable (a watermark per conversation), so a message can never overtake
/// an earlier one, whichever commit finishes first.
public actor Desk {
    /// Staff sessions, accounts, failed sign-ins and who sees what.
    var staff: StaffDesk
    /// Ids of queued conversations, so a step never scans every live conversation.
    var queuedIDs: Set<String> = []

    /// The knowledge in use, swapped whole by ``replaceKnowledge(_:version:)``: a step that
    /// started with the old answers finishes with them; the next one gets the new.
    private nonisolated let loaded: Mutex<LoadedKnowledge>
    /// The dialogue over the current knowledge.
    public nonisolated var dialogue: Dialogue { loaded.withLock { $0.dialogue } }
    /// Chat hours of the current knowledge's branches.
    var hours: BusinessHours { loaded.withLock { $0.hours } }
    /// Which knowledge is in use (a content hash given by the loader) and since when.
    public nonisolated var knowledgeVersion: (version: String, loadedAt: Date) {
        loaded.withLock { ($0.version, $0.loadedAt) }
    }
    public nonisolated let configuration: DeskConfiguration
    /// Durable storage; the webhook worker and the command-line tools share it.
    public nonisolated let store: any ConversationStore
    let commits: CommitQueue
    /// The desk's clock; the transports take their time from it too.
    public nonisolated let now: @Sendable () -> Date
    let logger: Logger

    var live: [String: ConversationState] = [:]
    var bySession: [String: String] = [:]
    var attached: [Int: String] = [:]
    /// Open connections, per-address limits and budgets, draining.
    var registry: ConnectionRegistry
    /// Counts conversation loads, for `ConversationState.generation`.
    var loads = 0
    /// Several nodes on one database: the way to the others (nil on one node; see ``DeskBus``).
    public nonisolated let bus: (any DeskBus)?
    /// What this node knows of the others: their waiting conversations, their staff, and the
    /// consoles of theirs whose commands it carries out.
    var elsewhere = Elsewhere()
    /// Mail for the other nodes, in the order it was made; ``NodeLink`` posts it.
    public nonisolated let outgoing: AsyncStream<DeskMail>
    nonisolated let outgoingContinuation: AsyncStream<DeskMail>.Continuation

    private nonisolated let messagesIn = Counter(label: "baken_messages_received_total")
    private let errorsOut = Counter(label: "baken_protocol_errors_total")
    let conversationsStarted = Counter(label: "baken_conversations_started_total")
    private let replyTimer = Metrics.Timer(label: "baken_reply_seconds")
    private let referralsQueued = Counter(label: "baken_referrals_consented_total")

    /// Creates the desk.
    /// - Parameters:
    ///   - engine: The intent engine.
    ///   - store: Durable storage; every acknowledged message is in it.
    ///   - configuration: Limits and timeouts.
    ///   - now: The clock (injected so tests control time).
    public init(
        engine: Engine, store: any ConversationStore, configuration: DeskConfiguration = .init(),
        now: @escaping @Sendable () -> Date = { Date() }, logger: Logger = Logger(label: "baken.desk"), knowledgeVersion: String = ""
    ) {
        self.loaded = Mutex(
            LoadedKnowledge(
                dialogue: Dialogue(engine: engine, configuration: configuration), hours: BusinessHours(knowledge: engine.knowledge),
                version: knowledgeVersion, loadedAt: now()))
        self.configuration = configuration
        self.registry = ConnectionRegistry(
            limits: .init(
                maxPerAddress: configuration.maxConnectionsPerAddress, addressRate: configuration.addressRate,
                addressBurst: configuration.addressBurst))
        self.store = store
        self.bus = store as? any DeskBus
        (outgoing, outgoingContinuation) = AsyncStream.makeStream(of: DeskMail.self)
        self.staff = StaffDesk(overflowAfter: configuration.overflowAfter)
        self.commits = CommitQueue(store: store)
        self.now = now
        self.logger = logger
    }

    /// Serves new knowledge from the next step on; conversations in flight keep going.
    public nonisolated func replaceKnowledge(_ engine: Engine, version: String) {
        let next = LoadedKnowledge(
            dialogue: Dialogue(engine: engine, configuration: configuration), hours: BusinessHours(knowledge: engine.knowledge),
            version: version, loadedAt: now())
        loaded.withLock { $0 = next }
    }

    /// Loads the conversations that are queued or with staff, so the queue and the claims
    /// survive a restart. Call once before serving.
    public func restore() async throws {
        for record in try await store.openConversations() where record.phase == .queued || record.phase == .withStaff {
            // Several nodes: only this node's own (another node's stay there, and show in the
            // queue here through the bus).
            if let bus, let owner = try await bus.owner(of: record.id), owner != bus.node { continue }
            try await loadStored(record)
        }
    }

    /// Brings a stored conversation into memory (after a restart, or for staff and the
    /// webhook worker), with its client ids and last resident message.
    func loadStored(_ record: ConversationRecord) async throws {
        let clientIDs = try await store.clientIDs(conversation: record.id)
        let last = try await store.messages(conversation: record.id, after: max(0, record.lastSeq - 50)).last { $0.role == .resident }?.text
        guard live[record.id] == nil else { return }  // loaded meanwhile by another step
        let time = now()
        var state = ConversationState(
            record: record, clientIDs: clientIDs, committed: record.lastSeq, connection: nil, sentUpTo: record.lastSeq,
            bucket: TokenBucket(rate: configuration.sessionRate, burst: configuration.sessionBurst, now: time), lastActivity: time)
        state.lastResidentText = last ?? ""
        loads += 1
        state.generation = loads
        // Batches enqueued for an earlier load, after a failed one, must still fail; new ones may go.
        commits.reopen(record.id)
        live[record.id] = state
        bySession[record.sessionHash] = record.id
        if record.phase == .queued { queuedIDs.insert(record.id) }
    }

    /// Registers a new connection. Returns false (after telling the client why) when the
    /// address has too many connections or the server is shutting down.
    public func open(_ connection: Connection) -> Bool {
        if let refusal = registry.open(connection) {
            refuse(connection, refusal)
            return false
        }
        return true
    }

    /// Forgets a connection that went away. The conversation stays for `resume`.
    public func disconnect(_ connection: Connection) {
        guard registry.close(connection) else { return }
        let wasStaff = staff.session(connection.id) != nil
        staff.signOut(connection.id)
        if wasStaff, bus != nil { Task { await self.presenceChanged() } }
        if let id = attached.removeValue(forKey: connection.id), live[id]?.connection == connection {
            _ = live[id]!.handle(.detached)
            if live[id]?.record.phase == .closed { evict(id) }
        }
    }

    /// How many connections are open.
    public var connectionCount: Int { registry.count }
    /// How many conversations are held in memory.
    public var liveCount: Int { live.count }
    /// Staff members signed in and available for chats, on this node or (several nodes) on
    /// another as this node last read them: what decides whether a resident is queued.
    public var staffAvailableCount: Int { staff.availableCount }

    // MARK: - Frames

    /// A frame decoded (and a `say` masked and analysed) before entering the desk.
    enum Prepared: Sendable {
        case invalid(ProtocolError)
        /// `dialogue` is the knowledge the text was analysed with: the step uses the same, even
        /// if the knowledge is reloaded meanwhile (analyses of two engines do not mix).
        case message(FieldReader, type: String, text: PreparedText?, dialogue: Dialogue)
    }

    /// Handles one frame of a connection. Call it in order, one at a time per connection.
    ///
    /// Decoding, masking and analysing happen here, outside the desk's serial executor, so
    /// they use every core; only the conversation step itself is serial.
    public nonisolated func receive(_ frame: Frame, from connection: Connection) async {
        connection.touch(now())
        messagesIn.increment()
        let dialogue = self.dialogue
        let prepared: Prepared
        switch frame {
        case .binary: prepared = .invalid(.binaryFrame)
        case .tooLarge: prepared = .invalid(.tooLarge(limit: configuration.maxFrameBytes))
        case .text(let bytes) where bytes.count > configuration.maxFrameBytes:
            // A transport may hand over a whole over-size line at once: the limit holds here too.
            prepared = .invalid(.tooLarge(limit: configuration.maxFrameBytes))
        case .text(let bytes):
            do {
                let reader = try FieldReader.object(bytes)
                let type = try reader.type()
                var text: PreparedText?
                if type == "say", connection.kind != .staff, let raw = try? reader.string("text", in: type),
                    raw.count <= configuration.maxTextLength
                {
                    text = PreparedText(text: raw.trimmingCharacters(in: .whitespacesAndNewlines), engine: dialogue.engine)
                }
                prepared = .message(reader, type: type, text: text, dialogue: dialogue)
            } catch {
                prepared = .invalid(error)
            }
        }
        await handle(prepared, from: connection)
    }

    private func handle(_ prepared: Prepared, from connection: Connection) async {
        let time = now()
        let message: ClientMessage
        var preparedText: PreparedText?
        let dialogue: Dialogue
        switch prepared {
        case .invalid(let error):
            if connection.kind == .staff && staff.session(connection.id) == nil {
                return fail(connection, .unauthorized(error.message))
            }
            // Bad frames count against the address's budget too; a flood of them ends the connection.
            guard registry.take(connection, at: time) else { return fail(connection, ProtocolError.rateLimited().closing()) }
            return fail(connection, error)
        case .message(let reader, let type, let text, let snapshot):
            dialogue = snapshot
            do {
                if isStaff(connection, type: type) {
                    return await staffReceive(try StaffCommand.decode(reader), from: connection, line: reader.source)
                }
                message = try ClientMessage.decode(reader)
                preparedText = text
            } catch {
                if connection.kind == .staff && staff.session(connection.id) == nil {
                    return fail(connection, .unauthorized(error.message))
                }
                return fail(connection, error)
            }
        }
        guard registry.take(connection, at: time) else { return fail(connection, .rateLimited(id: message.clientID)) }
        switch message {
        case .ping:
            connection.send(.pong)
        case .hello(let language, let location):
            await hello(connection, language: language, location: location)
        case .resume(let session, let after):
            await resume(connection, session: session, after: after)
        default:
            await step(connection, message, prepared: preparedText, dialogue: dialogue)
        }
    }

    private func step(_ connection: Connection, _ message: ClientMessage, prepared: PreparedText?, dialogue: Dialogue) async {
        guard let id = attached[connection.id], live[id] != nil else { return fail(connection, .notStarted) }
        let time = now()
        let limits = ConversationState.Limits(maxTextLength: configuration.maxTextLength)
        let admitted = live[id]!.handle(.message(message, at: time, limits: limits))
        guard perform(admitted, id, connection) else { return }
        let wasQueued = live[id]!.record.phase == .queued || live[id]!.record.phase == .withStaff
        let heldBy = live[id]!.record.staff
        var turn = makeTurn(id, time)
        switch message {
        case .say(let clientID, let text):
            let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
            dialogue.say(&turn, clientID: clientID, text: trimmed, prepared: prepared)
            live[id]!.lastResidentText = prepared?.masked ?? PrivacyFilter.maskResident(trimmed)
        case .choose(let clientID, let option):
            do {
                try dialogue.choose(&turn, clientID: clientID, option: option)
            } catch {
                return fail(connection, error)
            }
        case .callback(let clientID, let name, let contact, _):
            dialogue.callback(&turn, clientID: clientID, name: name, contact: contact)
        case .consent(let clientID, let referralID, let accept, let firstName, let contact):
            guard let referral = try? await store.referral(id: referralID), referral.conversation == id, referral.status == .pendingConsent else {
                return fail(connection, .unknownReferral(referralID, id: clientID))
            }
            // The store read let other steps run: check again that the consent is still open.
            guard let current = live[id], current.record.offered.contains("consent:" + referralID), current.clientIDs[clientID] == nil else {
                return fail(connection, .unknownReferral(referralID, id: clientID))
            }
            turn = makeTurn(id, time)
            do {
                try dialogue.consent(&turn, clientID: clientID, referral: referral, accept: accept, firstName: firstName, contact: contact)
            } catch {
                return fail(connection, error)
            }
            referralsQueued.increment()
        case .feedback(let seq, let helpful):
            dialogue.feedback(&turn, seq: seq, helpful: helpful, again: live[id]!.rated.contains(seq))
        case .handoff:
            dialogue.handoff(&turn)
        case .bye:
            dialogue.close(&turn, farewell: true)
        case .hello, .resume, .ping:
            return
        }
        let start = ContinuousClock.now
        guard await apply(id, turn, clientID: message.clientID) else { return }
        if case .feedback(let seq, _) = message { live[id]?.rated.insert(seq) }
        replyTimer.recordNanoseconds((ContinuousClock.now - start).nanoseconds)
        let phase = turn.record.phase
        if phase == .closed, let staff = heldBy {
            // The resident ended a conversation a person holds: tell that person.
            sendToStaff(named: staff, .closed(conversation: id, outcome: turn.record.outcome?.rawValue ?? "", by: "resident"))
        }
        if wasQueued || phase == .queued || phase == .withStaff { await queueChanged() }
        if case .callback = message { await ticketsChanged() }
    }

    /// Carries out a conversation's actions that need no waiting; returns true when the
    /// dialogue step may run.
    @discardableResult
    func perform(_ actions: [ConversationState.Action], _ id: String, _ connection: Connection? = nil) -> Bool {
        var run = false
        for action in actions {
            switch action {
            case .run: run = true
            case .send(let line): (connection ?? live[id]?.connection)?.send(line)
            case .fail(let error): if let connection { fail(connection, error) }
            case .commit: assertionFailure("commits are awaited by apply")
            }
        }
        return run
    }

    /// A turn for a conversation, told whether a person can take it and at which position.
    func makeTurn(_ id: String, _ time: Date) -> Turn {
        var turn = Turn(record: live[id]!.record, now: time)
        turn.staffAvailable = staffCanTake(turn.record.location, at: time)
        turn.queuePosition = queued(for: turn.record.location).count + 1 + waitingElsewhere(for: turn.record.location, before: nil, id: id)
        turn.lastQuestion = live[id]!.lastResidentText
        return turn
    }

    /// Applies a turn: state first, then one commit, then the lines in seq order. Staff who
    /// hold the conversation get the resident's messages. Returns false if nothing was stored.
    @discardableResult
    func apply(_ id: String, _ turn: Turn, clientID: String?) async -> Bool {
        guard live[id] != nil else { return false }
        let generation = live[id]!.generation
        let before = live[id]!.record
        let wasQueued = before.phase == .queued
        let actions = live[id]!.handle(.stepped(turn, clientID: clientID))
        if turn.record.phase == .queued { queuedIDs.insert(id) } else { queuedIDs.remove(id) }
        if turn.record.phase == .queued && !wasQueued { live[id]!.lastPosition = turn.queuePosition }
        let resident = turn.writes.compactMap { write -> MessageRecord? in
            if case .message(let message) = write, message.role == .resident { return message }
            return nil
        }
        guard case .commit(let writes) = actions.first else { return false }
        let ticket = commits.enqueue(writes)
        do {
            try await commits.wait(ticket)
        } catch {
            // Nothing of this step is stored: drop the in-memory state so a resume reloads the truth.
            logger.error("commit failed", metadata: ["conversation": "\(id)", "error": "\(error)"])
            guard live[id]?.generation == generation else { return false }  // reloaded meanwhile
            if let current = live[id]?.connection {
                current.send(.error(ProtocolError.storageFailure.about(clientID)))
                current.close(.error(.storageFailure))
            }
            evict(id)
            return false
        }
        committed(id, upTo: turn.record.lastSeq)
        Self.count(from: before, to: turn.record, at: turn.now)
        if let staff = turn.record.staff {
            for message in resident {
                sendToStaff(named: staff, .message(conversation: id, text: message.text, seq: message.seq))
            }
        }
        return true
    }

    /// Metrics for the funders' questions, by topic and location: how conversations end
    /// (`baken_conversations_closed_total`) and how long residents waited for a person
    /// (`baken_handoff_wait_seconds`).
    static func count(from before: ConversationRecord, to after: ConversationRecord, at time: Date) {
        let location = after.location ?? "unknown"
        if before.phase != .closed, after.phase == .closed, let outcome = after.outcome {
            let topic = after.lastIntent.flatMap { $0.split(separator: "/").first.map(String.init) } ?? "none"
            Counter(label: "baken_conversations_closed_total", dimensions: [("outcome", outcome.rawValue), ("topic", topic), ("location", location)])
                .increment()
        }
        if before.phase == .queued, after.phase == .withStaff, let since = before.queuedAt {
            Metrics.Timer(label: "baken_handoff_wait_seconds", dimensions: [("location", location)])
                .recordNanoseconds(Int64(max(0, time.timeIntervalSince(since)) * 1e9))
        }
    }

    // MARK: - Ordering

    func attach(_ connection: Connection, to id: String) {
        attached[connection.id] = id
        live[id]?.connection = connection
    }

    /// Records that everything up to `seq` is durable, then sends what may go.
    func committed(_ id: String, upTo seq: Int) {
        guard live[id] != nil else { return }
        perform(live[id]!.handle(.stored(upTo: seq)), id)
    }

    func evict(_ id: String) {
        queuedIDs.remove(id)
        guard let state = live.removeValue(forKey: id) else { return }
        bySession[state.record.sessionHash] = nil
        if let connection = state.connection { attached[connection.id] = nil }
    }

    // MARK: - Errors

    func fail(_ connection: Connection, _ error: ProtocolError) {
        errorsOut.increment()
        connection.send(.error(error))
        if error.closesConnection { connection.close(.error(error.kind)) }
    }

    private func refuse(_ connection: Connection, _ error: ProtocolError) {
        connection.send(.error(error))
        connection.close(.error(error.kind))
    }
}

extension ClientMessage {
    /// The client's id, for messages that have one.
    var clientID: String? {
        switch self {
        case .say(let id, _), .choose(let id, _), .callback(let id, _, _, _), .consent(let id, _, _, _, _): id
        default: nil
        }
    }

    var isBye: Bool { if case .bye = self { true } else { false } }
}

/// One loaded knowledge base with what is derived from it.
struct LoadedKnowledge: Sendable {
    let dialogue: Dialogue
    let hours: BusinessHours
    let version: String
    let loadedAt: Date
}
