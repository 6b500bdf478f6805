import ArgumentParser
import BakenDesk
import Foundation

struct Tickets: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List call-back requests residents left when nobody could take the chat.")

    @OptionGroup var storage: StoreLocation
    @Option(help: "Only tickets of this location id.") var location: String?

    func run() async throws {
        let formatter = ISO8601DateFormatter()
        let tickets = try await storage.open().tickets().filter { location == nil || $0.location == location }
        for ticket in tickets {
            print("\(formatter.string(from: ticket.createdAt))  \(ticket.status)  \(ticket.location ?? "-")  \(ticket.name)  \(ticket.contact)  topic: \(ticket.topic.isEmpty ? "-" : ticket.topic)  (\(ticket.conversation))")
        }
        print("\(tickets.count) call-back request(s).")
    }
}
