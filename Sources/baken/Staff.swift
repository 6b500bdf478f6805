import ArgumentParser
import BakenDesk
import BakenStore
import Foundation

struct Staff: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Manage staff and volunteer accounts for the staff console.", subcommands: [Add.self, List.self, Revoke.self])

    struct Add: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add an account and print its token once.")
        @Argument(help: "The name residents see (first name or display name); unique.") var name: String
        @Option(help: "staff, volunteer, curator, coordinator or admin.") var role: String = "staff"
        @Option(parsing: .upToNextOption, help: "Location ids whose chats they see (default: all).") var locations: [String] = []
        @OptionGroup var storage: StoreLocation

        func run() async throws {
            guard let role = StaffRecord.Role(rawValue: role) else {
                printError("--role must be one of: staff, volunteer, curator, coordinator, admin.")
                throw ExitCode(1)
            }
            if role == .coordinator && locations.isEmpty {
                printError("A coordinator sees the figures of their locations: give --locations (or use --role admin for all).")
                throw ExitCode(1)
            }
            let store = try await storage.open()
            if try await store.staffMembers().contains(where: { $0.name == name && !$0.revoked }) {
                printError("'\(name)' already exists. Revoke it first or choose another name.")
                throw ExitCode(1)
            }
            let token = SessionToken.make()
            try await store.commit([.staff(StaffRecord(name: name, role: role, locations: locations, tokenHash: SessionToken.hash(token), createdAt: Date()))])
            print(token)
            printError("Token for \(name) (\(role.rawValue)). It is shown only now; only its hash is stored.")
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List accounts (never tokens).")
        @OptionGroup var storage: StoreLocation

        func run() async throws {
            for member in try await storage.open().staffMembers() {
                let places = member.locations.isEmpty ? "all locations" : member.locations.joined(separator: ", ")
                print("\(member.name)\t\(member.role.rawValue)\t\(places)\t\(member.revoked ? "revoked" : "active")")
            }
        }
    }

    struct Revoke: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Revoke an account: its token stops working at the next sign-in.")
        @Argument var name: String
        @OptionGroup var storage: StoreLocation

        func run() async throws {
            let store = try await storage.open()
            guard var member = try await store.staffMembers().first(where: { $0.name == name }) else {
                printError("There is no account '\(name)'.")
                throw ExitCode(1)
            }
            member.revoked = true
            try await store.commit([.staff(member)])
            print("Revoked \(name).")
        }
    }
}
