import Foundation

/// Limits and timings of the conversation desk. Every value has a sane default.
public struct DeskConfiguration: Sendable {
    /// Largest accepted frame or line, in bytes (the connection closes above it).
    public var maxFrameBytes: Int
    /// Longest accepted `say` text, in characters.
    public var maxTextLength: Int
    /// Messages a second per session (token bucket rate) …
    public var sessionRate: Double
    /// … and how many may come at once.
    public var sessionBurst: Double
    /// Messages a second per IP address, over all its connections.
    public var addressRate: Double
    /// Burst per IP address.
    public var addressBurst: Double
    /// Open connections allowed per IP address.
    public var maxConnectionsPerAddress: Int
    /// A connection that sends nothing for this long is closed.
    public var connectionIdleTimeout: TimeInterval
    /// A conversation without messages for this long is closed (outcome by what happened).
    public var conversationIdleTimeout: TimeInterval
    /// Misses in a row before the bot offers a person or a referral.
    public var missesBeforeOffer: Int
    /// A resident waiting this long without a claim is told and offered the fallbacks.
    public var maxQueueWait: TimeInterval
    /// After this long in the queue, a conversation is shown to staff of every location.
    public var overflowAfter: TimeInterval
    /// Partners a referral can be delivered to (those with a webhook endpoint); nil means every
    /// partner in the knowledge base. Others are never offered: a referral nobody receives
    /// would be a dead end.
    public var referralPartners: Set<String>?

    /// Creates a configuration; see each property for what the defaults mean.
    public init(
        maxFrameBytes: Int = 16 * 1024, maxTextLength: Int = 2000, sessionRate: Double = 2, sessionBurst: Double = 10,
        addressRate: Double = 20, addressBurst: Double = 60, maxConnectionsPerAddress: Int = 50,
        connectionIdleTimeout: TimeInterval = 300, conversationIdleTimeout: TimeInterval = 30 * 60, missesBeforeOffer: Int = 2,
        maxQueueWait: TimeInterval = 5 * 60, overflowAfter: TimeInterval = 2 * 60
    ) {
        self.referralPartners = nil
        self.maxQueueWait = maxQueueWait
        self.overflowAfter = overflowAfter
        self.maxFrameBytes = maxFrameBytes
        self.maxTextLength = maxTextLength
        self.sessionRate = sessionRate
        self.sessionBurst = sessionBurst
        self.addressRate = addressRate
        self.addressBurst = addressBurst
        self.maxConnectionsPerAddress = maxConnectionsPerAddress
        self.connectionIdleTimeout = connectionIdleTimeout
        self.conversationIdleTimeout = conversationIdleTimeout
        self.missesBeforeOffer = missesBeforeOffer
    }
}

/// Read from the `baken serve --config` file (`deploy/baken.example.yaml`): every key is
/// optional and falls back to the default above. The keys are the one list of these settings.
extension DeskConfiguration: Decodable {
    public enum CodingKeys: String, CodingKey, CaseIterable {
        case maxFrameBytes = "max_frame_bytes"
        case maxTextLength = "max_text_length"
        case sessionRate = "session_rate"
        case sessionBurst = "session_burst"
        case addressRate = "address_rate"
        case addressBurst = "address_burst"
        case maxConnectionsPerAddress = "max_connections_per_address"
        case connectionIdleTimeout = "connection_idle_timeout"
        case conversationIdleTimeout = "conversation_idle_timeout"
        case missesBeforeOffer = "misses_before_offer"
        case maxQueueWait = "max_queue_wait"
        case overflowAfter = "overflow_after"
    }

    public init(from decoder: any Decoder) throws {
        self.init()
        let c = try decoder.container(keyedBy: CodingKeys.self)
        func read<T: Decodable>(_ key: CodingKeys, into value: inout T) throws { value = try c.decodeIfPresent(T.self, forKey: key) ?? value }
        try read(.maxFrameBytes, into: &maxFrameBytes)
        try read(.maxTextLength, into: &maxTextLength)
        try read(.sessionRate, into: &sessionRate)
        try read(.sessionBurst, into: &sessionBurst)
        try read(.addressRate, into: &addressRate)
        try read(.addressBurst, into: &addressBurst)
        try read(.maxConnectionsPerAddress, into: &maxConnectionsPerAddress)
        try read(.connectionIdleTimeout, into: &connectionIdleTimeout)
        try read(.conversationIdleTimeout, into: &conversationIdleTimeout)
        try read(.missesBeforeOffer, into: &missesBeforeOffer)
        try read(.maxQueueWait, into: &maxQueueWait)
        try read(.overflowAfter, into: &overflowAfter)
    }
}
