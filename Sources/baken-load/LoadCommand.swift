import ArgumentParser
import Foundation
import NIOCore
import NIOPosix

/// An open-loop WebSocket load generator for `baken serve`, light enough to share a small
/// machine with the server: its sessions are NIO channel handlers (no task per connection),
/// and each event loop sends on its own timer. See `Tests/load/README.md`.
///
/// ```sh
/// baken-load chat --url ws://127.0.0.1:18780/ws/chat --sessions 2000 --rate 8000 --duration 15 --pid $PID
/// ```
@main
struct LoadCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "baken-load",
        abstract: "Send chat or echo messages to a Baken server at a fixed rate and report throughput, latency and CPU.")

    enum Mode: String, ExpressibleByArgument, Sendable {
        /// `hello`, then `say` messages; latency is send → the `reply` (or `queued`) that answers it.
        case chat
        /// The same frames against `/ws/echo`; latency is send → the echoed frame.
        case echo
    }

    @Argument(help: "chat or echo.")
    var mode: Mode

    @Option(help: "The WebSocket URL (ws:// only).")
    var url = "ws://127.0.0.1:18780/ws/chat"

    @Option(help: "Sessions (connections) to open.")
    var sessions = 2000

    @Option(help: "Messages per second over all sessions.")
    var rate = 2000.0

    @Option(help: "Seconds of sending.")
    var duration = 15.0

    @Option(help: "Seconds at the start that are not counted.")
    var warmup = 2.0

    @Option(help: "Seconds to wait for the last replies after sending stops.")
    var drain = 5.0

    @Option(help: "Event loop threads of the client.")
    var threads = 1

    @Option(help: "Connections opened at the same time while connecting.")
    var connectConcurrency = 100

    @Option(help: "The server's process id, to report its CPU and memory.")
    var pid: Int32?

    @Option(help: "Write the summary as JSON to this file.")
    var json: String?

    func run() async throws {
        guard let target = Target(url: url) else { throw ValidationError("Give a ws://host:port/path URL.") }
        guard duration > warmup else { throw ValidationError("--duration must be longer than --warmup.") }
        let group = MultiThreadedEventLoopGroup(numberOfThreads: threads)
        let loops = (0..<threads).map { _ in group.next() }
        let runners = loops.map { LoopRunner(loop: $0, mode: mode) }

        let opened = try await SessionOpener(target: target, mode: mode, concurrency: connectConcurrency)
            .open(sessions, on: runners)
        print("opened \(opened) of \(sessions) sessions")
        guard opened > 0 else {
            var tally = Tally()
            for runner in runners { tally.add(try await runner.collect()) }
            for (error, count) in tally.errors.sorted(by: { $0.key < $1.key }) { print("  error \(error): \(count)") }
            throw ExitCode.failure
        }

        let start = NIODeadline.now()
        let window = Window(
            start: start + .nanoseconds(Int64(warmup * 1e9)), end: start + .nanoseconds(Int64(duration * 1e9)))
        for (index, runner) in runners.enumerated() {
            runner.start(rate: rate / Double(threads), phase: Double(index) / rate, window: window, stopAt: window.end)
        }
        // CPU is read over the measured window only, like the message counts.
        try await Task.sleep(for: .seconds(warmup))
        let before = Usage.read(pid: pid)
        try await Task.sleep(for: .seconds(duration - warmup))
        let after = Usage.read(pid: pid)
        try await Task.sleep(for: .seconds(drain))
        var result = Tally()
        for runner in runners { result.add(try await runner.collect()) }
        result.latencies.sort()
        let summary = Summary(
            mode: mode, sessions: opened, offered: rate, window: window.seconds, tally: result, before: before, after: after)
        print(summary.text)
        if let json { try summary.json.write(toFile: json, atomically: true, encoding: .utf8) }
        try await group.shutdownGracefully()
    }
}

/// Where to connect.
struct Target: Sendable {
    var host: String
    var port: Int
    var path: String

    init?(url: String) {
        guard let components = URLComponents(string: url), components.scheme == "ws", let host = components.host else { return nil }
        self.host = host
        port = components.port ?? 80
        path = components.path.isEmpty ? "/" : components.path
    }
}

/// The measured part of the run.
struct Window: Sendable {
    var start: NIODeadline
    var end: NIODeadline
    var seconds: Double { Double((end - start).nanoseconds) / 1e9 }

    func contains(_ time: NIODeadline) -> Bool { time >= start && time < end }
}
