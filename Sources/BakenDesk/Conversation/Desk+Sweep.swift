import Foundation

/// Time-driven work: idle connections and conversations, absent staff, queue timeouts, shutdown.
extension Desk {

    /// Closes idle connections and ends idle conversations. Call it every few seconds.
    public func sweep() async {
        await dropRevokedStaff()
        let time = now()
        for id in Array(live.keys) {
            guard let state = live[id], state.record.phase == .queued, let since = state.record.queuedAt,
                now().timeIntervalSince(since) > configuration.maxQueueWait
            else { continue }
            var turn = makeTurn(id, time)
            dialogue.queueTimedOut(&turn)
            await apply(id, turn, clientID: nil)
            await queueChanged()
        }
        registry.forgetRefilledBudgets(at: time)
        for connection in registry.idle(at: time, timeout: configuration.connectionIdleTimeout) {
            connection.send(.error(.idleTimeout))
            connection.close(.error(.idleTimeout))
        }
        // A person who holds a conversation and is gone (disconnected or revoked) for a minute
        // hands it back to the bot, so the resident is not left talking to nobody.
        let present = staff.presentNames
        for id in Array(live.keys) {
            guard let state = live[id], state.record.phase == .withStaff, let staff = state.record.staff else { continue }
            if present.contains(staff) {
                live[id]?.staffMissingSince = nil
                continue
            }
            guard let since = state.staffMissingSince else {
                live[id]?.staffMissingSince = now()
                continue
            }
            guard now().timeIntervalSince(since) > 60 else { continue }
            live[id]?.staffMissingSince = nil
            var turn = makeTurn(id, now())
            dialogue.staffLeft(&turn)
            await apply(id, turn, clientID: nil)
        }
        staff.forgetStaleFailures(at: time)
        for id in Array(live.keys) {
            // Re-read each conversation: an earlier commit in this loop may have let it move on.
            guard let state = live[id], state.record.phase != .closed,
                now().timeIntervalSince(state.lastActivity) > configuration.conversationIdleTimeout
            else { continue }
            var turn = makeTurn(id, now())
            dialogue.close(&turn, farewell: false)
            await apply(id, turn, clientID: nil)
        }
        for (id, state) in live where state.record.phase == .closed && state.connection == nil { evict(id) }
    }

    /// Stops taking connections and tells every client to reconnect later.
    public func shutdown() {
        for connection in registry.drain() {
            connection.send(.error(.shuttingDown))
            connection.close(.error(.shuttingDown))
        }
        staff.signOutAll()
    }
}
