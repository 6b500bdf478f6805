import BakenDesk
import Logging
import ServiceLifecycle

/// Several nodes on one database: posts this desk's mail to the other nodes, in order, and
/// hands theirs to the desk (see ``DeskBus``). Staff on any node thus see every node's queue,
/// and claim and chat with a resident whose connection is on another node.
public struct NodeLink: Service {
    let desk: Desk
    let bus: any DeskBus
    let logger: Logger

    public init(desk: Desk, bus: any DeskBus, logger: Logger) {
        self.desk = desk
        self.bus = bus
        self.logger = logger
    }

    public func run() async throws {
        let (desk, bus, logger) = (desk, bus, logger)
        await desk.presenceChanged()  // this node's first heartbeat: the others know it is alive
        try? await cancelWhenGracefulShutdown {
            await withDiscardingTaskGroup { group in
                group.addTask {
                    for await mail in desk.outgoing {
                        do {
                            try await bus.post(mail)
                        } catch {
                            // The other nodes catch up on the queue and presence at their next
                            // sweep; a lost reply shows the console an unanswered command.
                            logger.error("cannot send mail to the other nodes", metadata: ["kind": "\(mail.kind.rawValue)", "error": "\(error)"])
                        }
                    }
                }
                group.addTask {
                    for await mail in bus.mail() { await desk.receive(mail: mail) }
                }
            }
        }
    }
}
