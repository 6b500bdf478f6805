import Foundation

/// What a node knows of the other nodes on its database (see ``DeskBus``).
struct Elsewhere: Sendable {
    /// Conversations queued or with a person on other nodes, as last read.
    var waiting: [WaitingConversation] = []
    /// Staff signed in on other nodes, as last read.
    var present: [PresentStaff] = []
    /// Nodes that sent a heartbeat lately.
    var alive: Set<String> = []
    /// Consoles of other nodes whose commands this node carried out, by "node#connection":
    /// what the desk sends them goes back by the bus.
    var proxies: [String: Connection] = [:]
}

/// Several nodes: staff on one node serve residents on another.
extension Desk {
    /// A node that sent no heartbeat for this long counts as gone: its conversations may be
    /// taken by the node whose staff claim them.
    static let nodeSilence: TimeInterval = 15

    /// Queues mail for the other nodes (nothing on one node).
    func announce(_ kind: DeskMail.Kind) {
        guard let bus else { return }
        outgoingContinuation.yield(DeskMail(kind: kind, origin: bus.node))
    }

    /// Mail from another node.
    public func receive(mail: DeskMail) async {
        guard let bus, mail.origin != bus.node else { return }
        switch mail.kind {
        case .command:
            await carryOut(mail)
        case .reply:
            guard let id = mail.connection, let line = mail.line, let session = staff.session(id), session.remoteNode == nil else { return }
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
            pushQueues()
        }
    }

    /// Where a step of a conversation that is not in this node's memory must run.
    enum Route {
        /// Here: this node owns it, nobody does, or its owner went silent and this node took it over.
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
            logger.info("conversation of a silent node taken over", metadata: ["conversation": "\(id)", "node": "\(owner)"])
        } catch {
            return .unknown
        }
        return .here
    }

    /// Sends a command about a conversation another node owns to that node. Returns false when
    /// this node is to carry it out: it owns the conversation, or the owner is gone (then this
    /// node takes the conversation over first).
    func forwarded(_ line: String, about id: String, by member: StaffRecord, on connection: Connection) async -> Bool {
        switch await route(id) {
        case .here:
            return false
        case .unknown:
            fail(connection, .storageFailure)
            return true
        case .node(let owner):
            guard let bus else { return false }
            outgoingContinuation.yield(DeskMail(kind: .command, origin: bus.node, target: owner, connection: connection.id, staff: member.name, line: line))
            return true
        }
    }

    /// Carries out the command of a console on another node, as if it were signed in here.
    private func carryOut(_ mail: DeskMail) async {
        guard let bus, let remoteID = mail.connection, let name = mail.staff, let line = mail.line else { return }
        let key = "\(mail.origin)#\(remoteID)"
        let proxy: Connection
        if let known = elsewhere.proxies[key], staff.session(known.id)?.member.name == name {
            proxy = known
        } else {
            proxy = elsewhere.proxies[key] ?? makeProxy(node: mail.origin, connection: remoteID, bus: bus)
            elsewhere.proxies[key] = proxy
            guard let member = try? await store.staffMembers().first(where: { $0.name == name && !$0.revoked }) else {
                return fail(proxy, .unauthorized("This account was revoked."))
            }
            staff.signInRemote(member, on: proxy, node: mail.origin)
        }
        do {
            await staffReceive(try StaffCommand.decode(Array(line.utf8)), from: proxy, line: nil)
        } catch {
            fail(proxy, error)
        }
    }

    /// A connection whose lines go back by the bus to a console on another node, in order.
    private func makeProxy(node: String, connection remoteID: Int, bus: any DeskBus) -> Connection {
        let proxy = Connection(address: "node " + node, now: now(), kind: .staff)
        let (out, origin) = (outgoingContinuation, bus.node)
        Task {
            for await item in proxy.outbound {
                switch item {
                case .line(let line):
                    out.yield(DeskMail(kind: .reply, origin: origin, target: node, connection: remoteID, line: line))
                case .lines(let lines):
                    for line in lines { out.yield(DeskMail(kind: .reply, origin: origin, target: node, connection: remoteID, line: line)) }
                case .close:
                    return
                }
            }
        }
        return proxy
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
            PresentStaff(node: bus.node, name: $0.member.name, role: $0.member.role, locations: $0.member.locations, available: $0.available)
        }
        do {
            try await bus.publishPresence(present)
        } catch {
            logger.warning("cannot record staff presence", metadata: ["error": "\(error)"])
        }
    }

    /// Reads who is signed in on the other nodes; forgets the consoles of those who left.
    func readPresence() async {
        guard let bus, let nodes = try? await bus.presence(within: Self.nodeSilence) else { return }
        elsewhere.alive = Set(nodes.keys).subtracting([bus.node])
        elsewhere.present = nodes.filter { $0.key != bus.node }.flatMap(\.value)
        for (key, proxy) in elsewhere.proxies {
            guard let session = staff.session(proxy.id), let node = session.remoteNode else {
                elsewhere.proxies[key] = nil
                continue
            }
            if !elsewhere.present.contains(where: { $0.node == node && $0.name == session.member.name }) {
                staff.signOut(proxy.id)
                elsewhere.proxies[key] = nil
                proxy.close(.ended)
            }
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

    /// Every sweep: this node's heartbeat, and a fresh read of the others (so a missed
    /// notification costs at most one sweep interval).
    func heartbeat() async {
        guard bus != nil else { return }
        await publishPresence()
        await readPresence()
        if await readWaiting() { await queueChanged(announcing: false) }
    }
}
