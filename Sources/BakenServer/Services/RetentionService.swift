import BakenDesk
import Foundation
import Logging
import ServiceLifecycle

/// Erases personal data past its retention period (see ``RetentionPolicy``): once at start,
/// then every `interval`. Logs what it erased as counts, never content.
public struct RetentionService: Service {
    let store: any PurgingStore
    let policy: RetentionPolicy
    let interval: Duration
    let now: @Sendable () -> Date
    let logger: Logger

    /// Creates the service.
    public init(store: any PurgingStore, policy: RetentionPolicy, interval: Duration = .seconds(3600), now: @escaping @Sendable () -> Date, logger: Logger) {
        self.store = store
        self.policy = policy
        self.interval = interval
        self.now = now
        self.logger = logger
    }

    public func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                let report = try await store.purge(policy, now: now())
                if !report.isEmpty { logger.notice("retention: erased \(report)") }
            } catch {
                logger.error("retention purge failed; trying again later", metadata: ["error": "\(error)"])
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }
}
