import Foundation

/// The staff side of the desk as a value with no I/O: who is signed in on which connection,
/// available or away, with which language filter; the accounts by token hash; failed sign-ins
/// per address; and who may see a conversation. The desk asks it and carries out the sending.
///
/// ```swift
/// var staff = StaffDesk(overflowAfter: 120)
/// staff.refreshAccounts(try await store.staffMembers())
/// switch staff.signIn(tokenHash: SessionToken.hash(token), on: connection, at: now) {
/// case .signedIn(let member): …        // auth_ok, then the queue
/// case .refused(let message, let failures): …
/// }
/// ```
struct StaffDesk: Sendable {
    /// A signed-in staff connection.
    struct Session: Sendable {
        var member: StaffRecord
        var connection: Connection
        var available = true
        var languageFilter: String?
        /// For a console on another node: that node (its commands come by the ``DeskBus``, and
        /// `connection` carries the answers back). Such a session gets no queue of its own here.
        var remoteNode: String?
    }

    /// Why a sign-in was refused, in words for the client, and the address's failure count.
    enum SignIn: Sendable {
        case signedIn(StaffRecord)
        case refused(message: String, failures: Int)
    }

    /// Signed-in sessions by connection id.
    private(set) var sessions: [Int: Session] = [:]
    /// Staff signed in on the other nodes of a shared database, as last read (several nodes).
    var elsewhere: [PresentStaff] = []
    private var accounts: [String: StaffRecord] = [:]
    private var failures: [String: AuthFailures] = [:]
    /// After this long in the queue, a chat is shown to staff of every location.
    let overflowAfter: TimeInterval

    init(overflowAfter: TimeInterval) {
        self.overflowAfter = overflowAfter
    }

    /// Takes the accounts as stored now, so `baken staff add/revoke` count at the next sign-in.
    mutating func refreshAccounts(_ all: [StaffRecord]) {
        accounts = Dictionary(all.map { ($0.tokenHash, $0) }, uniquingKeysWith: { $1 })
    }

    /// Signs a connection in with a token's hash. A valid token always gets in: staff share
    /// their branch's address with the public PCs, and a blocked address must not lock them
    /// out. Wrong tokens are counted per address; past five, the refusal asks to wait (tokens
    /// are 256 random bits: the wait is against noise, not the only defence).
    mutating func signIn(tokenHash hash: String, on connection: Connection, at time: Date) -> SignIn {
        guard let member = accounts[hash], !member.revoked, SessionToken.sameHash(member.tokenHash, hash) else {
            var record = failures[connection.address] ?? AuthFailures()
            let wasBlocked = record.blockedUntil.map { time < $0 } ?? false
            record.record(at: time)
            failures[connection.address] = record
            if wasBlocked, let until = record.blockedUntil {
                let seconds = Int(until.timeIntervalSince(time).rounded(.up))
                return .refused(message: "Too many failed sign-ins from your address. Try again in \(seconds) s.", failures: record.count)
            }
            return .refused(message: "This staff token is not valid.", failures: record.count)
        }
        failures[connection.address] = nil
        sessions[connection.id] = Session(member: member, connection: connection)
        return .signedIn(member)
    }

    /// Signs in a console of another node, whose command about a conversation of this node
    /// came by the bus.
    mutating func signInRemote(_ member: StaffRecord, on connection: Connection, node: String) {
        sessions[connection.id] = Session(member: member, connection: connection, remoteNode: node)
    }

    /// The consoles signed in on this node (not those of other nodes).
    var localSessions: [Session] { sessions.values.filter { $0.remoteNode == nil } }

    /// The session of a connection, if it signed in.
    func session(_ connectionID: Int) -> Session? { sessions[connectionID] }

    mutating func signOut(_ connectionID: Int) { sessions[connectionID] = nil }

    mutating func signOutAll() { sessions = [:] }

    /// Signs out the sessions of revoked accounts; returns them, to be told.
    mutating func dropRevoked(_ names: Set<String>) -> [Session] {
        let gone = sessions.filter { names.contains($0.value.member.name) }
        for id in gone.keys { sessions[id] = nil }
        return Array(gone.values)
    }

    mutating func setAvailable(_ available: Bool, _ connectionID: Int) { sessions[connectionID]?.available = available }

    mutating func setLanguageFilter(_ language: String?, _ connectionID: Int) { sessions[connectionID]?.languageFilter = language }

    /// The names of everyone signed in, on this node or another.
    var presentNames: Set<String> { Set(localSessions.map(\.member.name) + elsewhere.map(\.name)) }

    /// Every signed-in member, on this node or another, with whether they are available.
    private var everyone: [(member: StaffRecord, available: Bool)] {
        localSessions.map { ($0.member, $0.available) } + elsewhere.map { ($0.member, $0.available) }
    }

    /// Members who can take chats (curators cannot), signed in and available, on this node or
    /// another (as last read).
    private var canChatNow: [StaffRecord] { everyone.filter { $0.available && $0.member.role != .curator }.map(\.member) }

    /// How many members can take chats now, on this node or another (as last read).
    var availableCount: Int { Set(canChatNow.map(\.name)).count }

    /// Whether someone can take a chat of this location now: an available member who may chat,
    /// on any node, who sees it (the chat hours are the caller's to check).
    func someoneAvailable(for location: String?, at time: Date) -> Bool {
        canChatNow.contains { sees($0, location: location, waitingSince: nil, at: time) }
    }

    /// Whether `name` is signed in on some node and may be handed a chat of `location`.
    func canBeHanded(to name: String, location: String?, at time: Date) -> Bool {
        everyone.contains { $0.member.name == name && $0.member.role != .curator && sees($0.member, location: location, waitingSince: nil, at: time) }
    }

    /// Whether a member sees a conversation of `location`: their own locations (none: all), a
    /// conversation without a location, or one that waited longer than `overflowAfter`.
    func sees(_ member: StaffRecord, location: String?, waitingSince: Date?, at time: Date) -> Bool {
        if member.locations.isEmpty { return true }
        guard let location else { return true }
        if member.locations.contains(location) { return true }
        if let waitingSince, time.timeIntervalSince(waitingSince) >= overflowAfter { return true }
        return false
    }

    /// Signed-in sessions of one member (they may have the console open twice).
    func sessions(named name: String) -> [Session] { localSessions.filter { $0.member.name == name } }

    /// Forgets failure counts nobody has added to for fifteen minutes.
    mutating func forgetStaleFailures(at time: Date) {
        failures = failures.filter { !$0.value.isStale(at: time) }
    }
}

/// Failed staff sign-ins from one address. Five are free; after that the address is refused
/// for 1 s, 2 s, 4 s … up to 60 s after each further failure. Fifteen minutes without a
/// failure (or a good sign-in) start the count afresh.
struct AuthFailures: Sendable, Equatable {
    static let free = 5
    static let maximumDelay: TimeInterval = 60
    static let forgetAfter: TimeInterval = 15 * 60

    var count = 0
    var last = Date.distantPast
    var blockedUntil: Date?

    mutating func record(at time: Date) {
        if time.timeIntervalSince(last) > Self.forgetAfter { count = 0 }
        count += 1
        last = time
        if count > Self.free {
            blockedUntil = time.addingTimeInterval(min(Self.maximumDelay, pow(2, Double(count - Self.free - 1))))
        }
    }

    /// Whether the record can be dropped.
    func isStale(at time: Date) -> Bool { time.timeIntervalSince(last) > Self.forgetAfter }
}
