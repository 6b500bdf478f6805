import Foundation

/// What a node knows of the other nodes on its database (see ``DeskBus``).
struct Elsewhere: Sendable {
    /// A console on another node.
    struct Console: Hashable, Sendable {
        var node: String
        var connection: Int
    }

    /// Conversations queued or with a person on other nodes, as last read.
    var waiting: [WaitingConversation] = []
    /// Nodes that sent a heartbeat lately.
    var alive: Set<String> = []
    /// Consoles of other nodes whose commands this node carried out: what the desk sends them
    /// goes back by the bus.
    var proxies: [Console: Connection] = [:]
    /// Reads of the presence started and the last one applied (an older read that finishes
    /// late is ignored).
    var presenceReads = 0
    var presenceApplied = 0
    /// A digest of this node's queue when it was last announced: unchanged, nothing is sent.
    var announcedQueue: Int?
}

/// Several nodes: staff on one node serve residents on another.
extension Desk {
    /// A node that sent no heartbeat for this long counts as gone: its conversations may be
    /// taken by the node whose staff claim them. ``heartbeatInterval`` must stay well below it.
    static let nodeSilence: TimeInterval = 15
    /// How often a node records that it is alive (``NodeLink`` runs ``heartbeat()``).
    public static let heartbeatInterval: Duration = .seconds(3)

    /// Queues mail for another node (`target`), or for every other node, in order with all of
    /// this node's mail (``NodeLink`` posts it). Nothing on one node.
    nonisolated func send(
        _ kind: DeskMail.Kind, to target: String? = nil, connection: Int? = nil, staff: String? = nil, line: String? = nil,
        referral: String? = nil
    ) {
        guard let bus else { return }
        outgoingContinuation.yield(
            DeskMail(kind: kind, origin: bus.node, target: target, connection: connection, staff: staff, line: line, referral: referral))
    }

    /// Queues an announcement for the other nodes: nothing while no other node is alive.
    func announce(_ kind: DeskMail.Kind) {
        guard !elsewhere.alive.isEmpty else { return }
        send(kind)
    }

    /// Announces the queue if it changed since it was last announced (a resident's message in a
    /// chat with a person changes nothing another node shows).
    func announceQueueIfChanged() {
        guard bus != nil else { return }
        var hasher = Hasher()
        for id in live.keys.sorted() {
            guard let state = live[id], state.record.phase == .queued || state.record.phase == .withStaff else { continue }
            hasher.combine(id)
            hasher.combine(state.record.phase)
            hasher.combine(state.record.staff)
            if state.record.phase == .queued { hasher.combine(state.lastResidentText) }  // the queue shows it
        }
        let digest = hasher.finalize()
        guard digest != elsewhere.announcedQueue else { return }
        elsewhere.announcedQueue = digest
        announce(.queue)
    }

    /// Mail from another node.
    public func receive(mail: DeskMail) async {
        guard let bus, mail.origin != bus.node else { return }
        switch mail.kind {
        case .command:
            await carryOut(mail)
        case .reply:
            // Only to the console it was for: the connection id and the member must both match
            // (ids start again at 1 when a node restarts).
            guard let id = mail.connection, let line = mail.line, let session = staff.session(id), session.remoteNode == nil,
                session.member.name == mail.staff
            else { return }
            session.connection.send(line)
        case .staff:
            guard let name = mail.staff, let line = mail.line else { return }
            for session in staff.sessions(named: name) { session.connection.send(line) }
        case .queue:
            await readWaiting()
            await queueChanged(announcing: false)  // positions of this node's residents, and the consoles here
        case .presence:
            await readPresence()
        case .tickets:
            await ticketsChanged(announcing: false)
        case .referral:
            guard let referral = mail.referral, let status = mail.line.flatMap(ReferralRecord.Status.init(rawValue:)) else { return }
            await referralChanged(referral, status: status)
        case .resync:
            await readPresence()
            await readWaiting()
            await queueChanged(announcing: false)
            await ticketsChanged(announcing: false)
        }
    }

    /// Where a step of a conversation that is not in this node's memory must run.
    enum Route {
        /// Here: this node owns it (now in memory), nobody does, or its owner went silent and
        /// this node took it over and loaded it.
        case here
        /// On its owner, another node that is alive.
        case node(String)
        /// The database could not be asked.
        case unknown
    }

    /// Finds where a conversation not in memory here is to be handled (several nodes).
    func route(_ id: String) async -> Route {
        guard let bus, live[id] == nil else { return .here }
        let owner: String?
        do {
            owner = try await bus.owner(of: id)
        } catch {
            return .unknown
        }
        guard let owner, owner != bus.node, live[id] == nil else { return .here }
        if !elsewhere.alive.contains(owner) { await readPresence() }  // it may have started since the last read
        guard live[id] == nil else { return .here }
        if elsewhere.alive.contains(owner) { return .node(owner) }
        do {
            try await store.takeOver(conversation: id)
            if live[id] == nil, let record = try await store.conversation(id: id) { try await loadStored(record) }
            logger.info("conversation of a silent node taken over", metadata: ["conversation": "\(id)", "node": "\(owner)"])
        } catch {
            return .unknown
        }
        await readWaiting()  // it is this node's now, no longer elsewhere
        announce(.queue)
        return .here
    }

    /// Sends a command about a conversation another node owns to that node. Returns false when
    /// this node is to carry it out: it owns the conversation, or the owner is gone (then this
    /// node has taken the conversation over).
    func forwarded(_ line: String, about id: String, by member: StaffRecord, on connection: Connection) async -> Bool {
        switch await route(id) {
        case .here:
            return false
        case .unknown:
            fail(connection, .storageFailure)
            return true
        case .node(let owner):
            send(.command, to: owner, connection: connection.id, staff: member.name, line: line)
            return true
        }
    }

