import Foundation

/// A token bucket: `rate` tokens a second, at most `burst` saved up.
public struct TokenBucket: Sendable, Hashable {
    public var rate: Double
    public var burst: Double
    private var tokens: Double
    private var updated: Date

    /// Creates a full bucket.
    public init(rate: Double, burst: Double, now: Date) {
        self.rate = rate
        self.burst = burst
        self.tokens = burst
        self.updated = now
    }

    /// Takes one token if there is one.
    public mutating func take(now: Date) -> Bool {
        tokens = min(burst, tokens + max(0, now.timeIntervalSince(updated)) * rate)
        updated = now
        guard tokens >= 1 else { return false }
        tokens -= 1
        return true
    }

    /// Whether the bucket has refilled completely by `now` (so forgetting it changes nothing).
    public func isFull(now: Date) -> Bool {
        tokens + max(0, now.timeIntervalSince(updated)) * rate >= burst
    }
}
