import BakenEngine
import Foundation

/// The staff side: sign-in, the live queue, claims, messages both ways, release and close.
extension Desk {
    /// Whether a frame belongs to the staff protocol.
    func isStaff(_ connection: Connection, type: String) -> Bool {
        switch connection.kind {
        case .staff: true
        case .resident: false
        case .either: staff.session(connection.id) != nil || (type == "auth" && attached[connection.id] == nil)
        }
    }

    /// Carries out a staff command. `line` is the command as received, sent on to the node that
    /// owns the conversation when that is another node.
    func staffReceive(_ command: StaffCommand, from connection: Connection, line: String?) async {
        guard let session = staff.session(connection.id) else {
            guard case .auth(let token) = command else {
                return fail(connection, .unauthorized("Send 'auth' with your staff token first."))
            }
            return await authenticate(connection, token: token)
        }
        let member = session.member
        if let id = command.conversation, let line, session.remoteNode == nil, await forwarded(line, about: id, by: member, on: connection) {
            return
        }
        let dialogue = self.dialogue  // one knowledge base for the whole command, even if it is reloaded meanwhile
        switch command {
        case .auth:
            fail(connection, .alreadyAuthenticated)
        case .ping:
            connection.send(.pong)
        case .tickets:
            sendStaff(connection, .tickets(await openTickets(of: member)))
        case .ticketHandled(let id):
            guard member.role != .curator else { return fail(connection, .curatorsDoNotChat) }
            guard var ticket = await openTickets(of: member).first(where: { $0.id == Int64(id) }) else {
                return fail(connection, .unknownTicket(id))
            }
            ticket.status = "handled"
            do {
                try await store.commit([.ticket(ticket)])
            } catch {
                return fail(connection, .storageFailure)
            }
            logger.info("call-back request handled", metadata: ["ticket": "\(id)", "staff": "\(member.name)"])
            sendStaff(connection, .tickets(await openTickets(of: member)))
            announce(.tickets)
        case .presence(let available):
            staff.setAvailable(available, connection.id)
            sendStaff(connection, .presence(available: available))
            await presenceChanged()
            if available { sendQueue(to: connection.id) }
        case .queue(let language):
            staff.setLanguageFilter(language, connection.id)
            sendQueue(to: connection.id)
        case .open(let id):
            guard let state = await visibleConversation(id, to: member, connection) else { return }
            await sendTranscript(id, state.record, to: connection)
        case .claim(let id):
            guard member.role != .curator else { return fail(connection, .curatorsDoNotChat) }
            guard let state = await visibleConversation(id, to: member, connection) else { return }
            guard state.record.phase == .queued || state.record.phase == .bot else {
                let by = state.record.staff ?? "someone"
                return fail(
                    connection,
                    .alreadyClaimed(by: by, closed: state.record.phase == .closed))
            }
            // Only a resident who asked for a person is taken over.
            guard state.record.phase == .queued else { return fail(connection, .notWaiting(id)) }
            var turn = makeTurn(id, now())
            dialogue.staffJoined(&turn, name: member.name)
            guard await apply(id, turn, clientID: nil) else { return fail(connection, .storageFailure) }
            sendStaff(connection, .claimed(conversation: id, by: member.name))
            await sendTranscript(id, turn.record, to: connection)
            await queueChanged()
        case .say(let id, let clientID, let text, let articleID):
            guard let state = heldConversation(id, by: member, connection) else { return }
            let key = "staff:" + clientID
            if let seq = state.clientIDs[key] {
                return sendStaff(connection, .ack(conversation: id, id: clientID, seq: seq))
            }
            var body = text ?? ""
            var links: [Link] = []
            if let articleID {
                let language = state.record.language
                guard let intent = dialogue.knowledge.intents.first(where: { $0.article == articleID || $0.id == articleID }),
                    let article = dialogue.knowledge.article(intent.article, language: language)
                else {
                    return fail(connection, .unknownArticle(articleID, id: clientID))
                }
                body = dialogue.engine.text(of: article)
                links = article.links
            }
            guard !body.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else { return fail(connection, ProtocolError.emptyText.about(clientID)) }
            var turn = makeTurn(id, now())
            dialogue.staffSays(&turn, clientID: key, text: body, links: links)
            // The staff id is kept under its own prefix, apart from the resident's ids.
            guard await apply(id, turn, clientID: key) else { return fail(connection, .storageFailure) }
            sendStaff(connection, .ack(conversation: id, id: clientID, seq: turn.record.lastSeq))
        case .typing(let id):
            guard let state = heldConversation(id, by: member, connection) else { return }
            state.connection?.send(.typing)
        case .transfer(let id, let to):
            guard heldConversation(id, by: member, connection) != nil else { return }
            guard let location = live[id]?.record.location as String??, staff.canBeHanded(to: to, location: location, at: now()) else {
                return fail(connection, .unknownStaff(to))
            }
            var turn = makeTurn(id, now())
            dialogue.staffJoined(&turn, name: to)
            guard await apply(id, turn, clientID: nil) else { return fail(connection, .storageFailure) }
            sendStaff(connection, .transferred(conversation: id, to: to))
            sendToStaff(named: to, .claimed(conversation: id, by: to))
            sendToStaff(named: to, await transcript(id, turn.record))
        case .release(let id):
            guard heldConversation(id, by: member, connection) != nil else { return }
            var turn = makeTurn(id, now())
            dialogue.staffLeft(&turn)
            guard await apply(id, turn, clientID: nil) else { return fail(connection, .storageFailure) }
            sendStaff(connection, .released(conversation: id))
            await queueChanged()
        case .close(let id, let outcomeText, _):
            guard heldConversation(id, by: member, connection) != nil else { return }
            var outcome: Outcome? = nil
            if let outcomeText {
                guard let chosen = Outcome(rawValue: outcomeText) else {
                    return fail(connection, .wrongType("outcome", expected: "answered, referred, handed_off or unresolved"))
                }
                outcome = chosen
            }
            var turn = makeTurn(id, now())
            dialogue.close(&turn, farewell: true, outcome: outcome ?? .handedOff)
            guard await apply(id, turn, clientID: nil) else { return fail(connection, .storageFailure) }
            sendStaff(connection, .closed(conversation: id, outcome: turn.record.outcome?.rawValue ?? "", by: nil))
            await queueChanged()
        case .refer(let id, let partner):
            guard heldConversation(id, by: member, connection) != nil else { return }
            guard dialogue.knowledge.partner(partner) != nil else {
                return fail(connection, .unknownPartner(partner))
            }
            guard configuration.referralPartners?.contains(partner) ?? true else {
                return fail(connection, .notAvailable(partner))
            }
            guard await staffRefers(id, partner: partner, by: member.name) else { return fail(connection, .storageFailure) }
            sendStaff(connection, .referralOffered(conversation: id, partner: partner))
        }
    }