    /// Carries out the command of a console on another node, as if it were signed in here.
    private func carryOut(_ mail: DeskMail) async {
        guard bus != nil, let remoteID = mail.connection, let name = mail.staff, let line = mail.line else { return }
        let console = Elsewhere.Console(node: mail.origin, connection: remoteID)
        var proxy = elsewhere.proxies[console].flatMap { staff.session($0.id)?.member.name == name ? $0 : nil }
        if proxy == nil {
            let members: [StaffRecord]
            do {
                members = try await store.staffMembers()
            } catch {
                return send(.reply, to: mail.origin, connection: remoteID, staff: name, line: ServerMessage.error(.storageFailure).json())
            }
            // No await from here until the proxy is signed in and in the map.
            if let made = elsewhere.proxies[console], staff.session(made.id)?.member.name == name {
                proxy = made  // made meanwhile by another command of the same console
            } else {
                if let old = elsewhere.proxies.removeValue(forKey: console) { dropProxy(old) }
                let made = makeProxy(console, staff: name)
                guard let member = members.first(where: { $0.name == name && !$0.revoked }) else {
                    return fail(made, ProtocolError.unauthorized("This account was revoked.").closing())
                }
                staff.signInRemote(member, on: made, node: mail.origin)
                elsewhere.proxies[console] = made
                proxy = made
            }
        }
        guard let proxy else { return }
        do {
            await staffReceive(try StaffCommand.decode(Array(line.utf8)), from: proxy, line: nil)
        } catch {
            fail(proxy, error)
        }
    }

    /// A connection whose lines go back by the bus to a console on another node, in the order
    /// of all this node's mail (a `claimed` never comes after the resident's next message).
    private func makeProxy(_ console: Elsewhere.Console, staff name: String) -> Connection {
        Connection(address: "node " + console.node, now: now(), kind: .staff) { [self] item in
            let lines: [String]
            switch item {
            case .line(let line): lines = [line]
            case .lines(let all): lines = all
            case .close: lines = []
            }
            for line in lines { send(.reply, to: console.node, connection: console.connection, staff: name, line: line) }
        }
    }

    private func dropProxy(_ proxy: Connection) {
        staff.signOut(proxy.id)
        proxy.close(.ended)
    }

    /// Who is signed in here changed (or the node started): record it, and tell the other nodes.
    public func presenceChanged() async {
        guard bus != nil else { return }
        await publishPresence()
        announce(.presence)
    }

    private func publishPresence() async {
        guard let bus else { return }
        let present = staff.localSessions.map {
            PresentStaff(
                node: bus.node, name: $0.member.name, role: $0.member.role, locations: $0.member.locations, available: $0.available,
                connection: $0.connection.id)
        }
        do {
            try await bus.publishPresence(present)
        } catch {
            logger.warning("cannot record staff presence", metadata: ["error": "\(error)"])
        }
    }

    /// Reads who is signed in on the other nodes; drops the proxies of consoles that closed.
    func readPresence() async {
        guard let bus else { return }
        elsewhere.presenceReads += 1
        let read = elsewhere.presenceReads
        guard let nodes = try? await bus.presence(within: Self.nodeSilence), read > elsewhere.presenceApplied else { return }
        elsewhere.presenceApplied = read
        elsewhere.alive = Set(nodes.keys).subtracting([bus.node])
        staff.elsewhere = nodes.filter { $0.key != bus.node }.flatMap(\.value)
        let open = Set(staff.elsewhere.compactMap { staff in staff.connection.map { Elsewhere.Console(node: staff.node, connection: $0) } })
        for (console, proxy) in elsewhere.proxies where !open.contains(console) || staff.session(proxy.id) == nil {
            elsewhere.proxies[console] = nil
            dropProxy(proxy)
        }
    }

    /// Reads the conversations waiting for or held by a person on other nodes. Returns whether
    /// anything changed.
    @discardableResult
    func readWaiting() async -> Bool {
        guard let bus, let waiting = try? await bus.waitingElsewhere() else { return false }
        let changed = waiting != elsewhere.waiting
        elsewhere.waiting = waiting
        return changed
    }

    /// This node's heartbeat, and a fresh read of the others (so a missed notification costs at
    /// most one interval). ``NodeLink`` calls it every ``heartbeatInterval``.
    public func heartbeat() async {
        guard bus != nil else { return }
        await publishPresence()
        await readPresence()
        if await readWaiting() { await queueChanged(announcing: false) }
        await adoptAbandoned()
    }

    /// Residents a silent node left waiting longer than the queue allows are adopted by one live
    /// node, whose sweep then times them out as its own (the fallback: walk-in hours, a
    /// call-back), so staff queues do not list people nobody can reach and the resident finds an
    /// answer when they come back.
    func adoptAbandoned() async {
        guard let bus else { return }
        let time = now()
        var adopted = false
        for item in elsewhere.waiting where item.record.phase == .queued {
            let id = item.record.id
            guard live[id] == nil, let owner = item.owner, owner != bus.node, !elsewhere.alive.contains(owner),
                let since = item.record.queuedAt, time.timeIntervalSince(since) > configuration.maxQueueWait
            else { continue }
            do {
                guard try await bus.adopt(id, from: owner), live[id] == nil, let record = try await store.conversation(id: id) else { continue }
                try await loadStored(record)
                adopted = true
                logger.info("waiting resident of a silent node adopted", metadata: ["conversation": "\(id)", "node": "\(owner)"])
            } catch {
                logger.warning("cannot adopt a waiting resident of a silent node", metadata: ["conversation": "\(id)", "error": "\(error)"])
            }
        }
        if adopted {
            await readWaiting()
            announceQueueIfChanged()
        }
    }
}
