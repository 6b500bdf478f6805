import BakenDesk
import ServiceLifecycle

/// Sweeps idle connections and conversations every few seconds. On graceful shutdown it
/// tells every client the server is going away, so they reconnect and resume elsewhere.
///
/// List it last in the service group: services stop in reverse order, so clients are told
/// before the listeners close.
public struct DeskSweeper: Service {
    let desk: Desk
    let interval: Duration

    /// Creates the sweeper.
    public init(desk: Desk, interval: Duration = .seconds(5)) {
        self.desk = desk
        self.interval = interval
    }

    public func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            if Task.isShuttingDownGracefully || Task.isCancelled { break }
            await desk.sweep()
        }
        await desk.shutdown()
    }
}
