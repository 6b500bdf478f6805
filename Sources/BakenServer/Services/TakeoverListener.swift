import BakenDesk
import Logging
import ServiceLifecycle

/// On a store shared by several nodes: when another node takes over a conversation this node
/// holds (its resident resumed there), the desk here lets it go (`replaced` to the old
/// connection). After the listening connection was lost, the desk checks every live
/// conversation, so a missed notification costs nothing but a check.
public struct TakeoverListener: Service {
    let desk: Desk
    let store: any TakeoverNotifying
    let logger: Logger

    public init(desk: Desk, store: any TakeoverNotifying, logger: Logger) {
        self.desk = desk
        self.store = store
        self.logger = logger
    }

    public func run() async throws {
        try? await cancelWhenGracefulShutdown {
            for await event in store.takeovers() {
                switch event {
                case .takenOver(let conversation): await desk.takenOver(conversation)
                case .resync: await desk.resyncOwnership(store)
                }
            }
        }
    }
}
