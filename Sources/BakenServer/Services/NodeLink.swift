import BakenDesk
import Logging
import ServiceLifecycle

/// Several nodes on one database: posts this desk's mail to the other nodes, in order, and
/// hands theirs to the desk (see ``DeskBus``). Staff on any node thus see every node's queue,
/// and claim and chat with a resident whose connection is on another node.
///
/// It also keeps the node's heartbeat, and lets a conversation go when another node took it
/// over (its resident resumed there: `replaced` to the old connection). After the listening
/// connection was lost, the desk checks every live conversation, so a missed takeover costs
/// nothing but a check.
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
        await cancelWhenGracefulShutdown {
            await withDiscardingTaskGroup { group in
                group.addTask {
                    for await mail in desk.outgoing {
                        // A short outage is bridged in order; after that the mail is dropped (the
                        // other nodes read queue and presence again at their next heartbeat; a
                        // console whose command got no answer can send it again).
                        for attempt in 1...3 {
                            do {
                                try await bus.post(mail)
                                break
                            } catch {
                                if attempt == 3 || Task.isCancelled {
                                    logger.error("cannot send mail to the other nodes", metadata: ["kind": "\(mail.kind.rawValue)", "error": "\(error)"])
                                    break
                                }
                                try? await Task.sleep(for: .milliseconds(250 * attempt))
                            }
                        }
                    }
                }
                if let takeovers = bus as? any TakeoverNotifying {
                    group.addTask {
                        for await event in takeovers.takeovers() {
                            switch event {
                            case .takenOver(let conversation): await desk.takenOver(conversation)
                            case .resync: await desk.resyncOwnership(takeovers)
                            }
                        }
                    }
                }
                group.addTask {
                    while !Task.isCancelled {
                        try? await Task.sleep(for: Desk.heartbeatInterval)
                        await desk.heartbeat()
                    }
                }
                group.addTask {
                    for await mail in bus.mail() { await desk.receive(mail: mail) }
                }
            }
        }
    }
}
