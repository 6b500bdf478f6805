import Foundation

/// The open connections and the rules for admitting them: connections per address, the
/// per-address rate budget (kept after the last connection closes, so reconnecting does not
/// refill it), idleness and draining. A value type without I/O: the desk sends what it decides.
///
/// Staff connections are counted under a key of their own (``Connection/budgetKey``), so a
/// flood of resident sockets from one address cannot lock the staff out.
struct ConnectionRegistry {
    struct Limits {
        var maxPerAddress: Int
        var addressRate: Double
        var addressBurst: Double
    }

    let limits: Limits
    private(set) var connections: [Int: Connection] = [:]
    private var perAddress: [String: Int] = [:]
    private var buckets: [String: TokenBucket] = [:]
    /// Set by ``drain()``: no new connections.
    private(set) var draining = false

    init(limits: Limits) { self.limits = limits }

    var count: Int { connections.count }

    func isOpen(_ connection: Connection) -> Bool { connections[connection.id] != nil }

    /// Admits a connection, or says why not.
    mutating func open(_ connection: Connection) -> ProtocolError? {
        if draining { return .shuttingDown }
        if perAddress[connection.budgetKey, default: 0] >= limits.maxPerAddress { return .tooManyConnections }
        perAddress[connection.budgetKey, default: 0] += 1
        connections[connection.id] = connection
        return nil
    }

    /// Forgets a connection; false when it was not open.
    mutating func close(_ connection: Connection) -> Bool {
        guard connections.removeValue(forKey: connection.id) != nil else { return false }
        perAddress[connection.budgetKey, default: 1] -= 1
        if perAddress[connection.budgetKey] == 0 { perAddress[connection.budgetKey] = nil }
        return true
    }

    /// Takes one message from the address's budget; false when it is empty.
    mutating func take(_ connection: Connection, at time: Date) -> Bool {
        buckets[connection.budgetKey, default: TokenBucket(rate: limits.addressRate, burst: limits.addressBurst, now: time)].take(now: time)
    }

    /// Connections that sent nothing for longer than `timeout` seconds.
    func idle(at time: Date, timeout: TimeInterval) -> [Connection] {
        connections.values.filter { time.timeIntervalSince($0.lastSeen) > timeout }
    }

    /// Drops the budgets of addresses without connections whose bucket has refilled.
    mutating func forgetRefilledBudgets(at time: Date) {
        buckets = buckets.filter { key, bucket in perAddress[key] != nil || !bucket.isFull(now: time) }
    }

    /// Stops admitting connections; returns the open ones, to be told to go.
    mutating func drain() -> [Connection] {
        draining = true
        return Array(connections.values)
    }
}