    // MARK: - Sign-in

    private func authenticate(_ connection: Connection, token: String) async {
        // Read the accounts afresh at every sign-in, so `baken staff add/revoke` take effect at once.
        if let all = try? await store.staffMembers() { staff.refreshAccounts(all) }
        switch staff.signIn(tokenHash: SessionToken.hash(token), on: connection, at: now()) {
        case .refused(let message, let failures):
            logger.warning("staff sign-in refused", metadata: ["address": "\(connection.address)", "failures": "\(failures)"])
            fail(connection, .unauthorized(message))
        case .signedIn(let member):
            sendStaff(connection, .authOK(name: member.name, role: member.role.rawValue, locations: member.locations))
            sendQueue(to: connection.id)
            await presenceChanged()
        }
    }

    /// Signs out sessions whose account was revoked meanwhile (called by the sweep).
    func dropRevokedStaff() async {
        guard !staff.sessions.isEmpty, let all = try? await store.staffMembers() else { return }
        for session in staff.dropRevoked(Set(all.filter(\.revoked).map(\.name))) {
            fail(session.connection, .unauthorized("This account was revoked."))
        }
    }

    // MARK: - Visibility and the queue

    /// Whether someone can take a chat of this location now: chat hours and a staff member
    /// who is available and sees the location.
    func staffCanTake(_ location: String?, at time: Date) -> Bool {
        hours.chatIsOpen(location, at: time) && staff.someoneAvailable(for: location, at: time)
    }

    /// Queued conversations of one location (nil: those without a location), oldest first:
    /// the FIFO a resident's position counts in.
    func queued(for location: String?) -> [(id: String, state: ConversationState)] {
        allQueued().filter { $0.state.record.location == location }
    }

    /// Every queued conversation, oldest first.
    func allQueued() -> [(id: String, state: ConversationState)] {
        queuedIDs.compactMap { id in live[id].map { (id, $0) } }
            .filter { $0.1.record.phase == .queued }
            .sorted { ($0.state.record.queuedAt ?? .distantPast, $0.id) < ($1.state.record.queuedAt ?? .distantPast, $1.id) }
    }

    /// How many residents of other nodes wait for a person of `location` since before `since`
    /// (several nodes: one queue per location over every node).
    func waitingElsewhere(for location: String?, before since: Date?, id: String) -> Int {
        guard bus != nil else { return 0 }
        let key = (since ?? .distantFuture, id)
        return elsewhere.waiting.filter {
            $0.record.phase == .queued && $0.record.location == location && live[$0.record.id] == nil
                && $0.owner.map(elsewhere.alive.contains) ?? false  // a dead node's resident is not waiting in line
                && ($0.record.queuedAt ?? .distantPast, $0.record.id) < key
        }.count
    }

