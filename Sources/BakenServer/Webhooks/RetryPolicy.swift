import Foundation

/// When to try a webhook again: the Standard Webhooks schedule (about a day and a half in
/// all), with jitter; which answers are final.
public struct RetryPolicy: Sendable {
    /// Delays after attempt 1, 2, … ; after the last one the event is dead.
    public var schedule: [TimeInterval]
    /// ± this share of each delay, at random.
    public var jitter: Double

    /// Creates a policy.
    public init(
        schedule: [TimeInterval] = [5, 5 * 60, 30 * 60, 2 * 3600, 5 * 3600, 10 * 3600, 14 * 3600], jitter: Double = 0.2
    ) {
        self.schedule = schedule
        self.jitter = jitter
    }

    /// What happened on one attempt.
    public enum Result: Sendable, Hashable {
        case status(Int, retryAfter: TimeInterval?)
        /// A timeout or a connection error.
        case failure(String)
    }

    /// What to do next.
    public enum Action: Sendable, Hashable {
        case delivered
        case retry(after: TimeInterval)
        case dead(reason: String)
    }

    /// The next step after `attempt` (1-based) ended with `result`.
    public func next(after attempt: Int, _ result: Result, random: Double = Double.random(in: -1...1)) -> Action {
        switch result {
        case .status(let code, _) where (200..<300).contains(code):
            return .delivered
        case .status(let code, let retryAfter) where code == 408 || code == 429 || code >= 500:
            return retry(attempt, at: retryAfter, reason: "HTTP \(code)", random: random)
        case .status(let code, _):
            return .dead(reason: "HTTP \(code) is final")  // other 4xx (410 included) and 3xx: redirects are not followed
        case .failure(let reason):
            return retry(attempt, at: nil, reason: reason, random: random)
        }
    }

    private func retry(_ attempt: Int, at retryAfter: TimeInterval?, reason: String, random: Double) -> Action {
        guard attempt <= schedule.count else { return .dead(reason: "\(reason) after \(attempt) attempts") }
        let base = schedule[attempt - 1]
        let delay = max(0, base * (1 + jitter * random))
        if let retryAfter { return .retry(after: max(delay, min(retryAfter, 24 * 3600))) }
        return .retry(after: delay)
    }
}
