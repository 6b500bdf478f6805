import Foundation
import Synchronization

/// A settable clock for tests: pass ``source`` (or `{ clock.now }`) as the desk's `now:`
/// closure and move time with ``advance(by:)`` instead of sleeping.
///
/// ```swift
/// let clock = ManualClock()
/// let desk = Desk(engine: engine, store: store, now: clock.source)
/// clock.advance(by: 31 * 60)
/// await desk.sweep()
/// ```
public final class ManualClock: Sendable {
    private let current: Mutex<Date>

    /// Creates a clock showing `start` (a fixed, whole-second date by default).
    public init(start: Date = Date(timeIntervalSince1970: 1_750_000_000)) {
        current = Mutex(start)
    }

    /// The current time of the clock.
    public var now: Date { current.withLock { $0 } }

    /// Moves the clock forward by `interval` seconds.
    public func advance(by interval: TimeInterval) {
        current.withLock { $0 = $0.addingTimeInterval(interval) }
    }

    /// Sets the clock to `date`.
    public func set(_ date: Date) {
        current.withLock { $0 = date }
    }

    /// A date source for the desk's `now:` parameter.
    public var source: @Sendable () -> Date { { self.now } }
}