    /// After any change: tell residents whose position changed, and push the queue to staff.
    /// `announcing`: tell the other nodes too (not when the change came from them).
    func queueChanged(announcing: Bool = true) async {
        var moves: [(String, Int)] = []
        for location in Set(queuedIDs.map { live[$0]?.record.location ?? nil }) {
            for (index, item) in queued(for: location).enumerated() {
                let position = index + 1 + waitingElsewhere(for: location, before: item.state.record.queuedAt, id: item.id)
                if item.state.lastPosition != position { moves.append((item.id, position)) }
            }
        }
        for (id, position) in moves {
            guard live[id]?.record.phase == .queued else { continue }
            live[id]?.lastPosition = position
            var turn = makeTurn(id, now())
            turn.emit(role: .system, text: "queued at \(position)") { .queued(seq: $0, position: position, estimatedWait: nil) }
            await apply(id, turn, clientID: nil)
        }
        pushQueues()
        if announcing { announceQueueIfChanged() }
    }

    /// Sends the queue to every console signed in on this node.
    func pushQueues() {
        for session in staff.localSessions { sendQueue(to: session.connection.id) }
    }

    func sendQueue(to sessionID: Int) {
        guard let session = staff.session(sessionID), session.available else { return }
        let time = now()
        // This node's queue and, with several nodes, the others' (read from the database).
        let here = allQueued().map { (record: $0.state.record, last: $0.state.lastResidentText) }
        let there = elsewhere.waiting.filter { $0.record.phase == .queued && live[$0.record.id] == nil }.map { (record: $0.record, last: $0.lastMessage) }
        let items = (here + there).sorted { ($0.record.queuedAt ?? .distantPast, $0.record.id) < ($1.record.queuedAt ?? .distantPast, $1.record.id) }
            .filter { item in
                staff.sees(session.member, location: item.record.location, waitingSince: item.record.queuedAt, at: time)
                    && (session.languageFilter == nil || session.languageFilter == item.record.language.rawValue)
            }.enumerated().map { index, item in
                let record = item.record
                return StaffMessage.QueueItem(
                    conversation: record.id, intent: record.lastIntent, location: record.location, language: record.language.rawValue,
                    waitingSince: record.queuedAt ?? time, waitingSeconds: Int(time.timeIntervalSince(record.queuedAt ?? time)),
                    lastMessage: item.last, position: index + 1)
            }
        let name = session.member.name
        let mine =
            (live.filter { $0.value.record.phase == .withStaff && $0.value.record.staff == name }.map(\.key)
            + elsewhere.waiting.filter { $0.record.phase == .withStaff && $0.record.staff == name && live[$0.record.id] == nil }.map(\.record.id))
            .sorted()
        sendStaff(session.connection, .queue(items: items, mine: mine))
    }

    /// Sends every signed-in staff member their open call-back requests (a new one came in).
    func ticketsChanged(announcing: Bool = true) async {
        let all = (try? await store.tickets()) ?? []
        if announcing { announce(.tickets) }
        for session in staff.localSessions where session.member.role != .curator {
            sendStaff(session.connection, .tickets(Self.open(all, of: session.member)))
        }
    }

    /// Call-back requests still open, of the member's locations (requests without a branch are
    /// for everyone), oldest first.
    private func openTickets(of member: StaffRecord) async -> [TicketRecord] {
        Self.open((try? await store.tickets()) ?? [], of: member)
    }

    private static func open(_ tickets: [TicketRecord], of member: StaffRecord) -> [TicketRecord] {
        tickets.filter { ticket in
            ticket.status == "open" && (member.locations.isEmpty || ticket.location.map(member.locations.contains) ?? true)
        }
    }

    private func visibleConversation(_ id: String, to member: StaffRecord, _ connection: Connection) async -> ConversationState? {
        if live[id] == nil, let record = try? await store.conversation(id: id) {
            try? await loadStored(record)
        }
        guard let state = live[id], staff.sees(member, location: state.record.location, waitingSince: state.record.queuedAt, at: now()) else {
            fail(connection, .notFound(id))
            return nil
        }
        return state
    }

    private func heldConversation(_ id: String, by member: StaffRecord, _ connection: Connection) -> ConversationState? {
        guard let state = live[id], state.record.phase == .withStaff, state.record.staff == member.name else {
            fail(connection, .notClaimed(id))
            return nil
        }
        return state
    }

    private func sendTranscript(_ id: String, _ record: ConversationRecord, to connection: Connection) async {
        sendStaff(connection, await transcript(id, record))
    }

    private func transcript(_ id: String, _ record: ConversationRecord) async -> StaffMessage {
        let messages = (try? await store.messages(conversation: id, after: 0)) ?? []
        return .transcript(
            conversation: id, language: record.language.rawValue, location: record.location, phase: record.phase.rawValue,
            messages: messages.filter { $0.type != "ack" || $0.role == .resident })
    }

    /// Sends a line to every console of a member: here, and (several nodes) on the nodes where
    /// they are signed in.
    func sendToStaff(named name: String, _ message: StaffMessage) {
        let line = message.json()
        for session in staff.sessions(named: name) { session.connection.send(line) }
        if !elsewhere.alive.isEmpty { send(.staff, staff: name, line: line) }  // they may have signed in elsewhere since the last read
    }

    func sendStaff(_ connection: Connection, _ message: StaffMessage) {
        connection.send(message.json())
    }
}
