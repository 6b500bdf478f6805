import NIOCore

/// The sessions of one event loop and their send timer. Everything mutable is touched only on
/// `loop` (hence `@unchecked Sendable`): handlers, the timer and `collect` all run there.
final class LoopRunner: @unchecked Sendable {
    let loop: any EventLoop
    let mode: LoadCommand.Mode
    var tally = Tally()
    private(set) var window: Window?
    private var sessions: [SessionHandler] = []
    private var timer: RepeatedTask?
    private var nextSession = 0
    private var scheduled = 0

    private static let texts = [
        "digid wachtwoord vergeten", "huurtoeslag aanvragen", "waar kan ik printen", "hoe laat is het spreekuur",
    ]

    init(loop: any EventLoop, mode: LoadCommand.Mode) {
        self.loop = loop
        self.mode = mode
    }

    /// Called on `loop` when a session's upgrade is done.
    func add(_ session: SessionHandler) {
        loop.preconditionInEventLoop()
        sessions.append(session)
    }

    /// Sends `rate` messages a second from `phase` seconds on, round-robin over the sessions,
    /// on a 1 ms timer: a send never waits for a reply (open loop).
    func start(rate: Double, phase: Double, window: Window, stopAt end: NIODeadline) {
        loop.execute {
            self.window = window
            let begin = NIODeadline.now() + .nanoseconds(Int64(phase * 1e9))
            self.timer = self.loop.scheduleRepeatedTask(initialDelay: .zero, delay: .milliseconds(1)) { task in
                let now = NIODeadline.now()
                guard now < end else { return task.cancel() }
                guard now >= begin, !self.sessions.isEmpty else { return }
                let due = Int(Double((now - begin).nanoseconds) / 1e9 * rate) + 1
                while self.scheduled < due {
                    self.scheduled += 1
                    let session = self.sessions[self.nextSession % self.sessions.count]
                    self.nextSession += 1
                    let id = self.scheduled
                    let text = Self.texts[id % Self.texts.count]
                    session.send(#"{"type":"say","id":"m\#(id)","text":"\#(text)"}"#, window: window)
                }
            }
        }
    }

    /// The counts and latencies, read on the loop.
    func collect() async throws -> Tally {
        try await loop.submit {
            self.timer?.cancel()
            self.tally.openAtEnd = self.sessions.filter(\.isOpen).count
            return self.tally
        }.get()
    }
}

/// What a run counted.
struct Tally: Sendable {
    var sent = 0
    var sentInWindow = 0
    var completed = 0
    var answeredInWindow = 0
    var openAtEnd = 0
    /// Latencies in microseconds of the messages sent inside the window.
    var latencies: [Int32] = []
    var errors: [String: Int] = [:]

    mutating func count(_ error: String) { errors[error, default: 0] += 1 }

    mutating func add(_ other: Tally) {
        sent += other.sent
        sentInWindow += other.sentInWindow
        completed += other.completed
        answeredInWindow += other.answeredInWindow
        openAtEnd += other.openAtEnd
        latencies += other.latencies
        errors.merge(other.errors, uniquingKeysWith: +)
    }
}
