import BakenEngine
import Foundation

/// Starting and resuming conversations.
extension Desk {
    func hello(_ connection: Connection, language: String?, location: String?) async {
        if let current = attached[connection.id] {
            // A new conversation on the same connection is fine once the old one is closed.
            guard live[current]?.record.phase == .closed else { return fail(connection, .alreadyStarted) }
            attached[connection.id] = nil
            evict(current)
        }
        let token = SessionToken.make()
        let time = now()
        let knowledge = dialogue.knowledge
        var record = ConversationRecord(
            id: SessionToken.conversationID(), sessionHash: SessionToken.hash(token), language: Language(rawValue: language ?? "") ?? .nl,
            location: location.flatMap { knowledge.location($0) != nil ? $0 : nil }, now: time)
        record.updatedAt = time
        var turn = Turn(record: record, now: time)
        dialogue.greet(&turn)
        let id = record.id
        loads += 1
        live[id] = ConversationState(
            record: turn.record, clientIDs: [:], committed: 0, connection: nil, sentUpTo: 0,
            bucket: TokenBucket(rate: configuration.sessionRate, burst: configuration.sessionBurst, now: time), lastActivity: time, generation: loads)
        bySession[record.sessionHash] = id
        live[id]?.outbox = turn.lines
        let ticket = commits.enqueue(turn.finish())
        do {
            try await commits.wait(ticket)
        } catch {
            logger.error("cannot store a new conversation", metadata: ["error": "\(error)"])
            evict(id)
            return fail(connection, .storageFailure)
        }
        conversationsStarted.increment()
        guard registry.isOpen(connection) else { return }
        attach(connection, to: id)
        connection.send(.welcome(session: token, conversation: id, seq: 0, resumed: false))
        committed(id, upTo: turn.record.lastSeq)
        logger.debug("conversation started", metadata: ["conversation": "\(id)"])
    }

    /// Another node took the conversation over (its resident resumed there): the connection
    /// here, if any, is told `replaced` and closed, and the conversation leaves this node's
    /// memory, so a later resume here reloads it from the store.
    public func takenOver(_ id: String) {
        guard let state = live[id] else { return }
        if let connection = state.connection {
            connection.send(.error(.replaced))
            connection.close(.error(.replaced))
        }
        evict(id)
        logger.info("conversation taken over by another node", metadata: ["conversation": "\(id)"])
    }

    /// Notifications may have been missed: drops every live conversation another node owns now.
    public func resyncOwnership(_ store: any TakeoverNotifying) async {
        let ids = Array(live.keys)
        guard !ids.isEmpty, let lost = try? await store.notOwned(among: ids) else { return }
        for id in lost { takenOver(id) }
    }

    func resume(_ connection: Connection, session: String, after: Int) async {
        guard attached[connection.id] == nil else { return fail(connection, .alreadyStarted) }
        let hash = SessionToken.hash(session)
        var id = bySession[hash]
        if id == nil {
            do {
                guard let found = try await store.conversation(sessionHash: hash) else { return fail(connection, .unknownSession) }
                // Several nodes: this one takes the conversation over, then reads it again —
                // the last commit of the node that had it is in what it reads now.
                try await store.takeOver(conversation: found.id)
                guard let record = try await store.conversation(id: found.id) else { return fail(connection, .unknownSession) }
                try await loadStored(record)
                id = record.id
                // Other nodes list it as theirs in their queue, or as a colleague's chat there.
                if record.phase == .queued || record.phase == .withStaff { announce(.queue) }
            } catch {
                return fail(connection, .storageFailure)
            }
        }
        guard let id, registry.isOpen(connection), var state = live[id] else { return fail(connection, .unknownSession) }
        if let old = state.connection, old != connection {
            attached[old.id] = nil
            old.send(.error(.replaced))
            old.close(.error(.replaced))
        }
        _ = state.handle(.resuming(connection))
        state.lastActivity = now()
        live[id] = state
        attached[connection.id] = id
        connection.send(.welcome(session: session, conversation: id, seq: state.committed, resumed: true))
        let missed: [MessageRecord]
        do {
            missed = try await store.messages(conversation: id, after: after)
        } catch {
            live[id]?.replaying = false
            return fail(connection, .storageFailure)
        }
        guard live[id]?.connection == connection else { return }
        let sent = missed.last?.seq ?? min(max(0, after), live[id]?.committed ?? 0)
        connection.send(lines: missed.map(\.payload))
        perform(live[id]!.handle(.replayed(upTo: sent)), id)
    }
}
